package parsers

var apacheErrorFormat = &Format{
	ID:    FormatApacheError,
	Title: "Apache httpd error log (2.2 and 2.4)",
	New:   newNotYet,
}
