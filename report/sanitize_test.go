package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text / path?q=1 \\ kept", "plain text / path?q=1 \\ kept"},
		{"ünïcödé ✓ 日本語 𝄞", "ünïcödé ✓ 日本語 𝄞"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"title \x1b]0;pwned\x07 end", `title \x1b]0;pwned\x07 end`},
		{"a\nb\r\nc\td", `a\nb\r\nc\td`},
		{"nul\x00 bell\x07 del\x7f", `nul\x00 bell\x07 del\x7f`},
		{"c1 \u0085 \u009b31m", `c1 \u0085 \u009b31m`},
		{"bad \xff\xfe end", `bad \xff\xfe end`},
		{"cut \xc3", `cut \xc3`},
		{"× then \x1b[2J", `× then \x1b[2J`}, // control after non-ASCII
		{"rlo \u202eexe.txt", `rlo \u202eexe.txt`},
		{"lre\u202a rle\u202b pdf\u202c lro\u202d", `lre\u202a rle\u202b pdf\u202c lro\u202d`},
		{"isolates \u2066a\u2067b\u2068c\u2069", `isolates \u2066a\u2067b\u2068c\u2069`},
		{"sep \u2028 \u2029", `sep \u2028 \u2029`},
		{"lrm \u200e kept", "lrm \u200e kept"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSanitizeLines(t *testing.T) {
	tests := []struct{ in, indent, want string }{
		{"one line", "  ", "one line"},
		{"Traceback:\n  File \"a.py\"\n\tat X", "    ", "Traceback:\n      File \"a.py\"\n        at X"},
		{"crlf\r\nnext\rlone", "", "crlf\nnext\\rlone"},
		{"esc \x1b[31m\nbidi \u202e\nbad \xff", "> ", "esc \\x1b[31m\n> bidi \\u202e\n> bad \\xff"},
		{"a\n", "", "a\n"},
	}
	for _, tt := range tests {
		if got := SanitizeLines(tt.in, tt.indent); got != tt.want {
			t.Errorf("SanitizeLines(%q, %q) = %q, want %q", tt.in, tt.indent, got, tt.want)
		}
	}
}

// TestSanitizeIsSafe: whatever the input, the output holds no control
// character (but newlines in SanitizeLines), no bidi control and is valid
// UTF-8.
func TestSanitizeIsSafe(t *testing.T) {
	var all strings.Builder
	for i := 0; i < 256; i++ {
		all.WriteByte(byte(i))
	}
	for r := rune(0x80); r < 0x3000; r++ {
		all.WriteRune(r)
	}
	inputs := []string{all.String(), hostileANSI, hostileBidi, hostileBytes, hostileScript + hostileFence}
	for _, in := range inputs {
		for _, out := range []string{Sanitize(in), SanitizeLines(in, "  ")} {
			checkTerminalSafe(t, out, true)
		}
		if strings.Contains(Sanitize(in), "\n") {
			t.Error("Sanitize kept a newline")
		}
	}
}

// checkTerminalSafe fails on any byte or rune a terminal could act on.
func checkTerminalSafe(t *testing.T, out string, allowNewline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("invalid UTF-8 in %q", out)
	}
	for _, r := range out {
		switch {
		case r == '\n' && allowNewline:
		case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
			t.Errorf("control %U in output", r)
			return
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069:
			t.Errorf("bidi control %U in output", r)
			return
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{hostileANSI, hostileBidi, hostileBytes, "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkTerminalSafe(t, Sanitize(s), false)
		checkTerminalSafe(t, SanitizeLines(s, "  "), true)
	})
}
