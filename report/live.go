package report

import (
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Live is the pipeline of live tail: the same decoding, rules and Builder
// as Scanner, fed line by line as followed files grow. Timestamps come from
// the lines, not from when they were read. It is not safe for concurrent
// use.
type Live struct {
	Engine  *rules.Engine
	Builder *Builder
	Options parsers.Options
	// Emit receives every finding and 5xx symptom as it is decoded; the
	// event is valid only during the call.
	Emit func(ev *parsers.Event, f *rules.Finding)

	inputs map[string]*liveInput
	order  []*liveInput // as added, for a stable file list
	rate   rollingRate
}

type liveInput struct {
	plan     *parsers.Plan
	dec      *parsers.LineDecoder
	lastLine time.Time // when the last line arrived (wall clock)
	pending  bool      // lines arrived since the last flush
}

// AddInput registers a followed input with its plan (detection and clock).
// Lines of a path that was not added are not accepted (see Line).
func (l *Live) AddInput(p *parsers.Plan) {
	if l.inputs == nil {
		l.inputs = map[string]*liveInput{}
	}
	in := &liveInput{plan: p, dec: parsers.NewLineDecoder(p, l.Options)}
	l.inputs[p.Input.Path] = in
	l.order = append(l.order, in)
}

// Line decodes one followed line and feeds what it completes. It reports
// false, and does nothing, for a path that was never added.
func (l *Live) Line(ll parsers.LiveLine) bool {
	in, ok := l.inputs[ll.Path]
	if !ok {
		return false
	}
	in.lastLine, in.pending = time.Now(), true
	in.dec.Feed(ll.Text, ll.Line, ll.Offset, l.event)
	return true
}

// FlushIdle emits the multi-line entries of inputs that have been quiet for
// at least idle: the last line of a stack trace has arrived when nothing
// follows it.
func (l *Live) FlushIdle(idle time.Duration) {
	now := time.Now()
	for _, in := range l.order {
		if in.pending && now.Sub(in.lastLine) >= idle {
			in.dec.Flush(l.event)
			in.pending = false
		}
	}
}

// Pending reports whether some input has lines that FlushIdle has not
// flushed yet.
func (l *Live) Pending() bool {
	for _, in := range l.order {
		if in.pending {
			return true
		}
	}
	return false
}

// Close flushes every input and records their statistics in the builder.
func (l *Live) Close() {
	for _, in := range l.order {
		in.dec.Flush(l.event)
		l.Builder.AddFile(in.dec.Stats())
	}
}

// event classifies and accumulates one decoded entry.
func (l *Live) event(ev *parsers.Event) {
	f, matched := l.Engine.Match(ev)
	var fp *rules.Finding
	if matched {
		fp = &f
	}
	l.Builder.Add(ev, fp)
	if !l.Builder.InRange(ev) {
		return
	}
	if ev.Status > 0 && !ev.Time.IsZero() {
		l.rate.add(ev.Time, IsSymptom(ev))
	}
	if l.Emit != nil && (fp != nil || IsSymptom(ev)) {
		l.Emit(ev, fp)
	}
}

// Rate returns the requests and 5xx responses of the last minute of log
// time (ending at the newest request seen).
func (l *Live) Rate() (requests, failed int64) { return l.rate.window() }

// rollingRate counts requests and failures per second of log time over the
// last minute.
type rollingRate struct {
	newest int64 // unix second of the newest request
	secs   [60]struct {
		sec         int64
		req, failed int64
	}
}

func (r *rollingRate) add(t time.Time, failed bool) {
	sec := t.Unix()
	if sec > r.newest {
		r.newest = sec
	}
	if sec <= r.newest-60 {
		return // too old for the window
	}
	slot := &r.secs[((sec%60)+60)%60]
	if slot.sec != sec {
		slot.sec, slot.req, slot.failed = sec, 0, 0
	}
	slot.req++
	if failed {
		slot.failed++
	}
}

func (r *rollingRate) window() (req, failed int64) {
	for _, s := range r.secs {
		if s.sec > r.newest-60 && s.sec <= r.newest {
			req += s.req
			failed += s.failed
		}
	}
	return req, failed
}
