package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/faultline/faultline/parsers"
)

// ExampleFailure is a rule example that did not behave.
type ExampleFailure struct {
	Rule    *Rule
	Example string
	// Want is true for a match example, false for a no_match one.
	Want    bool
	Problem string
}

// SelfTest runs the examples of the rules whose ids are in only (every rule
// when only is nil). A match example must be parsed as one of the rule's
// formats, matched by the rule, and classified by the whole engine as the
// rule's cause (a higher-priority rule of another cause would steal it); a
// no_match example must not be matched by the rule. A rule without match
// examples fails too.
func (e *Engine) SelfTest(only map[string]bool) []ExampleFailure {
	var out []ExampleFailure
	for _, c := range e.rules {
		r := c.rule
		if only != nil && !only[r.ID] {
			continue
		}
		if len(r.Examples.Match) == 0 {
			out = append(out, ExampleFailure{Rule: r, Want: true, Problem: "no match examples: every rule needs real lines it matches"})
		}
		for _, ex := range r.Examples.Match {
			ev, parsed := parsers.ParseEntry(ex, r.Formats...)
			if len(r.Formats) > 0 && !parsed {
				out = append(out, ExampleFailure{r, ex, true, fmt.Sprintf("not understood as %s", strings.Join(r.Formats, " or "))})
				continue
			}
			if _, ok := c.matchAlone(&ev); !ok {
				out = append(out, ExampleFailure{r, ex, true, "the rule does not match it" + c.whyNot(&ev)})
				continue
			}
			if f, ok := e.Match(&ev); !ok || f.Cause != r.Cause {
				out = append(out, ExampleFailure{r, ex, true, fmt.Sprintf("the engine gives it to rule %s (cause %s), which has priority", f.Rule, f.Cause)})
			}
		}
		for _, ex := range r.Examples.NoMatch {
			// parsed as whatever it is, so that the rule's scope is tested too
			ev, _ := parsers.ParseEntry(ex)
			if _, ok := c.matchAlone(&ev); ok {
				out = append(out, ExampleFailure{r, ex, false, "the rule matches it"})
			}
		}
	}
	return out
}

// matchAlone matches ev against this rule only (no prefilter, no priority).
func (c *compiled) matchAlone(ev *parsers.Event) (Finding, bool) {
	text := matchText(ev)
	var m uint64
	for i, lit := range c.lits {
		if containsFold(text, lit, true) {
			m |= 1 << i
		}
	}
	if m&c.need != c.need || (c.anyMask != 0 && m&c.anyMask == 0) {
		return Finding{}, false
	}
	return c.match(ev, text, 1<<formatIndex[ev.Format])
}

// whyNot explains the first check an entry fails, for test output.
func (c *compiled) whyNot(ev *parsers.Event) string {
	text := matchText(ev)
	scope := c.formats
	if scope == 0 {
		scope = defaultScope
	}
	if scope&(1<<formatIndex[ev.Format]) == 0 {
		f := ev.Format
		if f == "" {
			f = "unparsed"
		}
		return fmt.Sprintf(" (parsed as %s, outside the rule's formats)", f)
	}
	for _, lit := range c.rule.Contains {
		if !containsFold(text, lit, c.rule.IgnoreCase) {
			return fmt.Sprintf(" (literal %q not found)", lit)
		}
	}
	for _, ex := range c.rule.Exclude {
		if containsFold(text, ex, c.rule.IgnoreCase) {
			return fmt.Sprintf(" (excluded by %q)", ex)
		}
	}
	if c.minLevel != parsers.LevelUnknown && ev.Level != parsers.LevelUnknown && ev.Level < c.minLevel {
		return fmt.Sprintf(" (level %s below min_level %s)", ev.Level, c.minLevel)
	}
	if c.re != nil || c.re2 != nil {
		return " (the regex does not match)"
	}
	return ""
}

// LintIssue is a problem or a weakness of a rule.
type LintIssue struct {
	Rule  *Rule
	Error bool // false: a warning
	Msg   string
}

// Lint reviews rules beyond what Compile enforces: examples present,
// literals that make the prefilter effective, regexp2 only where needed,
// rules that shadow each other.
func (e *Engine) Lint(only map[string]bool) []LintIssue {
	var out []LintIssue
	bySet := map[string]*Rule{}
	for _, c := range e.rules {
		r := c.rule
		if only != nil && !only[r.ID] {
			continue
		}
		add := func(isErr bool, format string, a ...any) {
			out = append(out, LintIssue{Rule: r, Error: isErr, Msg: fmt.Sprintf(format, a...)})
		}
		if len(r.Examples.Match) == 0 {
			add(true, "no match examples")
		}
		if len(r.Examples.NoMatch) == 0 {
			add(false, "no no_match examples: add a near-miss real line the rule must ignore")
		}
		if len(c.lits) == 0 {
			add(false, "no contains/any literal: its regex runs on every entry; add a literal the regex needs")
		}
		for _, lit := range c.lits {
			if len(lit) < 4 {
				add(false, "literal %q is short; the prefilter lets many lines through", lit)
			}
		}
		if c.re2 != nil {
			if _, err := regexp.Compile(r.Regex); err == nil {
				add(false, "engine: regexp2 is not needed, RE2 compiles this regex (and is linear-time)")
			}
		}
		if !validID(r.ID) {
			add(false, "id %q: use lower-case words joined by '-'", r.ID)
		}
		key := strings.Join(r.Formats, ",") + "|" + strings.ToLower(strings.Join(c.lits, "\x00")) + "|" + r.Regex
		if prev, ok := bySet[key]; ok && len(r.Exclude) == 0 {
			add(true, "same formats, literals and regex as rule %s (%s): one of them never wins", prev.ID, prev.Where())
		}
		bySet[key] = r
	}
	return out
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func validID(id string) bool { return idPattern.MatchString(id) }
