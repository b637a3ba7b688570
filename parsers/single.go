package parsers

import (
	"strings"
	"time"
)

// ParseEntry parses one entry given as text — a line, or the lines of a
// multi-line entry joined by "\n" — without knowing its format: the first
// of formats (every format when none is given, specific before generic)
// whose parser accepts it wins. A container, process-manager or journald
// wrapper around the line is recognised and removed as in a file. Zoneless
// stamps are read in UTC. It is meant for single lines (rule examples,
// `faultline explain`), not for bulk input.
func ParseEntry(text string, formats ...string) (Event, bool) {
	if ev, ok := parseEntryAs(text, formats, nil); ok {
		return ev, true
	}
	for _, w := range wrappers {
		lines := strings.Split(text, "\n")
		var info wrapInfo
		inner := make([]string, 0, len(lines))
		clock := NewClock(time.UTC, "example")
		for i, l := range lines {
			var li wrapInfo
			s, ok := w.strip([]byte(l), clock, &li)
			if !ok {
				break
			}
			if i == 0 {
				info = li
			}
			inner = append(inner, string(s))
		}
		if len(inner) != len(lines) {
			continue
		}
		if ev, ok := parseEntryAs(strings.Join(inner, "\n"), formats, &info); ok {
			return ev, true
		}
	}
	return Event{Raw: []byte(text), Message: text}, false
}

func parseEntryAs(text string, formats []string, w *wrapInfo) (Event, bool) {
	var generic []*Format
	try := func(f *Format) (Event, bool) {
		clock := NewClock(time.UTC, "example")
		clock.YearRef = time.Now()
		p, err := f.New(Config{Clock: clock})
		if err != nil {
			return Event{}, false
		}
		raw := []byte(text)
		ev := Event{Source: "example", Line: 1, Format: f.ID, Raw: raw}
		if !p.Parse(raw, &ev) {
			return Event{}, false
		}
		applyWrapTime(&ev, w)
		return ev, true
	}
	for _, f := range registry {
		if len(formats) > 0 && !contains(formats, f.ID) {
			continue
		}
		if f.Generic {
			generic = append(generic, f)
			continue
		}
		if ev, ok := try(f); ok {
			return ev, true
		}
	}
	for _, f := range generic {
		if ev, ok := try(f); ok {
			return ev, true
		}
	}
	return Event{}, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
