package parsers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// collector gathers the lines a follower delivers and lets the writer wait
// until a given line has arrived (synchronising through the channel, not
// through sleeps).
type collector struct {
	mu     sync.Mutex
	counts map[string]int
	order  []string
	cond   *sync.Cond
	last   FileState
}

func newCollector() *collector {
	c := &collector{counts: map[string]int{}}
	c.cond = sync.NewCond(&c.mu)
	return c
}

func (c *collector) run(ch <-chan LiveLine) {
	for l := range ch {
		c.mu.Lock()
		c.counts[string(l.Text)]++
		c.order = append(c.order, string(l.Text))
		if !l.Rotated {
			c.last = l.State
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

// waitFor blocks until line has been delivered, or fails after a timeout.
func (c *collector) waitFor(t *testing.T, line string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	timer := time.AfterFunc(20*time.Second, func() { c.cond.Broadcast() })
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.counts[line] == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("line %q never arrived (got %d lines)", line, len(c.order))
		}
		c.cond.Wait()
	}
}

// check asserts that lines 0..n-1 each arrived exactly once.
func (c *collector) check(t *testing.T, n int) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	missing, repeated := 0, 0
	var examples []int
	for i := 0; i < n; i++ {
		switch k := c.counts[lineText(i)]; {
		case k == 0:
			missing++
			if len(examples) < 5 || i > 0 && c.counts[lineText(i-1)] != 0 {
				examples = append(examples, i)
			}
		case k > 1:
			repeated++
			if repeated <= 5 {
				examples = append(examples, -i)
			}
		}
	}
	if missing > 0 || repeated > 0 || len(c.order) != n {
		t.Fatalf("%d lines missing (first ones and run starts: %v), %d repeated, %d delivered of %d", missing, examples[:min(len(examples), 12)], repeated, len(c.order), n)
	}
}

func lineText(i int) string {
	return fmt.Sprintf("2026/11/20 14:02:11 [error] 811#811: *%d line %06d", i, i)
}

// startFollow follows path in the background; stop returns its final state
// after every delivered line was collected.
func startFollow(t *testing.T, path string, opts FollowOptions) (*collector, func() FileState) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan LiveLine, 64)
	c := newCollector()
	done := make(chan struct{})
	go func() { c.run(ch); close(done) }()
	var st FileState
	var err error
	followed := make(chan struct{})
	started := make(chan struct{})
	opts.Grace = 300 * time.Millisecond
	opts.Started = func() { close(started) }
	opts.Note = func(s string) { t.Log(s) }
	go func() {
		st, err = Follow(ctx, path, opts, ch)
		close(ch)
		close(followed)
	}()
	select {
	case <-started:
	case <-followed:
	}
	return c, func() FileState {
		cancel()
		<-followed
		<-done
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
}

func appendLines(t *testing.T, path string, from, to int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for i := from; i < to; i++ {
		b.WriteString(lineText(i))
		b.WriteByte('\n')
	}
	if _, err := f.WriteString(b.String()); err != nil {
		t.Fatal(err)
	}
}

// rotations are the ways logs are rotated or emptied under a writer.
var rotations = []struct {
	name string
	// rotate empties path; wait makes it wait first until the follower has
	// read everything (copytruncate and "> file" destroy unread data, which
	// no follower can recover). Rename rotation does not wait: the writer
	// rotates as fast as it can, several generations between two looks.
	rotate func(t *testing.T, path string, round int, lateLine string)
	wait   bool
}{
	{"rename-create", func(t *testing.T, path string, round int, late string) {
		old, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(path, fmt.Sprintf("%s.%d", path, round+1)); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(old, late) // the server has not reopened its log yet
		old.Close()
	}, false},
	{"copytruncate", func(t *testing.T, path string, round int, late string) {
		data, _ := os.ReadFile(path)
		os.WriteFile(fmt.Sprintf("%s.copy%d", path, round+1), data, 0o644)
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		appendText(t, path, late)
	}, true},
	// a file deleted before the follower ever opened it is gone for
	// everyone, so the writer lets the follower see the file first
	{"delete-recreate", func(t *testing.T, path string, round int, late string) {
		old, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(old, late) // written to the deleted file
		old.Close()
	}, true},
	{"truncate", func(t *testing.T, path string, round int, late string) {
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		appendText(t, path, late)
	}, true},
}

func appendText(t *testing.T, path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, line)
	f.Close()
}

// TestFollowRotations appends 12,000 lines while rotating the file five
// times in each way — rename and create (the old file still written to
// after the rename), copytruncate, delete and recreate, and truncation with
// "> file", each refilled with more lines than it held — with inotify and
// with polling, and checks that every line arrived exactly once.
func TestFollowRotations(t *testing.T) {
	for _, poll := range []bool{false, true} {
		for _, mixed := range []bool{false, true} {
			name := fmt.Sprintf("poll=%v/mixed=%v", poll, mixed)
			kinds := rotations
			if !mixed {
				kinds = nil
			}
			t.Run(name, func(t *testing.T) {
				if !mixed {
					for _, r := range rotations {
						t.Run(r.name, func(t *testing.T) { followThrough(t, poll, []int{indexOf(r.name)}, 600) })
					}
					return
				}
				var all []int
				for i := range kinds {
					all = append(all, i)
				}
				followThrough(t, poll, all, 600)
			})
		}
	}
}

func indexOf(name string) int {
	for i, r := range rotations {
		if r.name == name {
			return i
		}
	}
	return -1
}

// followThrough writes per lines, rotates with each kind in turn, five
// rounds, and checks the result.
func followThrough(t *testing.T, poll bool, kinds []int, per int) {
	dir := t.TempDir()
	path := filepath.Join(dir, "error.log")
	appendLines(t, path, 0, 0)
	c, stop := startFollow(t, path, FollowOptions{Poll: poll, Start: StartBeginning})
	n := 0
	for round := 0; round < 5; round++ {
		for _, k := range kinds {
			r := rotations[k]
			appendLines(t, path, n, n+per)
			n += per
			if r.wait {
				c.waitFor(t, lineText(n-1))
			}
			r.rotate(t, path, round, lineText(n))
			n++
			appendLines(t, path, n, n+per+100) // more than the file held
			n += per + 100
		}
	}
	c.waitFor(t, lineText(n-1))
	stop()
	c.check(t, n)
}

// TestFollowSplitWrites writes lines in several pieces: only complete
// lines are delivered, whole.
func TestFollowSplitWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	os.WriteFile(path, nil, 0o644)
	c, stop := startFollow(t, path, FollowOptions{Start: StartBeginning})
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	for i := 0; i < 200; i++ {
		s := lineText(i) + "\n"
		for _, part := range []string{s[:5], s[5:20], s[20:]} {
			f.WriteString(part)
		}
	}
	f.Close()
	c.waitFor(t, lineText(199))
	stop()
	c.check(t, 200)
}

// TestFollowResume stops a follower and resumes from its state: no line is
// lost or repeated, including lines written while it was stopped and a
// rotation that happened meanwhile.
func TestFollowResume(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "access.log")
	appendLines(t, path, 0, 100)
	c1, stop := startFollow(t, path, FollowOptions{Start: StartBeginning})
	c1.waitFor(t, lineText(99))
	appendLines(t, path, 100, 150)
	st := stop() // reads what is left before returning
	c1.check(t, 150)

	// written while stopped, then rotated, then the new file written
	appendLines(t, path, 150, 200)
	os.Rename(path, path+".1")
	appendLines(t, path, 200, 260)

	c2, stop2 := startFollow(t, path, FollowOptions{Start: StartEnd, Resume: &st})
	c2.waitFor(t, lineText(259))
	appendLines(t, path, 260, 300)
	c2.waitFor(t, lineText(299))
	stop2()
	c2.mu.Lock()
	defer c2.mu.Unlock()
	for i := 150; i < 300; i++ {
		if c2.counts[lineText(i)] != 1 {
			t.Fatalf("line %d delivered %d times after resume", i, c2.counts[lineText(i)])
		}
	}
	if len(c2.order) != 150 {
		t.Fatalf("resume delivered %d lines, want 150", len(c2.order))
	}
}

// TestFollowStartPositions checks tail -f (end), -n N and --from-start.
func TestFollowStartPositions(t *testing.T) {
	for _, tt := range []struct {
		opts  FollowOptions
		first int
	}{
		{FollowOptions{Start: StartEnd}, 50},
		{FollowOptions{Start: StartLastN, LastN: 10}, 40},
		{FollowOptions{Start: StartBeginning}, 0},
	} {
		path := filepath.Join(t.TempDir(), "x.log")
		appendLines(t, path, 0, 50)
		appendText(t, path, "partial") // no newline yet: must not be cut
		f, _ := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		f.Close()
		appendLines(t, path, 0, 50)
		c, stop := startFollow(t, path, tt.opts)
		appendLines(t, path, 50, 51)
		c.waitFor(t, lineText(50))
		stop()
		c.mu.Lock()
		if c.order[0] != lineText(tt.first) {
			t.Errorf("start %v: first line %q, want %q", tt.opts.Start, c.order[0], lineText(tt.first))
		}
		c.mu.Unlock()
	}
}

// TestFollowPathNotYetThere follows a path that does not exist yet: the
// file is read from its start once it appears.
func TestFollowPathNotYetThere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later.log")
	c, stop := startFollow(t, path, FollowOptions{Start: StartEnd})
	appendLines(t, path, 0, 20)
	c.waitFor(t, lineText(19))
	appendLines(t, path, 20, 30)
	c.waitFor(t, lineText(29))
	stop()
	c.check(t, 30)
}

// TestFollowLongAndCRLFLines: a 5 MiB line and CRLF lines arrive whole, as
// written (the decoder drops the CR), between ordinary lines.
func TestFollowLongAndCRLFLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.log")
	appendLines(t, path, 0, 0)
	c, stop := startFollow(t, path, FollowOptions{Start: StartBeginning})
	long := "2026/11/20 14:02:11 [error] 811#811: *1 " + strings.Repeat("x", 5<<20)
	crlf := "2026/11/20 14:02:11 [error] 811#811: *2 crlf line\r"
	appendText(t, path, lineText(0))
	appendText(t, path, long)
	appendText(t, path, crlf)
	appendText(t, path, lineText(1))
	c.waitFor(t, lineText(1))
	stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.order) != 4 || c.order[1] != long || c.order[2] != crlf || c.order[3] != lineText(1) {
		lens := make([]int, len(c.order))
		for i, l := range c.order {
			lens[i] = len(l)
		}
		t.Fatalf("got %d lines of lengths %v; want 4: %d, %d, %d, %d bytes", len(c.order), lens, len(lineText(0)), len(long), len(crlf), len(lineText(1)))
	}
}

// TestFollowReplacedBySymlink: the path is replaced by a symlink to another
// file (a deployment switching log targets): the old file is finished,
// then the new target is read from its start.
func TestFollowReplacedBySymlink(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	target := filepath.Join(dir, "releases", "app-2.log")
	os.Mkdir(filepath.Dir(target), 0o755)
	appendLines(t, path, 0, 50)
	c, stop := startFollow(t, path, FollowOptions{Start: StartBeginning})
	c.waitFor(t, lineText(49))
	appendLines(t, target, 51, 80)
	old, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "app.log.new")
	if err := os.Symlink(target, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil { // atomic replacement
		t.Fatal(err)
	}
	fmt.Fprintln(old, lineText(50)) // a late write to the replaced file
	old.Close()
	appendLines(t, target, 80, 100)
	c.waitFor(t, lineText(99))
	c.waitFor(t, lineText(50))
	stop()
	c.check(t, 100)
}

// TestFollowBurst appends 100,000 lines in one write: all arrive, once.
func TestFollowBurst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "access.log")
	appendLines(t, path, 0, 0)
	c, stop := startFollow(t, path, FollowOptions{Start: StartEnd})
	appendLines(t, path, 0, 100000)
	c.waitFor(t, lineText(99999))
	stop()
	c.check(t, 100000)
}

// TestFollowManyFilesNoLeaks follows 100 files at once through one channel,
// rotating half of them, and checks that every line of every file arrived
// once, and that stopping leaves no goroutine and no descriptor behind.
func TestFollowManyFilesNoLeaks(t *testing.T) {
	dir := t.TempDir()
	// a first follower starts nxadm/tail's shared inotify watcher, which
	// lives as long as the process
	warm := filepath.Join(dir, "warm.log")
	appendLines(t, warm, 0, 1)
	c, stop := startFollow(t, warm, FollowOptions{Start: StartBeginning})
	appendLines(t, warm, 1, 2)
	c.waitFor(t, lineText(1))
	stop()
	goroutines, fds := settle(t, -1, -1)

	const files, per = 100, 50
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan LiveLine, 64)
	counts := map[string]int{}
	got, collected := make(chan struct{}), make(chan struct{})
	var total int
	go func() {
		defer close(collected)
		for l := range ch {
			counts[l.Path+" "+string(l.Text)]++
			if total++; total == files*per*2+files/2 {
				close(got)
			}
		}
	}()
	var wg, started sync.WaitGroup
	paths := make([]string, files)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("site%03d.log", i))
		appendLines(t, paths[i], 0, per)
		wg.Add(1)
		started.Add(1)
		go func(p string) {
			defer wg.Done()
			opts := FollowOptions{Start: StartBeginning, Grace: 200 * time.Millisecond, Started: started.Done}
			if _, err := Follow(ctx, p, opts, ch); err != nil {
				t.Error(err)
			}
		}(paths[i])
	}
	// a file rotated away before its follower opened it is unknown to it
	started.Wait()
	for i, p := range paths {
		if i%2 == 0 {
			// rename rotation with a late write to the old file
			old, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			os.Rename(p, p+".1")
			fmt.Fprintln(old, lineText(per))
			old.Close()
		}
		appendLines(t, p, per+1, 2*per+1)
	}
	select {
	case <-got:
	case <-time.After(20 * time.Second):
		buf := make([]byte, 4<<20)
		t.Errorf("only some lines arrived in 20 s; goroutines:\n%s", buf[:runtime.Stack(buf, true)])
	}
	cancel()
	wg.Wait()
	close(ch)
	<-collected
	for i, p := range paths {
		for n := 0; n <= 2*per; n++ {
			want := 1
			if n == per && i%2 != 0 {
				want = 0
			}
			if k := counts[p+" "+lineText(n)]; k != want {
				t.Errorf("%s line %d arrived %d times, want %d", p, n, k, want)
			}
		}
	}
	settle(t, goroutines, fds)
}

// settle waits until the goroutines and open descriptors are back to at
// most the given numbers (nxadm/tail's watchers end just after Stop), and
// returns the current numbers; -1 takes them as they are.
func settle(t *testing.T, goroutines, fds int) (int, int) {
	t.Helper()
	countFDs := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(ents)
	}
	if goroutines < 0 {
		time.Sleep(100 * time.Millisecond)
		return runtime.NumGoroutine(), countFDs()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		g, f := runtime.NumGoroutine(), countFDs()
		if g <= goroutines && f <= fds {
			return g, f
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("after stop: %d goroutines (before %d), %d descriptors (before %d)\n%s", g, goroutines, f, fds, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkFollow measures the follower alone: lines appended in chunks of
// 10,000 (about 560 KiB) to a followed file, each chunk read to its end
// (b.N rounded up to whole chunks).
func BenchmarkFollow(b *testing.B) {
	path := filepath.Join(b.TempDir(), "access.log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan LiveLine, 1024)
	started, done := make(chan struct{}), make(chan struct{})
	go func() {
		Follow(ctx, path, FollowOptions{Start: StartEnd, Started: func() { close(started) }}, ch)
		close(done)
	}()
	<-started
	var chunk strings.Builder
	for i := 0; i < 10000; i++ {
		chunk.WriteString(lineText(i))
		chunk.WriteByte('\n')
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ResetTimer()
	lines := 0
	for lines < b.N {
		if _, err := f.WriteString(chunk.String()); err != nil {
			b.Fatal(err)
		}
		for range 10000 {
			<-ch
		}
		lines += 10000
	}
	b.StopTimer()
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
	cancel()
	go func() {
		for range ch {
		}
	}()
	<-done
	close(ch)
}
