package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// The scenarios under testdata/incidents/<name>/ are real multi-log
// incidents: logs/ holds the inputs, expect.json what an SRE concluded,
// golden/ the rendered reports. TestScenarios runs the whole pipeline over
// each (as `faultline scan testdata/incidents/<name>/logs` would, from the
// repository root) and checks the analysis against expect.json and the
// renderers' output against the goldens; -update rewrites the goldens.

// expectation is one scenario's expect.json.
type expectation struct {
	Incidents []expectedIncident `json:"incidents"`
	// TZ, when set, is passed as --tz would be; otherwise zoneless logs
	// learn their zone from the access logs (or take UTC, the zone the
	// test pins the machine to).
	TZ string `json:"tz,omitempty"`
	// YearRef is the modification time given to every input, which
	// year-less syslog stamps take their year from when no other log states
	// one (a checkout's modification times are arbitrary). Default:
	// defaultYearRef.
	YearRef time.Time `json:"year_ref,omitzero"`
}

type expectedIncident struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Type      string    `json:"type"`
	RootCause string    `json:"root_cause"`
	Chain     []string  `json:"chain"`
	Changes   []string  `json:"changes"`
	Scope     struct {
		SiteWide bool   `json:"site_wide"`
		Path     string `json:"path,omitempty"`
		Host     string `json:"host,omitempty"`
		Upstream string `json:"upstream,omitempty"`
	} `json:"scope"`
}

// defaultYearRef is the modification time the scenarios' inputs are given.
var defaultYearRef = time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)

// windowSlack is how far an incident's start and end may be from the
// expected ones.
const windowSlack = 60 * time.Second

var scenarioFilter = flag.String("scenario", "", "run only the scenarios whose name contains this")

func TestScenarios(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// Sources in the analysis (and so in the goldens) are repo-relative.
	t.Chdir(root)
	// The machine's zone must not change any result.
	t.Setenv("TZ", "UTC")
	engine, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := filepath.Glob(filepath.Join("testdata", "incidents", "*", "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 9 {
		t.Fatalf("found %d scenarios under testdata/incidents, want at least 9", len(dirs))
	}
	for _, exp := range dirs {
		dir := filepath.Dir(exp)
		name := filepath.Base(dir)
		if !strings.Contains(name, *scenarioFilter) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			want := readExpectation(t, exp)
			a := runScenario(t, engine, dir, want)
			checkExpectation(t, a, want)
			checkScenarioGoldens(t, dir, a)
		})
	}
}

func readExpectation(t *testing.T, path string) *expectation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var want expectation
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &want
}

// runScenario runs the pipeline of `faultline scan` over dir/logs.
func runScenario(t *testing.T, engine *rules.Engine, dir string, want *expectation) *Analysis {
	t.Helper()
	inputs, notes := parsers.Expand([]string{filepath.Join(dir, "logs")}, nil)
	for _, n := range notes {
		if n.Err {
			t.Fatalf("expand: %s", n)
		}
	}
	ref := want.YearRef
	if ref.IsZero() {
		ref = defaultYearRef
	}
	for _, in := range inputs {
		in.ModTime = ref
	}
	var popts parsers.Options
	if want.TZ != "" {
		loc, err := time.LoadLocation(want.TZ)
		if err != nil {
			t.Fatal(err)
		}
		popts.TZ = loc
	}
	plans := parsers.Prepare(inputs, popts)
	opts := DefaultOptions()
	opts.Location, opts.ZoneReason = time.UTC, "no zoneless logs"
	for _, p := range plans {
		if p.Clock != nil {
			opts.Location, opts.ZoneReason = p.Clock.Loc, p.Clock.Reason
			break
		}
	}
	b := NewBuilder(engine.Catalogue(), opts)
	for _, n := range notes {
		b.AddNote(n.String())
	}
	sc := &Scanner{Engine: engine, Builder: b}
	if _, errs := sc.Run(context.Background(), plans); len(errs) > 0 {
		t.Fatalf("scan: %v", errs)
	}
	return b.Analyze()
}

func checkExpectation(t *testing.T, a *Analysis, want *expectation) {
	t.Helper()
	if len(a.Incidents) != len(want.Incidents) {
		var got []string
		for _, in := range a.Incidents {
			got = append(got, fmt.Sprintf("%s–%s %s", in.Start.Format(time.TimeOnly), in.End.Format(time.TimeOnly), in.RootCause))
		}
		t.Fatalf("%d incidents (%s), want %d", len(a.Incidents), strings.Join(got, "; "), len(want.Incidents))
	}
	for i, w := range want.Incidents {
		in := a.Incidents[i]
		t.Logf("incident %d: %s – %s %s root %s chain %v confidence %s changes %v site-wide %v",
			in.ID, in.Start.Format(time.RFC3339), in.End.Format(time.RFC3339), in.Type, in.RootCause, in.Chain, in.Confidence, changeKinds(in), in.Scope.SiteWide)
		if d := in.Start.Sub(w.Start).Abs(); d > windowSlack {
			t.Errorf("incident %d: start %s, want %s (±%s)", in.ID, in.Start.Format(time.RFC3339), w.Start.Format(time.RFC3339), windowSlack)
		}
		if d := in.End.Sub(w.End).Abs(); d > windowSlack {
			t.Errorf("incident %d: end %s, want %s (±%s)", in.ID, in.End.Format(time.RFC3339), w.End.Format(time.RFC3339), windowSlack)
		}
		if in.Type != w.Type {
			t.Errorf("incident %d: type %q, want %q", in.ID, in.Type, w.Type)
		}
		if in.RootCause != w.RootCause {
			t.Errorf("incident %d: root cause %q, want %q", in.ID, in.RootCause, w.RootCause)
		}
		if len(in.Chain) == 0 || in.Chain[0] != in.RootCause {
			t.Errorf("incident %d: chain %v does not start with the root cause %q", in.ID, in.Chain, in.RootCause)
		}
		if !subsequence(in.Chain, w.Chain) {
			t.Errorf("incident %d: chain %v, want %v in this order", in.ID, in.Chain, w.Chain)
		}
		got := changeKinds(in)
		for _, k := range w.Changes {
			if !slices.Contains(got, k) {
				t.Errorf("incident %d: changes %v, want %s among them", in.ID, got, k)
			}
		}
		checkScope(t, in, w)
	}
}

func checkScope(t *testing.T, in *Incident, w expectedIncident) {
	t.Helper()
	sc := in.Scope
	if sc.SiteWide != w.Scope.SiteWide {
		t.Errorf("incident %d: site_wide %v, want %v (%s)", in.ID, sc.SiteWide, w.Scope.SiteWide, sc.Summary)
	}
	top := func(s []Share) string {
		if len(s) == 0 {
			return ""
		}
		return s[0].Value
	}
	for _, d := range []struct {
		dim, want string
		shares    []Share
	}{{"path", w.Scope.Path, sc.Paths}, {"host", w.Scope.Host, sc.Hosts}, {"upstream", w.Scope.Upstream, sc.Upstreams}} {
		if d.want != "" && top(d.shares) != d.want {
			t.Errorf("incident %d: top failing %s %q, want %q (%s)", in.ID, d.dim, top(d.shares), d.want, sc.Summary)
		}
	}
}

func changeKinds(in *Incident) []string {
	var out []string
	for _, c := range in.Changes {
		out = append(out, c.Kind)
	}
	return out
}

// subsequence reports whether want occurs in got in order (not
// necessarily adjacent).
func subsequence(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// checkScenarioGoldens compares the text summary, the Markdown report and
// the JSON document with dir/golden/, or rewrites them with -update.
func checkScenarioGoldens(t *testing.T, dir string, a *Analysis) {
	t.Helper()
	var text, md, js bytes.Buffer
	if err := RenderText(&text, a, TextOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	if err := RenderMarkdown(&md, a); err != nil {
		t.Fatal(err)
	}
	if err := RenderJSON(&js, a); err != nil {
		t.Fatal(err)
	}
	gdir := filepath.Join(dir, "golden")
	for _, g := range []struct {
		name string
		got  []byte
	}{{"scan.txt", text.Bytes()}, {"report.md", md.Bytes()}, {"report.json", js.Bytes()}} {
		path := filepath.Join(gdir, g.name)
		if *update {
			if err := os.MkdirAll(gdir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, g.got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./report -run Scenarios -update to create it)", err)
		}
		if !bytes.Equal(g.got, want) {
			t.Errorf("%s differs; run go test ./report -run Scenarios -update and review the diff\n%s", path, goldenDiff(string(want), string(g.got)))
		}
	}
}
