package parsers

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// accessWant is what an access-line test expects. Empty strings and zeros
// must be empty in the event too; rt and urt are seconds as written by
// strconv ('f', -1), "" when not logged.
type accessWant struct {
	time     string // RFC 3339 in UTC
	client   string
	host     string
	method   string
	path     string
	proto    string
	status   int
	bytes    int64
	rt, urt  string
	upstream string
	ustatus  string
	ref, ua  string
	fields   map[string]string
	zoneless bool // TimeKnownZone must be false
	epoch    bool // a Unix time: TimeKnownZone and TimeEpoch set, no offset learned
}

// checkAccess compares an event with what the test expects.
func checkAccess(t *testing.T, line string, ev *Event, w accessWant) {
	t.Helper()
	secs := func(v float64) string {
		if v < 0 {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	gotTime := ""
	if !ev.Time.IsZero() {
		if ev.Time.Location() != time.UTC {
			t.Errorf("%s: time %v not in UTC", line, ev.Time)
		}
		gotTime = ev.Time.Format(time.RFC3339Nano)
	}
	check := func(name string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s\n  %s = %#v, want %#v", line, name, got, want)
		}
	}
	check("time", gotTime, w.time)
	if w.time != "" {
		check("TimeKnownZone", ev.TimeKnownZone, !w.zoneless)
		check("TimeEpoch", ev.TimeEpoch, w.epoch)
	}
	check("client", ev.Client, w.client)
	check("host", ev.Host, w.host)
	check("method", ev.Method, w.method)
	check("path", ev.Path, w.path)
	check("protocol", ev.Protocol, w.proto)
	check("status", ev.Status, w.status)
	check("level", ev.Level, LevelFromStatus(w.status))
	check("bytes", ev.Bytes, w.bytes)
	check("request time", secs(ev.RequestTime), w.rt)
	check("upstream time", secs(ev.UpstreamTime), w.urt)
	check("upstream", ev.Upstream, w.upstream)
	check("upstream status", ev.UpstreamStatus, w.ustatus)
	check("referer", ev.Referer, w.ref)
	check("user agent", ev.UserAgent, w.ua)
	got := map[string]string{}
	for _, f := range ev.Fields {
		got[f.Key] = f.Value
	}
	for k, v := range w.fields {
		check("field "+k, got[k], v)
	}
	if len(got) != len(w.fields) {
		t.Errorf("%s\n  fields = %v, want %v", line, got, w.fields)
	}
}

// parseWith runs a fresh parser of format over one line.
func parseWith(t *testing.T, f *Format, cfg Config, line string) (*Event, bool) {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = NewClock(time.FixedZone("X", 3600), "test")
	}
	p, err := f.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	raw := []byte(line)
	ev := &Event{Raw: raw, Format: f.ID}
	return ev, p.Parse(raw, ev)
}

// User agents used by several tests.
const (
	uaChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	uaBot    = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)

// TestCombinedVariants runs the built-in layouts (shared by nginx-access
// and apache-access) over real lines of many setups.
func TestCombinedVariants(t *testing.T) {
	tests := []struct {
		name string
		line string
		want accessWant
	}{
		{"nginx combined", `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "` + uaChrome + `"`,
			accessWant{time: "2026-11-20T13:02:11Z", client: "203.0.113.9", method: "GET", path: "/checkout", proto: "HTTP/1.1", status: 502, bytes: 157, ref: "https://shop.example.com/cart", ua: uaChrome}},
		{"user name", `192.0.2.44 - alice [20/Nov/2026:14:02:13 +0100] "POST /api/v1/orders HTTP/1.1" 201 512 "-" "curl/8.5.0"`,
			accessWant{time: "2026-11-20T13:02:13Z", client: "192.0.2.44", method: "POST", path: "/api/v1/orders", proto: "HTTP/1.1", status: 201, bytes: 512, ua: "curl/8.5.0"}},
		{"user name with a space", `192.0.2.44 - bob smith [20/Nov/2026:14:02:13 +0100] "GET /private/ HTTP/1.1" 200 512 "-" "curl/8.5.0"`,
			accessWant{time: "2026-11-20T13:02:13Z", client: "192.0.2.44", method: "GET", path: "/private/", proto: "HTTP/1.1", status: 200, bytes: 512, ua: "curl/8.5.0"}},
		{"IPv6 client", `2a02:8108:1b40:4e00:d15c:9b3f:62a1:ef01 - - [20/Nov/2026:14:02:12 -0500] "GET /static/app.css HTTP/2.0" 304 0 "https://shop.example.com/" "curl/8.5.0"`,
			accessWant{time: "2026-11-20T19:02:12Z", client: "2a02:8108:1b40:4e00:d15c:9b3f:62a1:ef01", method: "GET", path: "/static/app.css", proto: "HTTP/2.0", status: 304, ref: "https://shop.example.com/", ua: "curl/8.5.0"}},
		{"TLS handshake on plain port", `172.68.244.173 - - [24/Aug/2018:12:14:04 +0000] "\x16\x03\x01\x00\xEC\x01\x00\x00\xE8\x03\x03\x8A?\xB5\xFA\x17?\x8A\x9B\x04T>yK\x1A\xF6\x8F_\xBE:.\xF9\xED\xF6\xEE\xFCM\xD0\x88Ji\xDD\xF5 \xFF\xBDm\x98@mo:U" 400 173 "-" "-"`,
			accessWant{time: "2018-08-24T12:14:04Z", client: "172.68.244.173", path: `\x16\x03\x01\x00\xEC\x01\x00\x00\xE8\x03\x03\x8A?\xB5\xFA\x17?\x8A\x9B\x04T>yK\x1A\xF6\x8F_\xBE:.\xF9\xED\xF6\xEE\xFCM\xD0\x88Ji\xDD\xF5 \xFF\xBDm\x98@mo:U`, status: 400, bytes: 173}},
		{"short garbage", `198.51.100.31 - - [20/Nov/2026:14:02:15 +0100] "\x16\x03\x01\x00\xA5\x01" 400 157 "-" "-"`,
			accessWant{time: "2026-11-20T13:02:15Z", client: "198.51.100.31", path: `\x16\x03\x01\x00\xA5\x01`, status: 400, bytes: 157}},
		{"empty request", `45.148.10.62 - - [20/Nov/2026:14:02:15 +0100] "-" 400 0 "-" "-"`,
			accessWant{time: "2026-11-20T13:02:15Z", client: "45.148.10.62", status: 400}},
		{"\\x22 in user agent", `203.0.113.77 - - [20/Nov/2026:14:02:17 +0100] "GET /search?q=%22red+shoes%22 HTTP/1.1" 200 18211 "-" "Mozilla/5.0 \x22quoted\x22"`,
			accessWant{time: "2026-11-20T13:02:17Z", client: "203.0.113.77", method: "GET", path: "/search?q=%22red+shoes%22", proto: "HTTP/1.1", status: 200, bytes: 18211, ua: `Mozilla/5.0 \x22quoted\x22`}},
		{"main with X-Forwarded-For", `10.42.0.7 - - [28/Mar/2022:09:31:17 +0000] "POST /api/login HTTP/1.1" 502 559 "https://app.example.net/login" "curl/7.81.0" "206.81.7.133, 172.70.114.69"`,
			accessWant{time: "2022-03-28T09:31:17Z", client: "10.42.0.7", method: "POST", path: "/api/login", proto: "HTTP/1.1", status: 502, bytes: 559, ref: "https://app.example.net/login", ua: "curl/7.81.0", fields: map[string]string{"x_forwarded_for": "206.81.7.133, 172.70.114.69"}}},
		{"main with IPv6 X-Forwarded-For", `10.42.0.7 - - [28/Mar/2022:09:31:18 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/7.81.0" "2409:8a55:e43b:d10:953:4116:ecc1:f563, 10.252.253.113"`,
			accessWant{time: "2022-03-28T09:31:18Z", client: "10.42.0.7", method: "GET", path: "/", proto: "HTTP/1.1", status: 200, bytes: 5, ua: "curl/7.81.0", fields: map[string]string{"x_forwarded_for": "2409:8a55:e43b:d10:953:4116:ecc1:f563, 10.252.253.113"}}},
		{"request and upstream time", `40.77.167.89 - - [14/Mar/2025:00:00:06 +0000] "GET /category/new-in HTTP/1.1" 200 38586 "-" "` + uaBot + `" 0.074 0.073`,
			accessWant{time: "2025-03-14T00:00:06Z", client: "40.77.167.89", method: "GET", path: "/category/new-in", proto: "HTTP/1.1", status: 200, bytes: 38586, rt: "0.074", urt: "0.073", ua: uaBot}},
		{"no upstream", `79.37.235.27 - - [14/Mar/2025:00:00:12 +0000] "GET /a.webp HTTP/2.0" 200 106663 "-" "curl/8.5.0" 0.000 -`,
			accessWant{time: "2025-03-14T00:00:12Z", client: "79.37.235.27", method: "GET", path: "/a.webp", proto: "HTTP/2.0", status: 200, bytes: 106663, rt: "0", ua: "curl/8.5.0"}},
		{"times and $pipe", `66.249.71.173 - - [08/Nov/2010:14:16:18 -0600] "GET /blog/ HTTP/1.1" 200 6569 "-" "` + uaBot + `" 0.640 0.640 .`,
			accessWant{time: "2010-11-08T20:16:18Z", client: "66.249.71.173", method: "GET", path: "/blog/", proto: "HTTP/1.1", status: 200, bytes: 6569, rt: "0.64", urt: "0.64", ua: uaBot}},
		{"unix socket upstream", `203.0.113.5 - - [14/Mar/2025:14:06:01 +0000] "GET /index.php HTTP/1.1" 502 157 "-" "Wget/1.21.4" 0.001 0.000 unix:/run/php/php8.2-fpm.sock 502`,
			accessWant{time: "2025-03-14T14:06:01Z", client: "203.0.113.5", method: "GET", path: "/index.php", proto: "HTTP/1.1", status: 502, bytes: 157, rt: "0.001", urt: "0", upstream: "unix:/run/php/php8.2-fpm.sock", ustatus: "502", ua: "Wget/1.21.4"}},
		{"upstream lists", `203.0.113.5 - - [14/Mar/2025:14:06:02 +0000] "GET /api/cart HTTP/1.1" 502 157 "-" "okhttp/4.12.0" 0.004 0.001, 0.002 10.0.0.1:80, 10.0.0.2:80 502, 502`,
			accessWant{time: "2025-03-14T14:06:02Z", client: "203.0.113.5", method: "GET", path: "/api/cart", proto: "HTTP/1.1", status: 502, bytes: 157, rt: "0.004", urt: "0.003", upstream: "10.0.0.1:80, 10.0.0.2:80", ustatus: "502, 502", ua: "okhttp/4.12.0"}},
		{"upstream groups", `203.0.113.7 - - [14/Mar/2025:14:06:04 +0000] "GET /api/stock HTTP/1.1" 504 167 "-" "python-requests/2.31.0" 60.002 60.001 : 0.000 10.0.0.1:8080 : 10.0.1.1:8080 504 : 502`,
			accessWant{time: "2025-03-14T14:06:04Z", client: "203.0.113.7", method: "GET", path: "/api/stock", proto: "HTTP/1.1", status: 504, bytes: 167, rt: "60.002", urt: "60.001", upstream: "10.0.0.1:8080 : 10.0.1.1:8080", ustatus: "504 : 502", ua: "python-requests/2.31.0"}},
		{"rt uct uht urt", `192.0.2.44 - alice [20/Nov/2026:14:02:11 +0000] "POST /api/v1/orders HTTP/2.0" 504 167 "-" "curl/8.5.0" "198.51.100.7" rt=60.001 uct="0.000" uht="-" urt="60.001"`,
			accessWant{time: "2026-11-20T14:02:11Z", client: "192.0.2.44", method: "POST", path: "/api/v1/orders", proto: "HTTP/2.0", status: 504, bytes: 167, rt: "60.001", urt: "60.001", ua: "curl/8.5.0", fields: map[string]string{"x_forwarded_for": "198.51.100.7", "uct": "0.000"}}},
		{"quoted rt", `83.99.151.67 - - [19/Sep/2024:06:25:03 +0300] "GET /x.html HTTP/1.1" 200 72151 "-" "curl/8.5.0" "-" rt="0.489" uct="0.000" uht="0.492" urt="0.492"`,
			accessWant{time: "2024-09-19T03:25:03Z", client: "83.99.151.67", method: "GET", path: "/x.html", proto: "HTTP/1.1", status: 200, bytes: 72151, rt: "0.489", urt: "0.492", ua: "curl/8.5.0", fields: map[string]string{"uct": "0.000", "uht": "0.492"}}},
		{"main_ext", `172.20.2.217 - - [30/Apr/2017:14:05:36 +0000] "GET /api/items HTTP/1.1" 200 2291 "-" "curl/8.5.0" "179.178.166.246" "www.example.com" sn="www.example.com" rt=0.250 ua="10.0.0.5:9000, 10.0.0.6:9000" us="502, 200" ut="0.001, 0.249" ul="0, 2291" cs=-`,
			accessWant{time: "2017-04-30T14:05:36Z", client: "172.20.2.217", host: "www.example.com", method: "GET", path: "/api/items", proto: "HTTP/1.1", status: 200, bytes: 2291, rt: "0.25", urt: "0.25", upstream: "10.0.0.5:9000, 10.0.0.6:9000", ustatus: "502, 200", ua: "curl/8.5.0", fields: map[string]string{"x_forwarded_for": "179.178.166.246", "ul": "0, 2291"}}},
		{"msec is not a duration", `10.16.32.116 - - [18/Sep/2017:00:00:02 +0300] "GET /clusters/info HTTP/1.1" 200 2961 "-" "python-requests/2.13.0" "-" "-" 1505682002.133 rt=0.151 ut="0.151" cs=MISS ua="10.16.20.25:8084" us="200"`,
			accessWant{time: "2017-09-17T21:00:02Z", client: "10.16.32.116", method: "GET", path: "/clusters/info", proto: "HTTP/1.1", status: 200, bytes: 2961, rt: "0.151", urt: "0.151", upstream: "10.16.20.25:8084", ustatus: "200", ua: "python-requests/2.13.0", fields: map[string]string{"cs": "MISS"}}},
		{"leading $host", `shop.example.com 192.0.2.1 - - [20/Nov/2026:14:02:11 -0500] "GET /index.php HTTP/1.1" 500 5 "-" "Wget/1.21.4" 0.512 0.511 unix:/run/php/php8.2-fpm.sock`,
			accessWant{time: "2026-11-20T19:02:11Z", host: "shop.example.com", client: "192.0.2.1", method: "GET", path: "/index.php", proto: "HTTP/1.1", status: 500, bytes: 5, rt: "0.512", urt: "0.511", upstream: "unix:/run/php/php8.2-fpm.sock", ua: "Wget/1.21.4"}},
		{"Apache vhost_combined", `www.example.com:443 203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /wp-admin/admin-ajax.php HTTP/1.1" 503 299 "https://www.example.com/wp-admin/" "curl/8.5.0"`,
			accessWant{time: "2026-11-20T13:02:11Z", host: "www.example.com", client: "203.0.113.9", method: "GET", path: "/wp-admin/admin-ajax.php", proto: "HTTP/1.1", status: 503, bytes: 299, ref: "https://www.example.com/wp-admin/", ua: "curl/8.5.0"}},
		{"Apache common, bytes -", `192.0.2.10 - - [20/Nov/2026:09:14:01 +0000] "GET /index.html HTTP/1.1" 304 -`,
			accessWant{time: "2026-11-20T09:14:01Z", client: "192.0.2.10", method: "GET", path: "/index.html", proto: "HTTP/1.1", status: 304}},
		{"Apache internal dummy connection", `::1 - - [29/Aug/2016:16:22:37 -0700] "OPTIONS * HTTP/1.0" 200 - "-" "Apache/2.4.6 (CentOS) mod_wsgi/3.4 Python/2.7.5 (internal dummy connection)"`,
			accessWant{time: "2016-08-29T23:22:37Z", client: "::1", method: "OPTIONS", path: "*", proto: "HTTP/1.0", status: 200, ua: "Apache/2.4.6 (CentOS) mod_wsgi/3.4 Python/2.7.5 (internal dummy connection)"}},
		{"Apache 408", `203.0.113.40 - - [20/Nov/2026:14:02:12 +0100] "-" 408 - "-" "-"`,
			accessWant{time: "2026-11-20T13:02:12Z", client: "203.0.113.40", status: 408}},
		{"Apache escaped quote", `203.0.113.42 - - [20/Nov/2026:14:02:14 +0100] "GET /s HTTP/1.1" 200 811 "-" "Mozilla/5.0 \"quoted\" \\"`,
			accessWant{time: "2026-11-20T13:02:14Z", client: "203.0.113.42", method: "GET", path: "/s", proto: "HTTP/1.1", status: 200, bytes: 811, ua: `Mozilla/5.0 \"quoted\" \\`}},
		{"fractional stamp", `192.0.2.1 - - [20/Nov/2026:14:02:11.123 +0100] "GET / HTTP/1.1" 200 5`,
			accessWant{time: "2026-11-20T13:02:11.123Z", client: "192.0.2.1", method: "GET", path: "/", proto: "HTTP/1.1", status: 200, bytes: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := parseWith(t, nginxAccessFormat, Config{}, tt.line)
			if !ok {
				t.Fatalf("not parsed: %s", tt.line)
			}
			checkAccess(t, tt.line, ev, tt.want)
		})
	}
}

// TestCombinedRejects checks that lines of other formats, and broken
// access lines, are refused.
func TestCombinedRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`-`,
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
		`[Fri Nov 20 14:02:17.123456 2026] [proxy_fcgi:error] [pid 4242:tid 140031] [client 203.0.113.9:51234] AH01071: Got error 'Primary script unknown'`,
		`[20-Nov-2026 14:02:11] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it`,
		`Nov 20 14:02:11 web1 kernel: [1234.5678] Out of memory: Killed process 4242 (php-fpm8.2)`,
		`{"level":"info","msg":"request","status":200}`,
		`203.0.113.9 - - [20/Nov/2026:14:02 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"`,                    // stamp without seconds
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 20 612`,                                   // two-digit status
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0`,                  // unclosed quote
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 61x2`,                                 // bytes
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-"x`,                             // glued token
		`a b c d e [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612`,                                        // too many head tokens
		`203.0.113.9 - - [31/Feb/2026:14:02:11 +9900] "GET / HTTP/1.1" 200 612`,                                  // impossible offset
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100]`,                                                           // truncated
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl" rt="0.1`,               // unclosed extra
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 2000 612 "-" "curl/8.5.0"`,                // status out of range
		`203.0.113.9 - - [20/Nov/2026:14:02:11] "GET / HTTP/1.1" 200 612`,                                        // no offset
		`203.0.113.9 - - [Nov/20/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612`,                                  // stamp order
		`  - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612`,                                            // two tokens
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] GET / HTTP/1.1 200 612`,                                    // unquoted request
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100]"GET / HTTP/1.1" 200 612`,                                   // no space
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1"`,                                          // no status
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" abc`,                                      // no status
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" "unclosed xff`,   // unclosed extra
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0" ua="10.0.0.1:80`, // unclosed kv
	} {
		for _, f := range []*Format{nginxAccessFormat, apacheAccessFormat} {
			if ev, ok := parseWith(t, f, Config{}, line); ok {
				t.Errorf("%s accepted %q as %+v", f.ID, line, *ev)
			}
		}
	}
}

// TestApacheTrailingInteger checks the decision for a bare integer after
// the user agent: %D (microseconds) in apache-access, ignored in
// nginx-access and when two integers make it ambiguous.
func TestApacheTrailingInteger(t *testing.T) {
	line := `10.53.233.120 - - [16/Feb/2023:16:27:35 -0500] "GET /path/v1/healthcheck HTTP/1.1" 200 2 "-" "Jersey/2.35 (Apache HttpClient 4.5.1)" 115030`
	ev, ok := parseWith(t, apacheAccessFormat, Config{}, line)
	if !ok || ev.RequestTime != 0.11503 {
		t.Errorf("apache: ok=%v RequestTime=%v, want 0.11503", ok, ev.RequestTime)
	}
	ev, ok = parseWith(t, apacheAccessFormat, Config{}, strings.Replace(line, "115030", "412", 1))
	if !ok || ev.RequestTime != 0.000412 || ev.UpstreamStatus != "" {
		t.Errorf("apache 3 digits: ok=%v RequestTime=%v UpstreamStatus=%q", ok, ev.RequestTime, ev.UpstreamStatus)
	}
	ev, ok = parseWith(t, nginxAccessFormat, Config{}, line)
	if !ok || ev.RequestTime != -1 {
		t.Errorf("nginx: ok=%v RequestTime=%v, want -1", ok, ev.RequestTime)
	}
	ev, ok = parseWith(t, apacheAccessFormat, Config{}, strings.Replace(line, "115030", "512 3080", 1))
	if !ok || ev.RequestTime != -1 {
		t.Errorf("apache %%I %%O: ok=%v RequestTime=%v, want -1", ok, ev.RequestTime)
	}
}

// TestCombinedAllocs checks that the built-in layout allocates nothing per
// plain line and at most once for a line with extra fields.
func TestCombinedAllocs(t *testing.T) {
	p, _ := nginxAccessFormat.New(Config{Clock: NewClock(nil, "")})
	for _, tc := range []struct {
		line string
		max  float64
	}{
		{`40.77.167.89 - - [14/Mar/2025:00:00:06 +0000] "GET /category/new-in HTTP/1.1" 200 38586 "-" "` + uaBot + `" 0.074 0.073`, 0},
		{`10.42.0.7 - - [28/Mar/2022:09:31:17 +0000] "POST /api/login HTTP/1.1" 502 559 "-" "curl/7.81.0" "206.81.7.133, 172.70.114.69"`, 1},
	} {
		raw := []byte(tc.line)
		ev := new(Event)
		n := testing.AllocsPerRun(200, func() {
			*ev = Event{}
			p.Parse(raw, ev)
		})
		if n > tc.max {
			t.Errorf("%.1f allocs per line, want <= %v: %s", n, tc.max, tc.line)
		}
	}
}

// accessBenchLines returns the lines of the first readable file among
// paths (the generated benchmark corpus), else the lines of the format's
// testdata files that parse, repeated to about 1 MiB.
func accessBenchLines(b *testing.B, p Parser, format string, paths ...string) [][]byte {
	for _, path := range paths {
		if data, err := os.ReadFile(path); err == nil {
			return bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", format, "*.log"))
	var good [][]byte
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		for _, l := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
			var ev Event
			if p.Parse(l, &ev) {
				good = append(good, l)
			}
		}
	}
	if len(good) == 0 {
		b.Skip("no benchmark input")
	}
	var out [][]byte
	for size := 0; size < 1<<20; {
		for _, l := range good {
			out = append(out, l)
			size += len(l) + 1
		}
	}
	return out
}

// runAccessBench parses lines with p b.N times; every line must parse.
func runAccessBench(b *testing.B, p Parser, lines [][]byte) {
	size := 0
	for _, l := range lines {
		size += len(l) + 1
	}
	ev := new(Event)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			*ev = Event{}
			if !p.Parse(l, ev) {
				b.Fatalf("parse failed: %s", l)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}

// TestCombinedForwardedHead: Apache "%{X-Forwarded-For}i %l %u %t …"
// (behind Varnish or a load balancer) puts an address list first.
func TestCombinedForwardedHead(t *testing.T) {
	line := `10.10.49.139, 10.0.0.2 - - [23/May/2022:10:15:17 +0200] "GET /css/animations.min.css HTTP/1.1" 200 18468 "-" "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0"`
	ev, ok := parseWith(t, apacheAccessFormat, Config{}, line)
	if !ok {
		t.Fatalf("not parsed: %s", line)
	}
	checkAccess(t, line, ev, accessWant{time: "2022-05-23T08:15:17Z", client: "10.10.49.139", method: "GET", path: "/css/animations.min.css", proto: "HTTP/1.1", status: 200, bytes: 18468, ua: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:100.0) Gecko/20100101 Firefox/100.0", fields: map[string]string{"x_forwarded_for": "10.10.49.139, 10.0.0.2"}})
	for _, bad := range []string{
		`10.10.49.139, 10.0.0.2 - [23/May/2022:10:15:17 +0200] "GET / HTTP/1.1" 200 5`,
		`10.10.49.139, - - [23/May/2022:10:15:17 +0200] "GET / HTTP/1.1" 200 5`,
	} {
		if _, ok := parseWith(t, apacheAccessFormat, Config{}, bad); ok {
			t.Errorf("accepted %s", bad)
		}
	}
}
