package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/report"
	"github.com/faultline/faultline/rules"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// entryIdle is how long a file must be quiet before the entry it ended with
// is taken as complete: an entry is otherwise emitted when the next line
// arrives, as the next line might continue it (a stack trace). Writers emit
// a multi-line entry in one write, so a short pause is enough, and the last
// line of a burst shows within entryIdle·1.5.
const entryIdle = 200 * time.Millisecond

// exitInterrupted is tail's exit status when a second interrupt stops it
// before the summary (128 + SIGINT, as shells report it).
const exitInterrupted = 130

// tailFlags are tail's own flags besides the analysis ones.
type tailFlags struct {
	analysisFlags
	lines     int
	fromStart bool
	poll      bool
	stateFile string
	reportTo  string
}

func newTailCmd() *cobra.Command {
	var f tailFlags
	cmd := &cobra.Command{
		Use:   "tail [flags] PATH...",
		Short: "Live: follow logs and show causes as they happen, across log rotation",
		Long: `tail follows files, directories (new log files appearing in them are picked
up) and globs like tail -F, and runs every new line through the same
parsers, rules and incident analysis as scan: one line per finding as it
happens, and on a terminal a status line with the rolling 5xx rate, the
active incident and its top cause. Rotation (rename and create,
copytruncate, delete and recreate, truncation) loses and repeats no line;
--state FILE lets a restarted tail resume exactly where it stopped.
Ctrl-C (or SIGTERM) stops it and prints the incident summary.

With --format ndjson, standard output carries only the JSON objects and the
summary goes to standard error. A second Ctrl-C stops at once.

Exit status: 0 no incident, 1 incident(s) found, 2 usage or input error
(also when none of the files named can be opened), 130 when interrupted
twice.`,
		Example: `  faultline tail /var/log/nginx /var/log/php8.2-fpm.log /var/log/syslog
  faultline tail -n 1000 --report incident.md /var/log/nginx/error.log
  faultline tail --format ndjson --state /var/lib/faultline/tail.state /var/log/nginx`,
		RunE: func(cmd *cobra.Command, args []string) error { return runTail(cmd, args, &f) },
	}
	f.register(cmd.Flags(), "text, ndjson", "text")
	fs := cmd.Flags()
	// tail streams to standard output; the postmortem file is --report
	fs.MarkHidden("output")
	fs.IntVarP(&f.lines, "lines", "n", 0, "start with the last N lines of each file (default: only new lines, like tail -f)")
	fs.BoolVar(&f.fromStart, "from-start", false, "read each file from its beginning, then follow it")
	fs.BoolVar(&f.poll, "poll", false, "poll files for changes instead of using inotify (network file systems)")
	fs.StringVar(&f.stateFile, "state", "", "keep each file's identity and offset in this file, and resume from it (it wins over -n and --from-start for the files it knows)")
	fs.StringVar(&f.reportTo, "report", "", "on exit, also write the postmortem to this file (.html for HTML, else Markdown)")
	return cmd
}

// tailState is the --state file.
type tailState struct {
	Version int                  `json:"version"`
	Files   []*parsers.FileState `json:"files"`
}

func loadState(path string) (map[string]*parsers.FileState, error) {
	out := map[string]*parsers.FileState{}
	if path == "" {
		return out, nil
	}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, usageErr("--state %s: %v", path, err)
	}
	var st tailState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, usageErr("--state %s: not a faultline state file: %v", path, err)
	}
	for _, fs := range st.Files {
		out[fs.Path] = fs
	}
	return out, nil
}

// saveState writes the state atomically (temporary file, then rename).
func saveState(path string, files map[string]parsers.FileState) error {
	st := tailState{Version: 1}
	for _, fs := range files {
		st.Files = append(st.Files, &fs)
	}
	sort.Slice(st.Files, func(i, j int) bool { return st.Files[i].Path < st.Files[j].Path })
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// watchSet is what tail follows: the files named, and the directories and
// globs to look in again for new log files.
type watchSet struct {
	dirs, globs []string
	files       []string
}

func watchTargets(args []string) (watchSet, error) {
	var w watchSet
	for _, a := range args {
		if a == "-" {
			return w, usageErr("tail follows files; use scan to read standard input")
		}
		st, err := os.Stat(a)
		switch {
		case err == nil && st.IsDir():
			w.dirs = append(w.dirs, a)
		case err == nil:
			w.files = append(w.files, a)
		case strings.ContainsAny(a, "*?["):
			w.globs = append(w.globs, a)
		default:
			// a file that does not exist yet is waited for
			w.files = append(w.files, a)
		}
	}
	return w, nil
}

// liveFiles lists the live log files of the watch set (not rotated copies).
func (w watchSet) liveFiles() []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] && !parsers.IsRotated(p) {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, f := range w.files {
		add(f)
	}
	for _, d := range w.dirs {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && e.Type().IsRegular() {
				add(p)
			}
			return nil
		})
	}
	for _, g := range w.globs {
		m, _ := filepath.Glob(g)
		for _, p := range m {
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				add(p)
			}
		}
	}
	return out
}

func runTail(cmd *cobra.Command, args []string, f *tailFlags) error {
	if f.output != "" {
		return usageErr("tail writes to standard output (redirect it); use --report FILE for the postmortem")
	}
	if len(args) == 0 {
		return usageErr("no input: give log files, directories or globs to follow")
	}
	if f.format != "text" && f.format != "ndjson" {
		return usageErr("tail --format: text or ndjson")
	}
	if f.lines < 0 {
		return usageErr("-n must not be negative")
	}
	th, err := f.thresholds()
	if err != nil {
		return err
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	engine, err := loadEngine(f.rulesDirs)
	if err != nil {
		return err
	}
	targets, err := watchTargets(args)
	if err != nil {
		return err
	}
	saved, err := loadState(f.stateFile)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	paths := targets.liveFiles()
	if len(paths) == 0 && len(targets.dirs)+len(targets.globs) == 0 {
		return usageErr("nothing to follow in %s", strings.Join(args, " "))
	}
	inputs := make([]*parsers.Input, len(paths))
	for i, p := range paths {
		inputs[i] = &parsers.Input{Path: p}
		if st, err := os.Stat(p); err == nil {
			inputs[i].Size, inputs[i].ModTime = st.Size(), st.ModTime()
		}
	}
	plans := parsers.Prepare(inputs, opts)
	zonePlans := plans
	if len(zonePlans) == 0 {
		// no log file yet: the zone of --tz, else the machine's
		zonePlans = parsers.Prepare([]*parsers.Input{{Path: os.DevNull}}, opts)
	}
	loc, reason := zonePlans[0].Clock.Loc, zonePlans[0].Clock.Reason

	bopts := report.DefaultOptions()
	bopts.Thresholds, bopts.CauseWindow, bopts.Location, bopts.ZoneReason = th, f.causeWindow, loc, reason
	now := time.Now()
	if bopts.Since, err = parseWhen("since", f.since, loc, now); err != nil {
		return err
	}
	if bopts.Until, err = parseWhen("until", f.until, loc, now); err != nil {
		return err
	}
	b := report.NewBuilder(engine.Catalogue(), bopts)
	out := bufio.NewWriter(cmd.OutOrStdout())
	tty, width := false, 0
	if of, ok := cmd.OutOrStdout().(*os.File); ok {
		tty = term.IsTerminal(int(of.Fd()))
		if c, _, err := term.GetSize(int(of.Fd())); tty && err == nil {
			width = c
		}
	}
	color := useColor(f.noColor, tty)
	status := newStatusLine(stderr, f.quiet, !f.noColor)
	live := &report.Live{Engine: engine, Builder: b, Options: opts}
	live.Emit = func(ev *parsers.Event, fd *rules.Finding) {
		status.clear()
		if f.format == "ndjson" {
			if fd != nil {
				report.WriteFindingNDJSON(out, fd)
			} else {
				report.WriteSymptomNDJSON(out, ev)
			}
		} else if fd != nil {
			writeFindingLine(out, ev, fd, loc, color, width)
		}
	}
	for _, p := range plans {
		live.AddInput(p)
	}

	ctx, stop := context.WithCancel(cmd.Context())
	defer stop()
	// a second Ctrl-C while the rest is read and summarised stops at once
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)

	lines := make(chan parsers.LiveLine, 1024)
	notes := make(chan string, 256)
	var droppedNotes atomic.Int64
	note := func(s string) {
		select {
		case notes <- s:
		default:
			droppedNotes.Add(1)
		}
	}
	var wg sync.WaitGroup
	var active, failed atomic.Int64
	// the saved state of files not followed this time is kept
	states := map[string]parsers.FileState{}
	for p, st := range saved {
		states[p] = *st
	}
	var stateMu sync.Mutex
	follow := func(path string, start parsers.StartAt) {
		fo := parsers.FollowOptions{Poll: f.poll, Start: start, LastN: f.lines, Note: note}
		if st, ok := saved[path]; ok {
			fo.Resume = st
		}
		wg.Add(1)
		active.Add(1)
		go func() {
			defer wg.Done()
			defer active.Add(-1)
			st, err := parsers.Follow(ctx, path, fo, lines)
			if err != nil {
				failed.Add(1)
				note(err.Error())
				return
			}
			stateMu.Lock()
			states[path] = st
			stateMu.Unlock()
		}()
	}
	start := parsers.StartEnd
	switch {
	case f.fromStart:
		start = parsers.StartBeginning
	case f.lines > 0:
		start = parsers.StartLastN
	}
	followed := map[string]bool{}
	for _, p := range paths {
		followed[p] = true
		follow(p, start)
	}
	if !f.quiet {
		what := fmt.Sprintf("%d file%s", len(paths), plural(len(paths)))
		if len(paths) == 0 {
			what = "no file yet, waiting for log files in " + strings.Join(append(targets.dirs, targets.globs...), " ")
		}
		fmt.Fprintf(stderr, "faultline: following %s (zone %s); Ctrl-C to stop and summarise\n", report.Sanitize(what), loc)
	}
	showNote := func(s string) {
		if !f.quiet {
			status.clear()
			fmt.Fprintln(stderr, "faultline:", report.Sanitize(s))
		}
	}

	done := make(chan struct{})
	stopSignal := ctx.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	// the idle flush runs only while some input has lines to flush, so that
	// nothing wakes tail up when nothing is written
	flushTick := time.NewTimer(entryIdle / 2)
	defer flushTick.Stop()
	flushArmed := true
	rescan := time.NewTicker(2 * time.Second)
	defer rescan.Stop()
	var analysis *report.Analysis
	lastAnalysis := time.Time{}
	stopping, nothingLeft, stateDirty := false, false, false
	interrupts := 0
	take := func(l parsers.LiveLine) {
		live.Line(l)
		if !l.Rotated {
			stateMu.Lock()
			states[l.Path] = l.State
			stateMu.Unlock()
			stateDirty = true
		}
	}
	for running := true; running; {
		select {
		case l := <-lines:
			take(l)
			// what else is queued, without going through the select
			for n := 0; n < 1024 && len(lines) > 0; n++ {
				take(<-lines)
			}
			if len(lines) == 0 {
				// findings go out as soon as no more input is queued
				out.Flush()
			}
			if !flushArmed {
				flushTick.Reset(entryIdle / 2)
				flushArmed = true
			}
		case s := <-notes:
			showNote(s)
		case <-flushTick.C:
			live.FlushIdle(entryIdle)
			out.Flush()
			if flushArmed = live.Pending(); flushArmed {
				flushTick.Reset(entryIdle / 2)
			}
		case <-tick.C:
			if status.tty {
				if time.Since(lastAnalysis) >= 5*time.Second || analysis == nil {
					analysis, lastAnalysis = b.Analyze(), time.Now()
				}
				req, bad := live.Rate()
				// nothing of standard output may follow the status line
				// on the terminal before the next finding clears it
				out.Flush()
				status.show(req, bad, analysis, loc)
			}
			if !stopping && active.Load() == 0 && failed.Load() > 0 && len(targets.dirs)+len(targets.globs) == 0 {
				// every named file failed to open: nothing will ever come
				nothingLeft = true
				stop()
			}
			if f.stateFile != "" && stateDirty {
				stateMu.Lock()
				if err := saveState(f.stateFile, states); err != nil {
					showNote(fmt.Sprintf("--state %s: %v", f.stateFile, err))
				}
				stateMu.Unlock()
				stateDirty = false
			}
		case <-rescan.C:
			if stopping {
				continue
			}
			for _, p := range targets.liveFiles() {
				if !followed[p] {
					followed[p] = true
					in := &parsers.Input{Path: p}
					plan := parsers.Prepare([]*parsers.Input{in}, opts)[0]
					plan.Clock = parsers.NewClock(loc, reason)
					live.AddInput(plan)
					note(p + ": new file; following it from its start")
					follow(p, parsers.StartBeginning)
				}
			}
		case <-sigs:
			if interrupts++; interrupts > 1 {
				status.clear()
				out.Flush()
				return &exitError{code: exitInterrupted, err: errors.New("interrupted again: stopped without reading the rest or summarising")}
			}
			stop()
		case <-stopSignal:
			// keep reading lines until every follower has read what is left
			stopping, stopSignal = true, nil
			go func() { wg.Wait(); close(done) }()
		case <-done:
			running = false
		}
	}
	// lines still queued after the last follower returned
	for len(lines) > 0 {
		live.Line(<-lines)
	}
	for len(notes) > 0 {
		showNote(<-notes)
	}
	if n := droppedNotes.Load(); n > 0 {
		showNote(fmt.Sprintf("%d more remarks not shown", n))
	}
	live.Close()
	status.clear()
	out.Flush()
	if f.stateFile != "" {
		if err := saveState(f.stateFile, states); err != nil {
			fmt.Fprintf(stderr, "faultline: --state %s: %v\n", f.stateFile, err)
		}
	}
	if nothingLeft {
		return usageErr("none of %s could be followed", strings.Join(args, " "))
	}
	analysis = b.Analyze()
	// the summary goes to standard output with the text findings; with
	// NDJSON it goes to standard error, keeping standard output one JSON
	// object per line
	switch {
	case f.format == "text":
		fmt.Fprintln(out)
		if err := report.RenderText(out, analysis, report.TextOptions{Color: color, Width: 100}); err != nil {
			return err
		}
		out.Flush()
	case !f.quiet:
		ew := bufio.NewWriter(stderr)
		fmt.Fprintln(ew)
		report.RenderText(ew, analysis, report.TextOptions{Color: status.color, Width: 100})
		ew.Flush()
	}
	if f.reportTo != "" {
		if err := writeReportFile(f.reportTo, analysis); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	if len(analysis.Incidents) > 0 {
		return &exitError{code: exitIncident}
	}
	return nil
}

// writeReportFile writes the postmortem, HTML for .html/.htm, else Markdown.
func writeReportFile(path string, a *report.Analysis) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--report %s: %w", path, err)
	}
	w := bufio.NewWriter(fh)
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".html" || ext == ".htm" {
		err = report.RenderHTML(w, a)
	} else {
		err = report.RenderMarkdown(w, a)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--report %s: %w", path, err)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// layerColors are the ANSI colours of findings by layer.
var layerColors = map[rules.Layer]string{
	rules.LayerOS: "\x1b[1;31m", rules.LayerConfig: "\x1b[35m", rules.LayerDatabase: "\x1b[31m",
	rules.LayerRuntime: "\x1b[33m", rules.LayerFastCGI: "\x1b[33m", rules.LayerGateway: "\x1b[36m",
	rules.LayerChange: "\x1b[32m",
}

// writeFindingLine prints one finding: time, layer, cause, message, source.
// The message is cut at 110 characters, or so that the line fits width
// columns (a terminal's) when width > 0.
func writeFindingLine(w io.Writer, ev *parsers.Event, f *rules.Finding, loc *time.Location, color bool, width int) {
	when := "--:--:--"
	if !ev.Time.IsZero() {
		when = ev.Time.In(loc).Format("15:04:05")
	}
	msg := ev.Message
	if msg == "" {
		msg = string(ev.Raw)
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i] + " …"
	}
	where := fmt.Sprintf("(%s:%d)", report.Sanitize(ev.Source), ev.Line)
	layer, cause := fmt.Sprintf("%-9s", f.Layer), fmt.Sprintf("%-28s", f.Cause)
	room := 110
	if width > 0 {
		// time, two spaces, layer, space, cause, space, message, two
		// spaces, where; a narrow terminal gets the file's base name and
		// no cause column
		fixed := func() int { return 8 + 2 + len(layer) + 1 + len(cause) + 1 + 2 + utf8.RuneCountInString(where) }
		if room = width - 1 - fixed(); room < 30 {
			where = fmt.Sprintf("(%s:%d)", report.Sanitize(filepath.Base(ev.Source)), ev.Line)
			cause = string(f.Cause)
			room = max(10, width-1-fixed())
		}
	}
	msg = clip(report.Sanitize(msg), room)
	if color {
		c := layerColors[f.Layer]
		layer, cause = c+layer+"\x1b[0m", c+cause+"\x1b[0m"
	}
	fmt.Fprintf(w, "%s  %s %s %s  %s\n", when, layer, cause, msg, where)
}

// statusLine is the status line refreshed in place on standard error, only
// when that is a terminal: redirected output never carries it.
type statusLine struct {
	w     io.Writer
	fd    int
	tty   bool
	color bool
	shown bool
}

func newStatusLine(w io.Writer, quiet, color bool) *statusLine {
	s := &statusLine{w: w}
	if f, ok := w.(*os.File); ok && !quiet {
		s.fd = int(f.Fd())
		s.tty = term.IsTerminal(s.fd)
	}
	s.color = color && useColor(false, s.tty)
	return s
}

// show redraws the status line: rolling 5xx rate, active incident, top cause.
func (s *statusLine) show(req, failed int64, a *report.Analysis, loc *time.Location) {
	if !s.tty {
		return
	}
	width := 80
	if c, _, err := term.GetSize(s.fd); err == nil && c > 10 {
		width = c
	}
	text, alert := statusText(req, failed, a, loc)
	// one line that never wraps, so that clearing it erases all of it
	text = clip(text, width-1)
	if s.color && alert {
		text = "\x1b[1;31m" + text + "\x1b[0m"
	}
	fmt.Fprintf(s.w, "\r\x1b[2K%s", text)
	s.shown = true
}

// statusText is the status line's text, free of control characters, and
// whether an incident is active.
func statusText(req, failed int64, a *report.Analysis, loc *time.Location) (string, bool) {
	rate := "no requests in the last minute"
	if req > 0 {
		rate = fmt.Sprintf("5xx %d/%d (%.1f%%) in the last minute", failed, req, 100*float64(failed)/float64(req))
	}
	incident, alert := "no incident", false
	if a != nil && len(a.Incidents) > 0 {
		in := a.Incidents[len(a.Incidents)-1]
		if a.Last.Sub(in.End) < 2*time.Minute {
			incident = fmt.Sprintf("INCIDENT since %s, root: %s", in.Start.In(loc).Format("15:04:05"), orDash(in.RootCause))
			alert = true
		} else {
			incident = fmt.Sprintf("last incident ended %s", in.End.In(loc).Format("15:04:05"))
		}
	}
	top := ""
	if a != nil && len(a.Causes) > 0 {
		best := a.Causes[0]
		for _, c := range a.Causes {
			if c.Count > best.Count {
				best = c
			}
		}
		top = fmt.Sprintf(" · top cause %s ×%d", best.Cause, best.Count)
	}
	return report.Sanitize(rate + " · " + incident + top), alert
}

// clear removes the status line before other output.
func (s *statusLine) clear() {
	if s.shown {
		fmt.Fprint(s.w, "\r\x1b[2K")
		s.shown = false
	}
}

func orDash(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
