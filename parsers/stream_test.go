package parsers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestParsersSetDurations checks that every parser sets RequestTime and
// UpstreamTime on every entry it accepts: to the logged seconds, or to -1
// when the entry logs none (a zero would read as "answered in 0 s").
func TestParsersSetDurations(t *testing.T) {
	const sentinel = 12345.0
	for _, f := range Formats() {
		p, err := f.New(Config{Clock: NewClock(time.UTC, "test")})
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range f.Examples {
			ev := Event{RequestTime: sentinel, UpstreamTime: sentinel}
			if !p.Parse([]byte(ex), &ev) {
				t.Errorf("%s: example rejected: %.80q", f.ID, ex)
				continue
			}
			for name, v := range map[string]float64{"RequestTime": ev.RequestTime, "UpstreamTime": ev.UpstreamTime} {
				if v == sentinel || v < 0 && v != -1 {
					t.Errorf("%s: %s = %v after parsing %.80q, want seconds or -1", f.ID, name, v, ex)
				}
			}
		}
	}
}

// framed feeds text to a stream of format f line by line and returns the
// entries (first line, lines, raw) and the number of unparsed lines.
func framed(t *testing.T, f *Format, text string) (entries []string, lines []int, unparsed int) {
	t.Helper()
	p, err := f.New(Config{Clock: NewClock(time.UTC, "test")})
	if err != nil {
		t.Fatal(err)
	}
	s := newStream(f, p)
	sink := func(_ *stream, entry []byte, _, _ int64, n int, _ bool, _ *wrapInfo) {
		ev := Event{}
		if p.Parse(entry, &ev) {
			entries = append(entries, string(entry))
			lines = append(lines, n)
		} else {
			unparsed += n
		}
	}
	for i, l := range strings.Split(text, "\n") {
		s.feed([]byte(l), int64(i+1), 0, false, nil, sink)
	}
	s.close(sink)
	return entries, lines, unparsed
}

// TestStreamBlankLines checks that blank lines are no entries: not passed
// on alone (so never counted as unparsed), kept inside a joined entry,
// dropped after one.
func TestStreamBlankLines(t *testing.T) {
	t.Run("single-line format", func(t *testing.T) {
		text := "\n" + nginxErrorFormat.Examples[4] + "\n\n   \n\t\n" + nginxErrorFormat.Examples[5] + "\n\n"
		entries, _, unparsed := framed(t, nginxAccessFormat, text)
		if len(entries) != 0 || unparsed != 2 {
			t.Errorf("nginx-access over error lines: %d entries, %d unparsed; want 0 and 2 (the blank lines are none)", len(entries), unparsed)
		}
	})
	t.Run("blank lines inside and after a Java trace", func(t *testing.T) {
		text := strings.Join([]string{
			"2026-11-20 14:02:10.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception",
			"",
			"java.lang.IllegalStateException: boom",
			"\tat com.example.A.b(A.java:1)",
			"",
			"",
			"2026-11-20 14:02:11.000  INFO 1 --- [main] com.example.App : next",
			"",
		}, "\n")
		entries, lines, unparsed := framed(t, appTextFormat, text)
		if len(entries) != 2 || unparsed != 0 {
			t.Fatalf("%d entries %q, %d unparsed; want 2 and 0", len(entries), entries, unparsed)
		}
		if lines[0] != 4 || strings.Count(entries[0], "\n") != 3 || strings.HasSuffix(entries[0], "\n") {
			t.Errorf("first entry: %d lines %q; want the header, the blank line and the trace, without the trailing blanks", lines[0], entries[0])
		}
		if lines[1] != 1 {
			t.Errorf("second entry: %d lines, want 1", lines[1])
		}
	})
}

// TestStripDockerJSON checks Docker's json-file lines: the unescaped log
// text, the stream as key, the time, partial chunks and rejects.
func TestStripDockerJSON(t *testing.T) {
	tests := []struct {
		line, inner, key, time string
		partial, ok            bool
	}{
		{`{"log":"172.17.0.1 - - [24/Jan/2018:05:57:12 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/7.57.0\" \"-\"\r\n","stream":"stdout","time":"2018-01-24T05:57:12.583118365Z"}`,
			`172.17.0.1 - - [24/Jan/2018:05:57:12 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/7.57.0" "-"`, "stdout", "2018-01-24T05:57:12.583118365Z", false, true},
		{`{"log":"plain\n","stream":"stderr","time":"2026-11-20T14:02:10Z"}`, "plain", "stderr", "2026-11-20T14:02:10Z", false, true},
		{`{"stream":"stderr","attrs":{"tag":"web","labels":["a","b"]},"log":"tab\there \u00e9 \ud83d\ude00 \\ end\n","time":"2026-11-20T14:02:10.5+01:00"}`,
			"tab\there é 😀 \\ end", "stderr", "2026-11-20T13:02:10.5Z", false, true},
		{`{"log":"{\"level\":50,\"msg\":\"cut ","stream":"stdout","time":"2026-11-20T14:02:10Z"}`, `{"level":50,"msg":"cut `, "stdout", "2026-11-20T14:02:10Z", true, true},
		{`{"log":"no time\n","stream":"stdout"}`, "", "", "", false, false},
		{`{"level":"info","msg":"an app's JSON","time":"2026-11-20T14:02:10Z"}`, "", "", "", false, false},
		{`{"log":"unterminated`, "", "", "", false, false},
		{`not json`, "", "", "", false, false},
	}
	for _, tt := range tests {
		clock := NewClock(time.UTC, "test")
		var info wrapInfo
		inner, ok := stripDockerJSON([]byte(tt.line), clock, &info)
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v", tt.line, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.time)
		if string(inner) != tt.inner || string(info.key) != tt.key || !info.time.Equal(want) || !info.timeKnownZone || info.partial != tt.partial {
			t.Errorf("%s:\n got %q key %q time %v partial %v\nwant %q key %q time %v partial %v", tt.line, inner, info.key, info.time, info.partial, tt.inner, tt.key, want, tt.partial)
		}
		if !clock.yearHint.Equal(want) {
			t.Errorf("%s: year hint %v, want the wrapper's time", tt.line, clock.yearHint)
		}
	}
}

// TestStripHerokuKubectl checks the Heroku and kubectl --prefix wrappers.
func TestStripHerokuKubectl(t *testing.T) {
	tests := []struct {
		name      string
		strip     func([]byte, *Clock, *wrapInfo) ([]byte, bool)
		line      string
		ok        bool
		inner     string
		key, dkey string
	}{
		{"heroku app", stripHeroku, `2019-02-18T10:10:20.946962+00:00 app[web.1]: [2019-02-18 10:10:20 +0000] [4] [INFO] Starting gunicorn 19.9.0`, true,
			"[2019-02-18 10:10:20 +0000] [4] [INFO] Starting gunicorn 19.9.0", "app[web.1]", "app[web"},
		{"heroku router keeps indentation", stripHeroku, `2019-02-18T10:10:25.000000+00:00 heroku[router]:   x`, true, "  x", "heroku[router]", "heroku[router"},
		{"heroku api", stripHeroku, `2019-02-18T10:10:25+00:00 app[api]: Release v12 created by user x@example.com`, true, "Release v12 created by user x@example.com", "app[api]", "app[api"},
		{"journald short-iso is no heroku line", stripHeroku, `2026-11-20T14:02:10+0100 web-01 php-fpm[700]: x`, false, "", "", ""},
		{"docker -t is no heroku line", stripHeroku, `2026-11-20T14:02:09.871245918Z Traceback (most recent call last):`, false, "", "", ""},
		{"kubectl --prefix", stripKubectl, `[pod/web-7d4b9c-x2x/app] E0403 05:34:16.410741       1 reflector.go:140] failed`, true,
			"E0403 05:34:16.410741       1 reflector.go:140] failed", "pod/web-7d4b9c-x2x/app", "app"},
		{"pod and container", stripKubectl, `[project-kebab-755f4c8f69-gmkt8 project-kebab] Traceback (most recent call last):`, true,
			"Traceback (most recent call last):", "project-kebab-755f4c8f69-gmkt8 project-kebab", "project-kebab"},
		{"laravel stamp is no prefix", stripKubectl, `[2026-11-20 14:02:10] production.ERROR: x`, false, "", "", ""},
		{"gunicorn stamp is no prefix", stripKubectl, `[2026-11-20 14:02:10 +0000] [812] [INFO] x`, false, "", "", ""},
		{"upper case is no pod", stripKubectl, `[Fri Nov] x`, false, "", "", ""},
	}
	for _, tt := range tests {
		var info wrapInfo
		inner, ok := tt.strip([]byte(tt.line), NewClock(time.UTC, "test"), &info)
		if ok != tt.ok {
			t.Errorf("%s: ok = %v, want %v", tt.name, ok, tt.ok)
			continue
		}
		if ok && (string(inner) != tt.inner || string(info.key) != tt.key || string(info.detectKey) != tt.dkey) {
			t.Errorf("%s: got %q key %q/%q, want %q key %q/%q", tt.name, inner, info.key, info.detectKey, tt.inner, tt.key, tt.dkey)
		}
	}
}

// TestYearHint checks that a year-less stamp inside a wrapper with a full
// time takes the wrapper's year, across a year's turn too.
func TestYearHint(t *testing.T) {
	c := NewClock(time.UTC, "test")
	c.YearRef, c.YearRefIsLatest = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), true
	c.yearHint = time.Date(2020, 1, 26, 3, 17, 29, 0, time.UTC)
	if y := c.Year(1, 26); y != 2020 {
		t.Errorf("klog 0126 inside a 2020-01-26 wrapper: year %d", y)
	}
	c.yearHint = time.Date(2021, 1, 1, 0, 0, 5, 0, time.UTC)
	if y := c.Year(12, 31); y != 2020 {
		t.Errorf("a 12-31 stamp logged just after new year: year %d, want 2020", y)
	}
}

// TestMixedDetect checks that a file interleaving formats is read with
// each: `docker logs` of an ingress-nginx controller (klog, access and
// error lines), and that a lone stray line does not make a mixture.
func TestMixedDetect(t *testing.T) {
	path := filepath.Join("..", "testdata", "parsers", "nginx-access", "eval-ingress-controller-mixed.log")
	inputs, _ := Expand([]string{path}, nil)
	d, err := Probe(inputs[0], nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format == nil || d.Format.ID != FormatNginxAccess || strings.Join(d.Format.Mixed(), ",") != "nginx-error,app-text" || d.Confidence != 1 {
		t.Fatalf("detected %s (mixed %v)", d, d.Format.Mixed())
	}
	if !strings.Contains(d.String(), "with nginx-error, app-text lines") {
		t.Errorf("String() = %q", d.String())
	}
	plans := Prepare(inputs, Options{TZ: time.UTC})
	formats := map[string]int{}
	st, err := plans[0].Decode(context.Background(), func(b []Event) error {
		for i := range b {
			formats[b[i].Format]++
		}
		return nil
	})
	if err != nil || st.Unparsed != 0 || formats[FormatNginxAccess] != 5 || formats[FormatNginxError] != 2 || formats[FormatAppText] != 1 {
		t.Errorf("decoded %v, %d unparsed (err %v)", formats, st.Unparsed, err)
	}

	// 19 syslog lines and one leveled line: no mixture for one stray line
	data, err := os.ReadFile(filepath.Join("..", "testdata", "parsers", "syslog", "debian11-syslog.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := [][]byte{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n")[:19] {
		lines = append(lines, []byte(l))
	}
	lines = append(lines, []byte("2026-11-20 14:11:02,551 ERROR app: a stray line"))
	if d := DetectLines("x.log", lines, nil, nil); d.Format == nil || d.Format.ID != FormatSyslog || len(d.Format.Mixed()) != 0 {
		t.Errorf("syslog with one stray line: %s", d)
	}
}

// FuzzDetectDecode runs detection (wrappers, per-key formats, mixtures) and
// live decoding over arbitrary lines: nothing may panic, every line is
// accounted for, and times are in UTC.
func FuzzDetectDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", "wrapped", "*.log"))
	more, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", "*", "eval-*.log"))
	for _, name := range append(files, more...) {
		if data, err := os.ReadFile(name); err == nil && len(data) < 16<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := strings.Split(string(data), "\n")
		if len(text) > 200 {
			text = text[:200]
		}
		plan := &Plan{Input: &Input{Path: "fuzz"}, Clock: NewClock(time.UTC, "fuzz"), Detection: &Detection{}}
		plan.Clock.YearRef = goldenYearRef
		ld := NewLineDecoder(plan, Options{})
		var n int64
		check := func(ev *Event) {
			if !ev.Time.IsZero() && ev.Time.Location() != time.UTC {
				t.Errorf("time %v not in UTC for %q", ev.Time, ev.Raw)
			}
		}
		for i, l := range text {
			ld.Feed([]byte(l), int64(i+1), n, check)
			n += int64(len(l) + 1)
		}
		ld.Flush(check)
		st := ld.Stats()
		if st.Lines != int64(len(text)) || st.Entries < 0 || st.Unparsed > st.Lines {
			t.Errorf("stats %+v for %d lines", st, len(text))
		}
	})
}
