package parsers

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Detection samples the first SampleLines lines (at most sampleBytes) of an
// input.
const (
	SampleLines = 400
	sampleBytes = 2 << 20
)

// Candidate is a format to try on an input, with an optional custom
// template (--log-format).
type Candidate struct {
	Format   *Format
	Template string
}

// Detection is what probing an input's first lines found.
type Detection struct {
	// Format is the winning format; nil when no format understood enough
	// of the sample (the whole input is then reported as unparsed).
	Format *Format
	// Template is the custom log format that won, if any.
	Template string
	// Confidence is the share of sampled lines the format understood.
	Confidence float64
	// Forced is set when the format came from --as.
	Forced bool
	// Wrapper is the prefix stripped from every line ("" for none).
	Wrapper string
	// SampleLines is how many lines were sampled.
	SampleLines int
	// Sample is the first entry the format parsed, for `faultline detect`.
	Sample []byte
	// Keys holds, for wrapped inputs whose lines interleave several streams
	// (compose services, pm2 apps, journald units), the format of each.
	Keys map[string]Candidate
	// Ranking lists every candidate that understood part of the sample, best
	// first, with its confidence.
	Ranking []Ranked

	firstTime time.Time     // earliest timestamp in the sample
	offsets   map[int32]int // UTC offsets stated in sampled entries, counted
	zoneless  bool          // some sampled entries had no zone of their own
	yearLess  bool          // the format's stamps carry no year
}

// Ranked is one candidate's detection score.
type Ranked struct {
	Format     string  `json:"format"`
	Confidence float64 `json:"confidence"`
}

// MinConfidence is the least share of the sample a format must understand
// to be chosen.
const MinConfidence = 0.3

// candidates returns every format to try, with user templates first for the
// access formats.
func candidates(templates map[string][]string) []Candidate {
	var out []Candidate
	for _, f := range registry {
		for _, t := range templates[f.ID] {
			out = append(out, Candidate{Format: f, Template: t})
		}
		out = append(out, Candidate{Format: f})
	}
	return out
}

// readSample reads the first lines of an input.
func readSample(in *Input) (lines [][]byte, err error) {
	rc, err := in.openPrefix(sampleBytes)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	lr := newLineReader(io.LimitReader(rc, MaxLineBytes+sampleBytes))
	total := 0
	for len(lines) < SampleLines && total < sampleBytes {
		line, _, _, _, ok := lr.next()
		if !ok {
			break
		}
		total += len(line)
		lines = append(lines, append([]byte(nil), line...))
	}
	if rerr := lr.readErr(); rerr != nil && in.Path != "-" {
		err = rerr
	}
	return lines, err
}

// score runs one candidate over lines and returns how many lines it
// understood, the first entry it parsed, its events, and which lines (by
// index) the entries it understood cover.
func score(c Candidate, lines [][]byte, wraps []wrapInfo, clock *Clock) (understood int, first []byte, evs []Event, covered []bool) {
	p, err := c.Format.New(Config{Clock: clock, Template: c.Template})
	if err != nil {
		return 0, nil, nil, nil
	}
	covered = make([]bool, len(lines))
	s := newStream(c.Format, p)
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		raw := append([]byte(nil), entry...)
		ev := Event{Format: s.format, Raw: raw, Line: lineNo, Offset: offset, RequestTime: -1, UpstreamTime: -1}
		if p.Parse(raw, &ev) {
			understood += n
			for i := lineNo - 1; i < lineNo-1+int64(n) && i < int64(len(covered)); i++ {
				covered[i] = true
			}
			applyWrapTime(&ev, w)
			if first == nil {
				first = raw
			}
			if len(evs) < SampleLines {
				evs = append(evs, ev)
			}
		}
	}
	for i, line := range lines {
		var w *wrapInfo
		if wraps != nil {
			w = &wraps[i]
			if w.timeKnownZone {
				clock.yearHint = w.time // as stripping sets it while decoding
			}
		}
		s.feed(line, int64(i+1), 0, false, w, sink)
	}
	s.close(sink)
	return understood, first, evs, covered
}

// Mixing: a file that interleaves the lines of a few formats (`docker logs`
// of an Nginx container: access lines on stdout, error lines on stderr; an
// ingress-nginx controller: its own klog lines among both) is read with the
// winning format first and, for each line it does not understand, the
// formats that understand the rest.
const (
	maxMixed     = 3 // formats in one mixture
	minMixLines  = 1 // lines a format must add to join the mixture
	maxMixShare  = 0.5
	mixTitleJoin = " with "
)

// pick chooses the best candidate for lines, mixing in further formats
// when the best one leaves lines that others understand.
func pick(cands []Candidate, lines [][]byte, wraps []wrapInfo, path string) (best Candidate, conf float64, sample []byte, evs []Event, ranking []Ranked) {
	type result struct {
		c       Candidate
		n       int
		eff     float64
		hint    bool
		order   int
		first   []byte
		evs     []Event
		covered []bool
	}
	total := 0
	nonBlank := make([]bool, len(lines))
	for i, l := range lines {
		if len(trimSpace(l)) > 0 {
			total++
			nonBlank[i] = true
		}
	}
	if total == 0 {
		return Candidate{}, 0, nil, nil, nil
	}
	var results []result
	lower := strings.ToLower(path)
	for i, c := range cands {
		clock := NewClock(time.UTC, "detection")
		n, first, evs, covered := score(c, lines, wraps, clock)
		if n == 0 {
			continue
		}
		eff := float64(n) / float64(total)
		if c.Format.Generic {
			eff -= 0.05 // a specific format wins unless the generic one understands clearly more
		}
		if c.Template != "" {
			eff += 0.001 // the user's own format wins a tie with the built-in one
		}
		hint := false
		for _, h := range c.Format.PathHints {
			if strings.Contains(lower, h) {
				hint = true
			}
		}
		results = append(results, result{c, n, eff, hint, i, first, evs, covered})
	}
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if a.eff != b.eff {
			return a.eff > b.eff
		}
		if a.hint != b.hint {
			return a.hint
		}
		return a.order < b.order
	})
	seen := map[string]bool{}
	for _, r := range results {
		if !seen[r.c.Format.ID] {
			seen[r.c.Format.ID] = true
			ranking = append(ranking, Ranked{r.c.Format.ID, min(1, float64(r.n)/float64(total))})
		}
	}
	if len(results) == 0 {
		return Candidate{}, 0, nil, nil, nil
	}
	r := results[0]
	best, sample, evs = r.c, r.first, r.evs
	covered, n := append([]bool(nil), r.covered...), r.n
	// mix in the formats that understand most of what is left, while the
	// winner keeps the larger share of the file
	mixed := []Candidate{r.c}
	for len(mixed) < maxMixed && n < total {
		bestGain, bestIdx := 0, -1
		for i := 1; i < len(results); i++ {
			a := &results[i]
			if mixedHas(mixed, a.c.Format.ID) {
				continue
			}
			gain := 0
			for k, cv := range a.covered {
				if cv && !covered[k] && nonBlank[k] {
					gain++
				}
			}
			if gain > bestGain {
				bestGain, bestIdx = gain, i
			}
		}
		if bestIdx < 0 || bestGain < minMixLines || float64(bestGain) > maxMixShare*float64(total) {
			break
		}
		if results[bestIdx].c.Format.Generic && bestGain < 2 && bestGain*20 <= total {
			break // one stray line an application format happens to read
		}
		a := &results[bestIdx]
		mixed = append(mixed, a.c)
		for k, cv := range a.covered {
			if cv && !covered[k] {
				covered[k] = true
				if nonBlank[k] {
					n++
				}
			}
		}
		for _, ev := range a.evs {
			if !ev.Time.IsZero() && len(evs) < SampleLines {
				evs = append(evs, ev)
			}
		}
	}
	if len(mixed) > 1 {
		best = Candidate{Format: mixFormats(mixed), Template: r.c.Template}
	}
	conf = min(1, float64(n)/float64(total))
	return best, conf, sample, evs, ranking
}

func mixedHas(mixed []Candidate, id string) bool {
	for _, c := range mixed {
		if c.Format.ID == id {
			return true
		}
	}
	return false
}

// mixFormats returns a format that reads each entry with the first of
// cands that understands it. It carries the first one's id (the input's
// format); entries read by another carry that one's id.
func mixFormats(cands []Candidate) *Format {
	first := cands[0].Format
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.Format.ID
	}
	f := *first
	f.Title = first.Title + mixTitleJoin + strings.Join(ids[1:], ", ") + " lines"
	f.mixed = ids[1:]
	f.New = func(cfg Config) (Parser, error) {
		m := &mixedParser{ids: ids}
		for i, c := range cands {
			tcfg := Config{Clock: cfg.Clock, Template: c.Template}
			if i == 0 {
				tcfg.Template = cfg.Template
			}
			p, err := c.Format.New(tcfg)
			if err != nil {
				return nil, err
			}
			m.parsers = append(m.parsers, p)
			j, _ := p.(Joiner)
			m.joiners = append(m.joiners, j)
		}
		for _, j := range m.joiners {
			if j != nil {
				m.owner = -1
				return &mixedJoiner{m}, nil
			}
		}
		return m, nil
	}
	return &f
}

// mixedParser reads an entry with the first of its parsers that
// understands it.
type mixedParser struct {
	ids     []string
	parsers []Parser
	joiners []Joiner // per parser; nil for single-line formats
	owner   int      // the parser whose line began the entry being joined; -1 for none
	scratch Event
}

// Parse tries each parser in turn; an entry another than the first reads
// carries that one's format id.
func (m *mixedParser) Parse(entry []byte, ev *Event) bool {
	src, line, off, raw := ev.Source, ev.Line, ev.Offset, ev.Raw
	for i, p := range m.parsers {
		if i > 0 {
			*ev = Event{Source: src, Line: line, Offset: off, Raw: raw, Format: m.ids[i], RequestTime: -1, UpstreamTime: -1}
		}
		if p.Parse(entry, ev) {
			return true
		}
	}
	return false
}

// mixedJoiner is a mixedParser whose formats join lines: a line continues
// the entry when the joiner of the format whose line began the entry says
// so (every joiner sees every line, to keep its state). A line that begins
// an entry is given to the first format that reads it, so that a line no
// format reads never swallows the lines after it.
type mixedJoiner struct{ *mixedParser }

// Continues asks every joiner and decides by the entry's own format.
func (m *mixedJoiner) Continues(line []byte) bool {
	cont := false
	for i, j := range m.joiners {
		if j != nil && j.Continues(line) && i == m.owner {
			cont = true
		}
	}
	if cont {
		return true
	}
	m.owner = -1
	for i, p := range m.parsers {
		m.scratch = Event{}
		if p.Parse(line, &m.scratch) {
			m.owner = i
			break
		}
	}
	m.scratch = Event{} // keep no reference to line
	return false
}

// Probe reads the start of an input and decides its wrapper and format.
// forced, when not nil, skips format detection (--as).
func Probe(in *Input, forced *Format, templates map[string][]string) (*Detection, error) {
	lines, err := readSample(in)
	if len(lines) == 0 && err != nil {
		return nil, err
	}
	// a read error inside the sample (a truncated gzip) is reported by Decode
	return DetectLines(in.Path, lines, forced, templates), nil
}

// DetectLines decides the wrapper and format of an input from its first
// lines (live tail detects a new file this way once lines arrive).
func DetectLines(path string, lines [][]byte, forced *Format, templates map[string][]string) *Detection {
	d := &Detection{SampleLines: len(lines)}
	if len(lines) == 0 {
		return d
	}
	cands := candidates(templates)
	if forced != nil {
		d.Forced = true
		cands = cands[:0:0]
		for _, t := range templates[forced.ID] {
			cands = append(cands, Candidate{Format: forced, Template: t})
		}
		cands = append(cands, Candidate{Format: forced})
	}

	best, conf, sample, evs, ranking := pick(cands, lines, nil, path)
	d.Format, d.Template, d.Confidence, d.Sample, d.Ranking = best.Format, best.Template, conf, sample, ranking
	baseEff := effective(best, conf)

	// Try each wrapper that fits nearly every line; keep it when the lines
	// inside it are understood better than the lines as they are.
	for _, w := range wrappers {
		inner, wraps, keys, fits := unwrapSample(w, lines, NewClock(time.UTC, "detection"))
		if !fits {
			continue
		}
		kd := pickPerKey(cands, inner, wraps, keys, path, w, lines)
		if kd.overall.Format == nil {
			continue
		}
		eff := effective(kd.overall, kd.conf)
		switch {
		case w.whole != nil:
			// a journal stays syslog and Heroku output app-logfmt, unless
			// some unit's own lines are of another format; those units are
			// then read in it, the others whole
			if kd.inner == 0 || eff < baseEff-0.05 {
				continue
			}
		case eff > baseEff:
		case (w.id == WrapCRI || w.id == WrapCompose || w.id == WrapPM2 || w.id == WrapDockerJSON || w.id == WrapKubectl) && eff >= baseEff-0.05:
		default:
			continue
		}
		d.Wrapper, d.Format, d.Template, d.Confidence = w.id, kd.overall.Format, kd.overall.Template, kd.conf
		d.Sample, d.Keys, d.Ranking = kd.sample, kd.perKey, kd.ranking
		evs = kd.evs
		break
	}
	if d.Format != nil && d.Confidence < MinConfidence && !d.Forced {
		d.Format, d.Template, d.Sample = nil, "", nil
	}
	d.learn(evs)
	d.yearLess = d.usesYearInference(lines)
	return d
}

// usesYearInference reports whether the detected format (or wrapper)
// reads the sample's stamps without a year.
func (d *Detection) usesYearInference(lines [][]byte) bool {
	if d.Format == nil {
		return false
	}
	clock := NewClock(time.UTC, "detection")
	var wraps []wrapInfo
	if w := lookupWrapper(d.Wrapper); w != nil {
		lines, wraps, _, _ = unwrapSample(w, lines, clock)
	}
	score(Candidate{Format: d.Format, Template: d.Template}, lines, wraps, clock)
	return clock.usedYear
}

func effective(c Candidate, conf float64) float64 {
	if c.Format == nil {
		return 0
	}
	if c.Format.Generic {
		return conf - 0.05
	}
	return conf
}

// unwrapSample strips wrapper w from every line; fits is true when at least
// 90% of the non-empty lines carry it. The inner lines are copies (a
// wrapper may decode a line into scratch space).
func unwrapSample(w *wrapper, lines [][]byte, clock *Clock) (inner [][]byte, wraps []wrapInfo, keys []string, fits bool) {
	nonEmpty, ok := 0, 0
	for _, l := range lines {
		var info wrapInfo
		in, stripped := w.strip(l, clock, &info)
		if len(trimSpace(l)) > 0 {
			nonEmpty++
			if stripped {
				ok++
			}
		}
		if !stripped {
			in = l
		}
		inner = append(inner, append([]byte(nil), in...))
		if info.whole != nil {
			info.whole = l
		}
		wraps = append(wraps, info)
		keys = append(keys, string(info.detectKey))
	}
	return inner, wraps, keys, nonEmpty > 0 && ok*10 >= nonEmpty*9
}

// keyDetection is what pickPerKey found.
type keyDetection struct {
	perKey  map[string]Candidate
	overall Candidate // the format of the biggest key, or the wrapper's whole format
	conf    float64
	inner   int // keys read in a format of their own (wrappers with a whole format)
	sample  []byte
	evs     []Event
	ranking []Ranked
}

// pickPerKey detects the format of each wrapper key's lines separately.
// For a wrapper whose prefix a format reads whole (journald: syslog), a key
// keeps that format unless another understands its own lines nearly
// completely (wholeInnerMin).
func pickPerKey(cands []Candidate, lines [][]byte, wraps []wrapInfo, keys []string, path string, w *wrapper, orig [][]byte) keyDetection {
	groups := map[string][]int{}
	var order []string
	for i, k := range keys {
		if len(trimSpace(orig[i])) == 0 {
			continue // a blank line belongs to no key
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	kd := keyDetection{perKey: map[string]Candidate{}}
	understood, total, biggest := 0.0, 0, 0
	for _, k := range order {
		idx := groups[k]
		gl := make([][]byte, len(idx))
		gw := make([]wrapInfo, len(idx))
		for j, i := range idx {
			gl[j], gw[j] = lines[i], wraps[i]
			gw[j].whole = nil // scored on its own lines here; whole below
		}
		total += len(idx)
		c, cf, smp, gevs, rk := pick(cands, gl, gw, path)
		if w != nil && w.whole != nil {
			if c.Format != nil && c.Format.ID != w.whole.ID && cf >= wholeInnerMin {
				kd.inner++
			} else {
				// read the key's lines whole, prefix included
				whole := make([][]byte, len(idx))
				for j, i := range idx {
					whole[j] = orig[i]
				}
				c, cf, smp, gevs, rk = pick([]Candidate{{Format: w.whole}}, whole, nil, path)
				if c.Format == nil {
					continue
				}
			}
		}
		if c.Format == nil {
			continue
		}
		kd.perKey[k] = c
		understood += cf * float64(len(idx))
		kd.evs = append(kd.evs, gevs...)
		if len(idx) > biggest {
			biggest, kd.overall, kd.sample, kd.ranking = len(idx), c, smp, rk
		}
	}
	if w != nil && w.whole != nil && kd.overall.Format != nil {
		// keys the sample did not show fall back to the whole format
		kd.overall = Candidate{Format: w.whole}
	}
	if total > 0 {
		kd.conf = understood / float64(total)
	}
	return kd
}

// learn records the zone facts of the sampled entries.
func (d *Detection) learn(evs []Event) {
	d.offsets = map[int32]int{}
	for i := range evs {
		ev := &evs[i]
		if ev.Time.IsZero() {
			continue
		}
		if d.firstTime.IsZero() || ev.Time.Before(d.firstTime) {
			d.firstTime = ev.Time
		}
		switch {
		case ev.TimeEpoch:
			// an exact instant: neither zoneless nor a stated offset
		case ev.TimeKnownZone:
			d.offsets[ev.ZoneOffset]++
		default:
			d.zoneless = true
		}
	}
}

// String describes the detection in one line.
func (d *Detection) String() string {
	if d.Format == nil {
		if d.SampleLines == 0 {
			return "empty"
		}
		return "unknown format"
	}
	s := fmt.Sprintf("%s (%.0f%% of %d sampled lines", d.Format.ID, d.Confidence*100, d.SampleLines)
	if d.Forced {
		s += ", forced with --as"
	}
	s += ")"
	if m := d.Format.Mixed(); len(m) > 0 {
		s += " with " + strings.Join(m, ", ") + " lines"
	}
	if d.Wrapper != "" {
		s += " inside " + d.Wrapper
	}
	if d.Template != "" {
		s += " with custom log format"
	}
	return s
}
