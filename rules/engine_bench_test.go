package rules

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
)

// The benchmarks here measure Engine.Match the way scan calls it: with the
// embedded rules (plus synthetic ones, to see how the cost grows with the
// rule count) on events decoded from real logs — the incident testdata and,
// when present, the genlogs corpus ($FAULTLINE_BENCH_DATA or /tmp/gl).

// benchEvents decodes every input under paths (files, directories, globs)
// and returns up to max entries of each input.
func benchEvents(tb testing.TB, max int, paths ...string) []parsers.Event {
	tb.Helper()
	inputs, _ := parsers.Expand(paths, nil)
	plans := parsers.Prepare(inputs, parsers.Options{TZ: time.UTC})
	var out []parsers.Event
	for _, p := range plans {
		n := 0
		_, err := p.Decode(context.Background(), func(batch []parsers.Event) error {
			for i := range batch {
				if n < max {
					out = append(out, batch[i])
					n++
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("%s: %v", p.Input.Path, err)
		}
	}
	return out
}

// benchDataDir is the genlogs corpus: $FAULTLINE_BENCH_DATA, else /tmp/gl
// (cd /work/shared/bench/genlogs && go run . -out /tmp/gl -size 50 -q).
func benchDataDir() string {
	if d := os.Getenv("FAULTLINE_BENCH_DATA"); d != "" {
		return d
	}
	return "/tmp/gl"
}

// processCPU is the CPU time (user + system, all threads: GC included) the
// process has used, from /proc/self/stat; ok is false where there is none.
// Benchmarks report it per line beside the wall time, which on a shared
// machine says more about the waiting than about the work.
func processCPU() (d time.Duration, ok bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// the fields after the command name: state is the first, utime the
	// 12th and stime the 13th, in clock ticks (USER_HZ, 100 on Linux)
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+s) * 10 * time.Millisecond, true
}

// incidentEvents are the entries of every testdata incident's logs.
func incidentEvents(tb testing.TB) []parsers.Event {
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "incidents", "*", "logs"))
	if len(dirs) == 0 {
		tb.Fatal("no testdata/incidents/*/logs")
	}
	return benchEvents(tb, 1<<30, dirs...)
}

// genlogsErrorEvents are up to 20 000 entries of each error-ish genlogs
// file (nil without the corpus).
func genlogsErrorEvents(tb testing.TB) []parsers.Event {
	dir := benchDataDir()
	var paths []string
	for _, f := range []string{"nginx/error.log", "apache2/error.log", "php8.2-fpm.log", "syslog", "app/checkout-api.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			paths = append(paths, filepath.Join(dir, f))
		}
	}
	if len(paths) == 0 {
		return nil
	}
	return benchEvents(tb, 20000, paths...)
}

// isAccess reports whether ev is an access-log line.
func isAccess(ev *parsers.Event) bool {
	return ev.Format == parsers.FormatNginxAccess || ev.Format == parsers.FormatApacheAccess
}

// split sorts events into access lines, and non-access lines no rule of e
// matches.
func split(e *Engine, evs []parsers.Event) (access, noMatch []parsers.Event) {
	for i := range evs {
		switch _, hit := e.Match(&evs[i]); {
		case isAccess(&evs[i]):
			access = append(access, evs[i])
		case !hit:
			noMatch = append(noMatch, evs[i])
		}
	}
	return access, noMatch
}

// benchRuleSet returns the embedded rules resized to n: a spread subset
// when n is smaller, the whole set plus synthetic rules when larger. A
// synthetic rule copies a real rule's scope and cause and needs two or
// three phrases recombined from the words of real literals ("upstream
// worker timed", "pool refused connection"), so that the automaton grows
// the way it would with more real rules and text keeps entering it — but
// no phrase occurs in avoid, so the rule never matches them.
func benchRuleSet(tb testing.TB, n int, avoid []parsers.Event) []*Rule {
	tb.Helper()
	real, err := DefaultRules()
	if err != nil {
		tb.Fatal(err)
	}
	if n <= len(real) {
		out := make([]*Rule, 0, n)
		for i := 0; i < n; i++ {
			out = append(out, real[i*len(real)/n])
		}
		return out
	}
	var words []string
	seen := map[string]bool{}
	for _, r := range real {
		for _, lit := range append(append([]string(nil), r.Contains...), r.Any...) {
			for _, w := range strings.Fields(strings.ToLower(lit)) {
				if len(w) >= 3 && !seen[w] {
					seen[w] = true
					words = append(words, w)
				}
			}
		}
	}
	// candidate phrases, minus those that occur in avoid (found in one
	// pass with the engine's own automaton)
	rng := rand.New(rand.NewPCG(1, 1))
	cands := make([]string, 0, 5*(n-len(real)))
	for len(cands) < cap(cands) {
		parts := make([]string, 2+rng.IntN(2))
		for i := range parts {
			parts[i] = words[rng.IntN(len(words))]
		}
		cands = append(cands, strings.Join(parts, " "))
	}
	occurs := make([]bool, len(cands))
	ls := newLiteralSet(cands)
	for i := range avoid {
		ls.scan(matchText(&avoid[i]), func(p int32) { occurs[p] = true })
	}
	var phrases []string
	for i, p := range cands {
		if !occurs[i] {
			phrases = append(phrases, p)
		}
	}
	phrase := func() string {
		if len(phrases) == 0 {
			tb.Fatal("not enough synthetic phrases")
		}
		p := phrases[len(phrases)-1]
		phrases = phrases[:len(phrases)-1]
		return p
	}
	out := append([]*Rule(nil), real...)
	for i := 0; len(out) < n; i++ {
		tmpl := real[rng.IntN(len(real))]
		r := &Rule{ID: fmt.Sprintf("synthetic-%d", i), Cause: tmpl.Cause, Formats: tmpl.Formats, Contains: []string{phrase()}, File: "synthetic.yaml", Line: i + 1}
		if rng.IntN(2) == 0 {
			r.Contains = append(r.Contains, phrase())
		} else {
			r.Any = []string{phrase(), phrase(), phrase()}
		}
		out = append(out, r)
	}
	return out
}

func benchEngineWith(tb testing.TB, rs []*Rule) *Engine {
	tb.Helper()
	e, err := Compile(testCatalogue(tb), rs)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// benchMatch matches every event once per op and reports lines/s, ns/line,
// allocations per line and the share of lines matched.
func benchMatch(b *testing.B, e *Engine, evs []parsers.Event) {
	if len(evs) == 0 {
		b.Skip("no events")
	}
	var size int64
	for i := range evs {
		size += int64(len(matchText(&evs[i])))
	}
	hits := 0
	for i := range evs {
		if _, ok := e.Match(&evs[i]); ok {
			hits++
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range evs {
			e.Match(&evs[j])
		}
	}
	b.StopTimer()
	cpu1, _ := processCPU()
	runtime.ReadMemStats(&after)
	lines := float64(b.N) * float64(len(evs))
	if cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/lines, "cpu-ns/line")
	}
	b.ReportMetric(lines/b.Elapsed().Seconds()/1e6, "Mlines/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/lines, "allocs/line")
	b.ReportMetric(float64(hits)/float64(len(evs)), "matched/line")
}

// BenchmarkMatchMixed matches the real rules against whole real logs
// (error, access and application lines, matching and not): the incident
// testdata, and the genlogs error logs when present.
func BenchmarkMatchMixed(b *testing.B) {
	e, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("incidents", func(b *testing.B) { benchMatch(b, e, incidentEvents(b)) })
	b.Run("genlogs-errors", func(b *testing.B) { benchMatch(b, e, genlogsErrorEvents(b)) })
}

// BenchmarkMatchNoMatch matches real non-access lines that no embedded rule
// matches (the bulk of an error log on a good day) and real access lines
// (which rules do not read by default) against 100 rules (a subset of the
// embedded ones), the embedded set, and 1 000 and 2 000 rules (the
// embedded ones plus synthetic ones): the cost should barely grow.
func BenchmarkMatchNoMatch(b *testing.B) {
	all := append(incidentEvents(b), genlogsErrorEvents(b)...)
	real, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	access, noMatch := split(real, all)
	if gl := benchDataDir(); dirExists(gl) {
		access = append(access, benchEvents(b, 20000, filepath.Join(gl, "nginx", "access.log"), filepath.Join(gl, "apache2", "access.log"))...)
	}
	for _, n := range []int{100, len(real.rules), 1000, 2000} {
		e := benchEngineWith(b, benchRuleSet(b, n, append(append([]parsers.Event(nil), noMatch...), access...)))
		b.Run(fmt.Sprintf("error-lines/rules=%d", n), func(b *testing.B) { benchMatch(b, e, noMatch) })
		b.Run(fmt.Sprintf("access-lines/rules=%d", n), func(b *testing.B) { benchMatch(b, e, access) })
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// TestMatchAgreesWithRuleByRule checks the prefilter and priority logic of
// Match against the plain definition — the first rule in priority order
// that matches the entry on its own — on every entry of the incident
// testdata, with the embedded rules and with an access-log rule added
// (access lines skip the prefilter only while no rule reads them).
func TestMatchAgreesWithRuleByRule(t *testing.T) {
	var evs []parsers.Event
	for i, ev := range incidentEvents(t) {
		// every error-log entry, and a sample of the (many) access lines
		if !isAccess(&ev) || i%64 == 0 {
			evs = append(evs, ev)
		}
	}
	defaults, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	access := &Rule{ID: "test-access-502", Cause: "upstream-refused", Formats: []string{parsers.FormatNginxAccess, parsers.FormatApacheAccess}, Contains: []string{`" 502 `}, File: "test.yaml", Line: 1}
	for _, rs := range [][]*Rule{defaults, append(append([]*Rule(nil), defaults...), access)} {
		e := benchEngineWith(t, rs)
		lower := map[string]string{}
		hits, accessHits := 0, 0
		for i := range evs {
			ev := &evs[i]
			got, ok := e.Match(ev)
			want, wantOK := matchRuleByRule(e, lower, ev)
			if ok != wantOK || got.Rule != want.Rule || fmt.Sprint(got.Fields) != fmt.Sprint(want.Fields) {
				t.Fatalf("%s:%d: Match = %q %v %v, rule by rule = %q %v %v\n%s", ev.Source, ev.Line, got.Rule, ok, got.Fields, want.Rule, wantOK, want.Fields, ev.Raw)
			}
			if ok {
				hits++
				if got.Rule == access.ID {
					accessHits++
				}
			}
		}
		if hits == 0 || (len(rs) > len(defaults) && accessHits == 0) {
			t.Fatalf("%d rules: %d matches, %d by the access rule: the test data no longer exercises Match", len(rs), hits, accessHits)
		}
	}
}

// matchRuleByRule is Match without the automaton: each rule's literals
// are looked for in the ASCII-folded text, rule after rule in priority
// order.
// lower caches the folded literals.
func matchRuleByRule(e *Engine, lower map[string]string, ev *parsers.Event) (Finding, bool) {
	text := matchText(ev)
	folded := asciiLower(text)
	fbit := uint64(1) << formatIndex[ev.Format]
	for _, c := range e.rules {
		var m uint64
		for i, lit := range c.lits {
			l, ok := lower[lit]
			if !ok {
				l = asciiLower(lit)
				lower[lit] = l
			}
			if strings.Contains(folded, l) {
				m |= 1 << i
			}
		}
		if m&c.need != c.need || (c.anyMask != 0 && m&c.anyMask == 0) {
			continue
		}
		if f, ok := c.match(ev, text, fbit); ok {
			return f, true
		}
	}
	return Finding{}, false
}

// TestMatchNonASCIILiteral: the prefilter folds ASCII only, so a literal
// with non-ASCII capitals must be registered as written, not lower-cased
// the Unicode way ("É" → "é"), or it never sees its text.
func TestMatchNonASCIILiteral(t *testing.T) {
	e := mustCompile(t, `
- id: t-echec
  cause: app-exception
  contains: ["Échec de connexion"]
`)
	ev := parsers.Event{Raw: []byte("2026-11-25 10:00:01 ERROR Échec de connexion à la base")}
	if f, ok := e.Match(&ev); !ok || f.Rule != "t-echec" {
		t.Fatalf("Match = %+v, %v; want t-echec", f, ok)
	}
	ev.Raw = []byte("2026-11-25 10:00:01 ERROR échec de connexion à la base")
	if f, ok := e.Match(&ev); ok {
		t.Fatalf("exact-case literal matched other case: %+v", f)
	}
}
