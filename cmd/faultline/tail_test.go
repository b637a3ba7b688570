package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/report"
	"github.com/faultline/faultline/rules"
)

// The tests below run `faultline tail` as a real process: the test binary
// re-executes itself as the CLI (FAULTLINE_TEST_CLI=1 makes it run main's
// run instead of the tests), so signals, exit codes, standard output and
// standard error are the real ones, without a separate build.
func init() {
	if os.Getenv("FAULTLINE_TEST_CLI") == "1" {
		os.Exit(run(os.Args[1:]))
	}
}

// tailRun is a running `faultline tail` whose standard output is read as it
// comes: the tests wait for specific sequence numbers in it rather than
// sleeping.
type tailRun struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr syncBuffer

	mu    sync.Mutex
	cond  *sync.Cond
	lines []string    // standard output, line by line
	seqs  map[int]int // sequence number → times seen
	eof   bool

	waited   bool
	exitCode int
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine of exec.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// seqRe finds the sequence number a test line carries in its request path.
var seqRe = regexp.MustCompile(`/seq/(\d+)`)

// startTail starts `faultline tail ARGS...`.
func startTail(t *testing.T, args ...string) *tailRun {
	t.Helper()
	return startTailAs(t, nil, os.Args[0], args...)
}

func startTailAs(t *testing.T, cred *syscall.Credential, bin string, args ...string) *tailRun {
	t.Helper()
	r := &tailRun{t: t, seqs: map[int]int{}}
	r.cond = sync.NewCond(&r.mu)
	r.cmd = exec.Command(bin, append([]string{"tail"}, args...)...)
	r.cmd.Env = append(os.Environ(), "FAULTLINE_TEST_CLI=1")
	r.cmd.Stderr = &r.stderr
	if cred != nil {
		r.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	stdout, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go r.read(stdout)
	t.Cleanup(func() {
		if !r.waited {
			r.cmd.Process.Kill()
			r.cmd.Wait()
		}
	})
	return r
}

func (r *tailRun) read(stdout io.Reader) {
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		r.mu.Lock()
		r.lines = append(r.lines, line)
		if m := seqRe.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			r.seqs[n]++
		}
		r.cond.Broadcast()
		r.mu.Unlock()
	}
	r.mu.Lock()
	r.eof = true
	r.cond.Broadcast()
	r.mu.Unlock()
}

// waitFor blocks until cond holds on the output read so far, or fails.
func (r *tailRun) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	timer := time.AfterFunc(30*time.Second, func() { r.mu.Lock(); r.cond.Broadcast(); r.mu.Unlock() })
	defer timer.Stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	for !cond() {
		if r.eof || time.Now().After(deadline) {
			r.t.Fatalf("%s never came (%d output lines); stderr:\n%s", what, len(r.lines), r.stderr.String())
		}
		r.cond.Wait()
	}
}

// waitSeq blocks until sequence number n has been reported.
func (r *tailRun) waitSeq(n int) {
	r.t.Helper()
	r.waitFor(fmt.Sprintf("sequence number %d", n), func() bool { return r.seqs[n] > 0 })
}

// seen reports how often sequence number n has been reported.
func (r *tailRun) seen(n int) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seqs[n]
}

// interrupt sends SIGINT and waits for the process to exit; it returns the
// exit code and how long the exit took.
func (r *tailRun) interrupt() (int, time.Duration) {
	r.t.Helper()
	start := time.Now()
	if err := r.cmd.Process.Signal(os.Interrupt); err != nil {
		r.t.Fatal(err)
	}
	return r.wait(), time.Since(start)
}

// wait waits (at most 20 s) for the process to exit and its output to end.
func (r *tailRun) wait() int {
	r.t.Helper()
	exited := make(chan error, 1)
	go func() {
		r.mu.Lock()
		for !r.eof {
			r.cond.Wait()
		}
		r.mu.Unlock()
		exited <- r.cmd.Wait()
	}()
	select {
	case err := <-exited:
		r.waited = true
		var ee *exec.ExitError
		switch {
		case err == nil:
			r.exitCode = 0
		case errors.As(err, &ee):
			r.exitCode = ee.ExitCode()
		default:
			r.t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		r.t.Fatalf("faultline tail did not exit; stderr:\n%s", r.stderr.String())
	}
	// the status line belongs to terminals only: never in redirected output
	for name, out := range map[string]string{"stdout": r.stdout(), "stderr": r.stderr.String()} {
		if strings.ContainsAny(out, "\r\x1b") {
			r.t.Errorf("%s carries terminal control characters: %q", name, clipTest(out))
		}
	}
	return r.exitCode
}

func (r *tailRun) stdout() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// checkExactlyOnce asserts that the runs together reported every sequence
// number in [0, n) exactly once, and no other.
func checkExactlyOnce(t *testing.T, n int, runs ...*tailRun) {
	t.Helper()
	counts := map[int]int{}
	for _, r := range runs {
		r.mu.Lock()
		for s, c := range r.seqs {
			counts[s] += c
		}
		r.mu.Unlock()
	}
	var missing, repeated, extra []int
	for i := 0; i < n; i++ {
		switch c := counts[i]; {
		case c == 0:
			missing = append(missing, i)
		case c > 1:
			repeated = append(repeated, i)
		}
	}
	for s := range counts {
		if s < 0 || s >= n {
			extra = append(extra, s)
		}
	}
	if len(missing)+len(repeated)+len(extra) > 0 {
		t.Fatalf("of %d lines: %d missing %v, %d repeated %v, %d unexpected %v", n,
			len(missing), head(missing), len(repeated), head(repeated), len(extra), head(extra))
	}
}

func head(s []int) []int { return s[:min(len(s), 10)] }

func clipTest(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// errorLine is an Nginx error log line that the nginx-upstream-refused rule
// classifies, carrying sequence number n in its request and its time.
func errorLine(n int) string {
	return fmt.Sprintf(`2026/11/25 %02d:%02d:%02d [error] 811#811: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: shop.example.com, request: "GET /seq/%d HTTP/1.1", upstream: "http://127.0.0.1:8080/seq/%d", host: "shop.example.com"`,
		10+n/36000%12, n/600%60, n/10%60, n, n, n)
}

// appendSeq appends the error lines numbered [from, to) in one write.
func appendSeq(t *testing.T, path string, from, to int) {
	t.Helper()
	var b strings.Builder
	for i := from; i < to; i++ {
		b.WriteString(errorLine(i))
		b.WriteByte('\n')
	}
	appendString(t, path, b.String())
}

func appendString(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// shift renames path.N to path.N+1, newest last, as logrotate does before
// it rotates path to path.1.
func shift(t *testing.T, path string) {
	t.Helper()
	n := 0
	for {
		if _, err := os.Stat(fmt.Sprintf("%s.%d", path, n+1)); err != nil {
			break
		}
		n++
	}
	for ; n >= 1; n-- {
		if err := os.Rename(fmt.Sprintf("%s.%d", path, n), fmt.Sprintf("%s.%d", path, n+1)); err != nil {
			t.Fatal(err)
		}
	}
}

// rotation is one way a log is rotated or emptied under its writer; late is
// a line the writer still writes to the old file after it was rotated
// (rename and delete) or the first line of the emptied file.
type rotation struct {
	name string
	// wait: copytruncate, delete and truncation destroy what was not read
	// yet, so the writer waits until tail has reported everything first
	// (no tool can recover a line deleted before it was read)
	wait   bool
	rotate func(t *testing.T, path, late string)
}

var rotations = []rotation{
	{"rename-create", false, func(t *testing.T, path, late string) {
		old, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		shift(t, path)
		if err := os.Rename(path, path+".1"); err != nil {
			t.Fatal(err)
		}
		// the server writes to its renamed log until it reopens
		fmt.Fprintln(old, late)
		old.Close()
	}},
	{"copytruncate", true, func(t *testing.T, path, late string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		shift(t, path)
		if err := os.WriteFile(path+".1", data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		appendString(t, path, late+"\n")
	}},
	{"delete-recreate", true, func(t *testing.T, path, late string) {
		old, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(old, late) // into the deleted file
		old.Close()
	}},
	{"truncate", true, func(t *testing.T, path, late string) {
		// "> error.log": O_TRUNC, then refilled past the old size
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		appendString(t, path, late+"\n")
	}},
}

// TestTailRotationsExactlyOnce follows a log directory while more than
// 10,000 lines are appended and the log is rotated five times in each way —
// rename and create (with late writes to the renamed file), copytruncate,
// delete and recreate (with late writes to the deleted file), and "> file"
// truncation refilled past its old size — then stops tail with SIGINT and
// checks from the NDJSON that every line was reported exactly once.
func TestTailRotationsExactlyOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "error.log")
	const per = 220
	appendSeq(t, path, 0, per)
	r := startTail(t, "--format", "ndjson", "--from-start", dir)
	n := per
	r.waitSeq(n - 1) // tail has the file before the first rotation
	for round := 0; round < 5; round++ {
		for _, rot := range rotations {
			appendSeq(t, path, n, n+per)
			n += per
			if rot.wait {
				r.waitSeq(n - 1)
			}
			rot.rotate(t, path, errorLine(n))
			n++
			appendSeq(t, path, n, n+per+100) // more than the file held
			n += per + 100
		}
	}
	if n < 10000 {
		t.Fatalf("only %d lines written", n)
	}
	r.waitSeq(n - 1)
	code, took := r.interrupt()
	checkExactlyOnce(t, n, r)
	if code != 0 && code != 1 {
		t.Errorf("exit code %d; stderr:\n%s", code, r.stderr.String())
	}
	// every object names the followed path and a line number, also for the
	// lines drained from rotated files
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.lines {
		var obj struct {
			Source string
			Line   int64
			Cause  string
		}
		if err := json.Unmarshal([]byte(l), &obj); err != nil {
			t.Fatalf("not NDJSON: %q: %v", l, err)
		}
		if obj.Source != path || obj.Line < 1 || obj.Cause != "upstream-refused" {
			t.Fatalf("object %s: want source %s, a line number and cause upstream-refused", l, path)
		}
	}
	t.Logf("%d lines, 20 rotations; stopped %v after SIGINT", n, took)
}

// TestTailStateResume stops tail with SIGINT, appends lines and rotates the
// log while it is stopped, and starts it again with the same --state: the
// two runs together report every line exactly once.
func TestTailStateResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "error.log")
	state := filepath.Join(t.TempDir(), "tail.state")
	appendSeq(t, path, 0, 100)
	// the same flags both times, as in a service unit: the state wins
	// over --from-start once it exists
	args := []string{"--format", "ndjson", "--from-start", "--state", state, path}
	r1 := startTail(t, args...)
	r1.waitSeq(99)
	appendSeq(t, path, 100, 150)
	r1.waitSeq(149)
	if code, _ := r1.interrupt(); code != 0 && code != 1 {
		t.Fatalf("first run: exit code %d; stderr:\n%s", code, r1.stderr.String())
	}
	checkExactlyOnce(t, 150, r1)

	// while tail is stopped: more lines, a rotation, lines in the new file
	appendSeq(t, path, 150, 200)
	shift(t, path)
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendSeq(t, path, 200, 260)

	r2 := startTail(t, args...)
	r2.waitSeq(259)
	appendSeq(t, path, 260, 300)
	r2.waitSeq(299)
	r2.interrupt()
	checkExactlyOnce(t, 300, r1, r2)

	var st tailState
	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("state file: %v\n%s", err, data)
	}
	fi, _ := os.Stat(path)
	if len(st.Files) != 1 || st.Files[0].Path != path || st.Files[0].Offset != fi.Size() || st.Files[0].Line != 100 {
		t.Errorf("state %s: want %s at offset %d, line 100", data, path, fi.Size())
	}
}

// TestTailSIGINTSummaryAndReport interrupts tail on a real incident and on
// a quiet log: it exits promptly, prints the incident summary, exits 1 with
// an incident and 0 without, and writes --report as Markdown or HTML.
func TestTailSIGINTSummaryAndReport(t *testing.T) {
	logs := copyTree(t, filepath.Join("..", "..", "testdata", "incidents", "nginx-node-refused", "logs"))
	md := filepath.Join(t.TempDir(), "incident.md")
	r := startTail(t, "--from-start", "--report", md, logs)
	// the last 502 of the incident arrives as a text finding line
	r.waitFor("the incident's findings", func() bool { return strings.Contains(strings.Join(r.lines, "\n"), "upstream-refused") })
	code, took := r.interrupt()
	out := r.stdout()
	if code != 1 {
		t.Errorf("exit code %d with an incident, want 1; stderr:\n%s", code, r.stderr.String())
	}
	if took > 5*time.Second {
		t.Errorf("exit took %v after SIGINT", took)
	}
	for _, want := range []string{"Incident 1", "app-out-of-memory → upstream-refused"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, clipTest(out))
		}
	}
	if data, err := os.ReadFile(md); err != nil || !strings.Contains(string(data), "**Root cause:** `app-out-of-memory`") {
		t.Errorf("--report %s: %v\n%s", md, err, clipTest(string(data)))
	}

	// a quiet log: two findings are no incident; NDJSON keeps standard
	// output to JSON and prints the summary on standard error
	dir := t.TempDir()
	path := filepath.Join(dir, "error.log")
	appendSeq(t, path, 0, 2)
	html := filepath.Join(t.TempDir(), "incident.html")
	r = startTail(t, "--format", "ndjson", "--from-start", "--report", html, path)
	r.waitSeq(1)
	code, took = r.interrupt()
	if code != 0 {
		t.Errorf("exit code %d without an incident, want 0; stderr:\n%s", code, r.stderr.String())
	}
	if took > 5*time.Second {
		t.Errorf("exit took %v after SIGINT", took)
	}
	if !strings.Contains(r.stderr.String(), "No incident found") {
		t.Errorf("no summary on standard error:\n%s", r.stderr.String())
	}
	for _, l := range r.lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("standard output is not only NDJSON: %q", l)
		}
	}
	if data, err := os.ReadFile(html); err != nil || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("<!DOCTYPE html>")) {
		t.Errorf("--report %s: %v\n%s", html, err, clipTest(string(data)))
	}
}

// TestTailNewFileInDirectory: a log file created in a followed directory is
// picked up and read from its start; rotated files appearing there are not
// followed (their lines were read as the live file's).
func TestTailNewFileInDirectory(t *testing.T) {
	dir := t.TempDir()
	appendSeq(t, filepath.Join(dir, "a.log"), 0, 1)
	r := startTail(t, "--format", "ndjson", "--from-start", dir)
	r.waitSeq(0)
	// lines written at once, before tail can see the new file
	appendSeq(t, filepath.Join(dir, "b.log"), 1, 11)
	appendSeq(t, filepath.Join(dir, "b.log.1"), 100, 110)
	r.waitSeq(10)
	r.interrupt()
	checkExactlyOnce(t, 11, r)
	if !strings.Contains(r.stderr.String(), "b.log: new file") {
		t.Errorf("no remark about the new file:\n%s", r.stderr.String())
	}
}

// TestTailStartPositions: by default only lines appended after start are
// reported (tail -f); -n N starts with the last N lines; --from-start with
// the first.
func TestTailStartPositions(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  []string
		first int // first of the 50 existing lines reported (50: none)
	}{
		{"default", nil, 50},
		{"-n 10", []string{"-n", "10"}, 40},
		{"--from-start", []string{"--from-start"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "error.log")
			appendSeq(t, path, 0, 50)
			r := startTail(t, append(append([]string{"--format", "ndjson"}, tt.args...), path)...)
			if tt.first < 50 {
				// the start position counts the lines present when tail
				// opens the file: nothing may be appended before
				r.waitSeq(49)
			}
			probe := syncProbe(t, r, path)
			appendSeq(t, path, 50, 51)
			r.waitSeq(50)
			r.interrupt()
			for i := 0; i <= 50; i++ {
				want := 0
				if i >= tt.first {
					want = 1
				}
				if got := r.seen(i); got != want {
					t.Errorf("line %d reported %d times, want %d", i, got, want)
				}
			}
			// the existing lines come first, in order
			r.mu.Lock()
			defer r.mu.Unlock()
			if tt.first < 50 && !strings.Contains(r.lines[0], fmt.Sprintf("/seq/%d ", tt.first)) {
				t.Errorf("first object %s, want line %d", r.lines[0], tt.first)
			}
			if len(r.lines) != 51-tt.first+probe {
				t.Errorf("%d objects, want %d", len(r.lines), 51-tt.first+probe)
			}
		})
	}
}

// syncProbe appends probe lines (sequence numbers from 1,000,000) until tail
// reports one, so that lines appended afterwards are after its start
// position; it returns how many probes were reported.
func syncProbe(t *testing.T, r *tailRun, path string) int {
	t.Helper()
	for p := 1000000; p < 1000020; p++ {
		appendSeq(t, path, p, p+1)
		deadline := time.Now().Add(time.Second)
		for time.Now().Before(deadline) {
			if r.seen(p) > 0 {
				n := 0
				r.mu.Lock()
				for s := range r.seqs {
					if s >= 1000000 {
						n++
						delete(r.seqs, s)
					}
				}
				r.mu.Unlock()
				return n
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	t.Fatalf("tail reported none of 20 probe lines (%d output lines: %s); stderr:\n%s", len(r.lines), clipTest(r.stdout()), r.stderr.String())
	return 0
}

// TestTailTextLines: the text format prints one line per finding with its
// file and line number, and control characters from the log never reach
// the output.
func TestTailTextLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "error.log")
	evil := strings.Replace(errorLine(2), "shop.example.com", "shop\x1b]0;owned\x07\x1b[2J.example.com", 1)
	evil = strings.Replace(evil, "connect() failed", "connect()\x1b[31m failed", 1)
	appendString(t, path, errorLine(0)+"\n"+"2026/11/25 10:00:00 [notice] 811#811: signal process started\n"+evil+"\n")
	r := startTail(t, "--from-start", "--no-color", path)
	r.waitFor("two findings", func() bool { return strings.Count(strings.Join(r.lines, "\n"), "upstream-refused") >= 2 })
	r.interrupt()
	var findings []string
	for _, l := range strings.Split(r.stdout(), "\n") {
		if strings.Contains(l, "upstream-refused") {
			findings = append(findings, l)
		}
	}
	if len(findings) < 2 {
		t.Fatalf("want 2 finding lines, got:\n%s", r.stdout())
	}
	lineRe := regexp.MustCompile(`^\d\d:\d\d:\d\d  gateway\s+upstream-refused\s+connect\(\).* \((.+):(\d+)\)$`)
	for i, want := range []string{"1", "3"} {
		m := lineRe.FindStringSubmatch(findings[i])
		if m == nil || m[1] != path || m[2] != want {
			t.Errorf("finding line %q: want %s:%s at its end", findings[i], path, want)
		}
	}
	if strings.ContainsAny(r.stdout(), "\x1b\x07") {
		t.Errorf("control characters from the log reached the output: %q", r.stdout())
	}
}

// TestTailUnreadable: a file tail may not read is an input error that names
// the file, and tail exits 2 when it can follow nothing.
func TestTailUnreadable(t *testing.T) {
	dir, err := os.MkdirTemp("", "faultline-unreadable")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "error.log")
	appendSeq(t, path, 0, 1)
	os.Chmod(path, 0)
	bin, cred := os.Args[0], (*syscall.Credential)(nil)
	if os.Geteuid() == 0 {
		// root reads anything: run tail as nobody, from a copy of the
		// test binary that nobody may execute
		bin, cred = filepath.Join(dir, "faultline"), &syscall.Credential{Uid: 65534, Gid: 65534}
		copyFile(t, os.Args[0], bin, 0o755)
	}
	r := startTailAs(t, cred, bin, path)
	if code := r.wait(); code != 2 {
		t.Errorf("exit code %d, want 2", code)
	}
	if want := path + ": permission denied"; !strings.Contains(r.stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr.String())
	}
}

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "logs")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		copyFile(t, p, filepath.Join(dst, rel), 0o644)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, mode); err != nil {
		t.Fatal(err)
	}
}

// TestStatusText: the status line states the rolling 5xx rate, the active
// incident with its root cause and the top cause, on one line free of
// control characters whatever the rules named their causes.
func TestStatusText(t *testing.T) {
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	active := &report.Analysis{
		Last:      at.Add(3 * time.Minute),
		Incidents: []*report.Incident{{Start: at, End: at.Add(2 * time.Minute), RootCause: "oom-killed"}},
		Causes: []*report.CauseSummary{
			{Cause: "oom-killed", Count: 1},
			{Cause: "upstream-closed-early\x1b[2J\r\nfake", Count: 120},
		},
	}
	over := &report.Analysis{Last: at.Add(30 * time.Minute), Incidents: active.Incidents}
	for _, tt := range []struct {
		name      string
		req, fail int64
		a         *report.Analysis
		want      string
		alert     bool
	}{
		{"idle", 0, 0, nil, "no requests in the last minute · no incident", false},
		{"incident", 200, 50, active, "5xx 50/200 (25.0%) in the last minute · INCIDENT since 10:00:00, root: oom-killed · top cause upstream-closed-early", true},
		{"over", 10, 0, over, "5xx 0/10 (0.0%) in the last minute · last incident ended 10:02:00", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, alert := statusText(tt.req, tt.fail, tt.a, time.UTC)
			if !strings.HasPrefix(got, tt.want) || alert != tt.alert {
				t.Errorf("status %q (alert %v), want %q… (alert %v)", got, alert, tt.want, tt.alert)
			}
			if strings.ContainsAny(got, "\x1b\r\n") {
				t.Errorf("control characters in the status line: %q", got)
			}
		})
	}
	// off a terminal, the status line writes nothing at all
	var buf bytes.Buffer
	s := newStatusLine(&buf, false, true)
	s.show(200, 50, active, time.UTC)
	s.clear()
	if buf.Len() != 0 {
		t.Errorf("status line written to a non-terminal: %q", buf.String())
	}
}

// TestWriteFindingLine: on a terminal the line fits its width (a narrow one
// shows the file's base name); otherwise the message keeps 110 characters;
// the file and line always end it.
func TestWriteFindingLine(t *testing.T) {
	ev := &parsers.Event{Time: time.Date(2026, 11, 25, 10, 0, 1, 0, time.UTC), Source: "/var/log/nginx/error.log", Line: 42,
		Message: strings.Repeat("upstream timed out (110: Connection timed out) ", 5) + "\nsecond line"}
	fd := &rules.Finding{Event: ev, Cause: "upstream-timeout", Layer: rules.LayerGateway}
	for _, width := range []int{0, 80, 120, 200} {
		var buf bytes.Buffer
		writeFindingLine(&buf, ev, fd, time.UTC, false, width)
		line := strings.TrimSuffix(buf.String(), "\n")
		n := utf8.RuneCountInString(line)
		switch {
		case strings.Count(buf.String(), "\n") != 1 || !strings.HasSuffix(line, "error.log:42)") || !strings.HasPrefix(line, "10:00:01  gateway   upstream-timeout "):
			t.Errorf("width %d: %q", width, line)
		case (width == 0 || width >= 120) && !strings.HasSuffix(line, "  (/var/log/nginx/error.log:42)"):
			t.Errorf("width %d: %q", width, line)
		case width > 0 && n >= width:
			t.Errorf("width %d: %d columns: %q", width, n, line)
		case width == 0 && !strings.Contains(line, "… "):
			t.Errorf("width 0: message not cut: %q", line)
		}
	}
}
