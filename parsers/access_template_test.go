package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Templates as people write them in nginx.conf / httpd.conf.
const (
	tplNginxCombined = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`
	tplNginxTimed    = tplNginxCombined + ` $request_time $upstream_response_time`
	tplApacheDebian  = `%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"`
)

// TestTemplateParse compiles real custom formats and parses real lines
// written with them.
func TestTemplateParse(t *testing.T) {
	tests := []struct {
		name, kind, tpl, line string
		want                  accessWant
	}{
		{"nginx main, pasted from nginx.conf", TemplateNginx, `log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';`,
			`10.42.0.7 - - [28/Mar/2022:09:31:17 +0000] "POST /api/login HTTP/1.1" 502 559 "https://app.example.net/login" "curl/7.81.0" "206.81.7.133, 172.70.114.69"`,
			accessWant{time: "2022-03-28T09:31:17Z", client: "10.42.0.7", method: "POST", path: "/api/login", proto: "HTTP/1.1", status: 502, bytes: 559, ref: "https://app.example.net/login", ua: "curl/7.81.0", fields: map[string]string{"x_forwarded_for": "206.81.7.133, 172.70.114.69"}}},
		{"nginx user with a space, \\x22 in agent", TemplateNginx, tplNginxCombined,
			`172.18.0.1 - bob smith [28/Mar/2022:09:28:48 +0000] "GET /en/home HTTP/1.1" 200 27442 "-" "Mozilla/5.0 \x22x\x22"`,
			accessWant{time: "2022-03-28T09:28:48Z", client: "172.18.0.1", method: "GET", path: "/en/home", proto: "HTTP/1.1", status: 200, bytes: 27442, ua: `Mozilla/5.0 \x22x\x22`, fields: map[string]string{"remote_user": "bob smith"}}},
		{"nginx garbage request", TemplateNginx, tplNginxTimed,
			`198.51.100.31 - - [20/Nov/2026:14:02:15 +0100] "\x16\x03\x01\x00\xA5\x01" 400 157 "-" "-" 0.046 -`,
			accessWant{time: "2026-11-20T13:02:15Z", client: "198.51.100.31", path: `\x16\x03\x01\x00\xA5\x01`, status: 400, bytes: 157, rt: "0.046"}},
		{"nginx api format", TemplateNginx, `'[$time_local] $remote_addr: "$request" ($status) $body_bytes_sent bytes $request_time s $upstream_response_time s'`,
			`[20/Nov/2026:14:02:11 +0100] 2001:db8::7: "GET /api/v1/items HTTP/1.1" (504) 167 bytes 60.001 s 60.000 s`,
			accessWant{time: "2026-11-20T13:02:11Z", client: "2001:db8::7", method: "GET", path: "/api/v1/items", proto: "HTTP/1.1", status: 504, bytes: 167, rt: "60.001", urt: "60"}},
		{"nginx unquoted request, many fields", TemplateNginx, `$request_time $upstream_response_time [$time_local] $request $status $body_bytes_sent "$host" "$http_referer" "$http_user_agent" "$gzip_ratio" $request_length $http_client_ip $remote_addr $remote_user  $connection $connection_requests $upstream_addr $upstream_cache_status`,
			`0.001 0.001 [23/Jan/2017:04:06:22 -0800] GET /app/ajs/x.js HTTP/1.1 304 0 "app.example.com" "https://app.example.com/" "Mozilla/5.0" "-" 988 - 10.1.2.3 -  4710110 31 10.4.5.6:8080 -`,
			accessWant{time: "2017-01-23T12:06:22Z", client: "10.1.2.3", host: "app.example.com", method: "GET", path: "/app/ajs/x.js", proto: "HTTP/1.1", status: 304, rt: "0.001", urt: "0.001", upstream: "10.4.5.6:8080", ref: "https://app.example.com/", ua: "Mozilla/5.0", fields: map[string]string{"request_length": "988", "connection_requests": "31"}}},
		{"nginx braces, lists, unix socket", TemplateNginx, `$remote_addr [$time_local] "$request" $status rt=${request_time}s ua="$upstream_addr" us="$upstream_status" urt="$upstream_response_time"`,
			`203.0.113.5 [14/Mar/2025:14:06:02 +0000] "GET /api/cart HTTP/1.1" 502 rt=0.004s ua="10.0.0.1:80, unix:/run/php/php8.2-fpm.sock" us="502, 502" urt="0.001, 0.002"`,
			accessWant{time: "2025-03-14T14:06:02Z", client: "203.0.113.5", method: "GET", path: "/api/cart", proto: "HTTP/1.1", status: 502, rt: "0.004", urt: "0.003", upstream: "10.0.0.1:80, unix:/run/php/php8.2-fpm.sock", ustatus: "502, 502"}},
		{"nginx IPv6 with port", TemplateNginx, `$remote_addr:$remote_port [$time_iso8601] $status "$request_method $scheme://$host$request_uri $server_protocol"`,
			`2001:db8::1:51234 [2026-11-20T14:02:11+01:00] 502 "GET https://shop.example.com/checkout?step=2 HTTP/2.0"`,
			accessWant{time: "2026-11-20T13:02:11Z", client: "2001:db8::1", host: "shop.example.com", method: "GET", path: "/checkout?step=2", proto: "HTTP/2.0", status: 502, fields: map[string]string{"remote_port": "51234", "scheme": "https"}}},
		{"nginx uri is_args args, msec", TemplateNginx, `$msec $remote_addr $request_method $uri$is_args$args $status $bytes_sent $request_time`,
			`1763647331.123 192.0.2.9 GET /search?q=shoes 200 9120 0.231`,
			accessWant{time: "2025-11-20T14:02:11.123Z", epoch: true, client: "192.0.2.9", method: "GET", path: "/search?q=shoes", status: 200, bytes: 9120, rt: "0.231"}},
		{"nginx escape=json", TemplateNginx, `log_format json escape=json '{"time":"$time_iso8601","remote_addr":"$remote_addr","request":"$request","status":$status,"request_time":$request_time,"upstream_response_time":"$upstream_response_time","http_user_agent":"$http_user_agent"}';`,
			`{"time":"2026-11-20T14:02:11+01:00","remote_addr":"192.0.2.7","request":"GET /a\"b HTTP/1.1","status":502,"request_time":1.5,"upstream_response_time":"1.499","http_user_agent":"x \"y\" \\ z"}`,
			accessWant{time: "2026-11-20T13:02:11Z", client: "192.0.2.7", method: "GET", path: `/a"b`, proto: "HTTP/1.1", status: 502, rt: "1.5", urt: "1.499", ua: `x "y" \ z`}},
		{"nginx upstream_log", TemplateNginx, `$remote_addr $upstream_last_addr [$time_local] "$upstream_method $upstream_uri" $upstream_last_status $upstream_last_response_length`,
			`192.0.2.7 192.168.0.2:80 [20/Nov/2026:14:02:11 +0100] "GET /index.php" 502 157`,
			accessWant{time: "2026-11-20T13:02:11Z", client: "192.0.2.7", fields: map[string]string{"upstream_last_addr": "192.168.0.2:80", "upstream_method": "GET", "upstream_uri": "/index.php", "upstream_last_status": "502", "upstream_last_response_length": "157"}}},
		{"apache Debian combined", TemplateApache, tplApacheDebian,
			`203.0.113.42 - - [20/Nov/2026:14:02:14 +0100] "GET /s HTTP/1.1" 200 811 "-" "Mozilla/5.0 \"quoted\""`,
			accessWant{time: "2026-11-20T13:02:14Z", client: "203.0.113.42", method: "GET", path: "/s", proto: "HTTP/1.1", status: 200, bytes: 811, ua: `Mozilla/5.0 \"quoted\"`}},
		{"apache vhost_combined directive", TemplateApache, `LogFormat "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" vhost_combined`,
			`www.example.com:443 203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /wp-admin/admin-ajax.php HTTP/1.1" 503 299 "https://www.example.com/wp-admin/" "curl/8.5.0"`,
			accessWant{time: "2026-11-20T13:02:11Z", host: "www.example.com", client: "203.0.113.9", method: "GET", path: "/wp-admin/admin-ajax.php", proto: "HTTP/1.1", status: 503, bytes: 299, ref: "https://www.example.com/wp-admin/", ua: "curl/8.5.0", fields: map[string]string{"port": "443"}}},
		{"apache X-Forwarded-For first, %D before request", TemplateApache, `%{X-Forwarded-For}i %l %u %t %D \"%r\"  %>s %b \"%{Referer}i\" \"%{User-Agent}i\"`,
			`10.10.49.139, 10.0.0.2 - - [23/May/2022:10:15:17 +0200] 18598 "GET /css/animations.min.css HTTP/1.1"  200 18468 "-" "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0"`,
			accessWant{time: "2022-05-23T08:15:17Z", client: "10.10.49.139", method: "GET", path: "/css/animations.min.css", proto: "HTTP/1.1", status: 200, bytes: 18468, rt: "0.018598", ua: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0"}},
		{"apache millisecond stamp, %U%q, %{ms}T", TemplateApache, `%v:%p %a %l %u [%{%d/%b/%Y:%H:%M:%S}t.%{msec_frac}t %{%z}t] "%m %U%q %H" %>s %O %{ms}T`,
			`www.example.com:443 203.0.113.7 - - [20/Nov/2026:14:02:11.123 +0100] "GET /index.php?x=1 HTTP/1.1" 503 299 30012`,
			accessWant{time: "2026-11-20T13:02:11.123Z", host: "www.example.com", client: "203.0.113.7", method: "GET", path: "/index.php?x=1", proto: "HTTP/1.1", status: 503, bytes: 299, rt: "30.012", fields: map[string]string{"port": "443"}}},
		{"apache zoneless strftime stamp", TemplateApache, `%{%Y-%m-%d %H:%M:%S}t %a \"%r\" %>s %B %T`,
			`2026-11-20 14:02:11 192.0.2.1 "POST /cgi-bin/upload.cgi HTTP/1.1" 500 531 2`,
			accessWant{time: "2026-11-20T13:02:11Z", zoneless: true, client: "192.0.2.1", method: "POST", path: "/cgi-bin/upload.cgi", proto: "HTTP/1.1", status: 500, bytes: 531, rt: "2"}},
		{"apache balancer, conditions, %<s", TemplateApache, `%h %l %u %t \"%r\" %<s %>s %b \"%!200,304,302{Referer}i\" \"%400,501{User-agent}i\" %{BALANCER_WORKER_NAME}e %T/%D %{UNIQUE_ID}e %L %P/%{tid}P %k %X`,
			`192.0.2.7 - - [20/Nov/2026:14:02:11 +0100] "GET /app/ HTTP/1.1" 200 502 401 "https://shop.example.com/" "-" http://10.0.0.5:8080 0/10482 ZT9kE38AAQEAAAfX1R4AAAAB R3p9aCf2Bbg 4242/140031 0 +`,
			accessWant{time: "2026-11-20T13:02:11Z", client: "192.0.2.7", method: "GET", path: "/app/", proto: "HTTP/1.1", status: 502, bytes: 401, rt: "0.010482", upstream: "http://10.0.0.5:8080", ref: "https://shop.example.com/", fields: map[string]string{"original_status": "200", "duration": "0", "UNIQUE_ID": "ZT9kE38AAQEAAAfX1R4AAAAB", "log_id": "R3p9aCf2Bbg", "keepalive_requests": "0", "conn_status": "+"}}},
		{"apache %{sec}t and %V", TemplateApache, `%{sec}t %V %a \"%r\" %s %b`,
			`1763647331 shop.example.com 192.0.2.1 "GET / HTTP/1.1" 200 -`,
			accessWant{time: "2025-11-20T14:02:11Z", epoch: true, host: "shop.example.com", client: "192.0.2.1", method: "GET", path: "/", proto: "HTTP/1.1", status: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := nginxAccessFormat
			if tt.kind == TemplateApache {
				f = apacheAccessFormat
			}
			ev, ok := parseWith(t, f, Config{Template: tt.tpl, Clock: NewClock(time.FixedZone("CET", 3600), "test")}, tt.line)
			if !ok {
				t.Fatalf("not parsed: %s", tt.line)
			}
			checkAccess(t, tt.line, ev, tt.want)
			if ev.Status != 0 && ev.Level != LevelFromStatus(ev.Status) {
				t.Errorf("level %v for status %d", ev.Level, ev.Status)
			}
		})
	}
	// PID, TID and Conn
	ev, ok := parseWith(t, apacheAccessFormat, Config{Template: `%h %t %P/%{tid}P \"%r\" %>s`}, `192.0.2.7 [20/Nov/2026:14:02:11 +0100] 4242/140031 "GET / HTTP/1.1" 200`)
	if !ok || ev.PID != 4242 || ev.TID != 140031 {
		t.Errorf("apache pid/tid: ok=%v pid=%d tid=%d", ok, ev.PID, ev.TID)
	}
	ev, ok = parseWith(t, nginxAccessFormat, Config{Template: `$remote_addr [$time_local] $pid *$connection "$request" $status`}, `192.0.2.7 [20/Nov/2026:14:02:11 +0100] 811 *4 "GET / HTTP/1.1" 200`)
	if !ok || ev.PID != 811 || ev.Conn != 4 {
		t.Errorf("nginx pid/conn: ok=%v pid=%d conn=%d", ok, ev.PID, ev.Conn)
	}
}

// TestTemplateRejects checks that a template parser refuses lines of
// other layouts.
func TestTemplateRejects(t *testing.T) {
	for _, tc := range []struct{ kind, tpl, line string }{
		{TemplateNginx, tplNginxTimed, `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"`},                          // fields missing
		{TemplateNginx, tplNginxTimed, `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" 0.1 0.1 extra`},            // trailing text
		{TemplateNginx, tplNginxTimed, `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 2000 612 "-" "curl/8.5.0" 0.1 0.1`},                 // status
		{TemplateNginx, tplNginxTimed, `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 61x "-" "curl/8.5.0" 0.1 0.1`},                  // bytes
		{TemplateNginx, tplNginxTimed, `203.0.113.9 - - [20/Nov/2026 14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" 0.1 0.1`},                  // stamp
		{TemplateNginx, tplNginxTimed, `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" abc 0.1`},                  // time
		{TemplateNginx, tplNginxTimed, `2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream`}, // error log
		{TemplateNginx, tplNginxTimed, ``},
		{TemplateApache, tplApacheDebian, `[Fri Nov 20 14:02:17.123456 2026] [proxy_fcgi:error] [pid 4242:tid 140031] [client 203.0.113.9:51234] AH01071: Got error 'Primary script unknown'`},
		{TemplateApache, tplApacheDebian, `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612`},
		{TemplateApache, `%{%Y-%m-%d %H:%M:%S}t %a %>s`, `2026-13-20 14:02:11 192.0.2.1 200`},
	} {
		f := nginxAccessFormat
		if tc.kind == TemplateApache {
			f = apacheAccessFormat
		}
		if ev, ok := parseWith(t, f, Config{Template: tc.tpl}, tc.line); ok {
			t.Errorf("%q accepted %q as %+v", tc.tpl, tc.line, *ev)
		}
	}
}

// TestTemplateErrors checks that bad templates are refused with a message
// that names the problem and its column.
func TestTemplateErrors(t *testing.T) {
	for _, tc := range []struct{ kind, tpl, want string }{
		{TemplateNginx, ``, "empty log format"},
		{TemplateNginx, "  \t", "empty log format"},
		{TemplateApache, ``, "empty log format"},
		{TemplateNginx, `log_format main '';`, "empty log format"},
		{TemplateNginx, `$remote_addr$remote_user`, "$remote_user at column 13 follows $remote_addr with nothing between them"},
		{TemplateNginx, `$remote_addr [$time_local] $status$body_bytes_sent`, "$body_bytes_sent at column 35 follows $status"},
		{TemplateApache, `%h %l %u %t "%r" %>s%b`, "%b at column 21 follows %>s"},
		{TemplateNginx, `$remote_addr - $ [$time_local]`, "$ at column 16 is not followed by a variable name"},
		{TemplateNginx, `$remote_addr ${time_local [x]`, "${ at column 14 is not closed"},
		{TemplateNginx, `$remote_addr ${time-local}`, "invalid variable name ${time-local} at column 14"},
		{TemplateNginx, `log_format main escape=yaml '$remote_addr';`, "unknown escape=yaml at column 17"},
		{TemplateNginx, `log_format main '$remote_addr' x;`, "unexpected 'x' at column 32"},
		{TemplateNginx, `log_format main '$remote_addr;`, "quote at column 17 is not closed"},
		{TemplateNginx, `%h %l %u %t "%r" %>s %b`, "no $variables (is it an Apache LogFormat?"},
		{TemplateApache, `$remote_addr [$time_local]`, "no %directives (is it an Nginx log_format?"},
		{TemplateApache, `%h %l %u %t \"%r\" %>s %Z`, "%Z at column 24: unknown directive %Z"},
		{TemplateApache, `%h %{Referer`, "%{ at column 4 is not closed"},
		{TemplateApache, `%h %`, "% at column 4 ends the format"},
		{TemplateApache, `%h %{%Q}t`, "%{%Q}t at column 4: unsupported strftime conversion %Q"},
		{TemplateApache, `%h %{fortnights}T`, `%{fortnights}T at column 4: unknown unit "fortnights"`},
		{TemplateApache, `%h %i`, "%i at column 4: needs a header name"},
		{TemplateApache, `%h %{ }^tx`, "unknown directive %{ }^tx at column 4"},
		{TemplateApache, `LogFormat "%h %l`, "quote at column 11 is not closed"},
	} {
		_, err := newTemplateParser(tc.kind, Config{Template: tc.tpl})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: error %v, want it to contain %q", tc.kind, tc.tpl, err, tc.want)
		}
		// the formats' constructors pass templates through
		f := nginxAccessFormat
		if tc.kind == TemplateApache {
			f = apacheAccessFormat
		}
		if tc.tpl != "" {
			if _, err := f.New(Config{Template: tc.tpl}); err == nil {
				t.Errorf("%s.New accepted %q", f.ID, tc.tpl)
			}
		}
	}
}

// TestTemplateDetection checks that a --log-format template wins the
// detection of a file written with it.
func TestTemplateDetection(t *testing.T) {
	tpl := `[$time_local] $remote_addr: "$request" ($status) $body_bytes_sent bytes $request_time s $upstream_response_time s`
	path := filepath.Join(t.TempDir(), "api.log")
	data := "[20/Nov/2026:14:02:11 +0100] 192.0.2.7: \"GET /api/v1/items HTTP/1.1\" (200) 512 bytes 0.012 s 0.011 s\n" +
		"[20/Nov/2026:14:02:12 +0100] 192.0.2.8: \"GET /api/v1/items HTTP/1.1\" (504) 167 bytes 60.001 s 60.000 s\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, _ := Expand([]string{path}, nil)
	d, err := Probe(inputs[0], nil, map[string][]string{FormatNginxAccess: {tpl}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Format == nil || d.Format.ID != FormatNginxAccess || d.Template != tpl {
		t.Errorf("detected %v with template %q", d, d.Template)
	}
}

// BenchmarkNginxAccessTemplate measures a compiled Nginx log_format.
func BenchmarkNginxAccessTemplate(b *testing.B) {
	p, err := nginxAccessFormat.New(Config{Clock: NewClock(nil, "bench"), Template: tplNginxTimed})
	if err != nil {
		b.Fatal(err)
	}
	lines := accessBenchLines(b, p, FormatNginxAccess, "/tmp/gl/nginx/access.log")
	runAccessBench(b, p, lines)
}

// BenchmarkApacheAccessTemplate measures a compiled Apache LogFormat.
func BenchmarkApacheAccessTemplate(b *testing.B) {
	p, err := apacheAccessFormat.New(Config{Clock: NewClock(nil, "bench"), Template: tplApacheDebian})
	if err != nil {
		b.Fatal(err)
	}
	lines := accessBenchLines(b, p, FormatApacheAccess, "/tmp/gl/apache2/access.log")
	runAccessBench(b, p, lines)
}

// FuzzAccessTemplate compiles arbitrary templates and parses arbitrary
// lines with them: nothing may panic, and what parses must be sane.
func FuzzAccessTemplate(f *testing.F) {
	f.Add(true, tplNginxTimed, `40.77.167.89 - - [14/Mar/2025:00:00:06 +0000] "GET /category/new-in HTTP/1.1" 200 38586 "-" "curl/8.5.0" 0.074 0.073`)
	f.Add(false, tplApacheDebian, `203.0.113.42 - - [20/Nov/2026:14:02:14 +0100] "GET /s HTTP/1.1" 200 811 "-" "Mozilla/5.0 \"quoted\""`)
	f.Add(false, `%v:%p %a %l %u [%{%d/%b/%Y:%H:%M:%S}t.%{msec_frac}t %{%z}t] "%m %U%q %H" %>s %O %{ms}T`, `www.example.com:443 203.0.113.7 - - [20/Nov/2026:14:02:11.123 +0100] "GET /index.php?x=1 HTTP/1.1" 503 299 30012`)
	f.Add(true, `$remote_addr:$remote_port [$time_iso8601] $status "$request_method $scheme://$host$request_uri $server_protocol"`, `2001:db8::1:51234 [2026-11-20T14:02:11+01:00] 502 "GET https://shop.example.com/checkout?step=2 HTTP/2.0"`)
	f.Add(true, `escape=json '{"time":"$time_iso8601","status":$status,"request":"$request","urt":"$upstream_response_time"}'`, `{"time":"2026-11-20T14:02:11+01:00","status":502,"request":"GET /a\"b HTTP/1.1","urt":"0.001, 0.002 : 0.003"}`)
	f.Add(false, `%{%Y-%m-%d %H:%M:%S}t %{sec}t %a \"%r\" %>s %B %T %{tid}P`, `2026-11-20 14:02:11 1763647331 192.0.2.1 "POST /x HTTP/1.1" 500 531 2 77`)
	f.Fuzz(func(t *testing.T, nginx bool, tpl, line string) {
		kind := TemplateApache
		if nginx {
			kind = TemplateNginx
		}
		p, err := newTemplateParser(kind, Config{Clock: NewClock(time.FixedZone("X", 3600), "fuzz"), Template: tpl})
		if err != nil {
			return
		}
		ev := Event{Raw: []byte(line)}
		if !p.Parse([]byte(line), &ev) {
			return
		}
		if !ev.Time.IsZero() && ev.Time.Location() != time.UTC {
			t.Errorf("time %v not in UTC", ev.Time)
		}
		if ev.Status < 0 || ev.Bytes < 0 || ev.PID < 0 {
			t.Errorf("negative field in %+v", ev)
		}
	})
}

// TestTemplateTrailingBlank: a format that ends with a space (a common
// leftover in nginx.conf) still matches lines whose end was trimmed.
func TestTemplateTrailingBlank(t *testing.T) {
	for _, tpl := range []string{`$remote_addr [$time_local] "$request" $status `, `'$remote_addr [$time_local] "$request" $status ' ;`} {
		ev, ok := parseWith(t, nginxAccessFormat, Config{Template: tpl}, `192.0.2.7 [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 `)
		if !ok || ev.Status != 200 {
			t.Errorf("%q: ok=%v status=%d", tpl, ok, ev.Status)
		}
	}
}
