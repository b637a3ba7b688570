package main

// End-to-end tests: the faultline binary is built once (TestMain) and run
// for real, as a user would, on the repository's test data and on inputs
// made in temporary directories. They check what a user sees: output,
// messages on stderr, and exit codes (DESIGN §4).

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
)

var (
	// repo is the repository root.
	repo string
	// tmp holds the binary and an empty $XDG_CONFIG_HOME (configHome), so
	// that rules installed on the machine do not change the results.
	tmp, configHome string

	buildOnce sync.Once
	bin       string // the faultline binary, once built
	buildErr  error
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	repo = root
	if tmp, err = os.MkdirTemp("", "faultline-e2e-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(tmp)
	// the binary must be reachable by the unprivileged user of
	// TestE2EUnreadable
	os.Chmod(tmp, 0o755)
	configHome = filepath.Join(tmp, "config")
	os.Mkdir(configHome, 0o755)
	return m.Run()
}

// binary builds faultline on first use and returns its path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		path := filepath.Join(tmp, "faultline")
		if out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("building faultline: %v\n%s", err, out)
			return
		}
		bin = path
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

// result is what one run of the binary produced.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout ---\n%s\n--- stderr ---\n%s", r.code, clipText(r.stdout), clipText(r.stderr))
}

func clipText(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "\n…"
	}
	return s
}

// runOpts are the circumstances of one run.
type runOpts struct {
	dir    string    // working directory (default: the repository root)
	stdin  io.Reader // standard input (default: none)
	env    []string  // extra environment
	stdout *os.File  // standard output (default: captured)
	cred   *syscall.Credential
}

// baseEnv is the environment of every run: the test's, with a fixed zone
// and no colour or rule settings from the machine.
func baseEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "NO_COLOR", "TZ", "XDG_CONFIG_HOME", "TERM":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TZ=UTC", "XDG_CONFIG_HOME="+configHome, "TERM=xterm-256color")
	return append(env, extra...)
}

// runWith runs the binary; a run that takes more than a minute fails the
// test (a hang, not a slow machine).
func runWith(t *testing.T, o runOpts, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Dir = o.dir
	if cmd.Dir == "" {
		cmd.Dir = repo
	}
	cmd.Env = baseEnv(o.env)
	cmd.Stdin = o.stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if o.stdout != nil {
		cmd.Stdout = o.stdout
	}
	if o.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: o.cred}
	}
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("faultline %s: did not finish within a minute", strings.Join(args, " "))
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("faultline %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// fl runs the binary in the repository root.
func fl(t *testing.T, args ...string) result {
	t.Helper()
	return runWith(t, runOpts{}, args...)
}

// wantCode fails the test unless r exited with code.
func wantCode(t *testing.T, r result, code int, args ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("faultline %s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, code, r)
	}
}

const (
	oomLogs     = "testdata/incidents/nginx-phpfpm-oom/logs"
	quietLogs   = "testdata/incidents/quiet-day/logs"
	zonelessDir = "testdata/incidents/zoneless-error-log"
)

// expectation is an incident's expect.json.
type expectation struct {
	Incidents []struct {
		Start     string   `json:"start"`
		End       string   `json:"end"`
		RootCause string   `json:"root_cause"`
		Chain     []string `json:"chain"`
	} `json:"incidents"`
}

func readExpect(t *testing.T, incident string) expectation {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, "testdata", "incidents", incident, "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e expectation
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// analysisDoc is the part of the JSON document (DESIGN §5) the tests read.
type analysisDoc struct {
	Version   int    `json:"version"`
	Zone      string `json:"zone"`
	Files     []map[string]any
	Incidents []struct {
		Start     string           `json:"start"`
		End       string           `json:"end"`
		RootCause string           `json:"root_cause"`
		Chain     []string         `json:"chain"`
		Causes    []map[string]any `json:"causes"`
		Statuses  map[string]int   `json:"statuses"`
		Requests  int              `json:"requests"`
		Changes   []map[string]any `json:"changes"`
		Scope     map[string]any   `json:"scope"`
	} `json:"incidents"`
	Causes   []map[string]any `json:"causes"`
	Changes  []map[string]any `json:"changes"`
	Unparsed map[string]any   `json:"unparsed"`
}

func decodeDoc(t *testing.T, r result) analysisDoc {
	t.Helper()
	var d analysisDoc
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r)
	}
	return d
}

// ndjsonLines decodes NDJSON output, one object per line.
func ndjsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not a JSON object: %v: %.200s", n, err, sc.Text())
		}
		objs = append(objs, m)
	}
	return objs
}

func hasKeys(m map[string]any, keys ...string) []string {
	var missing []string
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			missing = append(missing, k)
		}
	}
	return missing
}

// tempDir returns a directory the unprivileged user of TestE2EUnreadable
// can enter too.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "faultline-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readRepo(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestE2EFormats(t *testing.T) {
	t.Parallel()
	r := fl(t, "formats")
	wantCode(t, r, 0, "formats")
	for _, f := range parsers.Formats() {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(f.ID) + ` +\S`).MatchString(r.stdout) {
			t.Errorf("formats does not list %s with its title", f.ID)
		}
	}
	r = fl(t, "formats", "extra")
	wantCode(t, r, 2, "formats", "extra")
	if !strings.Contains(r.stderr, "faultline formats:") {
		t.Errorf("usage error does not name the command: %s", r.stderr)
	}
}

// TestE2EDetect runs detect on every parser test file (those with a golden
// file: the held-out eval-* files are scored by the parsers package) and
// checks that each is reported with its format, confidence and a sample.
func TestE2EDetect(t *testing.T) {
	t.Parallel()
	goldens, err := filepath.Glob(filepath.Join(repo, "testdata", "parsers", "*", "*.golden"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no parser test files: %v", err)
	}
	var files []string
	for _, g := range goldens {
		rel, _ := filepath.Rel(repo, strings.TrimSuffix(g, ".golden"))
		files = append(files, rel)
	}
	args := append([]string{"detect"}, files...)
	r := fl(t, args...)
	wantCode(t, r, 0, "detect …")
	known := map[string]bool{}
	for _, f := range parsers.Formats() {
		known[f.ID] = true
	}
	// blocks: "PATH: FORMAT (NN% of N sampled lines…)…" then indented lines
	head := regexp.MustCompile(`^(\S+): (\S+) \((\d+)% of (\d+) sampled lines`)
	blocks := map[string][]string{}
	var cur string
	for _, line := range strings.Split(r.stdout, "\n") {
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, " ") {
			path, _, _ := strings.Cut(line, ": ")
			cur = path
		}
		blocks[cur] = append(blocks[cur], line)
	}
	for _, file := range files {
		b := blocks[file]
		if len(b) == 0 {
			t.Errorf("%s: not reported", file)
			continue
		}
		m := head.FindStringSubmatch(b[0])
		if m == nil {
			t.Errorf("%s: head line %q does not state format and confidence", file, b[0])
			continue
		}
		dir := filepath.Base(filepath.Dir(file))
		if dir == "wrapped" {
			if !known[m[2]] {
				t.Errorf("%s: detected %q, not a format id", file, m[2])
			}
		} else if m[2] != dir {
			t.Errorf("%s: detected %s, want %s", file, m[2], dir)
		}
		if m[3] == "0" {
			t.Errorf("%s: confidence 0%%", file)
		}
		var sample string
		for _, l := range b[1:] {
			if s, ok := strings.CutPrefix(l, "  sample: "); ok {
				sample = s
			}
		}
		var ev map[string]any
		if err := json.Unmarshal([]byte(sample), &ev); err != nil {
			t.Errorf("%s: sample %q is not JSON: %v", file, sample, err)
			continue
		}
		// the first entry understood: a wrapped input's streams, or a
		// mixture's minor formats, may have a format of their own
		if !known[fmt.Sprint(ev["format"])] || ev["raw"] == "" || ev["source"] != file {
			t.Errorf("%s: sample %s", file, sample)
		}
		if line, _ := ev["line"].(float64); line < 1 {
			t.Errorf("%s: the sample has no line number: %s", file, sample)
		}
	}
}

// TestE2EParse checks that parse prints one JSON object per entry, in
// input order, for files and for stdin.
func TestE2EParse(t *testing.T) {
	t.Parallel()
	access := oomLogs + "/nginx/access.log"
	lines := bytes.Count(readRepo(t, access), []byte("\n"))
	for _, tt := range []struct {
		name  string
		args  []string
		stdin []byte
		src   string
	}{
		{"file", []string{"parse", access}, nil, access},
		{"stdin", []string{"parse", "-"}, readRepo(t, access), "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runWith(t, runOpts{stdin: bytes.NewReader(tt.stdin)}, tt.args...)
			wantCode(t, r, 0, tt.args...)
			objs := ndjsonLines(t, r.stdout)
			if len(objs) != lines {
				t.Fatalf("%d objects for %d lines", len(objs), lines)
			}
			for i, o := range objs {
				if o["source"] != tt.src || o["line"] != float64(i+1) || o["format"] != "nginx-access" || o["status"] == nil || o["time"] == nil {
					t.Fatalf("object %d: %v", i+1, o)
				}
			}
		})
	}
	// several inputs: each one's entries in order, multi-line entries one
	// object
	r := fl(t, "parse", oomLogs)
	wantCode(t, r, 0, "parse", oomLogs)
	last := map[string]float64{}
	for _, o := range ndjsonLines(t, r.stdout) {
		src, line := o["source"].(string), o["line"].(float64)
		if line <= last[src] {
			t.Fatalf("%s: line %v after %v", src, line, last[src])
		}
		last[src] = line
	}
	if len(last) != 4 {
		t.Errorf("sources %v, want the 4 logs", last)
	}
}

// TestE2EScan checks scan's terminal summary against each incident's
// expect.json: the root cause named and the chain printed, exit 1; and a
// quiet day's "No incident", exit 0.
func TestE2EScan(t *testing.T) {
	t.Parallel()
	exp := readExpect(t, "nginx-phpfpm-oom")
	r := fl(t, "scan", oomLogs)
	wantCode(t, r, 1, "scan", oomLogs)
	inc := exp.Incidents[0]
	if want := "Chain: " + strings.Join(inc.Chain, " → "); !strings.Contains(r.stdout, want) {
		t.Errorf("scan output lacks %q\n%s", want, r)
	}
	if !regexp.MustCompile(`root cause:[^(]*\(` + regexp.QuoteMeta(inc.RootCause) + `[ )]`).MatchString(r.stdout) {
		t.Errorf("scan output does not name the root cause %s\n%s", inc.RootCause, r)
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("colour written to a pipe")
	}

	r = fl(t, "scan", quietLogs)
	wantCode(t, r, 0, "scan", quietLogs)
	if !strings.Contains(r.stdout, "No incident") {
		t.Errorf("quiet day: no \"No incident\"\n%s", r)
	}
}

// TestE2EScanNDJSON checks scan --format ndjson: findings and symptoms in
// time order, with the keys of DESIGN §5.
func TestE2EScanNDJSON(t *testing.T) {
	t.Parallel()
	exp := readExpect(t, "nginx-phpfpm-oom")
	r := fl(t, "scan", "--format", "ndjson", oomLogs)
	wantCode(t, r, 1, "scan", "--format", "ndjson")
	objs := ndjsonLines(t, r.stdout)
	var prev time.Time
	kinds := map[string]int{}
	causes := map[string]bool{}
	for i, o := range objs {
		ts, _ := o["time"].(string)
		tm, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			t.Fatalf("object %d: time %q: %v", i+1, ts, err)
		}
		if tm.Before(prev) {
			t.Fatalf("object %d at %s comes after %s: not in time order", i+1, ts, prev)
		}
		prev = tm
		kind, _ := o["kind"].(string)
		kinds[kind]++
		switch kind {
		case "cause", "change":
			if miss := hasKeys(o, "time", "source", "line", "format", "kind", "cause", "rule", "layer", "status", "upstream", "message"); miss != nil {
				t.Fatalf("object %d lacks %v: %v", i+1, miss, o)
			}
			causes[o["cause"].(string)] = true
		case "symptom":
			if miss := hasKeys(o, "time", "source", "line", "format", "kind", "status"); miss != nil || o["status"].(float64) < 500 {
				t.Fatalf("symptom %d: lacks %v or not a 5xx: %v", i+1, miss, o)
			}
		default:
			t.Fatalf("object %d: kind %q", i+1, kind)
		}
	}
	if kinds["cause"] == 0 || kinds["symptom"] == 0 || kinds["change"] == 0 {
		t.Errorf("kinds %v: want causes, changes and symptoms", kinds)
	}
	for _, c := range exp.Incidents[0].Chain {
		if !causes[c] {
			t.Errorf("no finding of %s", c)
		}
	}
}

// TestE2EScanJSON checks the JSON document: it parses, carries the keys of
// DESIGN §5, and its incident matches expect.json.
func TestE2EScanJSON(t *testing.T) {
	t.Parallel()
	exp := readExpect(t, "nginx-phpfpm-oom")
	r := fl(t, "scan", "--format", "json", oomLogs)
	wantCode(t, r, 1, "scan", "--format", "json")
	var raw map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if miss := hasKeys(raw, "version", "files", "incidents", "causes", "changes", "unparsed"); miss != nil {
		t.Fatalf("document lacks %v", miss)
	}
	d := decodeDoc(t, r)
	if d.Version != 1 || len(d.Files) != 4 {
		t.Errorf("version %d, %d files", d.Version, len(d.Files))
	}
	for _, f := range d.Files {
		if miss := hasKeys(f, "path", "format", "lines", "entries", "unparsed_lines", "first", "last"); miss != nil {
			t.Errorf("file %v lacks %v", f["path"], miss)
		}
	}
	if len(d.Incidents) != len(exp.Incidents) {
		t.Fatalf("%d incidents, want %d", len(d.Incidents), len(exp.Incidents))
	}
	got, want := d.Incidents[0], exp.Incidents[0]
	if got.Start != want.Start || got.End != want.End || got.RootCause != want.RootCause || strings.Join(got.Chain, ",") != strings.Join(want.Chain, ",") {
		t.Errorf("incident %s → %s root %s chain %v; want %s → %s root %s chain %v", got.Start, got.End, got.RootCause, got.Chain, want.Start, want.End, want.RootCause, want.Chain)
	}
	if got.Statuses["502"] == 0 || got.Requests == 0 || len(got.Changes) == 0 {
		t.Errorf("statuses %v, requests %d, changes %v", got.Statuses, got.Requests, got.Changes)
	}
	for _, c := range got.Causes {
		if miss := hasKeys(c, "cause", "layer", "count", "first", "last", "evidence"); miss != nil {
			t.Errorf("cause %v lacks %v", c["cause"], miss)
		}
		ev, _ := c["evidence"].([]any)
		if len(ev) == 0 {
			t.Errorf("cause %v: no evidence", c["cause"])
		}
		for _, e := range ev {
			if miss := hasKeys(e.(map[string]any), "source", "line", "raw"); miss != nil {
				t.Errorf("cause %v evidence lacks %v", c["cause"], miss)
			}
		}
	}
	if miss := hasKeys(got.Scope, "paths", "hosts", "upstreams", "site_wide"); miss != nil {
		t.Errorf("scope lacks %v", miss)
	}
}

// TestE2EReport checks the Markdown postmortem and the HTML page.
func TestE2EReport(t *testing.T) {
	t.Parallel()
	r := fl(t, "report", oomLogs)
	wantCode(t, r, 1, "report", oomLogs)
	if !strings.HasPrefix(r.stdout, "# Postmortem") {
		t.Errorf("report does not start with a postmortem title: %.200s", r.stdout)
	}
	for _, section := range []string{"Summary", "Impact", "Timeline", "Root cause", "Resolution", "Action items"} {
		if !regexp.MustCompile(`(?m)^#{2,4} ` + section).MatchString(r.stdout) {
			t.Errorf("postmortem lacks a %q section", section)
		}
	}

	dir := tempDir(t)
	out := filepath.Join(dir, "x.html")
	r = fl(t, "report", "--format", "html", "-o", out, oomLogs)
	wantCode(t, r, 1, "report", "--format", "html", "-o", out)
	if r.stdout != "" {
		t.Errorf("stdout not empty with -o: %.200s", r.stdout)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if !strings.HasPrefix(strings.ToLower(s), "<!doctype html>") || !strings.Contains(s, "</html>") || !strings.Contains(s, "oom-killed") {
		t.Errorf("not a complete HTML report naming the root cause: %.300s", s)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left beside the report: %v", entries)
	}

	// a run that fails leaves an existing report alone
	r = fl(t, "report", "-o", out, "testdata/no-such-dir")
	wantCode(t, r, 2, "report", "-o", out, "testdata/no-such-dir")
	if again, _ := os.ReadFile(out); !bytes.Equal(again, page) {
		t.Error("a failed run overwrote the report")
	}
	r = fl(t, "report", "-o", filepath.Join(dir, "missing", "x.md"), oomLogs)
	wantCode(t, r, 2, "report", "-o", "missing/x.md")
	if !strings.Contains(r.stderr, filepath.Join(dir, "missing", "x.md")) || !strings.Contains(r.stderr, "no such file or directory") {
		t.Errorf("-o into a missing directory: %s", r.stderr)
	}
}

// userRules are a rule that replaces a built-in one (the Nginx "upstream
// prematurely closed" rule, pointed at another cause) and one that adds a
// rule for an application's own message.
const userRules = `# site rules
- id: nginx-upstream-closed-early
  cause: upstream-reset
  contains: ["upstream prematurely closed"]
  examples:
    match:
      - '2026/11/20 14:02:11 [error] 1187#1187: *1899575 upstream prematurely closed connection while reading response header from upstream, client: 109.1.191.122, server: shop.example.com, request: "GET /checkout HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"'
    no_match:
      - '2021/08/04 12:00:01 [info] 1200#1200: *55 client closed connection while sending response to client, client: 198.51.100.8, server: www.example.com'

- id: acme-ledger-db-down
  cause: db-connection-refused
  formats: [app-text]
  contains: ["ledger-db unreachable"]
  examples:
    match:
      - '2026-11-20 12:41:07,123 ERROR [checkout] ledger-db unreachable: circuit open after 5 failures'
    no_match:
      - '2026-11-20 12:41:08,001 INFO [checkout] order 10001 accepted'
`

const appLog = `2026-11-20 12:41:07,123 ERROR [checkout] ledger-db unreachable: circuit open after 5 failures
2026-11-20 12:41:08,001 INFO [checkout] order 10001 accepted
`

func TestE2ERules(t *testing.T) {
	t.Parallel()
	r := fl(t, "rules", "list")
	wantCode(t, r, 0, "rules", "list")
	if !strings.Contains(r.stdout, "nginx-upstream-closed-early") || !regexp.MustCompile(`(?m)^\d+ rules$`).MatchString(r.stdout) {
		t.Errorf("rules list:\n%s", r)
	}
	r = fl(t, "rules", "show", "nginx-upstream-closed-early")
	wantCode(t, r, 0, "rules", "show")
	if !strings.Contains(r.stdout, "cause: upstream-closed-early") || !strings.Contains(r.stdout, "rules/nginx.yaml:") {
		t.Errorf("rules show:\n%s", r)
	}
	r = fl(t, "rules", "show", "no-such-rule")
	wantCode(t, r, 2, "rules", "show", "no-such-rule")
	if !strings.Contains(r.stderr, `"no-such-rule"`) {
		t.Errorf("rules show unknown: %s", r.stderr)
	}
	r = fl(t, "rules", "test")
	wantCode(t, r, 0, "rules", "test")
	if !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("rules test: %s", r)
	}
	r = fl(t, "rules", "lint")
	wantCode(t, r, 0, "rules", "lint")

	dir := tempDir(t)
	rulesDir := filepath.Join(dir, "rules")
	ruleFile := write(t, filepath.Join(rulesDir, "site.yaml"), userRules)
	app := write(t, filepath.Join(dir, "logs", "app.log"), appLog)

	r = fl(t, "rules", "--rules", rulesDir, "show", "nginx-upstream-closed-early")
	wantCode(t, r, 0, "rules", "show", "--rules")
	if !strings.Contains(r.stdout, ruleFile+":2") || !strings.Contains(r.stdout, "cause: upstream-reset") {
		t.Errorf("the user rule does not replace the built-in one:\n%s", r)
	}
	r = fl(t, "rules", "test", rulesDir)
	wantCode(t, r, 0, "rules", "test", rulesDir)
	if !strings.HasPrefix(r.stdout, "ok: 2 rules, 4 examples") {
		t.Errorf("rules test DIR: %s", r)
	}
	r = fl(t, "rules", "lint", rulesDir)
	if r.code == 2 {
		t.Errorf("rules lint DIR: %s", r)
	}

	// scan with the user rules: the replaced rule now reports its new
	// cause, and the added rule fires
	r = fl(t, "scan", "--format", "ndjson", "--rules", rulesDir, oomLogs, app)
	if r.code != 1 {
		t.Fatalf("scan --rules: %s", r)
	}
	byRule := map[string]string{}
	for _, o := range ndjsonLines(t, r.stdout) {
		if rule, ok := o["rule"].(string); ok {
			byRule[rule] = o["cause"].(string)
		}
	}
	if byRule["nginx-upstream-closed-early"] != "upstream-reset" || byRule["acme-ledger-db-down"] != "db-connection-refused" {
		t.Errorf("findings by rule: %v", byRule)
	}
	// and without them, neither
	r = fl(t, "scan", "--format", "ndjson", app)
	if strings.Contains(r.stdout, "acme-ledger-db-down") {
		t.Errorf("the user rule fired without --rules: %s", r)
	}
	// rules in $XDG_CONFIG_HOME/faultline/rules are loaded by default
	xdg := filepath.Join(dir, "xdg")
	write(t, filepath.Join(xdg, "faultline", "rules", "site.yaml"), userRules)
	r = runWith(t, runOpts{env: []string{"XDG_CONFIG_HOME=" + xdg}}, "scan", "--format", "ndjson", app)
	if !strings.Contains(r.stdout, `"rule":"acme-ledger-db-down"`) {
		t.Errorf("rules in $XDG_CONFIG_HOME/faultline/rules not loaded: %s", r)
	}
}

// TestE2EBadRules checks that a broken rule file stops every command that
// loads rules with exit 2 and a message naming the file and line.
func TestE2EBadRules(t *testing.T) {
	t.Parallel()
	const example = "  examples:\n    match: ['2026/11/20 14:02:11 [error] 1#1: *1 acme broke']\n"
	tests := []struct {
		name, text string
		line       int    // the line the message must name
		reason     string // and what it must say
	}{
		{"bad YAML", "- id: acme-broken\n  cause: [disk-full\n", 2, "]"},
		{"unknown cause", "- id: acme-broken\n  cause: no-such-cause\n  contains: [acme broke]\n" + example, 1, `unknown cause "no-such-cause"`},
		{"duplicate id", "- id: acme-broken\n  cause: disk-full\n  contains: [acme broke]\n" + example +
			"\n- id: acme-broken\n  cause: disk-full\n  contains: [acme broke]\n" + example, 7, `duplicate rule id "acme-broken"`},
		{"regex that does not compile", "- id: acme-broken\n  cause: disk-full\n  regex: 'acme (broke'\n" + example, 1, "regex does not compile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := tempDir(t)
			rulesDir := filepath.Join(dir, "rules")
			file := write(t, filepath.Join(rulesDir, "bad.yaml"), tt.text)
			where := fmt.Sprintf("%s:%d", file, tt.line)
			for _, args := range [][]string{
				{"scan", "--rules", rulesDir, quietLogs},
				{"report", "--rules", rulesDir, quietLogs},
				{"rules", "--rules", rulesDir, "list"},
				{"rules", "test", rulesDir},
				{"rules", "lint", rulesDir},
				{"explain", "--rules", rulesDir, "disk-full"},
			} {
				r := fl(t, args...)
				wantCode(t, r, 2, args...)
				if !strings.Contains(r.stderr, where) || !strings.Contains(r.stderr, tt.reason) {
					t.Errorf("faultline %s: message %q does not name %s and %q", strings.Join(args, " "), r.stderr, where, tt.reason)
				}
				if r.stdout != "" {
					t.Errorf("faultline %s: output despite broken rules: %.200s", strings.Join(args, " "), r.stdout)
				}
			}
		})
	}
}

func TestE2EExplain(t *testing.T) {
	t.Parallel()
	r := fl(t, "explain", "oom-killed")
	wantCode(t, r, 0, "explain", "oom-killed")
	for _, want := range []string{"oom-killed — ", "What it means", "Check first", "  1. ", "Example lines"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain oom-killed lacks %q", want)
		}
	}
	r = fl(t, "explain", "oom-kill")
	wantCode(t, r, 2, "explain", "oom-kill")
	if !strings.Contains(r.stderr, `unknown cause "oom-kill"`) || !strings.Contains(r.stderr, "oom-killed") {
		t.Errorf("explain unknown: %s", r.stderr)
	}
	r = fl(t, "explain")
	wantCode(t, r, 0, "explain")
	if !strings.Contains(r.stdout, "upstream-refused") {
		t.Errorf("explain without an id does not list the causes")
	}
}

// TestE2ETimeWindow checks --since and --until.
func TestE2ETimeWindow(t *testing.T) {
	t.Parallel()
	r := fl(t, "scan", "--format", "json", "--since", "2026-11-20T12:45:00Z", oomLogs)
	wantCode(t, r, 1, "scan", "--since")
	d := decodeDoc(t, r)
	if len(d.Incidents) != 1 || d.Incidents[0].Start < "2026-11-20T12:45:00Z" {
		t.Errorf("--since 12:45: incidents %+v", d.Incidents)
	}
	// the same instant written in the zone of the logs (UTC here)
	r2 := fl(t, "scan", "--format", "json", "--since", "2026-11-20 12:45", oomLogs)
	if d2 := decodeDoc(t, r2); len(d2.Incidents) != 1 || d2.Incidents[0].Start != d.Incidents[0].Start {
		t.Errorf("--since '2026-11-20 12:45' differs from the RFC 3339 form")
	}
	r = fl(t, "scan", "--until", "2026-11-20T12:00:00Z", oomLogs)
	wantCode(t, r, 0, "scan", "--until")
	r = fl(t, "scan", "--since", "2026-11-20T12:00:00Z", "--until", "2026-11-20T12:45:00Z", "--format", "json", oomLogs)
	wantCode(t, r, 1, "scan", "--since", "--until")
	if d := decodeDoc(t, r); len(d.Incidents) != 1 || d.Incidents[0].End >= "2026-11-20T12:45:00Z" {
		t.Errorf("--until 12:45: incidents %+v", d.Incidents)
	}
	r = fl(t, "scan", "--since", "yesterday", oomLogs)
	wantCode(t, r, 2, "scan", "--since", "yesterday")
	if !strings.Contains(r.stderr, `--since "yesterday"`) {
		t.Errorf("bad --since: %s", r.stderr)
	}
}

// TestE2ETimeZone checks --tz on logs whose error log has no zone: the
// offset learned from the access log finds the expected root cause, --tz
// with the right zone agrees, and a wrong zone moves the error lines.
func TestE2ETimeZone(t *testing.T) {
	t.Parallel()
	exp := readExpect(t, "zoneless-error-log")
	logs := zonelessDir + "/logs"
	errTimes := func(r result) []string {
		var ts []string
		for _, o := range ndjsonLines(t, r.stdout) {
			if o["format"] == "nginx-error" {
				ts = append(ts, o["time"].(string))
			}
		}
		return ts
	}
	learned := fl(t, "scan", "--format", "json", logs)
	d := decodeDoc(t, learned)
	if len(d.Incidents) != 1 || d.Incidents[0].RootCause != exp.Incidents[0].RootCause {
		t.Fatalf("without --tz: %+v, want root cause %s", d.Incidents, exp.Incidents[0].RootCause)
	}
	berlin := decodeDoc(t, fl(t, "scan", "--format", "json", "--tz", "Europe/Berlin", logs))
	if len(berlin.Incidents) != 1 || berlin.Incidents[0].Start != d.Incidents[0].Start || berlin.Incidents[0].RootCause != d.Incidents[0].RootCause {
		t.Errorf("--tz Europe/Berlin: %+v", berlin.Incidents)
	}
	a := errTimes(fl(t, "scan", "--format", "ndjson", "--tz", "+01:00", logs))
	b := errTimes(fl(t, "scan", "--format", "ndjson", "--tz", "UTC", logs))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("nginx-error findings: %d with +01:00, %d with UTC", len(a), len(b))
	}
	ta, _ := time.Parse(time.RFC3339, a[0])
	tb, _ := time.Parse(time.RFC3339, b[0])
	if tb.Sub(ta) != time.Hour {
		t.Errorf("first error line at %s with +01:00 and %s with UTC: want one hour apart", a[0], b[0])
	}
	r := fl(t, "scan", "--tz", "Mars/Olympus", logs)
	wantCode(t, r, 2, "scan", "--tz", "Mars/Olympus")
	if !strings.Contains(r.stderr, `--tz "Mars/Olympus"`) {
		t.Errorf("bad --tz: %s", r.stderr)
	}
}

// TestE2EAs checks --as FORMAT and --as PATH=FORMAT.
func TestE2EAs(t *testing.T) {
	t.Parallel()
	errLog := oomLogs + "/nginx/error.log"
	r := fl(t, "detect", "--as", "./"+errLog+"=app-text", oomLogs)
	wantCode(t, r, 0, "detect", "--as")
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(errLog) + `: app-text \(.*forced with --as`).MatchString(r.stdout) {
		t.Errorf("--as PATH=FORMAT not applied to %s:\n%s", errLog, r.stdout)
	}
	if !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(oomLogs)+`/nginx/access.log: nginx-access \(`).MatchString(r.stdout) || strings.Count(r.stdout, "forced") != 1 {
		t.Errorf("--as PATH=FORMAT applied to other inputs:\n%s", r.stdout)
	}
	r = fl(t, "parse", "--as", "nginx-error", oomLogs+"/php8.2-fpm.log")
	wantCode(t, r, 0, "parse", "--as", "nginx-error")
	if objs := ndjsonLines(t, r.stdout); len(objs) == 0 || objs[0]["format"] != "unparsed" && objs[0]["format"] != "nginx-error" {
		t.Errorf("--as FORMAT: %v", objs[:1])
	}
	for _, tt := range []struct {
		as, msg string
	}{
		{"no-such-format", `--as "no-such-format": unknown format "no-such-format"`},
		{"missing.log=nginx-error", `--as "missing.log=nginx-error": missing.log is not one of the inputs`},
		{oomLogs + "=nginx-error", "use --as FORMAT for every input"},
	} {
		r := fl(t, "scan", "--as", tt.as, oomLogs)
		wantCode(t, r, 2, "scan", "--as", tt.as)
		if !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("--as %s: message %q, want %q", tt.as, r.stderr, tt.msg)
		}
	}
}

// TestE2ELogFormat checks --log-format with a custom Nginx log_format, and
// that a broken one is reported at the column of the flag's value.
func TestE2ELogFormat(t *testing.T) {
	t.Parallel()
	const format = `nginx:$host $remote_addr [$time_local] "$request" $status $body_bytes_sent rt=$request_time ua="$http_user_agent"`
	dir := tempDir(t)
	var b strings.Builder
	for i := 0; i < 20; i++ {
		status := 200
		if i >= 10 {
			status = 502
		}
		fmt.Fprintf(&b, "shop.example.com 203.0.113.%d [20/Nov/2026:14:%02d:%02d +0100] \"GET /checkout?step=%d HTTP/2.0\" %d 157 rt=0.%03d ua=\"Mozilla/5.0 (X11; Linux x86_64)\"\n", i+1, 2+i/6, i*7%60, i, status, 120+i)
	}
	log := write(t, filepath.Join(dir, "custom.log"), b.String())

	r := fl(t, "detect", "--log-format", format, log)
	wantCode(t, r, 0, "detect", "--log-format")
	if !strings.Contains(r.stdout, ": nginx-access (100% of 20 sampled lines) with custom log format") {
		t.Errorf("detect --log-format:\n%s", r)
	}
	r = fl(t, "parse", "--log-format", format, log)
	wantCode(t, r, 0, "parse", "--log-format")
	objs := ndjsonLines(t, r.stdout)
	if len(objs) != 20 || objs[0]["host"] != "shop.example.com" || objs[15]["status"] != float64(502) || objs[0]["time"] != "2026-11-20T13:02:00Z" || objs[0]["request_time"] != 0.12 {
		t.Errorf("parse --log-format: %d objects, first %v", len(objs), objs[0])
	}
	// without the format, the lines are not understood
	if r := fl(t, "parse", log); strings.Contains(r.stdout, `"status":502`) {
		t.Errorf("custom lines parsed without --log-format")
	}

	for _, tt := range []struct {
		value string
		col   int // 1-based column of the value the caret must point at
		msg   string
	}{
		{`nginx:$remote_addr - $ [$time_local]`, 22, "$ at column 22 is not followed by a variable name"},
		{`apache:%h %l %Z`, 14, "%Z at column 14"},
		{`ngnx:$remote_addr`, 1, "want 'nginx:<log_format>' or 'apache:<LogFormat>'"},
		{`nginx:log_format main '$remote_addr' x '$status';`, 38, "unexpected 'x' at column 38"},
	} {
		r := fl(t, "scan", "--log-format", tt.value, quietLogs)
		wantCode(t, r, 2, "scan", "--log-format", tt.value)
		lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
		if len(lines) < 3 || !strings.Contains(lines[0], tt.msg) || lines[1] != "  "+tt.value {
			t.Errorf("--log-format %s: message %q, want %q and the value", tt.value, r.stderr, tt.msg)
			continue
		}
		caret := strings.Index(lines[2], "^") - 2 // 0-based in the value
		if caret+1 != tt.col {
			t.Errorf("--log-format %s: caret at column %d, want %d:\n%s", tt.value, caret+1, tt.col, r.stderr)
		}
	}
}

// TestE2EExitCodes checks exit codes 0, 1 and 2 (DESIGN §4), and that an
// input error still lets the other inputs be analysed and reported.
func TestE2EExitCodes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		code int
	}{
		// 0 and 1 for scan: TestE2EScan
		{[]string{"report", "--format", "json", quietLogs}, 0},
		{[]string{"report", "--format", "json", oomLogs}, 1},
		{[]string{"scan", "-q", "testdata/no-such.log"}, 2},
		{[]string{"scan"}, 2},
		{[]string{"scan", "--format", "xml", quietLogs}, 2},
		{[]string{"scan", "--min-rate", "2", quietLogs}, 2},
		{[]string{"scan", "--no-such-flag", quietLogs}, 2},
		{[]string{"no-such-command"}, 2},
		{[]string{"detect", "testdata/no-such.log", quietLogs}, 2},
		{[]string{"parse", "testdata/no-such.log", quietLogs + "/syslog"}, 2},
	} {
		r := fl(t, tt.args...)
		if r.code != tt.code {
			t.Errorf("faultline %s: exit %d, want %d\n%s", strings.Join(tt.args, " "), r.code, tt.code, r)
		}
	}
	// a missing input: exit 2, its name in the message, the rest analysed
	r := fl(t, "scan", "testdata/no-such.log", oomLogs)
	wantCode(t, r, 2, "scan", "testdata/no-such.log", oomLogs)
	if !strings.Contains(r.stderr, "testdata/no-such.log: no such file or directory") || !strings.Contains(r.stdout, "oom-killed") {
		t.Errorf("missing input among others:\n%s", r)
	}
}

// TestE2EMessages checks that what goes wrong with an input is reported
// with the file's name and the reason, and what can be read still is.
func TestE2EMessages(t *testing.T) {
	t.Parallel()
	dir := tempDir(t)
	access := readRepo(t, oomLogs+"/nginx/access.log")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(access)
	zw.Close()
	cut := write(t, filepath.Join(dir, "access.log.2.gz"), gz.String()[:gz.Len()/2])
	junk := write(t, filepath.Join(dir, "notes.txt"), "shopping list\nmilk, eggs\n")
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	fifoDir := filepath.Join(dir, "withfifo")
	write(t, filepath.Join(fifoDir, "error.log"), string(readRepo(t, oomLogs+"/nginx/error.log")))
	if err := syscall.Mkfifo(filepath.Join(fifoDir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		msgs []string
	}{
		{"truncated gzip", []string{"scan", cut}, 2, []string{cut + ": truncated gzip stream (the file was cut off; entries before the cut were read)"}},
		{"unrecognised input", []string{"scan", junk}, 0, []string{junk + ": no known format recognised; all 2 lines reported as unparsed", `line 1: "shopping list"`}},
		{"empty directory", []string{"scan", empty}, 2, []string{empty + ": directory holds no log files", "nothing to read in " + empty}},
		{"glob without match", []string{"scan", filepath.Join(dir, "*.nothing")}, 2, []string{filepath.Join(dir, "*.nothing") + ": no file matches this pattern"}},
		{"bad glob", []string{"scan", filepath.Join(dir, "[")}, 2, []string{filepath.Join(dir, "[") + ": bad glob pattern"}},
		{"FIFO in a directory", []string{"scan", fifoDir}, 1, []string{filepath.Join(fifoDir, "pipe") + ": skipped: not a regular file (named pipe)"}},
		{"directory as -o", []string{"report", "-o", dir, oomLogs}, 2, []string{"-o " + dir + ": is a directory"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := fl(t, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
			for _, m := range tt.msgs {
				if !strings.Contains(r.stderr, m) {
					t.Errorf("stderr lacks %q\n%s", m, r.stderr)
				}
			}
		})
	}
	// the entries before the cut were analysed, and the file entry says
	// what went wrong
	r := fl(t, "scan", "--format", "json", cut)
	d := decodeDoc(t, r)
	if len(d.Files) != 1 || d.Files[0]["entries"].(float64) < 1000 || d.Files[0]["error"] == nil {
		t.Errorf("truncated gzip: files %v", d.Files)
	}
}

// TestE2EUnreadable checks a file the user may not read: a message naming
// it and why, exit 2, and the other inputs analysed. Root reads every
// file, so as root the binary is run as an unprivileged user.
func TestE2EUnreadable(t *testing.T) {
	t.Parallel()
	dir := tempDir(t)
	locked := write(t, filepath.Join(dir, "locked.log"), string(readRepo(t, oomLogs+"/nginx/error.log")))
	readable := write(t, filepath.Join(dir, "access.log"), string(readRepo(t, oomLogs+"/nginx/access.log")))
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	o := runOpts{dir: dir}
	if os.Geteuid() == 0 {
		o.cred = &syscall.Credential{Uid: 65534, Gid: 65534}
	}
	for _, args := range [][]string{{"scan", locked, readable}, {"scan", dir}} {
		r := runWith(t, o, args...)
		wantCode(t, r, 2, args...)
		if !strings.Contains(r.stderr, locked+": permission denied") {
			t.Errorf("faultline %s: message %q does not name %s as unreadable", strings.Join(args, " "), r.stderr, locked)
		}
		if !strings.Contains(r.stdout, "Incident 1") {
			t.Errorf("faultline %s: the readable access log was not analysed:\n%s", strings.Join(args, " "), r)
		}
	}
}

// TestE2EStdin checks "-": plain and gzip-compressed logs on standard
// input give the same analysis as the file.
func TestE2EStdin(t *testing.T) {
	t.Parallel()
	access := readRepo(t, oomLogs+"/nginx/access.log")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(access)
	zw.Close()
	var docs []analysisDoc
	for _, in := range [][]byte{access, gz.Bytes()} {
		r := runWith(t, runOpts{stdin: bytes.NewReader(in)}, "scan", "--format", "json", "-")
		wantCode(t, r, 1, "scan", "-")
		docs = append(docs, decodeDoc(t, r))
	}
	file := decodeDoc(t, fl(t, "scan", "--format", "json", oomLogs+"/nginx/access.log"))
	for i, d := range docs {
		if len(d.Files) != 1 || d.Files[0]["path"] != "-" || d.Files[0]["lines"] != float64(bytes.Count(access, []byte("\n"))) {
			t.Errorf("stdin %d: files %v", i, d.Files)
		}
		if len(d.Incidents) != 1 || d.Incidents[0].Start != file.Incidents[0].Start || d.Incidents[0].End != file.Incidents[0].End {
			t.Errorf("stdin %d: incidents %+v, file %+v", i, d.Incidents, file.Incidents)
		}
	}
}

// TestE2EProcessSubstitution checks that a pipe named on the command line
// (bash's <(…)) is read once, with nothing lost to format detection.
func TestE2EProcessSubstitution(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	access := filepath.Join(repo, oomLogs, "nginx", "access.log")
	cmd := exec.CommandContext(ctx, bash, "-c", `"$0" parse <(cat "$1")`, binary(t), access)
	cmd.Env = baseEnv(nil)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v", err)
	}
	if n, want := len(ndjsonLines(t, string(out))), bytes.Count(readRepo(t, oomLogs+"/nginx/access.log"), []byte("\n")); n != want {
		t.Errorf("%d entries from <(cat access.log), want %d", n, want)
	}
}

// TestE2EColor checks colour: on a terminal by default, never with
// NO_COLOR or --no-color, never into a pipe (TestE2EScan).
func TestE2EColor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		env   []string
		args  []string
		color bool
	}{
		{"terminal", nil, nil, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, nil, false},
		{"empty NO_COLOR", []string{"NO_COLOR="}, nil, false},
		{"--no-color", nil, []string{"--no-color"}, false},
		{"TERM=dumb", []string{"TERM=dumb"}, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ptm, pts, err := openPTY()
			if err != nil {
				t.Skipf("no pseudo-terminal: %v", err)
			}
			defer ptm.Close()
			output := make(chan string)
			go func() {
				b, _ := io.ReadAll(ptm) // ends with EIO once the child is gone
				output <- string(b)
			}()
			args := append(append([]string{"scan"}, tt.args...), oomLogs)
			r := runWith(t, runOpts{env: tt.env, stdout: pts}, args...)
			pts.Close()
			out := <-output
			if r.code != 1 || !strings.Contains(out, "oom-killed") {
				t.Fatalf("exit %d, output %.300q", r.code, out)
			}
			if got := strings.Contains(out, "\x1b["); got != tt.color {
				t.Errorf("colour %v, want %v", got, tt.color)
			}
		})
	}
}

// TestE2ENoProgressOffTerminal checks that a scan whose stderr is not a
// terminal writes nothing there but messages: no progress display.
func TestE2ENoProgressOffTerminal(t *testing.T) {
	t.Parallel()
	r := fl(t, "scan", oomLogs)
	if strings.ContainsAny(r.stderr, "\r\x1b") || strings.Contains(r.stderr, "reading logs") {
		t.Errorf("progress output on a pipe: %q", r.stderr)
	}
}

// TestE2EReadme checks the README's set-up commands, when the README is
// there: they are documented, and the scan command works as shown.
func TestE2EReadme(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("no README.md yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	const scanCmd = "go run ./cmd/faultline scan testdata/incidents/nginx-phpfpm-oom/logs"
	for _, c := range []string{scanCmd, "go test ./..."} {
		if !bytes.Contains(readme, []byte(c)) {
			t.Errorf("README.md does not show %q", c)
		}
	}
	// `go test ./...` is what runs this test; the scan command is run here
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f := strings.Fields(scanCmd)
	cmd := exec.CommandContext(ctx, f[0], f[1:]...)
	cmd.Dir, cmd.Env = repo, baseEnv(nil)
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("%s: %v, want exit 1 (incident found)", scanCmd, err)
	}
	if !strings.Contains(string(out), "oom-killed") {
		t.Errorf("%s does not name the root cause:\n%s", scanCmd, out)
	}
}
