package parsers

import (
	"bytes"
	"time"
)

// syslogFormat covers the system logs of a Linux web server, recognised per
// line:
//
//   - RFC 3164 / traditional files (/var/log/syslog, messages, kern.log,
//     daemon.log) and journalctl -o short / short-precise:
//     "Nov 20 14:02:10 web-01 systemd[1]: …", with an optional "<PRI>" as
//     sent over the network; year-less and zoneless (Clock.Year, Clock.LocalTime).
//   - rsyslog RSYSLOG_FileFormat (Debian 12+, Ubuntu 24.04) and journalctl
//     -o short-iso / short-iso-precise: "2026-11-20T14:02:10.123456+01:00 web-01 …".
//   - RFC 5424: "<165>1 2026-11-20T14:02:10.003Z web-01 app 1234 ID47 [sd …] msg".
//   - journalctl -o json, one object per line (MESSAGE, __REALTIME_TIMESTAMP,
//     PRIORITY, SYSLOG_IDENTIFIER, _PID, _HOSTNAME, _SYSTEMD_UNIT …).
//   - kernel lines: dmesg ("[12345.678901] …", "<6>[…] …" with -r),
//     dmesg -T ("[Fri Nov 20 14:02:10 2026] …"), dmesg --time-format iso,
//     and "kernel: [12345.678901] …" in kern.log (the uptime goes to the
//     "uptime" field, not the message).
//   - journalctl -o short-monotonic: "[  20.888224] host systemd[1]: …" (no
//     wall-clock time).
//   - BusyBox syslogd and OpenWrt's logread, which put the facility and
//     level where other daemons have nothing: "Nov 20 14:02:10 host
//     daemon.err uhttpd[2010]: …", "Thu Nov 20 14:02:10 2026 daemon.err
//     uhttpd[2010]: …" (logread; logread -t adds "[1795183330.123] ").
//   - journalctl's "-- Boot … --", "-- Logs begin at … --", "-- No entries --"
//     marker lines are entries of their own without time or level; the
//     "-- Subject: …" / "░░ …" explanation lines of journalctl -x belong to
//     the entry before them (kept in Raw, left out of Message).
//
// Program → Module, pid → PID, hostname → Host; the level comes only from a
// PRI or journald PRIORITY. Lines an application wrote as one multi-line
// message (Python tracebacks, PHP and Java stack traces), which syslog
// splits into one line per message line with the same "program[pid]: "
// prefix, are joined into one entry whose Message holds the lines without
// their prefixes.
var syslogFormat = &Format{
	ID:    FormatSyslog,
	Title: "syslog, journalctl and kernel",
	Examples: []string{
		`Nov 20 14:02:10 web-01 kernel: [1310061.327439] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1052716kB, anon-rss:612344kB, file-rss:0kB, shmem-rss:28716kB, UID:33 pgtables:1480kB oom_score_adj:0`,
		`Nov  2 14:02:10 web-01 systemd[1]: php8.2-fpm.service: Main process exited, code=killed, status=9/KILL`,
		`Nov 20 14:02:10 web-01 systemd[1]: php8.2-fpm.service: Failed with result 'oom-kill'.`,
		`Nov 20 14:05:01 web-01 CRON[28559]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`,
		`<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8`,
		`2026-11-20T14:02:10.123456+01:00 web-01 systemd[1]: php8.2-fpm.service: A process of this unit has been killed by the OOM killer.`,
		`2026-11-20T14:02:10+0100 web-01 kernel: php-fpm8.2 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`,
		`<165>1 2026-11-20T14:02:10.003Z web-01 myapp 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry`,
		`{"__REALTIME_TIMESTAMP":"1795179730123456","PRIORITY":"3","SYSLOG_IDENTIFIER":"kernel","_TRANSPORT":"kernel","_HOSTNAME":"web-01","MESSAGE":"Memory cgroup out of memory: Killed process 4321 (php-fpm8.2) total-vm:1052716kB, anon-rss:612344kB, file-rss:0kB, shmem-rss:28716kB, UID:33 pgtables:1480kB oom_score_adj:0"}`,
		`[1310061.327439] TCP: request_sock_TCP: Possible SYN flooding on port 80. Sending cookies.  Check SNMP counters.`,
		`[Fri Nov 20 14:02:10 2026] php-fpm8.2[27264]: segfault at 0 ip 0000558716d5bd2b sp 00007fff98d051f0 error 4 in libphp.so[7f84ac8f6000+70000]`,
		"Nov 20 14:02:10 web-01 gunicorn[812]: Traceback (most recent call last):\nNov 20 14:02:10 web-01 gunicorn[812]:   File \"/app/x.py\", line 3, in f\nNov 20 14:02:10 web-01 gunicorn[812]: ValueError: boom",
	},
	PathHints: []string{"syslog", "messages", "kern", "journal", "dmesg", "daemon.log"},
	New:       func(cfg Config) (Parser, error) { return &syslogParser{clock: cfg.Clock}, nil },
}

// Line layouts the syslog parser recognises.
const (
	syslogKind3164     = iota + 1 // "Nov 20 14:02:10[.frac] host tag: msg"
	syslogKindISO                 // "2026-11-20T14:02:10[.frac]+01:00 host tag: msg"
	syslogKind5424                // "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG"
	syslogKindDmesg               // "[12345.678901] msg"
	syslogKindDmesgT              // "[Fri Nov 20 14:02:10 2026] msg"
	syslogKindDmesgISO            // "2026-11-20T14:02:10,123456+01:00 msg"
	syslogKindLogread             // "Thu Nov 20 14:02:10 2026 daemon.err tag: msg" (OpenWrt)
)

// syslogHead is the parsed prefix of one syslog line; slices alias the line.
type syslogHead struct {
	kind int
	pri  int // -1 when the line has no <PRI>

	y, mo, d, h, mi, s, nsec int
	off                      int  // UTC offset in seconds, when zone
	zone                     bool // the stamp states its offset
	noTime                   bool // RFC 5424 NILVALUE time

	host, prog []byte
	pid        int
	procid     []byte // RFC 5424 PROCID that is not a number
	msgid, sd  []byte // RFC 5424 MSGID and STRUCTURED-DATA ("-" stripped)
	uptime     []byte // kernel "[12345.678901]" stamp, without brackets
	msg        int    // index of the message in the line
}

// syslogParser parses one input's syslog lines and joins multi-line
// messages. The Continues state describes the entry being built.
type syslogParser struct {
	clock *Clock

	// fields hands out Fields slices from shared chunks, so that a kernel
	// line's "uptime" field does not cost an allocation per line.
	fields fieldChunk

	// Continues state: the source of the entry being joined.
	prevOK   bool
	prevHost []byte
	prevProg []byte
	prevPID  int
	prevKern bool // kernel lines (indented continuation without a pid)
	tb       int  // Python traceback state (syslogTB…)
}

// Python traceback states of the entry being joined.
const (
	syslogTBNone = iota
	syslogTBIn   // inside "Traceback (most recent call last):" frames
	syslogTBDone // after the final "SomeError: …" line
)

// syslogLevels maps a syslog severity (PRI & 7) to a Level.
var syslogLevels = [8]Level{LevelEmerg, LevelAlert, LevelCrit, LevelError, LevelWarn, LevelNotice, LevelInfo, LevelDebug}

// syslogLevelWords are level words an application writes where a syslog line
// has its host name; a line with one there is an application log line.
var syslogLevelWords = map[string]bool{
	"TRACE": true, "DEBUG": true, "INFO": true, "NOTICE": true, "WARN": true, "WARNING": true,
	"ERROR": true, "ERR": true, "CRIT": true, "CRITICAL": true, "ALERT": true, "EMERG": true,
	"FATAL": true, "SEVERE": true, "PANIC": true,
}

func syslogIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// syslogPRI parses "<N>" at the start of b (N in 0..191).
func syslogPRI(b []byte) (pri, end int, ok bool) {
	if len(b) < 3 || b[0] != '<' {
		return 0, 0, false
	}
	i := 1
	for i < len(b) && i <= 4 && syslogIsDigit(b[i]) {
		pri = pri*10 + int(b[i]-'0')
		i++
	}
	if i == 1 || i > 4 || i >= len(b) || b[i] != '>' || pri > 191 {
		return 0, 0, false
	}
	return pri, i + 1, true
}

// syslogStamp3164 parses "Nov 20 14:02:10", "Nov  2 14:02:10", "Nov 02 …"
// with an optional ".123456" at b[i:] and returns the index after it.
func syslogStamp3164(b []byte, i int, h *syslogHead) (int, bool) {
	if len(b)-i < 14 || b[i+3] != ' ' {
		return 0, false
	}
	mo := month3(b, i)
	if mo == 0 || b[i]|0x20 == b[i] { // "Nov", not "nov"
		return 0, false
	}
	i += 4
	if b[i] == ' ' {
		i++
	}
	d0 := i
	d := 0
	for i < len(b) && i < d0+2 && syslogIsDigit(b[i]) {
		d = d*10 + int(b[i]-'0')
		i++
	}
	if i == d0 || d < 1 || d > 31 || i >= len(b) || b[i] != ' ' {
		return 0, false
	}
	i++
	if len(b)-i < 8 || b[i+2] != ':' || b[i+5] != ':' {
		return 0, false
	}
	hh, ok1 := digits2(b, i)
	mi, ok2 := digits2(b, i+3)
	ss, ok3 := digits2(b, i+6)
	if !(ok1 && ok2 && ok3) || hh > 23 || mi > 59 || ss > 60 {
		return 0, false
	}
	i += 8
	nsec := 0
	if i < len(b) && b[i] == '.' {
		var end int
		nsec, end = fraction(b, i+1)
		if end == i+1 || end-i-1 > 9 {
			return 0, false
		}
		i = end
	}
	h.mo, h.d, h.h, h.mi, h.s, h.nsec = mo, d, hh, mi, ss, nsec
	return i, true
}

// syslogStampISO parses an RFC 3339 stamp with 'T' at b[i:]: the date and
// time fields, a '.' (or, for dmesg, ',') fraction and the offset. comma is
// set when the fraction was written with a comma (dmesg --time-format iso).
func syslogStampISO(b []byte, i int, h *syslogHead) (end int, comma bool, ok bool) {
	r := b[i:]
	if len(r) < 20 || r[4] != '-' || r[7] != '-' || r[10] != 'T' || r[13] != ':' || r[16] != ':' {
		return 0, false, false
	}
	y, ok1 := digits4(r, 0)
	mo, ok2 := digits2(r, 5)
	d, ok3 := digits2(r, 8)
	hh, ok4 := digits2(r, 11)
	mi, ok5 := digits2(r, 14)
	ss, ok6 := digits2(r, 17)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || !validDate(y, mo, d, hh, mi, ss) {
		return 0, false, false
	}
	j := 19
	nsec, digits := 0, 0
	if j < len(r) && (r[j] == '.' || r[j] == ',') {
		comma = r[j] == ','
		var e int
		nsec, e = fraction(r, j+1)
		digits = e - j - 1
		if digits == 0 || digits > 9 || (digits > 6 && !comma) {
			// nanosecond stamps are docker/CRI wrappers, not syslog
			return 0, false, false
		}
		j = e
	}
	off, n, zok := parseOffset(r[j:])
	if !zok || off <= -24*3600 || off >= 24*3600 {
		return 0, false, false
	}
	h.y, h.mo, h.d, h.h, h.mi, h.s, h.nsec, h.off, h.zone = y, mo, d, hh, mi, ss, nsec, off, true
	return i + j + n, comma, true
}

// syslogUptime parses a kernel "[ 1234.567890]" stamp at b[i:] and returns
// the number inside and the index after ']'.
func syslogUptime(b []byte, i int) (num []byte, end int, ok bool) {
	if i >= len(b) || b[i] != '[' {
		return nil, 0, false
	}
	j := i + 1
	for j < len(b) && j-i <= 14 && b[j] == ' ' {
		j++
	}
	s := j
	for j < len(b) && j-s <= 12 && syslogIsDigit(b[j]) {
		j++
	}
	if j == s || j >= len(b) || b[j] != '.' {
		return nil, 0, false
	}
	j++
	f := j
	for j < len(b) && j-f <= 9 && syslogIsDigit(b[j]) {
		j++
	}
	if j == f || j >= len(b) || b[j] != ']' {
		return nil, 0, false
	}
	return b[s:j], j + 1, true
}

// syslogTag parses "prog[pid]: " or "prog: " at b[i:] and returns the index
// of the message after it.
func syslogTag(b []byte, i int, h *syslogHead) (int, bool) {
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != ':' && b[j] != '[' && j-i <= 128 {
		j++
	}
	if j == i || j-i > 128 || j >= len(b) || b[j] == ' ' {
		return 0, false
	}
	prog := b[i:j]
	pid := 0
	if b[j] == '[' {
		k := j + 1
		for k < len(b) && syslogIsDigit(b[k]) && k-j <= 10 {
			pid = pid*10 + int(b[k]-'0')
			k++
		}
		if k == j+1 || k >= len(b) || b[k] != ']' {
			return 0, false
		}
		j = k + 1
		if j >= len(b) || b[j] != ':' {
			return 0, false
		}
	}
	j++ // ':'
	if j < len(b) {
		if b[j] != ' ' {
			return 0, false
		}
		j++
	}
	h.prog, h.pid = prog, pid
	return j, true
}

// syslogHostOK rejects tokens that cannot be a host name: application log
// lines put a level word or a bracketed field where syslog has the host.
func syslogHostOK(tok []byte) bool {
	if len(tok) == 0 || len(tok) > 255 {
		return false
	}
	for _, c := range tok {
		switch c {
		case '[', ']', '{', '}', '(', ')', '=', '"', '\'', '<', '>', ',', ';', '|':
			return false
		}
		if c < 0x21 || c == 0x7f {
			return false
		}
	}
	if len(tok) >= 3 && len(tok) <= 8 && tok[0] >= 'A' && tok[0] <= 'Z' && tok[len(tok)-1] >= 'A' && tok[len(tok)-1] <= 'Z' {
		return !syslogLevelWords[string(tok)]
	}
	return true
}

// syslogHostAndTag reads "host tag: " (or "tag: " without a host, as
// journalctl --no-hostname writes) at b[i:]. Without a tag the message
// starts after the host; needTag rejects such lines.
func syslogHostAndTag(b []byte, i int, h *syslogHead, needTag bool) bool {
	if i >= len(b) {
		return false
	}
	// a tag right after the stamp: no host name (journalctl --no-hostname).
	// "error:" there is an application's level word (winston's
	// "2026-11-20T14:02:10.123Z error: …"), and RFC 3339 lines need a
	// "prog[pid]:" or "kernel:" tag to tell them from application lines.
	if m, ok := syslogTag(b, i, h); ok {
		if ParseLevel(str(h.prog)) != LevelUnknown || needTag && h.pid == 0 && string(h.prog) != "kernel" {
			return false
		}
		h.msg = m
		return true
	}
	j := i
	for j < len(b) && b[j] != ' ' {
		j++
	}
	if !syslogHostOK(b[i:j]) {
		return false
	}
	h.host = b[i:j]
	if j >= len(b) {
		if needTag {
			return false
		}
		h.msg = j
		return true
	}
	if m, ok := syslogTag(b, j+1, h); ok {
		h.msg = m
		return true
	}
	if needTag {
		return false
	}
	h.msg = j + 1
	return true
}

// syslogWeekday reports whether b[i:i+3] is an English weekday abbreviation.
func syslogWeekday(b []byte, i int) bool {
	if i+3 > len(b) {
		return false
	}
	switch string(b[i : i+3]) {
	case "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun":
		return true
	}
	return false
}

// syslogDmesgT parses dmesg -T's "[Fri Nov 20 14:02:10 2026]" at b[i:].
func syslogDmesgT(b []byte, i int, h *syslogHead) (int, bool) {
	r := b[i:]
	if len(r) < 26 || r[0] != '[' || !syslogWeekday(r, 1) || r[4] != ' ' {
		return 0, false
	}
	e, ok := syslogStamp3164(r, 5, h)
	if !ok || h.nsec != 0 || e >= len(r) || r[e] != ' ' || e+6 > len(r) || r[e+5] != ']' {
		return 0, false
	}
	y, ok := digits4(r, e+1)
	if !ok || y < 1970 {
		return 0, false
	}
	h.y = y
	return i + e + 6, true
}

// syslogApacheLevel reports whether msg starts like an Apache error-log
// line after its stamp ("[error]", "[proxy_fcgi:error]", "[:error]"), whose
// stamp looks like dmesg -T's.
func syslogApacheLevel(msg []byte) bool {
	if len(msg) < 3 || msg[0] != '[' {
		return false
	}
	end := bytes.IndexByte(msg[:min(len(msg), 48)], ']')
	if end < 0 {
		return false
	}
	in := msg[1:end]
	if c := bytes.LastIndexByte(in, ':'); c >= 0 {
		in = in[c+1:]
	}
	switch string(in) {
	case "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug":
		return true
	}
	return len(in) > 5 && string(in[:5]) == "trace"
}

// syslogParseHead parses the prefix of one line into h. It does not touch
// the clock, so that Continues can call it ahead of Parse.
func syslogParseHead(b []byte, h *syslogHead) bool {
	*h = syslogHead{pri: -1}
	i := 0
	if len(b) > 0 && b[0] == '<' {
		pri, n, ok := syslogPRI(b)
		if !ok {
			return false
		}
		h.pri, i = pri, n
		if n+1 < len(b) && b[n] >= '1' && b[n] <= '9' && b[n+1] == ' ' {
			return syslogParse5424(b, n+2, h)
		}
	}
	if i >= len(b) {
		return false
	}
	c := b[i]
	switch {
	case c == '[':
		if i+1 < len(b) && (b[i+1] == ' ' || syslogIsDigit(b[i+1])) {
			num, e, ok := syslogUptime(b, i)
			if !ok {
				return false
			}
			h.kind, h.uptime = syslogKindDmesg, num
			if e < len(b) && b[e] == ' ' {
				e++
			}
			h.msg = e
			// journalctl -o short-monotonic: "host prog[pid]: " or
			// "host kernel: " after the uptime
			var jh syslogHead
			if syslogHostAndTag(b, e, &jh, true) && jh.host != nil && (jh.pid != 0 || string(jh.prog) == "kernel") {
				h.host, h.prog, h.pid, h.msg = jh.host, jh.prog, jh.pid, jh.msg
				if string(h.prog) == "kernel" {
					h.uptime = nil // the journal's monotonic time, not the kernel's
				}
			}
			return true
		}
		e, ok := syslogDmesgT(b, i, h)
		if !ok {
			return false
		}
		if e < len(b) {
			if b[e] != ' ' {
				return false
			}
			e++
		}
		if syslogApacheLevel(b[e:]) {
			return false
		}
		h.kind, h.msg = syslogKindDmesgT, e
		return true
	case c >= 'A' && c <= 'Z':
		if syslogWeekday(b, i) {
			return syslogLogread(b, i, h)
		}
		e, ok := syslogStamp3164(b, i, h)
		if !ok || e >= len(b) || b[e] != ' ' {
			return false
		}
		h.kind = syslogKind3164
		if !syslogHostAndTag(b, e+1, h, false) {
			return false
		}
		if h.prog == nil && h.host != nil {
			// BusyBox syslogd: "host daemon.err prog[pid]: msg"
			if sev, e, ok := syslogFacLevel(b, h.msg); ok {
				if m, ok := syslogTag(b, e, h); ok {
					h.pri, h.msg = sev, m
				}
			}
		}
	case syslogIsDigit(c):
		e, comma, ok := syslogStampISO(b, i, h)
		if !ok || (e < len(b) && b[e] != ' ') {
			return false
		}
		if comma {
			h.kind = syslogKindDmesgISO
			h.msg = min(e+1, len(b))
			return true
		}
		if e >= len(b) {
			return false
		}
		h.kind = syslogKindISO
		if !syslogHostAndTag(b, e+1, h, true) {
			return false
		}
	default:
		return false
	}
	h.kernelUptime(b)
	return true
}

// kernelUptime moves a kernel line's "[12345.678901] " uptime stamp from
// the message into h.uptime.
func (h *syslogHead) kernelUptime(b []byte) {
	if string(h.prog) != "kernel" {
		return
	}
	if num, e, ok := syslogUptime(b, h.msg); ok {
		h.uptime = num
		if e < len(b) && b[e] == ' ' {
			e++
		}
		h.msg = e
	}
}

// syslogLogread parses OpenWrt's logread lines at b[i:]:
// "Thu Nov 20 14:02:10 2026 [1795183330.123] daemon.err uhttpd[2010]: msg"
// (the bracketed Unix time only with logread -t; no host name).
func syslogLogread(b []byte, i int, h *syslogHead) bool {
	if i+4 >= len(b) || b[i+3] != ' ' {
		return false
	}
	e, ok := syslogStamp3164(b, i+4, h)
	if !ok || e+6 > len(b) || b[e] != ' ' || b[e+5] != ' ' {
		return false
	}
	y, ok := digits4(b, e+1)
	if !ok || y < 1970 {
		return false
	}
	h.y, h.kind = y, syslogKindLogread
	e += 6
	if e < len(b) && b[e] == '[' {
		rb := bytes.IndexByte(b[e:], ']')
		if rb < 2 || rb > 24 || e+rb+1 >= len(b) || b[e+rb+1] != ' ' {
			return false
		}
		e += rb + 2
	}
	sev, e, ok := syslogFacLevel(b, e)
	if !ok {
		return false
	}
	h.pri = sev
	m, ok := syslogTag(b, e, h)
	if !ok {
		return false
	}
	h.msg = m
	h.kernelUptime(b)
	return true
}

// syslogFacLevel reads a "facility.level " token ("daemon.err",
// "kern.warn", "local0.info") at b[i:] and returns the severity (0…7) and
// the index after the space.
func syslogFacLevel(b []byte, i int) (sev, end int, ok bool) {
	j := i
	for j < len(b) && b[j] != ' ' && j-i <= 16 {
		j++
	}
	if j >= len(b) || b[j] != ' ' {
		return 0, 0, false
	}
	fac, lvl, found := bytes.Cut(b[i:j], []byte{'.'})
	if !found {
		return 0, 0, false
	}
	switch string(fac) {
	case "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
		"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7":
	default:
		return 0, 0, false
	}
	switch string(lvl) {
	case "emerg", "panic":
		sev = 0
	case "alert":
		sev = 1
	case "crit":
		sev = 2
	case "err", "error":
		sev = 3
	case "warn", "warning":
		sev = 4
	case "notice":
		sev = 5
	case "info":
		sev = 6
	case "debug":
		sev = 7
	default:
		return 0, 0, false
	}
	return sev, j + 1, true
}

// syslogToken reads one space-terminated RFC 5424 header field at b[i:];
// "-" gives nil.
func syslogToken(b []byte, i int) (tok []byte, next int, ok bool) {
	j := i
	for j < len(b) && b[j] != ' ' {
		j++
	}
	if j == i || j >= len(b) {
		return nil, 0, false
	}
	if j == i+1 && b[i] == '-' {
		return nil, j + 1, true
	}
	return b[i:j], j + 1, true
}

// syslogParse5424 parses the RFC 5424 header after "<PRI>1 ".
func syslogParse5424(b []byte, i int, h *syslogHead) bool {
	h.kind = syslogKind5424
	if i >= len(b) {
		return false
	}
	if b[i] == '-' {
		h.noTime = true
		i++
	} else {
		e, comma, ok := syslogStampISO(b, i, h)
		if !ok || comma {
			return false
		}
		i = e
	}
	if i >= len(b) || b[i] != ' ' {
		return false
	}
	i++
	var ok bool
	if h.host, i, ok = syslogToken(b, i); !ok {
		return false
	}
	if h.host != nil && !syslogHostOK(h.host) {
		return false
	}
	if h.prog, i, ok = syslogToken(b, i); !ok {
		return false
	}
	var procid []byte
	if procid, i, ok = syslogToken(b, i); !ok {
		return false
	}
	if n, isNum := atoi(procid); isNum && n < 1<<31 {
		h.pid = n
	} else {
		h.procid = procid
	}
	if h.msgid, i, ok = syslogToken(b, i); !ok {
		return false
	}
	// STRUCTURED-DATA: "-" or one or more [id param="value" …]
	switch {
	case i < len(b) && b[i] == '-':
		i++
	case i < len(b) && b[i] == '[':
		s := i
		for i < len(b) && b[i] == '[' {
			e, ok := syslogSDElement(b, i, nil)
			if !ok {
				return false
			}
			i = e
		}
		h.sd = b[s:i]
	default:
		return false
	}
	if i < len(b) {
		if b[i] != ' ' {
			return false
		}
		i++
	}
	if len(b)-i >= 3 && b[i] == 0xEF && b[i+1] == 0xBB && b[i+2] == 0xBF {
		i += 3 // BOM before an UTF-8 MSG
	}
	h.msg = i
	return true
}

// syslogSDElement parses one "[SD-ID name="value" …]" at b[i:] and returns
// the index after it. add, when not nil, receives every parameter.
func syslogSDElement(b []byte, i int, add func(name, value []byte)) (int, bool) {
	i++ // '['
	s := i
	for i < len(b) && b[i] != ' ' && b[i] != ']' && b[i] != '=' && b[i] != '"' {
		i++
	}
	if i == s || i >= len(b) || b[i] == '=' || b[i] == '"' {
		return 0, false
	}
	for i < len(b) && b[i] == ' ' {
		i++
		n := i
		for i < len(b) && b[i] != '=' && b[i] != ' ' && b[i] != ']' && b[i] != '"' {
			i++
		}
		if i == n || i+1 >= len(b) || b[i] != '=' || b[i+1] != '"' {
			return 0, false
		}
		name := b[n:i]
		i += 2
		v := i
		for i < len(b) && b[i] != '"' {
			if b[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(b) {
			return 0, false
		}
		if add != nil {
			add(name, b[v:i])
		}
		i++ // closing quote
	}
	if i >= len(b) || b[i] != ']' {
		return 0, false
	}
	return i + 1, true
}

// syslogUnescapeSD undoes the \" \\ \] escapes of an SD-PARAM value.
func syslogUnescapeSD(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 {
		return str(v)
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) && (v[i+1] == '"' || v[i+1] == '\\' || v[i+1] == ']') {
			i++
		}
		out = append(out, v[i])
	}
	return string(out)
}

// syslogMarker reports whether line is one of journalctl's own lines
// "-- Boot 0d5d… --", "-- Reboot --", "-- No entries --", "-- Logs begin at
// … --", "-- Journal begins at … --", and returns its text.
func syslogMarker(line []byte) ([]byte, bool) {
	line = trimSpace(line)
	if len(line) < 8 || string(line[:3]) != "-- " || string(line[len(line)-3:]) != " --" {
		return nil, false
	}
	in := line[3 : len(line)-3]
	for _, p := range [...]string{"Boot ", "Reboot", "No entries", "Logs begin at ", "Journal begins at ", "Logs end at "} {
		if bytes.HasPrefix(in, []byte(p)) {
			return in, true
		}
	}
	return nil, false
}

// syslogCatalog reports whether line is an explanation line journalctl -x
// prints under an entry: "-- Subject: …", "-- " and "--" (systemd < 246) or
// "░░ …" (systemd ≥ 246).
func syslogCatalog(line []byte) bool {
	if bytes.HasPrefix(line, []byte("░░")) {
		return true
	}
	if len(line) >= 2 && line[0] == '-' && line[1] == '-' && (len(line) == 2 || line[2] == ' ') {
		_, marker := syslogMarker(line)
		return !marker
	}
	return false
}

// Parse implements Parser.
func (p *syslogParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	first := b
	nl := bytes.IndexByte(b, '\n')
	if nl >= 0 {
		first = b[:nl]
	}
	if j := syslogJSONStart(first); j >= 0 {
		if nl >= 0 {
			return false
		}
		return p.parseJSON(b[j:], ev)
	}
	if in, ok := syslogMarker(first); ok {
		if nl >= 0 {
			return false
		}
		ev.Message = str(in)
		return true
	}
	var h syslogHead
	if !syslogParseHead(first, &h) {
		return false
	}
	switch h.kind {
	case syslogKind3164:
		y := p.clock.Year(h.mo, h.d)
		t, ok := p.clock.LocalTime(y, h.mo, h.d, h.h, h.mi, h.s, h.nsec)
		if !ok {
			return false
		}
		ev.Time = t
	case syslogKindDmesgT, syslogKindLogread:
		t, ok := p.clock.LocalTime(h.y, h.mo, h.d, h.h, h.mi, h.s, h.nsec)
		if !ok {
			return false
		}
		ev.Time = t
	case syslogKindISO, syslogKindDmesgISO, syslogKind5424:
		if !h.noTime {
			t, ok := FixedTime(h.y, h.mo, h.d, h.h, h.mi, h.s, h.nsec, h.off)
			if !ok {
				return false
			}
			ev.Time, ev.TimeKnownZone, ev.ZoneOffset = t, true, int32(h.off)
		}
	}
	if h.pri >= 0 {
		ev.Level = syslogLevels[h.pri&7]
	}
	ev.Host = str(h.host)
	ev.Module = str(h.prog)
	ev.PID = h.pid
	if (h.kind == syslogKindDmesg && h.prog == nil) || h.kind == syslogKindDmesgT || h.kind == syslogKindDmesgISO {
		ev.Module = "kernel"
	}
	if nl < 0 {
		ev.Message = str(first[h.msg:])
	} else {
		ev.Message = p.joinMessages(first[h.msg:], b[nl+1:])
	}
	var fs [16]Field
	n := 0
	if h.uptime != nil {
		fs[n] = Field{"uptime", str(h.uptime)}
		n++
	}
	if h.kind == syslogKind5424 {
		if h.procid != nil {
			fs[n] = Field{"procid", str(h.procid)}
			n++
		}
		if h.msgid != nil {
			fs[n] = Field{"msgid", str(h.msgid)}
			n++
		}
		for i := 0; i < len(h.sd) && h.sd[i] == '['; {
			e, _ := syslogSDElement(h.sd, i, func(name, value []byte) {
				if n < len(fs) {
					fs[n] = Field{str(name), syslogUnescapeSD(value)}
					n++
				}
			})
			if e <= i {
				break
			}
			i = e
		}
	}
	if n > 0 {
		ev.Fields = p.fields.put(fs[:n])
	}
	return true
}

// joinMessages builds the Message of a joined entry: the first line's
// message and, for every further line, its message without the repeated
// "stamp host prog[pid]: " prefix (journalctl -x explanation lines are left
// out).
func (p *syslogParser) joinMessages(first, rest []byte) string {
	out := make([]byte, 0, len(first)+len(rest))
	out = append(out, first...)
	var h syslogHead
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if syslogCatalog(line) {
			continue
		}
		out = append(out, '\n')
		if syslogParseHead(line, &h) {
			out = append(out, line[h.msg:]...)
		} else {
			out = append(out, line...)
		}
	}
	return string(out)
}

// Continues implements Joiner: a line continues the entry before it when it
// comes from the same host, program and pid and its message is clearly the
// next line of a multi-line message (an indented line, a traceback or stack
// trace line), or when it is a journalctl -x explanation line.
func (p *syslogParser) Continues(line []byte) bool {
	if syslogCatalog(line) {
		return p.prevOK
	}
	var h syslogHead
	if syslogJSONStart(line) >= 0 || !syslogParseHead(line, &h) {
		p.prevOK, p.tb = false, syslogTBNone
		return false
	}
	msg := line[h.msg:]
	kern := h.kind == syslogKindDmesg || h.kind == syslogKindDmesgT || h.kind == syslogKindDmesgISO ||
		string(h.prog) == "kernel"
	if p.prevOK && kern == p.prevKern && h.pid == p.prevPID && bytes.Equal(h.host, p.prevHost) &&
		bytes.Equal(h.prog, p.prevProg) && p.continuation(msg, h.pid > 0 || kern) {
		return true
	}
	p.prevOK, p.prevKern, p.prevPID = true, kern, h.pid
	p.prevHost = append(p.prevHost[:0], h.host...)
	p.prevProg = append(p.prevProg[:0], h.prog...)
	p.tb = syslogTBNone
	if bytes.HasPrefix(msg, []byte("Traceback (most recent call last):")) {
		p.tb = syslogTBIn
	}
	return false
}

// syslogContinuationPrefixes start lines that only occur inside a stack
// trace or traceback.
var syslogContinuationPrefixes = [...]string{
	"Traceback (most recent call last):",
	"During handling of the above exception",
	"The above exception was the direct cause",
	`File "`,
	"Caused by: ",
	"Stack trace:",
	"thrown in ",
	"Suppressed: ",
}

// continuation reports whether msg continues the entry being joined and
// advances the traceback state. indentOK allows indented lines (only for
// lines with a pid or kernel lines: sudo's "  alice : TTY=…" lines are
// indented but independent).
func (p *syslogParser) continuation(msg []byte, indentOK bool) bool {
	if len(msg) == 0 || (len(msg) == 1 && msg[0] == ' ') {
		// a blank line of a multi-line message (between chained tracebacks)
		return p.tb != syslogTBNone || indentOK
	}
	if msg[0] == ' ' || msg[0] == '\t' || bytes.HasPrefix(msg, []byte("#011")) {
		return indentOK
	}
	for i, pre := range syslogContinuationPrefixes {
		if bytes.HasPrefix(msg, []byte(pre)) {
			switch i {
			case 0:
				p.tb = syslogTBIn
			case 1, 2:
				p.tb = syslogTBDone
			}
			return true
		}
	}
	if syslogPHPFrame(msg) || syslogJavaFrame(msg) || syslogJavaException(msg) {
		return true
	}
	if p.tb == syslogTBIn && syslogPythonException(msg) {
		p.tb = syslogTBDone
		return true
	}
	return false
}

// syslogPHPFrame matches "#0 /var/www/x.php(12): f()" and "#1 {main}".
func syslogPHPFrame(m []byte) bool {
	if len(m) < 3 || m[0] != '#' {
		return false
	}
	i := 1
	for i < len(m) && i <= 4 && syslogIsDigit(m[i]) {
		i++
	}
	return i > 1 && i < len(m) && m[i] == ' '
}

// syslogJavaFrame matches "at com.example.Foo.bar(Foo.java:12)" and Node's
// "at Object.<anonymous> (/app/x.js:1:1)" written without indentation.
func syslogJavaFrame(m []byte) bool {
	if len(m) < 6 || string(m[:3]) != "at " || m[3] == ' ' {
		return false
	}
	m = trimSpace(m)
	if m[len(m)-1] == ')' {
		return bytes.IndexByte(m, '(') > 0
	}
	c := bytes.LastIndexByte(m, ':')
	return c > 0 && c+1 < len(m) && syslogIsDigit(m[c+1])
}

// syslogIdentEnd returns the end of a dotted identifier at the start of m
// ("django.db.utils.OperationalError") and the number of dots in it.
func syslogIdentEnd(m []byte) (end, dots int) {
	for end < len(m) {
		c := m[end]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '$':
		case c >= '0' && c <= '9' && end > 0 && m[end-1] != '.':
		case c == '.' && end > 0 && m[end-1] != '.':
			dots++
		default:
			return end, dots
		}
		end++
	}
	return end, dots
}

// syslogPythonException matches the last line of a Python traceback:
// "ValueError: boom", "KeyError", "psycopg2.OperationalError: …".
func syslogPythonException(m []byte) bool {
	end, _ := syslogIdentEnd(m)
	if end == 0 || m[end-1] == '.' {
		return false
	}
	// the class name (after the last dot) is CamelCase: "ValueError"
	if c := m[bytes.LastIndexByte(m[:end], '.')+1]; c < 'A' || c > 'Z' {
		return false
	}
	return end == len(m) || (m[end] == ':' && (end+1 == len(m) || m[end+1] == ' '))
}

// syslogJavaException matches a Java exception line that a stack trace
// starts with: "java.lang.IllegalStateException: …" (a package-qualified
// class name ending in Exception or Error).
func syslogJavaException(m []byte) bool {
	end, dots := syslogIdentEnd(m)
	if dots < 2 {
		return false
	}
	name := m[:end]
	if !(bytes.HasSuffix(name, []byte("Exception")) || bytes.HasSuffix(name, []byte("Error"))) {
		return false
	}
	return end == len(m) || (m[end] == ':' && (end+1 == len(m) || m[end+1] == ' '))
}

// syslogJSONStart returns the index of the '{' of a journalctl JSON line
// (json and json-seq output), or -1.
func syslogJSONStart(b []byte) int {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == 0x1e) {
		i++
	}
	if i < len(b) && b[i] == '{' {
		return i
	}
	return -1
}

// parseJSON reads one journalctl -o json object with a small scanner; it
// rejects JSON without __REALTIME_TIMESTAMP and MESSAGE (application JSON).
func (p *syslogParser) parseJSON(b []byte, ev *Event) bool {
	var s syslogJSON
	s.b = b
	s.i = 1
	var usec int64 = -1
	haveMsg := false
	var unit, comm, sysPID, trans []byte
	for {
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		if s.b[s.i] == '}' {
			s.i++
			break
		}
		if s.b[s.i] == ',' {
			s.i++
			s.ws()
		}
		key, _, ok := s.str()
		if !ok {
			return false
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch string(key) {
		case "MESSAGE":
			m, ok := s.message()
			if !ok {
				return false
			}
			ev.Message, haveMsg = m, true
		case "__REALTIME_TIMESTAMP":
			v, ok := s.scalar()
			if !ok {
				return false
			}
			n, isNum := atoi(v)
			if !isNum {
				return false
			}
			usec = int64(n)
		case "PRIORITY", "SYSLOG_IDENTIFIER", "_PID", "SYSLOG_PID", "_HOSTNAME", "_SYSTEMD_UNIT", "_COMM", "_TRANSPORT":
			v, ok := s.scalar()
			if !ok {
				return false
			}
			switch string(key) {
			case "PRIORITY":
				if len(v) == 1 && v[0] >= '0' && v[0] <= '7' {
					ev.Level = syslogLevels[v[0]-'0']
				}
			case "SYSLOG_IDENTIFIER":
				ev.Module = str(v)
			case "_PID":
				if n, ok := atoi(v); ok && n < 1<<31 {
					ev.PID = n
				}
			case "SYSLOG_PID":
				sysPID = v
			case "_HOSTNAME":
				ev.Host = str(v)
			case "_SYSTEMD_UNIT":
				unit = v
			case "_COMM":
				comm = v
			case "_TRANSPORT":
				trans = v
			}
		default:
			if !s.skip(0) {
				return false
			}
		}
		s.ws()
		if s.i < len(s.b) && s.b[s.i] != ',' && s.b[s.i] != '}' {
			return false
		}
	}
	s.ws()
	if s.i != len(s.b) || usec < 0 || !haveMsg {
		return false
	}
	ev.Time = time.Unix(usec/1e6, usec%1e6*1000).UTC()
	ev.TimeKnownZone, ev.TimeEpoch = true, true
	if ev.Module == "" {
		if string(trans) == "kernel" {
			ev.Module = "kernel"
		} else {
			ev.Module = str(comm)
		}
	}
	if ev.PID == 0 {
		if n, ok := atoi(sysPID); ok && n < 1<<31 {
			ev.PID = n
		}
	}
	if unit != nil {
		var fs [1]Field
		fs[0] = Field{"unit", str(unit)}
		ev.Fields = p.fields.put(fs[:])
	}
	return true
}

// syslogJSON is a minimal scanner over one JSON object.
type syslogJSON struct {
	b []byte
	i int
}

func (s *syslogJSON) ws() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\r') {
		s.i++
	}
}

// str reads a JSON string and returns its raw contents (escapes kept) and
// whether it contains escapes.
func (s *syslogJSON) str() (raw []byte, esc bool, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false, false
	}
	j := s.i + 1
	for j < len(s.b) && s.b[j] != '"' {
		if s.b[j] == '\\' {
			esc = true
			j++
		}
		j++
	}
	if j >= len(s.b) {
		return nil, false, false
	}
	raw = s.b[s.i+1 : j]
	s.i = j + 1
	return raw, esc, true
}

// scalar reads a string (without escapes) or a bare number.
func (s *syslogJSON) scalar() ([]byte, bool) {
	if s.b[s.i] == '"' {
		raw, esc, ok := s.str()
		if !ok || esc {
			return nil, false
		}
		return raw, true
	}
	j := s.i
	for j < len(s.b) && syslogIsDigit(s.b[j]) {
		j++
	}
	if j == s.i {
		return nil, false
	}
	v := s.b[s.i:j]
	s.i = j
	return v, true
}

// message reads MESSAGE: a string, an array of byte values (journalctl's
// form for non-UTF-8 or non-printable text) or null.
func (s *syslogJSON) message() (string, bool) {
	switch s.b[s.i] {
	case '"':
		raw, esc, ok := s.str()
		if !ok {
			return "", false
		}
		if !esc {
			return str(raw), true
		}
		return syslogJSONUnescape(raw), true
	case 'n':
		if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
			s.i += 4
			return "", true
		}
		return "", false
	case '[':
		s.i++
		var out []byte
		for {
			s.ws()
			if s.i >= len(s.b) {
				return "", false
			}
			if s.b[s.i] == ']' {
				s.i++
				break
			}
			if s.b[s.i] == ',' {
				s.i++
				s.ws()
			}
			j := s.i
			n := 0
			for j < len(s.b) && syslogIsDigit(s.b[j]) && j-s.i < 3 {
				n = n*10 + int(s.b[j]-'0')
				j++
			}
			if j == s.i || n > 255 {
				return "", false
			}
			s.i = j
			out = append(out, byte(n))
		}
		for len(out) > 0 && (out[len(out)-1] == '\r' || out[len(out)-1] == '\n') {
			out = out[:len(out)-1]
		}
		return string(bytes.ToValidUTF8(out, []byte("\uFFFD"))), true
	}
	return "", false
}

// skip skips one JSON value of any kind.
func (s *syslogJSON) skip(depth int) bool {
	if s.i >= len(s.b) || depth > 32 {
		return false
	}
	switch c := s.b[s.i]; c {
	case '"':
		_, _, ok := s.str()
		return ok
	case '[', '{':
		closer := byte(']')
		if c == '{' {
			closer = '}'
		}
		s.i++
		for {
			s.ws()
			if s.i >= len(s.b) {
				return false
			}
			if s.b[s.i] == closer {
				s.i++
				return true
			}
			if s.b[s.i] == ',' {
				s.i++
				s.ws()
			}
			if c == '{' {
				if _, _, ok := s.str(); !ok {
					return false
				}
				s.ws()
				if s.i >= len(s.b) || s.b[s.i] != ':' {
					return false
				}
				s.i++
				s.ws()
			}
			if !s.skip(depth + 1) {
				return false
			}
		}
	default:
		j := s.i
		for j < len(s.b) && (syslogIsDigit(s.b[j]) || (s.b[j] >= 'a' && s.b[j] <= 'z') || s.b[j] == '-' || s.b[j] == '+' || s.b[j] == '.' || s.b[j] == 'E') {
			j++
		}
		if j == s.i {
			return false
		}
		s.i = j
		return true
	}
}

// syslogJSONUnescape decodes the escapes of a JSON string.
func syslogJSONUnescape(raw []byte) string {
	return string(appendJSONUnescaped(make([]byte, 0, len(raw)), raw))
}
