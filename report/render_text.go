package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faultline/faultline/rules"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// TextOptions control the terminal summary.
type TextOptions struct {
	// Color enables ANSI colours (the command layer decides: a terminal,
	// no NO_COLOR, no --no-color).
	Color bool
	// Width is the terminal width in columns; 0 means 100.
	Width int
	// Verbose adds evidence lines, action items, detection details and
	// longer lists.
	Verbose bool
}

// ANSI styles of the text renderer.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiBoldRd = "\x1b[1;31m"
)

// textOut is one run of RenderText.
type textOut struct {
	buf   bytes.Buffer
	v     *rview
	o     TextOptions
	width int
}

// RenderText writes the terminal summary of `faultline scan`: the inputs
// and the clock, then per incident its window, impact, summary, causes,
// chain, reasoning, timeline, per-minute sparkline, scope, changes before
// it and what to check first; then causes outside incidents, unclassified
// errors and unparsed lines. Every log-derived string is passed through
// Sanitize, so no control character from a log reaches the terminal.
func RenderText(w io.Writer, a *Analysis, o TextOptions) error {
	if a == nil {
		return fmt.Errorf("report: no analysis to render")
	}
	t := &textOut{v: newRView(a), o: o, width: o.Width}
	if t.width <= 0 {
		t.width = 100
	}
	t.width = max(t.width, 40)
	if err := t.render(); err != nil {
		return err
	}
	_, err := w.Write(t.buf.Bytes())
	return err
}

func (t *textOut) paint(style, s string) string {
	if !t.o.Color || s == "" {
		return s
	}
	return style + s + ansiReset
}

func (t *textOut) line(s string) {
	t.buf.WriteString(s)
	t.buf.WriteByte('\n')
}

// heading writes a section title.
func (t *textOut) heading(indent, s string) {
	t.line(indent + t.paint(ansiBold, s))
}

// para writes prose wrapped to the width.
func (t *textOut) para(indent, label, s string) {
	first := indent
	if label != "" {
		first += t.paint(ansiBold, label) + " "
	}
	t.line(rWrap(first, indent+"  ", s, t.width))
}

func (t *textOut) render() error {
	a := t.v.a
	if err := t.header(); err != nil {
		return err
	}
	for _, inc := range a.Incidents {
		t.line("")
		if err := t.incident(inc); err != nil {
			return err
		}
	}
	if len(a.Incidents) == 0 {
		t.line("")
		t.noIncident()
	}
	t.outside()
	t.unclassified()
	t.unparsed()
	if len(a.RuleTimeouts) > 0 {
		t.line("")
		t.heading("", "Rule timeouts")
		keys := make([]string, 0, len(a.RuleTimeouts))
		for k := range a.RuleTimeouts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.line("  " + Sanitize(k) + ": " + rInt(a.RuleTimeouts[k]) + " matches abandoned after " + rules.Regexp2Timeout.String())
		}
	}
	return nil
}

// header writes the inputs and the clock.
func (t *textOut) header() error {
	a, v := t.v.a, t.v
	var lines int64
	for _, f := range a.Files {
		lines += f.Lines
	}
	head := fmt.Sprintf("faultline · %s · %s", rCount(int64(len(a.Files)), "input", "inputs"), rCount(lines, "line", "lines"))
	if !a.First.IsZero() {
		head += " · " + v.span(a.First, a.Last) + " " + Sanitize(v.zone)
	}
	t.line(t.paint(ansiBold, head))
	t.para("", "Clock:", t.clockText())
	if !a.Since.IsZero() || !a.Until.IsZero() {
		r := "only entries"
		if !a.Since.IsZero() {
			r += " from " + v.stamp(a.Since)
		}
		if !a.Until.IsZero() {
			r += " until " + v.stamp(a.Until)
		}
		t.para("", "Range:", r+" "+Sanitize(v.zone)+" were analysed.")
	}
	for _, n := range a.Notes {
		t.para("", "Note:", Sanitize(n))
	}
	if len(a.Files) == 0 {
		return nil
	}
	t.line("")
	t.heading("", "Inputs")
	rows := make([][]string, 0, len(a.Files))
	for _, f := range a.Files {
		format := Sanitize(f.Format)
		switch {
		case format == "" && f.Lines == 0:
			format = "empty"
		case format == "":
			format = t.paint(ansiYellow, "unrecognised")
		}
		if f.Wrapper != "" {
			format += " in " + Sanitize(f.Wrapper)
		}
		if f.Forced {
			format += " (forced)"
		}
		unparsed := rInt(f.Unparsed)
		if f.Unparsed > 0 {
			unparsed = t.paint(ansiYellow, unparsed)
		}
		zone := ""
		if f.Zoneless > 0 {
			zone = Sanitize(f.Zone)
			if zone == "" {
				zone = Sanitize(v.zone)
			}
		}
		rows = append(rows, []string{Sanitize(f.Path), format, rInt(f.Lines), rInt(f.Entries), unparsed, zone})
	}
	header := []string{"File", "Format", "Lines", "Entries", "Unparsed", "Zone assumed"}
	zoneless := false
	for _, r := range rows {
		zoneless = zoneless || r[5] != ""
	}
	if !zoneless {
		header = header[:5]
		for i := range rows {
			rows[i] = rows[i][:5]
		}
	}
	err := t.table("  ", header, rows,
		[]tw.Align{tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignRight, tw.AlignRight, tw.AlignLeft}[:len(header)], false, 0, 1)
	if err != nil {
		return err
	}
	for _, f := range a.Files {
		if f.Error != "" {
			t.para("  ", t.paint(ansiYellow, "!"), Sanitize(f.Path)+": reading stopped early: "+Sanitize(f.Error))
		}
		if f.Zoneless > 0 && f.ZoneReason != "" && f.ZoneReason != a.ZoneReason {
			t.para("  ", "·", Sanitize(f.Path)+": zoneless entries read in "+Sanitize(f.Zone)+": "+Sanitize(f.ZoneReason))
		}
		if f.Truncated > 0 {
			t.para("  ", "·", Sanitize(f.Path)+": "+rCount(f.Truncated, "line was", "lines were")+" cut at the line-length limit")
		}
	}
	return nil
}

// clockText says which zone the report uses and why.
func (t *textOut) clockText() string {
	a, v := t.v.a, t.v
	ref := a.First
	if ref.IsZero() {
		ref = time.Now()
	}
	s := "times are shown in " + Sanitize(v.zoneLong(ref)) + "."
	var zoneless []string
	seen := map[string]bool{}
	for _, f := range a.Files {
		if f.Zoneless > 0 && !seen[f.Format] {
			seen[f.Format] = true
			zoneless = append(zoneless, Sanitize(rOr(f.Format, "unrecognised")))
		}
	}
	if len(zoneless) > 0 {
		s += " Logs without a zone (" + strings.Join(zoneless, ", ") + ") were read in " + Sanitize(v.zone)
		if a.ZoneReason != "" {
			s += ": " + Sanitize(a.ZoneReason)
		}
		s += "."
	} else if a.ZoneReason != "" {
		s += " " + rSentence(rCapital(Sanitize(a.ZoneReason)))
	}
	return s
}

// table renders rows with tablewriter: boxed (light lines) or borderless
// and aligned; each output line gets indent. Cells may hold several lines.
// When the table is wider than the terminal, the widest columns are
// narrowed and their cells word-wrapped first.
func (t *textOut) table(indent string, header []string, rows [][]string, align []tw.Align, boxed bool, wrapCols ...int) error {
	rend := tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)}
	padding := tw.Padding{Left: " ", Right: " ", Overwrite: true}
	overhead := 3*len(header) + 1
	if !boxed {
		rend = tw.Rendition{Borders: tw.BorderNone, Settings: tw.Settings{Separators: tw.SeparatorsNone, Lines: tw.LinesNone}}
		padding = tw.Padding{Left: "", Right: "  ", Overwrite: true}
		overhead = 2 * len(header)
	}
	rows = rFitColumns(header, rows, t.width-twwidth.Width(indent)-overhead, wrapCols)
	if t.o.Color && !boxed {
		header = append([]string(nil), header...)
		for i, h := range header {
			header[i] = t.paint(ansiDim, h)
		}
	}
	var tb bytes.Buffer
	table := tablewriter.NewTable(&tb,
		tablewriter.WithRenderer(renderer.NewBlueprint(rend)),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: align}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: align}),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithPadding(padding),
	)
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	table.Header(hdr...)
	for _, r := range rows {
		cells := make([]any, len(r))
		for i, c := range r {
			cells[i] = c
		}
		if err := table.Append(cells...); err != nil {
			return fmt.Errorf("report: text table: %w", err)
		}
	}
	if err := table.Render(); err != nil {
		return fmt.Errorf("report: text table: %w", err)
	}
	for _, l := range strings.Split(strings.TrimRight(tb.String(), "\n"), "\n") {
		t.line(strings.TrimRight(indent+l, " "))
	}
	return nil
}

// rFitColumns narrows the widest of the wrap columns until the table's
// content fits avail columns (none below 12), wrapping their cells.
func rFitColumns(header []string, rows [][]string, avail int, wrapCols []int) [][]string {
	widths := make([]int, len(header))
	measure := func(cells []string) {
		for i, c := range cells {
			if i >= len(widths) {
				break
			}
			for _, l := range strings.Split(c, "\n") {
				widths[i] = max(widths[i], twwidth.Width(l))
			}
		}
	}
	measure(header)
	for _, r := range rows {
		measure(r)
	}
	natural := append([]int(nil), widths...)
	const minWidth = 12
	for {
		sum, widest := 0, -1
		for i, w := range widths {
			sum += w
			if rIndexInt(wrapCols, i) && (widest < 0 || w > widths[widest]) {
				widest = i
			}
		}
		if sum <= avail || widest < 0 || widths[widest] <= minWidth {
			break
		}
		widths[widest]--
	}
	out := rows
	for i := range widths {
		if widths[i] >= natural[i] {
			continue
		}
		if sameSlice(out, rows) {
			out = make([][]string, len(rows))
			for j, r := range rows {
				out[j] = append([]string(nil), r...)
			}
		}
		for _, r := range out {
			if i < len(r) {
				r[i] = rWrapCell(r[i], widths[i])
			}
		}
	}
	return out
}

func rIndexInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sameSlice(a, b [][]string) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }

// rWrapCell word-wraps each line of a cell to width columns, breaking
// words longer than the width unless they carry ANSI styles.
func rWrapCell(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if twwidth.Width(line) <= width {
			out = append(out, line)
			continue
		}
		var cur strings.Builder
		col := 0
		flush := func() {
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
				col = 0
			}
		}
		for _, word := range strings.Fields(line) {
			ww := twwidth.Width(word)
			if col > 0 && col+1+ww > width {
				flush()
			}
			if ww > width && !strings.Contains(word, "\x1b") {
				for _, r := range word {
					rw := twwidth.Width(string(r))
					if col+rw > width {
						flush()
					}
					cur.WriteRune(r)
					col += rw
				}
				continue
			}
			if col > 0 {
				cur.WriteByte(' ')
				col++
			}
			cur.WriteString(word)
			col += ww
		}
		flush()
	}
	return strings.Join(out, "\n")
}

// incident writes one incident.
func (t *textOut) incident(inc *Incident) error {
	v := t.v
	typ := rIncidentType(inc)
	head := fmt.Sprintf("Incident %d · %s · %s %s (%s)", inc.ID, typ, v.span(inc.Start, inc.End), Sanitize(v.zone), rDur(inc.End.Sub(inc.Start)))
	t.line(t.paint(ansiBoldRd, "━━ "+head))
	impact := ""
	if inc.Requests > 0 || inc.Failed > 0 {
		impact = fmt.Sprintf("%s of %s requests failed (%s)", t.paint(ansiRed, rInt(inc.Failed)), rInt(inc.Requests), rRate(inc.Failed, inc.Requests))
		if st := rStatusText(inc.Statuses); st != "" {
			impact += ": " + st
		}
		if inc.PeakErrorRate > 0 {
			impact += " · peak " + rPct(inc.PeakErrorRate)
			if !inc.PeakAt.IsZero() {
				impact += " at " + v.clockMin(inc.PeakAt)
			}
		}
	} else {
		impact = rCount(rErrors(inc), "error finding", "error findings") + " (no access log covers the window)"
	}
	t.para("   ", "", impact)
	if inc.Summary != "" {
		t.line("")
		t.para("   ", "", Sanitize(inc.Summary))
	}
	if t.o.Verbose && inc.Detection != "" {
		t.para("   ", "Detected:", Sanitize(inc.Detection))
	}

	if len(inc.Causes) > 0 {
		t.line("")
		if err := t.causeTable(inc); err != nil {
			return err
		}
	}
	t.line("")
	if len(inc.Chain) > 0 {
		t.para("   ", "Chain:", t.chainText(inc))
	} else {
		t.para("   ", "Chain:", "no classified cause")
	}
	if inc.Reasoning != "" {
		t.para("   ", "Why:", Sanitize(inc.Reasoning))
	}
	if inc.Confidence != "" {
		t.para("   ", "Confidence:", Sanitize(inc.Confidence))
	}

	if len(inc.Timeline) > 0 {
		t.line("")
		if err := t.timeline(inc); err != nil {
			return err
		}
	}
	t.sparkline(inc)
	t.scope(inc)
	t.latency(inc)
	if err := t.changes(inc); err != nil {
		return err
	}
	if len(inc.Checks) > 0 {
		t.line("")
		title := "Check first:"
		if inc.RootCause != "" {
			title = "Check first (" + Sanitize(inc.RootCause) + "):"
		}
		t.heading("   ", title)
		for i, c := range inc.Checks {
			n := strconv.Itoa(i+1) + "."
			t.line(rWrap("     "+n+" ", "     "+strings.Repeat(" ", len(n)+1), Sanitize(c), t.width))
		}
	}
	if t.o.Verbose {
		if len(inc.ActionItems) > 0 {
			t.line("")
			t.heading("   ", "Action items:")
			for _, c := range inc.ActionItems {
				t.line(rWrap("     - ", "       ", Sanitize(c), t.width))
			}
		}
		t.evidence(inc)
		if len(inc.Unclassified) > 0 {
			t.line("")
			t.heading("   ", "Unclassified errors around the incident:")
			t.groups("     ", inc.Unclassified, 5)
		}
	}
	return nil
}

// chainText renders the chain ending in the dominant statuses.
func (t *textOut) chainText(inc *Incident) string {
	parts := make([]string, 0, len(inc.Chain)+1)
	for i, c := range inc.Chain {
		s := Sanitize(c)
		if i == 0 {
			s = t.paint(ansiBold+ansiYellow, s)
		} else {
			s = t.paint(ansiYellow, s)
		}
		parts = append(parts, s)
	}
	if d := rDominant(inc.Statuses); d != "" {
		parts = append(parts, t.paint(ansiRed, d))
	}
	return strings.Join(parts, " → ")
}

// causeTable writes the causes of an incident as a boxed table.
func (t *textOut) causeTable(inc *Incident) error {
	rows := make([][]string, 0, len(inc.Causes))
	for _, c := range inc.Causes {
		step := ""
		if i := rIndex(inc.Chain, c.Cause); i >= 0 {
			step = strconv.Itoa(i + 1)
			if i == 0 {
				step = "root"
			}
			step = t.paint(ansiYellow, "● "+step)
		}
		cause := t.paint(ansiBold, Sanitize(c.Cause))
		if c.Title != "" {
			cause += "\n" + Sanitize(c.Title)
		}
		rows = append(rows, []string{step, Sanitize(c.Layer.Title()), cause, rInt(c.Count), t.v.clockNear(c.First, inc.Start), t.v.clockNear(c.Last, inc.Start)})
	}
	return t.table("   ", []string{"Chain", "Layer", "Cause", "Count", "First", "Last"}, rows,
		[]tw.Align{tw.AlignLeft, tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignLeft, tw.AlignLeft}, true, 1, 2)
}

// timeline writes the key moments, each with its file:line.
func (t *textOut) timeline(inc *Incident) error {
	t.heading("   ", "Timeline ("+Sanitize(t.v.zone)+")")
	moments := inc.Timeline
	const short = 12
	more := 0
	if !t.o.Verbose && len(moments) > short {
		more = len(moments) - short
		moments = moments[:short]
	}
	rows := make([][]string, 0, len(moments))
	for _, m := range moments {
		where := ""
		if m.Evidence != nil {
			where = t.paint(ansiDim, Sanitize(rWhere(*m.Evidence)))
		}
		kind := Sanitize(m.Kind)
		switch m.Kind {
		case "cause":
			kind = t.paint(ansiYellow, kind)
		case "symptom", "peak", "last":
			kind = t.paint(ansiRed, kind)
		case "change", "resolution":
			kind = t.paint(ansiCyan, kind)
		}
		rows = append(rows, []string{t.v.clockNear(m.Time, inc.Start), kind, Sanitize(m.What), where})
	}
	if err := t.table("     ", []string{"Time", "Kind", "What", "Evidence"}, rows, nil, false, 2, 3); err != nil {
		return err
	}
	if more > 0 {
		t.line("     … " + rCount(int64(more), "more moment", "more moments") + " (-v shows all)")
	}
	return nil
}

// sparkline writes the per-minute 5xx (or error) counts.
func (t *textOut) sparkline(inc *Incident) {
	if len(inc.PerMinute) == 0 {
		return
	}
	values := make([]int64, len(inc.PerMinute))
	var peak int64
	peakAt := inc.PerMinute[0].Minute
	for i, m := range inc.PerMinute {
		values[i] = m.Errors
		if m.Errors > peak {
			peak, peakAt = m.Errors, m.Minute
		}
	}
	first, last := inc.PerMinute[0].Minute, inc.PerMinute[len(inc.PerMinute)-1].Minute
	left, right := t.v.clockMin(first), t.v.clockMin(last)
	room := t.width - 5 - len(left) - len(right) - 2
	vals, per := sparkDownsample(values, max(room, 10))
	what := "5xx"
	if inc.Requests == 0 && inc.Failed == 0 {
		what = "Error findings"
	}
	label := fmt.Sprintf("%s per minute (max %s at %s", what, rInt(peak), t.v.clockMin(peakAt))
	if per > 1 {
		label += fmt.Sprintf("; one mark = %d minutes", per)
	}
	t.line("")
	t.heading("   ", label+")")
	t.line("     " + t.paint(ansiDim, left) + " " + t.paint(ansiRed, Sparkline(vals)) + " " + t.paint(ansiDim, right))
}

// scope writes where the failures concentrate.
func (t *textOut) scope(inc *Incident) {
	sc := inc.Scope
	if sc.Summary == "" && len(sc.Paths)+len(sc.Hosts)+len(sc.Upstreams)+len(sc.Clients) == 0 {
		return
	}
	t.line("")
	summary := Sanitize(sc.Summary)
	if summary == "" {
		summary = map[bool]string{true: "site-wide.", false: "concentrated."}[sc.SiteWide]
	}
	t.para("   ", "Scope:", summary)
	n := 3
	if t.o.Verbose {
		n = 10
	}
	for _, d := range []struct {
		name   string
		shares []Share
	}{{"paths", sc.Paths}, {"hosts", sc.Hosts}, {"upstreams", sc.Upstreams}, {"clients", sc.Clients}} {
		if len(d.shares) == 0 {
			continue
		}
		var parts []string
		for i, s := range d.shares {
			if i >= n {
				parts = append(parts, fmt.Sprintf("+%d more", len(d.shares)-n))
				break
			}
			p := Sanitize(s.Value) + " " + rPct(s.Share)
			if s.TrafficShare > 0 && s.TrafficShare < 0.995 {
				p += " (" + rPct(s.TrafficShare) + " of traffic)"
			}
			parts = append(parts, p)
		}
		t.line(rWrap("     "+t.paint(ansiDim, fmt.Sprintf("%-10s", d.name))+" ", "                ", strings.Join(parts, " · "), t.width))
	}
}

// latency writes the latency against the baseline.
func (t *textOut) latency(inc *Incident) {
	l := inc.Latency
	if l == nil {
		return
	}
	t.line("")
	t.para("   ", "Latency ("+Sanitize(l.Field)+"):", fmt.Sprintf("p50 %s → %s · p95 %s → %s · p99 %s → %s (baseline → incident, %s)",
		rSecs(l.BaselineP50), rSecs(l.IncidentP50), rSecs(l.BaselineP95), rSecs(l.IncidentP95),
		rSecs(l.BaselineP99), rSecs(l.IncidentP99), rCount(l.IncidentSample, "request", "requests")))
}

// changes writes the change markers in the hour before.
func (t *textOut) changes(inc *Incident) error {
	t.line("")
	if len(inc.Changes) == 0 {
		t.para("   ", "Changes:", "none logged in the hour before.")
		return nil
	}
	t.heading("   ", "Changes in the hour before:")
	rows := make([][]string, 0, len(inc.Changes))
	for _, c := range inc.Changes {
		rel := rDur(inc.Start.Sub(c.Time))
		if c.Time.After(inc.Start) {
			rel = "+" + rel
		}
		rows = append(rows, []string{t.v.clockNear(c.Time, inc.Start), rel, t.paint(ansiCyan, Sanitize(c.Kind)), Sanitize(c.Message), t.paint(ansiDim, Sanitize(rWhere(c.Evidence)))})
	}
	return t.table("     ", []string{"Time", "Before", "Change", "Message", "Evidence"}, rows,
		[]tw.Align{tw.AlignLeft, tw.AlignRight, tw.AlignLeft, tw.AlignLeft, tw.AlignLeft}, false, 3, 4)
}

// evidence writes the sample lines per cause (verbose).
func (t *textOut) evidence(inc *Incident) {
	if len(inc.Causes) == 0 {
		return
	}
	t.line("")
	t.heading("   ", "Evidence:")
	for _, c := range inc.Causes {
		if len(c.Evidence) == 0 {
			continue
		}
		t.line("     " + t.paint(ansiBold, Sanitize(c.Cause)) + " (" + rCount(c.Count, "line", "lines") + ")")
		for _, s := range c.Evidence {
			t.line("       " + t.paint(ansiDim, Sanitize(rWhere(s))))
			t.line("         " + SanitizeLines(strings.TrimRight(s.Raw, "\n"), "         "))
		}
	}
}

// noIncident writes the all-clear line with the totals.
func (t *textOut) noIncident() {
	a := t.v.a
	tot := a.Totals
	var failed int64
	for _, n := range tot.Statuses {
		failed += n
	}
	s := "No incident found"
	var parts []string
	if tot.Requests > 0 {
		p := rCount(tot.Requests, "request", "requests") + ", " + rInt(failed) + " 5xx (" + rRate(failed, tot.Requests) + ")"
		if st := rStatusText(tot.Statuses); st != "" {
			p += ": " + st
		}
		parts = append(parts, p)
	} else {
		parts = append(parts, "no access log requests")
	}
	parts = append(parts, rCount(tot.Findings, "cause finding", "cause findings"), rCount(tot.Changes, "change", "changes"))
	t.line(t.paint(ansiBold+ansiGreen, s) + " — " + strings.Join(parts, "; ") + ".")
	th := a.Thresholds
	if th.MinIncidentErrors > 0 {
		t.para("", "", t.paint(ansiDim, fmt.Sprintf("(An incident needs at least %d 5xx or error findings in bursts of minutes with ≥%d errors, ≥%s of requests and ≥%g× the input's baseline rate.)",
			th.MinIncidentErrors, th.MinErrors, rPct(th.MinRate), th.Factor)))
	}
}

// outside writes the causes seen outside every incident.
func (t *textOut) outside() {
	out := rOutside(t.v.a)
	if len(out) == 0 {
		return
	}
	t.line("")
	title := "Causes seen outside incidents"
	if len(t.v.a.Incidents) == 0 {
		title = "Causes seen"
	}
	t.heading("", title)
	n := 5
	if t.o.Verbose {
		n = len(out)
	}
	for i, o := range out {
		if i >= n {
			t.line(fmt.Sprintf("  … %d more (-v shows all)", len(out)-n))
			break
		}
		when := ""
		if !o.c.First.IsZero() {
			when = " · " + t.v.span(o.c.First, o.c.Last)
		}
		t.line(rWrap("  "+t.paint(ansiBold, Sanitize(o.c.Cause))+" ", "    ",
			"×"+rInt(o.n)+" · "+Sanitize(o.c.Layer.Title())+when, t.width))
	}
}

// unclassified writes the top unclassified error groups.
func (t *textOut) unclassified() {
	a := t.v.a
	if len(a.Unclassified) == 0 {
		return
	}
	t.line("")
	n := 3
	if t.o.Verbose {
		n = 20
	}
	title := fmt.Sprintf("Unclassified errors (%s", rCount(int64(len(a.Unclassified)), "group", "groups"))
	if len(a.Unclassified) > n {
		title += fmt.Sprintf("; top %d", n)
	}
	if a.UnclassifiedOverflow > 0 {
		title += fmt.Sprintf("; %s beyond the group limit", rCount(a.UnclassifiedOverflow, "more entry", "more entries"))
	}
	t.heading("", title+")")
	t.groups("  ", a.Unclassified, n)
}

func (t *textOut) groups(indent string, groups []*rules.Group, n int) {
	for i, g := range groups {
		if i >= n {
			break
		}
		count := "×" + rInt(g.Count)
		t.line(rWrap(indent+t.paint(ansiBold, count)+" ", indent+strings.Repeat(" ", len(count)+1),
			Sanitize(g.Template)+t.paint(ansiDim, " ["+Sanitize(rOr(g.Format, "unparsed"))+"]"), t.width))
		if len(g.Samples) > 0 {
			s := g.Samples[0]
			pad := indent + strings.Repeat(" ", len(count)+1)
			t.line(pad + t.paint(ansiDim, "e.g. "+Sanitize(rWhere(s))))
			t.line(pad + "  " + rClip(Sanitize(rFirstLine(s.Raw)), t.width-len(pad)-2))
		}
	}
}

// unparsed writes what could not be parsed, per file.
func (t *textOut) unparsed() {
	a := t.v.a
	var files []string
	for _, f := range a.Files {
		if f.Unparsed > 0 {
			files = append(files, f.Path)
		}
	}
	if a.Unparsed.Lines == 0 && len(files) == 0 && len(a.Unparsed.Unrecognised) == 0 {
		return
	}
	t.line("")
	lines := a.Unparsed.Lines
	if lines == 0 {
		for _, f := range a.Files {
			lines += f.Unparsed
		}
	}
	t.heading("", "Not parsed ("+rCount(lines, "line", "lines")+")")
	for _, f := range a.Files {
		if f.Unparsed == 0 {
			continue
		}
		what := rCount(f.Unparsed, "line", "lines") + " of " + rInt(f.Lines)
		if rIndex(a.Unparsed.Unrecognised, f.Path) >= 0 || f.Format == "" {
			what += " — no format recognised (use --as PATH=FORMAT)"
		}
		t.line(rWrap("  ", "    ", Sanitize(f.Path)+": "+what, t.width))
		if len(f.UnparsedSamples) > 0 {
			s := f.UnparsedSamples[0]
			pad := "    "
			t.line(pad + t.paint(ansiDim, "e.g. line "+strconv.FormatInt(s.Line, 10)+":") + " " + rClip(Sanitize(s.Text), t.width-len(pad)-20))
		}
	}
	for _, u := range a.Unparsed.Unrecognised {
		if rIndex(files, u) < 0 {
			t.line(rWrap("  ", "    ", Sanitize(u)+": no format recognised (use --as PATH=FORMAT)", t.width))
		}
	}
}

// ---- shared by the renderers ----

// rview formats times and numbers for the human-readable renderers.
type rview struct {
	a    *Analysis
	loc  *time.Location
	zone string
}

func newRView(a *Analysis) *rview {
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	zone := a.Zone
	if zone == "" {
		zone = loc.String()
	}
	return &rview{a: a, loc: loc, zone: zone}
}

// stamp is a date and time in the report zone.
func (v *rview) stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(v.loc).Format("2006-01-02 15:04:05")
}

// clockNear is the time of day, with the date when it differs from ref's.
func (v *rview) clockNear(t, ref time.Time) string {
	if t.IsZero() {
		return "—"
	}
	lt, lr := t.In(v.loc), ref.In(v.loc)
	if lt.YearDay() != lr.YearDay() || lt.Year() != lr.Year() {
		return lt.Format("2006-01-02 15:04:05")
	}
	return lt.Format("15:04:05")
}

// when is the time of day when the whole input lies within one day (the
// page states the date), else the date and time.
func (v *rview) when(t time.Time) string {
	if !v.a.First.IsZero() && v.a.First.In(v.loc).YearDay() == v.a.Last.In(v.loc).YearDay() && v.a.First.In(v.loc).Year() == v.a.Last.In(v.loc).Year() {
		return v.clockNear(t, v.a.First)
	}
	return v.stamp(t)
}

// clockMin is the hour and minute.
func (v *rview) clockMin(t time.Time) string { return t.In(v.loc).Format("15:04") }

// span renders a window, the date written once when both ends share it.
func (v *rview) span(from, to time.Time) string {
	if to.IsZero() || from.Equal(to) {
		return v.stamp(from)
	}
	return v.stamp(from) + " → " + v.clockNear(to, from)
}

// zoneLong names the zone with its abbreviation and offset at t.
func (v *rview) zoneLong(t time.Time) string {
	abbr, off := t.In(v.loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	offset := fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
	if v.zone == "UTC" && off == 0 {
		return "UTC"
	}
	if v.zone == offset || v.zone == strings.Replace(offset, "UTC", "", 1) {
		return offset
	}
	if abbr == v.zone || strings.HasPrefix(abbr, "+") || strings.HasPrefix(abbr, "-") {
		return v.zone + " (" + offset + ")"
	}
	return v.zone + " (" + abbr + ", " + offset + ")"
}

// rInt renders n with thousands separators: 12345 → "12,345".
func rInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if len(s) > 3 {
		var b strings.Builder
		lead := len(s) % 3
		if lead > 0 {
			b.WriteString(s[:lead])
		}
		for i := lead; i < len(s); i += 3 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(s[i : i+3])
		}
		s = b.String()
	}
	if neg {
		return "-" + s
	}
	return s
}

// rCount renders a count with its noun: "1 line", "2,048 lines".
func rCount(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return rInt(n) + " " + many
}

// rPct renders a share (0..1) as a percentage.
func rPct(f float64) string {
	p := f * 100
	switch {
	case math.IsNaN(p) || p <= 0:
		return "0%"
	case p < 0.1:
		return "<0.1%"
	case p >= 99.95 && p < 100:
		return ">99.9%"
	}
	s := strconv.FormatFloat(p, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + "%"
}

// rRate is n of total as a percentage.
func rRate(n, total int64) string {
	if total <= 0 {
		return "—"
	}
	return rPct(float64(n) / float64(total))
}

// rDur renders a duration for people: "45s", "17m 9s", "2h 3m", "3d 4h".
func rDur(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		if s%60 == 0 {
			return fmt.Sprintf("%dm", s/60)
		}
		return fmt.Sprintf("%dm %ds", s/60, s%60)
	case s < 86400:
		if s%3600/60 == 0 {
			return fmt.Sprintf("%dh", s/3600)
		}
		return fmt.Sprintf("%dh %dm", s/3600, s%3600/60)
	}
	return fmt.Sprintf("%dd %dh", s/86400, s%86400/3600)
}

// rSecs renders a latency in seconds.
func rSecs(f float64) string {
	switch {
	case math.IsNaN(f) || f < 0:
		return "—"
	case f < 1:
		return strconv.FormatFloat(f*1000, 'f', 0, 64) + " ms"
	case f < 100:
		return strconv.FormatFloat(f, 'f', 2, 64) + " s"
	}
	return rInt(int64(math.Round(f))) + " s"
}

// rWhere is a sample's file:line (not sanitised).
func rWhere(s rules.Sample) string {
	if s.Line <= 0 {
		return s.Source
	}
	return s.Source + ":" + strconv.FormatInt(s.Line, 10)
}

// rOr returns s, or def when s is empty.
func rOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rIndex is the position of s in list, or -1.
func rIndex(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// rStatus is one HTTP status and its count.
type rStatus struct {
	code string
	n    int64
}

// rStatuses orders statuses by count, most frequent first.
func rStatuses(m map[string]int64) []rStatus {
	out := make([]rStatus, 0, len(m))
	for k, n := range m {
		out = append(out, rStatus{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].code < out[j].code
	})
	return out
}

// rStatusText renders statuses as "502 ×2,010, 504 ×104".
func rStatusText(m map[string]int64) string {
	var parts []string
	for _, s := range rStatuses(m) {
		parts = append(parts, Sanitize(s.code)+" ×"+rInt(s.n))
	}
	return strings.Join(parts, ", ")
}

// rDominant names the statuses that make up at least a tenth of the
// failures, most frequent first: "502/504".
func rDominant(m map[string]int64) string {
	var total int64
	for _, n := range m {
		total += n
	}
	var parts []string
	for i, s := range rStatuses(m) {
		if i == 0 || s.n*10 >= total {
			parts = append(parts, Sanitize(s.code))
		}
	}
	return strings.Join(parts, "/")
}

// rIncidentType names the incident's type for people.
func rIncidentType(inc *Incident) string {
	switch inc.Type {
	case "":
		return "errors"
	case "errors":
		return "errors (no access log)"
	}
	return Sanitize(inc.Type)
}

// rErrors sums the per-minute errors of an incident.
func rErrors(inc *Incident) int64 {
	var n int64
	for _, m := range inc.PerMinute {
		n += m.Errors
	}
	if n == 0 {
		n = inc.Failed
	}
	return n
}

// rRoot returns the incident's root cause entry, or nil.
func rRoot(inc *Incident) *IncidentCause {
	for _, c := range inc.Causes {
		if c.Cause == inc.RootCause {
			return c
		}
	}
	return nil
}

// rOutsideCause is a cause with the findings outside every incident.
type rOutsideCause struct {
	c *CauseSummary
	n int64
}

// rOutside lists the causes with findings outside every incident's
// window, in the order of Analysis.Causes.
func rOutside(a *Analysis) []rOutsideCause {
	var out []rOutsideCause
	for _, c := range a.Causes {
		n := c.Count
		for _, inc := range a.Incidents {
			for _, ic := range inc.Causes {
				if ic.Cause == c.Cause {
					n -= ic.Count
				}
			}
		}
		if n > 0 {
			out = append(out, rOutsideCause{c, n})
		}
	}
	return out
}

// rTrigger returns the last change at or before the incident's start, or
// nil.
func rTrigger(inc *Incident) *Change {
	var best *Change
	for _, c := range inc.Changes {
		if !c.Time.After(inc.Start) && (best == nil || c.Time.After(best.Time)) {
			best = c
		}
	}
	return best
}

// rAfter lists the changes logged from a minute before the incident's end
// to half an hour after it: the restarts and reloads that may have ended it.
func rAfter(a *Analysis, inc *Incident) []*Change {
	var out []*Change
	for _, c := range a.Changes {
		if c.Time.After(inc.End.Add(-time.Minute)) && !c.Time.After(inc.End.Add(30*time.Minute)) && c.Time.After(inc.Start) {
			out = append(out, c)
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}

// rFirstLine is the first line of s.
func rFirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// rClip cuts s to at most n display columns, ending in "…".
func rClip(s string, n int) string {
	n = max(n, 10)
	if twwidth.Width(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := twwidth.Width(string(r))
		if w+rw > n-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// rCapital upper-cases the first letter of s.
func rCapital(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// rSentence ends s with a full stop.
func rSentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// rWrap word-wraps s to width columns: the first line starts with first
// (which counts towards the width), the others with indent.
func rWrap(first, indent, s string, width int) string {
	var b strings.Builder
	b.WriteString(first)
	col := twwidth.Width(first)
	start := col
	for _, word := range strings.Fields(s) {
		ww := twwidth.Width(word)
		if col > start && col+1+ww > width {
			b.WriteByte('\n')
			b.WriteString(indent)
			col = twwidth.Width(indent)
			start = col
		} else if col > start {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += ww
	}
	return strings.TrimRight(b.String(), " ")
}
