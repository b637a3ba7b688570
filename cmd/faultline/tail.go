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

// tailSession is one run of faultline tail: the followers, the live
// pipeline they feed, and what is printed and saved.
type tailSession struct {
	f       *tailFlags
	args    []string
	opts    parsers.Options
	targets watchSet
	loc     *time.Location
	reason  string

	b      *report.Builder
	live   *report.Live
	out    *bufio.Writer
	stderr io.Writer
	status *statusLine
	color  bool

	ctx  context.Context
	stop context.CancelFunc

	lines        chan parsers.LiveLine
	notes        chan string
	droppedNotes atomic.Int64
	wg           sync.WaitGroup
	active       atomic.Int64 // followers running
	failed       atomic.Int64 // followers that could not start

	saved      map[string]*parsers.FileState // --state as loaded
	stateMu    sync.Mutex
	states     map[string]parsers.FileState // --state as it is now
	stateDirty bool
	followed   map[string]bool
}

func runTail(cmd *cobra.Command, args []string, f *tailFlags) error {
	t, paths, err := newTailSession(cmd, args, f)
	if err != nil {
		return err
	}
	defer t.stop()
	t.start(paths)
	if err := t.loop(); err != nil {
		return err
	}
	return t.finish()
}

// newTailSession checks the flags, loads rules and saved state, probes the
// files there are and builds the live pipeline.
func newTailSession(cmd *cobra.Command, args []string, f *tailFlags) (*tailSession, []string, error) {
	switch {
	case f.output != "":
		return nil, nil, usageErr("tail writes to standard output (redirect it); use --report FILE for the postmortem")
	case len(args) == 0:
		return nil, nil, usageErr("no input: give log files, directories or globs to follow")
	case f.format != "text" && f.format != "ndjson":
		return nil, nil, usageErr("tail --format: text or ndjson")
	case f.lines < 0:
		return nil, nil, usageErr("-n must not be negative")
	}
	th, err := f.thresholds()
	if err != nil {
		return nil, nil, err
	}
	t := &tailSession{f: f, args: args, stderr: cmd.ErrOrStderr(), followed: map[string]bool{}, states: map[string]parsers.FileState{}}
	if t.opts, err = f.options(); err != nil {
		return nil, nil, err
	}
	engine, err := loadEngine(f.rulesDirs)
	if err != nil {
		return nil, nil, err
	}
	if t.targets, err = watchTargets(args); err != nil {
		return nil, nil, err
	}
	if t.saved, err = loadState(f.stateFile); err != nil {
		return nil, nil, err
	}
	for p, st := range t.saved {
		t.states[p] = *st // the saved state of files not followed this time is kept
	}
	paths := t.targets.liveFiles()
	if len(paths) == 0 && len(t.targets.dirs)+len(t.targets.globs) == 0 {
		return nil, nil, usageErr("nothing to follow in %s", strings.Join(args, " "))
	}
	inputs := make([]*parsers.Input, len(paths))
	for i, p := range paths {
		inputs[i] = &parsers.Input{Path: p}
		if st, err := os.Stat(p); err == nil {
			inputs[i].Size, inputs[i].ModTime = st.Size(), st.ModTime()
		}
	}
	plans := parsers.Prepare(inputs, t.opts)
	zonePlans := plans
	if len(zonePlans) == 0 {
		// no log file yet: the zone of --tz, else the machine's
		zonePlans = parsers.Prepare([]*parsers.Input{{Path: os.DevNull}}, t.opts)
	}
	t.loc, t.reason = zonePlans[0].Clock.Loc, zonePlans[0].Clock.Reason

	bopts := report.DefaultOptions()
	bopts.Thresholds, bopts.CauseWindow, bopts.Location, bopts.ZoneReason = th, f.causeWindow, t.loc, t.reason
	now := time.Now()
	if bopts.Since, err = parseWhen("since", f.since, t.loc, now); err != nil {
		return nil, nil, err
	}
	if bopts.Until, err = parseWhen("until", f.until, t.loc, now); err != nil {
		return nil, nil, err
	}
	t.b = report.NewBuilder(engine.Catalogue(), bopts)
	t.out = bufio.NewWriter(cmd.OutOrStdout())
	tty, width := false, 0
	if of, ok := cmd.OutOrStdout().(*os.File); ok {
		tty = term.IsTerminal(int(of.Fd()))
		if c, _, err := term.GetSize(int(of.Fd())); tty && err == nil {
			width = c
		}
	}
	t.color = useColor(f.noColor, tty)
	t.status = newStatusLine(t.stderr, f.quiet, !f.noColor)
	t.live = &report.Live{Engine: engine, Builder: t.b, Options: t.opts}
	t.live.Emit = func(ev *parsers.Event, fd *rules.Finding) {
		t.status.clear()
		switch {
		case f.format == "ndjson" && fd != nil:
			report.WriteFindingNDJSON(t.out, fd)
		case f.format == "ndjson":
			report.WriteSymptomNDJSON(t.out, ev)
		case fd != nil:
			writeFindingLine(t.out, ev, fd, t.loc, t.color, width)
		}
	}
	for _, p := range plans {
		t.live.AddInput(p)
	}
	t.ctx, t.stop = context.WithCancel(cmd.Context())
	t.lines = make(chan parsers.LiveLine, 1024)
	t.notes = make(chan string, 256)
	return t, paths, nil
}

// start follows the files found at the start.
func (t *tailSession) start(paths []string) {
	start := parsers.StartEnd
	switch {
	case t.f.fromStart:
		start = parsers.StartBeginning
	case t.f.lines > 0:
		start = parsers.StartLastN
	}
	for _, p := range paths {
		t.follow(p, start)
	}
	if !t.f.quiet {
		what := fmt.Sprintf("%d file%s", len(paths), plural(len(paths)))
		if len(paths) == 0 {
			what = "no file yet, waiting for log files in " + strings.Join(append(t.targets.dirs, t.targets.globs...), " ")
		}
		fmt.Fprintf(t.stderr, "faultline: following %s (zone %s); Ctrl-C to stop and summarise\n", report.Sanitize(what), t.loc)
	}
}

// follow starts a follower for path.
func (t *tailSession) follow(path string, start parsers.StartAt) {
	t.followed[path] = true
	fo := parsers.FollowOptions{Poll: t.f.poll, Start: start, LastN: t.f.lines, Note: t.note}
	if st, ok := t.saved[path]; ok {
		fo.Resume = st
	}
	t.wg.Add(1)
	t.active.Add(1)
	go func() {
		defer t.wg.Done()
		defer t.active.Add(-1)
		st, err := parsers.Follow(t.ctx, path, fo, t.lines)
		if err != nil {
			t.failed.Add(1)
			t.note(err.Error())
			return
		}
		t.stateMu.Lock()
		t.states[path] = st
		t.stateMu.Unlock()
	}()
}

// note queues a remark from a follower; remarks beyond the queue are
// counted, not shown.
func (t *tailSession) note(s string) {
	select {
	case t.notes <- s:
	default:
		t.droppedNotes.Add(1)
	}
}

// showNote prints a remark on standard error.
func (t *tailSession) showNote(s string) {
	if !t.f.quiet {
		t.status.clear()
		fmt.Fprintln(t.stderr, "faultline:", report.Sanitize(s))
	}
}

// take feeds one line to the pipeline and records the file's state.
func (t *tailSession) take(l parsers.LiveLine) {
	t.live.Line(l)
	if !l.Rotated {
		t.stateMu.Lock()
		t.states[l.Path] = l.State
		t.stateMu.Unlock()
		t.stateDirty = true
	}
}

// saveState writes --state when it changed.
func (t *tailSession) saveState() {
	if t.f.stateFile == "" {
		return
	}
	t.stateMu.Lock()
	defer t.stateMu.Unlock()
	if err := saveState(t.f.stateFile, t.states); err != nil {
		t.showNote(fmt.Sprintf("--state %s: %v", t.f.stateFile, err))
	}
	t.stateDirty = false
}

// rescan follows new live files in the watched directories and globs.
func (t *tailSession) rescan() {
	for _, p := range t.targets.liveFiles() {
		if t.followed[p] {
			continue
		}
		plan := parsers.Prepare([]*parsers.Input{{Path: p}}, t.opts)[0]
		plan.Clock = parsers.NewClock(t.loc, t.reason)
		t.live.AddInput(plan)
		t.note(p + ": new file; following it from its start")
		t.follow(p, parsers.StartBeginning)
	}
}

// loop runs until a signal (or the end of every follower) and every
// follower has read what was left.
func (t *tailSession) loop() error {
	// a second Ctrl-C while the rest is read and summarised stops at once
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	stopSignal := t.ctx.Done()
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
	var lastAnalysis time.Time
	stopping, nothingLeft, interrupts := false, false, 0
	for {
		select {
		case l := <-t.lines:
			t.take(l)
			// what else is queued, without going through the select
			for n := 0; n < 1024 && len(t.lines) > 0; n++ {
				t.take(<-t.lines)
			}
			if len(t.lines) == 0 {
				// findings go out as soon as no more input is queued
				t.out.Flush()
			}
			if !flushArmed {
				flushTick.Reset(entryIdle / 2)
				flushArmed = true
			}
		case s := <-t.notes:
			t.showNote(s)
		case <-flushTick.C:
			t.live.FlushIdle(entryIdle)
			t.out.Flush()
			if flushArmed = t.live.Pending(); flushArmed {
				flushTick.Reset(entryIdle / 2)
			}
		case <-tick.C:
			if t.status.tty {
				if time.Since(lastAnalysis) >= 5*time.Second || analysis == nil {
					analysis, lastAnalysis = t.b.Analyze(), time.Now()
				}
				req, bad := t.live.Rate()
				// nothing of standard output may follow the status line
				// on the terminal before the next finding clears it
				t.out.Flush()
				t.status.show(req, bad, analysis, t.loc)
			}
			if !stopping && t.active.Load() == 0 && t.failed.Load() > 0 && len(t.targets.dirs)+len(t.targets.globs) == 0 {
				// every named file failed to open: nothing will ever come
				nothingLeft = true
				t.stop()
			}
			if t.stateDirty {
				t.saveState()
			}
		case <-rescan.C:
			if !stopping {
				t.rescan()
			}
		case <-sigs:
			if interrupts++; interrupts > 1 {
				t.status.clear()
				t.out.Flush()
				return &exitError{code: exitInterrupted, err: errors.New("interrupted again: stopped without reading the rest or summarising")}
			}
			t.stop()
		case <-stopSignal:
			// keep reading lines until every follower has read what is left
			stopping, stopSignal = true, nil
			go func() { t.wg.Wait(); close(done) }()
		case <-done:
			if nothingLeft {
				t.drain()
				return usageErr("none of %s could be followed", strings.Join(t.args, " "))
			}
			return nil
		}
	}
}

// drain takes the lines and remarks still queued after the last follower
// returned, flushes the pipeline and saves the state.
func (t *tailSession) drain() {
	for len(t.lines) > 0 {
		t.live.Line(<-t.lines)
	}
	for len(t.notes) > 0 {
		t.showNote(<-t.notes)
	}
	if n := t.droppedNotes.Load(); n > 0 {
		t.showNote(fmt.Sprintf("%d more remarks not shown", n))
	}
	t.live.Close()
	t.status.clear()
	t.out.Flush()
	t.saveState()
}

// finish drains, prints the incident summary, writes --report and returns
// the exit status.
func (t *tailSession) finish() error {
	t.drain()
	analysis := t.b.Analyze()
	// the summary goes to standard output with the text findings; with
	// NDJSON it goes to standard error, keeping standard output one JSON
	// object per line
	switch {
	case t.f.format == "text":
		fmt.Fprintln(t.out)
		if err := report.RenderText(t.out, analysis, report.TextOptions{Color: t.color, Width: 100}); err != nil {
			return err
		}
		t.out.Flush()
	case !t.f.quiet:
		ew := bufio.NewWriter(t.stderr)
		fmt.Fprintln(ew)
		report.RenderText(ew, analysis, report.TextOptions{Color: t.status.color, Width: 100})
		ew.Flush()
	}
	if t.f.reportTo != "" {
		if err := writeReportFile(t.f.reportTo, analysis); err != nil {
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
