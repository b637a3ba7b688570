package parsers

import (
	"bytes"
)

// nginxErrorFormat is Nginx's error log:
//
//	2026/11/20 14:02:11 [error] 811#811: *4 message, client: …, server: …, request: "…", upstream: "…", host: "…", referrer: "…"
//
// at every level, with and without a connection id, from the http, stream
// ("udp client: …, bytes from/to client:…") and mail modules. Message is the
// text before the ", client: …" context (the " while …" action included);
// the context fills Client, Host, Request (and Method, Path, Protocol),
// Upstream and Referer, other keys (subrequest, login, port …) go to Fields.
// Entries that span lines — FastCGI stderr output with PHP stack traces,
// OpenResty Lua tracebacks — are joined into one entry. What Nginx writes
// to stderr before its error log is open (`nginx -t`, a container's or a
// unit's start-up), "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: …)",
// is read too, without a time (a wrapper's time applies).
var nginxErrorFormat = &Format{
	ID:    FormatNginxError,
	Title: "Nginx error log",
	Examples: []string{
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
		`2026/11/20 14:02:11 [error] 1187#1187: *1899575 upstream prematurely closed connection while reading response header from upstream, client: 109.1.191.122, server: shop.example.com, request: "GET /checkout HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com", referrer: "https://shop.example.com/cart"`,
		`2026/11/20 14:02:11 [crit] 1187#1187: *18 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.5, server: _, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "203.0.113.10"`,
		`2026/11/20 14:02:11 [error] 7588#7588: *3345968 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 198.51.100.23, server: forum.example.org, request: "GET /forum/socket.io/?EIO=3&transport=polling HTTP/1.1", upstream: "http://127.0.0.1:4567/forum/socket.io/?EIO=3&transport=polling", host: "forum.example.org"`,
		`2026/11/20 14:02:11 [notice] 1188#1188: signal process started`,
		`2026/11/20 14:02:11 [emerg] 2211#2211: bind() to 0.0.0.0:80 failed (98: Address already in use)`,
		`2026/11/20 14:02:11 [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/sites-enabled/shop:12`,
		`2026/11/20 14:02:11 [alert] 2841#2841: *204815 1024 worker_connections are not enough while connecting to upstream, client: 203.0.113.7, server: app.example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9000/", host: "app.example.com"`,
		`2026/11/20 14:02:11 [crit] 2841#2841: accept4() failed (24: Too many open files)`,
		`2026/11/20 14:02:11 [error] 1234#1234: *98231 limiting requests, excess: 5.000 by zone "api_limit", client: 203.0.113.47, server: api.example.com, request: "POST /v1/checkout HTTP/1.1", host: "api.example.com"`,
		`2026/11/20 14:02:11 [crit] 61481#61481: *1228609 SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: 54.208.42.136, server: 0.0.0.0:443`,
		`2026/11/20 14:02:11 [warn] 1187#1187: *77 an upstream response is buffered to a temporary file /var/cache/nginx/fastcgi_temp/1/00/0000000001 while reading upstream, client: 198.51.100.20, server: shop.example.com, request: "GET /export.csv HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "shop.example.com"`,
		"2026/11/20 14:02:11 [error] 811#811: *4 FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught Exception: boom in /var/www/html/index.php:3\nStack trace:\n#0 {main}\n  thrown in /var/www/html/index.php on line 3\" while reading response header from upstream, client: 192.0.2.7, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"example.com\"",
	},
	PathHints: []string{"nginx"},
	New:       func(cfg Config) (Parser, error) { return &nginxErrorParser{clock: cfg.Clock}, nil },
}

// nginxErrorParser parses one Nginx error log input.
type nginxErrorParser struct {
	clock *Clock
	// closed is set when the entry being joined is known to be complete:
	// its double quotes balance, so a FastCGI stderr string is not left
	// open. The zero value (nothing seen yet) joins greedily.
	closed bool
}

// nginxStamp parses "2026/11/20 14:02:11" at the start of b.
func (p *nginxErrorParser) nginxStamp(b []byte) (y, mo, d, h, mi, s int, ok bool) {
	if len(b) < 19 || b[4] != '/' || b[7] != '/' || b[10] != ' ' || b[13] != ':' || b[16] != ':' {
		return
	}
	var o [6]bool
	y, o[0] = digits4(b, 0)
	mo, o[1] = digits2(b, 5)
	d, o[2] = digits2(b, 8)
	h, o[3] = digits2(b, 11)
	mi, o[4] = digits2(b, 14)
	s, o[5] = digits2(b, 17)
	ok = o[0] && o[1] && o[2] && o[3] && o[4] && o[5]
	return
}

// Continues joins the lines of a multi-line entry. A line that begins with
// an Nginx time stamp and "[" starts a new entry. Any other line continues
// the entry while the entry has an unbalanced double quote (FastCGI stderr
// output quoted as "…" that spans lines); once the quotes balance, only
// lines that look like a trace (indented, "Stack trace:", "#0 …",
// "PHP message: …", Lua's "stack traceback:" …) or blank lines continue it,
// so that foreign lines are counted as unparsed.
func (p *nginxErrorParser) Continues(line []byte) bool {
	if _, _, _, _, _, _, ok := p.nginxStamp(line); ok && len(line) > 20 && line[19] == ' ' && line[20] == '[' || nginxStderrLevel(line) > 0 {
		p.closed = bytes.Count(line, []byte{'"'})&1 == 0
		return false
	}
	if !p.closed {
		if bytes.Count(line, []byte{'"'})&1 == 1 {
			p.closed = true
		}
		return true
	}
	return nginxTraceLine(line)
}

// nginxTraceLine reports whether a line without a time stamp looks like
// part of a multi-line message: blank, indented, a PHP or Lua trace line.
func nginxTraceLine(l []byte) bool {
	if len(trimSpace(l)) == 0 {
		return true
	}
	switch l[0] {
	case ' ', '\t':
		return true
	case '#':
		return len(l) > 1 && l[1] >= '0' && l[1] <= '9'
	}
	return bytes.HasPrefix(l, []byte("Stack trace:")) ||
		bytes.HasPrefix(l, []byte("PHP message: ")) ||
		bytes.HasPrefix(l, []byte("PHP ")) ||
		bytes.HasPrefix(l, []byte("Next ")) ||
		bytes.HasPrefix(l, []byte("stack traceback:")) ||
		bytes.HasPrefix(l, []byte("coroutine "))
}

// nginxLevel maps Nginx's level words; ok is false for anything else.
func nginxLevel(b []byte) (Level, bool) {
	switch string(b) {
	case "debug":
		return LevelDebug, true
	case "info":
		return LevelInfo, true
	case "notice":
		return LevelNotice, true
	case "warn":
		return LevelWarn, true
	case "error":
		return LevelError, true
	case "crit":
		return LevelCrit, true
	case "alert":
		return LevelAlert, true
	case "emerg":
		return LevelEmerg, true
	}
	return LevelUnknown, false
}

// nginxStderrLevel returns the end of the "nginx: [emerg] " prefix Nginx
// puts on what it writes to stderr, or 0.
func nginxStderrLevel(b []byte) int {
	if len(b) < 14 || string(b[:8]) != "nginx: [" {
		return 0
	}
	rb := bytes.IndexByte(b[8:min(len(b), 16)], ']')
	if rb < 0 || 9+rb >= len(b) || b[9+rb] != ' ' {
		return 0
	}
	if _, ok := nginxLevel(b[8 : 8+rb]); !ok {
		return 0
	}
	return 10 + rb
}

// Parse reads one Nginx error entry.
func (p *nginxErrorParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	if e := nginxStderrLevel(b); e > 0 {
		// "nginx: [emerg] message": no time, pid or context
		ev.Level, _ = nginxLevel(b[8 : e-2])
		ev.Message = str(errlogTrimRight(b[e:]))
		return len(ev.Message) > 0
	}
	y, mo, d, h, mi, s, ok := p.nginxStamp(b)
	if !ok || len(b) < 23 || b[19] != ' ' || b[20] != '[' {
		return false
	}
	rb := bytes.IndexByte(b[21:min(len(b), 30)], ']')
	if rb < 0 {
		return false
	}
	lvl, known := nginxLevel(b[21 : 21+rb])
	if !known {
		return false
	}
	t, ok := p.clock.LocalTime(y, mo, d, h, mi, s, 0)
	if !ok {
		return false
	}
	ev.Time, ev.Level = t, lvl
	i := 21 + rb + 1
	if i < len(b) && b[i] == ' ' {
		i++
	}
	// pid#tid:
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j > i && j < len(b) && b[j] == '#' {
		ev.PID, _ = atoi(b[i:j])
		k := j + 1
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		tid, _ := atoi(b[j+1 : k])
		ev.TID = int64(tid)
		if k < len(b) && b[k] == ':' {
			k++
		}
		i = k
		if i < len(b) && b[i] == ' ' {
			i++
		}
	}
	// *connection
	if i < len(b) && b[i] == '*' {
		k := i + 1
		for k < len(b) && b[k] >= '0' && b[k] <= '9' {
			k++
		}
		conn, _ := atoi(b[i+1 : k])
		ev.Conn = int64(conn)
		i = k
		if i < len(b) && b[i] == ' ' {
			i++
		}
	}
	msg := b[i:]
	if ctx := findNginxContext(msg, ev); ctx >= 0 {
		msg = msg[:ctx]
	}
	ev.Message = str(errlogTrimRight(msg))
	return true
}

// errlogTrimRight drops trailing blanks and line breaks (shared by the
// error-log parsers).
func errlogTrimRight(b []byte) []byte {
	for len(b) > 0 {
		switch b[len(b)-1] {
		case ' ', '\t', '\n', '\r':
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return b
}

// nginxContextStarts are the separators that open Nginx's context: the
// http and mail modules write ", client: ", the stream module ", client: "
// or ", udp client: ", connection-level messages of a listener only
// ", server: ".
var nginxContextStarts = [...][]byte{[]byte(", client: "), []byte(", udp client: "), []byte(", server: ")}

// findNginxContext finds the ", client: …" context of msg, fills ev from
// it and returns its offset, or -1. A candidate counts only if the
// key: value pairs run to the end of its line, so that ", client: " inside a
// quoted FastCGI message is not taken for the context. At most 8
// candidates per separator are tried.
func findNginxContext(msg []byte, ev *Event) int {
	for _, sep := range nginxContextStarts {
		from := 0
		// a few candidates at most: a line made of thousands of
		// ", client: " must not cost quadratic time
		for try := 0; try < 8; try++ {
			k := bytes.Index(msg[from:], sep)
			if k < 0 {
				break
			}
			at := from + k
			if parseNginxContext(msg[at:], ev) {
				return at
			}
			from = at + 2
		}
	}
	return -1
}

// parseNginxContext reads the ", key: value" pairs Nginx appends to an
// error message: client, server, request, subrequest, upstream, host,
// referrer (values of the last five quoted), and the stream module's
// "bytes from/to client:1/2" (no space after the colon). It reports false,
// leaving ev as it was, unless the pairs run to the end of the line.
func parseNginxContext(b []byte, ev *Event) bool {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		b = b[:nl]
	}
	b = errlogTrimRight(b)
	saved := nginxCtxSave{ev.Client, ev.Host, ev.Request, ev.Method, ev.Path, ev.Protocol, ev.Upstream, ev.Referer, len(ev.Fields)}
	var server []byte
	hostSeen := false
	for len(b) > 0 {
		if len(b) < 3 || b[0] != ',' || b[1] != ' ' {
			saved.restore(ev)
			return false
		}
		b = b[2:]
		// key: letters, digits, spaces, '/', '_' up to ':'
		c := 0
		for c < len(b) && c < 40 && nginxKeyByte(b[c]) {
			c++
		}
		if c == 0 || c >= len(b) || b[c] != ':' {
			saved.restore(ev)
			return false
		}
		key := b[:c]
		b = b[c+1:]
		if len(b) > 0 && b[0] == ' ' {
			b = b[1:]
		}
		var val []byte
		if len(b) > 0 && b[0] == '"' {
			v, end, ok := quoted(b, 0)
			if !ok {
				saved.restore(ev)
				return false
			}
			val, b = v, b[end:]
		} else {
			end := bytes.Index(b, []byte(", "))
			if end < 0 {
				end = len(b)
			}
			// unquoted values (addresses, names, counters) hold no
			// blanks or quotes: text of the message never passes for one
			if bytes.IndexByte(b[:end], ' ') >= 0 || bytes.IndexByte(b[:end], '"') >= 0 {
				saved.restore(ev)
				return false
			}
			val, b = b[:end], b[end:]
		}
		switch string(key) {
		case "client", "udp client":
			ev.Client = str(val)
		case "server":
			server = val
		case "host":
			ev.Host, hostSeen = str(val), true
		case "request":
			ev.Request = str(val)
			setRequest(ev, val)
		case "upstream":
			ev.Upstream = str(val)
		case "referrer":
			ev.Referer = str(val)
		default:
			ev.Fields = append(ev.Fields, Field{str(key), str(val)})
		}
	}
	// The server name stands in for a missing Host header, unless it is the
	// catch-all "_" or a listening address ("0.0.0.0:443").
	if !hostSeen && len(server) > 0 && !(len(server) == 1 && server[0] == '_') && bytes.IndexByte(server, ':') < 0 {
		ev.Host = str(server)
	}
	return true
}

// nginxKeyByte reports whether c may appear in a context key.
func nginxKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c == ' ' || c == '/' || c == '_' || c >= '0' && c <= '9'
}

// nginxCtxSave holds the fields a failed context parse must restore.
type nginxCtxSave struct {
	client, host, request, method, path, protocol, upstream, referer string
	fields                                                           int
}

// restore puts the saved fields back into ev.
func (s nginxCtxSave) restore(ev *Event) {
	ev.Client, ev.Host, ev.Request, ev.Method, ev.Path = s.client, s.host, s.request, s.method, s.path
	ev.Protocol, ev.Upstream, ev.Referer = s.protocol, s.upstream, s.referer
	ev.Fields = ev.Fields[:s.fields]
}
