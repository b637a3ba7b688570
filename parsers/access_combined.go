package parsers

import (
	"bytes"
	"time"
)

// combinedParser reads the NCSA common/combined access line that both Nginx
// ("combined", "main") and Apache ("common", "combined", Debian's combined
// with %O, "vhost_combined") write, with the extras people append:
//
//	[$host ]$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//	    ["$http_referer" "$http_user_agent"] [extras…]
//
// ingress-nginx before 0.22 wrote "$remote_addr - [$proxy_add_x_forwarded_for]
// - $remote_user [$time_local] …": the bracketed list goes to Fields as
// x_forwarded_for.
//
// A leading fourth token is the virtual host (Nginx "$host", Apache
// "%v:%p"; the port is dropped). A leading address list ending in commas
// is Apache's "%{X-Forwarded-For}i %l %u" behind a proxy: its first
// address is the client, the list goes to Fields as x_forwarded_for. Extras are read by shape: quoted strings
// ("$http_x_forwarded_for", a host name, a quoted time or upstream),
// key=value pairs (rt=0.123 uct="0.000" urt="0.050" ua="10.0.0.5:9000"
// us="502"), bare times ($request_time first, the last further time is
// $upstream_response_time; "-" when no upstream), upstream addresses
// ("127.0.0.1:9000", "unix:/run/php/php8.2-fpm.sock", lists such as
// "10.0.0.1:80, 10.0.0.2:80 : 10.0.1.1:80") and upstream statuses ("502",
// "502, 504"). Lists written by Nginx with ", " and " : " are kept whole;
// times in a list are summed. A Unix time with fraction ($msec) is not
// taken for a duration.
//
// A lone bare integer after the user agent is ambiguous (Apache %D in
// microseconds, %T in seconds, %I/%O bytes, a PID, Nginx
// $request_length …). With apacheMicros set (the apache-access format) a
// single bare integer is read as %D, the time Apache's documentation and
// log analysers add for response times; with two or more bare integers,
// or in nginx-access, bare integers are ignored. Layouts these shapes do
// not cover need --log-format.
type combinedParser struct {
	stamp        timeStampCache
	apacheMicros bool
}

// timeStampCache remembers the last "[20/Nov/2026:14:02:11 +0100]" stamp.
type timeStampCache struct {
	raw    [32]byte
	n      int
	t      time.Time
	offset int32
}

// parseCLFTime parses "20/Nov/2026:14:02:11 +0100" (the brackets removed;
// a fraction after the seconds is accepted).
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
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || mo == 0 || d > accessMonthDays(y, mo) {
		return time.Time{}, 0, false
	}
	i := 20
	nsec := 0
	if i < len(b) && b[i] == '.' {
		nsec, i = fraction(b, i+1)
	}
	// the offset is always written ("+0100"); a stamp without one is not CLF
	if i >= len(b) || b[i] != ' ' {
		return time.Time{}, 0, false
	}
	offset, n, ok := parseOffset(b[i+1:])
	if !ok || i+1+n != len(b) || offset > 14*3600 || offset < -12*3600 {
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

// accessMonthDays is the number of days of month mo (1..12) in year y.
func accessMonthDays(y, mo int) int {
	switch mo {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

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

// ingressXFF reads the "[$proxy_add_x_forwarded_for]" of an old
// ingress-nginx line whose " [" is at b[lb:]: an address list (no '/', so
// not a time) followed by " - ". It returns the list and the index after
// its bracket.
func ingressXFF(b []byte, lb int) (xff []byte, rest int, ok bool) {
	s := lb + 2
	rb := bytes.IndexByte(b[s:min(len(b), s+256)], ']')
	if rb <= 0 || !bytes.HasPrefix(b[s+rb+1:], []byte(" - ")) {
		return nil, 0, false
	}
	x := b[s : s+rb]
	for _, c := range x {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == ',' || c == ' ') {
			return nil, 0, false
		}
	}
	return x, s + rb + 1, true
}

// Parse reads one combined/common line with its extras.
func (p *combinedParser) Parse(b []byte, ev *Event) bool {
	// head: "[host ]client ident user" before " ["
	lb := bytes.Index(b, []byte(" ["))
	if lb <= 0 {
		return false
	}
	var xff []byte
	if x, rest, ok := ingressXFF(b, lb); ok {
		// "client - [xff] - user [time] …": the client is the first token
		xff = x
		k := bytes.Index(b[rest:], []byte(" ["))
		if k < 0 || lb < 2 || string(b[lb-2:lb]) != " -" {
			return false
		}
		ev.Client = str(b[:lb-2])
		ev.Fields = append(ev.Fields, Field{"x_forwarded_for", str(xff)})
		lb = rest + k
	}
	head := b[:lb]
	var toks [8][]byte
	var starts [8]int
	n, list := 0, 0
	for i := 0; i < len(head); {
		if head[i] == ' ' {
			i++
			continue
		}
		if n == len(toks) {
			return false
		}
		tok, end := token(head, i)
		toks[n], starts[n] = tok, i
		if n == list && tok[len(tok)-1] == ',' {
			list++ // "203.0.113.5, 10.0.0.1 - - [": an X-Forwarded-For list first
		}
		n++
		i = end
	}
	switch {
	case xff != nil:
	case list > 0 && n == list+3:
		// Apache "%{X-Forwarded-For}i %l %u %t …": the first address is the client
		ev.Client = str(toks[0][:len(toks[0])-1])
		xff := head[starts[0] : starts[list]+len(toks[list])]
		ev.Fields = append(ev.Fields, Field{"x_forwarded_for", str(xff)})
	case list > 0:
		return false
	case n >= 3 && len(toks[1]) == 1 && toks[1][0] == '-':
		// client - user (a user name may hold spaces: "bob smith")
		ev.Client = str(toks[0])
	case n == 3: // client ident user (Apache %l from identd)
		ev.Client = str(toks[0])
	case n == 4: // vhost client ident user (Nginx "$host …", Apache vhost_combined "%v:%p …")
		ev.Host = str(accessStripPort(toks[0]))
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
	if i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\r' {
		return false // "200 512x" or a quote glued to the next token
	}
	return parseAccessExtras(b, i, ev, p.apacheMicros)
}

// accessStripPort drops a ":443" suffix from "www.example.com:443"; an IPv6
// address without brackets is left alone.
func accessStripPort(b []byte) []byte {
	c := bytes.LastIndexByte(b, ':')
	if c <= 0 || !isDigits(b[c+1:]) {
		return b
	}
	if b[0] == '[' {
		if b[c-1] == ']' {
			return b[1 : c-1]
		}
		return b
	}
	if bytes.IndexByte(b[:c], ':') >= 0 {
		return b // a bare IPv6 address
	}
	return b[:c]
}

// dash returns "" for "-" and the string otherwise.
func dash(b []byte) string {
	if len(b) == 1 && b[0] == '-' {
		return ""
	}
	return str(b)
}

// setRequest splits "GET /path HTTP/1.1" into the event. A request that is
// "-" (the client sent nothing: 400, 408) leaves the fields empty; garbage
// ("\x16\x03\x01…", a TLS handshake on a plain-HTTP port) becomes the Path.
func setRequest(ev *Event, req []byte) {
	sp := bytes.IndexByte(req, ' ')
	if sp <= 0 || sp > 24 || !accessMethodWord(req[:sp]) {
		ev.Path = dash(req)
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

// accessMethodWord reports a request method: letters, '-' and '_'
// (GET, PROPFIND, VERSION-CONTROL), not the start of binary garbage.
func accessMethodWord(b []byte) bool {
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// accessExtras is the state of parseAccessExtras.
type accessExtras struct {
	times   int    // bare or quoted durations seen
	ints    int    // bare integers seen
	intTok  []byte // the first bare integer
	explRT  bool   // rt=… given
	explURT bool   // urt=… given
	xff     bool   // x_forwarded_for stored
	apache  bool   // Apache layout: no upstream statuses, integers may be %D
}

// time records the n-th bare duration: the first is $request_time, any
// later one $upstream_response_time (so "rt uct uht urt" ends right).
func (x *accessExtras) time(ev *Event, tok []byte) {
	v := parseSeconds(tok)
	if x.times == 0 {
		if !x.explRT {
			ev.RequestTime = v
		}
	} else if !x.explURT {
		ev.UpstreamTime = v
	}
	x.times++
}

// parseAccessExtras reads what follows the standard fields, from b[i].
func parseAccessExtras(b []byte, i int, ev *Event, apacheMicros bool) bool {
	x := accessExtras{apache: apacheMicros}
	for i < len(b) {
		c := b[i]
		if c == ' ' || c == '\t' || c == '\r' {
			i++
			continue
		}
		if c == '"' {
			val, end, ok := quoted(b, i)
			if !ok {
				return false
			}
			i = end
			x.quotedExtra(ev, val)
			continue
		}
		tok, end := token(b, i)
		if eq := bytes.IndexByte(tok, '='); eq > 0 && tok[0] != '"' {
			key := tok[:eq]
			var val []byte
			if eq+1 < len(tok) && tok[eq+1] == '"' {
				v, e, ok := quoted(b, i+eq+1)
				if !ok {
					return false
				}
				val, end = v, e
			} else {
				end = accessListEnd(b, end)
				val = b[i+eq+1 : end]
			}
			x.keyValue(ev, key, val)
			i = end
			continue
		}
		end = accessListEnd(b, end)
		tok = b[i:end]
		i = end
		x.bareExtra(ev, tok)
	}
	if apacheMicros && x.ints == 1 && ev.RequestTime < 0 && x.times == 0 {
		if us, ok := atoi(x.intTok); ok {
			ev.RequestTime = float64(us) / 1e6
		}
	}
	return true
}

// accessListEnd extends a token that ends at b[end] over Nginx list separators:
// "a, b" and "a : b" (upstream addresses, statuses and times of every
// upstream tried).
func accessListEnd(b []byte, end int) int {
	for end+1 < len(b) && b[end] == ' ' {
		switch {
		case b[end-1] == ',' && b[end+1] != ' ' && b[end+1] != '"':
			_, end = token(b, end+1)
		case b[end+1] == ':' && end+3 < len(b) && b[end+2] == ' ' && b[end+3] != ' ' && b[end+3] != '"':
			_, end = token(b, end+3)
		default:
			return end
		}
	}
	return end
}

// bareExtra classifies an unquoted extra token (or list).
func (x *accessExtras) bareExtra(ev *Event, tok []byte) {
	shape := accessShape(tok)
	if shape == accShapeStatus && x.apache && isDigits(tok) {
		shape = accShapeInt // "412": %D microseconds, not an upstream status
	}
	switch shape {
	case accShapeTime:
		x.time(ev, tok)
	case accShapeStatus:
		ev.UpstreamStatus = str(tok)
	case accShapeAddr:
		ev.Upstream = str(tok)
	case accShapeInt:
		if x.ints == 0 {
			x.intTok = tok
		}
		x.ints++
	}
}

// quotedExtra classifies a quoted extra value.
func (x *accessExtras) quotedExtra(ev *Event, val []byte) {
	if len(val) == 0 || len(val) == 1 && val[0] == '-' {
		return
	}
	switch accessShape(val) {
	case accShapeTime:
		x.time(ev, val)
		return
	case accShapeAddr:
		if ev.Upstream == "" {
			ev.Upstream = str(val)
		}
		return
	case accShapeStatus:
		if ev.UpstreamStatus == "" {
			ev.UpstreamStatus = str(val)
		}
		return
	}
	if looksLikeHost(val) {
		if ev.Host == "" {
			ev.Host = str(val)
		}
		return
	}
	if !x.xff && accessIPList(val) {
		x.xff = true
		ev.Fields = append(ev.Fields, Field{"x_forwarded_for", str(val)})
	}
}

// Shapes of extra tokens.
const (
	accShapeOther = iota
	accShapeTime
	accShapeStatus
	accShapeAddr
	accShapeInt
)

// accessShape tells a duration ("0.123", "-", "0.101, 0.002 : 0.004"), an
// upstream status list ("502", "502, 504"), an address list
// ("10.0.0.5:9000", "unix:/run/php/php8.2-fpm.sock", "[::1]:8080, …") and
// a bare integer apart. A Unix time with fraction ($msec) is none of them.
func accessShape(tok []byte) int {
	if len(tok) == 1 && tok[0] == '-' {
		return accShapeTime
	}
	times, ints, statuses, addrs, dashes, elems := 0, 0, 0, 0, 0, 0
	for len(tok) > 0 {
		// one element up to ", " or " : "
		k := 0
		for k < len(tok) && tok[k] != ',' && tok[k] != ' ' {
			k++
		}
		e := tok[:k]
		tok = tok[k:]
		for len(tok) > 0 && (tok[0] == ',' || tok[0] == ' ' || tok[0] == ':' && len(tok) > 1 && tok[1] == ' ') {
			tok = tok[1:]
		}
		if len(e) == 0 {
			return accShapeOther // a ':' that is no list separator
		}
		elems++
		switch accessElemShape(e) {
		case accShapeTime:
			times++
		case accShapeInt:
			ints++
			if len(e) == 3 && e[0] >= '1' && e[0] <= '5' {
				statuses++
			}
		case accShapeAddr:
			addrs++
		case accShapeOther:
			if len(e) == 1 && e[0] == '-' {
				dashes++
				continue
			}
			return accShapeOther
		}
	}
	switch {
	case elems == 0:
		return accShapeOther
	case times > 0 && times+ints+dashes == elems:
		return accShapeTime
	case statuses > 0 && statuses+dashes == elems:
		return accShapeStatus
	case addrs > 0 && addrs+dashes == elems:
		return accShapeAddr
	case ints == 1 && elems == 1:
		return accShapeInt
	}
	return accShapeOther
}

// accessElemShape classifies one list element: "0.123" (a time; not a Unix time
// like "1763647331.123"), "200" (an integer), "10.0.0.1:80" (an address).
func accessElemShape(e []byte) int {
	dots, intLen := 0, 0
	for _, c := range e {
		switch {
		case c >= '0' && c <= '9':
			if dots == 0 {
				intLen++
			}
		case c == '.':
			dots++
		default:
			if accessAddr(e) {
				return accShapeAddr
			}
			return accShapeOther
		}
	}
	switch {
	case dots == 0 && intLen > 0:
		return accShapeInt
	case dots == 1 && intLen > 0 && intLen < 9 && len(e) > intLen+1:
		return accShapeTime
	}
	return accShapeOther
}

// isDigits reports a non-empty run of ASCII digits.
func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// accessAddr reports an upstream address: "10.0.0.5:9000",
// "[::1]:8080", "backend.internal:8080", "unix:/run/php/php8.2-fpm.sock".
// A bare IPv6 address (an X-Forwarded-For value) is not one.
func accessAddr(e []byte) bool {
	if bytes.HasPrefix(e, []byte("unix:")) {
		return len(e) > 5
	}
	c := bytes.LastIndexByte(e, ':')
	if c <= 0 || !isDigits(e[c+1:]) {
		return false
	}
	host := e[:c]
	if host[0] == '[' {
		return host[len(host)-1] == ']'
	}
	for _, ch := range host {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '-' || ch == '_') {
			return false
		}
	}
	return true
}

// accessIPList reports an X-Forwarded-For value: IPv4/IPv6 addresses
// separated by commas.
func accessIPList(b []byte) bool {
	digit := false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == ',' || c == ' ':
		default:
			return false
		}
	}
	return digit
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
		case c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_':
		default:
			return false
		}
	}
	return dot && letter
}

// keyValue maps key=value extras to event fields.
func (x *accessExtras) keyValue(ev *Event, key, val []byte) {
	switch string(key) {
	case "rt", "request_time", "reqtime", "rtime", "req_time", "response_time":
		ev.RequestTime = parseSeconds(val)
		x.explRT = true
	case "urt", "upstream_response_time", "upstream_time", "ut", "uptime", "upstream_rt", "ups_rt":
		ev.UpstreamTime = parseSeconds(val)
		x.explURT = true
	case "us", "ups", "upstream_status", "ustatus":
		ev.UpstreamStatus = dash(val)
	case "ua", "upstream", "upstream_addr", "uaddr", "u", "upstreamaddr":
		ev.Upstream = dash(val)
	case "host", "h", "vhost", "http_host":
		if v := dash(val); v != "" {
			ev.Host = v
		}
	case "server", "server_name", "sn":
		if ev.Host == "" {
			ev.Host = dash(val)
		}
	default: // uct, uht, cs, ul, and whatever else people log
		if len(val) == 0 || len(val) == 1 && val[0] == '-' {
			return
		}
		ev.Fields = append(ev.Fields, Field{str(key), str(val)})
	}
}
