package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

func tRenderJSON(t *testing.T, a *Analysis) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := RenderJSON(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenJSON(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, "json-"+name+".json", tRenderJSON(t, fixture(t, name)))
		})
	}
}

// TestJSONDocument checks the shape DESIGN §5 asks for.
func TestJSONDocument(t *testing.T) {
	for _, name := range fixtureNames {
		a := fixture(t, name)
		out := tRenderJSON(t, a)
		if !bytes.Equal(out, tRenderJSON(t, a)) {
			t.Errorf("%s: output is not deterministic", name)
		}
		var doc map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, key := range []string{"version", "files", "incidents", "causes", "changes", "unparsed", "totals", "unclassified", "zone", "thresholds"} {
			if _, ok := doc[key]; !ok {
				t.Errorf("%s: no %q", name, key)
			}
		}
		if v, _ := doc["version"].(float64); v != SchemaVersion {
			t.Errorf("%s: version %v", name, doc["version"])
		}
		for _, key := range []string{"files", "incidents", "causes", "changes", "unclassified"} {
			if _, ok := doc[key].([]any); !ok {
				t.Errorf("%s: %q is %T, want an array", name, key, doc[key])
			}
		}
		if strings.Contains(string(out), `\u003c`) {
			t.Errorf("%s: HTML escaping is on", name)
		}
		for _, m := range regexp.MustCompile(`"(start|end|first|last|time|minute|peak_at)": "([^"]+)"`).FindAllStringSubmatch(string(out), -1) {
			ts, err := time.Parse(time.RFC3339Nano, m[2])
			if err != nil || !strings.HasSuffix(m[2], "Z") || ts.Location() != time.UTC {
				t.Errorf("%s: %s %q is not RFC 3339 UTC", name, m[1], m[2])
			}
		}
		incs := doc["incidents"].([]any)
		if len(incs) != len(a.Incidents) {
			t.Fatalf("%s: %d incidents", name, len(incs))
		}
		for _, x := range incs {
			inc := x.(map[string]any)
			for _, key := range []string{"start", "end", "root_cause", "chain", "causes", "statuses", "requests", "changes", "scope"} {
				if _, ok := inc[key]; !ok {
					t.Errorf("%s: incident without %q", name, key)
				}
			}
			for _, c := range inc["causes"].([]any) {
				cause := c.(map[string]any)
				for _, key := range []string{"cause", "layer", "count", "first", "last", "evidence"} {
					if _, ok := cause[key]; !ok {
						t.Errorf("%s: incident cause without %q", name, key)
					}
				}
				for _, e := range cause["evidence"].([]any) {
					ev := e.(map[string]any)
					for _, key := range []string{"source", "line", "raw"} {
						if _, ok := ev[key]; !ok {
							t.Errorf("%s: evidence without %q", name, key)
						}
					}
				}
			}
			scope := inc["scope"].(map[string]any)
			for _, key := range []string{"paths", "hosts", "upstreams", "site_wide"} {
				if _, ok := scope[key]; !ok {
					t.Errorf("%s: scope without %q", name, key)
				}
			}
		}
		for _, f := range doc["files"].([]any) {
			file := f.(map[string]any)
			for _, key := range []string{"path", "format", "lines", "entries", "unparsed_lines"} {
				if _, ok := file[key]; !ok {
					t.Errorf("%s: file without %q", name, key)
				}
			}
		}
	}
}

// TestJSONKeepsInputIntact: rendering must not change the Analysis.
func TestJSONKeepsInputIntact(t *testing.T) {
	a := fixture(t, "oom")
	local := a.Incidents[0].Start.In(fxBerlin)
	a.Incidents[0].Start = local
	a.Incidents[0].Changes = nil
	out := tRenderJSON(t, a)
	if a.Incidents[0].Start.Location() != fxBerlin || a.Incidents[0].Changes != nil {
		t.Error("RenderJSON modified its input")
	}
	if !strings.Contains(string(out), `"start": "`+local.UTC().Format(time.RFC3339)+`"`) {
		t.Error("a local start time was not written in UTC")
	}
	if !strings.Contains(string(out), `"changes": []`) {
		t.Error("nil changes not written as []")
	}
}

// TestJSONSchemaDocumented: every key the document can hold appears in
// the README's schema.
func TestJSONSchemaDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !regexp.MustCompile(`^[0-9]+$`).MatchString(k) && !strings.HasPrefix(k, "/") {
					keys[k] = true
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, name := range fixtureNames {
		var v any
		if err := json.Unmarshal(tRenderJSON(t, fixture(t, name)), &v); err != nil {
			t.Fatal(err)
		}
		walk(v)
	}
	// fields the fixtures leave empty
	for _, k := range []string{"since", "until", "notes", "unclassified_overflow", "rule_timeouts", "forced", "wrapper", "log_format", "truncated_lines", "untimed_entries", "error", "unrecognised", "latency"} {
		keys[k] = true
	}
	var missing []string
	for k := range keys {
		if !strings.Contains(string(doc), "`"+k+"`") {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("README.md's JSON schema does not document: %s", strings.Join(missing, ", "))
	}
}
