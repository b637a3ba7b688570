package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// burst is a detected period of failure before it becomes an Incident.
type burst struct {
	start, end        int64 // unix nanos of the first and last failure
	firstMin, lastMin int64 // minute keys
	bad, req          int64
	inputs            []string
	requests          bool // detected from request logs (else from error findings)
	peakRate          float64
	peakMin           int64
	peakBad, peakReq  int64
	baseRate          float64
	detectedBy        string
}

// detectBursts finds the bursts of every input and merges those less than
// MergeGap apart. Incidents are defined by the inputs that show what
// clients saw (DESIGN §7): the access logs when there are any, else the
// application request logs (Rails "Completed 500", uWSGI request lines …),
// else the error findings of each input. A request that both Nginx and the
// application logged must not make two bursts, and an application log
// cannot tell a failure the edge answered from cache from one it passed on.
func (b *Builder) detectBursts() []*burst {
	tier, requests := b.detectionTier()
	sources := make([]string, 0, len(b.series))
	for src, s := range b.series {
		if s.requests == requests && (!requests || s.tier == tier) {
			sources = append(sources, src)
		}
	}
	sort.Strings(sources)
	var all []*burst
	for _, src := range sources {
		all = append(all, b.seriesBursts(b.series[src])...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].start < all[j].start })
	gap := time.Duration(b.opts.Thresholds.MergeGap).Nanoseconds()
	var merged []*burst
	for _, x := range all {
		if n := len(merged); n > 0 && x.start <= merged[n-1].end+gap {
			m := merged[n-1]
			m.start, m.end = min(m.start, x.start), max(m.end, x.end)
			m.firstMin, m.lastMin = min(m.firstMin, x.firstMin), max(m.lastMin, x.lastMin)
			m.bad += x.bad
			m.req += x.req
			m.inputs = appendUnique(m.inputs, x.inputs...)
			if x.peakRate > m.peakRate || x.peakRate == m.peakRate && x.peakBad > m.peakBad {
				m.peakRate, m.peakMin, m.peakBad, m.peakReq = x.peakRate, x.peakMin, x.peakBad, x.peakReq
				m.baseRate, m.detectedBy = x.baseRate, x.detectedBy
			}
			continue
		}
		merged = append(merged, x)
	}
	return merged
}

// detectionTier tells which inputs define incidents: request logs of the
// impact tier (requests is true), or error findings.
func (b *Builder) detectionTier() (tier int, requests bool) {
	tier = b.tier()
	for _, s := range b.series {
		if s.requests && s.tier == tier {
			return tier, true
		}
	}
	return tier, false
}

func appendUnique(list []string, vs ...string) []string {
	for _, v := range vs {
		found := false
		for _, x := range list {
			found = found || x == v
		}
		if !found {
			list = append(list, v)
		}
	}
	return list
}

// counts are one series minute's numbers as detection sees them: failed
// and all requests of a request log, or cause findings of an error log.
func (s *series) counts(m *seriesMinute) (bad, req int64, first, last int64) {
	if s.requests {
		return int64(m.bad5xx), int64(m.req), m.first5xx, m.last5xx
	}
	return int64(m.causes), 0, m.firstCause, m.lastCause
}

// detector decides which minutes of one series fail clearly above its
// baseline.
type detector struct {
	th       Thresholds
	requests bool
	base     float64 // failure rate (request logs) or findings a minute
}

// level is what a minute is measured by: its failure rate, or its number
// of findings.
func (d *detector) level(bad, req int64) float64 {
	if d.requests {
		return float64(bad) / float64(max(req, 1))
	}
	return float64(bad)
}

// bar is the level a minute must reach against a baseline. For request
// logs it is Factor times the baseline rate, but never less than MinRate and
// never more than half-way from the baseline to total failure: on an input
// where a fifth of the requests always fail, a minute where 70% fail is
// still an outage although 70% is less than five times 20%.
func (d *detector) bar(base float64) float64 {
	if d.requests {
		return max(d.th.MinRate, min(d.th.Factor*base, (1+base)/2))
	}
	return d.th.Factor * base
}

// bad reports whether a minute fails clearly: at least MinErrors failures
// at a level of at least bar(base).
func (d *detector) bad(bad, req int64, base float64) bool {
	return bad >= int64(d.th.MinErrors) && d.level(bad, req) >= d.bar(base)
}

// elevated reports whether a minute next to a bad one still fails above the
// baseline (fewer failures than MinErrors may do): bursts extend over such
// minutes, so that an incident starts at its first failure, not at its
// first clearly bad minute.
func (d *detector) elevated(bad, req int64) bool {
	return bad > 0 && d.level(bad, req) >= d.th.Factor*d.base
}

// baseline measures an input's normal failure level, robust both to the
// incidents in it and to chronic failure. It starts from the input's
// overall level (its failure rate, or findings a minute), sets aside the
// minutes that are bad against it, measures the level of all the others,
// and repeats until the set of minutes set aside no longer grows: the
// highest level at which the remaining minutes are all "normal".
//
// Starting from the overall level rather than from zero keeps an endpoint
// that always fails 10% of its requests, or a few 500s every few minutes,
// from making each such minute "bad" against a zero baseline (which would
// turn the whole log into one incident); setting the bad minutes aside keeps
// an outage from raising its own baseline, even one that covers most of the
// log, thanks to the half-way cap of bar.
//
// An error log's minutes are counted over the whole time span the run
// covers, quiet minutes included, so that a log that is silent except
// during a burst has a baseline near zero.
func (d *detector) baseline(s *series, keys []int64, span int64) float64 {
	level := func(bad, req, minutes int64) float64 {
		if d.requests {
			if req == 0 {
				return 0
			}
			return float64(bad) / float64(req)
		}
		return float64(bad) / float64(max(minutes, 1))
	}
	var tb, tr int64
	for _, k := range keys {
		bad, req, _, _ := s.counts(s.minutes[k])
		tb += bad
		tr += req
	}
	base := level(tb, tr, span)
	excluded := int64(0)
	for range 16 {
		var nb, nr, ex int64
		for _, k := range keys {
			bad, req, _, _ := s.counts(s.minutes[k])
			if d.bad(bad, req, base) {
				ex++
				continue
			}
			nb += bad
			nr += req
		}
		next := level(nb, nr, span-ex)
		if ex == excluded {
			return next
		}
		base, excluded = next, ex
	}
	return base
}

// seriesBursts finds the bursts of one input against its own baseline
// (see detector.baseline). A minute is bad with at least MinErrors failures
// at a level of at least detector.bar. Bad minutes less than MergeGap apart
// form one burst, widened over the adjacent minutes that still failed above
// the baseline; a burst needs MinIncidentErrors failures in all to count: a
// lone 502 during a reload is not an incident.
func (b *Builder) seriesBursts(s *series) []*burst {
	th := b.opts.Thresholds
	keys := make([]int64, 0, len(s.minutes))
	for k := range s.minutes {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	span := max(minuteKey(b.last)-minuteKey(b.first)+1, keys[len(keys)-1]-keys[0]+1)
	d := &detector{th: th, requests: s.requests}
	d.base = d.baseline(s, keys, span)

	gapMin := int64(time.Duration(th.MergeGap) / time.Minute)
	var out []*burst
	var cur *burst
	// flush ends the current burst, widened forward but not to limit
	flush := func(limit int64) {
		if cur == nil {
			return
		}
		for cur.lastMin+1 < limit {
			n, ok := s.minutes[cur.lastMin+1]
			if !ok {
				break
			}
			nb, nr, _, nl := s.counts(n)
			if !d.elevated(nb, nr) {
				break
			}
			cur.lastMin, cur.end = cur.lastMin+1, max(cur.end, nl)
		}
		for k := cur.firstMin; k <= cur.lastMin; k++ {
			if m, ok := s.minutes[k]; ok {
				bad, req, _, _ := s.counts(m)
				cur.bad += bad
				cur.req += req
			}
		}
		if cur.bad >= int64(th.MinIncidentErrors) {
			cur.detectedBy = s.source
			out = append(out, cur)
		}
		cur = nil
	}
	for _, k := range keys {
		m := s.minutes[k]
		bad, req, first, last := s.counts(m)
		if !d.bad(bad, req, d.base) {
			continue
		}
		if cur != nil && k-cur.lastMin > gapMin+1 {
			flush(k)
		}
		if cur == nil {
			cur = &burst{firstMin: k, lastMin: k, start: first, end: last, inputs: []string{s.source}, requests: s.requests, baseRate: d.base}
			for {
				p, ok := s.minutes[cur.firstMin-1]
				if !ok {
					break
				}
				pb, pr, pf, _ := s.counts(p)
				if !d.elevated(pb, pr) || len(out) > 0 && cur.firstMin-1 <= out[len(out)-1].lastMin {
					break
				}
				cur.firstMin, cur.start = cur.firstMin-1, pf
			}
		}
		cur.lastMin, cur.end = k, max(cur.end, last)
		rate := d.level(bad, req)
		if rate > cur.peakRate || rate == cur.peakRate && bad > cur.peakBad {
			cur.peakRate, cur.peakMin, cur.peakBad, cur.peakReq = rate, k, bad, req
		}
	}
	flush(math.MaxInt64)
	return out
}

// describe says how a burst showed in its input; at renders the peak
// minute.
func (x *burst) describe(at string) string {
	if x.requests {
		return fmt.Sprintf("the 5xx rate of %s rose to %s (%s of %s requests in the minute of %s) against a baseline of %s",
			x.detectedBy, percent(x.peakRate), thousands(x.peakBad), thousands(x.peakReq), at, percent(x.baseRate))
	}
	return fmt.Sprintf("error findings in %s rose to %s a minute (at %s) against a baseline of %.2f a minute",
		x.detectedBy, thousands(x.peakBad), at, x.baseRate)
}

// percent renders a share as "12.3%" (or "0.04%").
func percent(r float64) string {
	switch {
	case r == 0:
		return "0%"
	case r < 0.001:
		return fmt.Sprintf("%.3f%%", r*100)
	case r < 0.1:
		return fmt.Sprintf("%.1f%%", r*100)
	}
	return fmt.Sprintf("%.0f%%", r*100)
}

// thousands renders n with comma thousands separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
