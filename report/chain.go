package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faultline/faultline/rules"
)

// A cause is part of an incident only when it rose there: at least
// chronicFactor times the count its rate elsewhere predicts for the window,
// and unlikely by chance at that rate (Poisson tail below chanceLevel) —
// three stray panics in half an hour of a service that panics forty times a
// day are its background, not the incident's cause. A cause rare enough
// that fewer than rareExpected findings are expected counts with any
// finding (one OOM kill on a machine that never has them).
const (
	chronicFactor = 3
	chanceLevel   = 0.01
	rareExpected  = 0.1
)

// risen reports whether observed findings in a window rose above the
// expected count of the cause's own background rate.
func risen(observed int64, expected float64) bool {
	if expected < rareExpected {
		return observed > 0
	}
	return float64(observed) >= chronicFactor*expected && poissonTail(observed, expected) < chanceLevel
}

// poissonTail is P(X ≥ k) for a Poisson variable of mean lambda.
func poissonTail(k int64, lambda float64) float64 {
	term, below := math.Exp(-lambda), 0.0
	for i := int64(0); i < k; i++ {
		below += term
		if below >= 1 {
			return 0
		}
		term *= lambda / float64(i+1)
	}
	return max(0, 1-below)
}

// attachCauses collects the causes that rose around the incident: those
// with findings from CauseWindow before the first failure to the last one,
// at a clearly higher rate than elsewhere. A cause's burst is followed back
// in time (gaps under MergeGap, at most Lookback) so that "since when"
// covers its real onset.
func (b *Builder) attachCauses(in *Incident, p *pass) {
	winStart := in.Start.Add(-b.opts.CauseWindow)
	lookStart := in.Start.Add(-time.Duration(b.opts.Thresholds.Lookback))
	gapMin := int64(time.Duration(b.opts.Thresholds.MergeGap)/time.Minute) + 1
	spanMin := float64(max(minuteKey(b.last)-minuteKey(b.first)+1, 1))
	windowMin := float64(max(minuteKey(in.End)-minuteKey(winStart)+1, 1))

	for _, id := range p.causeIDs {
		c := b.causes[id]
		keys := p.causeKeys[id]
		// the minutes in the window: keys[lo:hi]
		lo := sort.Search(len(keys), func(i int) bool { return keys[i] >= minuteKey(winStart) })
		hi := sort.Search(len(keys), func(i int) bool { return keys[i] > minuteKey(in.End) })
		var inWindow int64
		firstIdx := -1
		for i := lo; i < hi; i++ {
			cm := c.minutes[keys[i]]
			if cm.last < winStart.UnixNano() || cm.first > in.End.UnixNano() {
				continue
			}
			inWindow += int64(cm.n)
			if firstIdx < 0 {
				firstIdx = i
			}
		}
		if inWindow == 0 {
			continue
		}
		base := float64(c.count-inWindow) / max(spanMin-windowMin, 1)
		if !risen(inWindow, base*windowMin) {
			continue
		}
		// the cause's burst: minutes less than MergeGap apart form runs; a
		// lone finding before the run that rose (its background, a stray
		// "seems busy" ten minutes before) is not its onset, so the first
		// run with at least two findings is taken (any run for a rare
		// cause), then followed back to where it began (at most Lookback)
		start := firstIdx
		if base*windowMin >= rareExpected {
			for i := firstIdx; i < hi; {
				j, n := i, int64(c.minutes[keys[i]].n)
				for j+1 < hi && keys[j+1]-keys[j] <= gapMin {
					j++
					n += int64(c.minutes[keys[j]].n)
				}
				if n >= 2 {
					start = i
					break
				}
				i = j + 1
			}
		}
		onset := start
		for onset > 0 && keys[onset]-keys[onset-1] <= gapMin && c.minutes[keys[onset-1]].last >= lookStart.UnixNano() {
			onset--
		}
		var count int64
		for i := onset; i < hi; i++ {
			if cm := c.minutes[keys[i]]; cm.first <= in.End.UnixNano() {
				count += int64(cm.n)
			}
		}
		first := c.minutes[keys[onset]].first
		if first < lookStart.UnixNano() {
			first = lookStart.UnixNano()
		}
		var last int64
		for _, k := range keys[firstIdx:hi] {
			if cm := c.minutes[k]; cm.first <= in.End.UnixNano() {
				last = max(last, min(cm.last, in.End.UnixNano()))
			}
		}
		ic := &IncidentCause{
			Cause: c.cause.ID, Title: c.cause.Title, Layer: c.cause.Layer, Count: count,
			First: nanos(first), Last: nanos(last), Rules: sortedKeys(c.rules),
		}
		ic.Keys, ic.Evidence = b.blockEvidence(c.cause.ID, nanos(first), in.End)
		in.Causes = append(in.Causes, ic)
	}
}

// blockEvidence gathers a cause's correlation keys and its earliest (and
// latest) samples between from and to.
func (b *Builder) blockEvidence(key string, from, to time.Time) (map[string][]string, []rules.Sample) {
	keys := map[string][]string{}
	var samples []rules.Sample
	var last rules.Sample
	for k := blockKey(from); k <= blockKey(to); k++ {
		bl, ok := b.blocks[k]
		if !ok {
			continue
		}
		if kinds, ok := bl.keys[key]; ok {
			for kind, vals := range kinds {
				for _, v := range vals {
					if len(keys[kind]) < keyValuesPerKind*2 && !contains(keys[kind], v) {
						keys[kind] = append(keys[kind], v)
					}
				}
			}
		}
		if s, ok := bl.samples[key]; ok {
			for _, smp := range s.first {
				if !smp.Time.Before(from) && !smp.Time.After(to) {
					samples = append(samples, smp)
				}
			}
			if !s.last.Time.After(to) && s.last.Time.After(last.Time) {
				last = s.last
			}
		}
	}
	sort.Slice(samples, func(i, j int) bool { return sampleBefore(samples[i], samples[j]) })
	if len(samples) > summarySamples {
		samples = samples[:summarySamples]
	}
	if last.Raw != "" && (len(samples) == 0 || sampleBefore(samples[len(samples)-1], last)) {
		samples = append(samples, last)
	}
	for kind := range keys {
		sort.Strings(keys[kind])
	}
	if len(keys) == 0 {
		keys = nil
	}
	return keys, samples
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// genericCauses say that something failed rather than why: an exception,
// a fatal error, a process that died. When a more specific cause of the
// same depth is also a root candidate, that one is the root: "Allowed
// memory size exhausted" and the PHP fatal error it raises are one event,
// and the memory limit is the reason.
var genericCauses = map[string]bool{
	"app-exception":     true,
	"php-fatal-error":   true,
	"app-crashed":       true,
	"worker-killed":     true,
	"fpm-child-crashed": true,
}

// waitCauses are logged when a wait ends — a query, pool or upstream
// timeout, a slow-log trigger, a request killed after max_execution_time —
// so their first line comes up to the timeout after the trouble began
// (Nginx's default proxy_read_timeout is 60 s). They may start up to
// rootGrace Tolerances after the first failure and still count as having
// begun with it.
var waitCauses = map[string]bool{
	"db-timeout":             true,
	"db-pool-exhausted":      true,
	"upstream-timeout":       true,
	"fpm-timeout":            true,
	"fpm-slow-request":       true,
	"worker-timeout":         true,
	"php-max-execution-time": true,
}

// rootTiming says when the root began against the first failure.
type rootTiming int

const (
	rootBefore    rootTiming = iota // at or before it, within Tolerance
	rootSoonAfter                   // within rootGrace × Tolerance after it
	rootAfter                       // later
)

// rootGrace is how many Tolerances after the first failure a cause may
// begin and still be the root when nothing began before it.
const rootGrace = 4

// effectiveLayer is the layer a cause speaks for: its own, or the deeper
// layer of the process it names — "mariadb.service: Main process exited"
// is an application-crash line about the database.
func effectiveLayer(c *IncidentCause) rules.Layer {
	l := c.Layer
	for _, p := range c.Keys[keyProcess] {
		if pl := processLayer(p); pl.Depth() > l.Depth() {
			l = pl
		}
	}
	return l
}

// chainState is what buildChain works with.
type chainState struct {
	in       *Incident
	failures int64 // failed requests, or error findings without access logs
	tol, gap time.Duration
}

// active reports whether a cause still occurred close to the failures:
// within MergeGap before the first one or later.
func (s *chainState) active(c *IncidentCause) bool {
	return !c.Last.Before(s.in.Start.Add(-s.gap))
}

// connected reports whether a cause belongs to the failure: it is active,
// or its keys tie it to a cause that is.
func (s *chainState) connected(c *IncidentCause) bool {
	if s.active(c) {
		return true
	}
	for _, o := range s.in.Causes {
		if o != c && s.active(o) {
			if ok, _ := linked(c, o); ok {
				return true
			}
		}
	}
	return false
}

// explainsStatuses reports whether a cause typically gives a status that
// makes up at least a tenth of the incident's failures. 502, 503 and 504
// are one family: the gateway got no usable answer (mod_fcgid answers 503
// where PHP-FPM behind Nginx gives 502).
func (b *Builder) explainsStatuses(c *IncidentCause, in *Incident, failures int64) bool {
	cause := b.cat.Get(c.Cause)
	if cause == nil || len(in.Statuses) == 0 {
		return len(in.Statuses) == 0
	}
	family := func(st int) int {
		if st >= 502 && st <= 504 {
			return 502
		}
		return st
	}
	for code, n := range in.Statuses {
		st, err := strconv.Atoi(code)
		if err != nil || n*10 < failures {
			continue
		}
		for _, cs := range cause.Statuses {
			if family(cs) == family(st) {
				return true
			}
		}
	}
	return false
}

// buildChain picks the root cause and the chain (DESIGN §7).
//
// The root is the deepest layer whose evidence starts at or before the
// first failure (within Tolerance) and that belongs to the failure: it is
// still occurring within MergeGap of the first failure, or its keys tie it
// to a cause that is (a disk-full line ten minutes earlier that stopped is
// another event). Within that layer, better decides.
// Frequency never picks the root: one OOM kill before ten thousand upstream
// errors is their root.
//
// Each shallower layer then contributes one cause that began no earlier
// than the root: the one sharing keys with the chain so far, else its most
// frequent — when it is tied to the chain, accounts for a tenth of the
// failures, or typically gives the statuses the clients saw (a stray
// upstream timeout is not part of a 500 incident). Causes of the root's own
// layer that share its keys corroborate it rather than follow it.
func (b *Builder) buildChain(in *Incident) {
	if len(in.Causes) == 0 {
		in.Confidence = "low"
		in.Reasoning = "No classified cause was logged around the failures; see the unclassified errors and the access log's failing paths."
		return
	}
	s := &chainState{in: in, failures: in.Failed, tol: b.opts.Tolerance, gap: time.Duration(b.opts.Thresholds.MergeGap)}
	if s.failures == 0 {
		for _, m := range in.PerMinute {
			s.failures += m.Errors
		}
	}
	root, timing := s.chooseRoot()
	chain, links, corroborations := b.assembleChain(s, root)
	for _, c := range chain {
		c.InChain = true
		in.Chain = append(in.Chain, c.Cause)
	}
	in.RootCause = root.Cause
	orderCauses(in)
	in.Confidence = s.confidence(root, timing, len(chain), len(links)+len(corroborations) > 0)
	in.Reasoning = b.reasoning(in, chain, timing, links, corroborations)
}

// depth is the depth of the layer a cause speaks for.
func depth(c *IncidentCause) int { return effectiveLayer(c).Depth() }

// chooseRoot picks the root: the deepest connected cause that began by the
// first failure (wait causes: within the grace after it); else, within the
// grace, the deepest that began soon after; else the earliest cause.
func (s *chainState) chooseRoot() (*IncidentCause, rootTiming) {
	in := s.in
	grace := in.Start.Add(rootGrace * s.tol)
	// the deepest connected causes that began by limit (or by the grace
	// limit, for causes logged when a wait ends)
	candidates := func(limit time.Time) []*IncidentCause {
		var pool []*IncidentCause
		for _, c := range in.Causes {
			own := limit
			if waitCauses[c.Cause] && grace.After(limit) {
				own = grace
			}
			if c.First.After(own) || !s.connected(c) {
				continue
			}
			switch {
			case len(pool) == 0 || depth(c) > depth(pool[0]):
				pool = []*IncidentCause{c}
			case depth(c) == depth(pool[0]):
				pool = append(pool, c)
			}
		}
		return pool
	}
	timing := rootBefore
	pool := candidates(in.Start.Add(s.tol))
	if len(pool) == 0 {
		// Nothing began by the first failure. Apache stamps a request when
		// it arrives, so a request that failed after waiting 50 s on a
		// database lock is logged 50 s before the lock error; logs are
		// flushed late. Within rootGrace the deepest cause is still the
		// root, with less confidence.
		timing = rootSoonAfter
		pool = candidates(grace)
	}
	var root *IncidentCause
	if len(pool) == 0 {
		// nothing began near the failures: the earliest cause, whatever its layer
		for _, c := range in.Causes {
			if root == nil || c.First.Before(root.First) || c.First.Equal(root.First) && depth(c) > depth(root) {
				root = c
			}
		}
		return root, rootAfter
	}
	ongoing := func(c *IncidentCause) bool { return !c.Last.Before(in.Start.Add(-s.tol)) }
	for _, c := range pool {
		if root == nil || better(c, root, ongoing) {
			root = c
		}
	}
	if timing == rootBefore && root.First.After(in.Start.Add(s.tol)) {
		timing = rootSoonAfter // a wait cause, logged when its wait ended
	}
	return root, timing
}

// assembleChain adds to the root, layer by layer up to the gateway, the
// cause that shares keys with the chain so far (else the layer's most
// frequent), when it began after the root's onset and accounts for the
// failures. It also returns the key links found and the causes of the
// root's own layer that corroborate it.
func (b *Builder) assembleChain(s *chainState, root *IncidentCause) (chain []*IncidentCause, links, corroborations []string) {
	in := s.in
	// a wait cause's trouble began before its first line: by the first
	// failure at the latest
	onset := root.First
	if waitCauses[root.Cause] && in.Start.Before(onset) {
		onset = in.Start
	}
	chain = []*IncidentCause{root}
	byLayer := map[rules.Layer][]*IncidentCause{}
	var layers []rules.Layer
	for _, c := range in.Causes {
		if c == root {
			continue
		}
		if depth(c) >= depth(root) {
			if ok, how := linked(root, c); ok && depth(c) == depth(root) {
				corroborations = append(corroborations, fmt.Sprintf("%s (%s line%s from %s, %s)", c.Cause, thousands(c.Count), plural(c.Count), b.stamp(c.First), how))
			}
			continue
		}
		if c.First.Before(onset.Add(-s.tol)) || !s.connected(c) {
			continue
		}
		l := effectiveLayer(c)
		if _, ok := byLayer[l]; !ok {
			layers = append(layers, l)
		}
		byLayer[l] = append(byLayer[l], c)
	}
	// layers in chain order: deeper first, then by when they began
	sort.SliceStable(layers, func(i, j int) bool {
		if d1, d2 := layers[i].Depth(), layers[j].Depth(); d1 != d2 {
			return d1 > d2
		}
		return earliest(byLayer[layers[i]]).Before(earliest(byLayer[layers[j]]))
	})
	for _, l := range layers {
		prev := chain[len(chain)-1]
		var best *IncidentCause
		bestLinked := false
		for _, c := range byLayer[l] {
			ok := linkedToChain(chain, c)
			switch {
			case best == nil, ok && !bestLinked, ok == bestLinked && c.Count > best.Count:
				best, bestLinked = c, ok
			}
		}
		if !bestLinked && best.Count*10 < s.failures && !b.explainsStatuses(best, in, s.failures) {
			continue
		}
		if ok, how := linked(prev, best); ok {
			links = append(links, fmt.Sprintf("%s and %s share %s", prev.Cause, best.Cause, how))
		} else if bestLinked {
			for _, c := range chain[:len(chain)-1] {
				if ok, how := linked(c, best); ok {
					links = append(links, fmt.Sprintf("%s and %s share %s", c.Cause, best.Cause, how))
					break
				}
			}
		}
		chain = append(chain, best)
	}
	return chain, links, corroborations
}

// confidence: high when the root came first, something ties it to the
// failures (keys shared along the chain or with the root's own layer, or
// findings that keep pace with the failures) and the chain explains them
// (it reaches across layers, or the root alone accounts for them); medium
// with one of the two, or with both when the root came soon after the
// first failure; low otherwise.
func (s *chainState) confidence(root *IncidentCause, timing rootTiming, chainLen int, keyed bool) string {
	in := s.in
	dur := in.End.Sub(in.Start)
	keepsPace := root.Count*5 >= s.failures && !root.Last.Before(in.End.Add(-max(s.tol, dur/5)))
	corroborated := keyed || keepsPace
	explained := chainLen >= 2 || keepsPace
	switch {
	case timing == rootBefore && corroborated && explained:
		return "high"
	case timing == rootBefore && (corroborated || explained), timing == rootSoonAfter && corroborated && explained:
		return "medium"
	}
	return "low"
}

// better orders the root candidates of the deepest layer: a specific
// cause before a generic one (genericCauses); then one whose evidence
// still occurs when the failures begin before one that had stopped (PHP-FPM's
// "seems busy" warning a minute before is the prelude, "server reached
// pm.max_children" during the failures the reason); then the earlier, then
// the more frequent.
func better(a, b *IncidentCause, ongoing func(*IncidentCause) bool) bool {
	if ga, gb := genericCauses[a.Cause], genericCauses[b.Cause]; ga != gb {
		return gb
	}
	if oa, ob := ongoing(a), ongoing(b); oa != ob {
		return oa
	}
	if !a.First.Equal(b.First) {
		return a.First.Before(b.First)
	}
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	return a.Cause < b.Cause
}

// linkedToChain reports whether c shares keys with a member of the chain.
func linkedToChain(chain []*IncidentCause, c *IncidentCause) bool {
	for _, m := range chain {
		if ok, _ := linked(m, c); ok {
			return true
		}
	}
	return false
}

// orderCauses puts an incident's causes in the order reports show them:
// the chain in chain order, then the others deepest layer first, then by
// first finding and count.
func orderCauses(in *Incident) {
	pos := func(c *IncidentCause) int {
		for i, id := range in.Chain {
			if id == c.Cause {
				return i
			}
		}
		return len(in.Chain)
	}
	sort.SliceStable(in.Causes, func(i, j int) bool {
		a, b := in.Causes[i], in.Causes[j]
		if pa, pb := pos(a), pos(b); pa != pb {
			return pa < pb
		}
		if da, db := a.Layer.Depth(), b.Layer.Depth(); da != db {
			return da > db
		}
		if !a.First.Equal(b.First) {
			return a.First.Before(b.First)
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Cause < b.Cause
	})
}

func earliest(cs []*IncidentCause) time.Time {
	t := cs[0].First
	for _, c := range cs[1:] {
		if c.First.Before(t) {
			t = c.First
		}
	}
	return t
}

// reasoning explains the chain in one or two sentences with its numbers.
func (b *Builder) reasoning(in *Incident, chain []*IncidentCause, timing rootTiming, links, corroborations []string) string {
	root := chain[0]
	var s strings.Builder
	where := ""
	if len(root.Evidence) > 0 {
		where = " in " + root.Evidence[0].Source
	}
	lead := in.Start.Sub(root.First)
	switch {
	case timing == rootAfter:
		fmt.Fprintf(&s, "No cause was logged before the first failure; the earliest, %s (%s), began %s later%s.",
			root.Title, root.Cause, humanDuration(-lead), where)
	case timing == rootSoonAfter && waitCauses[root.Cause]:
		fmt.Fprintf(&s, "%s (%s) was first logged at %s%s, %s after the first failed response — a timeout is logged when the wait ends — and is the deepest layer (%s) with evidence that soon.",
			root.Title, root.Cause, b.stamp(root.First), where, humanDuration(-lead), effectiveLayer(root).Title())
	case timing == rootSoonAfter:
		fmt.Fprintf(&s, "No cause was logged before the first failure; %s (%s) began %s after it%s and is the deepest layer (%s) with evidence that soon (a log may stamp a request when it arrives, or be written late).",
			root.Title, root.Cause, humanDuration(-lead), where, effectiveLayer(root).Title())
	case lead > time.Second:
		fmt.Fprintf(&s, "%s (%s) began at %s%s, %s before the first failed response, and is the deepest layer (%s) with evidence that early.",
			root.Title, root.Cause, b.stamp(root.First), where, humanDuration(lead), effectiveLayer(root).Title())
	default:
		fmt.Fprintf(&s, "%s (%s) began at %s%s, together with the first failed response, and is the deepest layer (%s) with evidence that early.",
			root.Title, root.Cause, b.stamp(root.First), where, effectiveLayer(root).Title())
	}
	if len(corroborations) > 0 {
		fmt.Fprintf(&s, " Corroborating it in the same layer: %s.", strings.Join(corroborations, "; "))
	}
	if len(chain) > 1 {
		var parts []string
		for _, c := range chain[1:] {
			parts = append(parts, fmt.Sprintf("%s (%s line%s from %s)", c.Cause, thousands(c.Count), plural(c.Count), b.stamp(c.First)))
		}
		fmt.Fprintf(&s, " It was followed by %s", strings.Join(parts, ", then "))
		if len(links) > 0 {
			fmt.Fprintf(&s, "; %s", strings.Join(links, "; "))
		}
		s.WriteString(".")
	}
	if in.Failed > 0 {
		fmt.Fprintf(&s, " %s of %s requests failed (%s).", thousands(in.Failed), thousands(in.Requests), statusList(in.Statuses))
	}
	var loud *IncidentCause
	for _, c := range in.Causes {
		if loud == nil || c.Count > loud.Count {
			loud = c
		}
	}
	if loud != nil && loud != root && loud.Layer.Depth() < root.Layer.Depth() && loud.Count > root.Count*3 {
		fmt.Fprintf(&s, " The most frequent line, %s (%s), is a symptom of it, not the cause.", loud.Cause, thousands(loud.Count))
	}
	return s.String()
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// stamp renders a time of day in the report zone.
func (b *Builder) stamp(t time.Time) string {
	return t.In(b.opts.Location).Format("15:04:05")
}

// statusList renders {"502": 90, "504": 3} as "502 ×90, 504 ×3".
func statusList(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s ×%s", k, thousands(m[k])))
	}
	return strings.Join(parts, ", ")
}

// humanDuration renders 95s as "1m35s" and 3h as "3h".
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		m, s := int(d.Minutes()), int(d.Seconds())%60
		if s == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if m == 0 {
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}
