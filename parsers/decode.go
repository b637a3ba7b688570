package parsers

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// BatchSize is how many events Decode hands over at once.
const BatchSize = 512

var batchPool sync.Pool

// newBatch returns an empty batch of capacity n, reusing a released one.
func newBatch(n int) []Event {
	if b, ok := batchPool.Get().(*[]Event); ok && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]Event, 0, n)
}

// ReleaseBatch hands a batch Decode emitted back for reuse. The caller must
// keep no pointer to its Events; their strings and Raw stay valid (they
// live in the decoder's arena, not in the batch).
func ReleaseBatch(b []Event) {
	if cap(b) >= BatchSize {
		batchPool.Put(&b)
	}
}

// MaxUnparsedSamples is how many unparsed lines each input keeps as samples.
const MaxUnparsedSamples = 5

// FileStats is what decoding one input saw. It is the "files" entry of the
// JSON report.
type FileStats struct {
	Path       string  `json:"path"`
	Format     string  `json:"format"` // "" when no format was recognised
	Confidence float64 `json:"confidence"`
	Forced     bool    `json:"forced,omitempty"`
	Wrapper    string  `json:"wrapper,omitempty"`
	Template   string  `json:"log_format,omitempty"`
	// Zone and ZoneReason say which zone zoneless entries were read in.
	Zone       string `json:"zone,omitempty"`
	ZoneReason string `json:"zone_reason,omitempty"`

	Bytes     int64 `json:"bytes"`                     // bytes read (after decompression)
	Lines     int64 `json:"lines"`                     // physical lines read
	Entries   int64 `json:"entries"`                   // entries parsed (a stack trace is one entry)
	Unparsed  int64 `json:"unparsed_lines"`            // lines no parser understood
	Truncated int64 `json:"truncated_lines,omitempty"` // lines cut at MaxLineBytes or MaxEntryLines
	// BlankLines are lines with nothing but white space: no entry of their
	// own and not unparsed (one inside a stack trace stays in its entry).
	BlankLines int64 `json:"blank_lines,omitempty"`
	Zoneless   int64 `json:"zoneless_entries,omitempty"`
	Untimed    int64 `json:"untimed_entries,omitempty"`

	UnparsedSamples []LineSample `json:"unparsed_samples,omitempty"`

	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`

	// Error is the read error that ended the input early (a truncated gzip
	// stream, an I/O error); entries before it were still decoded.
	Error string `json:"error,omitempty"`
}

// LineSample is one line kept as an example.
type LineSample struct {
	Line int64  `json:"line"`
	Text string `json:"text"`
}

// maxSampleText caps the text of a kept sample line.
const maxSampleText = 300

// arena hands out immutable copies of entries from large blocks, so that a
// parsed Event costs about one allocation per block instead of several per
// line, and its strings can alias its Raw bytes safely.
type arena struct {
	block []byte
}

const arenaBlock = 256 << 10

func (a *arena) copy(b []byte) []byte {
	if len(b) > cap(a.block)-len(a.block) {
		size := arenaBlock
		if len(b) > size/4 {
			// a big entry gets its own allocation rather than wasting a block
			return append(make([]byte, 0, len(b)), b...)
		}
		a.block = make([]byte, 0, size)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return a.block[start:len(a.block):len(a.block)]
}

// decoder is the state of one Decode call.
type decoder struct {
	plan      *Plan
	stats     *FileStats
	arena     arena
	streams   map[string]*stream
	order     []*stream // streams in creation order, closed in that order
	main      *stream
	wrap      *wrapper
	batch     []Event
	emit      func([]Event) error
	err       error
	sink      entrySink
	info      wrapInfo // the current line's wrapper facts
	batchSize int
}

// Decode reads the whole input and calls emit with batches of events in
// input order. A batch belongs to emit once passed. Lines no format
// understood are emitted too, as events with an empty Format and the line as
// Message (rules that apply to every format still see them), and counted in
// the stats. A read error (a truncated gzip stream) ends the input: the
// events before it are emitted, stats.Error is set and the error returned.
func (p *Plan) Decode(ctx context.Context, emit func([]Event) error) (*FileStats, error) {
	st := p.newStats()
	if p.Err != nil {
		st.Error = p.Err.Error()
		return st, p.Err
	}
	rc, err := p.Input.Open()
	if err != nil {
		st.Error = err.Error()
		return st, err
	}
	defer rc.Close()

	defer func() {
		if st.Zoneless > 0 {
			st.Zone, st.ZoneReason = p.Clock.Loc.String(), p.Clock.Reason
		}
	}()
	d := newDecoder(p, st, emit, BatchSize)

	lr := newLineReader(rc)
	for n := 0; ; n++ {
		line, lineNo, offset, truncated, ok := lr.next()
		if !ok {
			break
		}
		st.Bytes = lr.offset
		if n&4095 == 4095 {
			if err := ctx.Err(); err != nil {
				return st, err
			}
		}
		d.line(line, lineNo, offset, truncated)
		if d.err != nil {
			return st, d.err
		}
	}
	st.Bytes = lr.offset // with the rest of a last line that was cut
	d.closeStreams()
	d.flushBatch()
	if d.err != nil {
		return st, d.err
	}
	if err := lr.readErr(); err != nil {
		st.Error = err.Error()
		return st, err
	}
	return st, nil
}

func newDecoder(p *Plan, st *FileStats, emit func([]Event) error, batch int) *decoder {
	d := &decoder{plan: p, stats: st, emit: emit, streams: map[string]*stream{}, batchSize: batch}
	d.sink = d.entry
	d.batch = newBatch(batch)
	det := p.Detection
	if det.Wrapper != "" {
		d.wrap = lookupWrapper(det.Wrapper)
	}
	d.main = d.newStream(Candidate{Format: det.Format, Template: det.Template})
	return d
}

// line frames one physical line.
func (d *decoder) line(line []byte, lineNo, offset int64, truncated bool) {
	d.stats.Lines++
	if truncated {
		d.stats.Truncated++
	}
	blank := len(trimSpace(line)) == 0
	if blank {
		d.stats.BlankLines++
	}
	s := d.main
	var w *wrapInfo
	if d.wrap != nil {
		if blank {
			return // a blank line between wrapped ones belongs to no stream
		}
		d.info = wrapInfo{}
		inner, ok := d.wrap.strip(line, d.plan.Clock, &d.info)
		if !ok {
			d.unparsedLine(line, lineNo, offset, truncated)
			return
		}
		line, w = inner, &d.info
		s = d.streamFor(&d.info)
	}
	s.feed(line, lineNo, offset, truncated, w, d.sink)
}

// closeStreams emits every entry still being joined.
func (d *decoder) closeStreams() {
	d.main.close(d.sink)
	for _, s := range d.order {
		s.close(d.sink)
	}
}

// flushBatch hands the events decoded so far to emit.
func (d *decoder) flushBatch() {
	if len(d.batch) > 0 && d.err == nil {
		d.err = d.emit(d.batch)
		d.batch = newBatch(d.batchSize)
	}
}

func (p *Plan) newStats() *FileStats {
	st := &FileStats{Path: p.Input.Path}
	if d := p.Detection; d != nil {
		if d.Format != nil {
			st.Format = d.Format.ID
		}
		st.Confidence, st.Forced, st.Wrapper, st.Template = d.Confidence, d.Forced, d.Wrapper, d.Template
	}
	return st
}

func (d *decoder) newStream(c Candidate) *stream {
	if c.Format == nil {
		return newStream(nil, nil)
	}
	parser, err := c.Format.New(Config{Clock: d.plan.Clock, Template: c.Template})
	if err != nil {
		return newStream(nil, nil)
	}
	return newStream(c.Format, parser)
}

// streamFor returns the stream of a wrapper key, creating it with the
// format detected for the key (or for the whole input).
func (d *decoder) streamFor(info *wrapInfo) *stream {
	if s, ok := d.streams[string(info.key)]; ok {
		return s
	}
	key := string(info.key)
	c, ok := d.plan.Detection.Keys[string(info.detectKey)]
	if !ok {
		c = Candidate{Format: d.plan.Detection.Format, Template: d.plan.Detection.Template}
	}
	s := d.newStream(c)
	d.streams[key] = s
	d.order = append(d.order, s)
	return s
}

// next appends a zeroed event to the batch and returns it.
func (d *decoder) next() *Event {
	d.batch = append(d.batch, Event{})
	return &d.batch[len(d.batch)-1]
}

// entry parses one complete entry; it is the streams' sink.
func (d *decoder) entry(s *stream, entry []byte, lineNo, offset int64, lines int, truncated bool, w *wrapInfo) {
	raw := d.arena.copy(entry)
	ev := d.next()
	ev.Source, ev.Line, ev.Offset, ev.Format, ev.Raw = d.plan.Input.Path, lineNo, offset, s.format, raw
	ev.RequestTime, ev.UpstreamTime = -1, -1 // "not logged" unless the parser says otherwise
	if s.parser != nil && s.parser.Parse(raw, ev) {
		applyWrapTime(ev, w)
		d.stats.Entries++
		if truncated {
			ev.Truncated = true
			if lines > 1 {
				d.stats.Truncated++
			}
		}
		d.noteTime(ev)
	} else {
		*ev = Event{Source: d.plan.Input.Path, Line: lineNo, Offset: offset, Raw: raw, Message: str(raw), Truncated: truncated}
		applyWrapTime(ev, w)
		d.stats.Unparsed += int64(lines)
		d.sample(lineNo, raw)
	}
	d.flushIfFull()
}

// unparsedLine records a line that lacks the input's wrapper.
func (d *decoder) unparsedLine(line []byte, lineNo, offset int64, truncated bool) {
	raw := d.arena.copy(line)
	ev := d.next()
	*ev = Event{Source: d.plan.Input.Path, Line: lineNo, Offset: offset, Raw: raw, Message: str(raw), Truncated: truncated}
	d.stats.Unparsed++
	d.sample(lineNo, raw)
	d.flushIfFull()
}

func (d *decoder) flushIfFull() {
	if len(d.batch) >= d.batchSize {
		d.flushBatch()
	}
}

func (d *decoder) noteTime(ev *Event) {
	st := d.stats
	if ev.Time.IsZero() {
		st.Untimed++
		return
	}
	if !ev.TimeKnownZone {
		st.Zoneless++
	}
	if st.First.IsZero() || ev.Time.Before(st.First) {
		st.First = ev.Time
	}
	if ev.Time.After(st.Last) {
		st.Last = ev.Time
	}
}

func (d *decoder) sample(lineNo int64, raw []byte) {
	if len(d.stats.UnparsedSamples) >= MaxUnparsedSamples {
		return
	}
	text := raw
	if len(text) > maxSampleText {
		text = text[:maxSampleText]
	}
	d.stats.UnparsedSamples = append(d.stats.UnparsedSamples, LineSample{Line: lineNo, Text: string(text)})
}

// String summarises the stats in one line.
func (s *FileStats) String() string {
	f := s.Format
	if f == "" {
		f = "unknown format"
	}
	return fmt.Sprintf("%s: %s, %d lines, %d entries, %d unparsed", s.Path, f, s.Lines, s.Entries, s.Unparsed)
}
