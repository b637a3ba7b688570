package parsers

import (
	"bytes"
	"time"
)

// phpErrorFormat is PHP's own error log (the error_log ini setting), which
// WordPress (wp-content/debug.log) and other applications also write to:
//
//	[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Uncaught Exception: boom in /var/www/x.php:3
//	Stack trace:
//	#0 {main}
//	  thrown in /var/www/x.php on line 3
//
// The stamp names the zone of date.timezone ("UTC", "Europe/Berlin",
// "America/New_York", or an offset such as "+02:00"): the time is exact
// and TimeKnownZone is set (a zone the system's tz database does not know
// is read as a zoneless stamp). The level comes from PHP's label: "PHP
// Fatal error" and "PHP Parse error" → crit (they end the request),
// "PHP Recoverable fatal error" ("Catchable fatal error" before PHP 7) →
// error, "PHP Warning" → warn, "PHP Notice", "PHP Deprecated", "PHP Strict
// Standards" → notice. Lines written with error_log() by application code
// carry no label; a leading "ERROR:"/"Warning:"-style word or "WordPress
// database error" gives their level, else it is unknown. Message is the
// text after the stamp, the label included ("PHP Fatal error:  Uncaught
// …"), as the same text appears in Nginx's and Apache's logs.
//
// Continuation lines are joined: stack traces ("Stack trace:", "#0 …",
// "  thrown in …", "Next …"), indented or bracket-only lines (print_r and
// var_dump output), blank lines, and any line while an uncaught
// exception's message is still open (until its "thrown in" line).
var phpErrorFormat = &Format{
	ID:    FormatPHPError,
	Title: "PHP error log",
	Examples: []string{
		"[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Uncaught Exception: boom in /var/www/x.php:3\nStack trace:\n#0 {main}\n  thrown in /var/www/x.php on line 3",
		`[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2316`,
		`[20-Nov-2026 15:02:10 Europe/Berlin] PHP Warning:  Undefined array key "sku" in /var/www/shop/src/Catalog/ProductView.php on line 87`,
		`[20-Nov-2026 09:02:10 America/New_York] PHP Deprecated:  Creation of dynamic property WPSEO_Frontend::$title is deprecated in /var/www/blog/wp-content/plugins/wordpress-seo/frontend/class-frontend.php on line 88`,
		`[20-Nov-2026 14:02:10 UTC] PHP Parse error:  syntax error, unexpected token "}" in /var/www/html/index.php on line 12`,
		`[20-Nov-2026 14:02:10 UTC] WordPress database error Table 'wp.wp_options' doesn't exist for query SELECT option_value FROM wp_options WHERE option_name = 'siteurl' LIMIT 1 made by require('wp-blog-header.php')`,
		`[20-Nov-2026 14:02:10 UTC] payment webhook: signature mismatch for order 1234`,
	},
	PathHints: []string{"php", "debug.log"},
	New: func(cfg Config) (Parser, error) {
		return &phpErrorParser{clock: cfg.Clock}, nil
	},
}

// phpErrorParser parses one PHP error log input.
type phpErrorParser struct {
	clock *Clock
	// zones caches time.LoadLocation per zone name (nil: unknown zone).
	zones map[string]*time.Location
	// the last stamp converted: its bytes, UTC time and offset
	lastStamp  [48]byte
	lastLen    int
	lastTime   time.Time
	lastOffset int32
	lastKnown  bool
	// open is set while the entry being joined is an uncaught exception
	// whose "thrown in" line has not been seen.
	open bool
}

// phpErrorStamp reports whether line starts with "[dd-Mon-yyyy hh:mm:ss ".
func phpErrorStamp(line []byte) bool {
	_, _, _, _, _, _, _, end, ok := phpStamp(line, 1)
	return ok && line[0] == '[' && end < len(line) && line[end] == ' '
}

// Continues joins stack traces and other multi-line messages.
func (p *phpErrorParser) Continues(line []byte) bool {
	if len(line) > 0 && line[0] == '[' && phpErrorStamp(line) {
		p.open = bytes.Contains(line, []byte("Uncaught ")) && !bytes.Contains(line, []byte(" thrown in "))
		return false
	}
	if p.open {
		if bytes.HasPrefix(trimSpace(line), []byte("thrown in ")) {
			p.open = false
		}
		return true
	}
	return phpTraceLine(line)
}

// phpTraceLine reports whether a line without a stamp continues a PHP
// message: blank, indented, a stack-trace line, or print_r / var_dump /
// JSON structure.
func phpTraceLine(l []byte) bool {
	t := trimSpace(l)
	if len(t) == 0 {
		return true
	}
	switch l[0] {
	case ' ', '\t':
		return true
	case '#':
		return len(l) > 1 && l[1] >= '0' && l[1] <= '9'
	case '(', ')', '{', '}', '[', ']':
		// print_r's "(" and ")", JSON braces — but not a stamped line of
		// another format such as "[20-Nov-2026 14:02:10] NOTICE: …"
		return len(t) <= 2
	}
	return bytes.HasPrefix(l, []byte("Stack trace:")) || bytes.HasPrefix(l, []byte("Next ")) ||
		bytes.HasPrefix(l, []byte("thrown in "))
}

// Parse reads one PHP error log entry.
func (p *phpErrorParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	if len(b) < 24 || b[0] != '[' {
		return false
	}
	y, mo, d, h, mi, s, nsec, end, ok := phpStamp(b, 1)
	if !ok || end >= len(b) || b[end] != ' ' {
		return false
	}
	rb := bytes.IndexByte(b[end:min(len(b), end+48)], ']')
	if rb < 2 {
		return false
	}
	zone := b[end+1 : end+rb]
	i := end + rb + 1
	if !phpZoneName(zone) {
		return false
	}
	if p.setTime(b[1:end+rb], y, mo, d, h, mi, s, nsec, zone, ev) {
		return false
	}
	if i < len(b) && b[i] == ' ' {
		i++
	}
	msg := b[i:]
	for len(msg) > 0 && (msg[len(msg)-1] == '\n' || msg[len(msg)-1] == ' ' || msg[len(msg)-1] == '\t' || msg[len(msg)-1] == '\r') {
		msg = msg[:len(msg)-1]
	}
	ev.Message = str(msg)
	if l, n := phpErrorLevel(msg); n > 0 {
		ev.Level = l
	} else {
		ev.Level = phpAppLevel(msg)
	}
	return true
}

// phpZoneName reports whether b looks like what PHP's "e" date format
// prints: a tz database name ("UTC", "Europe/Berlin",
// "America/Argentina/Buenos_Aires", "Etc/GMT+5") or an offset ("+02:00").
func phpZoneName(b []byte) bool {
	if len(b) == 0 || len(b) > 40 {
		return false
	}
	if b[0] == '+' || b[0] == '-' {
		_, n, ok := parseOffset(b)
		return ok && n == len(b)
	}
	if !(b[0] >= 'A' && b[0] <= 'Z' || b[0] >= 'a' && b[0] <= 'z') {
		return false
	}
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '_' || c == '-' || c == '+') {
			return false
		}
	}
	return true
}

// setTime converts the stamp (stamp is the text between the brackets, used
// as cache key) in zone and stores it in ev; it reports true on failure.
func (p *phpErrorParser) setTime(stamp []byte, y, mo, d, h, mi, s, nsec int, zone []byte, ev *Event) (failed bool) {
	if p.lastLen == len(stamp) && p.lastLen > 0 && string(p.lastStamp[:p.lastLen]) == string(stamp) {
		ev.Time, ev.TimeKnownZone, ev.ZoneOffset = p.lastTime, p.lastKnown, p.lastOffset
		return false
	}
	var t time.Time
	var offset int32
	known := false
	if zone[0] == '+' || zone[0] == '-' {
		off, _, _ := parseOffset(zone)
		ft, ok := FixedTime(y, mo, d, h, mi, s, nsec, off)
		if !ok {
			return true
		}
		t, offset, known = ft, int32(off), true
	} else if loc := p.location(zone); loc != nil {
		if !validDate(y, mo, d, h, mi, s) {
			return true
		}
		lt := time.Date(y, time.Month(mo), d, h, mi, s, nsec, loc)
		_, off := lt.Zone()
		t, offset, known = lt.UTC(), int32(off), true
	} else {
		lt, ok := p.clock.LocalTime(y, mo, d, h, mi, s, nsec)
		if !ok {
			return true
		}
		t = lt
	}
	ev.Time, ev.TimeKnownZone, ev.ZoneOffset = t, known, offset
	if len(stamp) <= len(p.lastStamp) {
		p.lastLen = copy(p.lastStamp[:], stamp)
		p.lastTime, p.lastOffset, p.lastKnown = t, offset, known
	}
	return false
}

// location returns the zone named name, loading it once per parser; nil
// when the tz database does not know it (or after 64 distinct names).
func (p *phpErrorParser) location(name []byte) *time.Location {
	switch string(name) {
	case "UTC", "Etc/UTC", "GMT", "Z", "Zulu", "Universal", "Etc/Universal":
		return time.UTC
	}
	if loc, ok := p.zones[string(name)]; ok {
		return loc
	}
	if p.zones == nil {
		p.zones = map[string]*time.Location{}
	}
	if len(p.zones) >= 64 {
		// a log with endless junk zones: stop looking them up (each
		// lookup reads the tz database) and read them as zoneless
		return nil
	}
	n := string(name)
	loc, err := time.LoadLocation(n)
	if err != nil || n == "Local" {
		loc = nil
	}
	p.zones[n] = loc
	return loc
}

// phpAppLevel guesses the level of a line an application wrote with
// error_log(): a leading level word ("ERROR:", "[warning]", "Notice -")
// or WordPress's "WordPress database error".
func phpAppLevel(msg []byte) Level {
	if bytes.HasPrefix(msg, []byte("WordPress database error")) {
		return LevelError
	}
	m := msg
	if len(m) > 0 && m[0] == '[' {
		m = m[1:]
	}
	j := 0
	for j < len(m) && j < 12 && (m[j] >= 'A' && m[j] <= 'Z' || m[j] >= 'a' && m[j] <= 'z') {
		j++
	}
	if j < 4 || j >= len(m) {
		return LevelUnknown
	}
	switch m[j] {
	case ':', ']':
	case ' ':
		if j+1 >= len(m) || m[j+1] != '-' {
			return LevelUnknown
		}
	default:
		return LevelUnknown
	}
	return ParseLevel(str(m[:j]))
}
