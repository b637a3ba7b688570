package parsers

import (
	"time"
)

// Wrapper ids: prefixes that container runtimes, process managers and
// journald put around the lines an application wrote.
const (
	WrapCompose  = "docker-compose" // "web_1  | " (v1) and "web-1  | " (v2)
	WrapDockerTS = "docker-ts"      // "2026-11-20T14:02:10.123456789Z " (docker logs -t, kubectl logs --timestamps)
	WrapCRI      = "cri"            // "2026-11-20T14:02:10.123456789Z stdout F " (Kubernetes node logs)
	WrapPM2      = "pm2"            // "0|app      | "
	WrapJournald = "journald"       // "Nov 20 14:02:10 host unit[pid]: " around an application's own lines
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
	// partial marks a CRI "P" line: its text continues on the next line.
	partial bool
}

// wrapper strips its prefix from a line; ok is false when the line does
// not carry the prefix.
type wrapper struct {
	id    string
	strip func(line []byte, clock *Clock, info *wrapInfo) (inner []byte, ok bool)
}

// wrappers in the order detection tries them.
var wrappers = []*wrapper{
	{WrapCRI, stripCRI},
	{WrapCompose, stripCompose},
	{WrapPM2, stripPM2},
	{WrapDockerTS, stripDockerTS},
	{WrapJournald, stripJournald},
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

func stripDockerTS(line []byte, _ *Clock, info *wrapInfo) ([]byte, bool) {
	t, _, end, ok := parseRFC3339(line)
	if !ok || line[10] != 'T' || end >= len(line) || line[end] != ' ' {
		return nil, false
	}
	info.time, info.timeKnownZone = t, true
	return line[end+1:], true
}

func stripCRI(line []byte, _ *Clock, info *wrapInfo) ([]byte, bool) {
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
	info.time, info.timeKnownZone = t, true
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
	return line[i:], true
}
