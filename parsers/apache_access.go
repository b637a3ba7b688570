package parsers

var apacheAccessFormat = &Format{
	ID:    FormatApacheAccess,
	Title: "Apache httpd access log",
	New:   newNotYet,
}
