package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/faultline/faultline/parsers"
)

// testCatalogue is the embedded catalogue; tests fail loudly if it breaks.
func testCatalogue(t testing.TB) *Catalogue {
	t.Helper()
	cat, err := DefaultCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func mustCompile(t testing.TB, yamlText string) *Engine {
	t.Helper()
	rs, err := ParseRuleFile("test.yaml", []byte(yamlText))
	if err != nil {
		t.Fatal(err)
	}
	e, err := Compile(testCatalogue(t), rs)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestLiteralSetMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "abcAB( :1"
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := 0; round < 200; round++ {
		var pats []string
		for i := 0; i < 1+r.IntN(20); i++ {
			pats = append(pats, strings.ToLower(word(1+r.IntN(5))))
		}
		ls := newLiteralSet(pats)
		text := word(r.IntN(60))
		got := map[int32]bool{}
		ls.scan(text, func(p int32) { got[p] = true })
		for i, p := range pats {
			want := strings.Contains(strings.ToLower(text), p)
			if got[int32(i)] != want {
				t.Fatalf("patterns %q text %q: pattern %q found=%v want %v", pats, text, p, got[int32(i)], want)
			}
		}
	}
}

const engineTestRules = `
- id: t-refused
  cause: upstream-refused
  formats: [nginx-error]
  contains: ["connect() failed (111", "while connecting to upstream"]
  regex: 'upstream: "(?P<upstream>[^"]+)"'
- id: t-refused-generic
  cause: upstream-refused
  contains: ["Connection refused"]
- id: t-oom
  cause: oom-killed
  any: ["Out of memory: Killed process", "oom-kill:"]
  regex: 'Killed process (?P<pid>\d+) \((?P<process>[^)]+)\)'
- id: t-case
  cause: disk-full
  contains: ["No space left on device"]
  exclude: ["(ignored)"]
- id: t-lookaround
  cause: db-gone-away
  contains: ["gone away"]
  engine: regexp2
  regex: 'MySQL server has gone away(?! \(ignored\))'
  ignore_case: true
- id: t-access
  cause: upstream-timeout
  formats: [nginx-access]
  contains: ["timeout"]
`

func TestEngineMatch(t *testing.T) {
	e := mustCompile(t, engineTestRules)
	tests := []struct {
		line, rule string
		fields     map[string]string
	}{
		{`2026/11/25 10:00:01 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
			"t-refused", map[string]string{"upstream": "http://127.0.0.1:8080/"}},
		{`Nov 20 14:02:10 web-01 kernel: [12345.678901] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1024kB`, "t-oom", map[string]string{"pid": "4321", "process": "php-fpm8.2"}},
		{`some app: dial tcp: Connection refused`, "t-refused-generic", nil},
		{`write failed: NO SPACE LEFT ON DEVICE`, "", nil},           // case-sensitive literal
		{`write failed: No space left on device (ignored)`, "", nil}, // excluded
		{`PDO: mysql server has GONE AWAY`, "t-lookaround", nil},
		{`PDO: MySQL server has gone away (ignored)`, "", nil},
		{`2026/11/25 10:00:01 [notice] 811#811: signal process started`, "", nil},
	}
	for _, tt := range tests {
		ev, _ := parsers.ParseEntry(tt.line)
		f, ok := e.Match(&ev)
		if tt.rule == "" {
			if ok {
				t.Errorf("%q: matched %s, want nothing", tt.line, f.Rule)
			}
			continue
		}
		if !ok || f.Rule != tt.rule {
			t.Errorf("%q: got rule %q (ok=%v), want %s", tt.line, f.Rule, ok, tt.rule)
			continue
		}
		for k, v := range tt.fields {
			if got := f.Field(k); got != v {
				t.Errorf("%q: field %s = %q, want %q", tt.line, k, got, v)
			}
		}
	}
}

func TestAccessLinesOnlySeenByAccessRules(t *testing.T) {
	e := mustCompile(t, engineTestRules)
	ev := parsers.Event{Format: parsers.FormatNginxAccess, Raw: []byte(`1.2.3.4 - - [20/Nov/2026:14:02:11 +0000] "GET /?q=Connection+refused+timeout HTTP/1.1" 200 1 "-" "-"`)}
	f, ok := e.Match(&ev)
	if !ok || f.Rule != "t-access" {
		t.Fatalf("got %q %v, want t-access only", f.Rule, ok)
	}
}

func TestCompileErrorsNameFileAndLine(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"- id: a\n  cause: nope\n  contains: [x]\n", "test.yaml:1: rule \"a\": unknown cause \"nope\""},
		{"- id: a\n  cause: disk-full\n  contains: [x]\n- id: a\n  cause: disk-full\n  contains: [y]\n", "test.yaml:4: duplicate rule id \"a\""},
		{"- id: a\n  cause: disk-full\n  regex: '(?<=x)y'\n", "test.yaml:1: rule \"a\": regex does not compile"},
		{"- id: a\n  cause: disk-full\n  formats: [nginx]\n  contains: [x]\n", "unknown format \"nginx\""},
		{"- id: a\n  cause: disk-full\n  contans: [x]\n", "test.yaml:3: unknown field \"contans\""},
		{"- id: a\n  cause: disk-full\n", "needs contains, any or regex"},
	}
	for _, tt := range tests {
		rs, err := ParseRuleFile("test.yaml", []byte(tt.yaml))
		if err == nil {
			_, err = Compile(testCatalogue(t), rs)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.yaml, err, tt.want)
		}
	}
}

func TestRegexp2TimeoutIsCountedNotFatal(t *testing.T) {
	e := mustCompile(t, `
- id: t-catastrophic
  cause: app-exception
  engine: regexp2
  regex: '^(a+)+$'
`)
	ev := parsers.Event{Raw: []byte(strings.Repeat("a", 40) + "!")}
	if _, ok := e.Match(&ev); ok {
		t.Fatal("catastrophic pattern matched")
	}
	if got := e.Timeouts()["t-catastrophic"]; got != 1 {
		t.Fatalf("timeouts = %d, want 1", got)
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct{ in, want string }{
		{`open() "/var/www/a.php" failed (13: Permission denied)`, `open() "<str>" failed (<n>: Permission denied)`},
		{`worker 1234 exited at 0x7f3b5c8130a0`, `worker <n> exited at <hex>`},
		{`connect to 10.0.0.5:5432 failed`, `connect to <ip> failed`},
		{`request 6f1c2a9e-1b2c-4d5e-8f90-123456789abc failed in /app/x.py`, `request <uuid> failed in <path>`},
		{`default backend error`, `default backend error`},
	}
	for _, tt := range tests {
		if got := Template(tt.in); got != tt.want {
			t.Errorf("Template(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// syntheticRules makes n rules with random literals that never occur in
// real logs, plus the realistic test rules.
func syntheticRules(n int) string {
	r := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString(engineTestRules)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "- id: synth-%d\n  cause: app-exception\n  contains: [\"zq%dx%d marker\", \"qz%d\"]\n", i, r.IntN(1e6), i, i)
	}
	return b.String()
}

var benchLines = []string{
	`2026/11/25 10:00:01 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
	`2026/11/25 10:00:01 [error] 1187#1187: *1899617 open() "/var/www/shop/public/phpmyadmin/index.php" failed (2: No such file or directory), client: 194.149.240.147, server: shop.example.com, request: "GET /phpmyadmin/index.php HTTP/1.1", host: "shop.example.com"`,
	`[14-Mar-2025 00:00:00] NOTICE: ready to handle connections`,
	`Mar 14 00:00:01 web-01 systemd[1]: logrotate.service: Deactivated successfully.`,
	`{"ts":"2025-03-14T00:00:00.000Z","level":"info","service":"checkout-api","host":"web-01","msg":"db pool stats","open":20,"in_use":3,"idle":17,"wait_count":0}`,
}

func benchEngine(b *testing.B, rules int, lines []string) {
	e := mustCompile(b, syntheticRules(rules))
	evs := make([]parsers.Event, len(lines))
	for i, l := range lines {
		evs[i], _ = parsers.ParseEntry(l)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Match(&evs[i%len(evs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlines/s")
}

func BenchmarkEngineNoMatch100(b *testing.B)  { benchEngine(b, 100, benchLines[1:]) }
func BenchmarkEngineNoMatch1000(b *testing.B) { benchEngine(b, 1000, benchLines[1:]) }
func BenchmarkEngineMixed100(b *testing.B)    { benchEngine(b, 100, benchLines) }
func BenchmarkEngineMixed1000(b *testing.B)   { benchEngine(b, 1000, benchLines) }
