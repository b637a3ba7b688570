package report

import "strings"

// sparkLevels are the eight bar heights of a sparkline, lowest first.
var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as a row of block characters, one per value,
// scaled to the largest value: the largest is █, any value above zero is at
// least ▁, and zero (or a negative value) is a space, so that minutes
// without errors stay visibly empty. It returns "" for no values.
func Sparkline(values []int64) string {
	if len(values) == 0 {
		return ""
	}
	var peak int64
	for _, v := range values {
		peak = max(peak, v)
	}
	var b strings.Builder
	b.Grow(len(values) * 3)
	for _, v := range values {
		if v <= 0 || peak <= 0 {
			b.WriteByte(' ')
			continue
		}
		// ceil(v*8/peak), computed without overflow for huge counts
		level := int(float64(v) / float64(peak) * float64(len(sparkLevels)))
		if float64(level) < float64(v)/float64(peak)*float64(len(sparkLevels)) {
			level++
		}
		level = min(max(level, 1), len(sparkLevels))
		b.WriteRune(sparkLevels[level-1])
	}
	return b.String()
}

// sparkDownsample sums values into at most width buckets and returns them with
// the number of values per bucket.
func sparkDownsample(values []int64, width int) ([]int64, int) {
	if width <= 0 || len(values) <= width {
		return values, 1
	}
	per := (len(values) + width - 1) / width
	out := make([]int64, 0, (len(values)+per-1)/per)
	for i := 0; i < len(values); i += per {
		var sum int64
		for _, v := range values[i:min(i+per, len(values))] {
			sum += v
		}
		out = append(out, sum)
	}
	return out, per
}
