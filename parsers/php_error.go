package parsers

var phpErrorFormat = &Format{
	ID:    FormatPHPError,
	Title: "PHP error log",
	New:   newNotYet,
}
