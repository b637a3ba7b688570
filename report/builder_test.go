package report

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Synthetic event streams: events and findings built by hand, as the
// parsers and the rule engine would make them, fed to a Builder.

// t0 is the start of every synthetic stream.
var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// at is t0 plus minutes and seconds.
func at(min, sec int) time.Time {
	return t0.Add(time.Duration(min)*time.Minute + time.Duration(sec)*time.Second)
}

var testCatalogue = func() *rules.Catalogue {
	cat, err := rules.DefaultCatalogue()
	if err != nil {
		panic(err)
	}
	return cat
}()

// stream builds a synthetic input set and feeds a Builder.
type stream struct {
	t    testing.TB
	b    *Builder
	line map[string]int64
}

func newStream(t testing.TB, opts ...func(*Options)) *stream {
	o := DefaultOptions()
	for _, f := range opts {
		f(&o)
	}
	return &stream{t: t, b: NewBuilder(testCatalogue, o), line: map[string]int64{}}
}

func (s *stream) next(src string) int64 {
	s.line[src]++
	return s.line[src]
}

// req describes one access-log request.
type req struct {
	path, host, client, upstream string
	rt, ut                       float64
	format                       string
}

// request adds one access-log line (nginx-access unless r.format says
// otherwise) with the given status.
func (s *stream) request(src string, t time.Time, status int, r req) {
	ev := &parsers.Event{
		Time: t, TimeKnownZone: true, Source: src, Line: s.next(src), Format: parsers.FormatNginxAccess,
		Level: parsers.LevelFromStatus(status), Status: status, Method: "GET",
		Path: r.path, Host: r.host, Client: r.client, Upstream: r.upstream, RequestTime: -1, UpstreamTime: -1,
	}
	if r.format != "" {
		ev.Format = r.format
	}
	if ev.Path == "" {
		ev.Path = "/"
	}
	if ev.Host == "" {
		ev.Host = "shop.example.com"
	}
	if ev.Client == "" {
		ev.Client = "192.0.2.10"
	}
	if r.rt > 0 {
		ev.RequestTime = r.rt
	}
	if r.ut > 0 {
		ev.UpstreamTime = r.ut
	}
	ev.Raw = fmt.Appendf(nil, `%s - - [%s] "GET %s HTTP/1.1" %d 512 "-" "test"`, ev.Client, t.Format("02/Jan/2006:15:04:05 -0700"), ev.Path, status)
	s.b.Add(ev, nil)
}

// traffic adds n requests spread evenly over minute m of src, failed of
// them with status (the first ones), the rest 200.
func (s *stream) traffic(src string, m, n, failed, status int, r req) {
	for i := range n {
		t := at(m, 0).Add(time.Duration(i) * time.Minute / time.Duration(n))
		st := 200
		if i < failed {
			st = status
		}
		s.request(src, t, st, r)
	}
}

// cause adds one finding of a cause, logged by src, with extracted
// fields as key, value pairs.
func (s *stream) cause(src string, t time.Time, cause string, kv ...string) {
	s.t.Helper()
	c := testCatalogue.Get(cause)
	if c == nil {
		s.t.Fatalf("unknown cause %q", cause)
	}
	ev := &parsers.Event{Time: t, Source: src, Line: s.next(src), Format: parsers.FormatNginxError, Level: parsers.LevelError, RequestTime: -1, UpstreamTime: -1}
	f := &rules.Finding{Event: ev, Rule: "test-" + cause, Cause: cause, Kind: c.Kind(), Layer: c.Layer}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Fields = append(f.Fields, parsers.Field{Key: kv[i], Value: kv[i+1]})
	}
	ev.Message = cause + " " + fmt.Sprint(kv)
	ev.Raw = []byte(t.Format("2006/01/02 15:04:05") + " [error] " + ev.Message)
	s.b.Add(ev, f)
}

// change adds one change marker.
func (s *stream) change(src string, t time.Time, kind, msg string) {
	ev := &parsers.Event{Time: t, Source: src, Line: s.next(src), Format: parsers.FormatSyslog, Level: parsers.LevelInfo, Message: msg, Raw: []byte(msg), RequestTime: -1, UpstreamTime: -1}
	s.b.Add(ev, &rules.Finding{Event: ev, Rule: "test-" + kind, Cause: kind, Kind: rules.KindChange, Layer: rules.LayerChange})
}

func (s *stream) analyze() *Analysis { return s.b.Analyze() }

// one returns the only incident, failing the test when there is not
// exactly one.
func one(t *testing.T, a *Analysis) *Incident {
	t.Helper()
	if len(a.Incidents) != 1 {
		t.Fatalf("%d incidents, want 1: %s", len(a.Incidents), describe(a))
	}
	return a.Incidents[0]
}

// describe lists incidents for failure messages.
func describe(a *Analysis) string {
	s := ""
	for _, in := range a.Incidents {
		s += fmt.Sprintf("[%s–%s %s root=%s chain=%v] ", in.Start.Format("15:04:05"), in.End.Format("15:04:05"), in.Type, in.RootCause, in.Chain)
	}
	return s
}

// TestBoundedMemory feeds a million requests and findings with unique
// paths, hosts, clients, upstreams and pids over six hours and checks that
// the state kept is bounded by the caps, not by the number of lines or
// distinct values.
func TestBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a million events")
	}
	b := NewBuilder(testCatalogue, DefaultOptions())
	const n = 1_000_000
	span := 6 * time.Hour
	ev := &parsers.Event{Format: parsers.FormatNginxAccess, Source: "/var/log/nginx/access.log", Method: "GET", RequestTime: 0.05, UpstreamTime: 0.04}
	fev := &parsers.Event{Format: parsers.FormatNginxError, Source: "/var/log/nginx/error.log", Level: parsers.LevelError, RequestTime: -1, UpstreamTime: -1}
	for i := range n {
		ts := t0.Add(time.Duration(int64(span/time.Millisecond)*int64(i)/n) * time.Millisecond)
		id := strconv.Itoa(i)
		ev.Time, ev.Line, ev.Status = ts, int64(i+1), 200
		if i%3 == 0 {
			ev.Status = 502
		}
		ev.Path, ev.Host = "/product/"+id, "h"+id+".example.com"
		ev.Client, ev.Upstream = "10."+strconv.Itoa(i>>16&255)+"."+strconv.Itoa(i>>8&255)+"."+strconv.Itoa(i&255), "10.1.0."+id+":8080"
		ev.Raw = []byte("GET /product/" + id)
		b.Add(ev, nil)
		if i%4 == 0 {
			fev.Time, fev.Line = ts, int64(i+1)
			fev.Message = "connect() failed (111: Connection refused) while connecting to upstream, upstream: \"http://10.1.0." + id + ":8080/\""
			fev.Raw = []byte(fev.Message)
			b.Add(fev, &rules.Finding{Event: fev, Rule: "nginx-upstream-refused", Cause: "upstream-refused", Kind: rules.KindCause, Layer: rules.LayerGateway,
				Fields: []parsers.Field{{Key: "upstream", Value: "http://10.1.0." + id + ":8080/"}, {Key: "pid", Value: id}}})
		}
	}
	blocks := int(span/time.Second)/blockSeconds + 1
	if len(b.blocks) > blocks {
		t.Errorf("%d blocks, want at most %d", len(b.blocks), blocks)
	}
	if m := int(span/time.Minute) + 1; len(b.minutes) > m {
		t.Errorf("%d minutes, want at most %d", len(b.minutes), m)
	}
	sketches, samples, keys := 0, 0, 0
	for _, bl := range b.blocks {
		for _, tr := range bl.tiers {
			if tr == nil {
				continue
			}
			for _, k := range []*topK{tr.failPaths, tr.failHosts, tr.failUpstreams, tr.failClients, tr.allPaths, tr.allHosts, tr.allUpstreams, tr.allClients} {
				if k != nil {
					if k.len() > topKSize {
						t.Fatalf("a sketch holds %d values, cap %d", k.len(), topKSize)
					}
					sketches += k.len()
				}
			}
		}
		if bl.gatewayUpstreams != nil {
			sketches += bl.gatewayUpstreams.len()
		}
		for key, s := range bl.samples {
			if len(s.first) > samplesPerBlock {
				t.Fatalf("block keeps %d samples of %s, cap %d", len(s.first), key, samplesPerBlock)
			}
			samples += len(s.first) + 1
		}
		for _, kinds := range bl.keys {
			for kind, vals := range kinds {
				if len(vals) > keyValuesPerKind {
					t.Fatalf("block keeps %d %s keys, cap %d", len(vals), kind, keyValuesPerKind)
				}
				keys += len(vals)
			}
		}
	}
	// 73 blocks × (8 sketches of 16 + 16 gateway upstreams), 2 sample sets
	// of 3, keys of 3 kinds of 8
	if limit := blocks * (9 * topKSize); sketches > limit {
		t.Errorf("%d sketch entries, want at most %d", sketches, limit)
	}
	if limit := blocks * 2 * (samplesPerBlock + 1); samples > limit {
		t.Errorf("%d samples, want at most %d", samples, limit)
	}
	if limit := blocks * 3 * keyValuesPerKind; keys > limit {
		t.Errorf("%d correlation keys, want at most %d", keys, limit)
	}
	if len(b.recentPIDs) > 10001 {
		t.Errorf("%d pids remembered", len(b.recentPIDs))
	}
	for id, c := range b.causes {
		if len(c.samples) > summarySamples {
			t.Errorf("%s keeps %d summary samples", id, len(c.samples))
		}
		if len(c.minutes) > int(span/time.Minute)+1 {
			t.Errorf("%s keeps %d minutes", id, len(c.minutes))
		}
	}
	a := b.Analyze()
	if a.Totals.Requests != n {
		t.Errorf("counted %d requests, want %d", a.Totals.Requests, n)
	}
	// a steady third of all requests failing is this input's normal
	if len(a.Incidents) != 0 {
		t.Errorf("a constant failure rate made incidents: %s", describe(a))
	}
	t.Logf("%d blocks, %d sketch entries, %d samples, %d keys", len(b.blocks), sketches, samples, keys)
}

// BenchmarkAnalyzeDays measures Analyze over three days of state from ten
// inputs with forty incidents: live tail calls it every five seconds.
func BenchmarkAnalyzeDays(b *testing.B) {
	s := newStream(b)
	const days = 3
	for m := 0; m < days*24*60; m++ {
		for i := range 4 {
			src := fmt.Sprintf("/var/log/nginx/site%d.access.log", i)
			failed := 0
			if m%108 < 3 && i == m/108%4 {
				failed = 30 // an incident every 108 minutes
			}
			for j := range 10 {
				st := 200
				if j < failed/3 {
					st = 502
				}
				s.request(src, at(m, j*6), st, req{path: fmt.Sprintf("/p/%d", j), rt: 0.1})
			}
		}
		for i := range 6 {
			src := fmt.Sprintf("/var/log/app%d.log", i)
			s.cause(src, at(m, i), []string{"app-exception", "db-timeout", "upstream-timeout", "fpm-pool-busy", "php-fatal-error", "oom-killed"}[i], "pid", strconv.Itoa(m))
		}
		if m%60 == 0 {
			s.change("/var/log/syslog", at(m, 30), "change-reload", "Reloading nginx")
		}
	}
	b.ResetTimer()
	b.ReportAllocs()
	var a *Analysis
	for b.Loop() {
		a = s.b.Analyze()
	}
	b.ReportMetric(float64(len(a.Incidents)), "incidents")
}
