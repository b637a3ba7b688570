package report

import (
	"context"
	"errors"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Scanner is the one pipeline scan, report and tail share: decode inputs,
// classify every entry with the rule engine, and feed the builder — and,
// when Emit is set, a stream of findings and 5xx symptoms in time order.
//
// Every input is decoded and classified in its own goroutine (both cores
// work: parsing and matching are the expensive part); one goroutine merges
// the inputs by time and feeds the builder.
type Scanner struct {
	Engine  *rules.Engine
	Builder *Builder
	// Emit, when set, receives every finding and every 5xx symptom that
	// passes --since/--until, in time order across inputs.
	Emit func(ev *parsers.Event, f *rules.Finding) error
}

// chunk is a classified batch of one input.
type chunk struct {
	events   []parsers.Event
	findings []rules.Finding
	matched  []bool
}

// classify matches every event of a batch.
func classify(e *rules.Engine, batch []parsers.Event) *chunk {
	c := &chunk{events: batch, findings: make([]rules.Finding, len(batch)), matched: make([]bool, len(batch))}
	for i := range batch {
		c.findings[i], c.matched[i] = e.Match(&batch[i])
	}
	return c
}

// cursor is one input's position in the merge.
type cursor struct {
	ch       chan *chunk
	cur      *chunk
	i        int
	lastTime time.Time // time of the last timed event, for untimed ones
	done     bool
}

// head returns the time of the cursor's next event.
func (c *cursor) head() time.Time {
	t := c.cur.events[c.i].Time
	if t.IsZero() {
		return c.lastTime
	}
	return t
}

// next loads the next chunk; false when the input is finished.
func (c *cursor) next(ctx context.Context) bool {
	for {
		select {
		case ch, ok := <-c.ch:
			if !ok {
				c.done = true
				return false
			}
			if len(ch.events) == 0 {
				continue
			}
			c.cur, c.i = ch, 0
			return true
		case <-ctx.Done():
			c.done = true
			return false
		}
	}
}

// Run reads every plan to its end. It returns the inputs' statistics in plan
// order (also recorded in the builder) and the errors met; an input that
// fails does not stop the others.
func (s *Scanner) Run(parent context.Context, plans []*parsers.Plan) ([]*parsers.FileStats, []error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	stats := make([]*parsers.FileStats, len(plans))
	errs := make([]error, len(plans))
	cursors := make([]*cursor, len(plans))
	finished := make(chan struct{}, len(plans))
	for i, p := range plans {
		c := &cursor{ch: make(chan *chunk, 2)}
		cursors[i] = c
		go func(i int, p *parsers.Plan) {
			defer func() { finished <- struct{}{} }()
			defer close(c.ch)
			stats[i], errs[i] = p.Decode(ctx, func(batch []parsers.Event) error {
				ck := classify(s.Engine, batch)
				select {
				case c.ch <- ck:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}(i, p)
	}
	emitErr := s.merge(ctx, cursors)
	if emitErr != nil {
		cancel()
	}
	for range plans {
		<-finished
	}
	var out []error
	for i, st := range stats {
		if st != nil {
			s.Builder.AddFile(st)
		}
		if errs[i] != nil && !errors.Is(errs[i], context.Canceled) {
			out = append(out, errs[i])
		}
	}
	if emitErr != nil {
		out = append(out, emitErr)
	}
	if err := parent.Err(); err != nil {
		out = append(out, err)
	}
	s.Builder.SetRuleTimeouts(s.Engine.Timeouts())
	return stats, out
}

// merge feeds the builder from all cursors in time order: it takes events
// from the input with the earliest next event until that input's next
// event is later than another input's.
func (s *Scanner) merge(ctx context.Context, cursors []*cursor) error {
	var live []*cursor
	for _, c := range cursors {
		if c.next(ctx) {
			live = append(live, c)
		}
	}
	for len(live) > 0 {
		// the earliest head, and the second earliest as the bound
		best := 0
		for i := 1; i < len(live); i++ {
			if live[i].head().Before(live[best].head()) {
				best = i
			}
		}
		var bound time.Time
		hasBound := false
		for i, c := range live {
			if i != best && (!hasBound || c.head().Before(bound)) {
				bound, hasBound = c.head(), true
			}
		}
		c := live[best]
		for {
			if hasBound && c.head().After(bound) {
				break
			}
			ev := &c.cur.events[c.i]
			if !ev.Time.IsZero() {
				c.lastTime = ev.Time
			}
			var f *rules.Finding
			if c.cur.matched[c.i] {
				f = &c.cur.findings[c.i]
			}
			if err := s.add(ev, f); err != nil {
				return err
			}
			c.i++
			if c.i == len(c.cur.events) {
				parsers.ReleaseBatch(c.cur.events)
				c.cur = nil
				if !c.next(ctx) {
					live = append(live[:best], live[best+1:]...)
					break
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return nil
		}
	}
	return nil
}

// add feeds one event to the builder and the finding stream.
func (s *Scanner) add(ev *parsers.Event, f *rules.Finding) error {
	s.Builder.Add(ev, f)
	if s.Emit == nil || !s.Builder.InRange(ev) {
		return nil
	}
	if f != nil || IsSymptom(ev) {
		return s.Emit(ev, f)
	}
	return nil
}
