package report

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Memory bounds of the builder. State grows with the time span covered
// (per minute and per five-minute block, only where data exists) and with
// the number of inputs and causes — never with the number of lines or of
// distinct paths, hosts or clients.
const (
	blockSeconds     = 300 // resolution of scope sketches, latency and samples
	topKSize         = 16  // values kept per sketch
	samplesPerBlock  = 2   // first samples kept per cause and block (plus the last)
	keyValuesPerKind = 8   // correlation keys kept per cause, block and kind
	maxChanges       = 5000
	summarySamples   = 3
)

// Options configure a Builder.
type Options struct {
	Thresholds Thresholds
	// CauseWindow is how far before an incident's first failure its causes
	// are looked for (a cause already rising then is included with its
	// whole burst, up to Thresholds.Lookback).
	CauseWindow time.Duration
	// Tolerance is how much later than the first failure a cause may start
	// and still be the root: logs of different daemons are written and
	// flushed at slightly different moments.
	Tolerance time.Duration
	// Location and ZoneReason are the zone reports show times in.
	Location   *time.Location
	ZoneReason string
	// Since and Until drop entries outside [Since, Until) when set.
	Since, Until time.Time
}

// DefaultOptions returns the defaults of the scan and report flags.
func DefaultOptions() Options {
	return Options{Thresholds: DefaultThresholds(), CauseWindow: 15 * time.Minute, Tolerance: 30 * time.Second, Location: time.UTC}
}

// Builder accumulates events and findings into the state an Analysis is
// computed from. Add events in any order; Analyze may be called at any time
// (live tail calls it repeatedly). It is not safe for concurrent use.
type Builder struct {
	opts Options
	cat  *rules.Catalogue

	series  map[string]*series
	minutes map[int64]*minuteAgg
	blocks  map[int64]*block
	causes  map[string]*causeAgg

	changes      []*Change
	unclassified *rules.Unclassified
	files        []*parsers.FileStats
	notes        []string
	timeouts     map[string]int64

	// requests by tier: access logs (the edge) and application request logs;
	// the analysis counts impact from the edge when there is one, so that a
	// request in both Nginx's and the app's log is not counted twice
	tierTotals [2]Totals
	totals     Totals // findings and changes
	// recentPIDs remembers, per cause and pid, when the cause was last
	// logged: one event logged in several lines (the kernel names an OOM
	// victim twice) counts once
	recentPIDs map[string]time.Time
	// lastPID remembers, per cause and input, the last finding that named a
	// pid: a pid-less line right after it (systemd's "A process of this unit
	// has been killed by the OOM killer") reports the same event
	lastPID map[string]time.Time
	// lastPIDLess remembers, per cause and input, the last finding that
	// named no pid and was counted
	lastPIDLess map[string]time.Time
	first, last time.Time

	// cache of the last minute and block touched
	lastMinKey   int64
	lastMin      *minuteAgg
	lastBlockKey int64
	lastBlock    *block
}

// series is one input's per-minute counts: the baseline incidents are
// measured against.
type series struct {
	source  string
	format  string
	minutes map[int64]*seriesMinute
	// requests is true when the input logs requests with a status; tier
	// then says whether it is an access log or an application's.
	requests bool
	tier     int
}

type seriesMinute struct {
	req, bad5xx, causes   int32
	first5xx, last5xx     int64 // unix nanos
	firstCause, lastCause int64
}

// Request tiers.
const (
	tierEdge = 0 // access logs: Nginx, Apache
	tierApp  = 1 // application request logs (Rails "Completed 500", uWSGI, JSON request logs)
)

// requestTier tells access logs from application request logs.
func requestTier(ev *parsers.Event) int {
	if ev.Format == parsers.FormatNginxAccess || ev.Format == parsers.FormatApacheAccess {
		return tierEdge
	}
	return tierApp
}

// minuteAgg is one minute over all inputs.
type minuteAgg struct {
	tiers  [2]minuteTraffic
	causes int64
}

// minuteTraffic is one minute's requests of one tier.
type minuteTraffic struct {
	req, failed int64
	statuses    map[int]int64 // 5xx only
}

// block is five minutes of sketches, latency and evidence.
type block struct {
	tiers [2]*blockTraffic
	// gatewayUpstreams are the upstreams named by gateway findings.
	gatewayUpstreams *topK
	samples          map[string]*sampleSet // cause id or "status-502"
	keys             map[string]map[string][]string
}

// blockTraffic is five minutes of one tier's requests: who failed, who was
// asked at all, and how long requests took.
type blockTraffic struct {
	failPaths, failHosts, failUpstreams, failClients *topK
	allPaths, allHosts, allUpstreams, allClients     *topK
	latReq, latUp                                    *latHist
}

// sampleSet keeps the earliest samples and the latest one.
type sampleSet struct {
	first []rules.Sample
	last  rules.Sample
}

func (s *sampleSet) add(ev *parsers.Event) {
	if len(s.first) < samplesPerBlock {
		s.first = append(s.first, rules.NewSample(ev))
		sort.Slice(s.first, func(i, j int) bool { return sampleBefore(s.first[i], s.first[j]) })
	} else if sampleBefore(sampleOf(ev), s.first[len(s.first)-1]) {
		s.first[len(s.first)-1] = rules.NewSample(ev)
		sort.Slice(s.first, func(i, j int) bool { return sampleBefore(s.first[i], s.first[j]) })
	}
	if s.last.Raw == "" || ev.Time.After(s.last.Time) {
		s.last = rules.NewSample(ev)
	}
}

// sampleOf describes ev for ordering without copying its text.
func sampleOf(ev *parsers.Event) rules.Sample {
	return rules.Sample{Source: ev.Source, Line: ev.Line, Time: ev.Time}
}

// sampleBefore orders samples by time, then source and line, so that the
// samples kept do not depend on the order inputs were read in.
func sampleBefore(a, b rules.Sample) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.Before(b.Time)
	}
	if a.Source != b.Source {
		return a.Source < b.Source
	}
	return a.Line < b.Line
}

// causeAgg is one cause over the whole input.
type causeAgg struct {
	cause   *rules.Cause
	count   int64
	first   time.Time
	last    time.Time
	rules   map[string]int64
	minutes map[int64]*causeMinute
	samples []rules.Sample
}

type causeMinute struct {
	n           int32
	first, last int64
}

// NewBuilder returns an empty builder.
func NewBuilder(cat *rules.Catalogue, opts Options) *Builder {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Thresholds == (Thresholds{}) {
		opts.Thresholds = DefaultThresholds()
	}
	return &Builder{
		opts: opts, cat: cat,
		series: map[string]*series{}, minutes: map[int64]*minuteAgg{},
		blocks: map[int64]*block{}, causes: map[string]*causeAgg{},
		unclassified: rules.NewUnclassified(), timeouts: map[string]int64{}, recentPIDs: map[string]time.Time{}, lastPID: map[string]time.Time{}, lastPIDLess: map[string]time.Time{},
		tierTotals: [2]Totals{{Statuses: map[string]int64{}}, {Statuses: map[string]int64{}}},
		lastMinKey: -1 << 62, lastBlockKey: -1 << 62,
	}
}

// InRange reports whether an entry passes --since/--until. Entries without
// a time pass only when neither is set.
func (b *Builder) InRange(ev *parsers.Event) bool {
	if b.opts.Since.IsZero() && b.opts.Until.IsZero() {
		return true
	}
	if ev.Time.IsZero() {
		return false
	}
	if !b.opts.Since.IsZero() && ev.Time.Before(b.opts.Since) {
		return false
	}
	return b.opts.Until.IsZero() || ev.Time.Before(b.opts.Until)
}

// AddFile records an input's statistics.
func (b *Builder) AddFile(st *parsers.FileStats) { b.files = append(b.files, st) }

// AddNote records a remark for the report (a skipped input …).
func (b *Builder) AddNote(s string) { b.notes = append(b.notes, s) }

// SetRuleTimeouts records the rule engine's regexp2 time-outs.
func (b *Builder) SetRuleTimeouts(m map[string]int64) { b.timeouts = m }

// tier is the request tier impact is counted from: the access logs when
// there are any, else the application request logs.
func (b *Builder) tier() int {
	if b.tierTotals[tierEdge].Requests > 0 {
		return tierEdge
	}
	return tierApp
}

// IsSymptom reports whether ev is a failed response: a 5xx in an access log
// or in an application's request log.
func IsSymptom(ev *parsers.Event) bool { return ev.Status >= 500 && ev.Status <= 599 }

// Add accumulates one entry and its finding (nil when no rule matched).
// Entries outside --since/--until are ignored.
func (b *Builder) Add(ev *parsers.Event, f *rules.Finding) {
	if !b.InRange(ev) {
		return
	}
	if !ev.Time.IsZero() {
		if b.first.IsZero() || ev.Time.Before(b.first) {
			b.first = ev.Time
		}
		if ev.Time.After(b.last) {
			b.last = ev.Time
		}
	}
	request := ev.Status > 0
	if request {
		b.addRequest(ev)
	}
	switch {
	case f != nil && f.Kind == rules.KindChange:
		b.addChange(ev, f)
	case f != nil:
		b.addCause(ev, f)
	case !request && rules.IsError(ev):
		b.unclassified.Add(ev)
	}
}

func (b *Builder) seriesFor(ev *parsers.Event) *series {
	s, ok := b.series[ev.Source]
	if !ok {
		s = &series{source: strings.Clone(ev.Source), format: ev.Format, minutes: map[int64]*seriesMinute{}}
		b.series[s.source] = s
	}
	return s
}

func (s *series) minute(key int64) *seriesMinute {
	m, ok := s.minutes[key]
	if !ok {
		m = &seriesMinute{}
		s.minutes[key] = m
	}
	return m
}

func (b *Builder) minute(key int64) *minuteAgg {
	if key == b.lastMinKey {
		return b.lastMin
	}
	m, ok := b.minutes[key]
	if !ok {
		m = &minuteAgg{}
		b.minutes[key] = m
	}
	b.lastMinKey, b.lastMin = key, m
	return m
}

func (b *Builder) block(key int64) *block {
	if key == b.lastBlockKey {
		return b.lastBlock
	}
	bl, ok := b.blocks[key]
	if !ok {
		bl = &block{samples: map[string]*sampleSet{}}
		b.blocks[key] = bl
	}
	b.lastBlockKey, b.lastBlock = key, bl
	return bl
}

func minuteKey(t time.Time) int64 { return floorDiv(t.Unix(), 60) }
func blockKey(t time.Time) int64  { return floorDiv(t.Unix(), blockSeconds) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func (b *Builder) addRequest(ev *parsers.Event) {
	tier := requestTier(ev)
	tot := &b.tierTotals[tier]
	tot.Requests++
	failed := IsSymptom(ev)
	if failed {
		tot.Statuses[strconv.Itoa(ev.Status)]++
	}
	if ev.Time.IsZero() {
		return
	}
	s := b.seriesFor(ev)
	s.requests, s.tier = true, tier
	mk := minuteKey(ev.Time)
	sm := s.minute(mk)
	sm.req++
	m := &b.minute(mk).tiers[tier]
	m.req++
	bl := b.block(blockKey(ev.Time))
	t := bl.tiers[tier]
	if t == nil {
		t = &blockTraffic{allPaths: newTopK(topKSize), allHosts: newTopK(topKSize), allUpstreams: newTopK(topKSize), allClients: newTopK(topKSize)}
		bl.tiers[tier] = t
	}
	path, upstream, client := pathOnly(ev.Path), normalizeUpstream(ev.Upstream), clientGroup(ev.Client)
	t.allPaths.add(path, 1)
	t.allHosts.add(ev.Host, 1)
	t.allUpstreams.add(upstream, 1)
	t.allClients.add(client, 1)
	if ev.RequestTime >= 0 {
		if t.latReq == nil {
			t.latReq = &latHist{}
		}
		t.latReq.add(ev.RequestTime)
	}
	if ev.UpstreamTime >= 0 {
		if t.latUp == nil {
			t.latUp = &latHist{}
		}
		t.latUp.add(ev.UpstreamTime)
	}
	if !failed {
		return
	}
	ns := ev.Time.UnixNano()
	sm.bad5xx++
	if sm.first5xx == 0 || ns < sm.first5xx {
		sm.first5xx = ns
	}
	if ns > sm.last5xx {
		sm.last5xx = ns
	}
	m.failed++
	if m.statuses == nil {
		m.statuses = map[int]int64{}
	}
	m.statuses[ev.Status]++
	if t.failPaths == nil {
		t.failPaths, t.failHosts, t.failUpstreams, t.failClients = newTopK(topKSize), newTopK(topKSize), newTopK(topKSize), newTopK(topKSize)
	}
	t.failPaths.add(path, 1)
	t.failHosts.add(ev.Host, 1)
	t.failUpstreams.add(upstream, 1)
	t.failClients.add(client, 1)
	bl.sampleSet(statusKey(ev.Status)).add(ev)
}

func statusKey(status int) string { return "status-" + strconv.Itoa(status) }

func (bl *block) sampleSet(key string) *sampleSet {
	s, ok := bl.samples[key]
	if !ok {
		s = &sampleSet{}
		bl.samples[key] = s
	}
	return s
}

// pathOnly drops the query string: /search?q=x and /search?q=y are one path.
func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i]
	}
	return p
}

// clientGroup is the client's /24 (IPv4) or /48 (IPv6) network prefix,
// so that scope can name a client group rather than scattered addresses.
// It slices the address (no allocation); groupLabel renders it.
func clientGroup(ip string) string {
	if strings.IndexByte(ip, ':') >= 0 {
		n := 0
		for i := 0; i < len(ip); i++ {
			if ip[i] == ':' {
				if n++; n == 3 {
					return ip[:i]
				}
			}
		}
		return ip
	}
	if i := strings.LastIndexByte(ip, '.'); i > 0 && strings.Count(ip, ".") == 3 {
		return ip[:i]
	}
	return ip
}

// groupLabel renders a clientGroup prefix as a network.
func groupLabel(prefix string) string {
	switch {
	case strings.Count(prefix, ":") == 2:
		return prefix + "::/48"
	case strings.Count(prefix, ".") == 2:
		return prefix + ".0/24"
	}
	return prefix
}

// sameEventWindow is how close two findings of one cause about one pid
// must be to describe the same event.
const sameEventWindow = 30 * time.Second

// followUpWindow is how soon after a finding that names a pid a pid-less
// finding of the same cause in the same log is taken for its follow-up.
const followUpWindow = 2 * time.Second

// duplicate reports whether f repeats a finding of the same cause about the
// same event logged moments before: the same pid within sameEventWindow,
// a pid-less line within followUpWindow after a line that named a pid
// (systemd's "A process of this unit has been killed by the OOM killer"),
// or the first line naming a pid within followUpWindow after a pid-less
// one (the kernel's "php-fpm8.2 invoked oom-killer" comes before "Killed
// process 8123").
func (b *Builder) duplicate(ev *parsers.Event, f *rules.Finding) bool {
	if ev.Time.IsZero() {
		return false
	}
	pid := f.Field("pid")
	src := f.Cause + "\x00" + ev.Source
	if pid == "" {
		prev, ok := b.lastPID[src]
		if d := ev.Time.Sub(prev); ok && d >= 0 && d <= followUpWindow {
			return true
		}
		b.lastPIDLess[src] = ev.Time
		return false
	}
	b.lastPID[src] = ev.Time
	key := f.Cause + "\x00" + pid
	prev, seen := b.recentPIDs[key]
	if len(b.recentPIDs) > 10000 {
		clear(b.recentPIDs) // bounded: forgetting only risks counting an event twice
	}
	b.recentPIDs[key] = ev.Time
	if d := ev.Time.Sub(prev); seen && d <= sameEventWindow && d >= -sameEventWindow {
		return true
	}
	if t, ok := b.lastPIDLess[src]; ok {
		delete(b.lastPIDLess, src) // one pid-less line stands for one event
		if d := ev.Time.Sub(t); d >= 0 && d <= followUpWindow {
			return true
		}
	}
	return false
}

func (b *Builder) addCause(ev *parsers.Event, f *rules.Finding) {
	if b.duplicate(ev, f) {
		// the same event again: not counted, but its keys still link it
		// (the kernel's second line names the pid the first one lacked)
		bl := b.block(blockKey(ev.Time))
		for _, k := range findingKeys(ev, f) {
			bl.addKey(f.Cause, k.Key, k.Value)
		}
		return
	}
	b.totals.Findings++
	c, ok := b.causes[f.Cause]
	if !ok {
		c = &causeAgg{cause: b.cat.Get(f.Cause), rules: map[string]int64{}, minutes: map[int64]*causeMinute{}}
		if c.cause == nil {
			c.cause = &rules.Cause{ID: f.Cause, Title: f.Cause, Layer: f.Layer}
		}
		b.causes[f.Cause] = c
	}
	c.count++
	c.rules[f.Rule]++
	if ev.Time.IsZero() {
		return
	}
	if c.first.IsZero() || ev.Time.Before(c.first) {
		c.first = ev.Time
	}
	if ev.Time.After(c.last) {
		c.last = ev.Time
	}
	keepEarliest(&c.samples, ev, summarySamples)
	ns := ev.Time.UnixNano()
	mk := minuteKey(ev.Time)
	cm, ok := c.minutes[mk]
	if !ok {
		cm = &causeMinute{first: ns, last: ns}
		c.minutes[mk] = cm
	}
	cm.n++
	cm.first, cm.last = min(cm.first, ns), max(cm.last, ns)
	b.minute(mk).causes++
	sm := b.seriesFor(ev).minute(mk)
	sm.causes++
	if sm.firstCause == 0 || ns < sm.firstCause {
		sm.firstCause = ns
	}
	sm.lastCause = max(sm.lastCause, ns)

	bl := b.block(blockKey(ev.Time))
	bl.sampleSet(f.Cause).add(ev)
	for _, k := range findingKeys(ev, f) {
		bl.addKey(f.Cause, k.Key, k.Value)
	}
	if f.Layer == rules.LayerGateway {
		if bl.gatewayUpstreams == nil {
			bl.gatewayUpstreams = newTopK(topKSize)
		}
		bl.gatewayUpstreams.add(normalizeUpstream(firstNonEmpty(f.Field("upstream"), ev.Upstream)), 1)
	}
}

// keepEarliest keeps the n earliest samples (by time, source, line).
func keepEarliest(list *[]rules.Sample, ev *parsers.Event, n int) {
	s := sampleOf(ev)
	if len(*list) >= n && !sampleBefore(s, (*list)[len(*list)-1]) {
		return
	}
	full := rules.NewSample(ev)
	*list = append(*list, full)
	sort.Slice(*list, func(i, j int) bool { return sampleBefore((*list)[i], (*list)[j]) })
	if len(*list) > n {
		*list = (*list)[:n]
	}
}

func (bl *block) addKey(cause, kind, v string) {
	if v == "" {
		return
	}
	if bl.keys == nil {
		bl.keys = map[string]map[string][]string{}
	}
	kinds, ok := bl.keys[cause]
	if !ok {
		kinds = map[string][]string{}
		bl.keys[cause] = kinds
	}
	vals := kinds[kind]
	if len(vals) >= keyValuesPerKind {
		return
	}
	for _, x := range vals {
		if x == v {
			return
		}
	}
	kinds[kind] = append(vals, strings.Clone(v))
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func (b *Builder) addChange(ev *parsers.Event, f *rules.Finding) {
	b.totals.Changes++
	if ev.Time.IsZero() || len(b.changes) >= maxChanges {
		return
	}
	msg := ev.Message
	if msg == "" {
		msg = string(ev.Raw)
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if len(msg) > 300 {
		msg = msg[:300]
	}
	b.changes = append(b.changes, &Change{Kind: f.Cause, Time: ev.Time, Rule: f.Rule, Message: strings.Clone(msg), Evidence: rules.NewSample(ev)})
}
