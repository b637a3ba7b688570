package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// TestScope: failures are concentrated when one value holds most of them
// and clearly more than its share of the traffic; site-wide otherwise.
func TestScope(t *testing.T) {
	paths := []string{"/", "/checkout", "/cart", "/search", "/product/1"}
	tests := []struct {
		name string
		// failing returns whether request i of a minute fails
		failing  func(path string, i int) bool
		siteWide bool
		top      string
	}{
		{"one path fails", func(p string, i int) bool { return p == "/checkout" }, false, "/checkout"},
		{"all paths fail alike", func(p string, i int) bool { return i%2 == 0 }, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStream(t)
			for m := range 90 {
				for i := range 50 {
					p := paths[i%len(paths)]
					st := 200
					if m >= 40 && m < 50 && tc.failing(p, i/len(paths)) {
						st = 500
					}
					s.request(accessSrc, at(m, i), st, req{path: p + "?q=" + fmt.Sprint(i)})
				}
			}
			in := one(t, s.analyze())
			if in.Scope.SiteWide != tc.siteWide {
				t.Errorf("site-wide %v, want %v: %s", in.Scope.SiteWide, tc.siteWide, in.Scope.Summary)
			}
			if tc.top != "" && (len(in.Scope.Paths) == 0 || in.Scope.Paths[0].Value != tc.top || in.Scope.Paths[0].Share != 1 || in.Scope.Paths[0].TrafficShare != 0.2) {
				t.Errorf("top path %+v, want %s with all failures and 20%% of traffic", in.Scope.Paths, tc.top)
			}
		})
	}
}

// TestChangesBefore: the changes of the hour before, clustered, without
// those that react to the failure or belong to an earlier incident.
func TestChangesBefore(t *testing.T) {
	s := newStream(t)
	for m := range 180 {
		f := 0
		if m >= 60 && m < 70 || m >= 120 && m < 130 {
			f = 40
		}
		s.traffic(accessSrc, m, 100, f, 502, req{})
	}
	// incident 1 at 11:00: a deploy and a reload (4 lines in 2 s) before it,
	// one older than the lookback, and an auto-restart after the root began
	s.change(sysSrc, at(-5, 0), "change-restart", "Started nginx.service") // 65 minutes before
	s.change("/var/log/deploy.log", at(40, 0), "change-deploy", "Deployed release 42")
	for i, msg := range []string{"Reloading php8.2-fpm.service", "Reloading in progress ...", "using inherited socket fd=8", "Reloaded php8.2-fpm.service"} {
		s.change(fpmSrc, at(55, i/2), "change-reload", msg)
	}
	s.cause(sysSrc, at(59, 50), "oom-killed", "pid", "4242", "process", "php-fpm8.2")
	s.change(sysSrc, at(59, 55), "change-restart", "php8.2-fpm.service: Scheduled restart job, restart counter is at 1.")
	for m := 60; m < 70; m++ {
		s.cause(errorSrc, at(m, 1), "upstream-closed-early", "upstream", "unix:/run/php/php8.2-fpm.sock")
	}
	// during incident 1 the admin restarts PHP-FPM; incident 2 follows at 12:00
	s.change(sysSrc, at(65, 0), "change-restart", "Started php8.2-fpm.service")
	s.change(sysSrc, at(110, 0), "change-reload", "Reloading nginx.service")
	a := s.analyze()
	if len(a.Incidents) != 2 {
		t.Fatalf("%d incidents, want 2: %s", len(a.Incidents), describe(a))
	}
	kinds := func(in *Incident) []string {
		var out []string
		for _, c := range in.Changes {
			out = append(out, c.Kind+" "+c.Time.Format("15:04:05"))
		}
		return out
	}
	if got, want := kinds(a.Incidents[0]), []string{"change-deploy 10:40:00", "change-reload 10:55:00"}; !slices.Equal(got, want) {
		t.Errorf("incident 1 changes %v, want %v", got, want)
	}
	if c := a.Incidents[0].Changes; len(c) == 2 && !strings.Contains(c[1].Message, "and 3 related lines") {
		t.Errorf("the reload's four lines were not clustered: %q", c[1].Message)
	}
	if got, want := kinds(a.Incidents[1]), []string{"change-reload 11:50:00"}; !slices.Equal(got, want) {
		t.Errorf("incident 2 changes %v, want %v (the restart during incident 1 belongs to it)", got, want)
	}
	if !strings.Contains(a.Incidents[0].Summary, "reload 5m before") {
		t.Errorf("summary does not name the last change: %s", a.Incidents[0].Summary)
	}
}

// TestLatencyAgainstBaseline compares request times in the incident with
// those outside every incident.
func TestLatencyAgainstBaseline(t *testing.T) {
	s := newStream(t)
	for m := range 120 {
		for i := range 50 {
			st, rt := 200, 0.08
			if i%10 == 0 {
				rt = 0.3
			}
			if m >= 60 && m < 70 {
				rt = 30
				if i%2 == 0 {
					st = 504
					rt = 60
				}
			}
			s.request(accessSrc, at(m, i), st, req{rt: rt, ut: rt})
		}
	}
	in := one(t, s.analyze())
	l := in.Latency
	if l == nil {
		t.Fatal("no latency")
	}
	near := func(got, want float64) bool { return got >= want && got <= want*1.25 }
	if l.Field != "request_time" || !near(l.BaselineP50, 0.08) || !near(l.BaselineP95, 0.3) || !near(l.IncidentP50, 30) || !near(l.IncidentP99, 60) {
		t.Errorf("latency %+v", *l)
	}
	if l.IncidentSample < 500 {
		t.Errorf("incident sample %d, want the 500 requests of the window and more", l.IncidentSample)
	}
}

// TestZonelessErrorLogBesideAccessLog runs the real parsers over files: an
// access log with +0100 offsets and an Nginx error log without a zone,
// written in the same local time. The error log must be read in +0100,
// learnt from the access log, so that its upstream errors start with the
// 502s and are their root.
func TestZonelessErrorLogBesideAccessLog(t *testing.T) {
	t.Setenv("TZ", "America/New_York") // the machine's zone must not matter
	dir := t.TempDir()
	var access, errlog strings.Builder
	local := time.FixedZone("", 3600)
	start := time.Date(2026, 11, 20, 18, 0, 0, 0, local)
	for m := range 60 {
		for i := range 20 {
			ts := start.Add(time.Duration(m)*time.Minute + time.Duration(i*3)*time.Second)
			st := 200
			if m >= 30 && m < 36 && i%2 == 0 {
				st = 502
				fmt.Fprintf(&errlog, "%s [error] 812#812: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: shop.example.com, request: \"GET /p/%d HTTP/1.1\", upstream: \"http://127.0.0.1:8080/p/%d\", host: \"shop.example.com\"\n",
					ts.Format("2006/01/02 15:04:05"), m*100+i, i, i)
			}
			fmt.Fprintf(&access, "192.0.2.7 - - [%s] \"GET /p/%d HTTP/1.1\" %d 512 \"-\" \"curl/8.5.0\"\n", ts.Format("02/Jan/2006:15:04:05 -0700"), i, st)
		}
	}
	for name, body := range map[string]string{"access.log": access.String(), "error.log": errlog.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inputs, notes := parsers.Expand([]string{dir}, nil)
	if len(inputs) != 2 || len(notes) > 0 {
		t.Fatalf("inputs %d, notes %v", len(inputs), notes)
	}
	plans := parsers.Prepare(inputs, parsers.Options{})
	engine, err := rules.Load()
	if err != nil {
		t.Fatal(err)
	}
	opts := DefaultOptions()
	for _, p := range plans {
		if p.Zoneless() {
			opts.Location, opts.ZoneReason = p.Clock.Loc, p.Clock.Reason
		}
	}
	b := NewBuilder(engine.Catalogue(), opts)
	if _, errs := (&Scanner{Engine: engine, Builder: b}).Run(context.Background(), plans); len(errs) > 0 {
		t.Fatal(errs)
	}
	a := b.Analyze()
	in := one(t, a)
	wantStart := time.Date(2026, 11, 20, 17, 30, 0, 0, time.UTC)
	if !in.Start.Equal(wantStart) {
		t.Errorf("start %s, want %s", in.Start, wantStart)
	}
	if in.RootCause != "upstream-refused" || len(in.Causes) == 0 || !in.Causes[0].First.Equal(wantStart) {
		t.Errorf("root %s, causes %v: the error log was not read in +0100", in.RootCause, in.Causes)
	}
	if !strings.Contains(a.ZoneReason, "+01:00") || !strings.Contains(a.ZoneReason, "access.log") {
		t.Errorf("zone reason %q does not say the offset came from the access log", a.ZoneReason)
	}
}
