package parsers

// liveDetectLines is how many lines a LineDecoder gathers from a new, empty
// file before it decides the format (Flush decides earlier on a quiet file).
const liveDetectLines = 20

// LineDecoder decodes lines that arrive one at a time, as live tail reads
// them: the same wrappers, detection, multi-line joining and parsers as
// Plan.Decode. A multi-line entry is emitted when the line after it arrives,
// or on Flush (tail calls it when the file has been quiet for a moment).
// It is not safe for concurrent use.
type LineDecoder struct {
	plan    *Plan
	opts    Options
	d       *decoder
	pending []pendingLine // lines before the format is known
	// pendingEnd is the offset after the last pending line
	pendingEnd int64
	emitFn     func(*Event)
}

type pendingLine struct {
	text           []byte
	lineNo, offset int64
	truncated      bool
}

// NewLineDecoder returns a decoder for the input of plan. When the plan's
// detection saw no lines (a new or empty file), the format is detected from
// the first lines that arrive, with opts' forced formats and templates.
func NewLineDecoder(plan *Plan, opts Options) *LineDecoder {
	ld := &LineDecoder{plan: plan, opts: opts}
	if plan.Detection != nil && plan.Detection.SampleLines > 0 {
		ld.start()
	}
	return ld
}

// start builds the decoder once the detection is known.
func (ld *LineDecoder) start() {
	st := ld.plan.newStats()
	ld.d = newDecoder(ld.plan, st, func(batch []Event) error {
		for i := range batch {
			ld.emitFn(&batch[i])
		}
		return nil
	}, 1)
}

// Feed decodes one line (without its newline). emit receives every event
// the line completes; the Event is valid only during the call (Clone it to
// keep it).
func (ld *LineDecoder) Feed(line []byte, lineNo, offset int64, emit func(*Event)) {
	ld.emitFn = emit
	end := offset + int64(len(line)) + 1
	// framed as Plan.Decode frames lines: cut at MaxLineBytes, the CR of
	// a CRLF ending dropped
	truncated := false
	if len(line) > MaxLineBytes {
		line, truncated = line[:MaxLineBytes], true
	} else if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if ld.d == nil {
		ld.pending = append(ld.pending, pendingLine{append([]byte(nil), line...), lineNo, offset, truncated})
		ld.pendingEnd = end
		if len(ld.pending) >= liveDetectLines {
			ld.detect()
		}
		return
	}
	ld.d.stats.Bytes = end
	ld.d.line(line, lineNo, offset, truncated)
}

// detect decides the format from the lines gathered so far and decodes them.
func (ld *LineDecoder) detect() {
	lines := make([][]byte, len(ld.pending))
	for i, p := range ld.pending {
		lines[i] = p.text
	}
	forced := ld.opts.Forced[ld.plan.Input.Path]
	if forced == nil {
		forced = ld.opts.Forced[""]
	}
	ld.plan.Detection = DetectLines(ld.plan.Input.Path, lines, forced, ld.opts.Templates)
	ld.start()
	pending := ld.pending
	ld.pending = nil
	for _, p := range pending {
		ld.d.line(p.text, p.lineNo, p.offset, p.truncated)
	}
	ld.d.stats.Bytes = ld.pendingEnd
}

// Flush emits the entries still being joined (a stack trace whose last line
// has arrived) and, for a new file, decides its format from what arrived.
func (ld *LineDecoder) Flush(emit func(*Event)) {
	ld.emitFn = emit
	if ld.d == nil {
		if len(ld.pending) == 0 {
			return
		}
		ld.detect()
	}
	ld.d.closeStreams()
}

// Stats returns what the decoder has seen so far.
func (ld *LineDecoder) Stats() *FileStats {
	if ld.d == nil {
		st := ld.plan.newStats()
		st.Lines = int64(len(ld.pending))
		return st
	}
	return ld.d.stats
}

// Detection returns the input's detection (nil fields until decided).
func (ld *LineDecoder) Detection() *Detection { return ld.plan.Detection }
