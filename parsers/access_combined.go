package parsers

import (
	"bytes"
	"time"
)

// combinedParser reads the NCSA common/combined access line that both Nginx
// ("combined", "main") and Apache ("common", "combined", "vhost_combined")
// write, with the extras people append:
//
//	[$host ]$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//	    ["$http_referer" "$http_user_agent"] [extras…]
//
// Extras are read by shape: quoted strings ("$http_x_forwarded_for", a
// host), key=value pairs (rt=0.123 urt="0.050" ua="10.0.0.5:9000"
// us="502"), bare times ($request_time then $upstream_response_time, "-"
// when no upstream), an upstream address ("127.0.0.1:9000",
// "unix:/run/php/php8.2-fpm.sock") and an upstream status. A layout these
// shapes do not cover needs --log-format.
type combinedParser struct {
	stamp timeStampCache
}

// timeStampCache remembers the last "[20/Nov/2026:14:02:11 +0100]" stamp.
type timeStampCache struct {
	raw    [32]byte
	n      int
	t      time.Time
	offset int32
}

// parseCLFTime parses "20/Nov/2026:14:02:11 +0100" (the brackets removed).
func (c *timeStampCache) parseCLFTime(b []byte) (time.Time, int32, bool) {
	if c.n == len(b) && c.n > 0 && string(c.raw[:c.n]) == string(b) {
		return c.t, c.offset, true
	}
	// dd/Mon/yyyy:hh:mm:ss[.frac] ±hhmm
	if len(b) < 20 || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[14] != ':' || b[17] != ':' {
		return time.Time{}, 0, false
	}
	d, ok1 := digits2(b, 0)
	mo := month3(b, 3)
	y, ok2 := digits4(b, 7)
	h, ok3 := digits2(b, 12)
	mi, ok4 := digits2(b, 15)
	s, ok5 := digits2(b, 18)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || mo == 0 {
		return time.Time{}, 0, false
	}
	i := 20
	nsec := 0
	if i < len(b) && b[i] == '.' {
		nsec, i = fraction(b, i+1)
	}
	offset := 0
	if i < len(b) && b[i] == ' ' {
		off, n, ok := parseOffset(b[i+1:])
		if !ok || i+1+n != len(b) {
			return time.Time{}, 0, false
		}
		offset = off
	} else if i != len(b) {
		return time.Time{}, 0, false
	}
	t, ok := FixedTime(y, mo, d, h, mi, s, nsec, offset)
	if !ok {
		return time.Time{}, 0, false
	}
	if len(b) <= len(c.raw) && nsec == 0 {
		c.n = copy(c.raw[:], b)
		c.t, c.offset = t, int32(offset)
	}
	return t, int32(offset), true
}

func newCombinedParser(Config) (Parser, error) { return &combinedParser{}, nil }

// quoted returns the content of a double-quoted string starting at b[i]
// (which must be '"') and the index after the closing quote. Backslash
// escapes (Apache writes \" and \\) are skipped over, not decoded.
func quoted(b []byte, i int) (val []byte, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return nil, i, false
		}
		j += k
		// count the backslashes before the quote
		bs := 0
		for m := j - 1; m > i && b[m] == '\\'; m-- {
			bs++
		}
		if bs%2 == 0 {
			return b[i+1 : j], j + 1, true
		}
		j++
	}
}

// token returns the bytes up to the next space from b[i].
func token(b []byte, i int) (tok []byte, end int) {
	j := bytes.IndexByte(b[i:], ' ')
	if j < 0 {
		return b[i:], len(b)
	}
	return b[i : i+j], i + j
}

func (p *combinedParser) Parse(b []byte, ev *Event) bool {
	// head: "[host ]client ident user" before " ["
	lb := bytes.Index(b, []byte(" ["))
	if lb <= 0 {
		return false
	}
	head := b[:lb]
	var toks [5][]byte
	n := 0
	for i := 0; i < len(head) && n < len(toks); {
		if head[i] == ' ' {
			i++
			continue
		}
		tok, end := token(head, i)
		toks[n] = tok
		n++
		i = end
	}
	switch n {
	case 3: // client ident user
		ev.Client = str(toks[0])
	case 4: // vhost client ident user (Apache vhost_combined: host:port)
		ev.Host = str(toks[0])
		ev.Client = str(toks[1])
	default:
		return false
	}
	rb := bytes.IndexByte(b[lb+2:], ']')
	if rb < 0 {
		return false
	}
	t, off, ok := p.stamp.parseCLFTime(b[lb+2 : lb+2+rb])
	if !ok {
		return false
	}
	ev.Time, ev.TimeKnownZone, ev.ZoneOffset = t, true, off
	i := lb + 2 + rb + 1
	if i+1 >= len(b) || b[i] != ' ' {
		return false
	}
	req, end, ok := quoted(b, i+1)
	if !ok {
		return false
	}
	setRequest(ev, req)
	i = end
	// status and bytes
	if i >= len(b) || b[i] != ' ' {
		return false
	}
	tok, end := token(b, i+1)
	status, ok := atoi(tok)
	if !ok || status < 100 || status > 999 {
		return false
	}
	ev.Status = status
	ev.Level = LevelFromStatus(status)
	i = end
	if i < len(b) {
		tok, end = token(b, i+1)
		if nb, ok := atoi(tok); ok {
			ev.Bytes = int64(nb)
		} else if !(len(tok) == 1 && tok[0] == '-') {
			return false
		}
		i = end
	}
	ev.RequestTime, ev.UpstreamTime = -1, -1
	// referer and user agent
	if i+1 < len(b) && b[i+1] == '"' {
		ref, end, ok := quoted(b, i+1)
		if !ok {
			return false
		}
		ev.Referer = dash(ref)
		i = end
		if i+1 < len(b) && b[i+1] == '"' {
			ua, end, ok := quoted(b, i+1)
			if !ok {
				return false
			}
			ev.UserAgent = dash(ua)
			i = end
		}
	}
	return parseAccessExtras(b, i, ev)
}

// dash returns "" for "-" and the string otherwise.
func dash(b []byte) string {
	if len(b) == 1 && b[0] == '-' {
		return ""
	}
	return str(b)
}

// setRequest splits "GET /path HTTP/1.1" into the event.
func setRequest(ev *Event, req []byte) {
	sp := bytes.IndexByte(req, ' ')
	if sp <= 0 {
		ev.Path = dash(req) // "-" or a garbage request ("\x16\x03\x01…")
		return
	}
	ev.Method = str(req[:sp])
	rest := req[sp+1:]
	if sp2 := bytes.LastIndexByte(rest, ' '); sp2 >= 0 && bytes.HasPrefix(rest[sp2+1:], []byte("HTTP/")) {
		ev.Protocol = str(rest[sp2+1:])
		rest = rest[:sp2]
	}
	ev.Path = str(rest)
}

// parseAccessExtras reads what follows the standard fields, from b[i].
func parseAccessExtras(b []byte, i int, ev *Event) bool {
	bare := 0 // bare time-like tokens seen
	for i < len(b) {
		if b[i] == ' ' || b[i] == '\t' {
			i++
			continue
		}
		if b[i] == '"' {
			val, end, ok := quoted(b, i)
			if !ok {
				return false
			}
			i = end
			if len(val) > 0 && !(len(val) == 1 && val[0] == '-') {
				if looksLikeHost(val) && ev.Host == "" {
					ev.Host = str(val)
				} else {
					ev.Fields = append(ev.Fields, Field{"x_forwarded_for", str(val)})
				}
			}
			continue
		}
		tok, end := token(b, i)
		if eq := bytes.IndexByte(tok, '='); eq > 0 {
			key := tok[:eq]
			var val []byte
			if eq+1 < len(tok) && tok[eq+1] == '"' {
				v, e, ok := quoted(b, i+eq+1)
				if !ok {
					return false
				}
				val, end = v, e
			} else {
				val = tok[eq+1:]
			}
			setAccessKV(ev, key, val)
			i = end
			continue
		}
		i = end
		switch {
		case isTimeToken(tok):
			if bare == 0 {
				ev.RequestTime = parseSeconds(tok)
			} else if bare == 1 {
				ev.UpstreamTime = parseSeconds(tok)
			}
			bare++
		case len(tok) == 3 && tok[0] >= '1' && tok[0] <= '5' && isDigits(tok):
			ev.UpstreamStatus = str(tok)
		case bytes.HasPrefix(tok, []byte("unix:")) || looksLikeAddr(tok):
			ev.Upstream = str(tok)
		}
	}
	return true
}

// isTimeToken reports "0.123", "12", "-" and lists such as "0.1,0.2".
func isTimeToken(tok []byte) bool {
	if len(tok) == 1 && tok[0] == '-' {
		return true
	}
	dot := false
	for _, c := range tok {
		switch {
		case c >= '0' && c <= '9':
		case c == '.':
			dot = true
		case c == ',' || c == ':' || c == '-':
		default:
			return false
		}
	}
	return dot
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// looksLikeAddr reports "10.0.0.5:9000", "[::1]:8080" and lists of them.
func looksLikeAddr(tok []byte) bool {
	c := bytes.LastIndexByte(tok, ':')
	if c <= 0 || c == len(tok)-1 {
		return false
	}
	port := tok[c+1:]
	if k := bytes.IndexByte(port, ','); k >= 0 {
		port = port[:k]
	}
	return isDigits(port)
}

// looksLikeHost reports a DNS name such as "shop.example.com" (letters, a
// dot, no spaces or commas).
func looksLikeHost(b []byte) bool {
	dot, letter := false, false
	for _, c := range b {
		switch {
		case c == '.':
			dot = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9' || c == '-' || c == ':':
		default:
			return false
		}
	}
	return dot && letter
}

// setAccessKV maps key=value extras to event fields.
func setAccessKV(ev *Event, key, val []byte) {
	switch string(key) {
	case "rt", "request_time", "reqtime", "rtime":
		ev.RequestTime = parseSeconds(val)
	case "urt", "upstream_response_time", "upstream_time", "ut", "uptime", "upstream_rt":
		ev.UpstreamTime = parseSeconds(val)
	case "us", "ups", "upstream_status", "ustatus":
		ev.UpstreamStatus = dash(val)
	case "ua", "upstream", "upstream_addr", "uaddr", "u":
		ev.Upstream = dash(val)
	case "host", "h", "vhost", "server", "server_name":
		ev.Host = dash(val)
	default: // uct, uht, cs, and whatever else people log

		ev.Fields = append(ev.Fields, Field{str(key), str(val)})
	}
}
