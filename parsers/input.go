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

	stdin   io.Reader // set for "-"
	replay  []byte    // bytes of stdin already consumed by Probe
	stdinRd bool      // stdin was opened for the full read
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
	seen := map[string]bool{}
	add := func(in *Input) {
		if seen[in.Path] {
			return
		}
		seen[in.Path] = true
		inputs = append(inputs, in)
	}
	for _, arg := range args {
		if arg == "-" {
			add(&Input{Path: "-", stdin: stdin})
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
			files, n := expandFiles(matches)
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
			files, n := walkDir(arg)
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
		add(&Input{Path: arg, Size: st.Size(), ModTime: st.ModTime()})
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

// walkDir lists the log files below dir, recursively, in rotation order.
func walkDir(dir string) ([]*Input, []Note) {
	var paths []string
	var notes []Note
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			notes = append(notes, Note{Path: p, Reason: describeOpenError(err), Err: p == dir})
			if d != nil && d.IsDir() && p != dir {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	files, n := expandFiles(paths)
	return files, append(notes, n...)
}

// expandFiles stats paths found by a walk or a glob, skips what is not a
// readable log file, and orders rotated files oldest first.
func expandFiles(paths []string) ([]*Input, []Note) {
	var files []*Input
	var notes []Note
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			notes = append(notes, Note{Path: p, Reason: describeOpenError(err)})
			continue
		}
		if st.IsDir() {
			sub, n := walkDir(p)
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
		files = append(files, &Input{Path: p, Size: st.Size(), ModTime: st.ModTime()})
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
// (recognised by magic bytes, not by name). For stdin, bytes consumed by
// Probe are replayed first; stdin can be opened for a full read only once.
func (in *Input) Open() (io.ReadCloser, error) {
	var raw io.Reader
	var closer io.Closer
	if in.Path == "-" {
		if in.stdinRd {
			return nil, errors.New("-: standard input can only be read once")
		}
		in.stdinRd = true
		raw = io.MultiReader(bytes.NewReader(in.replay), in.stdin)
		in.replay = nil
	} else {
		f, err := os.Open(in.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", in.Path, describeOpenError(err))
		}
		raw, closer = f, f
		if in.OnRead != nil {
			raw = countingReader{f, in.OnRead}
		}
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

// openPrefix returns up to n raw bytes from the start of the input,
// decompressed, for format detection. Stdin keeps what it read for Open.
func (in *Input) openPrefix(n int) (io.ReadCloser, error) {
	if in.Path != "-" {
		return in.Open()
	}
	if in.replay == nil && !in.stdinRd {
		buf := make([]byte, n)
		m, err := io.ReadFull(in.stdin, buf)
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("-: %w", err)
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
	magic, _ := br.Peek(3)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		return readCloser{Reader: gzipErrors{zr, name}, closers: []io.Closer{zr, closer}}, nil
	case len(magic) == 3 && string(magic) == "BZh":
		return readCloser{Reader: bzip2.NewReader(br), closers: []io.Closer{closer}}, nil
	}
	return readCloser{Reader: br, closers: []io.Closer{closer}}, nil
}

// gzipErrors names the file in decompression errors and calls a cut-off
// stream what it is.
type gzipErrors struct {
	r    io.Reader
	name string
}

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%s: truncated gzip stream (the file was cut off; entries before the cut were read): %w", g.name, err)
		} else {
			err = fmt.Errorf("%s: gzip: %w", g.name, err)
		}
	}
	return n, err
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
