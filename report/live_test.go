package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// feedFile gives Live the lines of the file of plan, as tail delivers them.
func feedFile(t *testing.T, l *Live, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var off, n int64
	for len(data) > 0 {
		line, next := data, len(data)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, next = data[:i], i+1
		}
		n++
		if !l.Line(parsers.LiveLine{Path: path, Text: line, Line: n, Offset: off}) {
			t.Fatalf("%s: not accepted", path)
		}
		off += int64(next)
		data = data[next:]
	}
}

// TestLiveScenarios runs every incident scenario through the live pipeline
// — each file's lines one at a time, one file after the other, the order
// `tail --from-start` may deliver them in — and checks the incidents
// against the scenario's expectations, as scan's test does.
func TestLiveScenarios(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	t.Setenv("TZ", "UTC")
	engine, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	exps, err := filepath.Glob(filepath.Join("testdata", "incidents", "*", "expect.json"))
	if err != nil || len(exps) < 9 {
		t.Fatalf("found %d scenarios (%v)", len(exps), err)
	}
	for _, exp := range exps {
		dir := filepath.Dir(exp)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want := readExpectation(t, exp)
			inputs, _ := parsers.Expand([]string{filepath.Join(dir, "logs")}, nil)
			ref := want.YearRef
			if ref.IsZero() {
				ref = defaultYearRef
			}
			var popts parsers.Options
			if want.TZ != "" {
				loc, err := time.LoadLocation(want.TZ)
				if err != nil {
					t.Fatal(err)
				}
				popts.TZ = loc
			}
			for _, in := range inputs {
				in.ModTime = ref
			}
			plans := parsers.Prepare(inputs, popts)
			opts := DefaultOptions()
			opts.Location, opts.ZoneReason = plans[0].Clock.Loc, plans[0].Clock.Reason
			b := NewBuilder(engine.Catalogue(), opts)
			emitted := 0
			l := &Live{Engine: engine, Builder: b, Options: popts, Emit: func(ev *parsers.Event, f *rules.Finding) { emitted++ }}
			for _, p := range plans {
				l.AddInput(p)
			}
			for _, p := range plans {
				feedFile(t, l, p.Input.Path)
			}
			l.Close()
			a := b.Analyze()
			checkExpectation(t, a, want)
			if len(a.Files) != len(plans) {
				t.Errorf("%d files in the analysis, want %d", len(a.Files), len(plans))
			}
			for i, f := range a.Files {
				if f.Path != plans[i].Input.Path {
					t.Errorf("file %d is %s, want %s (the order they were added)", i, f.Path, plans[i].Input.Path)
				}
			}
			if len(want.Incidents) > 0 && emitted == 0 {
				t.Errorf("nothing emitted for an incident")
			}
		})
	}
}

// TestLiveEmitAndRate: findings and 5xx responses are emitted as they are
// decoded, with their line's own time; lines no rule matches and good
// responses are not; the rolling rate counts the last minute of log time.
func TestLiveEmitAndRate(t *testing.T) {
	engine, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	access, errLog := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	for _, p := range []string{access, errLog} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plans := parsers.Prepare([]*parsers.Input{{Path: access}, {Path: errLog}}, parsers.Options{TZ: time.UTC})
	b := NewBuilder(engine.Catalogue(), DefaultOptions())
	type emitted struct {
		line   int64
		time   time.Time
		kind   string
		status int
	}
	var got []emitted
	l := &Live{Engine: engine, Builder: b, Emit: func(ev *parsers.Event, f *rules.Finding) {
		e := emitted{line: ev.Line, time: ev.Time, kind: "symptom", status: ev.Status}
		if f != nil {
			e.kind = f.Cause
		}
		got = append(got, e)
	}}
	for _, p := range plans {
		l.AddInput(p)
	}
	at := func(min, sec int) string {
		return time.Date(2026, 11, 25, 10, min, sec, 0, time.UTC).Format("02/Jan/2006:15:04:05 -0700")
	}
	accessLines := []string{
		`192.0.2.7 - - [` + at(0, 0) + `] "GET / HTTP/1.1" 200 512 "-" "curl/8.5.0"`,
		`192.0.2.7 - - [` + at(0, 10) + `] "GET /a HTTP/1.1" 502 157 "-" "curl/8.5.0"`, // left the window below
		`192.0.2.7 - - [` + at(1, 20) + `] "GET /b HTTP/1.1" 200 512 "-" "curl/8.5.0"`,
		`192.0.2.7 - - [` + at(1, 30) + `] "GET /c HTTP/1.1" 504 157 "-" "curl/8.5.0"`,
		`192.0.2.7 - - [` + at(1, 40) + `] "GET /d HTTP/1.1" 404 153 "-" "curl/8.5.0"`,
	}
	errorLines := []string{
		`2026/11/25 10:01:30 [error] 811#811: *7 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 192.0.2.7, server: shop.example.com, request: "GET /c HTTP/1.1", upstream: "http://127.0.0.1:8080/c", host: "shop.example.com"`,
		`2026/11/25 10:01:31 [notice] 811#811: *8 something no rule knows`,
	}
	var off int64
	for i, s := range accessLines {
		l.Line(parsers.LiveLine{Path: access, Text: []byte(s), Line: int64(i + 1), Offset: off})
		off += int64(len(s) + 1)
	}
	off = 0
	for i, s := range errorLines {
		l.Line(parsers.LiveLine{Path: errLog, Text: []byte(s), Line: int64(i + 1), Offset: off})
		off += int64(len(s) + 1)
	}
	if l.Line(parsers.LiveLine{Path: filepath.Join(dir, "unknown.log"), Text: []byte("x")}) {
		t.Error("a line of a path never added was accepted")
	}
	// new files decide their format when quiet; the last entry of each is
	// emitted then too
	l.FlushIdle(0)
	want := []emitted{
		{2, time.Date(2026, 11, 25, 10, 0, 10, 0, time.UTC), "symptom", 502},
		{4, time.Date(2026, 11, 25, 10, 1, 30, 0, time.UTC), "symptom", 504},
		{1, time.Date(2026, 11, 25, 10, 1, 30, 0, time.UTC), "upstream-timeout", 0},
	}
	if len(got) != len(want) {
		t.Fatalf("emitted %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("emitted %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// the last minute of log time ends at 10:01:40: 10:00:00 and 10:00:10
	// are out, and the 404 is no failure
	if req, failed := l.Rate(); req != 3 || failed != 1 {
		t.Errorf("rate: %d requests, %d failed; want 3, 1", req, failed)
	}
	l.Close()
	a := b.Analyze()
	if len(a.Files) != 2 || a.Files[0].Format != "nginx-access" || a.Files[1].Format != "nginx-error" || a.Files[0].Lines != 5 {
		t.Errorf("files %+v", a.Files)
	}
	if !strings.Contains(renderText(t, a), "upstream-timeout") {
		t.Error("the analysis lacks the finding")
	}
}

func renderText(t *testing.T, a *Analysis) string {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderText(&buf, a, TextOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestRollingRate: requests older than a minute before the newest one leave
// the window; late requests inside it still count.
func TestRollingRate(t *testing.T) {
	base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var r rollingRate
	for s := 0; s < 120; s++ {
		r.add(base.Add(time.Duration(s)*time.Second), s%4 == 0)
	}
	if req, failed := r.window(); req != 60 || failed != 15 {
		t.Errorf("after 120 s: %d requests, %d failed; want 60, 15", req, failed)
	}
	r.add(base.Add(100*time.Second), true) // late, inside the window
	r.add(base.Add(10*time.Second), true)  // too old
	if req, failed := r.window(); req != 61 || failed != 16 {
		t.Errorf("with late requests: %d, %d; want 61, 16", req, failed)
	}
	r.add(base.Add(200*time.Second), false) // a long pause empties the window
	if req, failed := r.window(); req != 1 || failed != 0 {
		t.Errorf("after a pause: %d, %d; want 1, 0", req, failed)
	}
}

// BenchmarkLive measures the live pipeline after the follower — decoding,
// rules, builder and NDJSON of every finding and symptom — per line kind.
func BenchmarkLive(b *testing.B) {
	engine, err := rules.Load()
	if err != nil {
		b.Fatal(err)
	}
	kinds := []struct {
		name string
		line func(i int) string
	}{
		{"access-10pct-502", func(i int) string {
			status := 200
			if i%10 == 0 {
				status = 502
			}
			return fmt.Sprintf(`203.0.113.%d - - [25/Nov/2026:22:%02d:%02d +0000] "GET /seq/%d HTTP/1.1" %d 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"`, i%250, i/60000%60, i/1000%60, i, status)
		}},
		{"nginx-no-live-upstreams", func(i int) string {
			return fmt.Sprintf(`2026/11/25 22:%02d:%02d [error] 811#811: *%d no live upstreams while connecting to upstream, client: 192.0.2.7, server: shop.example.com, request: "GET /seq/%d HTTP/1.1", upstream: "http://backend/seq/%d", host: "shop.example.com"`, i/60000%60, i/1000%60, i, i, i)
		}},
		{"nginx-connection-refused", func(i int) string {
			return fmt.Sprintf(`2026/11/25 22:%02d:%02d [error] 811#811: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: shop.example.com, request: "GET /seq/%d HTTP/1.1", upstream: "http://127.0.0.1:8080/seq/%d", host: "shop.example.com"`, i/60000%60, i/1000%60, i, i, i)
		}},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			lines := make([][]byte, 10000)
			var sample bytes.Buffer
			for i := range lines {
				lines[i] = []byte(k.line(i))
				if i < 100 {
					sample.Write(lines[i])
					sample.WriteByte('\n')
				}
			}
			path := filepath.Join(b.TempDir(), "x.log")
			if err := os.WriteFile(path, sample.Bytes(), 0o644); err != nil {
				b.Fatal(err)
			}
			plan := parsers.Prepare([]*parsers.Input{{Path: path}}, parsers.Options{TZ: time.UTC})[0]
			builder := NewBuilder(engine.Catalogue(), DefaultOptions())
			out := bufio.NewWriter(io.Discard)
			l := &Live{Engine: engine, Builder: builder, Emit: func(ev *parsers.Event, f *rules.Finding) {
				if f != nil {
					WriteFindingNDJSON(out, f)
				} else {
					WriteSymptomNDJSON(out, ev)
				}
			}}
			l.AddInput(plan)
			b.ReportAllocs()
			b.ResetTimer()
			var off int64
			for i := 0; i < b.N; i++ {
				text := lines[i%len(lines)]
				l.Line(parsers.LiveLine{Path: path, Text: text, Line: int64(i + 1), Offset: off})
				off += int64(len(text)) + 1
			}
			l.Close()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
