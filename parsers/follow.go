package parsers

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nxadm/tail"
	"github.com/nxadm/tail/watch"
)

// StartAt says where following a file begins.
type StartAt int

// Start positions: at the end like tail -f, at the beginning, or at the
// last N lines (tail -n N).
const (
	StartEnd StartAt = iota
	StartBeginning
	StartLastN
)

// headSize is how many leading bytes of a followed file identify its
// content: when they change, the file was truncated and written again.
const headSize = 1024

// FollowOptions configure Follow.
type FollowOptions struct {
	// Poll polls for changes instead of using inotify (network file systems).
	Poll bool
	// Start and LastN say where to begin when there is no saved state.
	Start StartAt
	LastN int
	// Resume is the saved state of the path (--state); it wins over Start
	// when it still matches a file.
	Resume *FileState
	// Grace is how long a rotated-away file is still read after it last
	// grew (a server writes to it until it reopens its log). Default 5s.
	Grace time.Duration
	// Note receives remarks: rotations, truncations, files that vanished.
	Note func(string)
	// Started, when set, is called once the start position is settled and
	// following has begun (lines appended after it are delivered).
	Started func()
}

// FileState identifies a followed file and how far it was read, so that a
// restarted tail resumes exactly there (--state).
type FileState struct {
	Path    string `json:"path"`
	Dev     uint64 `json:"dev"`
	Ino     uint64 `json:"ino"`
	HeadLen int    `json:"head_len"`
	HeadCRC uint32 `json:"head_crc32"`
	Offset  int64  `json:"offset"`
	Line    int64  `json:"line"`
}

// LiveLine is one complete line read from a followed file.
type LiveLine struct {
	// Path is the followed path (also for lines drained from the file it
	// was rotated to).
	Path string
	Text []byte
	// Line is the line's number in its file; Offset its start.
	Line   int64
	Offset int64
	// State is the file's state once this line is consumed; lines read
	// from a rotated-away file carry Rotated and the state of that file.
	State   FileState
	Rotated bool
}

// follower follows one path with nxadm/tail and makes it lossless across
// rotation and truncation. nxadm/tail reads the lines; the follower holds
// its own descriptor of the file it believes is being read, and passes
// lines on only when they really are the next lines of that file at the
// expected offsets (checked a batch at a time: line numbers and offsets for
// each line, the bytes and the file's head with one read per batch).
// Anything else — nxadm/tail reopened the path, or kept
// reading a file that was renamed or truncated and refilled between two of
// its looks — makes it resynchronise: stop nxadm/tail, finish the old file
// from its own descriptor (lines written to a renamed or deleted log after
// the last read are still there), pick up log generations rotated away
// before they were ever opened, and restart nxadm/tail at the right offset.
// A periodic check catches what arrives without any line (a rename while
// idle, a stalled watcher).
type follower struct {
	path string
	opts FollowOptions
	out  chan<- LiveLine
	ctx  context.Context

	t       *tail.Tail
	poll    bool
	expect  int // next line number nxadm/tail should report
	hold    *os.File
	st      FileState
	head    []byte // the file's first bytes as read so far
	scratch []byte
	drains  sync.WaitGroup // rotated-away files still being read

	// batch holds lines from nxadm/tail not verified yet
	batch      []tailLine
	batchBytes int
	resyncs    int         // how often the follower resynchronised
	wait       *time.Timer // batchWait, reused

	// lastLine is when the last line was passed on, stalledSince when the
	// held file was first seen to hold an undelivered complete line,
	// lastStall when nxadm/tail was last restarted for a stall
	lastLine     time.Time
	stalledSince time.Time
	lastStall    time.Time

	// seen are the files (dev, inode) this follower has read, and
	// openedAt when it began the current one: together they tell a log
	// generation that was rotated away before it was ever opened
	seen     map[[2]uint64]bool
	openedAt time.Time
	// heads are the first bytes (length, CRC) of the contents read so far,
	// so that a copytruncate copy is not taken for an unread generation
	heads map[[2]uint32]bool
}

// Follow follows path until ctx is done, sending every complete line to
// out: the lines present from the start position on, then every line
// appended, across rename-and-create rotation, copytruncate, delete and
// recreate, and repeated truncation, without losing or repeating one. When
// ctx is done, it reads what is left of the file up to its last complete
// line and returns; the returned state says where it stopped.
func Follow(ctx context.Context, path string, opts FollowOptions, out chan<- LiveLine) (FileState, error) {
	if opts.Grace <= 0 {
		opts.Grace = 5 * time.Second
	}
	if opts.Note == nil {
		opts.Note = func(string) {}
	}
	f := &follower{path: path, opts: opts, out: out, ctx: ctx, poll: opts.Poll,
		st: FileState{Path: path}, seen: map[[2]uint64]bool{}, heads: map[[2]uint32]bool{}}
	defer f.drains.Wait()
	defer f.closeHold()
	start, err := f.startOffset()
	if err != nil {
		return f.st, err
	}
	if f.hold != nil {
		f.startTail(start)
	}
	if opts.Started != nil {
		opts.Started()
	}
	checks := time.NewTimer(checkEvery)
	defer checks.Stop()
	for {
		var lines <-chan *tail.Line
		if f.t != nil {
			lines = f.t.Lines
		}
		select {
		case <-ctx.Done():
			// lines not verified yet are read again by finish, from the
			// held file at the last delivered offset
			f.batch = f.batch[:0]
			f.stopTail()
			f.finish()
			return f.st, nil
		case <-checks.C:
			if err := f.flush(); err != nil {
				return f.st, err
			}
			if err := f.check(); err != nil {
				return f.st, err
			}
			checks.Reset(f.checkInterval())
		case l, ok := <-lines:
			if err := f.receive(l, ok); err != nil {
				return f.st, err
			}
		}
	}
}

// receive takes one line from nxadm/tail, then as many more as are ready
// (up to a batch), and verifies and delivers them together.
func (f *follower) receive(l *tail.Line, ok bool) error {
	for {
		if !ok {
			if err := f.flush(); err != nil {
				return err
			}
			f.tailEnded()
			return nil
		}
		if l.Err != nil {
			f.opts.Note(fmt.Sprintf("%s: %v", f.path, l.Err))
		} else if err := f.line(l); err != nil {
			return err
		}
		if len(f.batch) == 0 || f.t == nil {
			return nil // delivered (or resynchronised)
		}
		if len(f.batch) >= batchLines || f.batchBytes >= batchBytes {
			return f.flush()
		}
		select {
		case l, ok = <-f.t.Lines:
			continue
		default:
		}
		// nxadm/tail may be between two lines of a burst (it makes a few
		// system calls per line): wait a moment for the next one rather
		// than verify and deliver a batch of one line each time
		if f.wait == nil {
			f.wait = time.NewTimer(batchWait)
		} else {
			f.wait.Reset(batchWait)
		}
		select {
		case l, ok = <-f.t.Lines:
			f.wait.Stop()
		case <-f.wait.C:
			return f.flush()
		}
	}
}

// tailEnded handles nxadm/tail stopping on its own: the next check restarts
// it. When it stopped with an error (the inotify watch limit, for one), the
// path is polled instead.
func (f *follower) tailEnded() {
	t := f.t
	f.t = nil
	if t == nil {
		return
	}
	if err := t.Err(); err != nil && !f.poll {
		f.opts.Note(fmt.Sprintf("%s: file watcher failed (%v); polling instead", f.path, err))
		f.poll = true
	}
}

// Batches: nxadm/tail's lines are checked against the held file a batch at
// a time, with one read, instead of one read per line. A batch is delivered
// when it is full or when no further line came within batchWait.
const (
	batchLines = 512
	batchBytes = 256 << 10
	batchWait  = time.Millisecond
)

// checkEvery is how often the follower verifies, beside nxadm/tail's own
// watching, that it still reads the file at the path and that the file was
// not truncated: cheap (a stat and two small reads). A file quiet for
// idleAfter is checked every idleCheckEvery only, so that tail sits near
// idle when nothing is written (nxadm/tail still signals writes, renames
// and truncations at once).
const (
	checkEvery     = 250 * time.Millisecond
	idleAfter      = 5 * time.Second
	idleCheckEvery = time.Second
)

// checkInterval is when the next check is due.
func (f *follower) checkInterval() time.Duration {
	if f.hold == nil || f.t == nil || !f.stalledSince.IsZero() || time.Since(f.lastLine) < idleAfter {
		return checkEvery
	}
	return idleCheckEvery
}

// stallAfter is how long an undelivered complete line may wait before the
// watcher is taken for stalled and restarted.
const stallAfter = 500 * time.Millisecond

// tailLine is a line from nxadm/tail not yet verified against the held
// file: its number there and where it begins and ends.
type tailLine struct {
	num        int
	start, end int64
	text       string
}

// line takes one line from nxadm/tail into the batch when it continues the
// held file where the previous one ended (same numbering, adjacent offset);
// anything else means nxadm/tail reopened the path or lost its place, and
// the follower resynchronises after delivering what it verified.
func (f *follower) line(l *tail.Line) error {
	end := l.SeekInfo.Offset
	start := end - int64(len(l.Text)) - 1
	next, expect := f.st.Offset, f.expect
	if n := len(f.batch); n > 0 {
		next, expect = f.batch[n-1].end, f.batch[n-1].num+1
	}
	if f.hold == nil || l.Num != expect || start != next {
		resyncs := f.resyncs
		if err := f.flush(); err != nil || f.resyncs != resyncs {
			return err // flush resynchronised already
		}
		return f.resync() // this line is re-read from the right file
	}
	f.batch = append(f.batch, tailLine{num: l.Num, start: start, end: end, text: l.Text})
	f.batchBytes += len(l.Text) + 1
	return nil
}

// flush verifies the pending lines against the held file and delivers
// them: one read of their byte range must hold exactly their text and
// newlines, and the file's first bytes must still be those recorded (the
// only sign of a file truncated and refilled past the old offset, where
// nxadm/tail goes on reading new lines at old offsets). When either check
// fails, nothing of the batch is delivered and the follower resynchronises,
// reading those lines again from the right file and offset.
func (f *follower) flush() error {
	if len(f.batch) == 0 {
		return nil
	}
	first, last := f.batch[0].start, f.batch[len(f.batch)-1].end
	// a fresh buffer per batch: the delivered lines are slices of it
	buf := make([]byte, last-first)
	n, _ := f.hold.ReadAt(buf, first)
	ok := n == len(buf) && f.headStillMatches()
	for i := 0; ok && i < len(f.batch); i++ {
		p := &f.batch[i]
		s, e := p.start-first, p.end-first
		ok = buf[e-1] == '\n' && string(buf[s:e-1]) == p.text
	}
	if !ok {
		f.batch, f.batchBytes = f.batch[:0], 0
		return f.resync()
	}
	f.extendHead(last)
	f.lastLine, f.stalledSince = time.Now(), time.Time{}
	for _, p := range f.batch {
		f.st.Line++
		f.st.Offset = p.end
		f.send(LiveLine{Path: f.path, Text: buf[p.start-first : p.end-first-1 : p.end-first-1], Line: f.st.Line, Offset: p.start, State: f.st})
	}
	f.expect = f.batch[len(f.batch)-1].num + 1
	f.batch, f.batchBytes = f.batch[:0], 0
	return nil
}

// check catches what comes without a line: a rename or delete while idle, a
// truncation, a watcher that stopped or stalled.
func (f *follower) check() error {
	fi, err := os.Stat(f.path)
	switch {
	case err != nil:
		if f.hold != nil && f.t != nil {
			f.opts.Note(fmt.Sprintf("%s: deleted; reading the old file until a new one appears", f.path))
			f.stopTail()
		}
		if f.hold != nil {
			// the writer may still append to the deleted file
			f.checkHeldHead()
			f.readComplete(f.hold, &f.st, false)
		}
		return nil
	case f.hold == nil || f.t == nil:
		return f.resync()
	}
	dev, ino := statID(fi)
	if dev != f.st.Dev || ino != f.st.Ino || fi.Size() < f.st.Offset || !f.headStillMatches() {
		return f.resync()
	}
	if f.hasCompleteLine() {
		switch {
		case f.stalledSince.IsZero():
			f.stalledSince = time.Now()
		case time.Since(f.stalledSince) > stallAfter && time.Since(f.lastLine) > stallAfter:
			// nxadm/tail reads to the end and only then adds its inotify
			// watch: a write between the two is never signalled, and the
			// line waits for the next write. Restarting it reads the
			// line; a watcher that stalls again soon is replaced by polling.
			if !f.poll && !f.lastStall.IsZero() && time.Since(f.lastStall) < time.Minute {
				f.opts.Note(fmt.Sprintf("%s: file watcher stalled twice in a minute; polling instead", f.path))
				f.poll = true
			}
			f.lastStall, f.stalledSince = time.Now(), time.Time{}
			return f.resync()
		}
	} else {
		f.stalledSince = time.Time{}
	}
	return nil
}

// hasCompleteLine reports whether the held file has a complete line after
// the current offset.
func (f *follower) hasCompleteLine() bool {
	if cap(f.scratch) < headSize {
		f.scratch = make([]byte, headSize)
	}
	buf := f.scratch[:headSize]
	n, _ := f.hold.ReadAt(buf, f.st.Offset)
	return bytes.IndexByte(buf[:n], '\n') >= 0 || n == len(buf)
}

// resync stops nxadm/tail and settles which file to read and from where:
// the same file at the current offset (or from its start when it was
// truncated), or the new file at the path after finishing the old one.
func (f *follower) resync() error {
	f.resyncs++
	f.stopTail()
	fh, err := os.Open(f.path)
	if err != nil {
		if f.hold != nil {
			f.checkHeldHead()
			f.readComplete(f.hold, &f.st, false)
		}
		return nil // gone for now; the next check looks again
	}
	dev, ino := fileID(fh)
	if f.hold != nil && dev == f.st.Dev && ino == f.st.Ino {
		fh.Close()
		f.checkHeldHead()
	} else {
		if f.hold != nil {
			f.rotated(dev, ino)
		}
		f.setHold(fh)
		f.st.Offset, f.st.Line = 0, 0
	}
	f.startTail(f.st.Offset)
	return nil
}

// rotated hands the held file, which is no longer at the path, to a
// goroutine that finishes it, keeps reading it while it still grows, and
// then reads the log generations that were rotated away unseen.
func (f *follower) rotated(newDev, newIno uint64) {
	f.opts.Note(fmt.Sprintf("%s: rotated; finishing the old file", f.path))
	f.checkHeldHead()
	old, st, since := f.hold, f.st, f.openedAt
	f.hold = nil
	skipped := f.skippedGenerations(since, newDev, newIno)
	f.drains.Add(1)
	go func() {
		defer f.drains.Done()
		defer old.Close()
		f.drainRotated(old, st)
		for _, p := range skipped {
			f.readWhole(p)
		}
	}()
}

func statID(fi os.FileInfo) (dev, ino uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), st.Ino
	}
	return 0, 0
}

// startOffset opens the file (when it exists) and decides where to begin:
// the saved state when it matches, else opts.Start.
func (f *follower) startOffset() (int64, error) {
	fh, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil // wait for it to appear; read it from the start
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %s", f.path, describeOpenError(err))
	}
	f.setHold(fh)
	size := fileSize(fh)
	if r := f.opts.Resume; r != nil {
		if r.Dev == f.st.Dev && r.Ino == f.st.Ino && r.Offset <= size && f.headMatches(r) {
			f.st.Offset, f.st.Line = r.Offset, r.Line
			return r.Offset, nil
		}
		// the file was rotated while we were away: finish the old one first
		f.drainRotatedAway(r)
		return 0, nil
	}
	switch f.opts.Start {
	case StartBeginning:
		return 0, nil
	case StartLastN:
		off := lastLinesOffset(fh, size, f.opts.LastN)
		f.st.Offset, f.st.Line = off, countLines(fh, off)
		return off, nil
	}
	off := lastLineEnd(fh, size)
	f.st.Offset, f.st.Line = off, countLines(fh, off)
	return off, nil
}

// startTail starts nxadm/tail at offset; when that fails (the file just
// vanished), the next check tries again. The configuration avoids
// nxadm/tail's traps: ReOpen is only valid with Follow (alone it calls
// os.Exit), CompleteLines keeps a half-written last line back until its
// newline arrives, and DiscardingLogger keeps its chatter off the terminal.
// Its Line.Time is when the line was read; the parsers take the time from
// the line itself.
func (f *follower) startTail(offset int64) {
	if !f.poll && !inotifyUsable() {
		f.opts.Note(fmt.Sprintf("%s: inotify is not available (%v); polling instead", f.path, inotifyErr))
		f.poll = true
	}
	t, err := tail.TailFile(f.path, tail.Config{
		Location:      &tail.SeekInfo{Offset: offset, Whence: io.SeekStart},
		MustExist:     true, // the follower opened it just before
		ReOpen:        true,
		Follow:        true,
		Poll:          f.poll,
		CompleteLines: true,
		Logger:        tail.DiscardingLogger,
	})
	if err != nil {
		f.opts.Note(fmt.Sprintf("%s: %v", f.path, err))
		return
	}
	f.t, f.expect = t, 1
}

// stopTail stops nxadm/tail and, for an inotify watcher, waits until the
// watch is gone: nxadm/tail removes it from a goroutine of its own after
// Stop returns, and its watches are shared by file name, so a tail started
// on the same path before that removal would lose every event (the removal
// closes the new tail's channel) and stall.
func (f *follower) stopTail() {
	if f.t == nil {
		return
	}
	inotify := !f.t.Config.Poll
	f.t.Stop()
	f.t = nil
	if inotify {
		name := filepath.Clean(f.path)
		for deadline := time.Now().Add(watchGoneWait); watch.Events(name) != nil && time.Now().Before(deadline); {
			time.Sleep(200 * time.Microsecond)
		}
	}
}

// watchGoneWait bounds the wait for a stopped watch to be removed (a watch
// whose inotify_add_watch failed is never removed by nxadm/tail).
const watchGoneWait = 200 * time.Millisecond

var (
	inotifyOnce sync.Once
	inotifyErr  error
)

// inotifyUsable reports whether nxadm/tail can watch files. It
// creates nxadm/tail's shared watcher up front, after checking that an
// inotify instance can be had: nxadm/tail calls os.Exit when it cannot
// create one (fs.inotify.max_user_instances reached); then files are polled
// instead. Creating the shared watcher here also makes watch.Events safe to
// call in stopTail.
func inotifyUsable() bool {
	inotifyOnce.Do(func() {
		if err := inotifyInstance(); err != nil {
			inotifyErr = err
			return
		}
		dir, err := os.MkdirTemp("", "faultline-inotify")
		if err != nil {
			inotifyErr = err
			return
		}
		defer os.Remove(dir)
		probe := filepath.Join(dir, "probe")
		if err := watch.WatchCreate(probe); err != nil {
			inotifyErr = err // the watch limit (fs.inotify.max_user_watches)
		}
		watch.RemoveWatchCreate(probe)
	})
	return inotifyErr == nil
}

func (f *follower) setHold(fh *os.File) {
	f.closeHold()
	f.hold = fh
	f.st.Dev, f.st.Ino = fileID(fh)
	f.seen[[2]uint64{f.st.Dev, f.st.Ino}] = true
	f.openedAt = time.Now()
	f.resetHead()
}

// skippedGenerations finds log files rotated away before this follower
// ever opened them — the path was rotated more than once between two looks
// (x.log.1 holds the file after the one we read): files beside the path,
// in its rotation group, not compressed, never read, written since the
// previous file was opened, oldest first. Older rotations (renamed again by
// logrotate, so their ctime is new) are told apart by their old mtime.
func (f *follower) skippedGenerations(since time.Time, newDev, newIno uint64) []string {
	group, _, _ := rotationKey(f.path)
	dir := filepath.Dir(f.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	type cand struct {
		path  string
		mtime time.Time
	}
	var out []cand
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if p == f.path || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".bz2") {
			continue
		}
		if g, _, _ := rotationKey(p); g != group {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		dev, ino := statID(fi)
		if f.seen[[2]uint64{dev, ino}] || dev == newDev && ino == newIno || fi.ModTime().Before(since.Add(-time.Second)) || f.isCopy(p) {
			continue
		}
		f.seen[[2]uint64{dev, ino}] = true
		out = append(out, cand{p, fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].mtime.Before(out[j].mtime) })
	paths := make([]string, len(out))
	for i, c := range out {
		paths[i] = c.path
	}
	return paths
}

// isCopy reports whether the file at p begins like a content already read
// (a copytruncate copy, or a file copied aside).
func (f *follower) isCopy(p string) bool {
	fh, err := os.Open(p)
	if err != nil {
		return true
	}
	defer fh.Close()
	buf := make([]byte, copyHeadLen)
	n, _ := fh.ReadAt(buf, 0)
	for k := range f.heads {
		if int(k[0]) <= n && crc32.ChecksumIEEE(buf[:k[0]]) == k[1] {
			return true
		}
	}
	return false
}

// readWhole sends every complete line of a skipped log generation.
func (f *follower) readWhole(p string) {
	fh, err := os.Open(p)
	if err != nil {
		return
	}
	defer fh.Close()
	f.opts.Note(fmt.Sprintf("%s: %s was rotated away before it was read; reading it", f.path, p))
	st := FileState{Path: f.path}
	st.Dev, st.Ino = fileID(fh)
	f.readComplete(fh, &st, true)
}

func (f *follower) closeHold() {
	if f.hold != nil {
		f.hold.Close()
		f.hold = nil
	}
}

// copyHeadLen is how many leading bytes tell a copy of a file read before.
const copyHeadLen = 256

func (f *follower) resetHead() {
	if n := min(len(f.head), copyHeadLen); n > 0 {
		f.heads[[2]uint32{uint32(n), crc32.ChecksumIEEE(f.head[:n])}] = true
	}
	f.head = f.head[:0]
	f.st.HeadLen, f.st.HeadCRC = 0, 0
}

// extendHead records the file's first bytes up to headSize as it grows.
func (f *follower) extendHead(end int64) {
	if f.hold == nil || len(f.head) >= headSize || end <= int64(len(f.head)) {
		return
	}
	want := int(min(end, headSize))
	buf := make([]byte, want)
	n, _ := f.hold.ReadAt(buf, 0)
	f.head = append(f.head[:0], buf[:n]...)
	f.st.HeadLen, f.st.HeadCRC = len(f.head), crc32.ChecksumIEEE(f.head)
}

// headStillMatches compares the file's first bytes with those recorded.
func (f *follower) headStillMatches() bool {
	if len(f.head) == 0 {
		return true
	}
	if cap(f.scratch) < len(f.head) {
		f.scratch = make([]byte, headSize)
	}
	buf := f.scratch[:len(f.head)]
	n, _ := f.hold.ReadAt(buf, 0)
	return n == len(buf) && bytes.Equal(buf, f.head)
}

// headMatches checks a saved state's head against the held file.
func (f *follower) headMatches(r *FileState) bool {
	if r.HeadLen == 0 {
		return true
	}
	buf := make([]byte, r.HeadLen)
	n, _ := f.hold.ReadAt(buf, 0)
	if n != r.HeadLen || crc32.ChecksumIEEE(buf) != r.HeadCRC {
		return false
	}
	f.head = append(f.head[:0], buf...)
	f.st.HeadLen, f.st.HeadCRC = r.HeadLen, r.HeadCRC
	return true
}

func (f *follower) send(l LiveLine) error {
	// lines already read are always delivered, even while stopping: the
	// consumer reads until every follower has returned
	f.out <- l
	return nil
}

// finish reads what is left of the held file up to its last complete line
// (lines nxadm/tail had not delivered yet), for at most finishLimit: a
// backlog bigger than that (tail stopped while still reading a big file
// from its start) is left for the next run, which resumes from the state
// saved, exactly after the last line delivered.
func (f *follower) finish() {
	if f.hold != nil {
		f.checkHeldHead()
		if !f.readCompleteUntil(f.hold, &f.st, false, time.Now().Add(finishLimit)) {
			f.opts.Note(fmt.Sprintf("%s: stopped before the end of the file (line %d); --state resumes there", f.path, f.st.Line))
		}
	}
}

// finishLimit bounds how long stopping reads what is left of a file.
const finishLimit = 2 * time.Second

// checkHeldHead makes sure reading the held file from the saved offset is
// right: if the file was truncated and written again since the last read
// (faster than any check), it is read from its start instead.
func (f *follower) checkHeldHead() {
	if f.hold != nil && (fileSize(f.hold) < f.st.Offset || !f.headStillMatches()) {
		f.opts.Note(fmt.Sprintf("%s: truncated; reading it again from the start", f.path))
		f.resetHead()
		f.st.Offset, f.st.Line = 0, 0
	}
}

// drainRotated reads a rotated-away file from where reading stopped to its
// last complete line, then goes on while it still grows (checked every
// 100ms, until Grace passes without growth): a server writes to its renamed
// log until it reopens its files.
func (f *follower) drainRotated(fh *os.File, st FileState) {
	quietSince := time.Now()
	for {
		if f.readComplete(fh, &st, true) > 0 {
			quietSince = time.Now()
		}
		if time.Since(quietSince) >= f.opts.Grace || f.ctx.Err() != nil {
			f.readComplete(fh, &st, true)
			return
		}
		select {
		case <-f.ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// readComplete sends the complete lines of fh after st.Offset, advancing
// st, and returns how many it sent. A last line without its newline is left
// for later.
func (f *follower) readComplete(fh *os.File, st *FileState, rotated bool) int {
	sent, _ := f.readLines(fh, st, rotated, time.Time{})
	return sent
}

// readCompleteUntil is readComplete that gives up at deadline; it reports
// whether it reached the end.
func (f *follower) readCompleteUntil(fh *os.File, st *FileState, rotated bool, deadline time.Time) bool {
	_, complete := f.readLines(fh, st, rotated, deadline)
	return complete
}

func (f *follower) readLines(fh *os.File, st *FileState, rotated bool, deadline time.Time) (sent int, complete bool) {
	br := bufio.NewReaderSize(io.NewSectionReader(fh, st.Offset, 1<<62), 64<<10)
	for {
		if !deadline.IsZero() && sent%1024 == 1023 && time.Now().After(deadline) {
			return sent, false
		}
		data, err := br.ReadBytes('\n')
		if len(data) == 0 || data[len(data)-1] != '\n' {
			return sent, true // the end, or a partial last line
		}
		start := st.Offset
		st.Offset += int64(len(data))
		st.Line++
		f.send(LiveLine{Path: f.path, Text: data[:len(data)-1], Line: st.Line, Offset: start, State: *st, Rotated: rotated})
		sent++
		if err != nil {
			return sent, true
		}
	}
}

// drainRotatedAway finishes a file that was rotated while tail was not
// running: the saved inode is looked for beside the path (x.log.1 …).
func (f *follower) drainRotatedAway(r *FileState) {
	dir := filepath.Dir(f.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		fh, err := os.Open(p)
		if err != nil {
			continue
		}
		dev, ino := fileID(fh)
		if dev == r.Dev && ino == r.Ino && r.Offset <= fileSize(fh) {
			f.opts.Note(fmt.Sprintf("%s: rotated to %s while tail was stopped; finishing it", f.path, p))
			st := *r
			f.readComplete(fh, &st, true)
			fh.Close()
			return
		}
		fh.Close()
	}
	f.opts.Note(fmt.Sprintf("%s: the file read last time is gone; reading the current one from the start", f.path))
}

func fileID(fh *os.File) (dev, ino uint64) {
	fi, err := fh.Stat()
	if err != nil {
		return 0, 0
	}
	return statID(fi)
}

func fileSize(fh *os.File) int64 {
	fi, err := fh.Stat()
	if err != nil {
		return 0
	}
	return fi.Size()
}

// lastLineEnd is the offset after the file's last complete line.
func lastLineEnd(fh *os.File, size int64) int64 {
	return lastLinesOffset(fh, size, 0)
}

// lastLinesOffset is the offset where the last n complete lines begin;
// with n = 0, the offset after the last complete line.
func lastLinesOffset(fh *os.File, size int64, n int) int64 {
	const chunk = 64 << 10
	buf := make([]byte, chunk)
	newlines := 0 // newlines seen from the end
	for pos := size; pos > 0; {
		from := max(pos-chunk, 0)
		m, _ := fh.ReadAt(buf[:pos-from], from)
		for i := m - 1; i >= 0; i-- {
			if buf[i] != '\n' {
				continue
			}
			// the first newline from the end closes the last complete line;
			// the (n+1)th closes the line before the last n
			if newlines == n {
				return from + int64(i) + 1
			}
			newlines++
		}
		pos = from
	}
	return 0
}

// countLines counts the newlines before offset.
func countLines(fh *os.File, offset int64) int64 {
	var n int64
	buf := make([]byte, 256<<10)
	for pos := int64(0); pos < offset; {
		m, err := fh.ReadAt(buf[:min(int64(len(buf)), offset-pos)], pos)
		n += int64(bytes.Count(buf[:m], []byte{'\n'}))
		pos += int64(m)
		if err != nil {
			break
		}
	}
	return n
}
