package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faultline/faultline/rules"
)

//go:embed html/report.html.tmpl
var htmlTemplateText string

//go:embed html/style.css
var htmlStyle string

var htmlTemplate = template.Must(template.New("report").Parse(htmlTemplateText))

// RenderHTML writes the report as one self-contained HTML file that works
// offline: inline CSS, no script, no external font, style or image. Per
// incident it shows the key figures, the summary, an error-rate chart
// (inline SVG: requests and 5xx per minute, the incident window shaded,
// markers for each change and for the first evidence of the root cause),
// the chain, the reasoning, the causes, scope, latency, timeline, changes,
// checks, action items and evidence; then the inputs, causes outside
// incidents, unclassified errors and unparsed lines. Every log-derived
// string is sanitised and HTML-escaped by html/template. It reads well in
// light and dark mode and prints cleanly.
func RenderHTML(w io.Writer, a *Analysis) error {
	if a == nil {
		return fmt.Errorf("report: no analysis to render")
	}
	page := buildHTMLPage(a)
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// ---- the page model: every string sanitised, numbers formatted ----

type htmlPage struct {
	Title, Meta, Clock string
	Style              template.CSS
	Notes              []string
	Incidents          []*htmlIncident
	NoIncident         string
	NoIncidentNote     string
	Files              []htmlFile
	FileNotes          []string
	Outside            []htmlCauseRow
	OutsideTitle       string
	Changes            []htmlChange // all changes, shown without incidents
	Unclassified       []htmlGroup
	UnclassifiedMore   string
	Unparsed           []htmlUnparsed
	Zone               string
}

type htmlKPI struct{ Label, Value, Note, Class string }

type htmlStep struct {
	ID, Title, Layer string
	Root             bool
}

type htmlCauseRow struct {
	Step, Layer, Cause, Title, Count, First, Last, Where string
	InChain, Root                                        bool
}

type htmlShare struct{ Dim, Value, Count, Share, Traffic, Pct, TrafficPct string }

type htmlMoment struct{ Time, Kind, What, Where string }

type htmlChange struct{ Time, Before, Kind, Message, Where string }

type htmlSeg struct {
	Text string
	Code bool
}

type htmlSample struct{ Where, When, Text string }

type htmlEvidence struct {
	Cause, Title, Count string
	Samples             []htmlSample
}

type htmlGroup struct {
	Count, Format, Template, First, Last string
	Sample                               *htmlSample
}

type htmlUnparsed struct{ Path, Lines, Sample, Note string }

type htmlFile struct {
	Path, Format, Lines, Entries, Unparsed, First, Last, Zone string
	Warn                                                      bool
}

type htmlLatency struct {
	Field, Requests string
	Rows            []htmlLatencyRow
}

type htmlLatencyRow struct {
	Name, Baseline, Incident string
	Worse                    bool // at least 1.5× the baseline
}

type htmlIncident struct {
	ID                            int
	Type, Window, Duration, Zone  string
	KPIs                          []htmlKPI
	Summary, Detection, Reasoning string
	Confidence                    string
	Chain                         []htmlStep
	ChainEnd                      string
	Chart                         *htmlChart
	Causes                        []htmlCauseRow
	ScopeSummary                  string
	SiteWide                      bool
	Shares                        []htmlShare
	Latency                       *htmlLatency
	Timeline                      []htmlMoment
	Changes                       []htmlChange
	CheckCause                    string
	Checks                        [][]htmlSeg
	Actions                       [][]htmlSeg
	Evidence                      []htmlEvidence
	Unclassified                  []htmlGroup
	Inputs                        string
}

func buildHTMLPage(a *Analysis) *htmlPage {
	v := newRView(a)
	p := &htmlPage{Style: template.CSS(htmlStyle), Zone: Sanitize(v.zone)}
	md := &mdOut{v: v}
	if len(a.Incidents) == 0 {
		p.Title = "Log review: no incident found"
		if !a.First.IsZero() {
			p.Title += ", " + v.titleSpan(a.First, a.Last)
		}
	} else {
		p.Title = md.title()
	}
	p.Title = Sanitize(p.Title)

	var lines int64
	for _, f := range a.Files {
		lines += f.Lines
	}
	p.Meta = rCount(int64(len(a.Files)), "input", "inputs") + " · " + rCount(lines, "line", "lines")
	if !a.First.IsZero() {
		p.Meta += " · " + v.span(a.First, a.Last) + " " + v.zone
	}
	p.Meta = Sanitize(p.Meta)
	t := &textOut{v: v}
	p.Clock = rCapital(t.clockText())
	for _, n := range a.Notes {
		p.Notes = append(p.Notes, Sanitize(n))
	}

	for _, inc := range a.Incidents {
		p.Incidents = append(p.Incidents, buildHTMLIncident(v, inc))
	}
	if len(a.Incidents) == 0 {
		tot := a.Totals
		var failed int64
		for _, n := range tot.Statuses {
			failed += n
		}
		s := ""
		if tot.Requests > 0 {
			s = rCount(tot.Requests, "request", "requests") + ", " + rInt(failed) + " 5xx (" + rRate(failed, tot.Requests) + ")"
			if st := rStatusText(tot.Statuses); st != "" {
				s += ": " + st
			}
		} else {
			s = "No access-log requests"
		}
		s += "; " + rCount(tot.Findings, "cause finding", "cause findings") + "; " + rCount(tot.Changes, "change", "changes") + "."
		p.NoIncident = s
		if th := a.Thresholds; th.MinIncidentErrors > 0 {
			p.NoIncidentNote = fmt.Sprintf("An incident needs at least %d 5xx (or error findings) in bursts of minutes with at least %d errors, %s of requests and %g× the input's baseline rate.",
				th.MinIncidentErrors, th.MinErrors, rPct(th.MinRate), th.Factor)
		}
		for _, c := range a.Changes {
			p.Changes = append(p.Changes, htmlChange{Time: v.when(c.Time), Kind: Sanitize(c.Kind), Message: Sanitize(c.Message), Where: Sanitize(rWhere(c.Evidence))})
		}
	}

	for _, f := range a.Files {
		hf := htmlFile{Path: Sanitize(f.Path), Format: Sanitize(f.Format), Lines: rInt(f.Lines), Entries: rInt(f.Entries),
			Unparsed: rInt(f.Unparsed), First: "—", Last: "—", Warn: f.Unparsed > 0}
		switch {
		case hf.Format == "" && f.Lines == 0:
			hf.Format = "empty"
		case hf.Format == "":
			hf.Format = "unrecognised"
		}
		if f.Wrapper != "" {
			hf.Format += " in " + Sanitize(f.Wrapper)
		}
		if f.Forced {
			hf.Format += " (forced)"
		}
		if !f.First.IsZero() {
			hf.First, hf.Last = v.when(f.First), v.when(f.Last)
		}
		if f.Zoneless > 0 {
			hf.Zone = Sanitize(rOr(f.Zone, v.zone))
		}
		p.Files = append(p.Files, hf)
		if f.Error != "" {
			p.FileNotes = append(p.FileNotes, Sanitize(f.Path)+": reading stopped early: "+Sanitize(f.Error))
		}
		if f.Truncated > 0 {
			p.FileNotes = append(p.FileNotes, Sanitize(f.Path)+": "+rCount(f.Truncated, "line was", "lines were")+" cut at the line-length limit.")
		}
		if f.Zoneless > 0 && f.ZoneReason != "" && f.ZoneReason != a.ZoneReason {
			p.FileNotes = append(p.FileNotes, Sanitize(f.Path)+": entries without a zone read in "+Sanitize(f.Zone)+": "+Sanitize(f.ZoneReason))
		}
	}
	for _, k := range rSortedKeys(a.RuleTimeouts) {
		p.FileNotes = append(p.FileNotes, "Rule "+Sanitize(k)+": "+rCount(a.RuleTimeouts[k], "match", "matches")+" abandoned after the regexp2 timeout.")
	}

	p.OutsideTitle = "Causes seen outside the incidents"
	if len(a.Incidents) == 0 {
		p.OutsideTitle = "Causes seen"
	}
	for _, o := range rOutside(a) {
		row := htmlCauseRow{Cause: Sanitize(o.c.Cause), Title: Sanitize(o.c.Title), Layer: Sanitize(o.c.Layer.Title()),
			Count: rInt(o.n), First: v.when(o.c.First), Last: v.when(o.c.Last)}
		if len(o.c.Evidence) > 0 {
			row.Where = Sanitize(rWhere(o.c.Evidence[0]))
		}
		p.Outside = append(p.Outside, row)
	}
	p.Unclassified = htmlGroups(v, a.Unclassified, 25, time.Time{})
	if n := len(a.Unclassified) - 25; n > 0 {
		p.UnclassifiedMore = fmt.Sprintf("%d more groups are in the JSON report.", n)
	}
	if a.UnclassifiedOverflow > 0 {
		p.UnclassifiedMore = strings.TrimSpace(p.UnclassifiedMore + " " + rCount(a.UnclassifiedOverflow, "more entry", "more entries") + " fell beyond the limit of distinct templates.")
	}
	for _, f := range a.Files {
		if f.Unparsed == 0 {
			continue
		}
		u := htmlUnparsed{Path: Sanitize(f.Path), Lines: rInt(f.Unparsed) + " of " + rInt(f.Lines)}
		if len(f.UnparsedSamples) > 0 {
			s := f.UnparsedSamples[0]
			u.Sample = "line " + strconv.FormatInt(s.Line, 10) + ": " + Sanitize(s.Text)
		}
		if f.Format == "" || rIndex(a.Unparsed.Unrecognised, f.Path) >= 0 {
			u.Note = "no format recognised — use --as PATH=FORMAT"
		}
		p.Unparsed = append(p.Unparsed, u)
	}
	for _, path := range a.Unparsed.Unrecognised {
		found := false
		for _, f := range a.Files {
			found = found || f.Path == path
		}
		if !found {
			p.Unparsed = append(p.Unparsed, htmlUnparsed{Path: Sanitize(path), Lines: "—", Note: "no format recognised — use --as PATH=FORMAT"})
		}
	}
	return p
}

func buildHTMLIncident(v *rview, inc *Incident) *htmlIncident {
	h := &htmlIncident{ID: inc.ID, Type: rIncidentType(inc), Window: v.span(inc.Start, inc.End), Duration: rDur(inc.End.Sub(inc.Start)),
		Zone: Sanitize(v.zone), Summary: Sanitize(inc.Summary), Detection: Sanitize(inc.Detection), Reasoning: Sanitize(inc.Reasoning),
		Confidence: Sanitize(rOr(inc.Confidence, "unknown")), ScopeSummary: Sanitize(inc.Scope.Summary), SiteWide: inc.Scope.SiteWide}
	if inc.Requests > 0 || inc.Failed > 0 {
		h.KPIs = append(h.KPIs, htmlKPI{Label: "Failed requests", Value: rInt(inc.Failed), Note: "of " + rInt(inc.Requests) + " (" + rRate(inc.Failed, inc.Requests) + ")", Class: "bad"})
		peak := htmlKPI{Label: "Peak error rate", Value: rPct(inc.PeakErrorRate), Class: "bad"}
		if !inc.PeakAt.IsZero() {
			peak.Note = "minute of " + v.clockMin(inc.PeakAt)
		}
		h.KPIs = append(h.KPIs, peak)
	} else {
		h.KPIs = append(h.KPIs, htmlKPI{Label: "Error findings", Value: rInt(rErrors(inc)), Note: "no access log covers the window", Class: "bad"})
	}
	h.KPIs = append(h.KPIs, htmlKPI{Label: "Duration", Value: h.Duration, Note: v.clockNear(inc.Start, inc.Start) + " → " + v.clockNear(inc.End, inc.Start)})
	if st := rStatuses(inc.Statuses); len(st) > 0 {
		var parts []string
		for i, s := range st {
			if i >= 3 {
				break
			}
			parts = append(parts, Sanitize(s.code)+" ×"+rInt(s.n))
		}
		h.KPIs = append(h.KPIs, htmlKPI{Label: "Statuses", Value: rDominant(inc.Statuses), Note: strings.Join(parts, " · ")})
	}
	root := htmlKPI{Label: "Root cause", Value: "not identified", Note: "confidence " + h.Confidence, Class: "root"}
	if inc.RootCause != "" {
		root.Value = Sanitize(inc.RootCause)
	}
	h.KPIs = append(h.KPIs, root)

	for i, id := range inc.Chain {
		st := htmlStep{ID: Sanitize(id), Root: i == 0}
		for _, c := range inc.Causes {
			if c.Cause == id {
				st.Title, st.Layer = Sanitize(c.Title), Sanitize(c.Layer.Title())
			}
		}
		h.Chain = append(h.Chain, st)
	}
	h.ChainEnd = rDominant(inc.Statuses)
	h.Chart = buildChart(v, inc)

	for _, c := range inc.Causes {
		row := htmlCauseRow{Layer: Sanitize(c.Layer.Title()), Cause: Sanitize(c.Cause), Title: Sanitize(c.Title), Count: rInt(c.Count),
			First: v.clockNear(c.First, inc.Start), Last: v.clockNear(c.Last, inc.Start)}
		if i := rIndex(inc.Chain, c.Cause); i >= 0 {
			row.InChain, row.Root = true, i == 0
			row.Step = strconv.Itoa(i + 1)
			if i == 0 {
				row.Step = "root"
			}
		}
		if len(c.Evidence) > 0 {
			row.Where = Sanitize(rWhere(c.Evidence[0]))
		}
		h.Causes = append(h.Causes, row)
	}
	sc := inc.Scope
	for _, d := range []struct {
		name   string
		shares []Share
	}{{"path", sc.Paths}, {"host", sc.Hosts}, {"upstream", sc.Upstreams}, {"client", sc.Clients}} {
		for i, s := range d.shares {
			if i >= 5 {
				break
			}
			traffic := "—"
			if s.TrafficShare > 0 {
				traffic = rPct(s.TrafficShare)
			}
			h.Shares = append(h.Shares, htmlShare{Dim: d.name, Value: Sanitize(s.Value), Count: rInt(s.Count), Share: rPct(s.Share), Traffic: traffic,
				Pct: svgNum(min(max(s.Share, 0), 1) * 100), TrafficPct: svgNum(min(max(s.TrafficShare, 0), 1) * 100)})
		}
	}
	if l := inc.Latency; l != nil {
		row := func(name string, base, inc float64) htmlLatencyRow {
			return htmlLatencyRow{Name: name, Baseline: rSecs(base), Incident: rSecs(inc), Worse: inc >= 1.5*base && inc > 0}
		}
		h.Latency = &htmlLatency{Field: Sanitize(l.Field), Requests: rInt(l.IncidentSample), Rows: []htmlLatencyRow{
			row("p50", l.BaselineP50, l.IncidentP50), row("p95", l.BaselineP95, l.IncidentP95), row("p99", l.BaselineP99, l.IncidentP99),
		}}
	}
	for _, m := range inc.Timeline {
		hm := htmlMoment{Time: v.clockNear(m.Time, inc.Start), Kind: Sanitize(m.Kind), What: Sanitize(m.What)}
		if m.Evidence != nil {
			hm.Where = Sanitize(rWhere(*m.Evidence))
		} else if len(inc.Inputs) > 0 {
			hm.Where = Sanitize(inc.Inputs[0]) + " (per-minute counts)"
		}
		h.Timeline = append(h.Timeline, hm)
	}
	for _, c := range inc.Changes {
		before := rDur(inc.Start.Sub(c.Time)) + " before"
		if c.Time.After(inc.Start) {
			before = rDur(c.Time.Sub(inc.Start)) + " after the start"
		}
		h.Changes = append(h.Changes, htmlChange{Time: v.clockNear(c.Time, inc.Start), Before: before, Kind: Sanitize(c.Kind),
			Message: Sanitize(c.Message), Where: Sanitize(rWhere(c.Evidence))})
	}
	h.CheckCause = Sanitize(inc.RootCause)
	for _, c := range inc.Checks {
		h.Checks = append(h.Checks, htmlSegments(c))
	}
	for _, c := range inc.ActionItems {
		h.Actions = append(h.Actions, htmlSegments(c))
	}
	for _, c := range inc.Causes {
		if len(c.Evidence) == 0 {
			continue
		}
		e := htmlEvidence{Cause: Sanitize(c.Cause), Title: Sanitize(c.Title), Count: rCount(c.Count, "line", "lines")}
		for _, s := range c.Evidence {
			e.Samples = append(e.Samples, htmlSampleOf(v, s, inc.Start))
		}
		h.Evidence = append(h.Evidence, e)
	}
	h.Unclassified = htmlGroups(v, inc.Unclassified, 10, inc.Start)
	var inputs []string
	for _, in := range inc.Inputs {
		inputs = append(inputs, Sanitize(in))
	}
	h.Inputs = strings.Join(inputs, ", ")
	return h
}

func htmlSampleOf(v *rview, s rules.Sample, ref time.Time) htmlSample {
	hs := htmlSample{Where: Sanitize(rWhere(s)), Text: SanitizeLines(strings.TrimRight(s.Raw, "\n"), "")}
	if !s.Time.IsZero() {
		if ref.IsZero() {
			hs.When = v.when(s.Time)
		} else {
			hs.When = v.clockNear(s.Time, ref)
		}
	}
	return hs
}

func htmlGroups(v *rview, groups []*rules.Group, n int, ref time.Time) []htmlGroup {
	var out []htmlGroup
	for i, g := range groups {
		if i >= n {
			break
		}
		hg := htmlGroup{Count: rInt(g.Count), Format: Sanitize(rOr(g.Format, "unparsed")), Template: Sanitize(g.Template),
			First: v.when(g.First), Last: v.when(g.Last)}
		if len(g.Samples) > 0 {
			s := htmlSampleOf(v, g.Samples[0], ref)
			hg.Sample = &s
		}
		out = append(out, hg)
	}
	return out
}

// htmlSegments splits catalogue text into prose and `code`.
func htmlSegments(s string) []htmlSeg {
	var out []htmlSeg
	for s != "" {
		i := strings.IndexByte(s, '`')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(s[i+1:], '`')
		}
		if i < 0 || j < 0 {
			out = append(out, htmlSeg{Text: Sanitize(s)})
			break
		}
		if i > 0 {
			out = append(out, htmlSeg{Text: Sanitize(s[:i])})
		}
		out = append(out, htmlSeg{Text: Sanitize(s[i+1 : i+1+j]), Code: true})
		s = s[i+2+j:]
	}
	return out
}

// ---- the chart ----

// Chart geometry (SVG user units).
const (
	chartW      = 960
	chartH      = 300
	chartLeft   = 58
	chartRight  = 52
	chartTop    = 44
	chartBottom = 30
	chartMaxBar = 240 // more minutes than this are summed into wider bars
)

type htmlChart struct {
	W, H                   int
	PlotX, PlotY           string
	PlotW, PlotH, PlotBase string
	PlotRight, TickEnd     string
	Window                 htmlRect
	WindowLabelX           string
	ReqBars, ErrBars       []htmlRect
	RatePoints             string
	RateDots               []htmlPoint
	YTicks, RateTicks      []htmlTick
	XTicks                 []htmlTick
	Markers                []htmlMarker
	HasRequests            bool
	HasChange, HasCause    bool
	Caption, Summary       string
	Bucket                 int
}

type htmlRect struct{ X, Y, W, H, Title string }

type htmlPoint struct{ X, Y, Title string }

type htmlTick struct{ X, Y, Label string }

type htmlMarker struct {
	X, Y1, Y2, LabelX, LabelY, Anchor, Label, Title, Class string
}

func svgNum(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// chartBucket is one bar: a minute, or several summed.
type chartBucket struct {
	start            time.Time
	requests, errors int64
}

func buildChart(v *rview, inc *Incident) *htmlChart {
	pm := inc.Context
	if len(pm) == 0 {
		pm = inc.PerMinute
	}
	if len(pm) == 0 {
		return nil
	}
	pm = append([]MinuteCount(nil), pm...)
	sort.SliceStable(pm, func(i, j int) bool { return pm[i].Minute.Before(pm[j].Minute) })
	per := 1
	first, last := pm[0].Minute, pm[len(pm)-1].Minute
	span := int(last.Sub(first)/time.Minute) + 1
	if span > chartMaxBar {
		per = (span + chartMaxBar - 1) / chartMaxBar
	}
	var buckets []chartBucket
	for _, m := range pm {
		k := int(m.Minute.Sub(first)/time.Minute) / per
		start := first.Add(time.Duration(k*per) * time.Minute)
		if len(buckets) == 0 || !buckets[len(buckets)-1].start.Equal(start) {
			buckets = append(buckets, chartBucket{start: start})
		}
		b := &buckets[len(buckets)-1]
		b.requests += m.Requests
		b.errors += m.Errors
	}

	// the time axis covers the minutes, the window, the changes and the
	// root cause's first evidence
	lo, hi := first, last.Add(time.Duration(per)*time.Minute)
	widen := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	widen(inc.Start)
	widen(inc.End)
	for _, c := range inc.Changes {
		widen(c.Time)
	}
	root := rRoot(inc)
	if root != nil {
		widen(root.First)
	}
	lo = lo.Truncate(time.Minute)
	if !hi.Equal(hi.Truncate(time.Minute)) {
		hi = hi.Truncate(time.Minute).Add(time.Minute)
	}
	// a little air on both sides
	pad := max(hi.Sub(lo)/40, time.Minute)
	lo, hi = lo.Add(-pad), hi.Add(pad)

	plotX, plotY := float64(chartLeft), float64(chartTop)
	plotW, plotH := float64(chartW-chartLeft-chartRight), float64(chartH-chartTop-chartBottom)
	total := hi.Sub(lo).Seconds()
	xOf := func(t time.Time) float64 { return plotX + t.Sub(lo).Seconds()/total*plotW }
	base := plotY + plotH

	c := &htmlChart{W: chartW, H: chartH, PlotX: svgNum(plotX), PlotY: svgNum(plotY), PlotW: svgNum(plotW), PlotH: svgNum(plotH), PlotBase: svgNum(base), Bucket: per,
		PlotRight: svgNum(plotX + plotW), TickEnd: svgNum(base + 5)}
	var maxReq, maxErr int64
	for _, b := range buckets {
		maxReq = max(maxReq, b.requests)
		maxErr = max(maxErr, b.errors)
		c.HasRequests = c.HasRequests || b.requests > 0
	}
	step, nTicks := niceStep(float64(max(maxReq, maxErr, 1)))
	yMax := step * float64(nTicks)
	yOf := func(n int64) float64 { return base - float64(n)/yMax*plotH }
	for i := 0; i <= nTicks; i++ {
		c.YTicks = append(c.YTicks, htmlTick{X: svgNum(plotX - 8), Y: svgNum(base - plotH*float64(i)/float64(nTicks)), Label: rInt(int64(math.Round(step * float64(i))))})
	}
	if c.HasRequests {
		for i := 0; i <= 4; i++ {
			c.RateTicks = append(c.RateTicks, htmlTick{X: svgNum(plotX + plotW + 8), Y: svgNum(base - plotH*float64(i)/4), Label: strconv.Itoa(25*i) + "%"})
		}
	}

	barW := plotW * float64(per) * 60 / total
	gap := min(barW*0.18, 3)
	var pts []string
	for _, b := range buckets {
		x := xOf(b.start) + gap/2
		w := max(barW-gap, 0.6)
		label := v.clockMin(b.start)
		if per > 1 {
			label += "–" + v.clockMin(b.start.Add(time.Duration(per)*time.Minute))
		}
		if c.HasRequests {
			y := yOf(b.requests)
			c.ReqBars = append(c.ReqBars, htmlRect{X: svgNum(x), Y: svgNum(y), W: svgNum(w), H: svgNum(base - y),
				Title: label + ": " + rCount(b.requests, "request", "requests")})
		}
		y := yOf(b.errors)
		c.ErrBars = append(c.ErrBars, htmlRect{X: svgNum(x), Y: svgNum(y), W: svgNum(w), H: svgNum(base - y),
			Title: label + ": " + rInt(b.errors) + " 5xx"})
		if b.requests > 0 {
			rate := float64(b.errors) / float64(b.requests)
			px, py := x+w/2, base-rate*plotH
			pts = append(pts, svgNum(px)+","+svgNum(py))
			c.RateDots = append(c.RateDots, htmlPoint{X: svgNum(px), Y: svgNum(py), Title: label + ": " + rPct(rate) + " of requests failed"})
		}
	}
	c.RatePoints = strings.Join(pts, " ")
	if !c.HasRequests {
		for i := range c.ErrBars {
			c.ErrBars[i].Title = strings.TrimSuffix(c.ErrBars[i].Title, " 5xx") + " error findings"
		}
	}

	x1, x2 := xOf(inc.Start), xOf(inc.End)
	if x2-x1 < 2 {
		x2 = x1 + 2
	}
	c.Window = htmlRect{X: svgNum(x1), Y: svgNum(plotY), W: svgNum(x2 - x1), H: svgNum(plotH),
		Title: "incident window " + v.span(inc.Start, inc.End) + " " + v.zone}
	c.WindowLabelX = svgNum((x1 + x2) / 2)
	c.XTicks = chartXTicks(v, lo, hi, xOf)

	// markers: each change, and the root cause's first evidence
	type mk struct {
		t            time.Time
		label, title string
		class        string
	}
	var marks []mk
	for _, ch := range inc.Changes {
		kind := strings.TrimPrefix(Sanitize(ch.Kind), "change-")
		marks = append(marks, mk{ch.Time, kind + " " + v.clockNear(ch.Time, inc.Start),
			Sanitize(ch.Kind) + " at " + v.clockNear(ch.Time, inc.Start) + ": " + rClip(Sanitize(ch.Message), 120), "marker marker-change"})
	}
	if root != nil && !root.First.IsZero() {
		marks = append(marks, mk{root.First, "first " + Sanitize(root.Cause) + " " + v.clockNear(root.First, inc.Start),
			"first evidence of the root cause, " + Sanitize(root.Cause) + ", at " + v.clockNear(root.First, inc.Start), "marker marker-cause"})
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].t.Before(marks[j].t) })
	c.HasChange, c.HasCause = len(inc.Changes) > 0, root != nil && !root.First.IsZero()
	var rowEnd [3]float64
	for i := range rowEnd {
		rowEnd[i] = -1e9
	}
	for _, m := range marks {
		x := xOf(m.t)
		width := 6.3*float64(len([]rune(m.label))) + 8
		anchor, lx := "start", x+4
		left := x
		if x+width > plotX+plotW+chartRight-4 {
			anchor, lx, left = "end", x-4, x-width
		}
		row := 0
		for row < len(rowEnd)-1 && left < rowEnd[row] {
			row++
		}
		rowEnd[row] = max(rowEnd[row], left+width)
		ly := plotY - 30 + float64(row)*12
		c.Markers = append(c.Markers, htmlMarker{X: svgNum(x), Y1: svgNum(ly + 3), Y2: svgNum(base), LabelX: svgNum(lx), LabelY: svgNum(ly),
			Anchor: anchor, Label: m.label, Title: m.title, Class: m.class})
	}

	what := "5xx"
	if !c.HasRequests {
		what = "error findings"
	}
	c.Caption = "Requests and " + what + " per minute (" + Sanitize(v.zone) + ")"
	if !c.HasRequests {
		c.Caption = "Error findings per minute (" + Sanitize(v.zone) + ")"
	}
	if per > 1 {
		c.Caption += fmt.Sprintf("; each bar sums %d minutes", per)
	}
	c.Summary = fmt.Sprintf("%s per minute from %s to %s; at most %s %s in a minute.", rCapital(what), v.clockMin(first), v.clockMin(last), rInt(maxErr), what)
	return c
}

// niceStep picks an axis step of 1, 2 or 5 × a power of ten (at least 1)
// so that at most 5 steps reach top, and returns it with the step count.
func niceStep(top float64) (float64, int) {
	for exp := 1.0; ; exp *= 10 {
		for _, m := range []float64{1, 2, 5} {
			step := m * exp
			if n := math.Ceil(top / step); n <= 5 {
				return step, int(max(n, 1))
			}
		}
	}
}

// chartXTicks places time labels at round minutes of the report zone.
func chartXTicks(v *rview, lo, hi time.Time, xOf func(time.Time) float64) []htmlTick {
	spanMin := hi.Sub(lo).Minutes()
	step := 1
	for _, s := range []int{1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080} {
		step = s
		if spanMin/float64(s) <= 9 {
			break
		}
	}
	var out []htmlTick
	t := lo.In(v.loc).Truncate(time.Minute)
	// advance to the first multiple of step in local time
	for i := 0; i < step+1 && (t.Hour()*60+t.Minute())%step != 0; i++ {
		t = t.Add(time.Minute)
	}
	for ; !t.After(hi); t = t.Add(time.Duration(step) * time.Minute) {
		if t.Before(lo) {
			continue
		}
		label := t.Format("15:04")
		if t.Hour() == 0 && t.Minute() == 0 {
			label = t.Format("Jan 2")
		}
		out = append(out, htmlTick{X: svgNum(xOf(t)), Label: label})
		if len(out) > 20 {
			break
		}
	}
	return out
}
