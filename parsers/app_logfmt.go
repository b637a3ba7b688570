package parsers

import (
	"bytes"
	"strings"
)

// appLogfmtFormat is logfmt: space-separated key=value pairs with quoted
// values where needed, as written by Go kit and Prometheus (ts=… caller=…
// level=…), Grafana (t=… lvl=eror), Loki, logrus' text formatter without a
// terminal (time="…" level=error msg="…"), slog's TextHandler, and Heroku's
// router (at=error code=H12 desc="Request timeout" … status=503), with or
// without the "2026-11-20T14:02:10.123456+00:00 heroku[router]: " prefix
// of `heroku logs`. Behind that prefix a line may also be plain text: the
// platform's own messages ("heroku[web.1]: State changed from up to
// crashed", "Process exited with status 137", "Error R14 (Memory quota
// exceeded)", read as errors) and applications' output ("app[web.1]: …").
//
// A line needs at least two pairs, a level or message key (level, lvl,
// severity, at, msg, message, desc …) and few stray words; err/error/
// stacktrace values are appended to Message after a newline.
var appLogfmtFormat = &Format{
	ID:    FormatAppLogfmt,
	Title: "application logfmt (Go kit, Prometheus, Loki, Grafana, logrus, slog, Heroku router)",
	Examples: []string{
		`time=2026-11-20T14:02:10Z level=error msg="db query failed" err="dial tcp 10.0.0.5:5432: connect: connection refused" duration=1.2s`,
		`time="2026-11-20T14:02:10+01:00" level=error msg="db query failed" error="pq: sorry, too many clients already"`,
		`2026-11-20T14:02:10.123456+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/checkout" host=shop.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="203.0.113.7" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https`,
		`ts=2026-11-20T14:02:10.123Z caller=scrape.go:1313 level=error component="scrape manager" scrape_pool=node target=http://10.0.0.5:9100/metrics msg="Scrape failed" err="Get \"http://10.0.0.5:9100/metrics\": dial tcp 10.0.0.5:9100: connect: connection refused"`,
		`time=2026-11-20T14:02:10.123+01:00 level=ERROR msg="request failed" method=POST path=/api/orders status=502 err="upstream: EOF"`,
		`t=2026-11-20T14:02:10+0100 lvl=eror msg="Failed to look up user based on cookie" logger=context error="database is locked"`,
	},
	Generic: true,
	New:     func(cfg Config) (Parser, error) { return &appLogfmtParser{clock: cfg.Clock}, nil },
}

// herokuText reads the plain text after a Heroku "source[dyno]: " prefix.
func herokuText(msg []byte, ev *Event) bool {
	msg = trimSpace(msg)
	if len(msg) == 0 {
		return false
	}
	ev.Message = str(msg)
	if !strings.HasPrefix(ev.Module, "heroku[") {
		return true // an application's own line
	}
	switch {
	case bytes.HasPrefix(msg, []byte("Error ")) && len(msg) > 10 && msg[6] >= 'A' && msg[6] <= 'Z' && isDigits(msg[7:9]):
		// "Error R14 (Memory quota exceeded)", "Error R10 (Boot timeout) -> …"
		ev.Level, ev.Code = LevelError, str(msg[6:9])
	case bytes.HasSuffix(msg, []byte(" to crashed")):
		ev.Level = LevelError
	case bytes.HasPrefix(msg, []byte("Process exited with status ")):
		if st := msg[27:]; len(st) > 0 && !(len(st) == 1 && st[0] == '0') {
			ev.Level = LevelError
		}
	}
	return true
}

// appLogfmtParser reads logfmt lines.
type appLogfmtParser struct {
	clock  *Clock
	arena  appArena
	fields []Field
	errs   []string
	lk     [32]byte
}

// appLogfmtPair scans one key=value pair at b[i:]; bare reports a word
// without '='. It returns the index after the pair.
func appLogfmtPair(b []byte, i int) (key, val []byte, quoted, esc, bare bool, end int, ok bool) {
	start := i
	for i < len(b) && b[i] != '=' && b[i] != ' ' && b[i] != '\t' {
		if b[i] == '"' {
			return nil, nil, false, false, false, i, false
		}
		i++
	}
	key = b[start:i]
	if i >= len(b) || b[i] != '=' {
		return key, nil, false, false, true, i, true
	}
	if len(key) == 0 {
		return nil, nil, false, false, false, i, false
	}
	i++
	if i < len(b) && b[i] == '"' {
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				esc = true
				j++
			}
			j++
		}
		if j >= len(b) {
			return nil, nil, false, false, false, i, false // unterminated
		}
		val = b[i+1 : j]
		end = j + 1
		if end < len(b) && b[end] != ' ' && b[end] != '\t' {
			return nil, nil, false, false, false, i, false
		}
		return key, val, true, esc, false, end, true
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' {
		j++
	}
	return key, b[i:j], false, false, false, j, true
}

// Parse reads one logfmt line (see appLogfmtFormat).
func (p *appLogfmtParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	i := 0
	// optional "2026-11-20T14:02:10.123456+00:00 source[proc]: " prefix
	var prefixTime bool
	if len(b) > 20 && b[0] >= '0' && b[0] <= '9' {
		var st appStamp
		if end, ok := appParseISO(b, &st); ok && end < len(b) && b[end] == ' ' && b[10] == 'T' {
			if !appSetTime(&st, p.clock, ev) {
				return false
			}
			prefixTime = true
			i = end + 1
			j := i
			for j < len(b) && b[j] != ' ' && b[j] != '=' && b[j] != '"' {
				j++
			}
			if j > i+1 && j < len(b) && b[j-1] == ':' && b[j] == ' ' {
				ev.Module = str(b[i : j-1])
				i = j + 1
			}
			for i < len(b) && b[i] == ' ' {
				i++
			}
			if m := ev.Module; len(m) > 3 && m[len(m)-1] == ']' && strings.IndexByte(m, '[') > 0 {
				if _, _, _, _, bare, _, ok := appLogfmtPair(b, i); !ok || bare {
					return herokuText(b[i:], ev)
				}
			}
		}
	}
	p.fields, p.errs = p.fields[:0], p.errs[:0]
	pairs, stray := 0, 0
	var msg, desc []byte
	var msgEsc, descEsc, hasLevel, hasMsg bool
	for i < len(b) {
		if b[i] == ' ' || b[i] == '\t' {
			i++
			continue
		}
		key, val, quoted, esc, bare, end, ok := appLogfmtPair(b, i)
		if !ok {
			return false
		}
		i = end
		if bare {
			if pairs == 0 {
				return false // a logfmt line starts with a pair
			}
			stray++
			continue
		}
		pairs++
		lk := p.lowerKey(key)
		switch string(lk) {
		case "time", "ts", "t", "timestamp", "@timestamp", "date", "datetime":
			if !prefixTime && ev.Time.IsZero() && !esc && appTimeValue(val, p.clock, ev) {
				continue
			}
		case "level", "lvl", "severity", "loglevel", "at", "log.level", "log_level":
			if l := appLevelValue(val); l != LevelUnknown && !hasLevel {
				ev.Level, hasLevel = l, true
				continue
			}
		case "msg", "message":
			if !hasMsg {
				msg, msgEsc, hasMsg = val, esc, true
				continue
			}
		case "desc", "description", "event":
			if desc == nil {
				desc, descEsc = val, esc
				continue
			}
		case "err", "error", "exception", "stacktrace", "stack", "panic", "reason":
			if len(val) > 0 {
				p.errs = append(p.errs, p.text(val, esc))
				continue
			}
		case "status", "status_code", "statuscode", "http_status", "code_http":
			if n, ok := atoi(val); ok && n >= 100 && n <= 999 && ev.Status == 0 {
				ev.Status = n
				continue
			}
		case "code":
			if ev.Code == "" && len(val) > 0 && len(val) <= 40 && !quoted {
				ev.Code = str(val)
				continue
			}
		case "method", "http_method", "request_method":
			if ev.Method == "" && appIsMethod(val) {
				ev.Method = str(val)
				continue
			}
		case "path", "url", "uri", "route", "request_uri", "request_path":
			if ev.Path == "" && len(val) > 0 {
				ev.Path = p.text(val, esc)
				continue
			}
		case "host", "hostname":
			if ev.Host == "" && len(val) > 0 && !esc {
				ev.Host = str(val)
				continue
			}
		case "pid":
			if n, ok := atoi(val); ok && ev.PID == 0 && n < 1<<31 {
				ev.PID = n
				continue
			}
		case "logger", "component", "module", "name", "channel":
			if ev.Module == "" && len(val) > 0 {
				ev.Module = p.text(val, esc)
				continue
			}
		case "fwd", "remote_addr", "remote_ip", "client_ip", "client", "ip", "remote":
			if ev.Client == "" && len(val) > 0 && !esc {
				c := val
				if k := bytes.IndexByte(c, ','); k >= 0 {
					c = c[:k] // the first address of X-Forwarded-For
				}
				ev.Client = str(trimSpace(c))
				if ev.Client != "" {
					continue
				}
			}
		case "user_agent", "useragent", "ua":
			if ev.UserAgent == "" {
				ev.UserAgent = p.text(val, esc)
				continue
			}
		case "bytes", "size":
			if n, ok := atoi(val); ok && ev.Bytes == 0 {
				ev.Bytes = int64(n)
				continue
			}
		default:
			if sec, ok := appDurationKey(lk, val, true); ok && ev.RequestTime < 0 {
				ev.RequestTime = sec
			}
		}
		if len(p.fields) < appJSONMaxFields {
			p.fields = append(p.fields, Field{str(key), p.text(val, esc)})
		}
	}
	if pairs < 2 || stray*3 > pairs || !hasLevel && !hasMsg && desc == nil {
		return false
	}
	var base string
	switch {
	case hasMsg:
		base = p.text(msg, msgEsc)
	case desc != nil:
		base = p.text(desc, descEsc)
	}
	if len(p.errs) > 0 {
		var buf [8]string
		parts := append(buf[:0], base)
		if base == "" {
			parts = parts[:0]
		}
		for _, e := range p.errs {
			if !appSeen(parts, e) {
				parts = append(parts, e)
			}
		}
		base = p.arena.concat("\n", parts...)
	}
	ev.Message = base
	ev.Fields = p.arena.putFields(p.fields)
	return true
}

// text returns a value, with its escapes decoded.
func (p *appLogfmtParser) text(v []byte, esc bool) string {
	if esc {
		return p.arena.jsonUnescape(v)
	}
	return str(v)
}

// lowerKey lower-cases a short key into the parser's buffer (keys are
// usually lower case already and returned as they are).
func (p *appLogfmtParser) lowerKey(key []byte) []byte {
	for i, c := range key {
		if c >= 'A' && c <= 'Z' {
			if len(key) > len(p.lk) {
				return key
			}
			out := p.lk[:len(key)]
			copy(out, key[:i])
			for j := i; j < len(key); j++ {
				c := key[j]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				out[j] = c
			}
			return out
		}
	}
	return key
}
