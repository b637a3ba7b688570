package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
	"github.com/goccy/go-yaml"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"
)

func newRulesCmd() *cobra.Command {
	var dirs []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List, show, test and lint the classification rules",
		Long: `Rules map log entries to causes. The built-in rules are embedded; --rules DIR
(and $XDG_CONFIG_HOME/faultline/rules when it exists) adds user rules, and a
user rule with a built-in rule's id replaces it. See the README for the rule
file format.`,
	}
	cmd.PersistentFlags().StringArrayVar(&dirs, "rules", nil, "directory (or file) of user rules added to the built-in ones; repeatable")
	list := &cobra.Command{
		Use:   "list",
		Short: "List every rule with its cause, layer and formats",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := loadEngine(dirs)
			if err != nil {
				return err
			}
			return listRules(cmd.OutOrStdout(), e)
		},
	}
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one rule in full, with its cause",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := loadEngine(dirs)
			if err != nil {
				return err
			}
			r := e.Rule(args[0])
			if r == nil {
				return usageErr("no rule %q (faultline rules list shows them)", args[0])
			}
			return showRule(cmd.OutOrStdout(), e, r)
		},
	}
	test := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Run the rules' examples (DIR: only the rules there, merged with the built-ins)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, only, err := engineFor(dirs, args)
			if err != nil {
				return err
			}
			return testRules(cmd.OutOrStdout(), e, only)
		},
	}
	lint := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check rules for mistakes and weaknesses (DIR: only the rules there)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, only, err := engineFor(dirs, args)
			if err != nil {
				return err
			}
			return lintRules(cmd.OutOrStdout(), e, only)
		},
	}
	cmd.AddCommand(list, show, test, lint)
	return cmd
}

// engineFor loads the engine, with DIR's rules added when given, and the
// set of rule ids to test (DIR's, or all).
func engineFor(dirs, args []string) (*rules.Engine, map[string]bool, error) {
	if len(args) == 0 {
		e, err := loadEngine(dirs)
		return e, nil, err
	}
	user, err := rules.LoadDir(args[0])
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, err: fmt.Errorf("rules: %w", err)}
	}
	e, err := loadEngine(append(append([]string{}, dirs...), args[0]))
	if err != nil {
		return nil, nil, err
	}
	only := map[string]bool{}
	for _, r := range user {
		only[r.ID] = true
	}
	return e, only, nil
}

func newTable(w io.Writer, header ...string) *tablewriter.Table {
	t := tablewriter.NewTable(w, tablewriter.WithRowAutoWrap(tw.WrapNormal), tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header(header)
	return t
}

func listRules(w io.Writer, e *rules.Engine) error {
	t := newTable(w, "ID", "Cause", "Layer", "Formats", "Defined at")
	rs := e.Rules()
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	for _, r := range rs {
		formats := strings.Join(r.Formats, ", ")
		if formats == "" {
			formats = "all but access logs"
		}
		layer := ""
		if c := e.Catalogue().Get(r.Cause); c != nil {
			layer = string(c.Layer)
		}
		if err := t.Append([]string{r.ID, r.Cause, layer, formats, r.Where()}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d rules\n", len(rs))
	return err
}

func showRule(w io.Writer, e *rules.Engine, r *rules.Rule) error {
	fmt.Fprintf(w, "# %s (%s)\n", r.ID, r.Where())
	if c := e.Catalogue().Get(r.Cause); c != nil {
		fmt.Fprintf(w, "# cause: %s — %s [%s]\n", c.ID, c.Title, c.Layer.Title())
	}
	b, err := yaml.Marshal([]*rules.Rule{r})
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func testRules(w io.Writer, e *rules.Engine, only map[string]bool) error {
	fails := e.SelfTest(only)
	n, examples := 0, 0
	for _, r := range e.Rules() {
		if only == nil || only[r.ID] {
			n++
			examples += len(r.Examples.Match) + len(r.Examples.NoMatch)
		}
	}
	if len(fails) == 0 {
		_, err := fmt.Fprintf(w, "ok: %d rules, %d examples\n", n, examples)
		return err
	}
	t := newTable(w, "Rule", "Defined at", "Example", "Expected", "Problem")
	for _, f := range fails {
		want := "match"
		if !f.Want {
			want = "no match"
		}
		if err := t.Append([]string{f.Rule.ID, f.Rule.Where(), clip(f.Example, 90), want, f.Problem}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	return &exitError{code: exitIncident, err: fmt.Errorf("%d of %d examples failed", len(fails), examples)}
}

func lintRules(w io.Writer, e *rules.Engine, only map[string]bool) error {
	issues := e.Lint(only)
	if len(issues) == 0 {
		_, err := fmt.Fprintln(w, "ok: no issues")
		return err
	}
	t := newTable(w, "Rule", "Defined at", "Severity", "Issue")
	errs := 0
	for _, is := range issues {
		sev := "warning"
		if is.Error {
			sev, errs = "error", errs+1
		}
		if err := t.Append([]string{is.Rule.ID, is.Rule.Where(), sev, is.Msg}); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	if errs > 0 {
		return &exitError{code: exitIncident, err: fmt.Errorf("%d errors, %d warnings", errs, len(issues)-errs)}
	}
	return nil
}

// clip shortens s for a table cell, on one line.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", "⏎")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func newExplainCmd() *cobra.Command {
	var dirs []string
	cmd := &cobra.Command{
		Use:   "explain CAUSE-ID",
		Short: "What a cause means, what to check first, how to fix it, and example lines",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := loadEngine(dirs)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if len(args) == 0 {
				return listCauses(w, e)
			}
			c := e.Catalogue().Get(args[0])
			if c == nil {
				msg := fmt.Sprintf("unknown cause %q", args[0])
				if s := e.Catalogue().Suggest(args[0]); len(s) > 0 {
					msg += " (did you mean " + strings.Join(s, ", ") + "?)"
				}
				return usageErr("%s; `faultline explain` lists them", msg)
			}
			return explainCause(w, e, c)
		},
	}
	cmd.Flags().StringArrayVar(&dirs, "rules", nil, "directory of user rules (their examples are shown too)")
	return cmd
}

func listCauses(w io.Writer, e *rules.Engine) error {
	t := newTable(w, "Cause", "Layer", "Statuses", "Title")
	for _, c := range e.Catalogue().All() {
		var st []string
		for _, s := range c.Statuses {
			st = append(st, fmt.Sprint(s))
		}
		if err := t.Append([]string{c.ID, c.Layer.Title(), strings.Join(st, ", "), c.Title}); err != nil {
			return err
		}
	}
	return t.Render()
}

func explainCause(w io.Writer, e *rules.Engine, c *rules.Cause) error {
	fmt.Fprintf(w, "%s — %s\n", c.ID, c.Title)
	var st []string
	for _, s := range c.Statuses {
		st = append(st, fmt.Sprint(s))
	}
	fmt.Fprintf(w, "Layer: %s", c.Layer.Title())
	if len(st) > 0 {
		fmt.Fprintf(w, "    Typical statuses: %s", strings.Join(st, ", "))
	}
	fmt.Fprintf(w, "\n\nWhat it means\n  %s\n\nCheck first\n", wrap(c.Meaning, 78, "  "))
	for i, ch := range c.Checks {
		fmt.Fprintf(w, "  %d. %s\n", i+1, wrap(ch, 74, "     "))
	}
	if len(c.Fixes) > 0 {
		fmt.Fprintf(w, "\nFixes\n")
		for _, fx := range c.Fixes {
			fmt.Fprintf(w, "  - %s\n", wrap(fx, 76, "    "))
		}
	}
	var examples []string
	var ruleIDs []string
	for _, r := range e.Rules() {
		if r.Cause != c.ID {
			continue
		}
		ruleIDs = append(ruleIDs, r.ID)
		for i, ex := range r.Examples.Match {
			if i < 2 {
				examples = append(examples, ex)
			}
		}
	}
	if len(ruleIDs) > 0 {
		fmt.Fprintf(w, "\nRules: %s\n", strings.Join(ruleIDs, ", "))
	}
	if len(examples) > 0 {
		fmt.Fprintf(w, "\nExample lines\n")
		for _, ex := range examples {
			ev, _ := parsers.ParseEntry(ex)
			f := ev.Format
			if f == "" {
				f = "unparsed"
			}
			fmt.Fprintf(w, "  [%s] %s\n", f, clip(ex, 200))
		}
	}
	return nil
}

// wrap folds text at width, indenting continuation lines.
func wrap(s string, width int, indent string) string {
	words := strings.Fields(s)
	var b strings.Builder
	col := 0
	for i, word := range words {
		if i > 0 {
			if col+1+len(word) > width {
				b.WriteString("\n" + indent)
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}
