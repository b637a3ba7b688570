package parsers

var appLogfmtFormat = &Format{
	ID:    FormatAppLogfmt,
	Title: "application logfmt",
	New:   newNotYet,
}
