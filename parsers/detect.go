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
// understood and the first entry it parsed.
func score(c Candidate, lines [][]byte, wraps []wrapInfo, clock *Clock) (understood int, first []byte, evs []Event) {
	p, err := c.Format.New(Config{Clock: clock, Template: c.Template})
	if err != nil {
		return 0, nil, nil
	}
	s := newStream(c.Format, p)
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		raw := append([]byte(nil), entry...)
		ev := Event{Format: s.format, Raw: raw, Line: lineNo, Offset: offset}
		if p.Parse(raw, &ev) {
			understood += n
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
		}
		s.feed(line, int64(i+1), 0, false, w, sink)
	}
	s.close(sink)
	return understood, first, evs
}

// pick chooses the best candidate for lines.
func pick(cands []Candidate, lines [][]byte, wraps []wrapInfo, path string) (best Candidate, conf float64, sample []byte, evs []Event, ranking []Ranked) {
	type result struct {
		c     Candidate
		n     int
		eff   float64
		hint  bool
		order int
		first []byte
		evs   []Event
	}
	total := 0
	for _, l := range lines {
		if len(trimSpace(l)) > 0 {
			total++
		}
	}
	if total == 0 {
		return Candidate{}, 0, nil, nil, nil
	}
	var results []result
	lower := strings.ToLower(path)
	for i, c := range cands {
		clock := NewClock(time.UTC, "detection")
		n, first, evs := score(c, lines, wraps, clock)
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
		results = append(results, result{c, n, eff, hint, i, first, evs})
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
	conf = min(1, float64(r.n)/float64(total))
	return r.c, conf, r.first, r.evs, ranking
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
		perKey, overall, innerConf, innerSample, innerEvs, innerRanking := pickPerKey(cands, inner, wraps, keys, path)
		if overall.Format == nil {
			continue
		}
		if w.id == WrapJournald && (overall.Format.ID == FormatSyslog || innerConf < 0.6) {
			continue // an ordinary syslog file: keep it whole
		}
		if eff := effective(overall, innerConf); eff > baseEff || (w.id == WrapCRI || w.id == WrapCompose || w.id == WrapPM2) && eff >= baseEff-0.05 {
			d.Wrapper, d.Format, d.Template, d.Confidence = w.id, overall.Format, overall.Template, innerConf
			d.Sample, d.Keys, d.Ranking = innerSample, perKey, innerRanking
			evs = innerEvs
			break
		}
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
// 90% of the non-empty lines carry it.
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
		inner = append(inner, in)
		wraps = append(wraps, info)
		keys = append(keys, string(info.detectKey))
	}
	return inner, wraps, keys, nonEmpty > 0 && ok*10 >= nonEmpty*9
}

// pickPerKey detects the format of each wrapper key's lines separately.
func pickPerKey(cands []Candidate, lines [][]byte, wraps []wrapInfo, keys []string, path string) (perKey map[string]Candidate, overall Candidate, conf float64, sample []byte, evs []Event, ranking []Ranked) {
	groups := map[string][]int{}
	var order []string
	for i, k := range keys {
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	perKey = map[string]Candidate{}
	understood, total, biggest := 0.0, 0, 0
	for _, k := range order {
		idx := groups[k]
		gl := make([][]byte, len(idx))
		gw := make([]wrapInfo, len(idx))
		for j, i := range idx {
			gl[j], gw[j] = lines[i], wraps[i]
		}
		c, cf, smp, gevs, rk := pick(cands, gl, gw, path)
		if c.Format == nil {
			total += len(idx)
			continue
		}
		perKey[k] = c
		understood += cf * float64(len(idx))
		total += len(idx)
		evs = append(evs, gevs...)
		if len(idx) > biggest {
			biggest, overall, sample, ranking = len(idx), c, smp, rk
		}
	}
	if total > 0 {
		conf = understood / float64(total)
	}
	return perKey, overall, conf, sample, evs, ranking
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
		if ev.TimeKnownZone {
			d.offsets[ev.ZoneOffset]++
		} else {
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
	if d.Wrapper != "" {
		s += " inside " + d.Wrapper
	}
	if d.Template != "" {
		s += " with custom log format"
	}
	return s
}
