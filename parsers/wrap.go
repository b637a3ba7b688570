package parsers

import (
	"bytes"
	"time"
)

// Wrapper ids: prefixes that container runtimes, process managers and
// journald put around the lines an application wrote.
const (
	WrapCompose    = "docker-compose" // "web_1  | " (v1) and "web-1  | " (v2)
	WrapDockerTS   = "docker-ts"      // "2026-11-20T14:02:10.123456789Z " (docker logs -t, kubectl logs --timestamps)
	WrapDockerJSON = "docker-json"    // {"log":"…\n","stream":"stderr","time":"…"} (Docker's json-file driver)
	WrapCRI        = "cri"            // "2026-11-20T14:02:10.123456789Z stdout F " (Kubernetes node logs)
	WrapPM2        = "pm2"            // "0|app      | "
	WrapKubectl    = "kubectl-prefix" // "[pod/web-7d4b9/app] " (kubectl logs --prefix) and "[web-7d4b9 app] "
	WrapHeroku     = "heroku"         // "2026-11-20T14:02:10.123456+00:00 app[web.1]: " (heroku logs)
	WrapJournald   = "journald"       // "Nov 20 14:02:10 host unit[pid]: " around an application's own lines
)

// wrapInfo is what a wrapper knew about a line besides its inner text.
type wrapInfo struct {
	// key separates interleaved streams (a compose service, a pm2 app, a
	// journald unit and pid); each key is joined and parsed on its own.
	key []byte
	// detectKey groups keys for format detection (journald: the unit
	// without its pid, so that restarts share one detected format).
	detectKey []byte
	// time is the wrapper's timestamp, used when the inner line has none.
	time          time.Time
	timeKnownZone bool
	// partial marks a CRI "P" line or a Docker json-file chunk without its
	// newline: its text continues on the next line of the same stream.
	partial bool
	// whole is the line with its prefix, for wrappers whose prefix a
	// format reads itself (journald: syslog; heroku: app-logfmt). A key
	// whose own lines no format understands is read whole, in wholeFormat.
	whole       []byte
	wholeFormat string
}

// wrapper strips its prefix from a line; ok is false when the line does
// not carry the prefix. A blank line carries no prefix and is no entry: it
// is let through as it is.
type wrapper struct {
	id    string
	strip func(line []byte, clock *Clock, info *wrapInfo) (inner []byte, ok bool)
	// whole, when set, is the format that reads the lines with their
	// prefix; a key takes an inner format only where one understands the
	// key's own lines nearly completely (wholeInnerMin).
	whole *Format
}

// wholeInnerMin is the share of a key's lines an inner format must
// understand to be preferred over the wrapper's whole-line format.
const wholeInnerMin = 0.9

// wrappers in the order detection tries them.
var wrappers = []*wrapper{
	{WrapCRI, blankOr(stripCRI), nil},
	{WrapDockerJSON, blankOr(stripDockerJSON), nil},
	{WrapCompose, blankOr(stripCompose), nil},
	{WrapPM2, blankOr(stripPM2), nil},
	{WrapKubectl, blankOr(stripKubectl), nil},
	{WrapHeroku, blankOr(stripHeroku), appLogfmtFormat},
	{WrapDockerTS, blankOr(stripDockerTS), nil},
	{WrapJournald, blankOr(stripJournald), syslogFormat},
}

// blankOr lets blank lines through a wrapper: they belong to no stream and
// are skipped by framing rather than counted as lines without the prefix.
func blankOr(strip func([]byte, *Clock, *wrapInfo) ([]byte, bool)) func([]byte, *Clock, *wrapInfo) ([]byte, bool) {
	return func(line []byte, clock *Clock, info *wrapInfo) ([]byte, bool) {
		if len(trimSpace(line)) == 0 {
			return line, true
		}
		return strip(line, clock, info)
	}
}

func lookupWrapper(id string) *wrapper {
	for _, w := range wrappers {
		if w.id == id {
			return w
		}
	}
	return nil
}

// parseRFC3339 parses "2026-11-20T14:02:10[.frac](Z|±hh:mm|±hhmm)" at the
// start of b and returns the time, its offset and the index after it.
func parseRFC3339(b []byte) (t time.Time, offset int, end int, ok bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, 0, 0, false
	}
	y, ok1 := digits4(b, 0)
	mo, ok2 := digits2(b, 5)
	d, ok3 := digits2(b, 8)
	h, ok4 := digits2(b, 11)
	mi, ok5 := digits2(b, 14)
	s, ok6 := digits2(b, 17)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, 0, 0, false
	}
	i := 19
	nsec := 0
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		nsec, i = fraction(b, i+1)
	}
	offset, n, zok := parseOffset(b[i:])
	if !zok {
		return time.Time{}, 0, 0, false
	}
	t, ok = FixedTime(y, mo, d, h, mi, s, nsec, offset)
	return t, offset, i + n, ok
}

// parseOffset parses "Z", "+01:00", "+0100" or "-05" at the start of b and
// returns seconds east of UTC and the bytes used.
func parseOffset(b []byte) (offset, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] == 'Z' || b[0] == 'z' {
		return 0, 1, true
	}
	if b[0] != '+' && b[0] != '-' {
		return 0, 0, false
	}
	h, okh := digits2(b, 1)
	if !okh {
		return 0, 0, false
	}
	n = 3
	m := 0
	if len(b) > 3 && b[3] == ':' {
		if mm, okm := digits2(b, 4); okm {
			m, n = mm, 6
		}
	} else if mm, okm := digits2(b, 3); okm {
		m, n = mm, 5
	}
	offset = h*3600 + m*60
	if b[0] == '-' {
		offset = -offset
	}
	return offset, n, true
}

func stripDockerTS(line []byte, clock *Clock, info *wrapInfo) ([]byte, bool) {
	t, _, end, ok := parseRFC3339(line)
	if !ok || line[10] != 'T' || end >= len(line) || line[end] != ' ' {
		return nil, false
	}
	info.time, info.timeKnownZone, clock.yearHint = t, true, t
	return line[end+1:], true
}

func stripCRI(line []byte, clock *Clock, info *wrapInfo) ([]byte, bool) {
	t, _, end, ok := parseRFC3339(line)
	if !ok || end >= len(line) || line[end] != ' ' {
		return nil, false
	}
	rest := line[end+1:]
	var stream int
	switch {
	case len(rest) >= 7 && string(rest[:7]) == "stdout ":
		stream = 7
	case len(rest) >= 7 && string(rest[:7]) == "stderr ":
		stream = 7
	default:
		return nil, false
	}
	rest = rest[stream:]
	if len(rest) < 1 || (rest[0] != 'F' && rest[0] != 'P') || (len(rest) > 1 && rest[1] != ' ') {
		return nil, false
	}
	info.partial = rest[0] == 'P'
	info.time, info.timeKnownZone, clock.yearHint = t, true, t
	if len(rest) == 1 {
		return rest[1:], true
	}
	return rest[2:], true
}

// isNameByte reports bytes allowed in compose service and pm2 app names.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
}

func stripCompose(line []byte, _ *Clock, info *wrapInfo) ([]byte, bool) {
	i := 0
	for i < len(line) && isNameByte(line[i]) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ' ' {
		return nil, false
	}
	name := line[:i]
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if i >= len(line) || line[i] != '|' {
		return nil, false
	}
	i++
	if i < len(line) && line[i] == ' ' {
		i++
	}
	info.key, info.detectKey = name, name
	return line[i:], true
}

func stripPM2(line []byte, _ *Clock, info *wrapInfo) ([]byte, bool) {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != '|' {
		return nil, false
	}
	j := i + 1
	for j < len(line) && line[j] != '|' && line[j] != ' ' {
		j++
	}
	if j == i+1 {
		return nil, false
	}
	name := line[:j]
	for j < len(line) && line[j] == ' ' {
		j++
	}
	if j >= len(line) || line[j] != '|' {
		return nil, false
	}
	j++
	if j < len(line) && line[j] == ' ' {
		j++
	}
	info.key, info.detectKey = name, name
	return line[j:], true
}

// stripJournald removes a syslog/journalctl "short" or "short-iso" prefix:
// "Nov 20 14:02:10 host unit[pid]: " or "2026-11-20T14:02:10+0100 host unit[pid]: ".
func stripJournald(line []byte, clock *Clock, info *wrapInfo) ([]byte, bool) {
	var t time.Time
	var known bool
	i := 0
	if mo := month3(line, 0); mo > 0 && len(line) > 16 && line[3] == ' ' {
		// "Nov 20 14:02:10" or "Nov  2 14:02:10"
		d := 0
		switch {
		case line[4] == ' ' && line[5] >= '1' && line[5] <= '9':
			d = int(line[5] - '0')
		default:
			dd, ok := digits2(line, 4)
			if !ok {
				return nil, false
			}
			d = dd
		}
		if line[6] != ' ' || line[9] != ':' || line[12] != ':' {
			return nil, false
		}
		h, ok1 := digits2(line, 7)
		mi, ok2 := digits2(line, 10)
		s, ok3 := digits2(line, 13)
		if !(ok1 && ok2 && ok3) {
			return nil, false
		}
		i = 15
		nsec := 0
		if i < len(line) && line[i] == '.' {
			nsec, i = fraction(line, i+1)
		}
		var ok bool
		if t, ok = clock.LocalTime(clock.Year(mo, d), mo, d, h, mi, s, nsec); !ok {
			return nil, false
		}
	} else {
		tt, _, end, ok := parseRFC3339(line)
		if !ok {
			return nil, false
		}
		t, known, i = tt, true, end
		clock.yearHint = tt
	}
	if i >= len(line) || line[i] != ' ' {
		return nil, false
	}
	i++
	// host
	for i < len(line) && line[i] != ' ' {
		i++
	}
	i++
	start := i
	for i < len(line) && line[i] != ':' && line[i] != ' ' && line[i] != '[' {
		i++
	}
	if i == start || i >= len(line) {
		return nil, false
	}
	unit := line[start:i]
	if line[i] == '[' {
		for i < len(line) && line[i] != ']' {
			i++
		}
		i++
	}
	if i >= len(line) || line[i] != ':' {
		return nil, false
	}
	info.key, info.detectKey = line[start:i], unit
	info.time, info.timeKnownZone = t, known
	i++
	if i < len(line) && line[i] == ' ' {
		i++
	}
	// rsyslog writes a carriage return the application left at the end of
	// its line (Docker's syslog driver does) as "#015"
	if n := len(line); n-i >= 4 && string(line[n-4:]) == "#015" {
		line = line[:n-4]
	}
	info.whole, info.wholeFormat = line, FormatSyslog
	return line[i:], true
}

// stripHeroku removes the "2026-11-20T14:02:10.123456+00:00 app[web.1]: "
// prefix of `heroku logs` (and log drains): the time, the source (app,
// heroku) and the dyno. Lines of one dyno are joined together; lines of one
// source and process type ("app[web", every web dyno) share a format.
func stripHeroku(line []byte, clock *Clock, info *wrapInfo) ([]byte, bool) {
	t, _, end, ok := parseRFC3339(line)
	if !ok || line[10] != 'T' || end >= len(line) || line[end] != ' ' {
		return nil, false
	}
	start := end + 1
	i := start
	for i < len(line) && (line[i] >= 'a' && line[i] <= 'z' || line[i] >= '0' && line[i] <= '9' || line[i] == '-' && i > start) {
		i++
	}
	if i == start || i >= len(line) || line[i] != '[' {
		return nil, false
	}
	typeEnd := 0
	j := i + 1
	for j < len(line) && line[j] != ']' {
		c := line[j]
		if !isNameByte(c) {
			return nil, false
		}
		if c == '.' && typeEnd == 0 {
			typeEnd = j
		}
		j++
	}
	if j == i+1 || j+1 >= len(line) || line[j+1] != ':' {
		return nil, false
	}
	if typeEnd == 0 {
		typeEnd = j
	}
	info.key, info.detectKey = line[start:j+1], line[start:typeEnd]
	info.time, info.timeKnownZone, clock.yearHint = t, true, t
	info.whole, info.wholeFormat = line, FormatAppLogfmt
	j += 2
	if j < len(line) && line[j] == ' ' {
		j++
	}
	return line[j:], true
}

// stripKubectl removes the "[pod/web-7d4b9c-x2x/app] " prefix of
// `kubectl logs --prefix`, or the "[web-7d4b9c-x2x app] " of tools that
// tail several pods; lines of one container share a format.
func stripKubectl(line []byte, _ *Clock, info *wrapInfo) ([]byte, bool) {
	if len(line) < 4 || line[0] != '[' {
		return nil, false
	}
	end := 1
	for end < len(line) && line[end] != ']' && end < 256 {
		end++
	}
	if end >= len(line) || line[end] != ']' || end+1 >= len(line) || line[end+1] != ' ' {
		return nil, false
	}
	name := line[1:end]
	var pod, container []byte
	if rest, ok := bytes.CutPrefix(name, []byte("pod/")); ok {
		k := bytes.IndexByte(rest, '/')
		if k <= 0 {
			return nil, false
		}
		pod, container = rest[:k], rest[k+1:]
	} else {
		k := bytes.IndexByte(name, ' ')
		if k <= 0 {
			return nil, false
		}
		pod, container = name[:k], name[k+1:]
	}
	if !kubeName(pod) || !kubeName(container) {
		return nil, false
	}
	info.key, info.detectKey = name, container
	return line[end+2:], true
}

// kubeName reports a Kubernetes object name: lower-case letters, digits,
// '-' and '.', with at least one letter (so that "[2026-11-20 14:02:10]"
// is none).
func kubeName(b []byte) bool {
	letter := false
	for _, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			letter = true
		case c >= '0' && c <= '9' || c == '-' || c == '.':
		default:
			return false
		}
	}
	return letter && len(b) <= 253
}

// stripDockerJSON reads a line of Docker's json-file driver,
// {"log":"…\n","stream":"stderr","time":"…"} (plus "attrs" when labels are
// logged): the "log" string, JSON-unescaped, is the inner line; a chunk
// without its trailing newline (Docker splits lines over 16 KiB) continues
// on the next line of the same stream. Lines are keyed by stream, so that
// stdout (an access log) and stderr (an error log) each get their format.
func stripDockerJSON(line []byte, clock *Clock, info *wrapInfo) ([]byte, bool) {
	i := ajSkipWS(line, 0)
	if i >= len(line) || line[i] != '{' {
		return nil, false
	}
	var logv, stream, ts []byte
	var esc, haveLog bool
	i = ajSkipWS(line, i+1)
	for i < len(line) && line[i] != '}' {
		key, _, end, ok := ajString(line, i)
		if !ok {
			return nil, false
		}
		i = ajSkipWS(line, end)
		if i >= len(line) || line[i] != ':' {
			return nil, false
		}
		i = ajSkipWS(line, i+1)
		if i >= len(line) {
			return nil, false
		}
		switch line[i] {
		case '"':
			v, e, end, ok := ajString(line, i)
			if !ok {
				return nil, false
			}
			switch string(key) {
			case "log":
				logv, esc, haveLog = v, e, true
			case "stream":
				stream = v
			case "time":
				ts = v
			}
			i = end
		case '{', '[':
			end, ok := ajSkipArray(line, i)
			if !ok {
				return nil, false
			}
			i = end
		default:
			for i < len(line) && line[i] != ',' && line[i] != '}' {
				i++
			}
		}
		i = ajSkipWS(line, i)
		if i < len(line) && line[i] == ',' {
			i = ajSkipWS(line, i+1)
		}
	}
	if !haveLog || i >= len(line) || len(ts) == 0 {
		return nil, false
	}
	t, _, end, ok := parseRFC3339(ts)
	if !ok || end != len(ts) {
		return nil, false
	}
	inner := logv
	if esc {
		clock.wrapBuf = appendJSONUnescaped(clock.wrapBuf[:0], logv)
		inner = clock.wrapBuf
	}
	if n := len(inner); n > 0 && inner[n-1] == '\n' {
		inner = inner[:n-1]
		if n := len(inner); n > 0 && inner[n-1] == '\r' {
			inner = inner[:n-1]
		}
	} else {
		info.partial = true
	}
	info.key, info.detectKey = stream, stream
	info.time, info.timeKnownZone, clock.yearHint = t, true, t
	return inner, true
}
