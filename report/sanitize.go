package report

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes log-derived text safe to print on one terminal line: C0
// controls (newline and tab included), DEL, C1 controls, ESC (and so every
// ANSI escape sequence) and invalid UTF-8 are shown escaped — `\n`, `\t`,
// `\x1b`, `\u009b`, `\xff` — and the bidirectional overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) that could reorder what is shown are
// escaped as `\u202e`. Everything else, backslashes included, is kept.
func Sanitize(s string) string {
	if sanIsSafe(s, false) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	sanWrite(&b, s, false, "")
	return b.String()
}

// SanitizeLines is Sanitize for multi-line evidence (a stack trace): each
// "\n" starts a new line that begins with indent, a tab becomes four
// spaces, and a "\r" before a newline is dropped; every other control is
// escaped as by Sanitize.
func SanitizeLines(s, indent string) string {
	if indent == "" && sanIsSafe(s, true) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	sanWrite(&b, s, true, indent)
	return b.String()
}

// isSafeText reports whether s needs no escaping (and, for multi-line
// text, holds no tab or carriage return to rewrite).
func sanIsSafe(s string, multiline bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && !(multiline && c == '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || sanNeedsEscape(r) {
			return false
		}
		i += size
	}
	return true
}

// needsEscape reports non-ASCII runes that must not reach the output as
// they are: C1 controls, bidi overrides and isolates, line and paragraph
// separators.
func sanNeedsEscape(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

const sanHex = "0123456789abcdef"

func sanWrite(b *strings.Builder, s string, multiline bool, indent string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n' && multiline:
				b.WriteByte('\n')
				b.WriteString(indent)
			case c == '\r' && multiline && i+1 < len(s) && s[i+1] == '\n':
				// CRLF: the newline does the work
			case c == '\t' && multiline:
				b.WriteString("    ")
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20 || c == 0x7f:
				b.WriteString(`\x`)
				b.WriteByte(sanHex[c>>4])
				b.WriteByte(sanHex[c&15])
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteString(`\x`)
			b.WriteByte(sanHex[c>>4])
			b.WriteByte(sanHex[c&15])
			i++
			continue
		}
		if sanNeedsEscape(r) {
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(sanHex[(r>>uint(shift))&15])
			}
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}
