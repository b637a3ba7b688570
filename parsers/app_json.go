package parsers

var appJSONFormat = &Format{
	ID:    FormatAppJSON,
	Title: "application JSON lines",
	New:   newNotYet,
}
