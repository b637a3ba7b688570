package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Analyze computes the Analysis from everything added so far. It does not
// change the builder, so live tail can call it again and again.
func (b *Builder) Analyze() *Analysis {
	a := &Analysis{
		Version:    SchemaVersion,
		Zone:       b.opts.Location.String(),
		ZoneReason: b.opts.ZoneReason,
		Location:   b.opts.Location,
		First:      b.first,
		Last:       b.last,
		Since:      b.opts.Since,
		Until:      b.opts.Until,
		Files:      b.files,
		Notes:      b.notes,
		Totals:     b.totals,
		Thresholds: b.opts.Thresholds,
		Incidents:  []*Incident{},
		Changes:    []*Change{},
		Unparsed:   Unparsed{Files: map[string]int64{}},
	}
	if a.Files == nil {
		a.Files = []*parsers.FileStats{}
	}
	for _, f := range b.files {
		if f.Unparsed > 0 {
			a.Unparsed.Lines += f.Unparsed
			a.Unparsed.Files[f.Path] = f.Unparsed
		}
		if f.Format == "" && f.Lines > 0 {
			a.Unparsed.Unrecognised = append(a.Unparsed.Unrecognised, f.Path)
		}
	}
	tier := b.tier()
	a.Totals.Requests, a.Totals.Statuses = b.tierTotals[tier].Requests, b.tierTotals[tier].Statuses
	if len(b.timeouts) > 0 {
		a.RuleTimeouts = b.timeouts
	}
	a.Changes = append(a.Changes, clusterChanges(b.changes)...)
	a.Unclassified = b.unclassified.Groups()
	a.UnclassifiedOverflow = b.unclassified.Overflow
	a.Causes = b.causeSummaries()

	p := b.newPass()
	for i, x := range p.bursts {
		a.Incidents = append(a.Incidents, b.incident(i+1, x, p, a))
	}
	return a
}

// pass is what one Analyze computes once and every incident uses: the
// bursts, each cause's minutes in order, and the latency baseline.
type pass struct {
	bursts    []*burst
	causeIDs  []string
	causeKeys map[string][]int64
	// latBase is the latency of the blocks outside every burst, per field
	latBase [2]latHist
}

func (b *Builder) newPass() *pass {
	p := &pass{bursts: b.detectBursts(), causeKeys: make(map[string][]int64, len(b.causes))}
	for id, c := range b.causes {
		p.causeIDs = append(p.causeIDs, id)
		keys := make([]int64, 0, len(c.minutes))
		for k := range c.minutes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		p.causeKeys[id] = keys
	}
	sort.Strings(p.causeIDs)
	b.latencyBaseline(p)
	return p
}

func (b *Builder) causeSummaries() []*CauseSummary {
	out := make([]*CauseSummary, 0, len(b.causes))
	for _, c := range b.causes {
		out = append(out, &CauseSummary{
			Cause: c.cause.ID, Title: c.cause.Title, Layer: c.cause.Layer, Count: c.count,
			First: c.first, Last: c.last, Rules: sortedKeys(c.rules), Evidence: append([]rules.Sample{}, c.samples...),
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if d1, d2 := out[i].Layer.Depth(), out[j].Layer.Depth(); d1 != d2 {
			return d1 > d2
		}
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Cause < out[j].Cause
	})
	return out
}

// sortedKeys returns a map's keys, most counted first.
func sortedKeys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

func nanos(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// contextBefore and contextAfter frame an incident's chart.
const (
	contextBefore = 30 * time.Minute
	contextAfter  = 10 * time.Minute
)

// incident turns a burst into an Incident: impact, causes, chain, scope,
// changes, timeline.
func (b *Builder) incident(id int, x *burst, p *pass, a *Analysis) *Incident {
	tier := b.tier()
	in := &Incident{
		ID: id, Start: nanos(x.start), End: nanos(x.end), Inputs: x.inputs,
		Statuses: map[string]int64{}, Changes: []*Change{}, Causes: []*IncidentCause{},
		Chain: []string{}, Timeline: []*Moment{}, Checks: []string{}, ActionItems: []string{},
	}
	// impact, minute by minute
	minute := func(k int64) MinuteCount {
		mc := MinuteCount{Minute: time.Unix(k*60, 0).UTC()}
		if agg := b.minutes[k]; agg != nil {
			m := &agg.tiers[tier]
			mc.Requests, mc.Causes, mc.Errors = m.req, agg.causes, m.failed
			if !x.requests {
				mc.Errors = agg.causes
			}
		}
		return mc
	}
	for k := x.firstMin; k <= x.lastMin; k++ {
		mc := minute(k)
		if agg := b.minutes[k]; agg != nil {
			m := &agg.tiers[tier]
			in.Requests += m.req
			in.Failed += m.failed
			for st, n := range m.statuses {
				in.Statuses[fmt.Sprint(st)] += n
			}
			if x.requests && m.req > 0 {
				if r := float64(m.failed) / float64(m.req); r > in.PeakErrorRate || r == in.PeakErrorRate && in.PeakAt.IsZero() {
					in.PeakErrorRate, in.PeakAt = r, mc.Minute
				}
			}
		}
		in.PerMinute = append(in.PerMinute, mc)
	}
	// the traffic around it, for charts: contextBefore before (and back to
	// the earliest change the incident lists, within Lookback) and
	// contextAfter after, where the logs cover it
	defer func() {
		from := x.firstMin - int64(contextBefore/time.Minute)
		for _, c := range in.Changes {
			from = min(from, minuteKey(c.Time))
		}
		from = max(from, minuteKey(b.first))
		to := min(x.lastMin+int64(contextAfter/time.Minute), minuteKey(b.last))
		for k := from; k <= to; k++ {
			in.Context = append(in.Context, minute(k))
		}
	}()
	if !x.requests {
		in.PeakAt = time.Unix(x.peakMin*60, 0).UTC()
	}
	in.Detection = x.describe(b.clock(time.Unix(x.peakMin*60, 0)))
	if len(x.inputs) > 1 {
		in.Detection += fmt.Sprintf("; %d inputs showed it together (%s)", len(x.inputs), strings.Join(x.inputs, ", "))
	}

	b.attachCauses(in, p)
	b.buildChain(in)
	in.Type = incidentType(in, x)
	b.attachChanges(in, p)
	b.attachScope(in, x)
	b.attachLatency(in, p)
	b.attachTimeline(in, x)
	b.attachAdvice(in)
	for _, g := range a.Unclassified {
		if !g.First.IsZero() && !g.First.After(in.End) && !g.Last.Before(in.Start.Add(-b.opts.CauseWindow)) {
			in.Unclassified = append(in.Unclassified, g)
		}
	}
	in.Summary = b.summary(in)
	return in
}

// clock renders a time in the report zone.
func (b *Builder) clock(t time.Time) string {
	return t.In(b.opts.Location).Format("15:04")
}

// incidentType tells gateway failures (502/503/504: no valid answer from the
// upstream) from application failures (500), and says "errors" for an
// incident that no request log shows.
func incidentType(in *Incident, x *burst) string {
	if !x.requests {
		return "errors"
	}
	var gw, app int64
	for st, n := range in.Statuses {
		switch st {
		case "502", "503", "504":
			gw += n
		default:
			app += n
		}
	}
	if gw > app {
		return "502/504"
	}
	return "500"
}
