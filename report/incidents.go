package report

import (
	"fmt"
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
// MergeGap apart. When some input logs requests, only request logs define
// incidents (DESIGN §7); otherwise error findings do.
func (b *Builder) detectBursts() []*burst {
	anyRequests := false
	for _, s := range b.series {
		anyRequests = anyRequests || s.requests
	}
	sources := make([]string, 0, len(b.series))
	for src := range b.series {
		sources = append(sources, src)
	}
	sort.Strings(sources)
	var all []*burst
	for _, src := range sources {
		s := b.series[src]
		if s.requests != anyRequests {
			continue
		}
		all = append(all, b.seriesBursts(s)...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].start < all[j].start })
	gap := time.Duration(b.opts.Thresholds.MergeGap).Nanoseconds()
	var merged []*burst
	for _, x := range all {
		if n := len(merged); n > 0 && x.start <= merged[n-1].end+gap {
			m := merged[n-1]
			m.end = max(m.end, x.end)
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

// minuteCounts are one series minute's numbers as detection sees them.
func (s *series) counts(m *seriesMinute) (bad, req int64, first, last int64) {
	if s.requests {
		return int64(m.bad5xx), int64(m.req), m.first5xx, m.last5xx
	}
	return int64(m.causes), 0, m.firstCause, m.lastCause
}

// seriesBursts finds the bursts of one input against its own baseline.
//
// A request log's baseline is its 5xx rate over the minutes that are not
// themselves bad; a minute is bad when it has at least MinErrors failures,
// a failure rate of at least MinRate and at least Factor times the
// baseline. An error log's baseline is its cause findings per minute over
// its time span; a minute is bad with at least MinErrors findings and
// Factor times the baseline. Bad minutes less than MergeGap apart form one
// burst, widened by the directly adjacent minutes that also failed, and a
// burst needs MinIncidentErrors failures to count: a lone 502 during a
// reload is not an incident.
func (b *Builder) seriesBursts(s *series) []*burst {
	th := b.opts.Thresholds
	keys := make([]int64, 0, len(s.minutes))
	for k := range s.minutes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	if len(keys) == 0 {
		return nil
	}
	isBad := func(bad, req int64, base float64) bool {
		if bad < int64(th.MinErrors) {
			return false
		}
		if s.requests {
			rate := float64(bad) / float64(max(req, 1))
			return rate >= th.MinRate && rate >= th.Factor*base
		}
		return float64(bad) >= th.Factor*base
	}
	// baseline over the minutes that are not obviously bad
	var nb, nr int64
	for _, k := range keys {
		bad, req, _, _ := s.counts(s.minutes[k])
		if isBad(bad, req, 0) {
			continue
		}
		nb += bad
		nr += req
	}
	var base float64
	if s.requests {
		if nr > 0 {
			base = float64(nb) / float64(nr)
		}
	} else {
		span := keys[len(keys)-1] - keys[0] + 1
		base = float64(nb) / float64(span)
	}

	gapMin := int64(time.Duration(th.MergeGap) / time.Minute)
	var out []*burst
	var cur *burst
	flush := func() {
		if cur == nil {
			return
		}
		// widen by the minute just after when it still failed, then count
		if n, ok := s.minutes[cur.lastMin+1]; ok {
			if nb, _, _, nl := s.counts(n); nb > 0 {
				cur.lastMin, cur.end = cur.lastMin+1, max(cur.end, nl)
			}
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
		if !isBad(bad, req, base) {
			continue
		}
		if cur != nil && k-cur.lastMin > gapMin+1 {
			flush()
		}
		if cur == nil {
			cur = &burst{firstMin: k, lastMin: k, start: first, end: last, inputs: []string{s.source}, requests: s.requests, baseRate: base}
			// widen to the minute just before when it already failed
			if p, ok := s.minutes[k-1]; ok {
				if pb, _, pf, _ := s.counts(p); pb > 0 {
					cur.firstMin, cur.start = k-1, pf
				}
			}
		}
		cur.lastMin, cur.end = k, max(cur.end, last)
		rate := float64(bad)
		if s.requests {
			rate = float64(bad) / float64(max(req, 1))
		}
		if rate > cur.peakRate || rate == cur.peakRate && bad > cur.peakBad {
			cur.peakRate, cur.peakMin, cur.peakBad, cur.peakReq = rate, k, bad, req
		}
	}
	flush()
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
