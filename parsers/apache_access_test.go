package parsers

import "testing"

// TestApacheAccessBuiltin checks Apache-specific lines through the
// apache-access format.
func TestApacheAccessBuiltin(t *testing.T) {
	tests := []struct {
		name, line string
		want       accessWant
	}{
		{"Debian combined (%O)", `192.168.10.1 - - [27/Sep/2022:11:26:31 +0200] "GET /code/Chat/server.php HTTP/1.1" 200 660 "https://intranet.example.org/code/FicheClient/Bienvenue.php" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`,
			accessWant{time: "2022-09-27T09:26:31Z", client: "192.168.10.1", method: "GET", path: "/code/Chat/server.php", proto: "HTTP/1.1", status: 200, bytes: 660, ref: "https://intranet.example.org/code/FicheClient/Bienvenue.php", ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"}},
		{"common", `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
			accessWant{time: "2000-10-10T20:55:36Z", client: "127.0.0.1", method: "GET", path: "/apache_pb.gif", proto: "HTTP/1.0", status: 200, bytes: 2326}},
		{"vhost_combined, IPv6 client", `blog.example.com:443 2a02:8108:1b40:4e00::7 - - [20/Nov/2026:14:02:13 +0100] "GET /feed/ HTTP/2.0" 200 14802 "-" "Feedly/1.0"`,
			accessWant{time: "2026-11-20T13:02:13Z", host: "blog.example.com", client: "2a02:8108:1b40:4e00::7", method: "GET", path: "/feed/", proto: "HTTP/2.0", status: 200, bytes: 14802, ua: "Feedly/1.0"}},
		{"vhost_combined, IP vhost", `[2001:db8::1]:80 ::1 - - [20/Nov/2026:14:02:14 +0100] "OPTIONS * HTTP/1.0" 200 126 "-" "Apache/2.4.62 (Debian) (internal dummy connection)"`,
			accessWant{time: "2026-11-20T13:02:14Z", host: "2001:db8::1", client: "::1", method: "OPTIONS", path: "*", proto: "HTTP/1.0", status: 200, bytes: 126, ua: "Apache/2.4.62 (Debian) (internal dummy connection)"}},
		{"combined + %D", `10.53.233.121 - - [16/Feb/2023:16:27:41 -0500] "POST /path/v1/orders HTTP/1.1" 503 299 "-" "Jersey/2.35 (Apache HttpClient 4.5.1)" 30001822`,
			accessWant{time: "2023-02-16T21:27:41Z", client: "10.53.233.121", method: "POST", path: "/path/v1/orders", proto: "HTTP/1.1", status: 503, bytes: 299, rt: "30.001822", ua: "Jersey/2.35 (Apache HttpClient 4.5.1)"}},
		{"TLS on port 80", `198.51.100.23 - - [03/Nov/2015:23:48:54 -0500] "\x16\x03\x01" 400 226 "-" "-"`,
			accessWant{time: "2015-11-04T04:48:54Z", client: "198.51.100.23", path: `\x16\x03\x01`, status: 400, bytes: 226}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := parseWith(t, apacheAccessFormat, Config{}, tt.line)
			if !ok {
				t.Fatalf("not parsed: %s", tt.line)
			}
			checkAccess(t, tt.line, ev, tt.want)
		})
	}
}

// BenchmarkApacheAccessBuiltin measures the built-in layouts on the
// generated Apache log (Debian combined), or on the testdata lines.
func BenchmarkApacheAccessBuiltin(b *testing.B) {
	p, _ := apacheAccessFormat.New(Config{Clock: NewClock(nil, "bench")})
	runAccessBench(b, p, accessBenchLines(b, p, FormatApacheAccess, "/tmp/gl/apache2/access.log"))
}
