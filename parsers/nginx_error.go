package parsers

import (
	"bytes"
)

// nginxErrorFormat is Nginx's error log:
//
//	2026/11/20 14:02:11 [error] 811#811: *4 message, client: …, server: …, request: "…", upstream: "…", host: "…", referrer: "…"
//
// at every level, with and without a connection id; FastCGI stderr output
// that spans lines (PHP stack traces) is joined into one entry.
var nginxErrorFormat = &Format{
	ID:    FormatNginxError,
	Title: "Nginx error log",
	Examples: []string{
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
		`2026/11/20 14:02:11 [error] 1187#1187: *1899575 upstream prematurely closed connection while reading response header from upstream, client: 109.1.191.122, server: shop.example.com, request: "GET /checkout HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com", referrer: "https://shop.example.com/cart"`,
		`2026/11/20 14:02:11 [crit] 1187#1187: *18 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.5, server: _, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "203.0.113.10"`,
		`2026/11/20 14:02:11 [notice] 1188#1188: signal process started`,
		`2026/11/20 14:02:11 [emerg] 2211#2211: bind() to 0.0.0.0:80 failed (98: Address already in use)`,
		`2026/11/20 14:02:11 [warn] 1187#1187: *77 an upstream response is buffered to a temporary file /var/cache/nginx/fastcgi_temp/1/00/0000000001 while reading upstream, client: 198.51.100.20, server: shop.example.com, request: "GET /export.csv HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", host: "shop.example.com"`,
		"2026/11/20 14:02:11 [error] 811#811: *4 FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught Exception: boom in /var/www/html/index.php:3\nStack trace:\n#0 {main}\n  thrown in /var/www/html/index.php on line 3\" while reading response header from upstream, client: 192.0.2.7, server: example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"example.com\"",
	},
	PathHints: []string{"nginx"},
	New:       func(cfg Config) (Parser, error) { return &nginxErrorParser{clock: cfg.Clock}, nil },
}

type nginxErrorParser struct {
	clock *Clock
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

// Continues joins every line that does not begin with an Nginx time stamp
// and level: the rest of a multi-line FastCGI stderr message.
func (p *nginxErrorParser) Continues(line []byte) bool {
	_, _, _, _, _, _, ok := p.nginxStamp(line)
	return !ok || len(line) < 21 || line[19] != ' ' || line[20] != '['
}

var nginxLevels = map[string]Level{
	"debug": LevelDebug, "info": LevelInfo, "notice": LevelNotice, "warn": LevelWarn,
	"error": LevelError, "crit": LevelCrit, "alert": LevelAlert, "emerg": LevelEmerg,
}

func (p *nginxErrorParser) Parse(b []byte, ev *Event) bool {
	y, mo, d, h, mi, s, ok := p.nginxStamp(b)
	if !ok || len(b) < 23 || b[19] != ' ' || b[20] != '[' {
		return false
	}
	rb := bytes.IndexByte(b[21:], ']')
	if rb < 0 || rb > 8 {
		return false
	}
	lvl, known := nginxLevels[string(b[21:21+rb])]
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
	ctx := bytes.Index(msg, []byte(", client: "))
	if ctx < 0 {
		ctx = bytes.Index(msg, []byte(", server: "))
	}
	if ctx >= 0 {
		parseNginxContext(msg[ctx:], ev)
		msg = msg[:ctx]
	}
	ev.Message = str(msg)
	return true
}

// parseNginxContext reads the ", key: value" pairs Nginx appends to an
// error message: client, server, request, subrequest, upstream, host,
// referrer (values of the last four are quoted).
func parseNginxContext(b []byte, ev *Event) {
	for len(b) > 2 && b[0] == ',' && b[1] == ' ' {
		b = b[2:]
		colon := bytes.Index(b, []byte(": "))
		if colon <= 0 {
			return
		}
		key := b[:colon]
		b = b[colon+2:]
		var val []byte
		if len(b) > 0 && b[0] == '"' {
			v, end, ok := quoted(b, 0)
			if !ok {
				return
			}
			val, b = v, b[end:]
		} else {
			end := bytes.Index(b, []byte(", "))
			if end < 0 {
				end = len(b)
			}
			val, b = b[:end], b[end:]
		}
		switch string(key) {
		case "client":
			ev.Client = str(val)
		case "server":
			if ev.Host == "" {
				ev.Host = str(val)
			}
		case "host":
			ev.Host = str(val)
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
}
