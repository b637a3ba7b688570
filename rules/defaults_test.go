package rules

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline/faultline/parsers"
)

func defaultEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestDefaultRulesSelfTest runs every built-in rule's examples, as
// `faultline rules test` does.
func TestDefaultRulesSelfTest(t *testing.T) {
	e := defaultEngine(t)
	for _, f := range e.SelfTest(nil) {
		kind := "match"
		if !f.Want {
			kind = "no_match"
		}
		t.Errorf("%s %s (%s) %s example %q: %s", f.Rule.Where(), f.Rule.ID, f.Rule.Cause, kind, f.Example, f.Problem)
	}
}

// TestDefaultRulesLint fails on lint errors (warnings are allowed).
func TestDefaultRulesLint(t *testing.T) {
	for _, is := range defaultEngine(t).Lint(nil) {
		if is.Error {
			t.Errorf("%s %s: %s", is.Rule.Where(), is.Rule.ID, is.Msg)
		}
	}
}

// TestCatalogueComplete checks that every cause has its content and every
// cause but the change markers has at least one rule.
func TestCatalogueComplete(t *testing.T) {
	e := defaultEngine(t)
	ruled := map[string]bool{}
	for _, r := range e.Rules() {
		ruled[r.Cause] = true
	}
	for _, c := range e.Catalogue().All() {
		if strings.Contains(c.Meaning, "TODO") || len(c.Checks) < 2 || strings.Contains(strings.Join(c.Checks, " "), "TODO") {
			t.Errorf("cause %s: meaning and at least two concrete checks are required", c.ID)
		}
		if c.Kind() == KindCause && len(c.Fixes) == 0 {
			t.Errorf("cause %s: no fixes", c.ID)
		}
		if !ruled[c.ID] {
			t.Errorf("cause %s: no rule produces it", c.ID)
		}
	}
}

// readEntries reads a test file: one entry per line; "\n" inside a line
// stands for a line break of a multi-line entry; blank lines and lines
// starting with "# " are skipped.
func readEntries(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "# ") {
			continue
		}
		out = append(out, strings.ReplaceAll(line, `\n`, "\n"))
	}
	return out
}

// TestBenignLines: lines in testdata/benign/*.log (notices, reloads, 4xx,
// client-closed connections, PHP warnings and deprecations, "ready to
// handle connections" …) must produce no cause (change markers are fine).
func TestBenignLines(t *testing.T) {
	e := defaultEngine(t)
	files, _ := filepath.Glob("testdata/benign/*.log")
	for _, file := range files {
		for _, entry := range readEntries(t, file) {
			ev, _ := parsers.ParseEntry(entry)
			if f, ok := e.Match(&ev); ok && f.Kind == KindCause {
				t.Errorf("%s: benign line classified as %s by rule %s: %q", file, f.Cause, f.Rule, entry)
			}
		}
	}
}

// TestClassification: each line of testdata/classify/*.tsv is
// "<cause-id or change id>\t<entry>" and must be classified as that cause.
func TestClassification(t *testing.T) {
	e := defaultEngine(t)
	files, _ := filepath.Glob("testdata/classify/*.tsv")
	for _, file := range files {
		for _, entry := range readEntries(t, file) {
			want, line, ok := strings.Cut(entry, "\t")
			if !ok {
				t.Errorf("%s: no tab in %q", file, entry)
				continue
			}
			ev, _ := parsers.ParseEntry(line)
			f, matched := e.Match(&ev)
			if !matched || f.Cause != want {
				t.Errorf("%s: got %q (rule %s), want %s for %q (parsed as %q)", file, f.Cause, f.Rule, want, line, ev.Format)
			}
		}
	}
}
