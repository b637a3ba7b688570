package parsers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
