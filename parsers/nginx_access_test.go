package parsers

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAccessExamples checks that every example of both access formats
// parses, with a status and a time.
func TestAccessExamples(t *testing.T) {
	for _, f := range []*Format{nginxAccessFormat, apacheAccessFormat} {
		if len(f.Examples) == 0 {
			t.Errorf("%s has no examples", f.ID)
		}
		for _, ex := range f.Examples {
			ev, ok := parseWith(t, f, Config{}, ex)
			if !ok || ev.Status == 0 || ev.Time.IsZero() || ev.Level == LevelUnknown {
				t.Errorf("%s example not parsed (ok=%v): %s", f.ID, ok, ex)
			}
		}
	}
}

// TestAccessDetectionTie checks that identical combined lines are told
// apart by path hints, and that Nginx wins without one (registry order).
func TestAccessDetectionTie(t *testing.T) {
	lines := `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "curl/8.5.0"
203.0.113.9 - - [20/Nov/2026:14:02:12 +0100] "GET / HTTP/1.1" 200 612 "-" "curl/8.5.0"
`
	dir := t.TempDir()
	for _, tc := range []struct{ path, want string }{
		{"var/log/apache2/access.log", FormatApacheAccess},
		{"var/log/httpd/access_log", FormatApacheAccess},
		{"var/log/nginx/access.log", FormatNginxAccess},
		{"srv/logs/access.log", FormatNginxAccess},
	} {
		p := filepath.Join(dir, tc.path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(lines), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs, _ := Expand([]string{p}, nil)
		d, err := Probe(inputs[0], nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Format == nil || d.Format.ID != tc.want {
			t.Errorf("%s: detected %v, want %s", tc.path, d, tc.want)
		}
	}
}

// BenchmarkNginxAccessBuiltin measures the built-in combined parser on the
// generated corpus (cd /work/shared/bench/genlogs && go run . -out /tmp/gl
// -size 20 -q), or on the testdata lines when it is missing.
func BenchmarkNginxAccessBuiltin(b *testing.B) {
	p, _ := nginxAccessFormat.New(Config{Clock: NewClock(nil, "bench")})
	runAccessBench(b, p, accessBenchLines(b, p, FormatNginxAccess, "/tmp/gl/nginx/access.log"))
}
