package parsers

// MaxEntryLines and MaxEntryBytes bound one joined multi-line entry. Lines
// beyond them still belong to the entry and are counted, but are not kept
// in Raw (the Event is marked Truncated).
const (
	MaxEntryLines = 2000
	MaxEntryBytes = 1 << 20
)

// pendingEntry is a multi-line entry being joined.
type pendingEntry struct {
	buf       []byte
	lineNo    int64
	offset    int64
	lines     int
	truncated bool
	wrap      wrapInfo
}

// entrySink receives a complete entry. entry is valid only during the call.
type entrySink func(s *stream, entry []byte, lineNo, offset int64, lines int, truncated bool, w *wrapInfo)

// stream frames the lines of one format (one wrapper key) into entries:
// single-line formats pass each line through, Joiner formats glue
// continuation lines to the entry before them, and CRI partial lines are
// glued to the line that completes them. The decoder and format detection
// share it, so both see exactly the same entries.
//
// A blank line is no entry: it is never passed on alone, so it is neither
// parsed nor counted as unparsed (the decoder still counts it in
// FileStats.Lines). Blank lines inside a joined entry (between a Java
// exception's header and its trace) stay in it; blank lines after an entry
// are dropped with no trace but that count.
type stream struct {
	format string
	parser Parser
	joiner Joiner

	pending pendingEntry
	has     bool
	blanks  int // blank lines seen after the pending entry, not yet in it

	partial       []byte // CRI "P" text waiting for its "F" line
	partialLineNo int64
	partialOffset int64
	partialLines  int
}

func newStream(f *Format, p Parser) *stream {
	s := &stream{parser: p}
	if f != nil {
		s.format = f.ID
	}
	if j, ok := p.(Joiner); ok {
		s.joiner = j
	}
	return s
}

// feed gives the stream one line (without wrapper) and calls sink for every
// entry the line completes.
func (s *stream) feed(line []byte, lineNo, offset int64, truncated bool, w *wrapInfo, sink entrySink) {
	if w != nil && w.whole != nil && w.wholeFormat == s.format {
		// a key the wrapper's own format reads with its prefix (journald
		// units whose lines no application format understands)
		line = w.whole
	}
	if w != nil && w.partial {
		if s.partialLines == 0 {
			s.partialLineNo, s.partialOffset = lineNo, offset
			s.partial = s.partial[:0]
		}
		if len(s.partial)+len(line) <= MaxLineBytes {
			s.partial = append(s.partial, line...)
		}
		s.partialLines++
		return
	}
	lines := 1
	if s.partialLines > 0 {
		s.partial = append(s.partial, line...)
		line, lineNo, offset, lines = s.partial, s.partialLineNo, s.partialOffset, s.partialLines+1
		s.partialLines = 0
	}
	s.feedLine(line, lineNo, offset, lines, truncated, w, sink)
}

// feedLine frames one complete line that stands for lines physical lines.
func (s *stream) feedLine(line []byte, lineNo, offset int64, lines int, truncated bool, w *wrapInfo, sink entrySink) {
	blank := len(trimSpace(line)) == 0
	if s.joiner == nil {
		if !blank {
			sink(s, line, lineNo, offset, lines, truncated, w)
		}
		return
	}
	// Continues sees every line (stateful joiners track the previous one);
	// its answer only matters when there is an entry to continue
	cont := s.joiner.Continues(line)
	if blank {
		if s.has && cont {
			s.blanks += lines // kept only if a later line continues the entry
		}
		return
	}
	if s.has && cont {
		for ; s.blanks > 0; s.blanks-- {
			s.appendLine(nil, 1, false)
		}
		s.appendLine(line, lines, truncated)
		return
	}
	s.flush(sink)
	p := &s.pending
	p.buf = append(p.buf[:0], line...)
	p.lineNo, p.offset, p.lines, p.truncated = lineNo, offset, lines, truncated
	if w != nil {
		p.wrap = *w
	} else {
		p.wrap = wrapInfo{}
	}
	s.has = true
}

// appendLine adds a continuation line (lines physical lines) to the
// pending entry, keeping it within MaxEntryLines and MaxEntryBytes.
func (s *stream) appendLine(line []byte, lines int, truncated bool) {
	p := &s.pending
	p.lines += lines
	if p.lines > MaxEntryLines || len(p.buf)+1+len(line) > MaxEntryBytes {
		p.truncated = true
		return
	}
	p.buf = append(p.buf, '\n')
	p.buf = append(p.buf, line...)
	p.truncated = p.truncated || truncated
}

// flush emits the pending entry, if any.
func (s *stream) flush(sink entrySink) {
	s.blanks = 0
	if !s.has {
		return
	}
	s.has = false
	p := &s.pending
	sink(s, p.buf, p.lineNo, p.offset, p.lines, p.truncated, &p.wrap)
	if cap(p.buf) > 1<<20 {
		p.buf = nil // do not keep a huge buffer after a giant entry
	}
}

// close emits everything still held: a dangling CRI partial line and the
// pending entry.
func (s *stream) close(sink entrySink) {
	if s.partialLines > 0 {
		n := s.partialLines
		s.partialLines = 0
		s.feedLine(s.partial, s.partialLineNo, s.partialOffset, n, false, nil, sink)
	}
	s.flush(sink)
}

// applyWrapTime gives an entry without its own timestamp the wrapper's.
func applyWrapTime(ev *Event, w *wrapInfo) {
	if ev.Time.IsZero() && w != nil && !w.time.IsZero() {
		ev.Time, ev.TimeKnownZone = w.time, w.timeKnownZone
	}
}
