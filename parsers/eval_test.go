package parsers

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

var evalDraft = flag.Bool("eval.draft", false, "write <file>.expect.draft beside every held-out eval file from what the parsers produce now (review it by hand before renaming it to .expect)")

// The held-out evaluation sets: testdata/parsers/<dir>/eval-*.log (the
// first batch) and eval2-*.log (a second batch, collected after the fixes
// the first one led to) are real lines collected from public bug reports,
// Q&A threads and documentation (see testdata/parsers/EVAL.md), not used to
// write the parsers. Each has a hand-checked <file>.expect stating what a
// user should get:
//
//	# format: nginx-access          detected format (default: the directory's name)
//	# wrapper: docker-json          detected wrapper (default: none)
//	# log_format: nginx:<template>  a --log-format to decode with
//	<line> TAB <format|-> TAB <time RFC 3339 UTC|-> TAB <level|-> TAB <message prefix|-> [TAB key=value …]
//
// One row per expected entry, keyed by the line the entry starts on; format
// "-" expects an unparsed line, time "-" an entry without a time, level "-"
// no level, message "-" no check. Extra keys: status, pid, module, client,
// path, upstream, code, host, lines (physical lines joined), known (the
// zone was stated: true|false).

// evalExpect is one expected entry.
type evalExpect struct {
	line    int64
	format  string
	time    string
	level   string
	message string
	extra   map[string]string
}

// evalFile is a parsed .expect file.
type evalFile struct {
	format, wrapper, template string
	rows                      []evalExpect
}

func readEvalExpect(path, dir string) (*evalFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ef := &evalFile{format: dir}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "#"); ok {
			k, v, _ := strings.Cut(strings.TrimSpace(rest), ":")
			switch strings.TrimSpace(k) {
			case "format":
				ef.format = strings.TrimSpace(v)
			case "wrapper":
				ef.wrapper = strings.TrimSpace(v)
			case "log_format":
				ef.template = strings.TrimLeft(v, " ")
			}
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) < 5 {
			return nil, fmt.Errorf("%s:%d: want at least 5 tab-separated columns, got %d", path, n, len(cols))
		}
		line, err := strconv.ParseInt(cols[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: line number: %v", path, n, err)
		}
		row := evalExpect{line: line, format: cols[1], time: cols[2], level: cols[3], message: cols[4], extra: map[string]string{}}
		for _, kv := range cols[5:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("%s:%d: extra column %q is not key=value", path, n, kv)
			}
			row.extra[k] = v
		}
		ef.rows = append(ef.rows, row)
	}
	return ef, sc.Err()
}

// decodeEval decodes one eval file the way golden files are decoded (zone
// UTC, year reference pinned) and returns its detection and events.
func decodeEval(t *testing.T, path, template string) (*Detection, []Event) {
	t.Helper()
	inputs, notes := Expand([]string{path}, nil)
	if len(notes) > 0 || len(inputs) != 1 {
		t.Fatalf("expand %s: %v", path, notes)
	}
	opts := Options{TZ: time.UTC, YearRef: goldenYearRef}
	if template != "" {
		kind, tpl, _ := strings.Cut(template, ":")
		id := FormatNginxAccess
		if kind == "apache" {
			id = FormatApacheAccess
		}
		opts.Templates = map[string][]string{id: {tpl}}
	}
	plans := Prepare(inputs, opts)
	var evs []Event
	if _, err := plans[0].Decode(context.Background(), func(b []Event) error {
		for i := range b {
			evs = append(evs, b[i].Clone())
		}
		return nil
	}); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return plans[0].Detection, evs
}

// evalCheck compares one event with its expectation and returns what
// differs ("" when it matches).
func evalCheck(ev *Event, want evalExpect) []string {
	var bad []string
	format := ev.Format
	if format == "" {
		format = "-"
	}
	if format != want.format {
		bad = append(bad, fmt.Sprintf("format %s, want %s", format, want.format))
	}
	if want.format == "-" {
		return bad
	}
	gotTime := "-"
	if !ev.Time.IsZero() {
		gotTime = ev.Time.UTC().Format(time.RFC3339Nano)
	}
	if want.time != "*" && gotTime != want.time {
		bad = append(bad, fmt.Sprintf("time %s, want %s", gotTime, want.time))
	}
	lvl := ev.Level.String()
	if lvl == "" {
		lvl = "-"
	}
	if want.level != "*" && lvl != want.level {
		bad = append(bad, fmt.Sprintf("level %s, want %s", lvl, want.level))
	}
	if want.message != "-" && !strings.HasPrefix(ev.Message, want.message) {
		bad = append(bad, fmt.Sprintf("message %.80q, want prefix %.80q", ev.Message, want.message))
	}
	keys := make([]string, 0, len(want.extra))
	for k := range want.extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := want.extra[k]
		var got string
		switch k {
		case "status":
			got = strconv.Itoa(ev.Status)
		case "pid":
			got = strconv.Itoa(ev.PID)
		case "module":
			got = ev.Module
		case "client":
			got = ev.Client
		case "path":
			got = ev.Path
		case "upstream":
			got = ev.Upstream
		case "code":
			got = ev.Code
		case "host":
			got = ev.Host
		case "lines":
			got = strconv.Itoa(strings.Count(string(ev.Raw), "\n") + 1)
		case "known":
			got = strconv.FormatBool(ev.TimeKnownZone)
		default:
			got = "unknown key " + k
		}
		if got != v {
			bad = append(bad, fmt.Sprintf("%s %q, want %q", k, got, v))
		}
	}
	return bad
}

// TestEvalHeldOut decodes every held-out eval file and checks each entry
// against its hand-checked expectation: detected format and wrapper, and per
// entry the format, UTC time, level, message and key fields. It logs the
// score per directory (run with -v to see it).
func TestEvalHeldOut(t *testing.T) {
	files, err := filepath.Glob("../testdata/parsers/*/eval*-*.log")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no eval files")
	}
	type score struct{ ok, total, lines, files int }
	scores := map[string]*score{}
	batches := map[string]*score{}
	var detectBad []string
	for _, f := range files {
		dir := filepath.Base(filepath.Dir(f))
		name := dir + "/" + filepath.Base(f)
		if *evalDraft {
			writeEvalDraft(t, f, dir)
			continue
		}
		ef, err := readEvalExpect(f+".expect", dir)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		det, evs := decodeEval(t, f, ef.template)
		got := "unknown"
		if det.Format != nil {
			got = det.Format.ID
		}
		if got != ef.format || det.Wrapper != ef.wrapper {
			detectBad = append(detectBad, name)
			t.Errorf("%s: detected %s inside %q, want %s inside %q (ranking %v)", name, got, det.Wrapper, ef.format, ef.wrapper, det.Ranking)
		}
		byLine := map[int64]*Event{}
		for i := range evs {
			byLine[evs[i].Line] = &evs[i]
		}
		batch, _, _ := strings.Cut(filepath.Base(f), "-")
		sc, bs := scores[dir], batches[batch]
		if sc == nil {
			sc = &score{}
			scores[dir] = sc
		}
		if bs == nil {
			bs = &score{}
			batches[batch] = bs
		}
		data, _ := os.ReadFile(f)
		n := strings.Count(string(data), "\n")
		sc.lines += n
		bs.lines += n
		bs.files++
		for _, row := range ef.rows {
			sc.total++
			bs.total++
			ev := byLine[row.line]
			if ev == nil {
				t.Errorf("%s:%d: no entry starts on this line", name, row.line)
				continue
			}
			if bad := evalCheck(ev, row); len(bad) > 0 {
				t.Errorf("%s:%d: %s\n\traw: %.160q", name, row.line, strings.Join(bad, "; "), ev.Raw)
				continue
			}
			sc.ok++
			bs.ok++
		}
	}
	if *evalDraft {
		return
	}
	dirs := make([]string, 0, len(scores))
	for d := range scores {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	var all score
	for _, d := range dirs {
		s := scores[d]
		all.ok, all.total, all.lines = all.ok+s.ok, all.total+s.total, all.lines+s.lines
		t.Logf("eval %-14s %3d/%3d entries right (%d lines)", d, s.ok, s.total, s.lines)
	}
	for _, b := range []string{"eval", "eval2"} {
		if s := batches[b]; s != nil {
			t.Logf("batch %-13s %3d/%3d entries right (%d lines, %d files)", b, s.ok, s.total, s.lines, s.files)
		}
	}
	t.Logf("eval TOTAL          %3d/%3d entries right (%d lines, %d files, %d misdetected)", all.ok, all.total, all.lines, len(files), len(detectBad))
}

// writeEvalDraft writes what the parsers produce now for f as a draft
// .expect file, a starting point to be corrected by hand.
func writeEvalDraft(t *testing.T, f, dir string) {
	det, evs := decodeEval(t, f, "")
	var b strings.Builder
	if det.Format != nil && det.Format.ID != dir {
		fmt.Fprintf(&b, "# format: %s\n", det.Format.ID)
	}
	if det.Wrapper != "" {
		fmt.Fprintf(&b, "# wrapper: %s\n", det.Wrapper)
	}
	for i := range evs {
		ev := &evs[i]
		format, tm, lvl, msg := ev.Format, "-", ev.Level.String(), ev.Message
		if format == "" {
			format, msg = "-", "-"
		}
		if !ev.Time.IsZero() {
			tm = ev.Time.UTC().Format(time.RFC3339Nano)
		}
		if lvl == "" {
			lvl = "-"
		}
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if len(msg) > 60 {
			msg = msg[:60]
		}
		if msg == "" {
			msg = "-"
		}
		fmt.Fprintf(&b, "%d\t%s\t%s\t%s\t%s", ev.Line, format, tm, lvl, msg)
		if ev.Status != 0 {
			fmt.Fprintf(&b, "\tstatus=%d", ev.Status)
		}
		if n := strings.Count(string(ev.Raw), "\n") + 1; n > 1 {
			fmt.Fprintf(&b, "\tlines=%d", n)
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(f+".expect.draft", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
