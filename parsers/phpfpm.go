package parsers

import (
	"bytes"
)

// phpFPMFormat is the PHP-FPM master process log (error_log in
// php-fpm.conf):
//
//	[20-Nov-2026 14:02:10] WARNING: [pool www] child 4321 exited on signal 9 (SIGKILL) after 12.345678 seconds from start
//
// Stamps are zoneless local time, with microseconds when log_level is
// debug; debug lines carry "pid N, function(), line N: " after the level.
// Levels are DEBUG, NOTICE, WARNING, ERROR and ALERT. The pool name goes to
// Module (and "[pool www] " is not repeated in Message); the pid of the child a line is about ("child 123 …", "about to
// trace 123") or of the master ("fpm is running, pid 1563") goes to PID;
// the request of a slow or timed-out script to Request, Method and Path, the
// script itself to the "script" field. Worker output passed through with
// decorate_workers_output = no ("NOTICE: PHP message: PHP Warning: …",
// no stamp) is accepted too. Lines FPM sent to syslog ("[WARNING] [pool
// www] …", with or without a syslog prefix) belong to the syslog format.
//
// A line that relays a PHP error ("said into stderr", "PHP message:") takes
// the PHP error's level when that is more severe than FPM's own.
var phpFPMFormat = &Format{
	ID:    FormatPHPFPM,
	Title: "PHP-FPM master log",
	Examples: []string{
		`[20-Nov-2026 14:02:10] WARNING: [pool www] child 4321 exited on signal 9 (SIGKILL) after 12.605199 seconds from start`,
		`[20-Nov-2026 14:02:10] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it`,
		`[20-Nov-2026 14:02:10] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 12 total children`,
		`[20-Nov-2026 14:02:10] WARNING: [pool www] child 24164, script '/var/www/shop/public/index.php' (request: "GET /index.php") execution timed out (30.123456 sec), terminating`,
		`[20-Nov-2026 14:02:10] WARNING: [pool www] child 24142 said into stderr: "NOTICE: PHP message: PHP Warning:  Undefined array key "sku" in /var/www/shop/src/Catalog/ProductView.php on line 87"`,
		`[20-Nov-2026 14:02:10] NOTICE: fpm is running, pid 1563`,
		`[20-Nov-2026 14:02:10] ERROR: unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)`,
		`[20-Nov-2026 14:02:10.330162] NOTICE: pid 60482, fpm_systemd_heartbeat(), line 75: systemd monitor interval set to 10000ms`,
	},
	PathHints: []string{"fpm"},
	New:       func(cfg Config) (Parser, error) { return &phpFPMParser{clock: cfg.Clock}, nil },
}

// phpFPMParser parses one PHP-FPM master log input.
type phpFPMParser struct {
	clock *Clock
	// phpMsg is set while the entry being joined relays a PHP error
	// ("PHP message: PHP Fatal error: …"), whose stack trace follows it
	// line by line when workers' output is not decorated.
	phpMsg bool
}

// Continues joins blank lines to the line before them ("php-fpm -t" writes
// one after "configuration file … test is successful"; framing drops it),
// and the stack trace of a relayed PHP error: "Stack trace:", "#0 …",
// "  thrown in … on line 11", "Next …".
func (p *phpFPMParser) Continues(line []byte) bool {
	if len(trimSpace(line)) == 0 {
		return true
	}
	if p.phpMsg && (bytes.HasPrefix(line, []byte("Stack trace:")) || bytes.HasPrefix(line, []byte("  thrown in ")) ||
		bytes.HasPrefix(line, []byte("Next ")) || len(line) > 2 && line[0] == '#' && line[1] >= '0' && line[1] <= '9') {
		return true
	}
	p.phpMsg = bytes.Contains(line, []byte("PHP message: "))
	return false
}

// phpStamp parses the "20-Nov-2026 14:02:10[.123456]" that PHP-FPM and PHP
// write after "[", at b[i:], and returns the index after the fraction.
func phpStamp(b []byte, i int) (y, mo, d, h, mi, s, nsec, end int, ok bool) {
	if len(b) < i+20 || b[i+2] != '-' || b[i+6] != '-' || b[i+11] != ' ' || b[i+14] != ':' || b[i+17] != ':' {
		return
	}
	var o [5]bool
	d, o[0] = digits2(b, i)
	mo = month3(b, i+3)
	y, o[1] = digits4(b, i+7)
	h, o[2] = digits2(b, i+12)
	mi, o[3] = digits2(b, i+15)
	s, o[4] = digits2(b, i+18)
	end = i + 20
	if end < len(b) && b[end] == '.' {
		nsec, end = fraction(b, end+1)
	}
	ok = mo > 0 && o[0] && o[1] && o[2] && o[3] && o[4]
	return
}

// phpFPMLevel reads one of FPM's level words followed by ": " at b[i:] and
// returns the level and the index after ": ".
func phpFPMLevel(b []byte, i int) (Level, int) {
	c := bytes.IndexByte(b[i:min(len(b), i+9)], ':')
	if c < 0 || i+c+1 >= len(b) || b[i+c+1] != ' ' {
		return LevelUnknown, 0
	}
	var l Level
	switch string(b[i : i+c]) {
	case "DEBUG":
		l = LevelDebug
	case "NOTICE":
		l = LevelNotice
	case "WARNING":
		l = LevelWarn
	case "ERROR":
		l = LevelError
	case "ALERT":
		l = LevelAlert
	default:
		return LevelUnknown, 0
	}
	return l, i + c + 2
}

// Parse reads one PHP-FPM master log line.
func (p *phpFPMParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	var lvl Level
	i := 0
	if len(b) > 0 && b[0] == '[' {
		y, mo, d, h, mi, s, nsec, end, ok := phpStamp(b, 1)
		if !ok || end+2 > len(b) || b[end] != ']' || b[end+1] != ' ' {
			return false
		}
		if lvl, i = phpFPMLevel(b, end+2); i == 0 {
			return false
		}
		t, ok := p.clock.LocalTime(y, mo, d, h, mi, s, nsec)
		if !ok {
			return false
		}
		ev.Time = t
	} else {
		// A worker's own line, without stamp: accepted only with FPM's
		// marks after the level, so that "WARNING: …" of other programs
		// is not taken.
		if lvl, i = phpFPMLevel(b, 0); i == 0 {
			return false
		}
		rest := b[i:]
		if !bytes.HasPrefix(rest, []byte("[pool ")) && !bytes.HasPrefix(rest, []byte("PHP message: ")) &&
			!bytes.HasPrefix(rest, []byte("pid ")) {
			return false
		}
	}
	ev.Level = lvl
	msg := b[i:]
	// log_level = debug: "pid 60482, fpm_event_loop(), line 424: …"
	// (the master) or "fpm_php_init_child(), line 95: …" (a child)
	if bytes.HasPrefix(msg, []byte("pid ")) {
		j := 4
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		if j > 4 && j+1 < len(msg) && msg[j] == ',' && msg[j+1] == ' ' {
			ev.PID, _ = atoi(msg[4:j])
			msg = msg[j+2:]
		}
	}
	if n := phpFPMFuncPos(msg); n > 0 {
		msg = msg[n:]
	}
	msg = errlogTrimRight(trimSpace(msg))
	// [pool www] … — the pool goes to Module, the rest is the message
	if bytes.HasPrefix(msg, []byte("[pool ")) {
		if rb := bytes.IndexByte(msg, ']'); rb > 6 {
			ev.Module = str(msg[6:rb])
			msg = trimSpace(msg[rb+1:])
		}
	}
	ev.Message = str(msg)
	switch {
	case bytes.HasPrefix(msg, []byte("child ")):
		pid, n := phpFPMNumber(msg[6:])
		ev.PID = pid
		rest := msg[6+n:]
		switch {
		case bytes.HasPrefix(rest, []byte(", script '")):
			// child 123, script '/x.php' (request: "GET /x.php") executing too slow (5.0 sec), logging
			phpFPMScript(rest[10:], ev)
		case bytes.HasPrefix(rest, []byte(" said into std")):
			// a PHP error relayed from the worker
			if pl := phpRelayedLevel(rest); pl > ev.Level {
				ev.Level = pl
			}
		}
	case bytes.HasPrefix(msg, []byte("PHP message: ")):
		if pl := phpRelayedLevel(msg); pl > ev.Level {
			ev.Level = pl
		}
	case bytes.HasPrefix(msg, []byte("about to trace ")):
		ev.PID, _ = phpFPMNumber(msg[15:])
	case bytes.HasPrefix(msg, []byte("finished trace of ")):
		ev.PID, _ = phpFPMNumber(msg[18:])
	case bytes.HasPrefix(msg, []byte("fpm is running, pid ")):
		ev.PID, _ = phpFPMNumber(msg[20:])
	}
	return true
}

// phpRelayedLevel returns the most severe level of the PHP errors quoted
// in b ("… PHP message: PHP Fatal error:  …"), LevelUnknown when none.
func phpRelayedLevel(b []byte) Level {
	best := LevelUnknown
	for n := 0; n < 16; n++ {
		k := bytes.Index(b, []byte("PHP "))
		if k < 0 {
			break
		}
		if l, _ := phpErrorLevel(b[k:]); l > best {
			best = l
		}
		b = b[k+4:]
	}
	return best
}

// phpFPMFuncPos returns the length of a leading "function(), line 123: "
// (debug log level) or 0.
func phpFPMFuncPos(b []byte) int {
	p := bytes.IndexByte(b[:min(len(b), 80)], '(')
	if p <= 0 || !bytes.HasPrefix(b[p:], []byte("(), line ")) {
		return 0
	}
	for _, c := range b[:p] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return 0
		}
	}
	k := p + 9
	j := k
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == k || j+2 > len(b) || b[j] != ':' || b[j+1] != ' ' {
		return 0
	}
	return j + 2
}

// phpFPMNumber reads the decimal number at the start of b (0 if none) and
// returns it and its length.
func phpFPMNumber(b []byte) (int, int) {
	j := 0
	for j < len(b) && j < 10 && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	n, _ := atoi(b[:j])
	return n, j
}

// phpFPMScript reads "/x.php' (request: "GET /x.php") …" — the script
// goes to the "script" field, the request to Request, Method and Path.
func phpFPMScript(b []byte, ev *Event) {
	q := bytes.IndexByte(b, '\'')
	if q < 0 {
		return
	}
	ev.Fields = append(ev.Fields, Field{"script", str(b[:q])})
	rest := b[q+1:]
	if bytes.HasPrefix(rest, []byte(" (request: \"")) {
		req := rest[12:]
		if q := bytes.Index(req, []byte("\")")); q >= 0 {
			ev.Request = str(req[:q])
			setRequest(ev, req[:q])
		}
	}
}

// phpErrorLevel maps the label PHP puts before a logged error ("PHP Fatal
// error:  …") to a level and returns the length of the label and the
// spaces after it; 0 when b does not start with one. Fatal and parse
// errors (they end the request) are crit; recoverable ("catchable" before
// PHP 7) fatal errors and unknown errors are error; warnings warn;
// notices, deprecations and strict-standards notes notice.
func phpErrorLevel(b []byte) (Level, int) {
	if !bytes.HasPrefix(b, []byte("PHP ")) {
		return LevelUnknown, 0
	}
	rest := b[4:]
	c := bytes.IndexByte(rest[:min(len(rest), 28)], ':')
	if c <= 0 {
		return LevelUnknown, 0
	}
	var l Level
	switch string(rest[:c]) {
	case "Fatal error", "Parse error":
		l = LevelCrit
	case "Recoverable fatal error", "Catchable fatal error", "Unknown error":
		l = LevelError
	case "Warning":
		l = LevelWarn
	case "Notice", "Deprecated", "Strict Standards":
		l = LevelNotice
	default:
		return LevelUnknown, 0
	}
	n := 4 + c + 1
	for n < len(b) && b[n] == ' ' {
		n++
	}
	return l, n
}
