package report

import (
	"math"
	"sort"
)

// topK counts the most frequent values of a stream in bounded memory
// (Space-Saving: when full, a new value replaces the least counted one and
// inherits its count as an over-estimate). With k as small as topKSize a
// linear scan of a slice beats a map: a stream of distinct values (every
// request to a new URL) costs one pass that both looks for the value and
// finds the least counted entry.
type topK struct {
	k       int
	entries []topEntry
}

// topEntry is one counted value; its bytes are reused when the entry is
// replaced, so a stream of distinct values costs no allocation.
type topEntry struct {
	value []byte
	count int64
}

func newTopK(k int) *topK { return &topK{k: k, entries: make([]topEntry, 0, k)} }

// add counts n occurrences of v. v is copied, so that it does not pin the
// decoder's memory.
func (t *topK) add(v string, n int64) {
	if v == "" {
		return
	}
	minI := -1
	for i := range t.entries {
		e := &t.entries[i]
		if string(e.value) == v {
			e.count += n
			return
		}
		if minI < 0 || e.count < t.entries[minI].count {
			minI = i
		}
	}
	if len(t.entries) < t.k {
		t.entries = append(t.entries, topEntry{[]byte(v), n})
		return
	}
	e := &t.entries[minI]
	e.value = append(e.value[:0], v...)
	e.count += n
}

// len is the number of values held.
func (t *topK) len() int { return len(t.entries) }

// valueCount is one value of a merged top-k.
type valueCount struct {
	value string
	count int64
}

// mergeTop sums several top-k sketches and returns the values by count.
func mergeTop(ts []*topK) []valueCount {
	sum := map[string]int64{}
	for _, t := range ts {
		if t == nil {
			continue
		}
		for _, e := range t.entries {
			sum[string(e.value)] += e.count
		}
	}
	out := make([]valueCount, 0, len(sum))
	for v, c := range sum {
		out = append(out, valueCount{v, c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].count != out[j].count {
			return out[i].count > out[j].count
		}
		return out[i].value < out[j].value
	})
	return out
}

// latHist is a log-scale histogram of durations in seconds: bin 0 holds
// everything up to 1 ms, each next bin is 25% wider, up to about two days.
type latHist [latBins]uint32

const (
	latBins   = 72
	latMin    = 0.001
	latFactor = 1.25
)

var logLatFactor = math.Log(latFactor)

func latBin(sec float64) int {
	if sec <= latMin {
		return 0
	}
	b := int(math.Log(sec/latMin)/logLatFactor) + 1
	if b >= latBins {
		b = latBins - 1
	}
	return b
}

// latUpper is the upper bound of bin b in seconds.
func latUpper(b int) float64 { return latMin * math.Pow(latFactor, float64(b)) }

func (h *latHist) add(sec float64) {
	if sec >= 0 {
		h[latBin(sec)]++
	}
}

func (h *latHist) merge(o *latHist) {
	for i := range h {
		h[i] += o[i]
	}
}

func (h *latHist) total() int64 {
	var n int64
	for _, c := range h {
		n += int64(c)
	}
	return n
}

// quantile returns the upper bound of the bin that holds quantile q
// (0 < q ≤ 1), rounded to the millisecond; 0 for an empty histogram.
func (h *latHist) quantile(q float64) float64 {
	n := h.total()
	if n == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(n)))
	var seen int64
	for b, c := range h {
		seen += int64(c)
		if seen >= rank {
			return math.Round(latUpper(b)*1000) / 1000
		}
	}
	return math.Round(latUpper(latBins-1)*1000) / 1000
}
