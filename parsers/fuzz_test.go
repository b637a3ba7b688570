package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzFormat checks that a format's parser and its line joining never
// panic, and that what they report is consistent, on arbitrary input. It is
// seeded with the format's examples and its testdata lines.
func fuzzFormat(f *testing.F, format *Format) {
	for _, ex := range format.Examples {
		f.Add([]byte(ex))
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", format.ID, "*.log"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		clock := NewClock(time.FixedZone("X", 3600), "fuzz")
		clock.YearRef = goldenYearRef
		p, err := format.New(Config{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		s := newStream(format, p)
		sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
			raw := append([]byte(nil), entry...)
			ev := Event{Raw: raw, Format: format.ID}
			if !p.Parse(raw, &ev) {
				return
			}
			if !ev.Time.IsZero() && ev.Time.Location() != time.UTC {
				t.Errorf("time %v not in UTC for %q", ev.Time, raw)
			}
			if ev.Status < 0 || ev.PID < 0 || ev.Bytes < 0 {
				t.Errorf("negative field in %+v", ev)
			}
			if utf8.Valid(raw) && !utf8.ValidString(ev.Message) {
				t.Errorf("message of valid UTF-8 entry became invalid: %q", ev.Message)
			}
		}
		for i, line := range strings.Split(string(data), "\n") {
			s.feed([]byte(line), int64(i+1), 0, false, nil, sink)
		}
		s.close(sink)
	})
}

func FuzzNginxAccess(f *testing.F)  { fuzzFormat(f, nginxAccessFormat) }
func FuzzNginxError(f *testing.F)   { fuzzFormat(f, nginxErrorFormat) }
func FuzzApacheAccess(f *testing.F) { fuzzFormat(f, apacheAccessFormat) }
func FuzzApacheError(f *testing.F)  { fuzzFormat(f, apacheErrorFormat) }
func FuzzPHPFPM(f *testing.F)       { fuzzFormat(f, phpFPMFormat) }
func FuzzPHPFPMSlow(f *testing.F)   { fuzzFormat(f, phpFPMSlowFormat) }
func FuzzPHPError(f *testing.F)     { fuzzFormat(f, phpErrorFormat) }
func FuzzSyslog(f *testing.F)       { fuzzFormat(f, syslogFormat) }
func FuzzAppJSON(f *testing.F)      { fuzzFormat(f, appJSONFormat) }
func FuzzAppLogfmt(f *testing.F)    { fuzzFormat(f, appLogfmtFormat) }
func FuzzAppText(f *testing.F)      { fuzzFormat(f, appTextFormat) }
