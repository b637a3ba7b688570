package parsers

import (
	"unsafe"
)

// str returns b as a string without copying. It is only used on entry bytes
// that live in a decoder's arena, which is never written again once an entry
// is copied into it, so the string stays immutable.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// atoi parses an unsigned decimal number; ok is false for an empty or
// non-digit input or one longer than 18 digits.
func atoi(b []byte) (n int, ok bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// digits2 parses exactly two ASCII digits at b[i:].
func digits2(b []byte, i int) (int, bool) {
	if i+2 > len(b) {
		return 0, false
	}
	c0, c1 := b[i]-'0', b[i+1]-'0'
	if c0 > 9 || c1 > 9 {
		return 0, false
	}
	return int(c0)*10 + int(c1), true
}

// digits4 parses exactly four ASCII digits at b[i:].
func digits4(b []byte, i int) (int, bool) {
	hi, ok1 := digits2(b, i)
	lo, ok2 := digits2(b, i+2)
	return hi*100 + lo, ok1 && ok2
}

// fraction parses the digits of a fractional second at b[i:] ("123456" of
// ".123456") and returns nanoseconds and the index after the digits.
func fraction(b []byte, i int) (nsec int, end int) {
	scale := 100000000
	for end = i; end < len(b) && b[end] >= '0' && b[end] <= '9'; end++ {
		nsec += int(b[end]-'0') * scale
		scale /= 10
	}
	return nsec, end
}

// parseSeconds parses a duration in seconds such as "0.123", "12", "-" or
// "0.101, 0.002" (Nginx lists one time per upstream tried; they are summed).
// It returns -1 when no time is given.
func parseSeconds(b []byte) float64 {
	total, seen := 0.0, false
	for i := 0; i < len(b); {
		for i < len(b) && (b[i] == ' ' || b[i] == ',' || b[i] == ':') {
			i++
		}
		var mant int64
		scale, digits, bad, dot := 1.0, 0, false, false
		for ; i < len(b) && b[i] != ',' && b[i] != ' ' && b[i] != ':'; i++ {
			c := b[i]
			switch {
			case c >= '0' && c <= '9' && digits < 18:
				mant = mant*10 + int64(c-'0')
				digits++
				if dot {
					scale *= 10
				}
			case c >= '0' && c <= '9':
			case c == '.' && !dot:
				dot = true
			default:
				bad = true // "-" or junk
			}
		}
		if digits > 0 && !bad {
			total += float64(mant) / scale
			seen = true
		}
	}
	if !seen {
		return -1
	}
	return total
}

// month3 parses a three-letter English month abbreviation ("Nov", "nov",
// "NOV") at b[i:]; 0 when it is none.
func month3(b []byte, i int) int {
	if i+3 > len(b) {
		return 0
	}
	c0, c1, c2 := b[i]|0x20, b[i+1]|0x20, b[i+2]|0x20
	switch c0 {
	case 'j':
		if c1 == 'a' && c2 == 'n' {
			return 1
		}
		if c1 == 'u' && c2 == 'n' {
			return 6
		}
		if c1 == 'u' && c2 == 'l' {
			return 7
		}
	case 'f':
		if c1 == 'e' && c2 == 'b' {
			return 2
		}
	case 'm':
		if c1 == 'a' && c2 == 'r' {
			return 3
		}
		if c1 == 'a' && c2 == 'y' {
			return 5
		}
	case 'a':
		if c1 == 'p' && c2 == 'r' {
			return 4
		}
		if c1 == 'u' && c2 == 'g' {
			return 8
		}
	case 's':
		if c1 == 'e' && c2 == 'p' {
			return 9
		}
	case 'o':
		if c1 == 'c' && c2 == 't' {
			return 10
		}
	case 'n':
		if c1 == 'o' && c2 == 'v' {
			return 11
		}
	case 'd':
		if c1 == 'e' && c2 == 'c' {
			return 12
		}
	}
	return 0
}

// trimSpace trims ASCII spaces and tabs from both ends.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix p,
// ignoring ASCII case.
func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b[i]|0x20 != p[i] && b[i] != p[i] {
			return false
		}
	}
	return true
}

// fieldChunk hands out Field slices from shared chunks, so that parsers
// that store extra fields allocate once per chunk, not per entry.
type fieldChunk []Field

// put copies fs into the chunk and returns a slice of it that later puts
// cannot overwrite.
func (c *fieldChunk) put(fs []Field) []Field {
	if len(fs) == 0 {
		return nil
	}
	if cap(*c)-len(*c) < len(fs) {
		*c = make([]Field, 0, max(512, len(fs)))
	}
	start := len(*c)
	*c = append(*c, fs...)
	return (*c)[start:len(*c):len(*c)]
}
