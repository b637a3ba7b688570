package parsers

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// errlogParse parses one entry with a fresh parser of format f, zoneless
// stamps read as UTC.
func errlogParse(t *testing.T, f *Format, entry string) (Event, bool) {
	t.Helper()
	p, err := f.New(Config{Clock: NewClock(time.UTC, "test")})
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(entry)
	ev := Event{Raw: b, Format: f.ID}
	ok := p.Parse(b, &ev)
	return ev, ok
}

// errlogEntries frames text into entries with format f's joiner, as the
// decoder does, and returns the parsed events and the number of lines no
// entry understood.
func errlogEntries(t *testing.T, f *Format, text string) (evs []Event, unparsed int) {
	t.Helper()
	p, err := f.New(Config{Clock: NewClock(time.UTC, "test")})
	if err != nil {
		t.Fatal(err)
	}
	s := newStream(f, p)
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		raw := append([]byte(nil), entry...)
		ev := Event{Raw: raw, Format: f.ID, Line: lineNo, Offset: offset}
		if p.Parse(raw, &ev) {
			evs = append(evs, ev)
		} else {
			unparsed += n
		}
	}
	var off int64
	for i, line := range strings.Split(text, "\n") {
		s.feed([]byte(line), int64(i+1), off, false, nil, sink)
		off += int64(len(line) + 1)
	}
	s.close(sink)
	return evs, unparsed
}

// errlogTime parses an RFC 3339 time for expectations.
func errlogTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UTC()
}

// errlogForeign holds lines of other formats that the error-log parsers
// must reject (each parser skips its own format's key).
var errlogForeign = map[string][]string{
	FormatNginxError: {
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
		`2026/11/20 14:02:11 [notice] 1188#1188: signal process started`,
		`nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/sites-enabled/api:12`,
	},
	FormatApacheError: {
		`[Fri Nov 20 14:02:10.123456 2026] [proxy:error] [pid 1:tid 2] (111)Connection refused: [client 192.0.2.1:5555] AH00957: HTTP: attempt to connect to 127.0.0.1 (localhost) failed`,
		`[Fri Nov 20 14:02:10 2026] [error] [client 192.0.2.1] File does not exist: /var/www/favicon.ico`,
		`[2026-11-20 14:02:10.118213] [core:info] [pid 7120:tid 140321] AH00128: File does not exist: /srv/www/favicon.ico`,
	},
	FormatPHPFPM: {
		`[20-Nov-2026 14:02:10] WARNING: [pool www] child 4321 exited on signal 9 (SIGKILL) after 12.345678 seconds from start`,
		`[20-Nov-2026 14:02:10.123456] NOTICE: fpm is running, pid 1563`,
		`NOTICE: PHP message: PHP Warning:  Undefined variable $title in /var/www/html/page.php on line 12`,
	},
	FormatPHPFPMSlow: {
		"[20-Nov-2026 14:02:10]  [pool www] pid 4321\nscript_filename = /var/www/html/index.php\n[0x00007f3b5c8130a0] curl_exec() /var/www/html/lib/Http.php:88",
	},
	FormatPHPError: {
		`[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Uncaught Exception: boom in /var/www/x.php:3`,
		`[20-Nov-2026 14:02:10 Europe/Berlin] some message`,
	},
	// lines no error-log parser may take
	"other": {
		`Nov 20 14:02:10 web-01 php-fpm8.2[1563]: [WARNING] [pool www] child 4321 exited on signal 9 (SIGKILL) after 12.345678 seconds from start`,
		`Nov 20 14:02:10 web-01 nginx[811]: 2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused)`,
		`<27>1 2026-11-20T14:02:10.123Z web-01 apache2 2301 - - [proxy:error] AH00957: HTTP: attempt to connect failed`,
		`Nov 20 14:02:10 web-01 kernel: [12345.678901] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1024kB`,
		`[WARNING] [pool www] child 4321 exited on signal 9 (SIGKILL) after 12.345678 seconds from start`,
		`192.0.2.7 - - [20/Nov/2026:14:02:11 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0"`,
		`{"time":"2026-11-20T14:02:10Z","level":"error","msg":"boom"}`,
		`time=2026-11-20T14:02:10Z level=error msg="db timeout"`,
		`2026-11-20 14:02:10,123 ERROR [main] app.Worker - boom`,
		`[2026-11-20 14:02:10] production.ERROR: SQLSTATE[HY000] [2002] Connection refused`,
		`WARNING: something else wrote this`,
		``,
		"\x00\x00\x00",
	},
}

// errlogRejectsForeign checks that format f's parser takes no line of the
// other formats.
func errlogRejectsForeign(t *testing.T, f *Format) {
	t.Helper()
	for owner, lines := range errlogForeign {
		if owner == f.ID {
			continue
		}
		for _, l := range lines {
			if ev, ok := errlogParse(t, f, l); ok {
				t.Errorf("%s accepted a %s line: %q → %+v", f.ID, owner, l, ev)
			}
		}
	}
}

func TestNginxErrorParse(t *testing.T) {
	tests := []struct {
		name, line                                string
		time                                      string
		level                                     Level
		pid                                       int
		tid, conn                                 int64
		msg, client, host, request, upstream, ref string
		method, path                              string
		fields                                    map[string]string
	}{
		{
			name: "upstream refused",
			line: `2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
			time: "2026-11-20T14:02:11Z", level: LevelError, pid: 811, tid: 811, conn: 4,
			msg:    "connect() failed (111: Connection refused) while connecting to upstream",
			client: "192.0.2.7", host: "example.com", request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/",
			method: "GET", path: "/",
		},
		{
			name: "upstream timed out with referrer",
			line: `2017/02/03 16:36:10 [error] 7588#7588: *3345968 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 198.51.100.23, server: forum.example.org, request: "GET /forum/socket.io/?EIO=3 HTTP/1.1", upstream: "http://127.0.0.1:4567/forum/socket.io/?EIO=3", host: "forum.example.org", referrer: "https://forum.example.org/"`,
			time: "2017-02-03T16:36:10Z", level: LevelError, pid: 7588, tid: 7588, conn: 3345968,
			msg:    "upstream timed out (110: Connection timed out) while reading response header from upstream",
			client: "198.51.100.23", host: "forum.example.org", request: "GET /forum/socket.io/?EIO=3 HTTP/1.1",
			upstream: "http://127.0.0.1:4567/forum/socket.io/?EIO=3", ref: "https://forum.example.org/",
			method: "GET", path: "/forum/socket.io/?EIO=3",
		},
		{
			name: "unix socket missing, server name as host",
			line: `2026/11/20 14:02:11 [crit] 1187#1187: *18 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream, client: 203.0.113.5, server: shop.example.com, request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:"`,
			time: "2026-11-20T14:02:11Z", level: LevelCrit, pid: 1187, tid: 1187, conn: 18,
			msg:    "connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream",
			client: "203.0.113.5", host: "shop.example.com", request: "GET /index.php HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:",
			method: "GET", path: "/index.php",
		},
		{
			name: "emerg config error", line: `2026/11/21 09:02:00 [emerg] 2899#2899: unknown directive "proxy_passs" in /etc/nginx/sites-enabled/api:12`,
			time: "2026-11-21T09:02:00Z", level: LevelEmerg, pid: 2899, tid: 2899,
			msg: `unknown directive "proxy_passs" in /etc/nginx/sites-enabled/api:12`,
		},
		{
			// what nginx -t and a starting container or unit write to stderr
			name: "stderr, no time", line: `nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)`,
			level: LevelEmerg, msg: "bind() to 0.0.0.0:80 failed (98: Address already in use)",
		},
		{
			name: "stderr warn", line: `nginx: [warn] the "ssl" directive is deprecated, use the "listen ... ssl" directive instead in /etc/nginx/conf.d/default.conf:5`,
			level: LevelWarn, msg: `the "ssl" directive is deprecated, use the "listen ... ssl" directive instead in /etc/nginx/conf.d/default.conf:5`,
		},
		{
			name: "worker_connections without conn", line: `2026/04/08 15:42:33 [alert] 2345#0: 1024 worker_connections are not enough`,
			time: "2026-04-08T15:42:33Z", level: LevelAlert, pid: 2345, msg: "1024 worker_connections are not enough",
		},
		{
			name: "accept4 too many open files", line: `2026/11/21 09:01:28 [crit] 2844#2844: accept4() failed (24: Too many open files)`,
			time: "2026-11-21T09:01:28Z", level: LevelCrit, pid: 2844, tid: 2844, msg: "accept4() failed (24: Too many open files)",
		},
		{
			name: "ssl handshake: listen address is no host",
			line: `2018/06/24 22:41:22 [crit] 61481#61481: *1228609 SSL_do_handshake() failed (SSL: error:14209102:SSL routines:tls_early_post_process_client_hello:unsupported protocol) while SSL handshaking, client: 54.208.42.136, server: 0.0.0.0:443`,
			time: "2018-06-24T22:41:22Z", level: LevelCrit, pid: 61481, tid: 61481, conn: 1228609,
			msg:    "SSL_do_handshake() failed (SSL: error:14209102:SSL routines:tls_early_post_process_client_hello:unsupported protocol) while SSL handshaking",
			client: "54.208.42.136",
		},
		{
			name: "limiting requests",
			line: `2024/01/15 03:42:17 [error] 1234#1234: *98231 limiting requests, excess: 5.000 by zone "api_limit", client: 203.0.113.47, server: api.example.com, request: "POST /v1/checkout HTTP/1.1"`,
			time: "2024-01-15T03:42:17Z", level: LevelError, pid: 1234, tid: 1234, conn: 98231,
			msg:    `limiting requests, excess: 5.000 by zone "api_limit"`,
			client: "203.0.113.47", host: "api.example.com", request: "POST /v1/checkout HTTP/1.1", method: "POST", path: "/v1/checkout",
		},
		{
			name: "subrequest into Fields",
			line: `2026/11/21 09:01:19 [error] 2844#2844: *21 auth request unexpected status: 502 while sending to client, client: 192.0.2.12, server: app.example.com, request: "GET /dashboard HTTP/1.1", subrequest: "/oauth2/auth", upstream: "http://127.0.0.1:4180/oauth2/auth", host: "app.example.com"`,
			time: "2026-11-21T09:01:19Z", level: LevelError, pid: 2844, tid: 2844, conn: 21,
			msg:    "auth request unexpected status: 502 while sending to client",
			client: "192.0.2.12", host: "app.example.com", request: "GET /dashboard HTTP/1.1", upstream: "http://127.0.0.1:4180/oauth2/auth",
			method: "GET", path: "/dashboard", fields: map[string]string{"subrequest": "/oauth2/auth"},
		},
		{
			name: "grpc upstream",
			line: `2020/10/04 09:32:30 [crit] 235#235: *1641 connect() to 10.42.207.51:50051 failed (22: Invalid argument) while connecting to upstream, client: 172.17.17.17, server: service.test.com, request: "POST /helloworld.Greeter/SayHello HTTP/2.0", upstream: "grpc://10.42.207.51:50051", host: "service.test.com:443"`,
			time: "2020-10-04T09:32:30Z", level: LevelCrit, pid: 235, tid: 235, conn: 1641,
			msg:    "connect() to 10.42.207.51:50051 failed (22: Invalid argument) while connecting to upstream",
			client: "172.17.17.17", host: "service.test.com:443", request: "POST /helloworld.Greeter/SayHello HTTP/2.0", upstream: "grpc://10.42.207.51:50051",
			method: "POST", path: "/helloworld.Greeter/SayHello",
		},
		{
			name: "uwsgi upstream, empty server name",
			line: `2026/11/21 09:01:15 [error] 2844#2844: *17 upstream prematurely closed connection while reading response header from upstream, client: 192.0.2.10, server: , request: "POST /graphql HTTP/1.1", upstream: "uwsgi://unix:///run/uwsgi/app/api/socket:", host: "api.example.com"`,
			time: "2026-11-21T09:01:15Z", level: LevelError, pid: 2844, tid: 2844, conn: 17,
			msg:    "upstream prematurely closed connection while reading response header from upstream",
			client: "192.0.2.10", host: "api.example.com", request: "POST /graphql HTTP/1.1", upstream: "uwsgi://unix:///run/uwsgi/app/api/socket:",
			method: "POST", path: "/graphql",
		},
		{
			name: "stream module: udp client and byte counters",
			line: `2019/09/09 10:00:00 [alert] 10485#0: *3 sendmsg() failed (92: Protocol not available) while proxying and sending to client, udp client: 198.51.100.53, server: 0.0.0.0:53, upstream: "10.0.0.53:53", bytes from/to client:1350/0, bytes from/to upstream:1350/1350`,
			time: "2019-09-09T10:00:00Z", level: LevelAlert, pid: 10485, conn: 3,
			msg:    "sendmsg() failed (92: Protocol not available) while proxying and sending to client",
			client: "198.51.100.53", upstream: "10.0.0.53:53",
			fields: map[string]string{"bytes from/to client": "1350/0", "bytes from/to upstream": "1350/1350"},
		},
		{
			name: "mail module: unquoted upstream and login",
			line: `2026/11/21 09:01:39 [error] 2844#2844: *36 upstream sent invalid response: "-ERR invalid" while reading response from upstream, client: 198.51.100.61, server: 0.0.0.0:993, login: "alice", upstream: 10.0.0.30:143`,
			time: "2026-11-21T09:01:39Z", level: LevelError, pid: 2844, tid: 2844, conn: 36,
			msg:    `upstream sent invalid response: "-ERR invalid" while reading response from upstream`,
			client: "198.51.100.61", upstream: "10.0.0.30:143", fields: map[string]string{"login": "alice"},
		},
		{
			name: "port context key",
			line: `2026/11/21 09:01:40 [error] 2844#2844: *37 no resolver defined to resolve backend.internal, client: 192.0.2.20, server: api.example.com, request: "GET / HTTP/1.1", port: 8443, host: "api.example.com"`,
			time: "2026-11-21T09:01:40Z", level: LevelError, pid: 2844, tid: 2844, conn: 37,
			msg:    "no resolver defined to resolve backend.internal",
			client: "192.0.2.20", host: "api.example.com", request: "GET / HTTP/1.1", method: "GET", path: "/",
			fields: map[string]string{"port": "8443"},
		},
		{
			name: "client: inside the FastCGI message is not the context",
			line: `2026/11/20 14:06:02 [error] 24101#24101: *9 FastCGI sent in stderr: "PHP message: login failed, client: unknown, reason: bad password" while reading response header from upstream, client: 77.172.142.229, server: shop.example.com, request: "POST /login HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"`,
			time: "2026-11-20T14:06:02Z", level: LevelError, pid: 24101, tid: 24101, conn: 9,
			msg:    `FastCGI sent in stderr: "PHP message: login failed, client: unknown, reason: bad password" while reading response header from upstream`,
			client: "77.172.142.229", host: "shop.example.com", request: "POST /login HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:",
			method: "POST", path: "/login",
		},
		{
			name: "debug level", line: `2021/07/22 21:38:02 [debug] 218910#218910: *1 http write filter: l:1 f:1 s:743`,
			time: "2021-07-22T21:38:02Z", level: LevelDebug, pid: 218910, tid: 218910, conn: 1, msg: "http write filter: l:1 f:1 s:743",
		},
		{
			name: "info level", line: `2016/11/20 14:16:23 [info] 19#0: *1 peer closed connection in SSL handshake (32: Broken pipe) while SSL handshaking, client: 10.128.38.160, server: 0.0.0.0:443`,
			time: "2016-11-20T14:16:23Z", level: LevelInfo, pid: 19, conn: 1,
			msg: "peer closed connection in SSL handshake (32: Broken pipe) while SSL handshaking", client: "10.128.38.160",
		},
		{
			name: "warn level", line: `2026/11/21 09:00:00 [warn] 2841#2841: 4096 worker_connections exceed open file resource limit: 1024`,
			time: "2026-11-21T09:00:00Z", level: LevelWarn, pid: 2841, tid: 2841, msg: "4096 worker_connections exceed open file resource limit: 1024",
		},
		{
			name: "notice level", line: `2026/11/20 14:00:01 [notice] 1188#1188: signal process started`,
			time: "2026-11-20T14:00:01Z", level: LevelNotice, pid: 1188, tid: 1188, msg: "signal process started",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok := errlogParse(t, nginxErrorFormat, tc.line)
			if !ok {
				t.Fatalf("rejected %q", tc.line)
			}
			if tc.time == "" {
				if !ev.Time.IsZero() {
					t.Errorf("time %v, want none", ev.Time)
				}
			} else if want := errlogTime(t, tc.time); !ev.Time.Equal(want) || ev.Time.Location() != time.UTC || ev.TimeKnownZone {
				t.Errorf("time %v (known zone %v), want %v", ev.Time, ev.TimeKnownZone, want)
			}
			checks := []struct{ field, got, want string }{
				{"message", ev.Message, tc.msg}, {"client", ev.Client, tc.client}, {"host", ev.Host, tc.host},
				{"request", ev.Request, tc.request}, {"upstream", ev.Upstream, tc.upstream}, {"referer", ev.Referer, tc.ref},
				{"method", ev.Method, tc.method}, {"path", ev.Path, tc.path},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			if ev.Level != tc.level || ev.PID != tc.pid || ev.TID != tc.tid || ev.Conn != tc.conn {
				t.Errorf("level/pid/tid/conn = %v/%d/%d/%d, want %v/%d/%d/%d", ev.Level, ev.PID, ev.TID, ev.Conn, tc.level, tc.pid, tc.tid, tc.conn)
			}
			if len(ev.Fields) != len(tc.fields) {
				t.Errorf("fields %v, want %v", ev.Fields, tc.fields)
			}
			for k, v := range tc.fields {
				if ev.Field(k) != v {
					t.Errorf("field %s = %q, want %q", k, ev.Field(k), v)
				}
			}
		})
	}
}

func TestNginxErrorFastCGIMultiline(t *testing.T) {
	text := `2026/11/20 14:06:20 [error] 24101#24101: *1899740 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/shop/src/Db.php:39
Stack trace:
#0 /var/www/shop/src/Db.php(39): PDO->__construct()
#1 {main}

Next Doctrine\DBAL\Exception\ConnectionException: An exception occurred in the driver in /var/www/shop/src/Conv.php:103
Stack trace:
#0 {main}
  thrown in /var/www/shop/src/Conv.php on line 103" while reading response header from upstream, client: 212.54.242.225, server: shop.example.com, request: "POST /checkout HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"
2013/05/30 22:07:34 [error] 19162#0: *490 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Maximum execution time of 30 seconds exceeded in /home/www/index.phtml on line 10
PHP message: PHP Fatal error:  Allowed memory size of 536870912 bytes exhausted (tried to allocate 473939968 bytes) in Unknown on line 0" while reading response header from upstream, client: 198.51.100.49, server: www.example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/dev/shm/php-cgi.sock:", host: "www.example.com"
2026/11/20 14:06:21 [error] 24101#24101: *9 FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined array key "sku" in /x.php on line 87; PHP message: PHP Warning:  Undefined array key "id" in /x.php on line 91" while reading response header from upstream, client: 77.172.142.229, server: shop.example.com, request: "GET /p/42 HTTP/2.0", upstream: "fastcgi://127.0.0.1:9000", host: "shop.example.com"
a stray line that belongs to no entry
2026/11/22 10:14:55 [error] 16601#0: *1089526 lua entry thread aborted: runtime error: lualib/resty/redis.lua:335: bad request
stack traceback:
coroutine 0:
	[C]: in function 'send'
	content_by_lua(nginx.conf:163):4: in function <content_by_lua(nginx.conf:163):1>, client: 198.51.100.72, server: localhost, request: "POST /ajax HTTP/1.1", host: "gw.example.net"
2026/11/22 10:14:58 [notice] 16600#0: signal process started`
	evs, unparsed := errlogEntries(t, nginxErrorFormat, text)
	if len(evs) != 5 || unparsed != 1 {
		for _, ev := range evs {
			t.Logf("%d: %q", ev.Line, ev.Raw)
		}
		t.Fatalf("%d entries, %d unparsed lines; want 5 and 1", len(evs), unparsed)
	}
	first := evs[0]
	if first.Line != 1 || strings.Count(string(first.Raw), "\n") != 8 {
		t.Errorf("first entry: line %d, %d line breaks in raw", first.Line, strings.Count(string(first.Raw), "\n"))
	}
	if !strings.HasPrefix(first.Message, `FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught PDOException`) ||
		!strings.HasSuffix(first.Message, `on line 103" while reading response header from upstream`) ||
		!strings.Contains(first.Message, "\nNext Doctrine") {
		t.Errorf("first message %q", first.Message)
	}
	if first.Client != "212.54.242.225" || first.Request != "POST /checkout HTTP/2.0" || first.Upstream != "fastcgi://unix:/run/php/php8.2-fpm.sock:" || first.Host != "shop.example.com" {
		t.Errorf("first context: %+v", first)
	}
	second := evs[1]
	if second.Line != 10 || strings.Count(second.Message, "PHP message: ") != 2 || second.Client != "198.51.100.49" {
		t.Errorf("second entry: line %d, message %q, client %q", second.Line, second.Message, second.Client)
	}
	third := evs[2]
	if strings.Count(third.Message, "PHP message: ") != 2 || third.Upstream != "fastcgi://127.0.0.1:9000" {
		t.Errorf("third entry: %q %q", third.Message, third.Upstream)
	}
	lua := evs[3]
	if lua.Line != 14 || !strings.HasSuffix(lua.Message, "in function <content_by_lua(nginx.conf:163):1>") || lua.Client != "198.51.100.72" || lua.Host != "gw.example.net" {
		t.Errorf("lua entry: line %d, message %q, client %q", lua.Line, lua.Message, lua.Client)
	}
	if evs[4].Message != "signal process started" {
		t.Errorf("last entry %q", evs[4].Message)
	}
}

func TestNginxErrorRejects(t *testing.T) {
	errlogRejectsForeign(t, nginxErrorFormat)
	for _, l := range []string{
		`2026/11/20 14:02:11 [fatal] 811#811: not an nginx level`,
		`2026/11/20 14:02:11 [ERROR] 811#811: upper case is not nginx`,
		`2026/13/20 14:02:11 [error] 811#811: month 13`,
		`2026/11/20 14:02:11 error 811#811: no brackets`,
		`2026/11/20 14:02:11 [err`,
		`2026-11-20 14:02:11 [error] 811#811: dashes`,
	} {
		if ev, ok := errlogParse(t, nginxErrorFormat, l); ok {
			t.Errorf("accepted %q → %+v", l, ev)
		}
	}
}

// BenchmarkNginxErrorTestdata measures the Nginx error parser on the
// benchmark corpus (/tmp/gl, see bench_test.go) or, without it, on this
// package's testdata lines, one Parse per line.
func BenchmarkNginxErrorTestdata(b *testing.B) {
	errlogBench(b, nginxErrorFormat, "/tmp/gl/nginx/error.log", "../testdata/parsers/nginx-error/nginx-proxy-upstreams.log")
}

// errlogBench measures format f over the first readable of paths: lines are
// framed into entries by the format's joiner (as the decoder does) and
// every entry is parsed. It reports MB/s, allocs/op and allocs/line.
func errlogBench(b *testing.B, f *Format, paths ...string) {
	var data []byte
	for _, p := range paths {
		if d, err := os.ReadFile(p); err == nil {
			data = d
			break
		}
	}
	if data == nil {
		b.Skip("no benchmark input")
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	p, err := f.New(Config{Clock: NewClock(time.UTC, "bench")})
	if err != nil {
		b.Fatal(err)
	}
	s := newStream(f, p)
	var ev Event
	parsed := 0
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		ev = Event{Raw: entry}
		if p.Parse(entry, &ev) {
			parsed++
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for n, l := range lines {
			s.feed(l, int64(n+1), 0, false, nil, sink)
		}
		s.close(sink)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if parsed == 0 {
		b.Fatal("nothing parsed")
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*len(lines)), "allocs/line")
}
