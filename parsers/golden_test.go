package parsers

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenYearRef pins the year of year-less syslog stamps in golden tests.
var goldenYearRef = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// decodeFile detects and decodes one file in UTC and returns its events
// as NDJSON followed by its stats.
func decodeFile(t testing.TB, path string, opts Options) []byte {
	t.Helper()
	inputs, notes := Expand([]string{path}, nil)
	if len(notes) > 0 {
		t.Fatalf("expand %s: %v", path, notes)
	}
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	if opts.YearRef.IsZero() {
		opts.YearRef = goldenYearRef
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, p := range Prepare(inputs, opts) {
		var evs []Event
		st, err := p.Decode(context.Background(), func(batch []Event) error {
			evs = append(evs, batch...)
			return nil
		})
		// Entries of interleaved streams (compose services, journald units)
		// complete out of order, and the decoder closes the streams at the
		// end in no fixed order: compare them in input order.
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Line < evs[j].Line })
		for i := range evs {
			if err := enc.Encode(evs[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err != nil {
			fmt.Fprintf(&buf, "# error: %v\n", err)
		}
		st.Path = filepath.Base(st.Path)
		fmt.Fprintf(&buf, "# stats: ")
		enc.Encode(st)
	}
	return buf.Bytes()
}

// TestGolden decodes every testdata/parsers/*/*.log file (format detected,
// zone UTC) and compares the events with the .golden file beside it.
// Run `go test ./parsers -run TestGolden -update` to rewrite them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/parsers/*/*.log")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			got := decodeFile(t, f, Options{})
			golden := f + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; run go test ./parsers -run TestGolden -update and review the diff\n--- got ---\n%s", f, golden, firstDiff(got, want))
			}
		})
	}
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(got, want []byte) string {
	g := bytes.Split(got, []byte("\n"))
	w := bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}
