package rules

import (
	"sort"
	"strings"
	"time"

	"github.com/faultline/faultline/parsers"
)

// Limits of the unclassified-error groups, so memory stays bounded
// whatever the input.
const (
	MaxTemplates       = 1000 // distinct templates kept
	MaxTemplateSamples = 3
	maxTemplateLen     = 200
)

// errorWords mark an entry without a stated level as an error.
var errorWords = []string{"error", "fail", "fatal", "panic", "exception", "critical", "traceback", "denied", "refused", "timed out", "killed"}

// IsError reports whether an entry that no rule matched should be kept as
// an unclassified error: a stated level of error or worse, or no stated
// level and an error word in the message. Access-log lines never are
// (their 5xx are symptoms, counted elsewhere).
func IsError(ev *parsers.Event) bool {
	if ev.Format == parsers.FormatNginxAccess || ev.Format == parsers.FormatApacheAccess || ev.Status > 0 && ev.Message == "" {
		return false
	}
	if ev.Level != parsers.LevelUnknown {
		return ev.Level >= parsers.LevelError
	}
	msg := firstLine(ev.Message)
	if len(msg) > 512 {
		msg = msg[:512]
	}
	var buf [8]int32
	return len(errorWordSet.appendHits(buf[:0], msg)) > 0
}

// errorWordSet finds any of errorWords in one case-insensitive pass.
var errorWordSet = newLiteralSet(errorWords)

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Template masks the variable parts of a message — numbers, hex, ids, IP
// addresses, paths, quoted strings — so that messages that differ only in
// them group together: `open() "/var/www/a.php" failed (13: Permission
// denied)` → `open() "<str>" failed (<n>: Permission denied)`.
func Template(msg string) string {
	msg = firstLine(msg)
	var b strings.Builder
	b.Grow(min(len(msg), maxTemplateLen))
	for i := 0; i < len(msg) && b.Len() < maxTemplateLen; {
		c := msg[i]
		switch {
		case c == '"' || c == '\'':
			if j := strings.IndexByte(msg[i+1:], c); j >= 0 {
				b.WriteByte(c)
				b.WriteString("<str>")
				b.WriteByte(c)
				i += j + 2
				continue
			}
		case c == '/' && (i == 0 || msg[i-1] == ' ' || msg[i-1] == '(' || msg[i-1] == '=' || msg[i-1] == ':'):
			j := i + 1
			for j < len(msg) && msg[j] != ' ' && msg[j] != ',' && msg[j] != ')' && msg[j] != '"' && msg[j] != '\'' {
				j++
			}
			if j-i > 1 {
				b.WriteString("<path>")
				i = j
				continue
			}
		case isHexWordStart(msg, i):
			j := i
			for j < len(msg) && (isHex(msg[j]) || msg[j] == '-' || msg[j] == 'x' || msg[j] == '.' || msg[j] == ':') {
				j++
			}
			for j > i+1 && (msg[j-1] == '.' || msg[j-1] == ':' || msg[j-1] == '-') {
				j-- // sentence punctuation, not part of the value
			}
			word := msg[i:j]
			if hasDigit(word) {
				b.WriteString(maskKind(word))
				i = j
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// isHexWordStart reports a word boundary before a hex/digit character.
func isHexWordStart(s string, i int) bool {
	if !isHex(s[i]) {
		return false
	}
	if i > 0 {
		p := s[i-1]
		if p >= 'a' && p <= 'z' || p >= 'A' && p <= 'Z' || p == '_' {
			return false
		}
	}
	// the word must not continue with letters beyond hex (e.g. "default")
	j := i
	for j < len(s) && (isHex(s[j]) || s[j] == '-' || s[j] == 'x' || s[j] == '.' || s[j] == ':') {
		j++
	}
	if j < len(s) {
		n := s[j]
		if n >= 'g' && n <= 'z' || n >= 'G' && n <= 'Z' || n == '_' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// maskKind names what a masked word was.
func maskKind(w string) string {
	w = strings.TrimRight(w, ".:-")
	dots, colons, digitsOnly := strings.Count(w, "."), strings.Count(w, ":"), true
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			digitsOnly = false
		}
	}
	switch {
	case digitsOnly:
		return "<n>"
	case dots == 3 || colons >= 2:
		return "<ip>"
	case strings.Count(w, "-") == 4 && len(w) == 36:
		return "<uuid>"
	case strings.HasPrefix(w, "0x") || len(w) >= 8:
		return "<hex>"
	}
	return "<n>"
}

// Sample is one evidence line: where it is and what it said.
type Sample struct {
	Source string    `json:"source"`
	Line   int64     `json:"line"`
	Time   time.Time `json:"time,omitzero"`
	Raw    string    `json:"raw"`
}

// NewSample copies what evidence needs from an event (capped in length).
func NewSample(ev *parsers.Event) Sample {
	raw := ev.Raw
	const maxRaw = 2000
	if len(raw) > maxRaw {
		raw = raw[:maxRaw]
	}
	return Sample{Source: ev.Source, Line: ev.Line, Time: ev.Time, Raw: string(raw)}
}

// Group is one template of unclassified errors.
type Group struct {
	Template string    `json:"template"`
	Format   string    `json:"format"`
	Count    int64     `json:"count"`
	First    time.Time `json:"first,omitzero"`
	Last     time.Time `json:"last,omitzero"`
	Samples  []Sample  `json:"samples"`
}

// Unclassified groups error entries that no rule matched. Memory is bounded
// by MaxTemplates; entries of templates beyond it are counted in Overflow.
// It is not safe for concurrent use.
type Unclassified struct {
	groups   map[string]*Group
	Overflow int64
}

// NewUnclassified returns an empty grouping.
func NewUnclassified() *Unclassified { return &Unclassified{groups: map[string]*Group{}} }

// Add records an unmatched error entry.
func (u *Unclassified) Add(ev *parsers.Event) {
	msg := ev.Message
	if msg == "" {
		msg = string(ev.Raw)
	}
	key := ev.Format + "\x00" + Template(msg)
	g, ok := u.groups[key]
	if !ok {
		if len(u.groups) >= MaxTemplates {
			u.Overflow++
			return
		}
		g = &Group{Template: key[len(ev.Format)+1:], Format: ev.Format}
		u.groups[key] = g
	}
	g.Count++
	if !ev.Time.IsZero() {
		if g.First.IsZero() || ev.Time.Before(g.First) {
			g.First = ev.Time
		}
		if ev.Time.After(g.Last) {
			g.Last = ev.Time
		}
	}
	if len(g.Samples) < MaxTemplateSamples {
		g.Samples = append(g.Samples, NewSample(ev))
	}
}

// Merge adds the groups of o (a parallel worker's) to u.
func (u *Unclassified) Merge(o *Unclassified) {
	u.Overflow += o.Overflow
	for key, og := range o.groups {
		g, ok := u.groups[key]
		if !ok {
			if len(u.groups) >= MaxTemplates {
				u.Overflow += og.Count
				continue
			}
			cp := *og
			u.groups[key] = &cp
			continue
		}
		g.Count += og.Count
		if !og.First.IsZero() && (g.First.IsZero() || og.First.Before(g.First)) {
			g.First = og.First
		}
		if og.Last.After(g.Last) {
			g.Last = og.Last
		}
		for _, s := range og.Samples {
			if len(g.Samples) < MaxTemplateSamples {
				g.Samples = append(g.Samples, s)
			}
		}
	}
}

// Groups returns the groups, most frequent first.
func (u *Unclassified) Groups() []*Group {
	out := make([]*Group, 0, len(u.groups))
	for _, g := range u.groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Template < out[j].Template
	})
	return out
}
