// Package report turns events and findings into an Analysis — incidents,
// their root cause and chain across layers, impact, scope, changes before
// them — with memory bounded by time span and caps, never by the number of
// lines; and renders it as text, Markdown, JSON, NDJSON and HTML.
package report

import (
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// SchemaVersion is the "version" of the JSON document (DESIGN §5).
const SchemaVersion = 1

// Analysis is everything a report shows. Times are UTC; renderers show
// them in Location, whose name is Zone.
type Analysis struct {
	Version int `json:"version"`
	// Zone names the zone human-readable reports use (the zone assumed for
	// zoneless logs, or UTC).
	Zone string `json:"zone"`
	// ZoneReason says why that zone.
	ZoneReason string `json:"zone_reason,omitempty"`
	// Location is Zone as a location (not serialised).
	Location *time.Location `json:"-"`

	// First and Last bound the timestamps read.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Since and Until echo --since/--until when given.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`

	Files     []*parsers.FileStats `json:"files"`
	Notes     []string             `json:"notes,omitempty"` // skipped inputs and other remarks
	Totals    Totals               `json:"totals"`
	Incidents []*Incident          `json:"incidents"`
	// Causes are all causes seen in the whole input, deepest layer first.
	Causes  []*CauseSummary `json:"causes"`
	Changes []*Change       `json:"changes"`
	// Unparsed sums up what no parser understood.
	Unparsed Unparsed `json:"unparsed"`
	// Unclassified are error entries no rule matched, grouped by template.
	Unclassified         []*rules.Group `json:"unclassified"`
	UnclassifiedOverflow int64          `json:"unclassified_overflow,omitempty"`
	// RuleTimeouts counts regexp2 matches abandoned, per rule id.
	RuleTimeouts map[string]int64 `json:"rule_timeouts,omitempty"`
	// Thresholds are the incident-detection settings used.
	Thresholds Thresholds `json:"thresholds"`
}

// Totals counts the whole input.
type Totals struct {
	Requests int64            `json:"requests"`
	Statuses map[string]int64 `json:"statuses"` // "502": n (5xx only)
	Findings int64            `json:"findings"`
	Changes  int64            `json:"changes"`
}

// Unparsed is the "unparsed" object of the JSON document.
type Unparsed struct {
	Lines int64            `json:"lines"`
	Files map[string]int64 `json:"files"` // path → unparsed lines
	// Unrecognised lists inputs no format understood at all.
	Unrecognised []string `json:"unrecognised,omitempty"`
}

// Incident is one period of failure (DESIGN §7).
type Incident struct {
	ID    int       `json:"id"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Type is "502/504" when the gateway got no valid answer from its
	// upstream, "500" when the application failed while processing, or
	// "errors" when no access log shows the responses.
	Type string `json:"type"`
	// Summary is one sentence: what, since when, how bad, why.
	Summary string `json:"summary"`
	// RootCause is the earliest cause in the chain the evidence supports.
	RootCause string `json:"root_cause"`
	// Chain lists cause ids from root to symptom, deepest layer first, e.g.
	// oom-killed → fpm-child-crashed → upstream-closed-early; the HTTP
	// statuses the chain ends in are in Statuses.
	Chain      []string `json:"chain"`
	Confidence string   `json:"confidence"` // high, medium, low
	// Reasoning explains the root and chain in one or two sentences with
	// the numbers behind them.
	Reasoning string `json:"reasoning"`
	// Detection says how the incident showed (which input, what rate
	// against which baseline).
	Detection string `json:"detection"`

	Causes   []*IncidentCause `json:"causes"`
	Statuses map[string]int64 `json:"statuses"`
	Requests int64            `json:"requests"`
	Failed   int64            `json:"failed"`
	// PeakErrorRate is the highest per-minute share of 5xx responses.
	PeakErrorRate float64   `json:"peak_error_rate"`
	PeakAt        time.Time `json:"peak_at,omitzero"`
	Latency       *Latency  `json:"latency,omitempty"`
	Changes       []*Change `json:"changes"`
	Scope         Scope     `json:"scope"`
	// Timeline lists the key moments, each citing its evidence.
	Timeline []*Moment `json:"timeline"`
	// PerMinute holds the 5xx count (or error findings without access logs)
	// of each minute from Start to End, for sparklines and charts.
	PerMinute []MinuteCount `json:"per_minute"`
	// Context holds the same counts from half an hour before the incident
	// (or its earliest change) to ten minutes after, where the logs cover
	// them: the baseline around it, for charts.
	Context []MinuteCount `json:"context_per_minute"`
	// Checks are the root cause's first checks, from the catalogue.
	Checks []string `json:"checks"`
	// ActionItems come from the catalogue's fixes of the chain's causes.
	ActionItems  []string       `json:"action_items"`
	Unclassified []*rules.Group `json:"unclassified,omitempty"`
	// Inputs are the access logs (or error logs) that showed the burst.
	Inputs []string `json:"inputs"`
}

// MinuteCount is one minute of an incident's timeline.
type MinuteCount struct {
	Minute   time.Time `json:"minute"`
	Requests int64     `json:"requests"`
	Errors   int64     `json:"errors"` // 5xx, or error findings without access logs
	Causes   int64     `json:"causes"` // cause findings in the minute
}

// IncidentCause is one cause seen in an incident's window.
type IncidentCause struct {
	Cause   string      `json:"cause"`
	Title   string      `json:"title"`
	Layer   rules.Layer `json:"layer"`
	Count   int64       `json:"count"`
	First   time.Time   `json:"first"`
	Last    time.Time   `json:"last"`
	InChain bool        `json:"in_chain"`
	Rules   []string    `json:"rules"`
	// Keys are values the findings carried (pids, pools, upstreams …).
	Keys     map[string][]string `json:"keys,omitempty"`
	Evidence []rules.Sample      `json:"evidence"`
}

// CauseSummary is one cause over the whole input.
type CauseSummary struct {
	Cause    string         `json:"cause"`
	Title    string         `json:"title"`
	Layer    rules.Layer    `json:"layer"`
	Count    int64          `json:"count"`
	First    time.Time      `json:"first,omitzero"`
	Last     time.Time      `json:"last,omitzero"`
	Rules    []string       `json:"rules"`
	Evidence []rules.Sample `json:"evidence"`
}

// Change is a change marker: a reload, restart, deploy or config test.
type Change struct {
	Kind     string       `json:"kind"` // the change id, e.g. change-reload
	Time     time.Time    `json:"time"`
	Rule     string       `json:"rule"`
	Message  string       `json:"message"`
	Evidence rules.Sample `json:"evidence"`
}

// Latency compares request times in the incident with the baseline.
type Latency struct {
	Field          string  `json:"field"` // request_time or upstream_time
	BaselineP50    float64 `json:"baseline_p50"`
	BaselineP95    float64 `json:"baseline_p95"`
	BaselineP99    float64 `json:"baseline_p99"`
	IncidentP50    float64 `json:"incident_p50"`
	IncidentP95    float64 `json:"incident_p95"`
	IncidentP99    float64 `json:"incident_p99"`
	IncidentSample int64   `json:"incident_requests"`
}

// Scope says where the failures concentrate.
type Scope struct {
	// SiteWide is true when no single path, host, upstream or client group
	// stands out among the failures.
	SiteWide bool `json:"site_wide"`
	// Summary is one sentence.
	Summary   string  `json:"summary"`
	Paths     []Share `json:"paths"`
	Hosts     []Share `json:"hosts"`
	Upstreams []Share `json:"upstreams"`
	Clients   []Share `json:"clients"`
}

// Share is a value's part of the failures (and of all traffic).
type Share struct {
	Value string  `json:"value"`
	Count int64   `json:"count"`
	Share float64 `json:"share"` // of failed requests
	// TrafficShare is the value's share of all requests in the window.
	TrafficShare float64 `json:"traffic_share"`
}

// Moment is one entry of an incident's timeline.
type Moment struct {
	Time time.Time `json:"time"`
	// What happened, in words.
	What string `json:"what"`
	// Kind: change, cause, symptom, peak, last.
	Kind     string        `json:"kind"`
	Cause    string        `json:"cause,omitempty"`
	Evidence *rules.Sample `json:"evidence,omitempty"`
}

// Thresholds are the incident-detection settings (flags of scan and
// report).
type Thresholds struct {
	// MinErrors is the least number of 5xx (or error findings) in a minute
	// for the minute to count as bad.
	MinErrors int `json:"min_errors"`
	// MinRate is the least 5xx share of a minute's requests to count.
	MinRate float64 `json:"min_rate"`
	// Factor is how many times its input's baseline rate a minute's rate
	// must reach.
	Factor float64 `json:"factor"`
	// MinIncidentErrors is the least number of 5xx (or error findings) for
	// a burst to be an incident.
	MinIncidentErrors int `json:"min_incident_errors"`
	// MergeGap joins bursts less than this apart.
	MergeGap Duration `json:"merge_gap"`
	// Lookback is how far before an incident causes and changes are
	// searched for.
	Lookback Duration `json:"lookback"`
}

// DefaultThresholds are the defaults of the scan and report flags.
func DefaultThresholds() Thresholds {
	return Thresholds{
		MinErrors:         3,
		MinRate:           0.05,
		Factor:            5,
		MinIncidentErrors: 10,
		MergeGap:          Duration(5 * time.Minute),
		Lookback:          Duration(60 * time.Minute),
	}
}

// Duration marshals as a Go duration string ("5m0s").
type Duration time.Duration

// MarshalText renders the duration like time.Duration.String.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }
