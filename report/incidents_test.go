package report

import (
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
)

const (
	accessSrc = "/var/log/nginx/access.log"
	errorSrc  = "/var/log/nginx/error.log"
	fpmSrc    = "/var/log/php8.2-fpm.log"
	sysSrc    = "/var/log/syslog"
	appSrc    = "/srv/app/log/app.json"
)

// TestIncidentThresholds checks incident detection against the
// thresholds on one access log: 60 requests a minute for two hours, with
// failures laid over them.
func TestIncidentThresholds(t *testing.T) {
	type burst struct {
		from, to int // minutes [from, to)
		failed   int // 5xx per minute
		status   int
	}
	var scattered []burst
	for m := 0; m < 120; m += 3 {
		scattered = append(scattered, burst{m, m + 1, 3, 500})
	}
	tests := []struct {
		name string
		// noise is a background of 5xx: even minutes have noise[0], odd
		// ones noise[1]
		noise  [2]int
		perMin int // requests a minute (default 60)
		bursts []burst
		th     func(*Thresholds)
		want   [][2]time.Time // start and end of each incident
	}{
		{name: "quiet", want: nil},
		{
			name:   "lone transient 502 during a reload",
			bursts: []burst{{30, 31, 1, 502}},
		},
		{
			name:   "two 502s in a minute and two the next: fewer than min-incident-errors",
			bursts: []burst{{30, 32, 4, 502}},
		},
		{
			name:   "a clear burst",
			bursts: []burst{{30, 40, 30, 502}},
			want:   [][2]time.Time{{at(30, 0), at(39, 29)}},
		},
		{
			name:   "under min-errors every minute",
			perMin: 10,
			bursts: []burst{{30, 50, 2, 500}},
		},
		{
			name:   "min-errors lowered",
			perMin: 10,
			bursts: []burst{{30, 50, 2, 500}},
			th:     func(th *Thresholds) { th.MinErrors = 2 },
			want:   [][2]time.Time{{at(30, 0), at(49, 6)}},
		},
		{
			name:   "under min-incident-errors",
			bursts: []burst{{30, 32, 4, 500}},
			th:     func(th *Thresholds) { th.MinIncidentErrors = 9 },
		},
		{
			name:   "min-incident-errors lowered",
			bursts: []burst{{30, 32, 4, 500}},
			th:     func(th *Thresholds) { th.MinIncidentErrors = 8 },
			want:   [][2]time.Time{{at(30, 0), at(31, 3)}},
		},
		{
			name:   "under min-rate",
			bursts: []burst{{30, 40, 3, 502}}, // 5% of 60 is 3: at the bar
			th:     func(th *Thresholds) { th.MinRate = 0.06 },
		},
		{
			name:   "bursts less than merge-gap apart are one incident",
			bursts: []burst{{30, 33, 20, 502}, {36, 39, 20, 502}},
			want:   [][2]time.Time{{at(30, 0), at(38, 19)}},
		},
		{
			name:   "bursts further apart are two",
			bursts: []burst{{30, 33, 20, 502}, {50, 53, 20, 504}},
			want:   [][2]time.Time{{at(30, 0), at(32, 19)}, {at(50, 0), at(52, 19)}},
		},
		{
			name:   "merge-gap widened joins them",
			bursts: []burst{{30, 33, 20, 502}, {50, 53, 20, 504}},
			th:     func(th *Thresholds) { th.MergeGap = Duration(20 * time.Minute) },
			want:   [][2]time.Time{{at(30, 0), at(52, 19)}},
		},
		{
			// 1 or 2 of 60 every minute: a baseline of 2.5%; a bad minute
			// needs 5× that (12.5%), so 5 of 60 (8.3%) is noise
			name:   "factor against a noisy baseline: small rise",
			noise:  [2]int{1, 2},
			bursts: []burst{{60, 70, 5, 500}},
		},
		{
			name:   "factor against a noisy baseline: clear rise",
			noise:  [2]int{1, 2},
			bursts: []burst{{60, 70, 12, 500}},
			want:   [][2]time.Time{{at(60, 0), at(69, 11)}},
		},
		{
			name:   "factor lowered",
			noise:  [2]int{1, 2},
			bursts: []burst{{60, 70, 5, 500}},
			th:     func(th *Thresholds) { th.Factor = 2 },
			want:   [][2]time.Time{{at(60, 0), at(69, 4)}},
		},
		{
			// 3 of 60 every third minute all along, each minute at the
			// min-rate bar: scattered noise, not an incident
			name:   "scattered failures at the bar",
			bursts: scattered,
			want:   nil,
		},
		{
			// the failures start with one in the minute before the burst
			name:   "start at the first failure, not the first bad minute",
			bursts: []burst{{29, 30, 1, 502}, {30, 35, 30, 502}, {35, 36, 2, 502}},
			want:   [][2]time.Time{{at(29, 0), at(35, 1)}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStream(t, func(o *Options) {
				if tc.th != nil {
					tc.th(&o.Thresholds)
				}
			})
			perMin := tc.perMin
			if perMin == 0 {
				perMin = 60
			}
			for m := range 120 {
				failed, status := tc.noise[m%2], 500
				for _, b := range tc.bursts {
					if m >= b.from && m < b.to {
						failed, status = b.failed, b.status
					}
				}
				s.traffic(accessSrc, m, perMin, failed, status, req{})
			}
			a := s.analyze()
			if len(a.Incidents) != len(tc.want) {
				t.Fatalf("%d incidents, want %d: %s", len(a.Incidents), len(tc.want), describe(a))
			}
			for i, w := range tc.want {
				in := a.Incidents[i]
				if !in.Start.Equal(w[0]) || !in.End.Equal(w[1]) {
					t.Errorf("incident %d: %s – %s, want %s – %s", i+1, in.Start.Format(time.TimeOnly), in.End.Format(time.TimeOnly), w[0].Format(time.TimeOnly), w[1].Format(time.TimeOnly))
				}
			}
		})
	}
}

// TestPerInputBaselines: every access log is measured against its own
// normal. An endpoint that always fails a tenth of its requests must not
// turn a small rise into an incident, nor hide another input's burst.
func TestPerInputBaselines(t *testing.T) {
	const chronic = "/var/log/nginx/legacy-api.access.log"
	build := func(chronicBlip, cleanBurst, chronicOutage int) *Analysis {
		s := newStream(t)
		for m := range 180 {
			// 10% ± 3% failing, always
			failed := 7 + m%7
			if m >= 60 && m < 65 {
				failed = chronicBlip
			}
			if m >= 120 && m < 125 && chronicOutage > 0 {
				failed = chronicOutage
			}
			s.traffic(chronic, m, 100, failed, 500, req{path: "/legacy/search"})
			f := 0
			if m >= 90 && m < 95 {
				f = cleanBurst
			}
			s.traffic(accessSrc, m, 40, f, 502, req{path: "/"})
		}
		return s.analyze()
	}
	if a := build(20, 0, 0); len(a.Incidents) != 0 {
		t.Errorf("a rise from 10%% to 20%% on a chronically failing input made incidents: %s", describe(a))
	}
	a := build(20, 8, 0)
	in := one(t, a)
	if len(in.Inputs) != 1 || in.Inputs[0] != accessSrc || !in.Start.Equal(at(90, 0)) {
		t.Errorf("the clean input's burst (20%%) was not the incident: %s from %v", describe(a), in.Inputs)
	}
	a = build(10, 0, 80)
	in = one(t, a)
	if in.Inputs[0] != chronic || !in.Start.Equal(at(120, 0)) {
		t.Errorf("an outage (80%%) on the chronically failing input was not found: %s from %v", describe(a), in.Inputs)
	}
}

// TestIncidentsFromErrorFindings: without access logs, bursts of error
// findings define incidents; with an access log that shows no failure,
// the same findings do not.
func TestIncidentsFromErrorFindings(t *testing.T) {
	build := func(withAccess bool) *Analysis {
		s := newStream(t)
		for m := range 120 {
			if withAccess {
				s.traffic(accessSrc, m, 30, 0, 0, req{})
			}
			if m%20 == 0 {
				s.cause(errorSrc, at(m, 5), "upstream-timeout", "upstream", "127.0.0.1:9000")
			}
			if m >= 60 && m < 66 {
				for i := range 5 {
					s.cause(errorSrc, at(m, 10*i), "upstream-refused", "upstream", "127.0.0.1:9000")
				}
			}
		}
		return s.analyze()
	}
	in := one(t, build(false))
	if in.Type != "errors" || !in.Start.Equal(at(60, 0)) || !in.End.Equal(at(65, 40)) || in.RootCause != "upstream-refused" {
		t.Errorf("error-finding incident: %s %s – %s root %s", in.Type, in.Start.Format(time.TimeOnly), in.End.Format(time.TimeOnly), in.RootCause)
	}
	if in.Scope.SiteWide != true || in.Failed != 0 {
		t.Errorf("without an access log the scope is unknown: %+v", in.Scope)
	}
	if a := build(true); len(a.Incidents) != 0 {
		t.Errorf("error findings made an incident although the access log shows no failure: %s", describe(a))
	}
}

// TestIncidentsFromAppRequestLogs: without an access log, an application's
// request log (Rails "Completed 500", uWSGI request lines) defines
// incidents; with an access log, the edge does, and requests are not
// counted twice.
func TestIncidentsFromAppRequestLogs(t *testing.T) {
	const rails = "/srv/shop/log/production.log"
	build := func(withAccess, edgeFails bool) *Analysis {
		s := newStream(t)
		for m := range 90 {
			failed := 0
			if m >= 40 && m < 48 {
				failed = 12
			}
			s.traffic(rails, m, 20, failed, 500, req{format: parsers.FormatAppText, path: "/orders"})
			if withAccess {
				f := 0
				if edgeFails {
					f = failed
				}
				s.traffic(accessSrc, m, 20, f, 500, req{path: "/orders"})
			}
			if failed > 0 {
				s.cause(rails, at(m, 1), "db-connection-refused", "host", "db.internal")
			}
		}
		return s.analyze()
	}
	in := one(t, build(false, false))
	if in.Type != "500" || !in.Start.Equal(at(40, 0)) || in.Failed != 96 || in.Requests != 160 || in.RootCause != "db-connection-refused" {
		t.Errorf("app-log incident: type %s start %s failed %d of %d root %s", in.Type, in.Start.Format(time.TimeOnly), in.Failed, in.Requests, in.RootCause)
	}
	in = one(t, build(true, true))
	if in.Failed != 96 || in.Requests != 160 || len(in.Inputs) != 1 || in.Inputs[0] != accessSrc {
		t.Errorf("with an access log: failed %d of %d from %v, want 96 of 160 from the access log alone", in.Failed, in.Requests, in.Inputs)
	}
	if a := build(true, false); len(a.Incidents) != 0 {
		t.Errorf("the app log's 500s made an incident although the access log shows none: %s", describe(a))
	}
}
