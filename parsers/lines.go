package parsers

import (
	"bytes"
	"io"
)

// MaxLineBytes is the longest line kept whole. A longer line is cut at this
// length, the Event is marked Truncated, and reading resumes after the
// line's end: a 5 MiB line is read whole, a runaway 100 MiB one is cut
// visibly, and nothing after it is lost.
const MaxLineBytes = 8 << 20

const readBufSize = 256 << 10

// lineReader frames a byte stream into lines with no length limit up to
// MaxLineBytes, stripping "\n" and a "\r" before it. A last line without a
// newline is returned too.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int
	err        error // sticky read error (io.EOF at the end)
	skip       bool  // the last line was cut: drop the rest of it first

	// offset is the byte offset of the next line; lineNo its 1-based number
	offset int64
	lineNo int64
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: r, buf: make([]byte, readBufSize)}
}

// next returns the next line, valid until the following call, its number and
// offset, and whether it was cut at MaxLineBytes. ok is false at the end of
// the input; then readErr says whether it ended cleanly.
func (lr *lineReader) next() (line []byte, lineNo, offset int64, truncated, ok bool) {
	if lr.skip {
		// the rest of the line cut last time; skipped only now, because
		// reading on may move the buffer that line pointed into
		lr.skip = false
		lr.skipRestOfLine()
	}
	for {
		if i := bytes.IndexByte(lr.buf[lr.start:lr.end], '\n'); i >= 0 {
			line = lr.buf[lr.start : lr.start+i]
			return lr.emit(line, i+1, false)
		}
		if lr.err != nil {
			if lr.start < lr.end {
				line = lr.buf[lr.start:lr.end]
				return lr.emit(line, len(line), false)
			}
			return nil, 0, 0, false, false
		}
		// more than MaxLineBytes without a newline: a line of exactly
		// MaxLineBytes is still whole, it just waits for its newline
		if pending := lr.end - lr.start; pending > MaxLineBytes {
			line = lr.buf[lr.start : lr.start+MaxLineBytes]
			lr.skip = true
			return lr.emit(line, MaxLineBytes, true)
		}
		lr.fill()
	}
}

// emit returns line and advances past consumed bytes.
func (lr *lineReader) emit(line []byte, consumed int, truncated bool) ([]byte, int64, int64, bool, bool) {
	lr.start += consumed
	lr.lineNo++
	offset := lr.offset
	lr.offset += int64(consumed)
	if n := len(line); n > 0 && line[n-1] == '\r' && !truncated {
		line = line[:n-1]
	}
	return line, lr.lineNo, offset, truncated, true
}

// fill reads more data, compacting or growing the buffer as needed.
func (lr *lineReader) fill() {
	if lr.start > 0 {
		n := copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.start, lr.end = 0, n
	}
	if lr.end == len(lr.buf) {
		size := len(lr.buf) * 2
		if size > MaxLineBytes+readBufSize {
			size = MaxLineBytes + readBufSize
		}
		nb := make([]byte, size)
		copy(nb, lr.buf[:lr.end])
		lr.buf = nb
	}
	n, err := lr.r.Read(lr.buf[lr.end:])
	lr.end += n
	if err != nil {
		lr.err = err
	}
}

// skipRestOfLine discards bytes up to and including the next newline; the
// discarded bytes still count toward offsets.
func (lr *lineReader) skipRestOfLine() {
	for {
		if i := bytes.IndexByte(lr.buf[lr.start:lr.end], '\n'); i >= 0 {
			lr.start += i + 1
			lr.offset += int64(i + 1)
			return
		}
		lr.offset += int64(lr.end - lr.start)
		lr.start, lr.end = 0, 0
		if lr.err != nil {
			return
		}
		lr.fill()
	}
}

// readErr returns the error that ended the input, or nil for a clean end.
func (lr *lineReader) readErr() error {
	if lr.err == io.EOF {
		return nil
	}
	return lr.err
}
