package report

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/faultline/faultline/rules"
)

// chronicFactor: a cause whose rate in an incident's window is below this
// multiple of its rate elsewhere is background noise, not part of the
// incident.
const chronicFactor = 3

// attachCauses collects the causes that rose around the incident: those
// with findings from CauseWindow before the first failure to the last one,
// at a clearly higher rate than elsewhere. A cause's burst is followed back
// in time (gaps under MergeGap, at most Lookback) so that "since when"
// covers its real onset.
func (b *Builder) attachCauses(in *Incident, x *burst, all []*burst) {
	winStart := in.Start.Add(-b.opts.CauseWindow)
	lookStart := in.Start.Add(-time.Duration(b.opts.Thresholds.Lookback))
	gapMin := int64(time.Duration(b.opts.Thresholds.MergeGap)/time.Minute) + 1
	spanMin := float64(max(minuteKey(b.last)-minuteKey(b.first)+1, 1))
	windowMin := float64(max(minuteKey(in.End)-minuteKey(winStart)+1, 1))

	ids := make([]string, 0, len(b.causes))
	for id := range b.causes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := b.causes[id]
		keys := make([]int64, 0, len(c.minutes))
		for k := range c.minutes {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })

		var inWindow int64
		firstIdx := -1
		for i, k := range keys {
			cm := c.minutes[k]
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
		if base > 0 && float64(inWindow)/windowMin < chronicFactor*base {
			continue
		}
		// follow the burst back to its onset
		onset := firstIdx
		for onset > 0 && keys[onset]-keys[onset-1] <= gapMin && c.minutes[keys[onset-1]].last >= lookStart.UnixNano() {
			onset--
		}
		count := inWindow
		for i := onset; i < firstIdx; i++ {
			count += int64(c.minutes[keys[i]].n)
		}
		first := c.minutes[keys[onset]].first
		if first < lookStart.UnixNano() {
			first = lookStart.UnixNano()
		}
		var last int64
		for _, k := range keys[firstIdx:] {
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

// buildChain picks the root cause and the chain (DESIGN §7): the root is
// the deepest layer whose evidence starts at or before the first failure
// (within Tolerance); each shallower layer then contributes the cause that
// shares keys with the chain so far, else its most frequent one that began
// after the root. Frequency alone never picks the root.
func (b *Builder) buildChain(in *Incident) {
	if len(in.Causes) == 0 {
		in.Confidence = "low"
		in.Reasoning = "No classified cause was logged around the failures; see the unclassified errors and the access log's failing paths."
		return
	}
	cands := append([]*IncidentCause(nil), in.Causes...)
	sort.SliceStable(cands, func(i, j int) bool {
		if d1, d2 := cands[i].Layer.Depth(), cands[j].Layer.Depth(); d1 != d2 {
			return d1 > d2
		}
		if !cands[i].First.Equal(cands[j].First) {
			return cands[i].First.Before(cands[j].First)
		}
		return cands[i].Count > cands[j].Count
	})
	tol := b.opts.Tolerance
	var root *IncidentCause
	for _, c := range cands {
		if !c.First.After(in.Start.Add(tol)) {
			root = c
			break
		}
	}
	rootBefore := root != nil
	if root == nil {
		// nothing started before the failures: the earliest cause, whatever its layer
		root = cands[0]
		for _, c := range cands {
			if c.First.Before(root.First) {
				root = c
			}
		}
	}
	chain := []*IncidentCause{root}
	var links []string
	byLayer := map[rules.Layer][]*IncidentCause{}
	var layers []rules.Layer
	for _, c := range cands {
		if c == root || c.Layer == root.Layer || c.Layer.Depth() > root.Layer.Depth() || c.First.Before(root.First.Add(-tol)) {
			continue
		}
		if _, ok := byLayer[c.Layer]; !ok {
			layers = append(layers, c.Layer)
		}
		byLayer[c.Layer] = append(byLayer[c.Layer], c)
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
			ok, _ := linked(prev, c)
			switch {
			case best == nil, ok && !bestLinked, ok == bestLinked && c.Count > best.Count:
				best, bestLinked = c, ok
			}
		}
		if ok, how := linked(prev, best); ok {
			links = append(links, fmt.Sprintf("%s and %s share %s", prev.Cause, best.Cause, how))
		}
		chain = append(chain, best)
	}
	for _, c := range chain {
		c.InChain = true
		in.Chain = append(in.Chain, c.Cause)
	}
	in.RootCause = root.Cause

	// confidence: the root came first, and something corroborates it — keys
	// shared along the chain, a chain across layers, or (alone) findings that
	// keep pace with the failures
	score := 0
	if rootBefore {
		score++
	}
	if len(links) > 0 {
		score++
	}
	if len(chain) >= 2 || in.Failed > 0 && root.Count*5 >= in.Failed && !root.Last.Before(in.Start) {
		score++
	}
	switch {
	case score >= 3:
		in.Confidence = "high"
	case score == 2:
		in.Confidence = "medium"
	default:
		in.Confidence = "low"
	}
	in.Reasoning = b.reasoning(in, chain, rootBefore, links)
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
func (b *Builder) reasoning(in *Incident, chain []*IncidentCause, rootBefore bool, links []string) string {
	root := chain[0]
	var s strings.Builder
	where := ""
	if len(root.Evidence) > 0 {
		where = " in " + root.Evidence[0].Source
	}
	lead := in.Start.Sub(root.First)
	switch {
	case !rootBefore:
		fmt.Fprintf(&s, "No cause was logged before the first failure; the earliest, %s (%s), began %s later%s.",
			root.Title, root.Cause, humanDuration(-lead), where)
	case lead > time.Second:
		fmt.Fprintf(&s, "%s (%s) began at %s%s, %s before the first failed response, and is the deepest layer (%s) with evidence that early.",
			root.Title, root.Cause, b.stamp(root.First), where, humanDuration(lead), root.Layer.Title())
	default:
		fmt.Fprintf(&s, "%s (%s) began at %s%s, together with the first failed response, and is the deepest layer (%s) with evidence that early.",
			root.Title, root.Cause, b.stamp(root.First), where, root.Layer.Title())
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
