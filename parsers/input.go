package parsers

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Input is one log to read: a file, or standard input ("-").
type Input struct {
	// Path is the path as found (or "-" for stdin); it is the Source of
	// every Event read from the input.
	Path string
	// Size and ModTime come from the file system (zero for stdin and pipes).
	Size    int64
	ModTime time.Time

	// OnRead, when set, is called with the number of raw (compressed)
	// bytes read from the file as reading goes on: progress display.
	OnRead func(n int)

	info fs.FileInfo // from Expand: tells the same file under two names

	// stdin and pipes are read once: stream is the open reader (stdin for
	// "-"), replay the bytes Probe already took from it, streamEOF says
	// they were all of it, streamRead that Open was called
	stream       io.Reader
	streamCloser io.Closer
	replay       []byte
	streamEOF    bool
	streamRead   bool
}

// Note is something Expand skipped or could not read, with the reason.
type Note struct {
	Path   string
	Reason string
	// Err is true for inputs the user named that could not be read (a
	// missing or unreadable path); false for files skipped on purpose.
	Err bool
}

func (n Note) String() string { return n.Path + ": " + n.Reason }

// skippedNames are files under /var/log that are binary databases, not logs.
var skippedNames = map[string]bool{
	"wtmp": true, "btmp": true, "lastlog": true, "faillog": true, "utmp": true,
	"tallylog": true,
}

// skippedExts are compressions and binary formats we cannot read.
var skippedExts = map[string]string{
	".xz":      "xz-compressed files are not supported (decompress with xz -d)",
	".zst":     "zstd-compressed files are not supported (decompress with zstd -d)",
	".lz4":     "lz4-compressed files are not supported",
	".journal": "binary systemd journal (use journalctl -o short-iso or -o json)",
	".zip":     "zip archives are not supported",
}

// Expand turns command-line arguments into inputs: files as named;
// directories walked for log files (rotated x.log.1 and x.log.2.gz ordered
// oldest first, beside x.log); glob patterns; and "-" for stdin. Named
// pipes and character devices named directly are read (process
// substitution gives such paths); inside directories, anything that is not
// a regular file is skipped with a note. Paths that cannot be read give a
// note with Err set; the other inputs are still returned.
func Expand(args []string, stdin io.Reader) ([]*Input, []Note) {
	var inputs []*Input
	var notes []Note
	// a file named twice (as itself and inside a directory, through ./ or
	// a symlink) is read once: its entries would otherwise count double
	seen := map[string]bool{}
	infos := map[int64][]fs.FileInfo{} // by size: few files share one
	w := &walker{}
	add := func(in *Input) {
		key := in.Path
		if key != "-" {
			key = filepath.Clean(key)
		}
		if seen[key] {
			return
		}
		seen[key] = true
		if in.info != nil {
			size := in.info.Size()
			for _, fi := range infos[size] {
				if os.SameFile(fi, in.info) {
					return
				}
			}
			infos[size] = append(infos[size], in.info)
		}
		inputs = append(inputs, in)
	}
	for _, arg := range args {
		if arg == "-" {
			add(&Input{Path: "-", stream: stdin})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil && hasGlobMeta(arg) {
			matches, gerr := filepath.Glob(arg)
			if gerr != nil {
				notes = append(notes, Note{Path: arg, Reason: "bad glob pattern: " + gerr.Error(), Err: true})
				continue
			}
			if len(matches) == 0 {
				notes = append(notes, Note{Path: arg, Reason: "no file matches this pattern", Err: true})
				continue
			}
			files, n := w.expandFiles(matches)
			notes = append(notes, n...)
			for _, f := range files {
				add(f)
			}
			continue
		}
		if err != nil {
			notes = append(notes, Note{Path: arg, Reason: describeOpenError(err), Err: true})
			continue
		}
		if st.IsDir() {
			if w.walked(st) {
				continue // named twice, or inside a directory named before
			}
			files, n := w.walkDir(arg)
			notes = append(notes, n...)
			if len(files) == 0 && len(n) == 0 {
				notes = append(notes, Note{Path: arg, Reason: "directory holds no log files", Err: true})
			}
			for _, f := range files {
				add(f)
			}
			continue
		}
		if st.Mode()&fs.ModeSocket != 0 {
			notes = append(notes, Note{Path: arg, Reason: "is a socket, not a file", Err: true})
			continue
		}
		add(&Input{Path: arg, Size: st.Size(), ModTime: st.ModTime(), info: st})
	}
	return inputs, notes
}

func hasGlobMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

func describeOpenError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied (run as a user that can read it, e.g. with sudo or in group adm)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// walker expands directories, following symbolic links to directories
// but entering each directory once: a link loop ends.
type walker struct {
	dirs []fs.FileInfo
}

// walked reports whether the directory st was walked already.
func (w *walker) walked(st fs.FileInfo) bool {
	for _, d := range w.dirs {
		if os.SameFile(d, st) {
			return true
		}
	}
	return false
}

// enter reports whether dir (stat'ed as st) was not walked yet, and marks
// it walked.
func (w *walker) enter(st fs.FileInfo) bool {
	if w.walked(st) {
		return false
	}
	w.dirs = append(w.dirs, st)
	return true
}

// walkDir lists the log files below dir, recursively, in rotation order.
func (w *walker) walkDir(dir string) ([]*Input, []Note) {
	if st, err := os.Stat(dir); err == nil && !w.enter(st) {
		return nil, nil
	}
	if lst, err := os.Lstat(dir); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not descend into a link; with a trailing slash the
		// link is resolved (/var/log/nginx -> /data/nginx-logs)
		dir += string(filepath.Separator)
	}
	var paths []string
	var notes []Note
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// the directory named, or one inside it that cannot be read: its
			// logs are missing from the analysis, which the user must know
			notes = append(notes, Note{Path: p, Reason: describeOpenError(err), Err: p == dir || errors.Is(err, fs.ErrPermission)})
			if d != nil && d.IsDir() && p != dir {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p == dir {
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if st, err := d.Info(); err == nil && !w.enter(st) {
				return filepath.SkipDir
			}
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	files, n := w.expandFiles(paths)
	return files, append(notes, n...)
}

// expandFiles stats paths found by a walk or a glob, skips what is not a
// readable log file, and orders rotated files oldest first.
func (w *walker) expandFiles(paths []string) ([]*Input, []Note) {
	var files []*Input
	var notes []Note
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			notes = append(notes, Note{Path: p, Reason: describeOpenError(err)})
			continue
		}
		if st.IsDir() {
			sub, n := w.walkDir(p)
			files = append(files, sub...)
			notes = append(notes, n...)
			continue
		}
		if !st.Mode().IsRegular() {
			notes = append(notes, Note{Path: p, Reason: "skipped: not a regular file (" + fileKind(st.Mode()) + ")"})
			continue
		}
		base := filepath.Base(p)
		if skippedNames[strings.TrimSuffix(base, filepath.Ext(base))] || skippedNames[base] {
			notes = append(notes, Note{Path: p, Reason: "skipped: binary login database, not a log"})
			continue
		}
		if why, ok := skippedExts[filepath.Ext(base)]; ok {
			notes = append(notes, Note{Path: p, Reason: "skipped: " + why})
			continue
		}
		files = append(files, &Input{Path: p, Size: st.Size(), ModTime: st.ModTime(), info: st})
	}
	SortRotated(files)
	return files, notes
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	}
	return m.Type().String()
}

var (
	rotatedNumber = regexp.MustCompile(`^(.*)\.(\d{1,4})$`)
	rotatedDate   = regexp.MustCompile(`^(.*?)[-._](\d{8}(?:\d{2})?|\d{4}-\d{2}-\d{2})$`)
)

// rotationKey splits a file name into the log it belongs to and its age
// rank: x.log → ("x.log", 0); x.log.1 and x.log.1.gz → ("x.log", 1);
// x.log-20261120.gz → ("x.log", dated). Directory and name are kept
// together so that logs of different directories never mix.
func rotationKey(path string) (group string, number int, date string) {
	dir, name := filepath.Split(path)
	for _, ext := range []string{".gz", ".bz2"} {
		name = strings.TrimSuffix(name, ext)
	}
	if m := rotatedNumber.FindStringSubmatch(name); m != nil {
		n, _ := strconv.Atoi(m[2])
		return dir + m[1], n, ""
	}
	if m := rotatedDate.FindStringSubmatch(name); m != nil {
		return dir + m[1], 0, strings.ReplaceAll(m[2], "-", "")
	}
	return dir + name, 0, ""
}

// SortRotated orders inputs by log, and within a log oldest first: dated
// rotations by date, then numbered ones from the highest number down, then
// the live file.
func SortRotated(files []*Input) {
	type key struct {
		group  string
		dated  string
		number int
	}
	keys := make(map[*Input]key, len(files))
	for _, f := range files {
		g, n, d := rotationKey(f.Path)
		keys[f] = key{g, d, n}
	}
	sort.SliceStable(files, func(i, j int) bool {
		a, b := keys[files[i]], keys[files[j]]
		if a.group != b.group {
			return a.group < b.group
		}
		// rank: dated (oldest first) < numbered (highest first) < live
		ra, rb := rank(a.dated, a.number), rank(b.dated, b.number)
		if ra != rb {
			return ra < rb
		}
		if a.dated != b.dated {
			return a.dated < b.dated
		}
		return a.number > b.number
	})
}

func rank(dated string, number int) int {
	switch {
	case dated != "":
		return 0
	case number > 0:
		return 1
	}
	return 2
}

// Open returns the input's content, decompressed when it is gzip or bzip2
// (recognised by magic bytes, not by name). Stdin and pipes can be read
// only once: the bytes Probe consumed are replayed first, and a second
// Open fails.
func (in *Input) Open() (io.ReadCloser, error) {
	var raw io.Reader
	var closer io.Closer
	if in.oneShot() {
		if in.streamRead {
			return nil, fmt.Errorf("%s: %s can only be read once", in.Path, in.streamKind())
		}
		if err := in.openStream(); err != nil {
			return nil, err
		}
		in.streamRead = true
		raw, closer = bytes.NewReader(in.replay), in.streamCloser
		if !in.streamEOF {
			raw = io.MultiReader(raw, in.stream)
		}
		in.replay = nil
	} else {
		f, err := os.Open(in.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", in.Path, describeOpenError(err))
		}
		raw, closer = f, f
	}
	if in.OnRead != nil {
		raw = countingReader{raw, in.OnRead}
	}
	rc, err := decompress(in.Path, raw, closer)
	if err != nil {
		if closer != nil {
			closer.Close()
		}
		return nil, err
	}
	return rc, nil
}

// oneShot reports whether the input can be read only once: stdin, or a
// named pipe or device (process substitution passes /dev/fd/N).
func (in *Input) oneShot() bool {
	return in.Path == "-" || in.info != nil && !in.info.Mode().IsRegular()
}

func (in *Input) streamKind() string {
	if in.Path == "-" {
		return "standard input"
	}
	return "a " + fileKind(in.info.Mode())
}

// openStream opens a one-shot input that is not stdin.
func (in *Input) openStream() error {
	if in.stream != nil || in.streamEOF {
		return nil
	}
	if in.Path == "-" {
		return errors.New("-: no standard input to read")
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return fmt.Errorf("%s: %s", in.Path, describeOpenError(err))
	}
	in.stream, in.streamCloser = f, f
	return nil
}

// openPrefix returns up to n raw bytes from the start of the input,
// decompressed, for format detection. A one-shot input keeps what it read
// for Open.
func (in *Input) openPrefix(n int) (io.ReadCloser, error) {
	if !in.oneShot() {
		return in.Open()
	}
	if in.replay == nil && !in.streamRead {
		if err := in.openStream(); err != nil {
			return nil, err
		}
		buf := make([]byte, n)
		m, err := io.ReadFull(in.stream, buf)
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			// all of it: never read again (a terminal would wait for more)
			in.streamEOF = true
		case err != nil:
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		in.replay = buf[:m]
	}
	return decompress(in.Path, bytes.NewReader(in.replay), nil)
}

// countingReader reports how many bytes pass through it.
type countingReader struct {
	r      io.Reader
	onRead func(int)
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.onRead(n)
	}
	return n, err
}

type readCloser struct {
	io.Reader
	closers []io.Closer
}

func (r readCloser) Close() error {
	var first error
	for _, c := range r.closers {
		if c == nil {
			continue
		}
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// decompress sniffs the first bytes of raw for gzip or bzip2 magic.
func decompress(name string, raw io.Reader, closer io.Closer) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(raw, 256<<10)
	magic, _ := br.Peek(4)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, decompressError(name, "gzip", err)
		}
		return readCloser{Reader: namedErrors{zr, name, "gzip"}, closers: []io.Closer{zr, closer}}, nil
	case len(magic) == 4 && string(magic[:3]) == "BZh" && magic[3] >= '1' && magic[3] <= '9':
		return readCloser{Reader: namedErrors{bzip2.NewReader(br), name, "bzip2"}, closers: []io.Closer{closer}}, nil
	}
	return readCloser{Reader: br, closers: []io.Closer{closer}}, nil
}

// namedErrors names the file in decompression errors and calls a cut-off
// stream what it is.
type namedErrors struct {
	r    io.Reader
	name string
	kind string // "gzip" or "bzip2"
}

func (n namedErrors) Read(p []byte) (int, error) {
	c, err := n.r.Read(p)
	if err != nil && err != io.EOF {
		err = decompressError(n.name, n.kind, err)
	}
	return c, err
}

// decompressError words a decompression error of file name.
func decompressError(name, kind string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: truncated %s stream (the file was cut off; entries before the cut were read): %w", name, kind, err)
	}
	// the compress packages already prefix "gzip: " or "bzip2 data invalid"
	if msg := err.Error(); strings.HasPrefix(msg, kind) {
		return fmt.Errorf("%s: %w", name, err)
	}
	return fmt.Errorf("%s: %s: %w", name, kind, err)
}

// IsRotated reports whether path names a rotated or compressed copy of a
// log (x.log.1, x.log.2.gz, x.log-20261120) rather than a live log: live
// tail follows live logs only and reaches rotated ones through rotation.
func IsRotated(path string) bool {
	if strings.HasSuffix(path, ".gz") || strings.HasSuffix(path, ".bz2") {
		return true
	}
	_, n, date := rotationKey(path)
	return n > 0 || date != ""
}
