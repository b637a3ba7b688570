package parsers

var appTextFormat = &Format{
	ID:    FormatAppText,
	Title: "application leveled text with stack traces",
	New:   newNotYet,
}
