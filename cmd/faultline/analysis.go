package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/report"
	"github.com/faultline/faultline/rules"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// analysisFlags are the flags of scan, report and tail.
type analysisFlags struct {
	inputFlags
	since, until string
	rulesDirs    []string
	format       string
	output       string
	noColor      bool
	th           report.Thresholds
	mergeGap     time.Duration
	lookback     time.Duration
	causeWindow  time.Duration
}

func (f *analysisFlags) register(fs *pflag.FlagSet, formats string, defaultFormat string) {
	f.inputFlags.register(fs)
	d := report.DefaultThresholds()
	o := report.DefaultOptions()
	fs.StringVar(&f.since, "since", "", "ignore entries before this time: RFC 3339 (2026-11-20T14:00:00Z), a date and time in the --tz zone (2026-11-20 14:00), or a duration before now (2h, 3d)")
	fs.StringVar(&f.until, "until", "", "ignore entries at or after this time (same forms as --since)")
	fs.StringArrayVar(&f.rulesDirs, "rules", nil, "directory (or file) of user rules added to the built-in ones; repeatable (default also: $XDG_CONFIG_HOME/faultline/rules when it exists)")
	fs.StringVar(&f.format, "format", defaultFormat, "output format: "+formats)
	fs.StringVarP(&f.output, "output", "o", "", "write the result to this file instead of standard output")
	fs.BoolVar(&f.noColor, "no-color", false, "no colour (also when NO_COLOR is set or the output is not a terminal)")
	fs.IntVar(&f.th.MinErrors, "min-errors", d.MinErrors, "a minute counts as failing with at least this many 5xx (or error findings without access logs)")
	fs.Float64Var(&f.th.MinRate, "min-rate", d.MinRate, "… and at least this share of its requests failing (0.05 = 5%)")
	fs.Float64Var(&f.th.Factor, "factor", d.Factor, "… and at least this many times its input's baseline failure rate")
	fs.IntVar(&f.th.MinIncidentErrors, "min-incident-errors", d.MinIncidentErrors, "a burst is an incident with at least this many failures in all")
	fs.DurationVar(&f.mergeGap, "merge-gap", time.Duration(d.MergeGap), "bursts less than this apart are one incident")
	fs.DurationVar(&f.lookback, "lookback", time.Duration(d.Lookback), "how far before an incident to look for changes (reloads, restarts, deploys) and the onset of its causes")
	fs.DurationVar(&f.causeWindow, "cause-window", o.CauseWindow, "how far before an incident's first failure a cause may start to be part of it")
}

// thresholds returns the validated detection settings.
func (f *analysisFlags) thresholds() (report.Thresholds, error) {
	th := f.th
	th.MergeGap, th.Lookback = report.Duration(f.mergeGap), report.Duration(f.lookback)
	switch {
	case th.MinErrors < 1:
		return th, usageErr("--min-errors %d: must be at least 1", th.MinErrors)
	case th.MinIncidentErrors < 1:
		return th, usageErr("--min-incident-errors %d: must be at least 1", th.MinIncidentErrors)
	case th.MinRate < 0 || th.MinRate > 1:
		return th, usageErr("--min-rate %g: must be between 0 and 1 (0.05 = 5%%)", th.MinRate)
	case th.Factor < 1:
		return th, usageErr("--factor %g: must be at least 1", th.Factor)
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--merge-gap", f.mergeGap}, {"--lookback", f.lookback}, {"--cause-window", f.causeWindow}} {
		if d.v < 0 {
			return th, usageErr("%s %s: must not be negative", d.flag, d.v)
		}
	}
	return th, nil
}

// parseWhen reads --since/--until.
func parseWhen(flag, s string, loc *time.Location, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if strings.HasSuffix(s, "d") {
		var days float64
		if _, err := fmt.Sscanf(strings.TrimSuffix(s, "d"), "%g", &days); err == nil && days >= 0 {
			return now.Add(-time.Duration(days * 24 * float64(time.Hour))).UTC(), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d).UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usageErr("--%s %q: want RFC 3339 (2026-11-20T14:00:00Z), a local date and time (2026-11-20 14:00) or a duration (2h, 3d)", flag, s)
}

// loadEngine loads the built-in rules plus the user's.
func loadEngine(dirs []string) (*rules.Engine, error) {
	if len(dirs) == 0 {
		if d := rules.DefaultUserDir(); d != "" {
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				dirs = []string{d}
			}
		}
	}
	e, err := rules.Load(dirs...)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("rules: %w", err)}
	}
	return e, nil
}

// analysisRun is everything one scan or report run produced.
type analysisRun struct {
	analysis  *report.Analysis
	inputErrs bool // some input could not be read
}

// analyse runs the pipeline over the inputs. emit, when set, receives the
// findings and symptoms in time order.
func analyse(cmd *cobra.Command, args []string, f *analysisFlags, emit func(*parsers.Event, *rules.Finding) error) (*analysisRun, error) {
	th, err := f.thresholds()
	if err != nil {
		return nil, err
	}
	engine, err := loadEngine(f.rulesDirs)
	if err != nil {
		return nil, err
	}
	stderr := cmd.ErrOrStderr()
	plans, notes, failed, err := openInputs(args, &f.inputFlags, stdinReader, stderr)
	if err != nil {
		return nil, err
	}
	loc, reason := time.UTC, "no zoneless logs"
	for _, p := range plans {
		if p.Clock != nil {
			loc, reason = p.Clock.Loc, p.Clock.Reason
			break
		}
	}
	now := time.Now()
	opts := report.DefaultOptions()
	opts.Thresholds, opts.CauseWindow = th, f.causeWindow
	opts.Location, opts.ZoneReason = loc, reason
	if opts.Since, err = parseWhen("since", f.since, loc, now); err != nil {
		return nil, err
	}
	if opts.Until, err = parseWhen("until", f.until, loc, now); err != nil {
		return nil, err
	}
	b := report.NewBuilder(engine.Catalogue(), opts)
	run := &analysisRun{inputErrs: failed}
	for _, n := range notes {
		b.AddNote(n.String())
	}
	bar := newProgress(plans, stderr, f.quiet)
	sc := &report.Scanner{Engine: engine, Builder: b, Emit: emit}
	stats, errs := sc.Run(cmd.Context(), plans)
	bar.finish()
	for _, err := range errs {
		fmt.Fprintf(stderr, "faultline: %v\n", err)
		run.inputErrs = true
	}
	if !f.quiet {
		for _, st := range stats {
			if st != nil {
				reportStats(stderr, st)
			}
		}
	}
	for id, n := range engine.Timeouts() {
		fmt.Fprintf(stderr, "faultline: rule %s: %d regexp2 matches timed out after %s and were skipped\n", id, n, rules.Regexp2Timeout)
	}
	if err := cmd.Context().Err(); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	run.analysis = b.Analyze()
	return run, nil
}

// exitFor is the exit code of an analysis (DESIGN §4): 2 when an input
// could not be read (the report is still written), else 1 with incidents,
// else 0.
func (r *analysisRun) exitFor() error {
	switch {
	case r.inputErrs:
		return &exitError{code: exitUsage}
	case len(r.analysis.Incidents) > 0:
		return &exitError{code: exitIncident}
	}
	return nil
}

// output is where a result goes: standard output, or the -o file, which
// is written beside its final name and renamed into place by commit, so
// that a failed run never leaves a half-written or emptied report.
type output struct {
	w   *bufio.Writer
	tty bool // standard output is a terminal

	file *os.File
	path string
}

// openOutput returns where to write: the -o file or standard output.
func openOutput(cmd *cobra.Command, path string) (*output, error) {
	if path == "" || path == "-" {
		out := cmd.OutOrStdout()
		o := &output{w: bufio.NewWriterSize(out, 64<<10)}
		if f, ok := out.(*os.File); ok {
			o.tty = term.IsTerminal(int(f.Fd()))
		}
		return o, nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, usageErr("-o %s: is a directory", path)
	} else if err == nil && !st.Mode().IsRegular() {
		// /dev/stdout, a named pipe: write to it as it is
		file, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, usageErr("-o %s: %v", path, describeErr(err))
		}
		return &output{w: bufio.NewWriterSize(file, 64<<10), file: file}, nil
	}
	file, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, usageErr("-o %s: cannot write in %s: %v", path, filepath.Dir(path), describeErr(err))
	}
	return &output{w: bufio.NewWriterSize(file, 64<<10), file: file, path: path}, nil
}

// describeErr drops the path from a file error whose message names the
// path already.
func describeErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// commit flushes the result and, for -o, moves the file into place.
func (o *output) commit() error {
	err := o.w.Flush()
	if o.file == nil {
		return err
	}
	if o.path == "" { // a device or pipe
		if cerr := o.file.Close(); err == nil {
			err = cerr
		}
		return err
	}
	mode := os.FileMode(0o644)
	if st, serr := os.Stat(o.path); serr == nil {
		mode = st.Mode().Perm() // keep the mode of the report it replaces
	}
	if err == nil {
		err = o.file.Chmod(mode)
	}
	if cerr := o.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.file.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.file.Name())
		return fmt.Errorf("-o %s: %w", o.path, err)
	}
	return nil
}

// abort drops a result that could not be finished.
func (o *output) abort() {
	if o.file == nil || o.path == "" {
		o.w.Flush() // what a stream got so far (NDJSON lines) stays
		if o.file != nil {
			o.file.Close()
		}
		return
	}
	o.file.Close()
	os.Remove(o.file.Name())
}

// useColor decides whether text output gets ANSI colour.
func useColor(noColor, tty bool) bool {
	_, noColorEnv := os.LookupEnv("NO_COLOR")
	return tty && !noColor && !noColorEnv && os.Getenv("TERM") != "dumb"
}

// render writes the analysis in the chosen format; text fits the width of
// the terminal when it goes to one.
func render(w io.Writer, a *report.Analysis, format string, color, tty bool) error {
	switch format {
	case "text":
		width := 100
		if c, _, err := term.GetSize(int(os.Stdout.Fd())); tty && err == nil && c > 60 {
			width = c
		}
		return report.RenderText(w, a, report.TextOptions{Color: color, Width: width})
	case "markdown", "md":
		return report.RenderMarkdown(w, a)
	case "json":
		return report.RenderJSON(w, a)
	case "html":
		return report.RenderHTML(w, a)
	}
	return usageErr("unknown --format %q", format)
}

// progress is a progress bar on stderr for long scans on a terminal.
type progress struct {
	bar  *progressbar.ProgressBar
	done atomic.Bool
}

func newProgress(plans []*parsers.Plan, stderr io.Writer, quiet bool) *progress {
	p := &progress{}
	f, ok := stderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return p
	}
	var total int64
	for _, pl := range plans {
		total += pl.Input.Size
	}
	if total < 64<<20 {
		return p // short scans need no bar
	}
	p.bar = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("reading logs"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true),
	)
	for _, pl := range plans {
		pl.Input.OnRead = func(n int) { p.bar.Add(n) }
	}
	return p
}

func (p *progress) finish() {
	if p.bar != nil && !p.done.Swap(true) {
		p.bar.Finish()
	}
}

func newScanCmd() *cobra.Command {
	var f analysisFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] PATH...",
		Short: "After an outage: a terminal summary of incidents, causes and what to check first",
		Long: `scan reads the logs (files, directories such as /var/log, globs, - for stdin),
finds the incidents — periods when 5xx responses rose above each access
log's own baseline (or error findings did, without access logs) — and shows,
per incident, the root cause and its chain across layers, the changes in the
hour before, the scope, a timeline and what to check first.

Exit status: 0 no incident, 1 incident(s) found, 2 usage or input error.`,
		Example: `  faultline scan /var/log/nginx /var/log/php8.2-fpm.log /var/log/syslog
  faultline scan --since 2h /var/log
  faultline scan --format ndjson /var/log/nginx/error.log | jq .cause`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalysisCmd(cmd, args, &f)
		},
	}
	f.register(cmd.Flags(), "text, json, ndjson, markdown, html", "text")
	return cmd
}

func newReportCmd() *cobra.Command {
	var f analysisFlags
	cmd := &cobra.Command{
		Use:   "report [flags] PATH...",
		Short: "A postmortem: Markdown (default), HTML or JSON",
		Long: `report analyses the logs like scan and writes a postmortem: Markdown in the
Google SRE / PagerDuty shape (default), a self-contained HTML page with a
timeline chart per incident (--format html), or the JSON document
(--format json). Use -o to write it to a file.

Exit status: 0 no incident, 1 incident(s) found, 2 usage or input error.`,
		Example: `  faultline report -o postmortem.md /var/log
  faultline report --format html -o incident.html --since 2026-11-20 /var/log/nginx /var/log/syslog`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalysisCmd(cmd, args, &f)
		},
	}
	f.register(cmd.Flags(), "markdown, html, json, text", "markdown")
	return cmd
}

// runAnalysisCmd is scan and report.
func runAnalysisCmd(cmd *cobra.Command, args []string, f *analysisFlags) error {
	switch f.format {
	case "text", "json", "markdown", "md", "html", "ndjson":
	default:
		return usageErr("unknown --format %q (text, json, ndjson, markdown, html)", f.format)
	}
	out, err := openOutput(cmd, f.output)
	if err != nil {
		return err
	}
	var emit func(*parsers.Event, *rules.Finding) error
	if f.format == "ndjson" {
		emit = func(ev *parsers.Event, fd *rules.Finding) error {
			if fd != nil {
				return report.WriteFindingNDJSON(out.w, fd)
			}
			return report.WriteSymptomNDJSON(out.w, ev)
		}
	}
	run, err := analyse(cmd, args, f, emit)
	if err != nil {
		out.abort()
		return err
	}
	if f.format != "ndjson" {
		if err := render(out.w, run.analysis, f.format, useColor(f.noColor, out.tty), out.tty); err != nil {
			out.abort()
			return err
		}
	}
	if err := out.commit(); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing output: %w", err)}
	}
	return run.exitFor()
}
