package parsers

import (
	"bytes"
	"strconv"
	"testing"
)

// TestAccessJSON runs real escape=json layouts through the nginx-access
// parser, which hands lines starting with '{' to accessJSONParser.
func TestAccessJSON(t *testing.T) {
	tests := []struct {
		name string
		line string
		want accessWant
	}{
		{"iso time, numbers unquoted", `{"time":"2022-09-27T06:18:57+00:00","remote_addr":"172.31.68.234","http_x_forwarded_for":"206.81.7.133, 172.70.114.69","request_method":"GET","server_protocol":"HTTP/1.1","request_uri":"/leaf?page=2","status":502,"request_length":512,"request_time":0.002,"body_bytes_sent":157,"bytes_sent":316,"http_referrer":"https://www.example.com/","http_user_agent":"curl/8.5.0"}`,
			accessWant{time: "2022-09-27T06:18:57Z", client: "172.31.68.234", method: "GET", path: "/leaf?page=2", proto: "HTTP/1.1", status: 502, bytes: 157, rt: "0.002", ref: "https://www.example.com/", ua: "curl/8.5.0", fields: map[string]string{"x_forwarded_for": "206.81.7.133, 172.70.114.69"}}},
		{"@timestamp, strings, upstream", `{"@timestamp":"2022-06-15T12:47:11+08:00","clientRealIp":"100.169.0.124","remote_addr":"100.169.0.124","remote_user":"-","time_local":"-","request":"GET /x/status HTTP/1.1","status":"504","body_bytes_sent":"167","http_referer":"-","http_host":"api.example.com","http_user_agent":"Jakarta Commons-HttpClient/3.1","http_x_forwarded_for":"-","upstream_addr":"172.0.0.1:8081, 172.0.0.2:8081","upstream_status":"504, 504","upstream_response_time":"60.001, 60.002","request_time":"120.004","server_name":"api.example.com","request_method":"GET","uri":"/x/status","scheme":"https","server_port":"443"}`,
			accessWant{time: "2022-06-15T04:47:11Z", client: "100.169.0.124", host: "api.example.com", method: "GET", path: "/x/status", proto: "HTTP/1.1", status: 504, bytes: 167, rt: "120.004", urt: "120.003", upstream: "172.0.0.1:8081, 172.0.0.2:8081", ustatus: "504, 504", ua: "Jakarta Commons-HttpClient/3.1"}},
		{"time_local, nested object", `{"time_local": "28/Mar/2022:11:54:42 +0000", "core":{"remote_addr": "172.18.0.1", "remote_user": "", "request": "GET /en/home HTTP/1.1", "status": "200", "body_bytes_sent": "27449", "http_referer": "", "http_user_agent": "Mozilla/5.0"}}`,
			accessWant{time: "2022-03-28T11:54:42Z", client: "172.18.0.1", method: "GET", path: "/en/home", proto: "HTTP/1.1", status: 200, bytes: 27449, ua: "Mozilla/5.0"}},
		{"msec, escaped garbage request", `{"msec":"1763647331.123","remote_addr":"198.51.100.9","request":"\u0016\u0003\u0001\u0000\u00a5\u0001","status":"400","body_bytes_sent":"157","request_time":"0.046","http_user_agent":""}`,
			accessWant{time: "2025-11-20T14:02:11.123Z", epoch: true, client: "198.51.100.9", path: "\x16\x03\x01\x00\u00a5\x01", status: 400, bytes: 157, rt: "0.046"}},
		{"escaped quotes", `{"msec":"1763647332.871","remote_addr":"198.51.100.9","request":"GET /search?q=\"shoes\" HTTP/1.1","status":"200","body_bytes_sent":"9120","request_time":"0.231","upstream_response_time":"0.230","upstream_addr":"unix:/run/php/php8.3-fpm.sock","http_user_agent":"Mozilla/5.0 (compatible; \"Bot\")"}`,
			accessWant{time: "2025-11-20T14:02:12.871Z", epoch: true, client: "198.51.100.9", method: "GET", path: `/search?q="shoes"`, proto: "HTTP/1.1", status: 200, bytes: 9120, rt: "0.231", urt: "0.23", upstream: "unix:/run/php/php8.3-fpm.sock", ua: `Mozilla/5.0 (compatible; "Bot")`}},
		{"unquoted upstream list and dash", `{"time_iso8601":"2026-11-20T14:02:12+01:00","remote_addr":"203.0.113.9","request":"GET /checkout HTTP/2.0","status":502,"body_bytes_sent":157,"request_time":0.017,"upstream_response_time":0.001, 0.016,"upstream_connect_time":-,"upstream_addr":"10.0.0.1:80, 10.0.0.2:80","upstream_status":"502, 502","http_host":"shop.example.com"}`,
			accessWant{time: "2026-11-20T13:02:12Z", client: "203.0.113.9", host: "shop.example.com", method: "GET", path: "/checkout", proto: "HTTP/2.0", status: 502, bytes: 157, rt: "0.017", urt: "0.017", upstream: "10.0.0.1:80, 10.0.0.2:80", ustatus: "502, 502"}},
		{"goaccess-style keys", `{ "timestamp": "2019-05-10T18:34:18+08:00", "@nginx_fields":{"url":"/","clientip": "23.54.19.127", "domain": "www.example.com", "size": 57081, "host":"10.23.1.241","upstreamtime":"0.067","upstreamaddr":"10.23.10.2:14012","responsetime": 0.067, "status": 200, "request": "GET / HTTP/1.1", "request_method": "GET", "referer": "-", "http_x_forwarded_for": "-", "agent": "Mozilla/5.0" }}`,
			accessWant{time: "2019-05-10T10:34:18Z", client: "23.54.19.127", host: "www.example.com", method: "GET", path: "/", proto: "HTTP/1.1", status: 200, bytes: 57081, rt: "0.067", urt: "0.067", upstream: "10.23.10.2:14012", ua: "Mozilla/5.0"}},
		{"epoch string, response_status", `{"timestamp": "1701829064.328","address": "192.168.80.1","method": "GET","request": "GET /api/user/tes HTTP/1.1","body_bytes_sent": 232,"response_status": 404,"http_user_agent": "curl/7.58.0"}`,
			accessWant{time: "2023-12-06T02:17:44.328Z", epoch: true, client: "192.168.80.1", method: "GET", path: "/api/user/tes", proto: "HTTP/1.1", status: 404, bytes: 232, ua: "curl/7.58.0"}},
		{"method and uri only", `{"access_time":"28/Mar/2022:11:54:42 +0200","uri":"/index.php","status":"502","bytes_sent":"559","host":"shop.example.com","upstream":"unix:/run/php/php8.2-fpm.sock","request_method":"POST"}`,
			accessWant{time: "2022-03-28T09:54:42Z", host: "shop.example.com", method: "POST", path: "/index.php", status: 502, bytes: 559, upstream: "unix:/run/php/php8.2-fpm.sock"}},
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

// TestAccessJSONRejects checks JSON that is no access line, and broken
// JSON.
func TestAccessJSONRejects(t *testing.T) {
	for _, line := range []string{
		`{`,
		`{}`,
		`{"level":"info","ts":1763647333.5,"logger":"http.log.access","msg":"handled request","request":{"method":"GET","uri":"/"},"status":200}`,
		`{"level":"error","message":"upstream failed","status":502,"request":"GET / HTTP/1.1","remote_addr":"1.2.3.4"}`,
		`{"status":200,"request":"GET / HTTP/1.1"}`, // no key only access logs write
		`{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1"}`,
		`{"remote_addr":"1.2.3.4","status":200}`,
		`{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":2000}`,
		`{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":200`,
		`{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":200} trailing`,
		`{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1,"status":200}`,
		`{"remote_addr" "1.2.3.4","request":"GET / HTTP/1.1","status":200}`,
		`{"time_iso8601":"2026-11-20T14:02:13+01:00","remote_addr":"203.0.113.9","request":"GET /checkout HTTP/2.0","status":502,"body_bytes_sent":157,"request_time":0.01`,
		`[{"remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":200}]`,
	} {
		if ev, ok := parseWith(t, nginxAccessFormat, Config{}, line); ok {
			t.Errorf("accepted %q as %+v", line, *ev)
		}
	}
}

// TestAccessJSONAllocs: no allocation for a line without escapes, one for
// a line with Fields.
func TestAccessJSONAllocs(t *testing.T) {
	p, _ := nginxAccessFormat.New(Config{Clock: NewClock(nil, "")})
	for _, tc := range []struct {
		line string
		max  float64
	}{
		{`{"time_iso8601":"2026-11-20T14:02:11+01:00","remote_addr":"203.0.113.9","request":"GET /checkout HTTP/2.0","status":502,"body_bytes_sent":157,"request_time":0.017,"upstream_response_time":0.017,"upstream_addr":"unix:/run/php/php8.2-fpm.sock","upstream_status":"502","http_host":"shop.example.com","http_referer":"https://shop.example.com/cart","http_user_agent":"curl/8.5.0"}`, 0},
		{`{"time":"2022-09-27T06:18:57+00:00","remote_addr":"172.31.68.234","http_x_forwarded_for":"206.81.7.133","request_method":"GET","request_uri":"/","status":200,"request_time":0.184,"body_bytes_sent":48211}`, 1},
	} {
		raw := []byte(tc.line)
		ev := new(Event)
		n := testing.AllocsPerRun(200, func() {
			*ev = Event{}
			if !p.Parse(raw, ev) {
				t.Fatalf("not parsed: %s", raw)
			}
		})
		if n > tc.max {
			t.Errorf("%.1f allocs per line, want <= %v: %s", n, tc.max, tc.line)
		}
	}
}

// accessJSONLine renders a parsed combined line as the JSON Nginx writes
// with a typical log_format … escape=json.
func accessJSONLine(ev *Event) []byte {
	var b bytes.Buffer
	q := func(k, v string) {
		b.WriteString(`"` + k + `":"`)
		for i := 0; i < len(v); i++ {
			if v[i] == '"' || v[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v[i])
		}
		b.WriteString(`",`)
	}
	b.WriteByte('{')
	q("time_local", ev.Time.Format("02/Jan/2006:15:04:05 -0700"))
	q("remote_addr", ev.Client)
	q("request", ev.Method+" "+ev.Path+" "+ev.Protocol)
	b.WriteString(`"status":` + strconv.Itoa(ev.Status) + `,`)
	b.WriteString(`"body_bytes_sent":` + strconv.FormatInt(ev.Bytes, 10) + `,`)
	b.WriteString(`"request_time":` + strconv.FormatFloat(max(ev.RequestTime, 0), 'f', 3, 64) + `,`)
	q("upstream_response_time", strconv.FormatFloat(max(ev.UpstreamTime, 0), 'f', 3, 64))
	q("http_referer", ev.Referer)
	b.WriteString(`"http_user_agent":"` + ev.UserAgent + `"}`)
	return b.Bytes()
}

// BenchmarkNginxAccessJSON measures the JSON parser on the generated corpus
// rendered as escape=json lines.
func BenchmarkNginxAccessJSON(b *testing.B) {
	p, _ := nginxAccessFormat.New(Config{Clock: NewClock(nil, "bench")})
	src := accessBenchLines(b, p, FormatNginxAccess, "/tmp/gl/nginx/access.log")
	var lines [][]byte
	for _, l := range src {
		var ev Event
		if len(l) > 0 && l[0] != '{' && p.Parse(l, &ev) && ev.Method != "" && bytes.IndexByte(l, '\\') < 0 {
			lines = append(lines, accessJSONLine(&ev))
		}
	}
	if len(lines) == 0 {
		b.Skip("no input")
	}
	runAccessBench(b, p, lines)
}
