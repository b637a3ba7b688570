package parsers

// registry lists every format in detection-priority order: when two formats
// understand a sample equally well, the earlier one wins (after path hints).
var registry = []*Format{
	nginxErrorFormat,
	apacheErrorFormat,
	phpFPMSlowFormat,
	phpFPMFormat,
	phpErrorFormat,
	nginxAccessFormat,
	apacheAccessFormat,
	syslogFormat,
	appJSONFormat,
	appLogfmtFormat,
	appTextFormat,
}
