package parsers

import (
	"bytes"
)

// apacheErrorFormat is the Apache httpd error log, 2.4 and 2.2:
//
//	[Fri Nov 20 14:02:10.123456 2026] [proxy:error] [pid 1:tid 2] (111)Connection refused: [client 192.0.2.1:5555] AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (*) failed, referer: https://example.com/
//	[Fri Nov 20 14:02:10 2026] [error] [client 192.0.2.1] File does not exist: /var/www/favicon.ico
//
// 2.4 writes "[module:level]" (the module may be empty: "[:error]"),
// "[pid P:tid T]" or "[pid P]", an optional "file.c(123): " source
// position (LogLevel debug), an optional APR error "(111)Connection
// refused: ", "[client ip:port]" (or "[remote ip:port]" for a backend
// connection), the message and ", referer: …". 2.2 writes "[level]", then
// "[client ip]" before the APR error. Stamps may carry microseconds (%{u}t)
// or be the compact ISO form of ErrorLogFormat's %{cu}t
// ("[2026-11-20 14:02:10.123456]"); all are zoneless.
//
// Module → Module, level → Level (trace1…trace8 → debug), the AH code
// → Code, the client address without its port → Client, "[remote …]" →
// Upstream. Message is the message with the APR error in front of it
// ("(104)Connection reset by peer: AH01102: error reading status line …")
// so that rules see both, without the client and the referer.
//
// mod_wsgi logs a Python traceback one line per error-log line; the lines
// of one process that carry "Traceback (most recent call last):", its
// indented frames and the exception line are joined to the line before
// them, and Message holds their messages line by line.
var apacheErrorFormat = &Format{
	ID:    FormatApacheError,
	Title: "Apache httpd error log (2.2 and 2.4)",
	Examples: []string{
		`[Fri Nov 20 14:02:10.123456 2026] [proxy:error] [pid 2301:tid 139955521443712] (111)Connection refused: [client 192.0.2.1:55512] AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (localhost) failed, referer: https://blog.example.com/`,
		`[Fri Nov 20 14:02:10.036018 2026] [proxy_fcgi:error] [pid 2610:tid 140051509872384] [client 203.0.113.9:47246] AH01071: Got error 'Primary script unknown\n'`,
		`[Fri Nov 20 14:02:10.251633 2026] [core:notice] [pid 2304:tid 139955126986624] AH00094: Command line: '/usr/sbin/apache2'`,
		`[Fri Nov 20 14:02:10.247124 2026] [mpm_event:notice] [pid 2301:tid 139955227699072] AH00489: Apache/2.4.62 (Debian) OpenSSL/3.0.15 configured -- resuming normal operations`,
		`[Fri Nov 20 14:02:10.632863 2026] [fcgid:warn] [pid 14123] [client 10.50.2.9:59158] mod_fcgid: stderr: PHP Warning:  Invalid argument supplied for foreach() in /var/www/vhosts/example.com/httpdocs/app/CacheModule.php on line 111, referer: http://example.com/installer`,
		`[Fri Nov 20 14:02:10.123456 2026] [php7:error] [pid 12345] [client 198.51.100.4:50812] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/db.php:4\nStack trace:\n#0 {main}\n  thrown in /var/www/html/db.php on line 4`,
		`[Fri Nov 20 14:02:10 2026] [error] [client 192.0.2.1] File does not exist: /var/www/favicon.ico`,
		`[Fri Nov 20 14:02:10 2026] [notice] Apache/2.2.22 (Ubuntu) PHP/5.3.10-1ubuntu3.26 configured -- resuming normal operations`,
	},
	PathHints: []string{"apache", "httpd"},
	New:       func(cfg Config) (Parser, error) { return &apacheErrorParser{clock: cfg.Clock}, nil },
}

// apacheErrorParser parses one Apache error log input.
type apacheErrorParser struct {
	clock *Clock

	// joining state: the pid of the entry being joined, and whether it is
	// inside a Python traceback
	pid     int
	inTrace bool
	scratch Event
}

// apacheTraceHint reports lines that may carry a traceback line, so that
// only those are parsed twice.
func apacheTraceHint(line []byte) bool {
	return bytes.Contains(line, []byte("] Traceback (most recent call last):")) || bytes.Contains(line, []byte("]   ")) ||
		bytes.Contains(line, []byte("Error: ")) || bytes.Contains(line, []byte("Exception: "))
}

// Continues joins a Python traceback that mod_wsgi wrote line by line to
// the line of the same process before it.
func (p *apacheErrorParser) Continues(line []byte) bool {
	pid, inTrace := p.pid, p.inTrace
	p.inTrace = false
	if !apacheTraceHint(line) {
		// most lines: only their pid is needed, for the lines after them
		p.pid = 0
		if k := bytes.Index(line, []byte("] [pid ")); k > 0 {
			j := k + 7
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			p.pid, _ = atoi(line[k+7 : j])
		}
		return false
	}
	ev := &p.scratch
	*ev = Event{}
	ok := p.Parse(line, ev)
	p.pid = ev.PID
	if !ok {
		p.pid = 0
	}
	cont := false
	if ok && pid != 0 && ev.PID == pid {
		m := []byte(ev.Message)
		switch {
		case bytes.HasPrefix(m, []byte("Traceback (most recent call last):")):
			cont, p.inTrace = true, true
		case inTrace && bytes.Contains(line, []byte("]   ")):
			// an indented frame or source line (the message is trimmed)
			cont, p.inTrace = true, true
		case inTrace && appExceptionName(m, false):
			cont = true // the exception ends the traceback
		}
	}
	*ev = Event{} // keep no reference to line
	return cont
}

// apacheStamp parses the stamp between the brackets at b[1:] — "Fri Nov 20
// 14:02:10[.frac] 2026" or "2026-11-20 14:02:10[.frac]" — and returns the
// index after the closing "]".
func (p *apacheErrorParser) apacheStamp(b []byte) (y, mo, d, h, mi, s, nsec, end int, ok bool) {
	if len(b) < 21 || b[0] != '[' {
		return
	}
	var i int
	var o [6]bool
	if b[5] == '-' { // [2026-11-20 14:02:10.123456]
		if b[8] != '-' || b[11] != ' ' || b[14] != ':' || b[17] != ':' {
			return
		}
		y, o[0] = digits4(b, 1)
		mo, o[1] = digits2(b, 6)
		d, o[2] = digits2(b, 9)
		h, o[3] = digits2(b, 12)
		mi, o[4] = digits2(b, 15)
		s, o[5] = digits2(b, 18)
		i = 20
		if i < len(b) && b[i] == '.' {
			nsec, i = fraction(b, i+1)
		}
	} else { // [Fri Nov 20 14:02:10.123456 2026]
		if len(b) < 26 || b[4] != ' ' || b[8] != ' ' || b[11] != ' ' || b[14] != ':' || b[17] != ':' {
			return
		}
		if !apacheWeekday(b[1:4]) {
			return
		}
		mo = month3(b, 5)
		o[1] = mo > 0
		if b[9] == ' ' { // space-padded day
			d, o[2] = int(b[10]-'0'), b[10] >= '1' && b[10] <= '9'
		} else {
			d, o[2] = digits2(b, 9)
		}
		h, o[3] = digits2(b, 12)
		mi, o[4] = digits2(b, 15)
		s, o[5] = digits2(b, 18)
		i = 20
		if i < len(b) && b[i] == '.' {
			nsec, i = fraction(b, i+1)
		}
		if i+5 > len(b) || b[i] != ' ' {
			return
		}
		y, o[0] = digits4(b, i+1)
		i += 5
	}
	if i >= len(b) || b[i] != ']' {
		return
	}
	ok = o[0] && o[1] && o[2] && o[3] && o[4] && o[5]
	return y, mo, d, h, mi, s, nsec, i + 1, ok
}

// apacheWeekday reports whether b is an English three-letter weekday.
func apacheWeekday(b []byte) bool {
	switch string(b) {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
		return true
	}
	return false
}

// apacheLevel maps Apache's level words (trace1…trace8 are debug).
func apacheLevel(b []byte) (Level, bool) {
	switch string(b) {
	case "emerg":
		return LevelEmerg, true
	case "alert":
		return LevelAlert, true
	case "crit":
		return LevelCrit, true
	case "error":
		return LevelError, true
	case "warn":
		return LevelWarn, true
	case "notice":
		return LevelNotice, true
	case "info":
		return LevelInfo, true
	case "debug":
		return LevelDebug, true
	}
	if len(b) == 6 && string(b[:5]) == "trace" && b[5] >= '1' && b[5] <= '8' {
		return LevelDebug, true
	}
	return LevelUnknown, false
}

// Parse reads one Apache error entry.
func (p *apacheErrorParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	nl := bytes.IndexByte(b, '\n')
	if nl < 0 {
		return p.parseLine(b, ev)
	}
	// a joined traceback: the first line's fields, every line's message
	if !p.parseLine(b[:nl], ev) {
		return false
	}
	msg := []byte(ev.Message)
	for rest := b[nl+1:]; len(rest) > 0; {
		line := rest
		if k := bytes.IndexByte(rest, '\n'); k >= 0 {
			line, rest = rest[:k], rest[k+1:]
		} else {
			rest = nil
		}
		var e Event
		if p.parseLine(line, &e) {
			msg = append(append(msg, '\n'), e.Message...)
		} else {
			msg = append(append(msg, '\n'), line...)
		}
	}
	ev.Message = string(msg)
	return true
}

// parseLine reads one error-log line.
func (p *apacheErrorParser) parseLine(b []byte, ev *Event) bool {
	y, mo, d, h, mi, s, nsec, i, ok := p.apacheStamp(b)
	if !ok || i+3 > len(b) || b[i] != ' ' || b[i+1] != '[' {
		return false
	}
	// [module:level] or [level]
	i += 2
	rb := bytes.IndexByte(b[i:min(len(b), i+64)], ']')
	if rb < 0 {
		return false
	}
	ml := b[i : i+rb]
	lv := ml
	if c := bytes.LastIndexByte(ml, ':'); c >= 0 {
		ev.Module = str(ml[:c])
		lv = ml[c+1:]
	}
	lvl, known := apacheLevel(lv)
	if !known {
		return false
	}
	t, ok := p.clock.LocalTime(y, mo, d, h, mi, s, nsec)
	if !ok {
		return false
	}
	ev.Time, ev.Level = t, lvl
	i += rb + 1

	// The bracketed and prefixed items between the level and the message,
	// in whatever order the version or ErrorLogFormat wrote them.
	errStart, errEnd := -1, -1
	for i < len(b) {
		if b[i] == ' ' {
			i++
			continue
		}
		if b[i] == '[' {
			rb := bytes.IndexByte(b[i:], ']')
			if rb < 0 {
				break
			}
			item := b[i+1 : i+rb]
			switch {
			case bytes.HasPrefix(item, []byte("pid ")):
				if !apachePID(item[4:], ev) {
					goto message
				}
			case bytes.HasPrefix(item, []byte("client ")):
				ev.Client = str(apacheStripPort(item[7:]))
			case bytes.HasPrefix(item, []byte("remote ")):
				ev.Upstream = str(item[7:])
			default:
				goto message
			}
			i += rb + 1
			continue
		}
		if b[i] == '(' {
			// (111)Connection refused: — an APR status, possibly negative
			// or in APR's own range ("(70007)The timeout specified has
			// expired: ").
			j := i + 1
			if j < len(b) && b[j] == '-' {
				j++
			}
			k := j
			for k < len(b) && b[k] >= '0' && b[k] <= '9' {
				k++
			}
			if k == j || k >= len(b) || b[k] != ')' || errStart >= 0 {
				break
			}
			colon := bytes.Index(b[k:], []byte(": "))
			if colon < 0 {
				break
			}
			errStart, errEnd = i, k+colon
			i = k + colon + 2
			continue
		}
		// file.c(123): — the source position written at LogLevel debug
		if n := apacheSourcePos(b[i:]); n > 0 && errStart < 0 {
			i += n
			continue
		}
		break
	}
message:
	i = min(i, len(b))
	end := len(b)
	if r := bytes.LastIndex(b[i:], []byte(", referer: ")); r >= 0 {
		ev.Referer = str(b[i+r+11:])
		end = i + r
	}
	for i < end && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for end > i && (b[end-1] == ' ' || b[end-1] == '\t') {
		end--
	}
	msg := b[i:end]
	if len(msg) >= 8 && msg[0] == 'A' && msg[1] == 'H' && msg[7] == ':' && isDigits(msg[2:7]) {
		ev.Code = str(msg[:7])
	}
	switch {
	case errStart < 0:
		ev.Message = str(msg)
	case len(msg) == 0:
		ev.Message = str(b[errStart:errEnd])
	case i == errEnd+2:
		// the APR error directly precedes the message (2.2 order)
		ev.Message = str(b[errStart:end])
	default:
		// 2.4 writes "[client …]" between the APR error and the message
		ev.Message = string(b[errStart:errEnd]) + ": " + string(msg)
	}
	return true
}

// apachePID reads "123" or "123:tid 456" into ev.
func apachePID(b []byte, ev *Event) bool {
	j := 0
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	pid, ok := atoi(b[:j])
	if !ok {
		return false
	}
	ev.PID = pid
	if j == len(b) {
		return true
	}
	if !bytes.HasPrefix(b[j:], []byte(":tid ")) {
		return false
	}
	tid, ok := atoi(b[j+5:])
	if !ok {
		return false
	}
	ev.TID = int64(tid)
	return true
}

// apacheStripPort drops the ":port" of "192.0.2.1:5555" and
// "2001:db8::1:5555" (Apache writes IPv6 addresses without brackets, so the
// port is whatever follows the last colon when there are digits only).
func apacheStripPort(b []byte) []byte {
	c := bytes.LastIndexByte(b, ':')
	if c <= 0 || c == len(b)-1 || !isDigits(b[c+1:]) {
		return b
	}
	if bytes.IndexByte(b[:c], ':') >= 0 && bytes.IndexByte(b[:c], '.') < 0 && !bytes.Contains(b[:c], []byte("::")) {
		// an IPv6 address without port ("2001:db8:0:0:0:0:0:1")
		return b
	}
	return b[:c]
}

// apacheSourcePos returns the length of a leading "mod_x.c(123): " or 0.
func apacheSourcePos(b []byte) int {
	p := bytes.IndexByte(b[:min(len(b), 64)], '(')
	if p < 3 || b[p-2] != '.' || b[p-1] != 'c' {
		return 0
	}
	for _, c := range b[:p-2] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '/') {
			return 0
		}
	}
	k := p + 1
	for k < len(b) && b[k] >= '0' && b[k] <= '9' {
		k++
	}
	if k == p+1 || k+2 > len(b) || b[k] != ')' || b[k+1] != ':' {
		return 0
	}
	k += 2
	if k < len(b) && b[k] == ' ' {
		k++
	}
	return k
}
