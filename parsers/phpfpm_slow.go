package parsers

var phpFPMSlowFormat = &Format{
	ID:    FormatPHPFPMSlow,
	Title: "PHP-FPM slow log",
	New:   newNotYet,
}
