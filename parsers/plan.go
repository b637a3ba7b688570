package parsers

import (
	"fmt"
	"os"
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
		forced := opts.Forced[in.Path]
		if forced == nil {
			forced = opts.Forced[""]
		}
		wg.Add(1)
		go func(p *Plan) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			p.Detection, p.Err = Probe(p.Input, forced, opts.Templates)
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
	if off == 0 {
		return time.UTC, fmt.Sprintf("UTC, the offset of the access logs (%s)", src)
	}
	return time.FixedZone(formatOffset(off), int(off)), fmt.Sprintf("offset %s learned from the access logs (%s)", formatOffset(off), src)
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

// SampleEvent parses the detection sample with the input's final clock.
func (p *Plan) SampleEvent() (Event, bool) {
	d := p.Detection
	if d == nil || d.Format == nil || d.Sample == nil {
		return Event{}, false
	}
	parser, err := d.Format.New(Config{Clock: p.Clock, Template: d.Template})
	if err != nil {
		return Event{}, false
	}
	ev := Event{Source: p.Input.Path, Format: d.Format.ID, Raw: d.Sample}
	ok := parser.Parse(d.Sample, &ev)
	return ev, ok
}
