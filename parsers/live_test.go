package parsers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// liveDecode feeds data to a LineDecoder line by line, as tail delivers a
// followed file, and returns the events as NDJSON in input order, with the
// decoder's stats. A last line without a newline is fed as well (tail
// delivers it once it is complete).
func liveDecode(t *testing.T, plan *Plan, opts Options, data []byte) ([]byte, *FileStats) {
	t.Helper()
	ld := NewLineDecoder(plan, opts)
	var evs []Event
	keep := func(ev *Event) { evs = append(evs, ev.Clone()) }
	var off, n int64
	for len(data) > 0 {
		line := data
		next := len(data)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, next = data[:i], i+1
		}
		n++
		ld.Feed(line, n, off, keep)
		off += int64(next)
		data = data[next:]
	}
	ld.Flush(keep)
	return eventsJSON(t, evs), ld.Stats()
}

func eventsJSON(t *testing.T, evs []Event) []byte {
	t.Helper()
	// interleaved streams complete out of order: compare in input order
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].Line < evs[j].Line })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range evs {
		if err := enc.Encode(evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestLineDecoderMatchesDecode feeds every parser corpus file line by line
// and checks that live tail decodes exactly what scan decodes: the same
// events (times, fields, joined multi-line entries, line numbers and
// offsets) and the same counts.
func TestLineDecoderMatchesDecode(t *testing.T) {
	files, err := filepath.Glob("../testdata/parsers/*/*.log")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d corpus files", len(files))
	}
	opts := Options{TZ: time.UTC, YearRef: goldenYearRef}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			inputs, notes := Expand([]string{f}, nil)
			if len(notes) > 0 {
				t.Fatalf("expand: %v", notes)
			}
			batch := Prepare(inputs, opts)[0]
			var evs []Event
			want, err := batch.Decode(context.Background(), func(b []Event) error {
				evs = append(evs, b...)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			live := Prepare(inputs, opts)[0]
			gotJSON, got := liveDecode(t, live, opts, data)
			if wantJSON := eventsJSON(t, evs); !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("live events differ from scan's:\n%s", firstDiff(gotJSON, wantJSON))
			}
			if got.Lines != want.Lines || got.Entries != want.Entries || got.Unparsed != want.Unparsed || got.Bytes != want.Bytes || got.Format != want.Format {
				t.Errorf("live stats %+v, scan's %+v", *got, *want)
			}
		})
	}
}

// TestLineDecoderNewFile: a file that was empty when tail started has no
// detection; the format is decided from its first lines (after 20, or on
// Flush when it goes quiet), and CRLF endings and over-long lines are
// framed as scan frames them.
func TestLineDecoderNewFile(t *testing.T) {
	nginx := "2026/11/25 22:17:%02d [error] 20288#20288: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.example.com, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:1/\", host: \"lab.example.com\""
	for _, tt := range []struct {
		name   string
		lines  int
		before int // events emitted before Flush
	}{
		{"quiet after 3 lines", 3, 0},
		{"20 lines decide", 25, 24}, // the last one waits for a next line
	} {
		t.Run(tt.name, func(t *testing.T) {
			plan := Prepare([]*Input{{Path: filepath.Join(t.TempDir(), "error.log")}}, Options{TZ: time.UTC})[0]
			ld := NewLineDecoder(plan, Options{TZ: time.UTC})
			var evs []Event
			keep := func(ev *Event) { evs = append(evs, ev.Clone()) }
			var off int64
			for i := 0; i < tt.lines; i++ {
				line := []byte(fmt.Sprintf(nginx, i, i) + "\r")
				ld.Feed(line, int64(i+1), off, keep)
				off += int64(len(line)) + 1
			}
			if len(evs) != tt.before {
				t.Fatalf("%d events before Flush, want %d", len(evs), tt.before)
			}
			ld.Flush(keep)
			if len(evs) != tt.lines {
				t.Fatalf("%d events, want %d", len(evs), tt.lines)
			}
			if f := ld.Detection().Format; f == nil || f.ID != "nginx-error" {
				t.Fatalf("detected %v, want nginx-error", ld.Detection().Format)
			}
			for i, ev := range evs {
				if ev.Format != "nginx-error" || ev.Line != int64(i+1) || bytes.HasSuffix(ev.Raw, []byte("\r")) || strings.HasSuffix(ev.Host, "\r") || ev.Time.Second() != i%60 {
					t.Fatalf("event %d: %+v", i, ev)
				}
			}
			if st := ld.Stats(); st.Lines != int64(tt.lines) || st.Bytes != off || st.Unparsed != 0 {
				t.Fatalf("stats %+v: want %d lines, %d bytes", *st, tt.lines, off)
			}
		})
	}
}

// TestLineDecoderJoinsTraces: a stack trace is one event, emitted when the
// next entry begins or on Flush (tail flushes a file quiet for a moment).
func TestLineDecoderJoinsTraces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	head := "2026-11-25 10:00:00,123 ERROR [app] request failed\n" +
		"Traceback (most recent call last):\n" +
		"  File \"/srv/app/views.py\", line 42, in index\n" +
		"    rows = db.query(sql)\n" +
		"OperationalError: (2003, \"Can't connect to MySQL server on 'db' (111)\")\n"
	if err := os.WriteFile(path, []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := Prepare([]*Input{{Path: path}}, Options{TZ: time.UTC})[0]
	ld := NewLineDecoder(plan, Options{TZ: time.UTC})
	var evs []Event
	keep := func(ev *Event) { evs = append(evs, ev.Clone()) }
	var off int64
	lines := strings.SplitAfter(head+"2026-11-25 10:00:01,000 INFO [app] next request\n", "\n")
	for i, l := range lines[:len(lines)-1] {
		ld.Feed([]byte(strings.TrimSuffix(l, "\n")), int64(i+1), off, keep)
		off += int64(len(l))
		if i == 4 && len(evs) != 0 {
			t.Fatalf("trace emitted before it could be complete: %q", evs[0].Raw)
		}
	}
	if len(evs) != 1 || evs[0].Line != 1 || strings.Count(string(evs[0].Raw), "\n") != 4 {
		t.Fatalf("want the 5-line trace as one event at line 1, got %d events: %+v", len(evs), evs)
	}
	ld.Flush(keep)
	if len(evs) != 2 || evs[1].Line != 6 {
		t.Fatalf("Flush did not emit the last entry: %+v", evs)
	}
}
