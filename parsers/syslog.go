package parsers

var syslogFormat = &Format{
	ID:    FormatSyslog,
	Title: "syslog, journalctl and kernel",
	New:   newNotYet,
}
