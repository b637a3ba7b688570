package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAppLogfmtParse(t *testing.T) {
	tests := []struct {
		name string
		line string
		want appWant
	}{
		{"go kit with duration", appLogfmtFormat.Examples[0], appWant{
			time: "2026-11-20T14:02:10Z", known: true, level: LevelError,
			msg: "db query failed\ndial tcp 10.0.0.5:5432: connect: connection refused", fields: map[string]string{"duration": "1.2s"},
		}},
		{"logrus text quoted time", appLogfmtFormat.Examples[1], appWant{
			time: "2026-11-20T13:02:10Z", known: true, level: LevelError, msg: "db query failed\npq: sorry, too many clients already",
		}},
		{"heroku router H12 with prefix", appLogfmtFormat.Examples[2], appWant{
			time: "2026-11-20T14:02:10.123456Z", known: true, level: LevelError, status: 503, method: "GET", path: "/checkout",
			host: "shop.herokuapp.com", client: "203.0.113.7", code: "H12", module: "heroku[router]", rt: 30, msg: "Request timeout",
			fields: map[string]string{"dyno": "web.1", "request_id": "8601b555-6a83-4c12-8269-97c8e32cdb22", "connect": "0ms"},
		}},
		{"heroku router bare, empty values, unquoted path", `at=error code=H12 desc="Request timeout" method=GET path=/users?sort=&direction= host=teams.example.org fwd="198.51.100.9,10.1.2.3" dyno=web.1 connect=65ms service=30008ms status=503 bytes=0`, appWant{
			level: LevelError, status: 503, path: "/users?sort=&direction=", client: "198.51.100.9", rt: 30.008, code: "H12",
		}},
		{"prometheus escaped quotes", appLogfmtFormat.Examples[3], appWant{
			time: "2026-11-20T14:02:10.123Z", level: LevelError, known: true, module: "scrape manager",
			msg:    "Scrape failed\nGet \"http://10.0.0.5:9100/metrics\": dial tcp 10.0.0.5:9100: connect: connection refused",
			fields: map[string]string{"caller": "scrape.go:1313", "scrape_pool": "node"},
		}},
		{"slog text handler", appLogfmtFormat.Examples[4], appWant{
			time: "2026-11-20T13:02:10.123Z", known: true, level: LevelError, status: 502, method: "POST", path: "/api/orders", msg: "request failed\nupstream: EOF",
		}},
		{"grafana lvl=eror", appLogfmtFormat.Examples[5], appWant{time: "2026-11-20T13:02:10Z", known: true, level: LevelError, module: "context"}},
		{"loki level first, empty value", `level=warn ts=2026-11-20T14:02:12.337611562Z caller=client.go:419 component=client host=loki:3100 msg="error sending batch, will retry" status=500 tenant= error="server returned HTTP status 500 Internal Server Error (500)"`, appWant{
			time: "2026-11-20T14:02:12.337611562Z", known: true, level: LevelWarn, status: 500, module: "client", fields: map[string]string{"tenant": ""},
		}},
		{"slog duration in ms", `time=2026-11-20T14:02:12.456+01:00 level=INFO msg=request method=GET path=/api/items status=200 duration=1.234ms`, appWant{level: LevelInfo, status: 200, rt: 0.001234, msg: "request"}},
		{"no time", `level=error caller=worker.go:44 msg="job failed" job=send_receipt err="redis: connection pool timeout"`, appWant{level: LevelError, msg: "job failed\nredis: connection pool timeout"}},
		{"epoch ts", `ts=1795183330.123 level=debug msg=tick`, appWant{time: "2026-11-20T14:02:10.123Z", known: true, level: LevelDebug, msg: "tick"}},
		{"upper-case keys", `Level=error Msg="boom" Status=500`, appWant{level: LevelError, msg: "boom", status: 500}},
		{"heroku dyno crashed", `2026-11-20T14:02:44.100000+00:00 heroku[web.1]: State changed from up to crashed`, appWant{
			time: "2026-11-20T14:02:44.1Z", known: true, level: LevelError, module: "heroku[web.1]", msg: "State changed from up to crashed",
		}},
		{"heroku memory quota", `2026-11-20T14:02:45.000000+00:00 heroku[worker.1]: Error R14 (Memory quota exceeded)`, appWant{
			time: "2026-11-20T14:02:45Z", known: true, level: LevelError, module: "heroku[worker.1]", code: "R14", msg: "Error R14 (Memory quota exceeded)",
		}},
		{"heroku exit status", `2026-11-20T14:02:46.000000+00:00 heroku[web.1]: Process exited with status 137`, appWant{
			time: "2026-11-20T14:02:46Z", known: true, level: LevelError, module: "heroku[web.1]", msg: "Process exited with status 137",
		}},
		{"heroku clean start", `2026-11-20T14:02:47.000000+00:00 heroku[web.1]: Starting process with command ` + "`bundle exec puma -C config/puma.rb`", appWant{
			time: "2026-11-20T14:02:47Z", known: true, module: "heroku[web.1]", msg: "Starting process with command `bundle exec puma -C config/puma.rb`",
		}},
		{"heroku app output", `2026-11-20T14:02:48.000000+00:00 app[web.1]: USER_AGENT environment variable not set`, appWant{
			time: "2026-11-20T14:02:48Z", known: true, module: "app[web.1]", msg: "USER_AGENT environment variable not set",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := appParseOne(t, appLogfmtFormat, tt.line)
			if !ok {
				t.Fatalf("rejected %s", tt.line)
			}
			tt.want.check(t, ev)
		})
	}
}

func TestAppLogfmtRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`level=error`,
		`msg=hello`,
		`a=1 b=2 c=3`,
		`this is just prose, not logfmt at all`,
		`error: something failed key=value level=error`,
		`level=error msg="unterminated`,
		`level=error msg="x"y z=1`,
		`level=error msg=x one two three four`,
		`"level"=error msg=x`,
		`192.0.2.7 - - [20/Nov/2026:14:02:10 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.4.0" rt=30.001 urt="30.000" us="502"`,
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused), client: 192.0.2.7, server: example.com`,
		`{"level":"error","msg":"x"}`,
		`Nov 20 14:02:10 web-01 app[812]: level=error msg="x"`,
		`2026-11-20T14:02:44.100000+00:00 web-01 app[812]: just text`,
		`[2026-11-20 14:02:10 +0000] [812] [ERROR] level=error msg=x`,
	} {
		if ev, ok := appParseOne(t, appLogfmtFormat, line); ok {
			t.Errorf("accepted %q as %+v", line, ev)
		}
	}
}

// TestAppLogfmtAllocs checks that a line without escapes allocates nothing
// once the arenas are warm.
func TestAppLogfmtAllocs(t *testing.T) {
	p, _ := appLogfmtFormat.New(Config{Clock: NewClock(time.UTC, "test")})
	line := []byte(`ts=2026-11-20T14:02:10.123Z caller=scrape.go:1313 level=error component="scrape manager" scrape_pool=node msg="Scrape failed" err="connect: connection refused"`)
	var ev Event
	allocs := testing.AllocsPerRun(1000, func() {
		ev = Event{}
		if !p.Parse(line, &ev) {
			t.Fatal("rejected")
		}
	})
	if allocs > 0.1 {
		t.Errorf("%.2f allocs per line, want ~0", allocs)
	}
}

// BenchmarkAppLogfmtParse measures app-logfmt on the accepted lines of the
// testdata files, repeated.
func BenchmarkAppLogfmtParse(b *testing.B) {
	path := appBenchFile(b, appLogfmtFormat, 2000)
	benchParse(b, appLogfmtFormat, path)
}

// appBenchFile writes the lines of a format's testdata that its parser
// accepts (entries of one line), repeated n times, to a temporary file.
func appBenchFile(b *testing.B, f *Format, n int) string {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", f.ID, "*.log"))
	p, _ := f.New(Config{Clock: NewClock(time.UTC, "bench")})
	var good []string
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			var ev Event
			if p.Parse([]byte(l), &ev) {
				good = append(good, l)
			}
		}
	}
	var sb strings.Builder
	for i := 0; i < n; i++ {
		for _, l := range good {
			sb.WriteString(l)
			sb.WriteByte('\n')
		}
	}
	path := filepath.Join(b.TempDir(), f.ID+".log")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}
