package rules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/dlclark/regexp2/v2"
	"github.com/faultline/faultline/parsers"
)

// Regexp2Timeout bounds every regexp2 match; a match that takes longer is
// abandoned, counted against its rule and reported, never fatal.
const Regexp2Timeout = 50 * time.Millisecond

// maxLiterals is the most literals (contains + any) one rule may have.
const maxLiterals = 64

// Finding is an entry a rule matched: its cause and the fields the rule
// extracted (DESIGN §2).
type Finding struct {
	Event *parsers.Event
	Rule  string
	Cause string
	Kind  Kind
	Layer Layer
	// Fields are the rule's named regex groups (upstream, socket, errno,
	// pid, pool, database host …).
	Fields []parsers.Field
}

// Field returns the value of an extracted field, or "".
func (f *Finding) Field(key string) string {
	for _, kv := range f.Fields {
		if kv.Key == key {
			return kv.Value
		}
	}
	return ""
}

// compiled is a rule ready to run.
type compiled struct {
	rule     *Rule
	cause    *Cause
	formats  uint64 // bit per format index; 0 = default scope
	need     uint64 // literal slots that must all be seen
	anyMask  uint64 // literal slots of which one must be seen
	lits     []string
	minLevel parsers.Level
	re       *regexp.Regexp
	re2      *regexp2.Regexp
	groups   []string // named groups, by submatch index
	timeouts atomic.Int64
}

// litRef says which rule slot a prefilter pattern stands for.
type litRef struct {
	rule int32
	slot uint8
}

// Engine matches entries against every rule at once. It is safe for
// concurrent use.
type Engine struct {
	cat    *Catalogue
	rules  []*compiled // in priority order
	lits   *literalSet
	refs   [][]litRef // per prefilter pattern
	always []int32    // rules without literals: tried on every entry
	// scopes has the bit of every format some rule reads: entries of other
	// formats (access logs, with the default rules) skip the prefilter.
	scopes  uint64
	scratch sync.Pool
}

// formatIndex gives each format a bit; bit 0 is "unparsed".
var formatIndex = func() map[string]int {
	m := map[string]int{"": 0}
	for i, f := range parsers.Formats() {
		m[f.ID] = i + 1
	}
	return m
}()

// defaultScope is every format but the access logs.
var defaultScope = func() uint64 {
	var m uint64
	for id, i := range formatIndex {
		if id != parsers.FormatNginxAccess && id != parsers.FormatApacheAccess {
			m |= 1 << i
		}
	}
	return m
}()

// Compile checks the rules against the catalogue and builds the matcher.
// Errors name the rule's file and line.
func Compile(cat *Catalogue, rules []*Rule) (*Engine, error) {
	e := &Engine{cat: cat}
	seen := map[string]*Rule{}
	for _, r := range rules {
		if r.ID == "" {
			return nil, &LoadError{File: r.File, Line: r.Line, Msg: "rule without id"}
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, &LoadError{File: r.File, Line: r.Line, Msg: fmt.Sprintf("duplicate rule id %q (first defined at %s)", r.ID, prev.Where())}
		}
		seen[r.ID] = r
		c, err := compileRule(cat, r)
		if err != nil {
			return nil, &LoadError{File: r.File, Line: r.Line, Msg: fmt.Sprintf("rule %q: %v", r.ID, err)}
		}
		e.rules = append(e.rules, c)
	}
	sort.SliceStable(e.rules, func(i, j int) bool { return before(e.rules[i], e.rules[j]) })

	// one prefilter over the distinct folded literals of all rules
	patIndex := map[string]int{}
	var patterns []string
	for ri, c := range e.rules {
		e.scopes |= c.scope()
		if len(c.lits) == 0 {
			e.always = append(e.always, int32(ri))
			continue
		}
		for slot, lit := range c.lits {
			// ASCII folding only, as the automaton folds the text:
			// strings.ToLower would turn "É" into "é" (and invalid UTF-8
			// into U+FFFD), which the text's bytes never match
			key := asciiLower(lit)
			pi, ok := patIndex[key]
			if !ok {
				pi = len(patterns)
				patIndex[key] = pi
				patterns = append(patterns, key)
				e.refs = append(e.refs, nil)
			}
			e.refs[pi] = append(e.refs[pi], litRef{int32(ri), uint8(slot)})
		}
	}
	e.lits = newLiteralSet(patterns)
	e.scratch.New = func() any { return &scratch{masks: make([]uint64, len(e.rules))} }
	return e, nil
}

// asciiLower folds ASCII upper-case letters and keeps every other byte.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = fold(c)
	}
	return string(b)
}

// scope is the bit set of formats the rule reads.
func (c *compiled) scope() uint64 {
	if c.formats == 0 {
		return defaultScope
	}
	return c.formats
}

// before is the documented priority between rules that match one entry:
// a higher Priority first; then rules limited to formats before rules for
// every format; then rules with more literal evidence; then file order.
func before(a, b *compiled) bool {
	if a.rule.Priority != b.rule.Priority {
		return a.rule.Priority > b.rule.Priority
	}
	if (a.formats != 0) != (b.formats != 0) {
		return a.formats != 0
	}
	return len(a.lits) > len(b.lits)
}

func compileRule(cat *Catalogue, r *Rule) (*compiled, error) {
	cause := cat.Get(r.Cause)
	if cause == nil {
		msg := fmt.Sprintf("unknown cause %q", r.Cause)
		if s := cat.Suggest(r.Cause); len(s) > 0 {
			msg += " (did you mean " + strings.Join(s, ", ") + "?)"
		}
		return nil, fmt.Errorf("%s; `faultline explain` lists the causes", msg)
	}
	c := &compiled{rule: r, cause: cause}
	for _, f := range r.Formats {
		i, ok := formatIndex[f]
		if !ok || f == "" {
			return nil, fmt.Errorf("unknown format %q", f)
		}
		c.formats |= 1 << i
	}
	for _, lit := range r.Contains {
		if lit == "" {
			return nil, fmt.Errorf("empty literal in contains")
		}
		c.need |= 1 << len(c.lits)
		c.lits = append(c.lits, lit)
	}
	for _, lit := range r.Any {
		if lit == "" {
			return nil, fmt.Errorf("empty literal in any")
		}
		c.anyMask |= 1 << len(c.lits)
		c.lits = append(c.lits, lit)
	}
	if len(c.lits) > maxLiterals {
		return nil, fmt.Errorf("%d literals; at most %d", len(c.lits), maxLiterals)
	}
	if len(c.lits) == 0 && r.Regex == "" {
		return nil, fmt.Errorf("needs contains, any or regex")
	}
	if r.MinLevel != "" {
		if c.minLevel = parsers.ParseLevel(r.MinLevel); c.minLevel == parsers.LevelUnknown {
			return nil, fmt.Errorf("unknown min_level %q", r.MinLevel)
		}
	}
	if r.Regex != "" {
		switch r.Engine {
		case "", "re2":
			expr := r.Regex
			if r.IgnoreCase {
				expr = "(?i)" + expr
			}
			re, err := regexp.Compile(expr)
			if err != nil {
				return nil, fmt.Errorf("regex does not compile (RE2; use engine: regexp2 for look-arounds or back-references): %v", err)
			}
			c.re, c.groups = re, re.SubexpNames()
		case "regexp2":
			opts := []regexp2.CompileOption{}
			if r.IgnoreCase {
				opts = append(opts, regexp2.IgnoreCase)
			}
			re, err := regexp2.Compile(r.Regex, opts...)
			if err != nil {
				return nil, fmt.Errorf("regex does not compile (regexp2): %v", err)
			}
			re.MatchTimeout = Regexp2Timeout
			c.re2 = re
		default:
			return nil, fmt.Errorf("unknown engine %q (re2 or regexp2)", r.Engine)
		}
	} else if r.Engine != "" {
		return nil, fmt.Errorf("engine %q without regex", r.Engine)
	}
	return c, nil
}

// maxKeptHits bounds the hit buffer a scratch keeps between calls.
const maxKeptHits = 1 << 12

// scratch is per-call matching state.
type scratch struct {
	hits    []int32  // prefilter patterns found, with repeats
	masks   []uint64 // literal slots seen, per rule
	touched []int32  // rules with a non-zero mask
	cands   []int32  // rules whose literal conditions hold
}

// matchText is what rules read: the raw entry, except for entries whose raw
// form is JSON (app-json, journalctl -o json), where the decoded message
// (with error details appended by the parser) is read instead.
func matchText(ev *parsers.Event) string {
	if len(ev.Raw) > 0 && ev.Raw[0] == '{' && ev.Message != "" {
		return ev.Message
	}
	return unsafe.String(unsafe.SliceData(ev.Raw), len(ev.Raw))
}

// Match returns the finding of the highest-priority rule that matches ev.
//
// The prefilter finds every rule literal in the text in one pass; only the
// rules whose contains/any conditions it satisfies are checked further, in
// priority order. Entries of a format no rule reads are not scanned at all.
func (e *Engine) Match(ev *parsers.Event) (Finding, bool) {
	fbit := uint64(1) << formatIndex[ev.Format]
	if e.scopes&fbit == 0 {
		return Finding{}, false
	}
	text := matchText(ev)
	sc := e.scratch.Get().(*scratch)
	sc.hits = e.lits.appendHits(sc.hits[:0], text)
	masks, touched := sc.masks, sc.touched[:0]
	for _, p := range sc.hits {
		for _, ref := range e.refs[p] {
			if masks[ref.rule] == 0 {
				touched = append(touched, ref.rule)
			}
			masks[ref.rule] |= 1 << ref.slot
		}
	}
	cands := sc.cands[:0]
	for _, ri := range touched {
		c, m := e.rules[ri], masks[ri]
		masks[ri] = 0
		if m&c.need == c.need && (c.anyMask == 0 || m&c.anyMask != 0) {
			cands = append(cands, ri)
		}
	}
	cands = append(cands, e.always...)
	if len(cands) > 1 {
		slices.Sort(cands) // rule index order is priority order
	}
	var found Finding
	ok := false
	for _, ri := range cands {
		if f, hit := e.rules[ri].match(ev, text, fbit); hit {
			found, ok = f, true
			break
		}
	}
	sc.touched, sc.cands = touched[:0], cands[:0]
	if cap(sc.hits) > maxKeptHits {
		sc.hits = nil // a huge entry's hits are not kept for the next
	}
	e.scratch.Put(sc)
	return found, ok
}

// match runs the checks after the prefilter: scope, level, exact-case
// literals, exclusions and the regex.
func (c *compiled) match(ev *parsers.Event, text string, fbit uint64) (Finding, bool) {
	if c.scope()&fbit == 0 {
		return Finding{}, false
	}
	if c.minLevel != parsers.LevelUnknown && ev.Level != parsers.LevelUnknown && ev.Level < c.minLevel {
		return Finding{}, false
	}
	r := c.rule
	if !r.IgnoreCase && !c.exactCase(text) {
		return Finding{}, false
	}
	for _, ex := range r.Exclude {
		if containsFold(text, ex, r.IgnoreCase) {
			return Finding{}, false
		}
	}
	f := Finding{Event: ev, Rule: r.ID, Cause: c.cause.ID, Kind: c.cause.Kind(), Layer: c.cause.Layer}
	switch {
	case c.re != nil:
		if len(c.groups) <= 1 {
			if !c.re.MatchString(text) {
				return Finding{}, false
			}
			break
		}
		loc := c.re.FindStringSubmatchIndex(text)
		if loc == nil {
			return Finding{}, false
		}
		for g, name := range c.groups {
			if name != "" && loc[2*g] >= 0 && loc[2*g+1] > loc[2*g] {
				f.Fields = append(f.Fields, parsers.Field{Key: name, Value: text[loc[2*g]:loc[2*g+1]]})
			}
		}
	case c.re2 != nil:
		m, err := c.re2.FindStringMatch(text)
		if err != nil {
			c.timeouts.Add(1)
			return Finding{}, false
		}
		if m == nil {
			return Finding{}, false
		}
		for _, g := range m.Groups() {
			if g.Name != "" && !isNumber(g.Name) && g.RuneLength > 0 {
				f.Fields = append(f.Fields, parsers.Field{Key: g.Name, Value: g.String()})
			}
		}
	}
	return f, true
}

// exactCase verifies the literals with their case: the prefilter ignores
// case, rules without ignore_case do not.
func (c *compiled) exactCase(text string) bool {
	anyOK := c.anyMask == 0
	for i, lit := range c.lits {
		bit := uint64(1) << i
		switch {
		case c.need&bit != 0:
			if !strings.Contains(text, lit) {
				return false
			}
		case !anyOK && strings.Contains(text, lit):
			anyOK = true
		}
	}
	return anyOK
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// containsFold reports whether sub occurs in s, ignoring ASCII case when
// fold is set.
func containsFold(s, sub string, fold bool) bool {
	if !fold {
		return strings.Contains(s, sub)
	}
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], sub) {
			return true
		}
	}
	return false
}

// Catalogue returns the catalogue the engine was built with.
func (e *Engine) Catalogue() *Catalogue { return e.cat }

// Rules returns the rules in priority order.
func (e *Engine) Rules() []*Rule {
	out := make([]*Rule, len(e.rules))
	for i, c := range e.rules {
		out[i] = c.rule
	}
	return out
}

// Rule returns the rule with id, or nil.
func (e *Engine) Rule(id string) *Rule {
	for _, c := range e.rules {
		if c.rule.ID == id {
			return c.rule
		}
	}
	return nil
}

// Timeouts returns, per rule id, how many regexp2 matches timed out.
func (e *Engine) Timeouts() map[string]int64 {
	out := map[string]int64{}
	for _, c := range e.rules {
		if n := c.timeouts.Load(); n > 0 {
			out[c.rule.ID] = n
		}
	}
	return out
}
