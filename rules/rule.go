package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Rule is one entry of a rule file (DESIGN §6).
type Rule struct {
	// ID names the rule; a user rule with a built-in rule's id replaces it.
	ID string `yaml:"id" json:"id"`
	// Cause is a catalogue id (or a change marker id).
	Cause string `yaml:"cause" json:"cause"`
	// Formats limits the rule to entries of these formats. Empty means
	// every format except the access logs, whose lines only rules that name
	// them see (an URL must not look like an error).
	Formats []string `yaml:"formats,omitempty" json:"formats,omitempty"`
	// Contains are literals that must all occur (the fast path).
	Contains []string `yaml:"contains,omitempty" json:"contains,omitempty"`
	// Any are literals of which at least one must occur.
	Any []string `yaml:"any,omitempty" json:"any,omitempty"`
	// Exclude are literals none of which may occur.
	Exclude []string `yaml:"exclude,omitempty" json:"exclude,omitempty"`
	// IgnoreCase makes the literals and the regex case-insensitive.
	IgnoreCase bool `yaml:"ignore_case,omitempty" json:"ignore_case,omitempty"`
	// Regex must match too; named groups become finding fields.
	Regex string `yaml:"regex,omitempty" json:"regex,omitempty"`
	// Engine is "re2" (default, Go's regexp) or "regexp2" for patterns RE2
	// cannot express (look-arounds, back-references); regexp2 always runs
	// with a match timeout.
	Engine string `yaml:"engine,omitempty" json:"engine,omitempty"`
	// MinLevel, when set, skips entries whose stated level is below it.
	MinLevel string `yaml:"min_level,omitempty" json:"min_level,omitempty"`
	// Priority decides between rules that match the same entry: higher
	// first (default 0).
	Priority int `yaml:"priority,omitempty" json:"priority,omitempty"`
	// Description is an optional note for people.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Examples are real lines the rule must and must not match.
	Examples Examples `yaml:"examples" json:"examples"`

	// File and Line locate the rule's definition.
	File string `yaml:"-" json:"file"`
	Line int    `yaml:"-" json:"line"`
	// Builtin is true for the embedded default rules.
	Builtin bool `yaml:"-" json:"builtin"`
}

// Examples are a rule's self-tests.
type Examples struct {
	Match   []string `yaml:"match" json:"match"`
	NoMatch []string `yaml:"no_match" json:"no_match"`
}

// Where is "file:line" of the rule.
func (r *Rule) Where() string { return fmt.Sprintf("%s:%d", r.File, r.Line) }

// LoadError is a rule file that cannot be used; the run stops with exit 2.
type LoadError struct {
	File string
	Line int
	Msg  string
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// ParseRuleFile reads the rules of one YAML file. Each rule remembers its
// file and line.
func ParseRuleFile(name string, data []byte) ([]*Rule, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, err)
	}
	var out []*Rule
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		seq, ok := doc.Body.(*ast.SequenceNode)
		if !ok {
			return nil, &LoadError{File: name, Line: doc.Body.GetToken().Position.Line, Msg: "a rule file is a YAML list of rules (- id: …)"}
		}
		for _, node := range seq.Values {
			r := &Rule{}
			if err := yaml.NodeToValue(node, r, yaml.DisallowUnknownField()); err != nil {
				return nil, yamlError(name, err)
			}
			r.File, r.Line = name, node.GetToken().Position.Line
			out = append(out, r)
		}
	}
	return out, nil
}

// yamlError turns a YAML error into a LoadError with the line it names.
func yamlError(name string, err error) error {
	msg := yaml.FormatError(err, false, false)
	line := 0
	// goccy errors start with "[line:column] message"
	if strings.HasPrefix(msg, "[") {
		if end := strings.IndexByte(msg, ']'); end > 0 {
			fmt.Sscanf(msg[1:end], "%d:", &line)
			msg = strings.TrimSpace(msg[end+1:])
		}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &LoadError{File: name, Line: line, Msg: msg}
}

// DefaultRules returns the embedded rules.
func DefaultRules() ([]*Rule, error) {
	entries, err := fs.ReadDir(defaultRules, ".")
	if err != nil {
		return nil, err
	}
	var out []*Rule
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		data, err := defaultRules.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		rs, err := ParseRuleFile("rules/"+e.Name(), data)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			r.Builtin = true
		}
		out = append(out, rs...)
	}
	return out, nil
}

// LoadDir reads every *.yaml and *.yml file in dir (not recursively), in
// name order. A missing dir is an error; use DefaultUserDir's result only
// when it exists.
func LoadDir(dir string) ([]*Rule, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &LoadError{File: dir, Msg: "cannot read rules directory: " + errText(err)}
	}
	if !st.IsDir() {
		data, err := os.ReadFile(dir)
		if err != nil {
			return nil, &LoadError{File: dir, Msg: errText(err)}
		}
		return ParseRuleFile(dir, data)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &LoadError{File: dir, Msg: errText(err)}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []*Rule
	for _, n := range names {
		p := filepath.Join(dir, n)
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, &LoadError{File: p, Msg: errText(err)}
		}
		rs, err := ParseRuleFile(p, data)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// DefaultUserDir is $XDG_CONFIG_HOME/faultline/rules (~/.config/… when the
// variable is unset).
func DefaultUserDir() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "faultline", "rules")
}

// Merge adds user rules to the defaults: a user rule with a default rule's
// id replaces it in place; two user rules with one id are an error.
func Merge(defaults, user []*Rule) ([]*Rule, error) {
	out := append([]*Rule(nil), defaults...)
	index := map[string]int{}
	for i, r := range out {
		index[r.ID] = i
	}
	seenUser := map[string]*Rule{}
	for _, r := range user {
		if prev, dup := seenUser[r.ID]; dup {
			return nil, &LoadError{File: r.File, Line: r.Line, Msg: fmt.Sprintf("duplicate rule id %q (first defined at %s)", r.ID, prev.Where())}
		}
		seenUser[r.ID] = r
		if i, ok := index[r.ID]; ok {
			out[i] = r
			continue
		}
		index[r.ID] = len(out)
		out = append(out, r)
	}
	return out, nil
}

// Load returns the default rules merged with the user rules of dirs (in
// order), and the catalogue, compiled into an engine.
func Load(dirs ...string) (*Engine, error) {
	cat, err := DefaultCatalogue()
	if err != nil {
		return nil, err
	}
	rs, err := DefaultRules()
	if err != nil {
		return nil, err
	}
	var user []*Rule
	for _, d := range dirs {
		u, err := LoadDir(d)
		if err != nil {
			return nil, err
		}
		user = append(user, u...)
	}
	if rs, err = Merge(rs, user); err != nil {
		return nil, err
	}
	return Compile(cat, rs)
}
