package report

import (
	"fmt"
	"sort"
	"testing"
	"time"
	_ "time/tzdata" // the fixtures use Europe/Berlin whatever the machine has

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Fixtures: Analysis values built by hand, as the builder would make them,
// for the renderers' golden tests.

// fixtureNames lists the fixtures in golden-file order.
var fixtureNames = []string{"oom", "500", "quiet", "hostile"}

// fixture returns the named fixture.
func fixture(t testing.TB, name string) *Analysis {
	t.Helper()
	var a *Analysis
	switch name {
	case "oom":
		a = fixtureOOM()
	case "500":
		a = fixture500()
	case "quiet":
		a = fixtureQuiet()
	case "hostile":
		a = fixtureHostile()
	default:
		t.Fatalf("no fixture %q", name)
	}
	for _, inc := range a.Incidents {
		fxChainOrder(inc)
	}
	return a
}

// fxChainOrder puts an incident's causes in the order the builder gives
// them: the chain's, then the others by layer depth and first time.
func fxChainOrder(inc *Incident) {
	sort.SliceStable(inc.Causes, func(i, j int) bool {
		ci, cj := rIndex(inc.Chain, inc.Causes[i].Cause), rIndex(inc.Chain, inc.Causes[j].Cause)
		switch {
		case ci >= 0 && cj >= 0:
			return ci < cj
		case ci >= 0 || cj >= 0:
			return ci >= 0
		}
		if di, dj := inc.Causes[i].Layer.Depth(), inc.Causes[j].Layer.Depth(); di != dj {
			return di > dj
		}
		return inc.Causes[i].First.Before(inc.Causes[j].First)
	})
}

var fxBerlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time on 2026-11-25 in Berlin, in UTC.
func fxAt(hms string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", "2026-11-25 "+hms, fxBerlin)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// atUTC is a time on 2026-11-25 in UTC.
func fxAtUTC(hms string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", "2026-11-25 "+hms)
	if err != nil {
		panic(err)
	}
	return t
}

func fxSample(src string, line int64, t time.Time, raw string) rules.Sample {
	return rules.Sample{Source: src, Line: line, Time: t, Raw: raw}
}

func fxPtr[T any](v T) *T { return &v }

// perMinute builds the per-minute series from start with the given
// requests and errors.
func fxPerMinute(start time.Time, reqs, errs []int64) []MinuteCount {
	out := make([]MinuteCount, len(errs))
	for i := range errs {
		out[i] = MinuteCount{Minute: start.Add(time.Duration(i) * time.Minute), Errors: errs[i]}
		if reqs != nil {
			out[i].Requests = reqs[i]
		}
		if errs[i] > 0 {
			out[i].Causes = errs[i] + int64(i%3)
		}
	}
	return out
}

const (
	accessLog = "/var/log/nginx/access.log"
	errorLog  = "/var/log/nginx/error.log"
	fpmLog    = "/var/log/php8.3-fpm.log"
	syslogLog = "/var/log/syslog"
	deployLog = "/var/log/deploy.log"
)

// fixtureOOM is an OOM kill → PHP-FPM child crash → 502 incident with a
// deploy and a reload before it, latency, scope and a restart after it.
func fixtureOOM() *Analysis {
	start, end := fxAt("10:02:03"), fxAt("10:19:12")
	deploy := &Change{Kind: "change-deploy", Time: fxAt("09:58:12"), Rule: "deploy-banner",
		Message:  "Deployed release 2026.11.25-3 (shop-web@4f2a9c1)",
		Evidence: fxSample(deployLog, 41, fxAt("09:58:12"), "2026-11-25T09:58:12+01:00 deploy[3121]: Deployed release 2026.11.25-3 (shop-web@4f2a9c1)")}
	reload := &Change{Kind: "change-reload", Time: fxAt("10:01:40"), Rule: "nginx-reload",
		Message:  "signal 1 (SIGHUP) received from 3188, reconfiguring",
		Evidence: fxSample(errorLog, 1180, fxAt("10:01:40"), "2026/11/25 10:01:40 [notice] 811#811: signal 1 (SIGHUP) received from 3188, reconfiguring")}
	restart := &Change{Kind: "change-restart", Time: fxAt("10:19:40"), Rule: "systemd-started",
		Message:  "Started php8.3-fpm.service - The PHP 8.3 FastCGI Process Manager.",
		Evidence: fxSample(syslogLog, 6120, fxAt("10:19:40"), "Nov 25 10:19:40 web-1 systemd[1]: Started php8.3-fpm.service - The PHP 8.3 FastCGI Process Manager.")}
	earlier := &Change{Kind: "change-reload", Time: fxAt("06:25:01"), Rule: "nginx-reload",
		Message:  "signal 1 (SIGHUP) received from 1, reconfiguring",
		Evidence: fxSample(errorLog, 12, fxAt("06:25:01"), "2026/11/25 06:25:01 [notice] 811#811: signal 1 (SIGHUP) received from 1, reconfiguring")}

	oomEv := []rules.Sample{
		fxSample(syslogLog, 5531, fxAt("10:01:58"), "Nov 25 10:01:58 web-1 kernel: [812345.123456] Out of memory: Killed process 8123 (php-fpm8.3) total-vm:1893456kB, anon-rss:1523412kB, file-rss:0kB, shmem-rss:0kB, UID:33 pgtables:3200kB oom_score_adj:0"),
	}
	crashEv := []rules.Sample{
		fxSample(fpmLog, 20911, fxAt("10:01:58"), "[25-Nov-2026 10:01:58] WARNING: [pool www] child 8123 exited on signal 9 (SIGKILL) after 1203.123456 seconds from start"),
		fxSample(fpmLog, 20930, fxAt("10:04:11"), "[25-Nov-2026 10:04:11] WARNING: [pool www] child 8310 exited on signal 9 (SIGKILL) after 120.004512 seconds from start"),
	}
	closedEv := []rules.Sample{
		fxSample(errorLog, 1184, fxAt("10:02:03"), `2026/11/25 10:02:03 [error] 812#812: *90211 upstream prematurely closed connection while reading response header from upstream, client: 198.51.100.23, server: shop.example.com, request: "POST /checkout HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "shop.example.com"`),
		fxSample(errorLog, 1185, fxAt("10:02:03"), `2026/11/25 10:02:03 [error] 812#812: *90214 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.9, server: shop.example.com, request: "GET / HTTP/2.0", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "shop.example.com"`),
	}
	maxEv := []rules.Sample{
		fxSample(fpmLog, 20925, fxAt("10:03:30"), "[25-Nov-2026 10:03:30] WARNING: [pool www] server reached pm.max_children setting (40), consider raising it"),
	}
	causes := []*IncidentCause{
		{Cause: "oom-killed", Title: "Process killed by the OOM killer", Layer: rules.LayerOS, Count: 2,
			First: fxAt("10:01:58"), Last: fxAt("10:04:11"), InChain: true, Rules: []string{"kernel-oom-killed"},
			Keys: map[string][]string{"pid": {"8123", "8310"}}, Evidence: oomEv},
		{Cause: "fpm-child-crashed", Title: "PHP-FPM child exited on a signal", Layer: rules.LayerFastCGI, Count: 3,
			First: fxAt("10:01:58"), Last: fxAt("10:09:30"), InChain: true, Rules: []string{"fpm-child-signal"},
			Keys: map[string][]string{"pid": {"8123", "8310"}, "pool": {"www"}}, Evidence: crashEv},
		{Cause: "fpm-max-children", Title: "PHP-FPM reached pm.max_children", Layer: rules.LayerFastCGI, Count: 12,
			First: fxAt("10:03:30"), Last: fxAt("10:17:02"), Rules: []string{"fpm-max-children"},
			Keys: map[string][]string{"pool": {"www"}}, Evidence: maxEv},
		{Cause: "upstream-closed-early", Title: "Upstream closed the connection prematurely", Layer: rules.LayerGateway, Count: 1830,
			First: fxAt("10:02:03"), Last: fxAt("10:19:12"), InChain: true, Rules: []string{"nginx-upstream-prematurely-closed"},
			Keys: map[string][]string{"upstream": {"unix:/run/php/php8.3-fpm.sock"}}, Evidence: closedEv},
	}
	reqs := []int64{552, 561, 540, 530, 548, 572, 566, 551, 549, 538, 560, 557, 543, 550, 546, 541, 539, 527}
	errs := []int64{61, 204, 312, 473, 301, 188, 112, 97, 64, 51, 44, 38, 29, 21, 12, 4, 2, 1}
	var failed, requests int64
	for i := range errs {
		failed += errs[i]
		requests += reqs[i]
	}
	pm := fxPerMinute(fxAt("10:02:00"), reqs, errs)
	peakAt := fxAt("10:05:00")
	first := fxSample(accessLog, 88213, start, `198.51.100.23 - - [25/Nov/2026:10:02:03 +0100] "POST /checkout HTTP/2.0" 502 552 "https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64)" rt=0.412 uct="0.000" urt="0.411"`)
	last := fxSample(accessLog, 97911, end, `203.0.113.77 - - [25/Nov/2026:10:19:12 +0100] "GET /api/cart HTTP/2.0" 502 552 "-" "okhttp/4.12.0" rt=0.051 uct="0.000" urt="0.050"`)
	inc := &Incident{
		ID: 1, Start: start, End: end, Type: "502/504",
		Summary:    "From 10:02:03 to 10:19:12 (17m9s) 2,014 of 9,870 requests failed (502 ×1,912, 504 ×102); root cause: process killed by the OOM killer (oom-killed → fpm-child-crashed → upstream-closed-early); reload 23s before.",
		RootCause:  "oom-killed",
		Chain:      []string{"oom-killed", "fpm-child-crashed", "upstream-closed-early"},
		Confidence: "high",
		Reasoning:  "Process killed by the OOM killer (oom-killed) began at 10:01:58 in /var/log/syslog, 5s before the first failed response, and is the deepest layer (OS & resources) with evidence that early. It was followed by fpm-child-crashed (3 lines from 10:01:58), then upstream-closed-early (1,830 lines from 10:02:03); oom-killed and fpm-child-crashed share pid 8123. 2,014 of 9,870 requests failed (502 ×1,912, 504 ×102). The most frequent line, upstream-closed-early (1,830), is a symptom of it, not the cause.",
		Detection:  "5xx in /var/log/nginx/access.log rose to 89.2% of requests at 10:05, against a baseline of 0.1%",
		Causes:     causes,
		Statuses:   map[string]int64{"502": 1912, "504": 102},
		Requests:   requests, Failed: failed,
		PeakErrorRate: 473.0 / 530.0, PeakAt: peakAt,
		Latency: &Latency{Field: "request_time", BaselineP50: 0.084, BaselineP95: 0.31, BaselineP99: 0.92,
			IncidentP50: 0.412, IncidentP95: 30.0, IncidentP99: 60.0, IncidentSample: requests},
		Changes: []*Change{deploy, reload},
		Scope: Scope{SiteWide: true,
			Summary:   "Site-wide: the failures spread across paths and hosts in proportion to traffic; the top path /checkout had 31.2% of them (29.8% of traffic).",
			Paths:     []Share{{"/checkout", 628, 0.312, 0.298}, {"/", 443, 0.22, 0.231}, {"/api/cart", 302, 0.15, 0.149}, {"/product/espresso-machine-pro", 121, 0.06, 0.058}},
			Hosts:     []Share{{"shop.example.com", 2014, 1, 1}},
			Upstreams: []Share{{"unix:/run/php/php8.3-fpm.sock", 2014, 1, 1}},
			Clients:   []Share{{"198.51.100.0/24", 402, 0.2, 0.19}, {"203.0.113.0/24", 380, 0.189, 0.2}},
		},
		Timeline: []*Moment{
			{Time: deploy.Time, What: "deploy: " + deploy.Message, Kind: "change", Cause: "change-deploy", Evidence: &deploy.Evidence},
			{Time: reload.Time, What: "reload: " + reload.Message, Kind: "change", Cause: "change-reload", Evidence: &reload.Evidence},
			{Time: fxAt("10:01:58"), What: "first Process killed by the OOM killer (oom-killed)", Kind: "cause", Cause: "oom-killed", Evidence: &oomEv[0]},
			{Time: fxAt("10:01:58"), What: "first PHP-FPM child exited on a signal (fpm-child-crashed)", Kind: "cause", Cause: "fpm-child-crashed", Evidence: &crashEv[0]},
			{Time: start, What: "first failed response", Kind: "symptom", Evidence: &first},
			{Time: start, What: "first Upstream closed the connection prematurely (upstream-closed-early)", Kind: "cause", Cause: "upstream-closed-early", Evidence: &closedEv[0]},
			{Time: peakAt, What: "peak: 473 of 530 requests failed (89.2%)", Kind: "peak"},
			{Time: end, What: "last failed response", Kind: "last", Evidence: &last},
			{Time: restart.Time, What: "restart: " + restart.Message + " (around the end of the failures)", Kind: "resolution", Cause: "change-restart", Evidence: &restart.Evidence},
		},
		PerMinute: pm,
		Checks: []string{
			"Confirm the kill and the victim: `journalctl -k --since '-2h' | grep -i -E 'out of memory|oom-kill'` (or `dmesg -T | grep -i oom`).",
			"See what used the memory: `ps -eo pid,rss,cmd --sort=-rss | head` and the pool's pm.max_children × the average child RSS against the RAM.",
			"Check the PHP-FPM log for children that exited on signal 9 at the same time.",
		},
		ActionItems: []string{
			"Cap PHP-FPM memory: set pm.max_children so that max_children × child RSS fits in RAM with headroom.",
			"Add swap or memory, or move memory-hungry jobs off the web host.",
			"Alert on OOM kills (node_exporter `node_vmstat_oom_kill`).",
			"Set pm.max_requests so leaking children are recycled.",
		},
		Unclassified: []*rules.Group{{Template: "PHP Warning:  Undefined array key \"<str>\" in <path> on line <n>", Format: "php-error", Count: 214,
			First: fxAt("10:00:12"), Last: fxAt("10:18:55"),
			Samples: []rules.Sample{fxSample("/var/log/php/error.log", 77120, fxAt("10:00:12"), `[25-Nov-2026 10:00:12 Europe/Berlin] PHP Warning:  Undefined array key "variant" in /srv/shop/releases/2026.11.25-3/src/Cart.php on line 212`)}}},
		Inputs: []string{accessLog},
	}
	a := &Analysis{
		Version: SchemaVersion, Zone: "Europe/Berlin", Location: fxBerlin,
		ZoneReason: "the offset +01:00 seen in the access logs",
		First:      fxAt("06:00:00"), Last: fxAt("11:59:58"),
		Files: []*parsers.FileStats{
			{Path: accessLog, Format: "nginx-access", Confidence: 1, Bytes: 21_504_112, Lines: 101_220, Entries: 101_220,
				First: fxAt("06:00:00"), Last: fxAt("11:59:58")},
			{Path: errorLog, Format: "nginx-error", Confidence: 1, Zone: "Europe/Berlin", ZoneReason: "the offset +01:00 seen in the access logs",
				Bytes: 804_112, Lines: 3_051, Entries: 3_051, Zoneless: 3_051, First: fxAt("06:25:01"), Last: fxAt("11:40:13")},
			{Path: fpmLog, Format: "php-fpm", Confidence: 0.98, Zone: "Europe/Berlin", ZoneReason: "the offset +01:00 seen in the access logs",
				Bytes: 2_112_001, Lines: 21_400, Entries: 21_388, Unparsed: 12, Zoneless: 21_388, First: fxAt("06:00:04"), Last: fxAt("11:58:00"),
				UnparsedSamples: []parsers.LineSample{{Line: 20990, Text: "NOTICE: PHP message: PHP Deprecated:  Creation of dynamic property"}}},
			{Path: syslogLog, Format: "syslog", Confidence: 0.95, Zone: "Europe/Berlin", ZoneReason: "the offset +01:00 seen in the access logs",
				Bytes: 1_001_200, Lines: 9_800, Entries: 9_800, Zoneless: 9_800, First: fxAt("06:00:01"), Last: fxAt("11:59:40")},
			{Path: deployLog, Format: "app-text", Confidence: 0.7, Bytes: 4_000, Lines: 60, Entries: 60, First: fxAt("07:00:00"), Last: fxAt("09:58:40")},
		},
		Totals:    Totals{Requests: 101_220, Statuses: map[string]int64{"502": 1915, "504": 102, "500": 7}, Findings: 1_862, Changes: 4},
		Incidents: []*Incident{inc},
		Causes: []*CauseSummary{
			{Cause: "oom-killed", Title: "Process killed by the OOM killer", Layer: rules.LayerOS, Count: 2, First: fxAt("10:01:58"), Last: fxAt("10:04:11"), Rules: []string{"kernel-oom-killed"}, Evidence: oomEv},
			{Cause: "fpm-child-crashed", Title: "PHP-FPM child exited on a signal", Layer: rules.LayerFastCGI, Count: 3, First: fxAt("10:01:58"), Last: fxAt("10:09:30"), Rules: []string{"fpm-child-signal"}, Evidence: crashEv},
			{Cause: "fpm-max-children", Title: "PHP-FPM reached pm.max_children", Layer: rules.LayerFastCGI, Count: 12, First: fxAt("10:03:30"), Last: fxAt("10:17:02"), Rules: []string{"fpm-max-children"}, Evidence: maxEv},
			{Cause: "upstream-closed-early", Title: "Upstream closed the connection prematurely", Layer: rules.LayerGateway, Count: 1833, First: fxAt("08:40:10"), Last: fxAt("10:19:12"), Rules: []string{"nginx-upstream-prematurely-closed"}, Evidence: closedEv},
			{Cause: "upstream-refused", Title: "Upstream refused the connection", Layer: rules.LayerGateway, Count: 12, First: fxAt("06:25:01"), Last: fxAt("06:25:03"), Rules: []string{"nginx-upstream-refused"},
				Evidence: []rules.Sample{fxSample(errorLog, 13, fxAt("06:25:01"), `2026/11/25 06:25:01 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: shop.example.com, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.3-fpm.sock:", host: "shop.example.com"`)}},
		},
		Changes:  []*Change{earlier, deploy, reload, restart},
		Unparsed: Unparsed{Lines: 12, Files: map[string]int64{fpmLog: 12}},
		Unclassified: []*rules.Group{
			inc.Unclassified[0],
			{Template: "PHP Fatal error:  Uncaught RedisException: read error on connection to <ip>:<n> in <path>:<n>", Format: "php-error", Count: 3,
				First: fxAt("08:12:00"), Last: fxAt("08:12:09"),
				Samples: []rules.Sample{fxSample("/var/log/php/error.log", 51022, fxAt("08:12:00"), "[25-Nov-2026 08:12:00 Europe/Berlin] PHP Fatal error:  Uncaught RedisException: read error on connection to 10.0.0.12:6379 in /srv/shop/releases/2026.11.25-2/vendor/predis/Connection.php:144\nStack trace:\n#0 /srv/shop/releases/2026.11.25-2/src/Session.php(88): Predis\\Connection->read()\n#1 {main}\n  thrown in /srv/shop/releases/2026.11.25-2/vendor/predis/Connection.php on line 144")}},
		},
		Thresholds: DefaultThresholds(),
	}
	return a
}

// fixture500 is a 500-type incident concentrated on one path, in UTC
// (Location nil), without latency or changes; and a second incident after
// the access log ends, found from error findings alone.
func fixture500() *Analysis {
	start, end := fxAtUTC("14:31:10"), fxAtUTC("14:37:58")
	app := "/var/log/app/laravel.log"
	memEv := []rules.Sample{
		fxSample(app, 3301, fxAtUTC("14:31:09"), "[2026-11-25 14:31:09] production.ERROR: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) {\"exception\":\"[object] (Symfony\\\\Component\\\\ErrorHandler\\\\Error\\\\FatalError(code: 0): Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) at /srv/app/app/Exports/OrdersExport.php:57)\"}\n[stacktrace]\n#0 {main}"),
	}
	reqs := []int64{40, 52, 61, 48, 55, 47, 39}
	errs := []int64{12, 74, 88, 69, 80, 63, 26}
	var failed, requests int64
	for i := range errs {
		failed += errs[i]
		requests += reqs[i] + errs[i]
		reqs[i] += errs[i]
	}
	inc := &Incident{
		ID: 1, Start: start, End: end, Type: "500",
		Summary:    "From 14:31:10 to 14:37:58 (6m48s) 412 of 754 requests failed (500 ×412); root cause: application ran out of memory (app-out-of-memory).",
		RootCause:  "app-out-of-memory",
		Chain:      []string{"app-out-of-memory"},
		Confidence: "medium",
		Reasoning:  "Application ran out of memory (app-out-of-memory) began at 14:31:09 in /var/log/app/laravel.log, 1s before the first failed response, and is the deepest layer (application runtime) with evidence that early. 412 of 754 requests failed (500 ×412).",
		Detection:  "5xx in /var/log/nginx/access.log rose to 59.1% of requests at 14:33, against a baseline of 0.3%",
		Causes: []*IncidentCause{
			{Cause: "app-out-of-memory", Title: "Application ran out of memory", Layer: rules.LayerRuntime, Count: 409, First: fxAtUTC("14:31:09"), Last: fxAtUTC("14:37:57"), InChain: true,
				Rules: []string{"php-memory-exhausted"}, Evidence: memEv},
		},
		Statuses: map[string]int64{"500": failed},
		Requests: requests, Failed: failed,
		PeakErrorRate: 88.0 / 149.0, PeakAt: fxAtUTC("14:33:00"),
		Changes: []*Change{},
		Scope: Scope{SiteWide: false,
			Summary:   "Concentrated on path /admin/orders/export: 97.6% of the failed requests, against 2.1% of all traffic.",
			Paths:     []Share{{"/admin/orders/export", 402, 0.976, 0.021}, {"/admin/orders", 10, 0.024, 0.04}},
			Hosts:     []Share{{"admin.example.com", 412, 1, 0.12}},
			Upstreams: []Share{{"127.0.0.1:9000", 412, 1, 1}},
		},
		Timeline: []*Moment{
			{Time: fxAtUTC("14:31:09"), What: "first Application ran out of memory (app-out-of-memory)", Kind: "cause", Cause: "app-out-of-memory", Evidence: &memEv[0]},
			{Time: start, What: "first failed response", Kind: "symptom", Evidence: fxPtr(fxSample(accessLog, 40112, start, `10.1.2.3 - - [25/Nov/2026:14:31:10 +0000] "GET /admin/orders/export?format=xlsx HTTP/1.1" 500 0 "-" "Mozilla/5.0"`))},
			{Time: fxAtUTC("14:33:00"), What: "peak: 88 of 149 requests failed (59.1%)", Kind: "peak"},
			{Time: end, What: "last failed response", Kind: "last", Evidence: fxPtr(fxSample(accessLog, 40988, end, `10.1.2.9 - - [25/Nov/2026:14:37:58 +0000] "GET /admin/orders/export?format=csv HTTP/1.1" 500 0 "-" "Mozilla/5.0"`))},
		},
		PerMinute:   fxPerMinute(fxAtUTC("14:31:00"), reqs, errs),
		Checks:      []string{"Find the script and the allocation in the PHP error log: `grep 'Allowed memory size' /var/log/php*.log | tail`.", "Compare memory_limit (`php -i | grep memory_limit`) with what the request needs."},
		ActionItems: []string{"Stream the export instead of building it in memory (chunked queries, a queued job)."},
		Inputs:      []string{accessLog},
	}
	// a second burst after the access log ends: found from error findings
	dbEv := []rules.Sample{
		fxSample(app, 4410, fxAtUTC("15:20:02"), "[2026-11-25 15:20:02] production.ERROR: SQLSTATE[08004] [1040] Too many connections (Connection: mysql, SQL: select * from `sessions` where `id` = ? limit 1)"),
	}
	excEv := []rules.Sample{
		fxSample(app, 4415, fxAtUTC("15:20:05"), "[2026-11-25 15:20:05] production.ERROR: Unhandled exception Illuminate\\Database\\QueryException in /srv/app/vendor/laravel/framework/src/Illuminate/Database/Connection.php:825"),
	}
	inc2 := &Incident{
		ID: 2, Start: fxAtUTC("15:20:02"), End: fxAtUTC("15:25:40"), Type: "errors",
		Summary:    "From 15:20:02 to 15:25:40 (5m38s) 143 error findings were logged; root cause: database has too many connections (db-too-many-connections → app-exception).",
		RootCause:  "db-too-many-connections",
		Chain:      []string{"db-too-many-connections", "app-exception"},
		Confidence: "low",
		Reasoning:  "Database has too many connections (db-too-many-connections) began at 15:20:02 in /var/log/app/laravel.log, together with the first failed response, and is the deepest layer (database & cache) with evidence that early. It was followed by app-exception (61 lines from 15:20:05).",
		Detection:  "error findings in /var/log/app/laravel.log rose to 41 a minute at 15:22, against a baseline of 0.2",
		Causes: []*IncidentCause{
			{Cause: "db-too-many-connections", Title: "Database has too many connections", Layer: rules.LayerDatabase, Count: 82, First: fxAtUTC("15:20:02"), Last: fxAtUTC("15:25:38"), InChain: true, Rules: []string{"mysql-too-many-connections"}, Evidence: dbEv},
			{Cause: "app-exception", Title: "Unhandled application exception", Layer: rules.LayerRuntime, Count: 61, First: fxAtUTC("15:20:05"), Last: fxAtUTC("15:25:40"), InChain: true, Rules: []string{"laravel-exception"}, Evidence: excEv},
		},
		Statuses: map[string]int64{},
		PeakAt:   fxAtUTC("15:22:00"),
		Changes:  []*Change{},
		Scope:    Scope{Summary: "No access log covers the window, so the failing paths and hosts are unknown."},
		Timeline: []*Moment{
			{Time: fxAtUTC("15:20:02"), What: "first Database has too many connections (db-too-many-connections)", Kind: "cause", Cause: "db-too-many-connections", Evidence: &dbEv[0]},
			{Time: fxAtUTC("15:20:02"), What: "error findings rise", Kind: "symptom"},
			{Time: fxAtUTC("15:20:05"), What: "first Unhandled application exception (app-exception)", Kind: "cause", Cause: "app-exception", Evidence: &excEv[0]},
			{Time: fxAtUTC("15:25:40"), What: "last error finding of the burst", Kind: "last"},
		},
		PerMinute:   fxPerMinute(fxAtUTC("15:20:00"), nil, []int64{18, 30, 41, 27, 19, 8}),
		Checks:      []string{"Compare `SHOW STATUS LIKE 'Threads_connected'` with `max_connections`."},
		ActionItems: []string{"Use a connection pooler (ProxySQL) or lower the workers' pool size."},
		Inputs:      []string{app},
	}
	return &Analysis{
		Version: SchemaVersion, Zone: "UTC", ZoneReason: "every entry stated its offset",
		First: fxAtUTC("12:00:00"), Last: fxAtUTC("16:00:00"),
		Files: []*parsers.FileStats{
			{Path: accessLog, Format: "nginx-access", Confidence: 1, Lines: 48_210, Entries: 48_210, First: fxAtUTC("12:00:00"), Last: fxAtUTC("15:00:00")},
			{Path: app, Format: "app-text", Confidence: 0.9, Lines: 5_120, Entries: 1_433, First: fxAtUTC("12:00:10"), Last: fxAtUTC("15:59:30")},
		},
		Totals:    Totals{Requests: 48_210, Statuses: map[string]int64{"500": 431}, Findings: 564, Changes: 0},
		Incidents: []*Incident{inc, inc2},
		Causes: []*CauseSummary{
			{Cause: "db-too-many-connections", Title: "Database has too many connections", Layer: rules.LayerDatabase, Count: 82, First: fxAtUTC("15:20:02"), Last: fxAtUTC("15:25:38"), Rules: []string{"mysql-too-many-connections"}, Evidence: dbEv},
			{Cause: "app-out-of-memory", Title: "Application ran out of memory", Layer: rules.LayerRuntime, Count: 421, First: fxAtUTC("12:40:00"), Last: fxAtUTC("14:37:57"), Rules: []string{"php-memory-exhausted"}, Evidence: memEv},
			{Cause: "app-exception", Title: "Unhandled application exception", Layer: rules.LayerRuntime, Count: 61, First: fxAtUTC("15:20:05"), Last: fxAtUTC("15:25:40"), Rules: []string{"laravel-exception"}, Evidence: excEv},
		},
		Changes:    []*Change{},
		Unparsed:   Unparsed{Files: map[string]int64{}},
		Thresholds: DefaultThresholds(),
	}
}

// fixtureQuiet is a day without an incident: a few 5xx, one cause,
// unclassified errors and unparsed lines.
func fixtureQuiet() *Analysis {
	loc := time.FixedZone("EST", -5*3600)
	day := func(hms string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04:05", "2026-11-25 "+hms, loc)
		return t.UTC()
	}
	return &Analysis{
		Version: SchemaVersion, Zone: "EST", Location: loc,
		ZoneReason: "--tz EST",
		First:      day("00:00:02"), Last: day("23:59:51"),
		Files: []*parsers.FileStats{
			{Path: "/var/log/apache2/access.log", Format: "apache-access", Confidence: 1, Lines: 230_114, Entries: 230_114, First: day("00:00:02"), Last: day("23:59:51")},
			{Path: "/var/log/apache2/error.log", Format: "apache-error", Confidence: 1, Lines: 1_204, Entries: 1_190, Unparsed: 14, Zone: "EST", ZoneReason: "--tz EST", Zoneless: 1_190,
				UnparsedSamples: []parsers.LineSample{{Line: 17, Text: "AH00558: apache2: Could not reliably determine the server's fully qualified domain name"}, {Line: 18, Text: "[mpm_prefork:notice] resuming"}},
				First:           day("00:10:00"), Last: day("23:01:00")},
			{Path: "/var/log/kern.log.2.gz", Format: "", Lines: 51, Unparsed: 51,
				UnparsedSamples: []parsers.LineSample{{Line: 1, Text: "\x00\x00\x00binary junk"}}},
		},
		Notes:     []string{"skipped /var/log/apache2/ (a directory without log files)"},
		Totals:    Totals{Requests: 230_114, Statuses: map[string]int64{"500": 3, "503": 1}, Findings: 2, Changes: 1},
		Incidents: nil,
		Causes: []*CauseSummary{{Cause: "file-permission-denied", Title: "File permission denied", Layer: rules.LayerConfig, Count: 2, First: day("13:02:11"), Last: day("13:02:12"),
			Rules:    []string{"apache-permission-denied"},
			Evidence: []rules.Sample{fxSample("/var/log/apache2/error.log", 602, day("13:02:11"), "[Wed Nov 25 13:02:11.120934 2026] [core:error] [pid 2211] (13)Permission denied: [client 192.0.2.44:51234] AH00035: access to /reports/ denied (filesystem path '/srv/www/reports') because search permissions are missing on a component of the path")}}},
		Changes: []*Change{{Kind: "change-restart", Time: day("04:00:01"), Rule: "apache-resuming",
			Message:  "AH00489: Apache/2.4.62 (Debian) configured -- resuming normal operations",
			Evidence: fxSample("/var/log/apache2/error.log", 120, day("04:00:01"), "[Wed Nov 25 04:00:01.000120 2026] [mpm_prefork:notice] [pid 900] AH00163: Apache/2.4.62 (Debian) configured -- resuming normal operations")}},
		Unparsed: Unparsed{Lines: 65, Files: map[string]int64{"/var/log/apache2/error.log": 14, "/var/log/kern.log.2.gz": 51}, Unrecognised: []string{"/var/log/kern.log.2.gz"}},
		Unclassified: []*rules.Group{
			{Template: "AH01630: client denied by server configuration: <path>", Format: "apache-error", Count: 88, First: day("01:00:00"), Last: day("22:00:00"),
				Samples: []rules.Sample{fxSample("/var/log/apache2/error.log", 300, day("01:00:00"), "[Wed Nov 25 01:00:00.100000 2026] [authz_core:error] [pid 1201] [client 192.0.2.80:40022] AH01630: client denied by server configuration: /srv/www/.git/config")}},
			{Template: "AH01071: Got error '<str>'", Format: "apache-error", Count: 5, First: day("09:00:00"), Last: day("09:30:00"),
				Samples: []rules.Sample{fxSample("/var/log/apache2/error.log", 410, day("09:00:00"), "[Wed Nov 25 09:00:00.000001 2026] [proxy_fcgi:error] [pid 1302] [client 192.0.2.81:40100] AH01071: Got error 'PHP message: PHP Warning:  Undefined variable $user in /srv/www/index.php on line 9'")}},
		},
		UnclassifiedOverflow: 0,
		Thresholds:           DefaultThresholds(),
	}
}

// Hostile strings a log can carry.
const (
	hostileANSI   = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b[2J"
	hostileScript = "</script><script>alert(1)</script>"
	hostileImg    = `<img src=x onerror="alert(document.domain)">`
	hostileFence  = "```\n# injected heading\n````"
	hostileBidi   = "user\u202eexe.txt\u2066x\u2069"
	hostileBytes  = "bad \xff\xfe utf-8 \xc3 and C1 \u009b31m and DEL \x7f"
)

// fixtureHostile carries hostile text in every log-derived string.
func fixtureHostile() *Analysis {
	a := fixtureOOM()
	evil := func(s string) string {
		return s + " " + hostileANSI + " " + hostileScript + " " + hostileImg + " | a|b | *x* _y_ `z` " + hostileBidi + " " + hostileBytes
	}
	inc := a.Incidents[0]
	inc.Summary = evil(inc.Summary)
	inc.Reasoning = evil(inc.Reasoning)
	inc.Detection = evil(inc.Detection)
	inc.Scope.Summary = evil(inc.Scope.Summary)
	inc.Scope.Paths[0].Value = "/checkout|<img src=x onerror=alert(1)>\x1b[5m"
	inc.Scope.Hosts[0].Value = "shop.example.com\u202egnp.exe"
	inc.Checks[0] = evil(inc.Checks[0])
	inc.ActionItems[0] = evil(inc.ActionItems[0])
	c := inc.Causes[3]
	c.Evidence = append(c.Evidence, fxSample(errorLog+"\x1b[31m", 1190, fxAt("10:02:04"),
		"2026/11/25 10:02:04 [error] 812#812: *90290 upstream prematurely closed connection, request: \"GET /"+hostileImg+" HTTP/1.1\" "+hostileANSI+"\n"+hostileFence+"\n| col | col |\n"+hostileScript+"\n\t"+hostileBidi+" "+hostileBytes))
	inc.Timeline[5].What = evil(inc.Timeline[5].What)
	inc.Changes[1].Message = evil(inc.Changes[1].Message)
	inc.Unclassified = []*rules.Group{{Template: evil("PHP Warning: <str>"), Format: "php-error", Count: 9, First: fxAt("10:03:00"), Last: fxAt("10:04:00"),
		Samples: []rules.Sample{fxSample("/var/log/php/error.log", 5, fxAt("10:03:00"), evil("PHP Warning:")+"\n"+hostileFence)}}}
	a.Unclassified = append([]*rules.Group{inc.Unclassified[0]}, a.Unclassified...)
	a.Notes = append(a.Notes, evil("skipped /var/log/odd"))
	a.Files[2].UnparsedSamples[0].Text = evil("garbage")
	a.Files = append(a.Files, &parsers.FileStats{Path: "/var/log/\x1b[31mevil\u202e.log", Format: "app-text", Lines: 3, Entries: 3})
	a.ZoneReason = evil("the offset +01:00 seen in the access logs")
	return a
}

// TestFixturesAreConsistent guards the fixtures against silly mistakes.
func TestFixturesAreConsistent(t *testing.T) {
	for _, name := range fixtureNames {
		a := fixture(t, name)
		for _, inc := range a.Incidents {
			var sum int64
			for _, m := range inc.PerMinute {
				sum += m.Errors
			}
			if inc.Failed > 0 && sum != inc.Failed {
				t.Errorf("%s: incident %d: per-minute errors %d != failed %d", name, inc.ID, sum, inc.Failed)
			}
			var st int64
			for _, n := range inc.Statuses {
				st += n
			}
			if st != inc.Failed {
				t.Errorf("%s: incident %d: statuses %d != failed %d", name, inc.ID, st, inc.Failed)
			}
			if got := fmt.Sprint(inc.Chain[0]); got != inc.RootCause {
				t.Errorf("%s: chain starts with %s, root is %s", name, got, inc.RootCause)
			}
		}
	}
}
