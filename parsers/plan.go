package parsers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options are the run-wide settings that shape decoding.
type Options struct {
	// TZ is the zone of zoneless timestamps (--tz); nil to learn it.
	TZ *time.Location
	// Forced maps an input path to the format it must be read as (--as
	// PATH=FORMAT); the key "" applies to every input (--as FORMAT).
	Forced map[string]*Format
	// Templates maps a format id (nginx-access, apache-access) to custom
	// log formats to try (--log-format).
	Templates map[string][]string
	// YearRef, when set, is the latest time a year-less stamp can have,
	// instead of what the other logs or the file's modification time say
	// (tests pin it).
	YearRef time.Time
}

// ForcedFormat returns the format --as forces on the input at path: the
// one given for that path or for the live log it is a rotation of
// (compared cleaned and absolute: "./x.log" names x.log, x.log.1 and
// x.log.2.gz), else the one given for every input, else nil.
func (o *Options) ForcedFormat(path string) *Format {
	if f, ok := o.Forced[path]; ok {
		return f
	}
	if path != "-" {
		live, _, _ := rotationKey(path)
		for p, f := range o.Forced {
			if p != "" && p != "-" && (samePath(p, path) || samePath(p, live)) {
				return f
			}
		}
	}
	return o.Forced[""]
}

// samePath reports whether a and b name the same path, cleaned and made
// absolute.
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// Plan is one input ready to decode: its detection and its clock.
type Plan struct {
	Input     *Input
	Detection *Detection
	Clock     *Clock
	// Err is set when the input could not be probed (unreadable); Decode
	// then fails with it.
	Err error
}

// Zoneless reports whether the input has entries without their own zone,
// so that the zone in Clock was assumed for them.
func (p *Plan) Zoneless() bool { return p.Detection != nil && p.Detection.zoneless }

// Prepare probes every input (in parallel) and settles each one's clock:
// the zone for zoneless lines (--tz, else the UTC offset the run's access
// logs state, else the machine's zone) and the year for year-less syslog
// stamps (the first time seen in the run's other logs, else the file's
// modification time).
func Prepare(inputs []*Input, opts Options) []*Plan {
	plans := make([]*Plan, len(inputs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, in := range inputs {
		plans[i] = &Plan{Input: in}
		forced := opts.ForcedFormat(in.Path)
		wg.Add(1)
		go func(p *Plan) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p.Detection, p.Err = Probe(p.Input, forced, opts.Templates)
			if d := p.Detection; d != nil && forced != nil && d.Format == nil {
				// --as holds even when the format understands none of the
				// sample (or the input is empty): every line is then
				// reported as not understood by it, not as "unknown format"
				d.Format, d.Forced = forced, true
			}
		}(plans[i])
	}
	wg.Wait()

	loc, reason := chooseZone(plans, opts.TZ)
	yearRef := time.Time{}
	for _, p := range plans {
		if p.Detection != nil && !p.Detection.yearLess && !p.Detection.firstTime.IsZero() {
			if yearRef.IsZero() || p.Detection.firstTime.Before(yearRef) {
				yearRef = p.Detection.firstTime
			}
		}
	}
	latest := false
	if !opts.YearRef.IsZero() {
		yearRef, latest = opts.YearRef, true
	}
	for _, p := range plans {
		p.Clock = NewClock(loc, reason)
		p.Clock.YearRef, p.Clock.YearRefIsLatest = yearRef, latest
		if yearRef.IsZero() {
			p.Clock.YearRef, p.Clock.YearRefIsLatest = p.Input.ModTime, true
		}
	}
	return plans
}

// chooseZone picks the zone for zoneless timestamps.
func chooseZone(plans []*Plan, tz *time.Location) (*time.Location, string) {
	if tz != nil {
		return tz, "set with --tz"
	}
	counts := map[int32]int{}
	var when time.Time
	var from []string
	for _, p := range plans {
		d := p.Detection
		if d == nil || d.Format == nil || (d.Format.ID != FormatNginxAccess && d.Format.ID != FormatApacheAccess) {
			continue
		}
		for off, n := range d.offsets {
			counts[off] += n
		}
		if len(d.offsets) > 0 {
			from = append(from, p.Input.Path)
			if when.IsZero() {
				when = d.firstTime
			}
		}
	}
	local := localZone()
	if len(counts) == 0 {
		return local, fmt.Sprintf("the machine's local zone (%s): no --tz and no access log to learn the zone from", local)
	}
	offs := make([]int32, 0, len(counts))
	for off := range counts {
		offs = append(offs, off)
	}
	sort.Slice(offs, func(i, j int) bool {
		if counts[offs[i]] != counts[offs[j]] {
			return counts[offs[i]] > counts[offs[j]]
		}
		return offs[i] < offs[j]
	})
	off := offs[0]
	src := strings.Join(from, ", ")
	if _, localOff := when.In(local).Zone(); int32(localOff) == off && local.String() != "UTC" {
		return local, fmt.Sprintf("the machine's local zone (%s), which matches the offset %s of the access logs (%s)", local, formatOffset(off), src)
	}
	if len(offs) > 1 && local.String() != "UTC" && usesOffsets(local, when, offs) {
		// the logs span a daylight-saving change of the machine's zone: a
		// fixed offset would put half of the zoneless lines an hour off
		var names []string
		for _, o := range offs {
			names = append(names, formatOffset(o))
		}
		return local, fmt.Sprintf("the machine's local zone (%s), whose offsets %s the access logs (%s) show", local, strings.Join(names, " and "), src)
	}
	if off == 0 {
		return time.UTC, fmt.Sprintf("UTC, the offset of the access logs (%s)", src)
	}
	return time.FixedZone(formatOffset(off), int(off)), fmt.Sprintf("offset %s learned from the access logs (%s)", formatOffset(off), src)
}

// usesOffsets reports whether loc uses every one of offs (seconds east of
// UTC) in the year around when: winter and summer time.
func usesOffsets(loc *time.Location, when time.Time, offs []int32) bool {
	y := when.Year()
	seen := map[int32]bool{}
	for m := time.January; m <= time.December; m++ {
		_, o := time.Date(y, m, 15, 12, 0, 0, 0, loc).Zone()
		seen[int32(o)] = true
	}
	for _, o := range offs {
		if !seen[o] {
			return false
		}
	}
	return true
}

// localZone is the machine's zone under its IANA name when that can be
// found ($TZ, the /etc/localtime link), so that reports can name it;
// otherwise time.Local.
func localZone() *time.Location {
	name := strings.TrimPrefix(os.Getenv("TZ"), ":")
	if name == "" {
		if target, err := os.Readlink("/etc/localtime"); err == nil {
			if i := strings.Index(target, "zoneinfo/"); i >= 0 {
				name = target[i+len("zoneinfo/"):]
			}
		}
	}
	if name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.Local
}

// formatOffset renders seconds east of UTC as "+01:00".
func formatOffset(off int32) string {
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
}

// SampleEvent decodes the start of the input as Decode would (wrapper,
// joined lines, the input's clock) and returns the first entry a parser
// understood, with its line number, for `faultline detect`. It reads what
// detection kept of stdin or a pipe, so Decode can still read it after.
func (p *Plan) SampleEvent() (Event, bool) {
	if p.Err != nil || p.Detection == nil || p.Detection.Format == nil || p.Clock == nil {
		return Event{}, false
	}
	rc, err := p.Input.openPrefix(sampleBytes)
	if err != nil {
		return Event{}, false
	}
	defer rc.Close()
	// a copy of the plan with its own clock: year inference has state
	q := *p
	clock := *p.Clock
	q.Clock = &clock
	var sample Event
	found := false
	errFound := errors.New("sample found")
	d := newDecoder(&q, q.newStats(), func(batch []Event) error {
		for i := range batch {
			if batch[i].Format != "" {
				sample, found = batch[i], true
				return errFound
			}
		}
		return nil
	}, 1)
	lr := newLineReader(io.LimitReader(rc, MaxLineBytes+sampleBytes))
	for n := 0; n < SampleLines && d.err == nil; n++ {
		line, lineNo, offset, truncated, ok := lr.next()
		if !ok {
			break
		}
		d.line(line, lineNo, offset, truncated)
	}
	if d.err == nil {
		d.closeStreams()
		d.flushBatch()
	}
	return sample, found
}
