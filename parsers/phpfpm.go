package parsers

var phpFPMFormat = &Format{
	ID:    FormatPHPFPM,
	Title: "PHP-FPM master log",
	New:   newNotYet,
}
