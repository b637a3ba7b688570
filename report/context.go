package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/faultline/faultline/rules"
)

// maxIncidentChanges caps the changes listed before one incident.
const maxIncidentChanges = 10

// attachChanges lists the change markers of the Lookback before the first
// failure (DESIGN §5: "changes in the hour before"), without those that
// belong to a failure rather than come before it: a restart or reload after
// the root cause began (systemd restarting a crashed service, an admin
// restarting PHP-FPM while the disk fills up) is a reaction to it, and
// changes while an earlier incident was going on belong to that one.
// Deploys are kept whenever they came before the first failure: a deploy is
// never a reaction to a failure already logged.
func (b *Builder) attachChanges(in *Incident, p *pass) {
	from := in.Start.Add(-time.Duration(b.opts.Thresholds.Lookback))
	reactionsFrom := in.Start
	for _, c := range in.Causes {
		if c.Cause == in.RootCause && c.First.Before(reactionsFrom) {
			reactionsFrom = c.First
		}
	}
	for _, c := range b.changes {
		if c.Time.Before(from) || c.Time.After(in.Start) {
			continue
		}
		if c.Kind != "change-deploy" && reaction(c.Time, reactionsFrom) {
			continue
		}
		if p.duringBurst(c.Time, in.Start) {
			continue
		}
		in.Changes = append(in.Changes, c)
	}
	in.Changes = clusterChanges(in.Changes)
	if n := len(in.Changes); n > maxIncidentChanges {
		in.Changes = in.Changes[n-maxIncidentChanges:]
	}
}

// reaction reports whether a change at t came after the root cause began
// at root. Beside a log of one second's resolution, a change within the
// root's second may have come first.
func reaction(t, root time.Time) bool {
	if t.Nanosecond() == 0 || root.Nanosecond() == 0 {
		return t.Truncate(time.Second).After(root.Truncate(time.Second))
	}
	return t.After(root)
}

// duringBurst reports whether t falls inside a burst that started before
// the one starting at start.
func (p *pass) duringBurst(t, start time.Time) bool {
	for _, x := range p.bursts {
		if s := nanos(x.start); s.Before(start) && !t.Before(s) && !t.After(nanos(x.end)) {
			return true
		}
	}
	return false
}

// changeCluster is how close change markers must be to describe one change:
// a reload logs "Reloading …", "using inherited socket", "fpm is running"
// and systemd's "Reloaded …" within a second or two.
const changeCluster = time.Minute

// clusterChanges sorts change markers and folds those within changeCluster
// of a cluster's first marker into one change: the first marker's kind
// (the line that started it: "Reloading …" or "Stopping …"), unless a deploy
// is among them, the first marker's time and evidence, and how many lines
// it stands for.
func clusterChanges(cs []*Change) []*Change {
	sorted := append([]*Change(nil), cs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.Before(sorted[j].Time) })
	var out []*Change
	var first *Change
	n := 0
	flush := func() {
		if first != nil && n > 1 {
			first.Message = fmt.Sprintf("%s (and %d related line%s)", first.Message, n-1, plural(int64(n-1)))
		}
	}
	for _, c := range sorted {
		if first != nil && c.Time.Sub(first.Time) <= changeCluster {
			if c.Kind == "change-deploy" {
				first.Kind, first.Rule = c.Kind, c.Rule
			}
			n++
			continue
		}
		flush()
		cp := *c
		first, n = &cp, 1
		out = append(out, first)
	}
	flush()
	return out
}

// attachScope says whether the failures concentrate on one path, host,
// upstream or client group, or are site-wide. A value is a concentration
// when it holds at least half of the failures and at least twice its share
// of all traffic in the window.
func (b *Builder) attachScope(in *Incident, x *burst) {
	sc := &in.Scope
	sc.SiteWide = true
	if !x.requests || in.Failed == 0 {
		sc.Summary = "No access log covers the window, so the failing paths and hosts are unknown."
		return
	}
	tier := b.tier()
	var fp, fh, fu, fc, ap, ah, au, ac, gu []*topK
	var traffic int64
	for k := blockKey(in.Start); k <= blockKey(in.End); k++ {
		bl, ok := b.blocks[k]
		if !ok {
			continue
		}
		gu = append(gu, bl.gatewayUpstreams)
		t := bl.tiers[tier]
		if t == nil {
			continue
		}
		fp, fh, fu, fc = append(fp, t.failPaths), append(fh, t.failHosts), append(fu, t.failUpstreams), append(fc, t.failClients)
		ap, ah, au, ac = append(ap, t.allPaths), append(ah, t.allHosts), append(au, t.allUpstreams), append(ac, t.allClients)
		for m := k * blockSeconds / 60; m < (k+1)*blockSeconds/60; m++ {
			if mm, ok := b.minutes[m]; ok {
				traffic += mm.tiers[tier].req
			}
		}
	}
	if len(mergeTop(fu)) == 0 {
		fu = gu // the access log names no upstream: use the gateway's errors
	}
	var failed int64
	for _, v := range mergeTop(fp) {
		failed += v.count
	}
	failed = max(failed, 1)
	shares := func(fail, all []*topK) []Share {
		tot := map[string]int64{}
		for _, v := range mergeTop(all) {
			tot[v.value] = v.count
		}
		var out []Share
		for i, v := range mergeTop(fail) {
			if i == 5 {
				break
			}
			s := Share{Value: v.value, Count: v.count, Share: round3(float64(v.count) / float64(failed))}
			if traffic > 0 {
				s.TrafficShare = round3(float64(tot[v.value]) / float64(traffic))
			}
			out = append(out, s)
		}
		return out
	}
	sc.Paths, sc.Hosts, sc.Upstreams, sc.Clients = shares(fp, ap), shares(fh, ah), shares(fu, au), shares(fc, ac)
	for i := range sc.Clients {
		sc.Clients[i].Value = groupLabel(sc.Clients[i].Value)
	}
	dims := []struct {
		name   string
		shares []Share
		all    []*topK
	}{{"path", sc.Paths, ap}, {"host", sc.Hosts, ah}, {"upstream", sc.Upstreams, au}, {"client group", sc.Clients, ac}}
	for _, d := range dims {
		if len(d.shares) == 0 || len(mergeTop(d.all)) == 0 {
			continue // without the traffic's own spread, a share proves nothing
		}
		top := d.shares[0]
		if top.Share >= 0.5 && top.Share >= 2*top.TrafficShare && top.Count >= int64(b.opts.Thresholds.MinIncidentErrors) {
			sc.SiteWide = false
			sc.Summary = fmt.Sprintf("Concentrated on %s %s: %s of the failed requests, against %s of all traffic.",
				d.name, top.Value, percent(top.Share), percent(top.TrafficShare))
			return
		}
	}
	if len(sc.Paths) > 0 {
		top := sc.Paths[0]
		sc.Summary = fmt.Sprintf("Site-wide: the failures spread across paths and hosts in proportion to traffic; the top path %s had %s of them (%s of traffic).",
			top.Value, percent(top.Share), percent(top.TrafficShare))
	} else {
		sc.Summary = "Site-wide."
	}
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// latencyFields are the request-time fields latency is compared on, in
// order of preference.
var latencyFields = [2]string{"request_time", "upstream_time"}

// hist returns a block's histogram of field i of latencyFields.
func (t *blockTraffic) hist(i int) *latHist {
	if i == 0 {
		return t.latReq
	}
	return t.latUp
}

// latencyBaseline sums the request times of the blocks outside every burst
// (and the blocks just around them), once per Analyze.
func (b *Builder) latencyBaseline(p *pass) {
	inside := func(k int64) bool {
		for _, x := range p.bursts {
			if k >= blockKey(nanos(x.start))-1 && k <= blockKey(nanos(x.end))+1 {
				return true
			}
		}
		return false
	}
	tier := b.tier()
	for k, bl := range b.blocks {
		t := bl.tiers[tier]
		if t == nil || t.latReq == nil && t.latUp == nil || inside(k) {
			continue
		}
		for i := range latencyFields {
			if h := t.hist(i); h != nil {
				p.latBase[i].merge(h)
			}
		}
	}
}

// attachLatency compares request times in the window with the rest of the
// input (outside every incident), when the access log records them.
func (b *Builder) attachLatency(in *Incident, p *pass) {
	tier := b.tier()
	for i, field := range latencyFields {
		var inc latHist
		for k := blockKey(in.Start); k <= blockKey(in.End); k++ {
			if bl, ok := b.blocks[k]; ok && bl.tiers[tier] != nil {
				if h := bl.tiers[tier].hist(i); h != nil {
					inc.merge(h)
				}
			}
		}
		base := &p.latBase[i]
		if inc.total() >= 10 && base.total() >= 50 {
			in.Latency = &Latency{
				Field:       field,
				BaselineP50: base.quantile(0.5), BaselineP95: base.quantile(0.95), BaselineP99: base.quantile(0.99),
				IncidentP50: inc.quantile(0.5), IncidentP95: inc.quantile(0.95), IncidentP99: inc.quantile(0.99),
				IncidentSample: inc.total(),
			}
			return
		}
	}
}

// attachTimeline lists the key moments: changes before, the first finding
// of each cause in the chain, the first failed response, the peak, the last
// failure, and a restart or reload after it.
func (b *Builder) attachTimeline(in *Incident, x *burst) {
	add := func(t time.Time, kind, what, cause string, ev *rules.Sample) {
		in.Timeline = append(in.Timeline, &Moment{Time: t, Kind: kind, What: what, Cause: cause, Evidence: ev})
	}
	for i, c := range in.Changes {
		if i >= len(in.Changes)-3 {
			ev := c.Evidence
			add(c.Time, "change", changeWords(c), c.Kind, &ev)
		}
	}
	for _, c := range in.Causes {
		if !c.InChain {
			continue
		}
		var ev *rules.Sample
		if len(c.Evidence) > 0 {
			e := c.Evidence[0]
			ev = &e
		}
		add(c.First, "cause", "first "+c.Title+" ("+c.Cause+")", c.Cause, ev)
	}
	if x.requests {
		if first, ok := b.statusSample(in.Start, true); ok {
			add(first.Time, "symptom", "first failed response", "", &first)
		} else {
			add(in.Start, "symptom", "first failed response", "", nil)
		}
		if !in.PeakAt.IsZero() {
			peak := in.PerMinute[0]
			for _, m := range in.PerMinute {
				if m.Minute.Equal(in.PeakAt) {
					peak = m
				}
			}
			add(in.PeakAt, "peak", fmt.Sprintf("peak: %s of %s requests failed (%s)", thousands(peak.Errors), thousands(peak.Requests), percent(in.PeakErrorRate)), "", nil)
		}
		if last, ok := b.statusSample(in.End, false); ok {
			add(last.Time, "last", "last failed response", "", &last)
		} else {
			add(in.End, "last", "last failed response", "", nil)
		}
	} else {
		add(in.Start, "symptom", "error findings rise", "", nil)
		add(in.End, "last", "last error finding of the burst", "", nil)
	}
	for _, c := range b.changes {
		if c.Time.After(in.End.Add(-time.Minute)) && !c.Time.After(in.End.Add(30*time.Minute)) && c.Time.After(in.Start) {
			ev := c.Evidence
			add(c.Time, "resolution", changeWords(c)+" (around the end of the failures)", c.Kind, &ev)
			break
		}
	}
	sort.SliceStable(in.Timeline, func(i, j int) bool { return in.Timeline[i].Time.Before(in.Timeline[j].Time) })
}

// changeWords describes a change marker.
func changeWords(c *Change) string {
	kind := strings.TrimPrefix(c.Kind, "change-")
	kind = strings.ReplaceAll(kind, "-", " ")
	return kind + ": " + c.Message
}

// statusSample finds the failed response nearest t: the first at or after
// it (first) or the last at or before it.
func (b *Builder) statusSample(t time.Time, first bool) (rules.Sample, bool) {
	var best rules.Sample
	found := false
	for k := blockKey(t) - 1; k <= blockKey(t)+1; k++ {
		bl, ok := b.blocks[k]
		if !ok {
			continue
		}
		for key, s := range bl.samples {
			if !strings.HasPrefix(key, "status-") {
				continue
			}
			cands := append([]rules.Sample{s.last}, s.first...)
			for _, c := range cands {
				if c.Raw == "" {
					continue
				}
				if first && !c.Time.Before(t) && (!found || sampleBefore(c, best)) {
					best, found = c, true
				}
				if !first && !c.Time.After(t) && (!found || sampleBefore(best, c)) {
					best, found = c, true
				}
			}
		}
	}
	return best, found
}

// attachAdvice adds the root cause's first checks and action items from the
// fixes of the chain's causes.
func (b *Builder) attachAdvice(in *Incident) {
	if root := b.cat.Get(in.RootCause); root != nil {
		in.Checks = append(in.Checks, root.Checks...)
	} else {
		in.Checks = append(in.Checks,
			"Read the unclassified errors and the failing paths below: no rule recognised the cause.",
			"From the gateway host, request the upstream directly (curl -sv) to see whether it answers.")
	}
	seen := map[string]bool{}
	addFixes := func(id string, n int) {
		c := b.cat.Get(id)
		if c == nil {
			return
		}
		for i, f := range c.Fixes {
			if i >= n {
				break
			}
			if !seen[f] {
				seen[f] = true
				in.ActionItems = append(in.ActionItems, f)
			}
		}
	}
	for _, id := range in.Chain {
		addFixes(id, 2)
	}
	for _, c := range in.Causes {
		if !c.InChain {
			addFixes(c.Cause, 1)
		}
	}
}

// summary is the incident in one sentence.
func (b *Builder) summary(in *Incident) string {
	var s strings.Builder
	fmt.Fprintf(&s, "From %s to %s (%s) ", b.stamp(in.Start), b.stamp(in.End), humanDuration(in.End.Sub(in.Start)))
	if in.Failed > 0 {
		fmt.Fprintf(&s, "%s of %s requests failed (%s)", thousands(in.Failed), thousands(in.Requests), statusList(in.Statuses))
	} else {
		var n int64
		for _, m := range in.PerMinute {
			n += m.Errors
		}
		fmt.Fprintf(&s, "%s error findings were logged", thousands(n))
	}
	if in.RootCause == "" {
		s.WriteString("; no classified cause was found.")
		return s.String()
	}
	root := b.cat.Get(in.RootCause)
	title := in.RootCause
	if root != nil {
		title = root.Title
	}
	fmt.Fprintf(&s, "; root cause: %s (%s)", strings.ToLower(title[:1])+title[1:], strings.Join(in.Chain, " → "))
	if len(in.Changes) > 0 {
		last := in.Changes[len(in.Changes)-1]
		fmt.Fprintf(&s, "; %s %s before", strings.TrimPrefix(last.Kind, "change-"), humanDuration(in.Start.Sub(last.Time)))
	}
	s.WriteString(".")
	return s.String()
}
