package parsers

import (
	"bytes"
	"strings"
	"time"
	"unsafe"
)

// appJSONFormat is one JSON object per line, as the structured loggers of
// the common runtimes write it: pino and Bunyan (numeric levels, epoch-ms or
// ISO time, "err":{type,message,stack}), winston, zap (epoch-seconds or ISO
// "ts", "caller", "error", "stacktrace"), logrus, slog, Monolog (level 100…600,
// "context":{"exception":{…}}), structlog ("event"), Logstash/ECS
// ("@timestamp", "log.level" flat or nested, "error.stack_trace"), Serilog
// compact ("@t", "@l", "@mt", "@m", "@x"), python-json-logger ("asctime",
// "levelname", "exc_info"), logstash-logback-encoder ("logger_name",
// "stack_trace"), GCP ("severity", "httpRequest") and Docker's json-file
// driver ("log", "stream", "time").
//
// The human message goes to Message, followed by the error text and stack
// (one per line) so that rules see "ECONNREFUSED" or "SQLSTATE" wherever a
// logger put it. Keys that correlate (status, method, path, host, pid,
// logger, durations with a clear unit, client address, user agent) fill the
// Event fields; other scalar keys (nested ones flattened with dots, at most
// appJSONMaxFields) go to Fields. An object with none of the time, level or
// message keys (a manifest, a config dump) is not an entry of this format.
var appJSONFormat = &Format{
	ID:    FormatAppJSON,
	Title: "application JSON lines (pino, winston, zap, logrus, slog, Monolog, structlog, ECS, Serilog, Bunyan …)",
	Examples: []string{
		`{"level":50,"time":1795183330123,"pid":812,"hostname":"web-01","msg":"connect ECONNREFUSED 127.0.0.1:5432","err":{"type":"Error","message":"connect ECONNREFUSED 127.0.0.1:5432","stack":"Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)","errno":-111,"code":"ECONNREFUSED","syscall":"connect","address":"127.0.0.1","port":5432}}`,
		`{"level":"error","message":"Request failed: connect ECONNREFUSED 10.0.0.5:6379","timestamp":"2026-11-20T14:02:10.123Z"}`,
		`{"level":"error","ts":1795183330.123456,"caller":"store/db.go:88","msg":"query failed","error":"dial tcp 10.0.0.5:5432: connect: connection refused","stacktrace":"main.(*store).query\n\t/app/store/db.go:88\nmain.main\n\t/app/main.go:42"}`,
		`{"level":"error","msg":"db query failed","error":"pq: sorry, too many clients already","time":"2026-11-20T14:02:10+01:00"}`,
		`{"time":"2026-11-20T14:02:10.123456789+01:00","level":"ERROR","msg":"request failed","method":"GET","path":"/checkout","status":500,"err":"context deadline exceeded"}`,
		`{"message":"SQLSTATE[HY000] [2002] Connection refused","context":{"exception":{"class":"PDOException","message":"SQLSTATE[HY000] [2002] Connection refused","code":2002,"file":"/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70"}},"level":400,"level_name":"ERROR","channel":"production","datetime":"2026-11-20T14:02:10.123456+00:00","extra":{}}`,
		`{"event":"payment provider timeout","level":"error","timestamp":"2026-11-20T14:02:10.123456Z","logger":"shop.checkout"}`,
		`{"@timestamp":"2026-11-20T14:02:10.123Z","log.level":"error","message":"Exception during pool initialization.","ecs.version":"1.6.0","service.name":"orders","process.pid":1234,"log.logger":"com.zaxxer.hikari.pool.HikariPool","error.type":"java.sql.SQLTransientConnectionException","error.message":"HikariPool-1 - Connection is not available, request timed out after 30000ms.","error.stack_trace":"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)"}`,
		`{"@t":"2026-11-20T14:02:10.1234567Z","@mt":"Failed to open connection to {Host}","@l":"Error","@x":"Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.0.5:5432\n ---> System.Net.Sockets.SocketException (111): Connection refused","Host":"10.0.0.5","SourceContext":"Shop.Data.Db"}`,
		`{"asctime":"2026-11-20 14:02:10,123","levelname":"ERROR","name":"django.request","message":"Internal Server Error: /checkout","exc_info":"Traceback (most recent call last):\n  File \"/app/views.py\", line 12, in checkout\n    order.save()\npsycopg2.OperationalError: could not connect to server: Connection refused"}`,
		`{"@timestamp":"2026-11-20T14:02:10.123+01:00","@version":"1","message":"Servlet.service() for servlet [dispatcherServlet] threw exception","logger_name":"org.apache.catalina.core.ContainerBase","thread_name":"http-nio-8080-exec-1","level":"ERROR","level_value":40000,"stack_trace":"java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)"}`,
		`{"severity":"ERROR","message":"upstream request timeout","time":"2026-11-20T14:02:10.123Z","httpRequest":{"requestMethod":"GET","requestUrl":"/api/cart","status":504,"latency":"30.001s"}}`,
	},
	Generic: true,
	New:     func(cfg Config) (Parser, error) { return &appJSONParser{clock: cfg.Clock}, nil },
}

// appJSONMaxFields bounds the extra keys kept per entry; appJSONMaxDepth is
// how deep nested objects are flattened (deeper values are kept as raw JSON).
const (
	appJSONMaxFields = 24
	appJSONMaxDepth  = 4
)

// appArena hands out immutable bytes and Field slices from large blocks, so
// that decoded strings, joined messages and Fields cost no allocation per
// entry. Like the decoder's arena, memory handed out is never written again.
type appArena struct {
	buf    []byte
	fields fieldChunk
}

// grow makes room for n more bytes.
func (a *appArena) grow(n int) {
	if cap(a.buf)-len(a.buf) >= n {
		return
	}
	size := 64 << 10
	if n > size/4 {
		size = n
	}
	a.buf = make([]byte, 0, size)
}

// concat returns the parts joined with sep as an immutable string.
func (a *appArena) concat(sep string, parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + len(sep)
	}
	a.grow(n)
	start := len(a.buf)
	for i, p := range parts {
		if i > 0 {
			a.buf = append(a.buf, sep...)
		}
		a.buf = append(a.buf, p...)
	}
	return str(a.buf[start:len(a.buf):len(a.buf)])
}

// putFields copies fs into the arena and returns the copy.
func (a *appArena) putFields(fs []Field) []Field { return a.fields.put(fs) }

// jsonUnescape decodes the content of a JSON string with escapes into the
// arena. The decoded text is never longer than its escaped form, so it fits
// the room grow made.
func (a *appArena) jsonUnescape(b []byte) string {
	a.grow(len(b))
	start := len(a.buf)
	a.buf = appendJSONUnescaped(a.buf, b)
	return str(a.buf[start:len(a.buf):len(a.buf)])
}

// appStamp holds the fields of a wall-clock timestamp.
type appStamp struct {
	y, mo, d, h, mi, s, nsec int
	off                      int  // seconds east of UTC, when zone is set
	zone                     bool // the stamp stated its offset or UTC
}

// appParseISO parses "YYYY-MM-DD[T ]HH:MM:SS[.,frac][zone]" at the start of
// b (the date may use '/' separators). zone is "Z", "±hh[:mm]", "±hhmm",
// " ±hhmm", " UTC" or " GMT"; it is optional. It returns the index after
// the stamp.
func appParseISO(b []byte, st *appStamp) (end int, ok bool) {
	if len(b) < 19 || (b[4] != '-' && b[4] != '/') || b[7] != b[4] || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	var o [6]bool
	st.y, o[0] = digits4(b, 0)
	st.mo, o[1] = digits2(b, 5)
	st.d, o[2] = digits2(b, 8)
	st.h, o[3] = digits2(b, 11)
	st.mi, o[4] = digits2(b, 14)
	st.s, o[5] = digits2(b, 17)
	if !(o[0] && o[1] && o[2] && o[3] && o[4] && o[5]) {
		return 0, false
	}
	if !validDate(st.y, st.mo, st.d, st.h, st.mi, st.s) {
		return 0, false
	}
	i := 19
	st.nsec, st.off, st.zone = 0, 0, false
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		j := i + 1
		st.nsec, j = fraction(b, j)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(b) {
		switch c := b[i]; {
		case c == 'Z' || c == 'z' || c == '+' || c == '-':
			if off, n, ok := parseOffset(b[i:]); ok && n >= 3 {
				st.off, st.zone = off, true
				i += n
			} else if c == 'Z' || c == 'z' {
				st.zone = true
				i++
			}
		case c == ' ' && i+1 < len(b):
			if c1 := b[i+1]; c1 == '+' || c1 == '-' {
				if off, n, ok := parseOffset(b[i+1:]); ok && n >= 5 {
					st.off, st.zone = off, true
					i += 1 + n
				}
			} else if i+4 <= len(b) && (string(b[i+1:i+4]) == "UTC" || string(b[i+1:i+4]) == "GMT") && (i+4 == len(b) || !isAlnum(b[i+4])) {
				st.zone = true
				i += 4
			}
		}
	}
	return i, true
}

// isAlnum reports ASCII letters and digits.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// appSetTime stores a parsed stamp in ev: through FixedTime when it stated
// its zone, else through the clock.
func appSetTime(st *appStamp, clock *Clock, ev *Event) bool {
	if st.zone {
		t, ok := FixedTime(st.y, st.mo, st.d, st.h, st.mi, st.s, st.nsec, st.off)
		if !ok {
			return false
		}
		ev.Time, ev.TimeKnownZone, ev.ZoneOffset = t, true, int32(st.off)
		return true
	}
	t, ok := clock.LocalTime(st.y, st.mo, st.d, st.h, st.mi, st.s, st.nsec)
	if !ok {
		return false
	}
	ev.Time, ev.TimeKnownZone = t, false
	return true
}

// appEpoch converts an epoch number ("1763647330", "1763647330.123",
// "1795183330123" ms, µs or ns by magnitude) to UTC.
func appEpoch(b []byte) (time.Time, bool) {
	if len(b) == 0 || len(b) > 32 {
		return time.Time{}, false
	}
	var ip int64
	n, i := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if n < 19 {
			ip = ip*10 + int64(b[i]-'0')
		}
		n++
	}
	frac := 0
	if i < len(b) && b[i] == '.' {
		var j int
		frac, j = fraction(b, i+1)
		i = j
	}
	if i != len(b) || n == 0 {
		return time.Time{}, false
	}
	var sec, nsec int64
	switch {
	case n <= 10:
		sec, nsec = ip, int64(frac)
	case n <= 13:
		sec, nsec = ip/1e3, ip%1e3*1e6+int64(frac)/1e3
	case n <= 16:
		sec, nsec = ip/1e6, ip%1e6*1e3
	case n <= 19:
		sec, nsec = ip/1e9, ip%1e9
	default:
		return time.Time{}, false
	}
	// a plausible log time: 1990 … 2100
	if sec < 631152000 || sec > 4102444800 {
		return time.Time{}, false
	}
	return time.Unix(sec, nsec).UTC(), true
}

// appTimeValue parses a time value of a JSON or logfmt key: an ISO stamp
// with or without zone, or an epoch number.
func appTimeValue(b []byte, clock *Clock, ev *Event) bool {
	if len(b) > 0 && b[0] >= '0' && b[0] <= '9' && (len(b) < 5 || (b[4] != '-' && b[4] != '/')) {
		t, ok := appEpoch(b)
		if ok {
			ev.Time, ev.TimeKnownZone, ev.TimeEpoch = t, true, true
		}
		return ok
	}
	var st appStamp
	end, ok := appParseISO(b, &st)
	if !ok || end != len(b) {
		return false
	}
	return appSetTime(&st, clock, ev)
}

// appNumLevel maps a numeric level: syslog severities 0…7, pino/Bunyan
// 10…60 and Monolog 100…600.
func appNumLevel(n int) Level {
	switch {
	case n < 0:
		return LevelUnknown
	case n <= 7:
		return [...]Level{LevelEmerg, LevelAlert, LevelCrit, LevelError, LevelWarn, LevelNotice, LevelInfo, LevelDebug}[n]
	case n < 10:
		return LevelUnknown
	case n < 30:
		return LevelDebug
	case n < 40:
		return LevelInfo
	case n < 50:
		return LevelWarn
	case n < 60:
		return LevelError
	case n < 100:
		return LevelCrit
	case n < 200:
		return LevelDebug
	case n < 250:
		return LevelInfo
	case n < 300:
		return LevelNotice
	case n < 400:
		return LevelWarn
	case n < 500:
		return LevelError
	case n < 550:
		return LevelCrit
	case n < 600:
		return LevelAlert
	case n < 700:
		return LevelEmerg
	}
	return LevelUnknown
}

// appLevelValue maps the value of a level key: a word (any case, ANSI
// colour codes removed), or a number.
func appLevelValue(b []byte) Level {
	if n, ok := atoi(b); ok {
		return appNumLevel(n)
	}
	if bytes.IndexByte(b, 0x1b) >= 0 {
		// winston's colorize(): "\x1b[31merror\x1b[39m"
		var buf [24]byte
		out := buf[:0]
		for i := 0; i < len(b); i++ {
			if b[i] == 0x1b {
				for i < len(b) && b[i] != 'm' {
					i++
				}
				continue
			}
			if len(out) == len(buf) {
				return LevelUnknown
			}
			out = append(out, b[i])
		}
		b = out
	}
	if l := ParseLevel(str(b)); l != LevelUnknown {
		return l
	}
	switch {
	case hasPrefixFold(b, "silly") && len(b) == 5:
		return LevelDebug
	case hasPrefixFold(b, "http") && len(b) == 4:
		return LevelInfo
	}
	return LevelUnknown
}

// appDuration parses a duration with units ("1.2s", "350ms", "1m2.5s",
// "12µs", "30000ms"); a bare number is read in unit seconds, or rejected
// when unit is 0. It returns seconds.
func appDuration(b []byte, unit float64) (float64, bool) {
	if len(b) == 0 || len(b) > 40 {
		return 0, false
	}
	total, i := 0.0, 0
	for i < len(b) {
		var mant float64
		scale, digits, dot := 1.0, 0, false
		for ; i < len(b); i++ {
			c := b[i]
			if c >= '0' && c <= '9' {
				mant = mant*10 + float64(c-'0')
				digits++
				if dot {
					scale *= 10
				}
			} else if c == '.' && !dot {
				dot = true
			} else {
				break
			}
		}
		if digits == 0 {
			return 0, false
		}
		v := mant / scale
		j := i
		for j < len(b) && (b[j] < '0' || b[j] > '9') && b[j] != '.' {
			j++
		}
		switch string(b[i:j]) {
		case "":
			if unit == 0 || i != len(b) || total != 0 {
				return 0, false
			}
			return v * unit, true
		case "s", "sec", "secs":
			total += v
		case "ms", "msec", "msecs":
			total += v / 1e3
		case "us", "µs", "μs":
			total += v / 1e6
		case "ns":
			total += v / 1e9
		case "m", "min":
			total += v * 60
		case "h":
			total += v * 3600
		default:
			return 0, false
		}
		i = j
	}
	return total, true
}

// appJSONParser reads one JSON object per line.
type appJSONParser struct {
	clock *Clock
	arena appArena

	b      []byte
	i      int
	path   []byte // current key path, dotted, as written
	lower  []byte // the same, lower-cased, for matching
	fields []Field
	errs   []appErrPiece
	group  int    // error group of the current path
	groups int    // error groups handed out
	key    []byte // the current key as written in the entry
	top    bool   // the current key is a top-level one

	// per entry
	hasTime, hasLevel bool
	msg               []byte
	msgEsc            bool
	msgPrio           int
	modPrio, pathPrio int
	numLevel          bool
	clef              bool // Serilog's compact format: no "@l" means Information
	foreign           bool // a key that another format owns
}

// appErrPiece is one piece of error detail found in an entry.
type appErrPiece struct {
	group int
	kind  uint8 // errMsg, errStack, errType
	val   []byte
	esc   bool
}

// Kinds of error detail.
const (
	errMsg uint8 = iota
	errStack
	errType
)

// JSON value kinds.
const (
	jsString = iota + 1
	jsNumber
	jsLiteral
	jsObject
	jsArray
)

// Parse reads one JSON object (see appJSONFormat).
func (p *appJSONParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	i := 0
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		i = 3 // BOM
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i >= len(b) || b[i] != '{' {
		return false
	}
	end := len(b)
	for end > i && (b[end-1] == ' ' || b[end-1] == '\t' || b[end-1] == '\r') {
		end--
	}
	if b[end-1] != '}' {
		return false
	}
	p.b, p.i = b[:end], i
	p.path, p.lower = p.path[:0], p.lower[:0]
	p.fields, p.errs = p.fields[:0], p.errs[:0]
	p.group, p.groups = 0, 0
	p.hasTime, p.hasLevel, p.numLevel, p.clef, p.foreign = false, false, false, false, false
	p.msg, p.msgEsc, p.msgPrio, p.modPrio, p.pathPrio = nil, false, 0, 0, 0

	if !p.object(ev, 0) {
		return false
	}
	p.ws()
	if p.i != len(p.b) {
		return false // trailing garbage
	}
	if !p.hasTime && !p.hasLevel && p.msg == nil || p.foreign {
		return false
	}
	if !p.hasLevel && p.clef {
		ev.Level = LevelInfo
	}
	p.compose(ev)
	ev.Fields = p.arena.putFields(p.fields)
	return true
}

// ws skips JSON white space.
func (p *appJSONParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// str scans a JSON string at p.i (a '"') and returns its content.
func (p *appJSONParser) str() (val []byte, esc, ok bool) {
	start := p.i + 1
	j := start
	for {
		k := bytes.IndexByte(p.b[j:], '"')
		if k < 0 {
			return nil, false, false
		}
		q := j + k
		if bs := bytes.IndexByte(p.b[j:q], '\\'); bs < 0 {
			p.i = q + 1
			return p.b[start:q], esc, true
		} else {
			// walk the escapes up to the quote
			m := j + bs
			for m < q {
				if p.b[m] == '\\' {
					esc = true
					m += 2
				} else {
					m++
				}
			}
			if m == q {
				p.i = q + 1
				return p.b[start:q], esc, true
			}
			j = q + 1 // the quote was escaped
		}
	}
}

// skip passes over any value at p.i without looking inside it.
func (p *appJSONParser) skip() (kind int, ok bool) {
	if p.i >= len(p.b) {
		return 0, false
	}
	switch c := p.b[p.i]; {
	case c == '"':
		_, _, ok := p.str()
		return jsString, ok
	case c == '{' || c == '[':
		depth := 0
		for p.i < len(p.b) {
			switch p.b[p.i] {
			case '"':
				if _, _, ok := p.str(); !ok {
					return 0, false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					p.i++
					if c == '{' {
						return jsObject, true
					}
					return jsArray, true
				}
			}
			p.i++
		}
		return 0, false
	case c == '-' || c >= '0' && c <= '9':
		return jsNumber, p.number()
	default:
		return jsLiteral, p.literal()
	}
}

// number scans a JSON number at p.i.
func (p *appJSONParser) number() bool {
	start := p.i
	digits := 0
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c >= '0' && c <= '9' {
			digits++
		} else if c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			break
		}
		p.i++
	}
	return digits > 0 && p.i > start
}

// literal scans true, false or null at p.i.
func (p *appJSONParser) literal() bool {
	for _, w := range [...]string{"true", "false", "null"} {
		if len(p.b)-p.i >= len(w) && string(p.b[p.i:p.i+len(w)]) == w {
			p.i += len(w)
			return true
		}
	}
	return false
}

// object parses the object at p.i, visiting its members.
func (p *appJSONParser) object(ev *Event, depth int) bool {
	p.i++ // '{'
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return true
	}
	base, lbase := len(p.path), len(p.lower)
	for {
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return false
		}
		key, _, ok := p.str()
		if !ok {
			return false
		}
		p.ws()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return false
		}
		p.i++
		p.ws()
		p.path, p.lower = p.path[:base], p.lower[:lbase]
		if base > 0 {
			p.path = append(p.path, '.')
			p.lower = append(p.lower, '.')
		}
		p.path = append(p.path, key...)
		p.key, p.top = key, base == 0
		for _, c := range key {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			p.lower = append(p.lower, c)
		}
		if !p.member(ev, depth) {
			return false
		}
		p.ws()
		if p.i >= len(p.b) {
			return false
		}
		if p.b[p.i] == ',' {
			p.i++
			continue
		}
		if p.b[p.i] == '}' {
			p.i++
			p.path, p.lower = p.path[:base], p.lower[:lbase]
			return true
		}
		return false
	}
}

// member parses one value at the current path.
func (p *appJSONParser) member(ev *Event, depth int) bool {
	if p.i >= len(p.b) {
		return false
	}
	switch c := p.b[p.i]; {
	case c == '{' && depth+1 < appJSONMaxDepth:
		saved := p.group
		if appErrContainer(p.lower) {
			p.groups++
			p.group = p.groups
		}
		ok := p.object(ev, depth+1)
		p.group = saved
		return ok
	case c == '[' && depth+1 < appJSONMaxDepth && (p.errRole() != 0 || appErrContainer(p.lower)):
		saved := p.group
		p.groups++
		p.group = p.groups
		ok := p.array(ev, depth+1)
		p.group = saved
		return ok
	case c == '"':
		v, esc, ok := p.str()
		if !ok {
			return false
		}
		p.visit(ev, jsString, v, esc)
		return true
	default:
		start := p.i
		kind, ok := p.skip()
		if !ok {
			return false
		}
		p.visit(ev, kind, p.b[start:p.i], false)
		return true
	}
}

// array parses an array of error detail: strings are stack lines, objects
// (structlog's dict tracebacks) are read as error containers.
func (p *appJSONParser) array(ev *Event, depth int) bool {
	p.i++ // '['
	for {
		p.ws()
		if p.i >= len(p.b) {
			return false
		}
		if p.b[p.i] == ']' {
			p.i++
			return true
		}
		switch p.b[p.i] {
		case '"':
			v, esc, ok := p.str()
			if !ok {
				return false
			}
			p.addErr(errStack, v, esc)
		case '{':
			if depth+1 >= appJSONMaxDepth {
				if _, ok := p.skip(); !ok {
					return false
				}
			} else if !p.object(ev, depth+1) {
				return false
			}
		default:
			if _, ok := p.skip(); !ok {
				return false
			}
		}
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
		}
	}
}

// addErr records a piece of error detail of the current group.
func (p *appJSONParser) addErr(kind uint8, v []byte, esc bool) {
	if len(v) == 0 || len(p.errs) >= 256 {
		return
	}
	p.errs = append(p.errs, appErrPiece{p.group, kind, v, esc})
}

// appErrContainer reports paths whose object holds error detail.
func appErrContainer(path []byte) bool {
	switch string(path) {
	case "err", "error", "exception", "exc", "context.exception", "context.error", "context.err",
		"extra.exception", "error.cause", "err.cause", "exception.cause":
		return true
	}
	return false
}

// errRole classifies the current path as error detail: errMsg/errStack/
// errType + 1, or 0.
func (p *appJSONParser) errRole() uint8 {
	path := p.lower
	switch string(path) {
	case "err", "error", "exception", "exc_info", "exc_text", "error_message", "errormessage", "errmsg":
		return errMsg + 1
	case "stack", "stacktrace", "stack_trace", "backtrace", "traceback", "@x", "exception.stacktrace":
		return errStack + 1
	case "error_type", "exception_class", "exc_type", "errortype":
		return errType + 1
	}
	dot := bytes.LastIndexByte(path, '.')
	if dot < 0 || !appErrContainer(path[:dot]) {
		return 0
	}
	switch string(path[dot+1:]) {
	case "message", "msg", "reason", "exc_value", "detail", "error":
		return errMsg + 1
	case "stack", "stack_trace", "stacktrace", "trace", "backtrace", "traceback":
		return errStack + 1
	case "type", "class", "name", "exc_type", "kind", "exception_class":
		return errType + 1
	}
	return 0
}

// text returns a string value, decoded when it has escapes.
func (p *appJSONParser) text(v []byte, esc bool) string {
	if esc {
		return p.arena.jsonUnescape(v)
	}
	return str(v)
}

// visit handles one scalar (or raw nested) value at the current path.
func (p *appJSONParser) visit(ev *Event, kind int, v []byte, esc bool) {
	if kind == jsLiteral && len(v) > 0 && v[0] == 'n' {
		return // null
	}
	key := p.lower
	isStr := kind == jsString
	switch string(key) {
	case "__cursor", "__realtime_timestamp":
		p.foreign = true // journalctl -o json: the syslog format's
		return
	case "time", "ts", "timestamp", "@timestamp", "datetime", "@t", "asctime", "date", "eventtime", "created":
		if !p.hasTime && (isStr || kind == jsNumber) && !esc && appTimeValue(v, p.clock, ev) {
			p.hasTime = true
			return
		}
	case "timestamp.seconds":
		if !p.hasTime && kind == jsNumber {
			if t, ok := appEpoch(v); ok {
				ev.Time, ev.TimeKnownZone, ev.TimeEpoch, p.hasTime = t, true, true, true
				return
			}
		}
	case "timestamp.nanos":
		if kind == jsNumber && !ev.Time.IsZero() {
			if n, ok := atoi(v); ok && n < 1e9 && ev.Time.Nanosecond() == 0 {
				ev.Time = ev.Time.Add(time.Duration(n))
			}
			return
		}
	case "level", "lvl", "severity", "levelname", "level_name", "log.level", "@l", "loglevel", "log_level", "@level", "levelstr":
		if isStr || kind == jsNumber {
			lv := v
			if esc {
				lv = appBytes(p.arena.jsonUnescape(v))
			}
			if l := appLevelValue(lv); l != LevelUnknown && (!p.hasLevel || p.numLevel && isStr) {
				ev.Level, p.hasLevel, p.numLevel = l, true, !isStr
				return
			}
			if isStr && len(v) > 0 && len(v) <= 16 {
				p.hasLevel = true // a level key with a word we do not know ("DEFAULT")
			}
		}
	case "msg", "message", "@m", "event", "@mt", "log", "textpayload", "short_message":
		if isStr {
			prio := 5
			switch string(key) {
			case "@m":
				prio = 4
				p.clef = true
			case "event":
				prio = 3
			case "@mt", "short_message":
				prio = 2
				p.clef = p.clef || key[0] == '@'
			case "log", "textpayload":
				prio = 1
			}
			if prio > p.msgPrio {
				p.msg, p.msgEsc, p.msgPrio = v, esc, prio
			}
			return
		}
	case "status", "statuscode", "status_code", "res.statuscode", "response.status", "response.status_code", "response.statuscode",
		"http.status_code", "http.response.status_code", "httprequest.status", "http_status", "response_status", "http.status":
		if n, ok := atoi(v); ok && n >= 100 && n <= 999 && ev.Status == 0 {
			ev.Status = n
			return
		}
	case "method", "req.method", "request.method", "http.method", "http.request.method", "httprequest.requestmethod", "http_method", "request_method", "requestmethod":
		if isStr && !esc && ev.Method == "" && appIsMethod(v) {
			ev.Method = str(v)
			return
		}
	case "path", "url", "route", "uri", "req.url", "req.path", "request.path", "request.url", "request.uri", "url.path", "url.original",
		"http.url", "http.target", "httprequest.requesturl", "request_uri", "requestpath", "request_path":
		if isStr && len(v) > 0 {
			prio := 2
			if key[0] == 'r' && string(key) == "route" {
				prio = 1
			}
			if prio > p.pathPrio {
				ev.Path, p.pathPrio = p.text(v, esc), prio
				return
			}
		}
	case "host", "hostname", "host.name", "host.hostname":
		if isStr && !esc && ev.Host == "" {
			ev.Host = str(v)
			return
		}
	case "pid", "process.pid", "process_id", "process":
		if n, ok := atoi(v); ok && ev.PID == 0 && n < 1<<31 {
			ev.PID = n
			return
		}
	case "logger", "logger_name", "loggername", "log.logger", "name", "channel", "category", "sourcecontext", "component", "module", "logger.name":
		if isStr && len(v) > 0 {
			prio := 3
			switch string(key) {
			case "name", "component", "module":
				prio = 1
			case "channel", "category":
				prio = 2
			}
			if prio > p.modPrio {
				ev.Module, p.modPrio = p.text(v, esc), prio
				return
			}
		}
	case "remote_ip", "remoteip", "client_ip", "clientip", "remote_addr", "remoteaddr", "req.remoteaddress", "client.ip", "client.address",
		"source.ip", "source.address", "httprequest.remoteip", "ip", "client":
		if isStr && !esc && ev.Client == "" && len(v) > 0 {
			ev.Client = str(v)
			return
		}
	case "user_agent", "useragent", "user_agent.original", "http.user_agent", "httprequest.useragent", "req.headers.user-agent", "http_user_agent":
		if isStr && ev.UserAgent == "" {
			ev.UserAgent = p.text(v, esc)
			return
		}
	case "code", "error.code", "err.code", "exception.code", "context.exception.code":
		if ev.Code == "" && len(v) > 0 && len(v) <= 40 && !esc && bytes.IndexByte(v, ' ') < 0 {
			ev.Code = str(v)
			return
		}
	default:
		if role := p.errRole(); role != 0 && isStr {
			kind := role - 1
			if kind == errMsg && bytes.Contains(v, []byte(`\n`)) {
				kind = errStack
			}
			p.addErr(kind, v, esc)
			if kind != errType {
				return
			}
		}
		if sec, ok := appDurationKey(key, v, isStr); ok {
			if ev.RequestTime < 0 {
				ev.RequestTime = sec
			}
		}
	}
	if len(p.fields) < appJSONMaxFields && (kind != jsObject && kind != jsArray || len(v) <= 200) {
		k := str(p.key)
		if !p.top {
			k = p.arena.concat("", str(p.path))
		}
		val := str(v)
		if isStr {
			val = p.text(v, esc)
		}
		p.fields = append(p.fields, Field{k, val})
	}
}

// appIsMethod reports an HTTP method word.
func appIsMethod(v []byte) bool {
	if len(v) < 3 || len(v) > 10 {
		return false
	}
	for _, c := range v {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// appDurationKey reads a request duration from a key whose name makes the
// unit clear ("duration_ms", "responseTime", "latency_seconds") or whose
// value carries one ("1.2s", "350ms"). Bare numbers under ambiguous names
// ("duration", "elapsed") are not guessed.
func appDurationKey(key, v []byte, isStr bool) (float64, bool) {
	var unit float64
	switch string(key) {
	case "duration", "latency", "elapsed", "took", "response_time", "request_time", "responsetime_str", "service",
		"httprequest.latency", "request_duration", "req_duration", "time_taken", "elapsed_time", "rt":
		if string(key) == "request_time" || string(key) == "rt" {
			unit = 1 // Nginx's $request_time convention: seconds
		} else if string(key) == "responsetime" {
			unit = 1e-3
		}
	case "duration_ms", "elapsed_ms", "latency_ms", "took_ms", "response_time_ms", "responsetime", "response-time", "request_time_ms", "time_ms", "durationms", "elapsedms", "elapsedmilliseconds", "elapsed_milliseconds":
		unit = 1e-3
	case "duration_s", "duration_sec", "duration_seconds", "latency_s", "latency_seconds", "elapsed_s", "elapsed_seconds", "request_duration_seconds", "response_time_seconds", "request_time_seconds":
		unit = 1
	case "duration_us", "duration_micros", "latency_us", "elapsed_us":
		unit = 1e-6
	case "duration_ns", "latency_ns", "event.duration", "elapsed_ns":
		unit = 1e-9
	default:
		return 0, false
	}
	sec, ok := appDuration(v, unit)
	if !ok || sec < 0 || sec > 86400*7 {
		return 0, false
	}
	return sec, true
}

// compose builds Message from the message and the error details: the
// message, then per error (one group per error object) its "Type: message"
// or message unless the stack already says it, then its stack; text already
// present is not repeated.
func (p *appJSONParser) compose(ev *Event) {
	var base string
	if p.msg != nil {
		// Prisma and others start messages with a line break
		base = strings.TrimSpace(p.text(p.msg, p.msgEsc))
	}
	if len(p.errs) == 0 {
		ev.Message = base
		return
	}
	var pieceBuf [16]appPiece
	pieces := pieceBuf[:0]
	for _, e := range p.errs {
		pieces = append(pieces, appPiece{e.group, e.kind, appTrimRight(p.text(e.val, e.esc))})
	}
	var partBuf [16]string
	parts := partBuf[:0]
	if base != "" {
		parts = append(parts, base)
	}
	for gi := range pieces {
		g := pieces[gi].group
		first := true
		for _, q := range pieces[:gi] {
			if q.group == g {
				first = false
				break
			}
		}
		if !first {
			continue
		}
		var typ string
		hasStack, hasMsg := false, false
		for _, q := range pieces[gi:] {
			if q.group != g {
				continue
			}
			switch q.kind {
			case errType:
				if typ == "" {
					typ = q.s
				}
			case errStack:
				hasStack = true
			case errMsg:
				hasMsg = true
			}
		}
		for _, q := range pieces[gi:] {
			if q.group != g || q.kind != errMsg {
				continue
			}
			inStack := false
			for _, r := range pieces[gi:] {
				if r.group == g && r.kind == errStack && strings.Contains(r.s, q.s) {
					inStack = true
					break
				}
			}
			if inStack || appSeen(parts, q.s) {
				continue
			}
			if typ != "" && !hasStack && !strings.Contains(q.s, typ) {
				parts = append(parts, p.arena.concat(": ", typ, q.s))
				continue
			}
			parts = append(parts, q.s)
		}
		if typ != "" && !hasMsg && !hasStack && !appSeen(parts, typ) {
			parts = append(parts, typ)
		}
		for _, q := range pieces[gi:] {
			if q.group == g && q.kind == errStack && !appSeen(parts, q.s) {
				parts = append(parts, q.s)
			}
		}
	}
	switch len(parts) {
	case 0:
		ev.Message = ""
	case 1:
		ev.Message = parts[0]
	default:
		ev.Message = p.arena.concat("\n", parts...)
	}
}

// appPiece is a decoded piece of error detail.
type appPiece struct {
	group int
	kind  uint8
	s     string
}

// appSeen reports whether s is empty or already part of one of parts.
func appSeen(parts []string, s string) bool {
	if s == "" {
		return true
	}
	for _, q := range parts {
		if strings.Contains(q, s) {
			return true
		}
	}
	return false
}

// appTrimRight trims trailing spaces, tabs and line breaks.
func appTrimRight(s string) string {
	for len(s) > 0 {
		switch s[len(s)-1] {
		case ' ', '\t', '\r', '\n':
			s = s[:len(s)-1]
			continue
		}
		break
	}
	return s
}

// appBytes views an immutable string as bytes without copying; the bytes
// must not be modified.
func appBytes(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
