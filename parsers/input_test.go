package parsers

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Real lines used to build inputs (from testdata/parsers).
const (
	accessLine  = `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"`
	errorLine   = `2026/11/20 14:02:11 [error] 1187#1187: *18 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.9, server: shop.example.com, request: "GET /checkout HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "shop.example.com"`
	syslogLine  = `Nov 20 14:02:10 web-01 kernel: [1310061.327439] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1052716kB, anon-rss:612344kB, file-rss:0kB, shmem-rss:28716kB, UID:33 pgtables:1480kB oom_score_adj:0`
	fpmLine     = `[20-Nov-2026 14:02:10] WARNING: [pool www] child 4321 exited on signal 9 (SIGKILL) after 1093.884512 seconds from start`
	unknownLine = `hello, this is not a log line at all`
)

// accessLines returns n Nginx access lines, one second apart, each naming
// its own number in the path so that lost or repeated lines show.
func accessLines(n int) string {
	var b strings.Builder
	start := time.Date(2026, 11, 20, 14, 0, 0, 0, time.FixedZone("", 3600))
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "203.0.113.%d - - [%s] \"GET /item/%d HTTP/1.1\" 200 %d \"-\" \"curl/8.5.0\"\n",
			i%250+1, start.Add(time.Duration(i)*time.Second).Format("02/Jan/2006:15:04:05 -0700"), i, 100+i)
	}
	return b.String()
}

func gzipBytes(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func paths(inputs []*Input) []string {
	out := make([]string, len(inputs))
	for i, in := range inputs {
		out[i] = in.Path
	}
	return out
}

// decodeAll decodes the inputs with the zone pinned to UTC and returns
// every event (Raw copied) and each input's stats and error.
func decodeAll(t testing.TB, inputs []*Input, opts Options) ([]Event, []*FileStats, []error) {
	t.Helper()
	if opts.TZ == nil {
		opts.TZ = time.UTC
	}
	var evs []Event
	var stats []*FileStats
	var errs []error
	for _, p := range Prepare(inputs, opts) {
		st, err := p.Decode(context.Background(), func(batch []Event) error {
			evs = append(evs, batch...)
			return nil
		})
		stats, errs = append(stats, st), append(errs, err)
	}
	return evs, stats, errs
}

// TestExpandDirectory checks that a directory yields its log files
// recursively, every rotation of a log oldest first, and notes (not
// errors) for what it skips on purpose.
func TestExpandDirectory(t *testing.T) {
	dir := t.TempDir()
	gz := gzipBytes(t, accessLine+"\n")
	files := map[string][]byte{
		"nginx/access.log":               []byte(accessLine + "\n"),
		"nginx/access.log.1":             []byte(accessLine + "\n"),
		"nginx/access.log.2.gz":          gz,
		"nginx/access.log.10.gz":         gz,
		"nginx/access.log-20261120.gz":   gz,
		"nginx/access.log-20261119.gz":   gz,
		"nginx/error.log":                []byte(errorLine + "\n"),
		"nginx/error.log.1":              []byte(errorLine + "\n"),
		"syslog":                         []byte(syslogLine + "\n"),
		"syslog.1":                       []byte(syslogLine + "\n"),
		"syslog.2.bz2":                   mustRead(t, filepath.Join("..", "testdata", "inputs", "access.log.bz2")),
		"php8.2-fpm.log":                 []byte(fpmLine + "\n"),
		"app/2026-11-20.log":             []byte(errorLine + "\n"),
		"wtmp":                           {0, 0, 0, 7},
		"old.log.3.xz":                   {0xfd, '7', 'z', 'X', 'Z', 0},
		".git/HEAD":                      []byte("ref: refs/heads/main\n"),
		"journal/system@000.journal":     []byte("LPKSHHRH"),
		"nginx/vhosts/shop/access.log":   []byte(accessLine + "\n"),
		"nginx/vhosts/shop/access.log.1": []byte(accessLine + "\n"),
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	inputs, notes := Expand([]string{dir}, nil)
	var got []string
	for _, p := range paths(inputs) {
		got = append(got, strings.TrimPrefix(p, dir+string(filepath.Separator)))
	}
	want := []string{
		"app/2026-11-20.log",
		"nginx/access.log-20261119.gz", "nginx/access.log-20261120.gz",
		"nginx/access.log.10.gz", "nginx/access.log.2.gz", "nginx/access.log.1", "nginx/access.log",
		"nginx/error.log.1", "nginx/error.log",
		"nginx/vhosts/shop/access.log.1", "nginx/vhosts/shop/access.log",
		"php8.2-fpm.log",
		"syslog.2.bz2", "syslog.1", "syslog",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("inputs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	skipped := map[string]string{}
	for _, n := range notes {
		if n.Err {
			t.Errorf("note %q is an error; skipping on purpose is not", n)
		}
		skipped[filepath.Base(n.Path)] = n.Reason
	}
	for name, reason := range map[string]string{"wtmp": "binary login database", "old.log.3.xz": "xz", "system@000.journal": "journal"} {
		if !strings.Contains(skipped[name], reason) {
			t.Errorf("%s: note %q, want one saying %q", name, skipped[name], reason)
		}
	}
	if _, ok := skipped["HEAD"]; ok || len(notes) != 3 {
		t.Errorf("notes %v: want exactly the three skipped files (hidden directories are not walked)", notes)
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSortRotated(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"x.log", "x.log.1", "x.log.2.gz", "x.log-20261120.gz"},
			[]string{"x.log-20261120.gz", "x.log.2.gz", "x.log.1", "x.log"}},
		{[]string{"x.log.1", "x.log.9", "x.log.10", "x.log.2"},
			[]string{"x.log.10", "x.log.9", "x.log.2", "x.log.1"}},
		{[]string{"x.log", "x.log-2026-11-20", "x.log-2026-11-19.bz2", "x.log-2026111803.gz"},
			[]string{"x.log-2026111803.gz", "x.log-2026-11-19.bz2", "x.log-2026-11-20", "x.log"}},
		// logs of different directories never interleave
		{[]string{"b/x.log", "a/x.log.1", "b/x.log.1", "a/x.log"},
			[]string{"a/x.log.1", "a/x.log", "b/x.log.1", "b/x.log"}},
		// syslog's own rotation, and a version number that is no rotation
		{[]string{"syslog", "syslog.1", "php8.2-fpm.log", "syslog.2.gz"},
			[]string{"php8.2-fpm.log", "syslog.2.gz", "syslog.1", "syslog"}},
	}
	for _, tt := range tests {
		var inputs []*Input
		for _, p := range tt.in {
			inputs = append(inputs, &Input{Path: p})
		}
		SortRotated(inputs)
		if got := paths(inputs); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("SortRotated(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsRotated(t *testing.T) {
	for path, want := range map[string]bool{
		"/var/log/nginx/access.log":             false,
		"/var/log/nginx/access.log.1":           true,
		"/var/log/nginx/access.log.2.gz":        true,
		"/var/log/nginx/access.log-20261120":    true,
		"/var/log/nginx/access.log-20261120.gz": true,
		"/var/log/php8.2-fpm.log":               false,
		"/var/log/syslog":                       false,
		"/var/log/syslog.1":                     true,
	} {
		if got := IsRotated(path); got != want {
			t.Errorf("IsRotated(%s) = %v, want %v", path, got, want)
		}
	}
}

// TestExpandNonRegular checks that a FIFO and a socket inside a directory
// are skipped with a note, and that scanning that directory finishes: a
// FIFO nobody writes to would block a reader forever.
func TestExpandNonRegular(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "error.log"), []byte(errorLine+"\n"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.log"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "app.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	done := make(chan struct{})
	var inputs []*Input
	var notes []Note
	var evs []Event
	go func() {
		defer close(done)
		inputs, notes = Expand([]string{dir}, nil)
		evs, _, _ = decodeAll(t, inputs, Options{})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("scanning a directory with a FIFO and a socket did not return")
	}
	if got := paths(inputs); len(got) != 1 || filepath.Base(got[0]) != "error.log" {
		t.Errorf("inputs %v, want error.log only", got)
	}
	if len(evs) != 1 {
		t.Errorf("%d events, want 1", len(evs))
	}
	reasons := map[string]string{}
	for _, n := range notes {
		reasons[filepath.Base(n.Path)] = n.Reason
		if n.Err {
			t.Errorf("note %q is an error", n)
		}
	}
	if !strings.Contains(reasons["fifo.log"], "named pipe") || !strings.Contains(reasons["app.sock"], "socket") {
		t.Errorf("notes %v: want the FIFO and the socket named as skipped", notes)
	}

	// a socket named on the command line is an error
	_, notes = Expand([]string{filepath.Join(dir, "app.sock")}, nil)
	if len(notes) != 1 || !notes[0].Err || !strings.Contains(notes[0].String(), "app.sock: is a socket") {
		t.Errorf("socket named: notes %v", notes)
	}
}

// TestExpandNamedPipe checks that a named pipe given on the command line
// (what process substitution passes) is read.
func TestExpandNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		io.WriteString(f, accessLines(50))
	}()
	done := make(chan []Event)
	go func() {
		inputs, _ := Expand([]string{fifo}, nil)
		evs, _, _ := decodeAll(t, inputs, Options{})
		done <- evs
	}()
	select {
	case evs := <-done:
		if len(evs) != 50 || evs[0].Format != FormatNginxAccess || evs[49].Path != "/item/50" {
			t.Errorf("%d events from the pipe, want 50 nginx-access ones", len(evs))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe did not return")
	}
}

func TestExpandGlob(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a/error.log", "a/error.log.1", "b/error.log", "b/access.log", "c/sub/error.log"} {
		writeFile(t, filepath.Join(dir, name), []byte(errorLine+"\n"))
	}
	tests := []struct {
		pattern string
		want    []string
		errNote string
	}{
		{"*/error.log*", []string{"a/error.log.1", "a/error.log", "b/error.log"}, ""},
		{"b/*", []string{"b/access.log", "b/error.log"}, ""},
		{"c/*", []string{"c/sub/error.log"}, ""}, // a directory matched is walked
		{"*/nothing*.log", nil, "no file matches this pattern"},
		{"a/[", nil, "bad glob pattern"},
	}
	for _, tt := range tests {
		inputs, notes := Expand([]string{filepath.Join(dir, tt.pattern)}, nil)
		var got []string
		for _, p := range paths(inputs) {
			got = append(got, strings.TrimPrefix(p, dir+string(filepath.Separator)))
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: inputs %v, want %v", tt.pattern, got, tt.want)
		}
		if tt.errNote != "" && (len(notes) != 1 || !notes[0].Err || !strings.Contains(notes[0].Reason, tt.errNote)) {
			t.Errorf("%s: notes %v, want an error saying %q", tt.pattern, notes, tt.errNote)
		}
		if tt.errNote == "" && len(notes) > 0 {
			t.Errorf("%s: unexpected notes %v", tt.pattern, notes)
		}
	}
	// a file whose name holds glob characters is taken as it is
	literal := filepath.Join(dir, "a", "err[1].log")
	writeFile(t, literal, []byte(errorLine+"\n"))
	if inputs, notes := Expand([]string{literal}, nil); len(inputs) != 1 || len(notes) > 0 {
		t.Errorf("literal name with [: inputs %v, notes %v", paths(inputs), notes)
	}
}

// TestExpandSameFileOnce checks that a file reached twice (inside a
// directory and by name, through "./", "..", or a symlink) is read once.
func TestExpandSameFileOnce(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "logs", "error.log")
	writeFile(t, log, []byte(errorLine+"\n"))
	link := filepath.Join(dir, "link.log")
	if err := os.Symlink(log, link); err != nil {
		t.Fatal(err)
	}
	inputs, notes := Expand([]string{
		filepath.Join(dir, "logs"), log, filepath.Join(dir, "logs", ".", "error.log"),
		filepath.Join(dir, "logs", "..", "logs", "error.log"), link,
	}, nil)
	if len(inputs) != 1 || len(notes) > 0 {
		t.Errorf("inputs %v, notes %v: want the one file once", paths(inputs), notes)
	}
}

// TestExpandSymlinks checks that symbolic links to directories are
// followed, each directory entered once: a link loop ends, and a
// directory named twice is no "empty directory".
func TestExpandSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real", "nginx", "error.log"), []byte(errorLine+"\n"))
	for link, target := range map[string]string{
		"real/nginx/loop": "..",                       // a loop
		"logs":            "real",                     // a linked log directory
		"real/again":      filepath.Join(dir, "real"), // the same directory, absolute
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, args := range [][]string{
			{filepath.Join(dir, "real")},
			{filepath.Join(dir, "logs")},
			{dir, filepath.Join(dir, "real"), filepath.Join(dir, "real", "nginx")},
		} {
			inputs, notes := Expand(args, nil)
			if len(inputs) != 1 || filepath.Base(inputs[0].Path) != "error.log" || len(notes) > 0 {
				t.Errorf("Expand(%v): inputs %v, notes %v; want error.log once", args, paths(inputs), notes)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a symbolic link loop did not end")
	}
}

// TestExpandMissing checks that a missing path is an error naming it, and
// that the other inputs are still returned.
func TestExpandMissing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "error.log")
	writeFile(t, good, []byte(errorLine+"\n"))
	missing := filepath.Join(dir, "nope.log")
	inputs, notes := Expand([]string{missing, good}, nil)
	if len(inputs) != 1 || inputs[0].Path != good {
		t.Errorf("inputs %v, want %s", paths(inputs), good)
	}
	if len(notes) != 1 || !notes[0].Err || notes[0].String() != missing+": no such file or directory" {
		t.Errorf("notes %v", notes)
	}
	// an empty directory named is an error too: the user expected logs
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if _, notes := Expand([]string{empty}, nil); len(notes) != 1 || !notes[0].Err || !strings.Contains(notes[0].Reason, "no log files") {
		t.Errorf("empty directory: notes %v", notes)
	}
}

// TestUnreadable checks that an unreadable file fails with a message that
// names it and says why, while the other inputs are read; and that an
// unreadable directory inside a walked one is an error note.
func TestUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode (cmd/faultline's end-to-end test runs this as an unprivileged user)")
	}
	dir := t.TempDir()
	good, locked := filepath.Join(dir, "error.log"), filepath.Join(dir, "locked.log")
	writeFile(t, good, []byte(errorLine+"\n"))
	writeFile(t, locked, []byte(errorLine+"\n"))
	sub := filepath.Join(dir, "private")
	writeFile(t, filepath.Join(sub, "x.log"), []byte(errorLine+"\n"))
	for _, p := range []string{locked, sub} {
		if err := os.Chmod(p, 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(p, 0o755)
	}
	inputs, notes := Expand([]string{dir}, nil)
	if len(notes) != 1 || !notes[0].Err || notes[0].Path != sub || !strings.Contains(notes[0].Reason, "permission denied") {
		t.Errorf("notes %v, want a permission error for %s", notes, sub)
	}
	evs, stats, errs := decodeAll(t, inputs, Options{})
	if len(evs) != 1 {
		t.Errorf("%d events, want the readable file's 1", len(evs))
	}
	var failed []string
	for i, err := range errs {
		if err != nil {
			failed = append(failed, err.Error())
			if stats[i].Error == "" {
				t.Errorf("%s: stats carry no error", stats[i].Path)
			}
		}
	}
	if len(failed) != 1 || !strings.HasPrefix(failed[0], locked+": permission denied") {
		t.Errorf("errors %q, want one naming %s", failed, locked)
	}
}

func TestDescribeOpenError(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/var/log/btmp", Err: syscall.EACCES}, "permission denied (run as a user that can read it, e.g. with sudo or in group adm)"},
		{&fs.PathError{Op: "stat", Path: "/nope", Err: syscall.ENOENT}, "no such file or directory"},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.ELOOP}, "too many levels of symbolic links"},
	} {
		if got := describeOpenError(tt.err); got != tt.want {
			t.Errorf("describeOpenError(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// countingStdin counts the bytes read from it and fails on a read after
// it returned EOF, which reading stdin twice would do.
type countingStdin struct {
	r    io.Reader
	n    int
	eof  bool
	errs int
}

func (c *countingStdin) Read(p []byte) (int, error) {
	if c.eof {
		c.errs++
		return 0, errors.New("stdin read again after EOF")
	}
	n, err := c.r.Read(p)
	c.n += n
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}

// TestStdin checks "-": stdin is read once; the bytes detection consumed
// are replayed, so no line is lost or repeated, also past the detection
// sample; gzip on stdin is recognised.
func TestStdin(t *testing.T) {
	text := accessLines(30000) // about 3 MiB: more than the detection sample
	if len(text) <= sampleBytes {
		t.Fatalf("input of %d bytes does not exceed the %d-byte sample", len(text), sampleBytes)
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"plain", []byte(text)},
		{"gzip", gzipBytes(t, text)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdin := &countingStdin{r: bytes.NewReader(tt.data)}
			inputs, notes := Expand([]string{"-"}, stdin)
			if len(inputs) != 1 || len(notes) > 0 {
				t.Fatalf("inputs %v, notes %v", paths(inputs), notes)
			}
			plans := Prepare(inputs, Options{TZ: time.UTC})
			if d := plans[0].Detection; d == nil || d.Format == nil || d.Format.ID != FormatNginxAccess {
				t.Fatalf("detected %v", d)
			}
			var n int64
			st, err := plans[0].Decode(context.Background(), func(batch []Event) error {
				for i := range batch {
					n++
					ev := &batch[i]
					if ev.Line != n || ev.Source != "-" || ev.Path != fmt.Sprintf("/item/%d", n) {
						return fmt.Errorf("event %d: line %d, source %q, path %q", n, ev.Line, ev.Source, ev.Path)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != 30000 || st.Lines != 30000 || st.Unparsed != 0 {
				t.Errorf("%d events, stats %v", n, st)
			}
			if stdin.n != len(tt.data) || stdin.errs > 0 {
				t.Errorf("read %d bytes of %d from stdin, %d reads after EOF", stdin.n, len(tt.data), stdin.errs)
			}
			if _, err := inputs[0].Open(); err == nil || !strings.Contains(err.Error(), "only be read once") {
				t.Errorf("second open of stdin: %v", err)
			}
		})
	}
}

// TestCompressionByContent checks that gzip and bzip2 are recognised by
// their magic bytes, not by the file name.
func TestCompressionByContent(t *testing.T) {
	dir := t.TempDir()
	plain := string(mustRead(t, filepath.Join("..", "testdata", "inputs", "access-plain.log")))
	files := map[string][]byte{
		"gzip-named.log":    gzipBytes(t, plain),
		"plain-named.gz":    []byte(plain),
		"bzip2-named.log":   mustRead(t, filepath.Join("..", "testdata", "inputs", "access.log.bz2")),
		"two-members.gz":    append(gzipBytes(t, plain[:len(plain)/2]), gzipBytes(t, plain[len(plain)/2:])...),
		"starts-with-BZh.x": []byte("BZh is not bzip2 without a block size digit\n" + plain),
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	for name := range files {
		t.Run(name, func(t *testing.T) {
			inputs, _ := Expand([]string{filepath.Join(dir, name)}, nil)
			rc, err := inputs[0].Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			want := plain
			if strings.HasPrefix(name, "starts-with-BZh") {
				want = string(files[name])
			}
			if string(got) != want {
				t.Errorf("read %q, want %q", got, want)
			}
		})
	}
}

// TestCorruptCompressed checks that decompression errors name the file
// and say what is wrong, once.
func TestCorruptCompressed(t *testing.T) {
	dir := t.TempDir()
	good := gzipBytes(t, accessLines(10))
	badCRC := append([]byte(nil), good...)
	badCRC[len(badCRC)-8] ^= 0xff // the CRC-32 in the trailer
	for _, tt := range []struct {
		name, want string
		data       []byte
	}{
		{"header.gz", "header.gz: gzip: invalid header", []byte{0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 0xff, 'x', 'y'}},
		{"checksum.gz", "checksum.gz: gzip: invalid checksum", badCRC},
		{"cut-header.gz", "cut-header.gz: truncated gzip stream", good[:5]},
		{"bad.bz2", "bad.bz2: bzip2 data invalid", []byte("BZh9not really bzip2 data at all")},
	} {
		path := filepath.Join(dir, tt.name)
		writeFile(t, path, tt.data)
		inputs, _ := Expand([]string{path}, nil)
		_, _, errs := decodeAll(t, inputs, Options{})
		if errs[0] == nil || !strings.HasPrefix(errs[0].Error(), filepath.Join(dir, tt.want)) || strings.Count(errs[0].Error(), "gzip:") > 1 {
			t.Errorf("%s: error %v, want it to start with %q", tt.name, errs[0], tt.want)
		}
	}
}
