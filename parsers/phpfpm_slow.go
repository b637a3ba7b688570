package parsers

import (
	"bytes"
)

// phpFPMSlowFormat is the PHP-FPM slow log (slowlog in a pool's
// configuration): a trace of every request that ran longer than
// request_slowlog_timeout, written by the master as
//
//	(blank line)
//	[20-Nov-2026 14:02:10]  [pool www] pid 4321
//	script_filename = /var/www/html/index.php
//	[0x00007f3b5c8130a0] curl_exec() /var/www/html/lib/Http.php:88
//	[0x00007f3b5c813010] fetch() /var/www/html/index.php:12
//
// with at most 20 frames, "???()" for unknown functions,
// "[INCLUDE_OR_EVAL]()" for includes and "+++ dump failed" when the trace
// could not be read. The lines of one entry are joined; the stamp is
// zoneless local time (with microseconds at log_level debug). Pool →
// Module, pid → PID, script_filename → Path; Message names the innermost
// frame: "slow request: curl_exec() /var/www/html/lib/Http.php:88 (script
// /var/www/html/index.php)". Level is warn, as FPM's own "executing too
// slow" line. The blank line before an entry is not part of it.
var phpFPMSlowFormat = &Format{
	ID:    FormatPHPFPMSlow,
	Title: "PHP-FPM slow log",
	Examples: []string{
		"[20-Nov-2026 14:02:10]  [pool www] pid 4321\nscript_filename = /var/www/html/index.php\n[0x00007f3b5c8130a0] curl_exec() /var/www/html/lib/Http.php:88\n[0x00007f3b5c813010] fetch() /var/www/html/index.php:12",
		"[20-Nov-2026 14:02:15]  [pool shop] pid 24164\nscript_filename = /var/www/shop/public/index.php\n[0x00007f0e4a61d2a0] execute() /var/www/shop/vendor/doctrine/dbal/src/Driver/PDO/Statement.php:130\n[0x00007f0e4a61d1e0] executeQuery() /var/www/shop/vendor/doctrine/dbal/src/Connection.php:1097\n[0x00007f0e4a61d020] [INCLUDE_OR_EVAL]() /var/www/shop/public/index.php:20",
	},
	PathHints: []string{"slow"},
	New:       func(cfg Config) (Parser, error) { return &phpFPMSlowParser{clock: cfg.Clock}, nil },
}

// phpFPMSlowParser parses one PHP-FPM slow log input.
type phpFPMSlowParser struct {
	clock *Clock
	// content is set once the entry being joined has a non-blank line;
	// while it is not, a header joins the blank lines before it (every
	// entry is written as "\n" + header, so an input starts with one).
	content bool
}

// phpSlowHeader parses "[20-Nov-2026 14:02:10]  [pool www] pid 4321"
// (one line) and returns its parts; ok is false for any other line.
func phpSlowHeader(l []byte) (y, mo, d, h, mi, s, nsec int, pool []byte, pid int, ok bool) {
	if len(l) < 34 || l[0] != '[' {
		return
	}
	var end int
	y, mo, d, h, mi, s, nsec, end, ok = phpStamp(l, 1)
	if !ok || end+8 > len(l) || l[end] != ']' {
		ok = false
		return
	}
	i := end + 1
	for i < len(l) && i < end+4 && l[i] == ' ' {
		i++
	}
	if !bytes.HasPrefix(l[i:], []byte("[pool ")) {
		ok = false
		return
	}
	i += 6
	rb := bytes.IndexByte(l[i:], ']')
	if rb < 0 || !bytes.HasPrefix(l[i+rb:], []byte("] pid ")) {
		ok = false
		return
	}
	pool = l[i : i+rb]
	p, isNum := atoi(trimSpace(l[i+rb+6:]))
	if !isNum {
		ok = false
		return
	}
	return y, mo, d, h, mi, s, nsec, pool, p, true
}

// phpSlowBody reports whether l is a line of an entry's body.
func phpSlowBody(l []byte) bool {
	return bytes.HasPrefix(l, []byte("script_filename = ")) || bytes.HasPrefix(l, []byte("[0x")) ||
		bytes.HasPrefix(l, []byte("+++ "))
}

// Continues joins an entry's body to its header line, and the blank line
// that precedes every entry to the entry before it (or, at the start of
// the input, to the entry it precedes). A header starts a new entry; so do
// lines that belong to no entry, which are counted as unparsed.
func (p *phpFPMSlowParser) Continues(line []byte) bool {
	if len(trimSpace(line)) == 0 {
		return true
	}
	if _, _, _, _, _, _, _, _, _, ok := phpSlowHeader(line); ok {
		join := !p.content // only blank lines so far
		p.content = true
		return join
	}
	p.content = true
	return phpSlowBody(line)
}

// Parse reads one slow-log entry.
func (p *phpFPMSlowParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	// Blank lines before the entry (the blank line that precedes the first
	// entry of an input) and after it are not part of it: Line, Offset and
	// Raw are moved past them.
	sameRaw := len(b) > 0 && len(ev.Raw) == len(b) && &ev.Raw[0] == &b[0]
	skipped, skippedBytes := 0, 0
	for {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 || len(trimSpace(b[:nl])) != 0 && !(nl == 1 && b[0] == '\r') {
			break
		}
		b = b[nl+1:]
		skipped++
		skippedBytes += nl + 1
	}
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	if sameRaw {
		ev.Raw = b
		ev.Line += int64(skipped)
		ev.Offset += int64(skippedBytes)
	}
	line, rest := phpSlowNextLine(b)
	y, mo, d, h, mi, s, nsec, pool, pid, ok := phpSlowHeader(line)
	if !ok {
		return false
	}
	t, ok := p.clock.LocalTime(y, mo, d, h, mi, s, nsec)
	if !ok {
		return false
	}
	ev.Time, ev.Level, ev.Module, ev.PID = t, LevelWarn, str(pool), pid
	var top []byte
	failed := false
	for len(rest) > 0 {
		line, rest = phpSlowNextLine(rest)
		switch {
		case bytes.HasPrefix(line, []byte("script_filename = ")):
			ev.Path = str(trimSpace(line[18:]))
		case bytes.HasPrefix(line, []byte("[0x")):
			if top == nil {
				if rb := bytes.IndexByte(line, ']'); rb > 0 && rb+2 <= len(line) {
					top = trimSpace(line[rb+1:])
				}
			}
		case bytes.HasPrefix(line, []byte("+++ dump failed")):
			failed = true
		}
	}
	n := len("slow request") + len(top) + len(ev.Path) + 24
	msg := make([]byte, 0, n)
	msg = append(msg, "slow request"...)
	switch {
	case top != nil:
		msg = append(msg, ": "...)
		msg = append(msg, top...)
	case failed:
		msg = append(msg, ": trace failed"...)
	}
	if ev.Path != "" {
		msg = append(msg, " (script "...)
		msg = append(msg, ev.Path...)
		msg = append(msg, ')')
	}
	ev.Message = str(msg)
	return true
}

// phpSlowNextLine splits off the first line of b.
func phpSlowNextLine(b []byte) (line, rest []byte) {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		line, rest = b[:nl], b[nl+1:]
	} else {
		line = b
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}
