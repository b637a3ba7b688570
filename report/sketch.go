package report

import (
	"math"
	"sort"
	"strings"
)

// topK counts the most frequent values of a stream in bounded memory
// (Space-Saving: when full, a new value replaces the least counted one and
// inherits its count as an over-estimate).
type topK struct {
	k      int
	counts map[string]int64
}

func newTopK(k int) *topK { return &topK{k: k, counts: make(map[string]int64, k)} }

// add counts one occurrence of v. v is cloned when first stored, so that it
// does not pin the decoder's memory.
func (t *topK) add(v string, n int64) {
	if v == "" {
		return
	}
	if _, ok := t.counts[v]; ok {
		t.counts[v] += n
		return
	}
	if len(t.counts) < t.k {
		t.counts[strings.Clone(v)] = n
		return
	}
	minV, minC := "", int64(math.MaxInt64)
	for k, c := range t.counts {
		if c < minC || c == minC && k < minV {
			minV, minC = k, c
		}
	}
	delete(t.counts, minV)
	t.counts[strings.Clone(v)] = minC + n
}

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
		for v, c := range t.counts {
			sum[v] += c
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
