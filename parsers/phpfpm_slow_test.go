package parsers

import (
	"strings"
	"testing"
	"time"
)

func TestPHPFPMSlowEntries(t *testing.T) {
	text := `
[20-Nov-2026 14:02:10]  [pool www] pid 4321
script_filename = /var/www/html/index.php
[0x00007f3b5c8130a0] curl_exec() /var/www/html/lib/Http.php:88
[0x00007f3b5c813010] fetch() /var/www/html/index.php:12

[20-Nov-2026 14:02:15.123456]  [pool shop-api] pid 24164
script_filename = /var/www/api/public/index.php
[0x00007f0e4a61d020] [INCLUDE_OR_EVAL]() /var/www/api/public/index.php:20

[20-Nov-2026 14:02:20]  [pool www] pid 24207
script_filename = /var/www/api/public/index.php
+++ dump failed

not a slow-log line

[20-Nov-2026 14:02:30]  [pool www] pid 24210
script_filename = /var/www/html/cron.php
`
	// blank lines separate entries and are no entries themselves: only
	// "not a slow-log line" is unparsed
	evs, unparsed := errlogEntries(t, phpFPMSlowFormat, text)
	if len(evs) != 4 || unparsed != 1 {
		for _, ev := range evs {
			t.Logf("%d %q", ev.Line, ev.Raw)
		}
		t.Fatalf("%d entries, %d unparsed lines; want 4 and 1", len(evs), unparsed)
	}
	want := []struct {
		line       int64
		time, pool string
		pid        int
		path, msg  string
	}{
		{2, "2026-11-20T14:02:10Z", "www", 4321, "/var/www/html/index.php", "slow request: curl_exec() /var/www/html/lib/Http.php:88 (script /var/www/html/index.php)"},
		{7, "2026-11-20T14:02:15.123456Z", "shop-api", 24164, "/var/www/api/public/index.php", "slow request: [INCLUDE_OR_EVAL]() /var/www/api/public/index.php:20 (script /var/www/api/public/index.php)"},
		{11, "2026-11-20T14:02:20Z", "www", 24207, "/var/www/api/public/index.php", "slow request: trace failed (script /var/www/api/public/index.php)"},
		{17, "2026-11-20T14:02:30Z", "www", 24210, "/var/www/html/cron.php", "slow request (script /var/www/html/cron.php)"},
	}
	for i, w := range want {
		ev := evs[i]
		if ev.Line != w.line || !ev.Time.Equal(errlogTime(t, w.time)) || ev.Module != w.pool || ev.PID != w.pid ||
			ev.Path != w.path || ev.Message != w.msg || ev.Level != LevelWarn || ev.TimeKnownZone {
			t.Errorf("entry %d: line %d time %v pool %q pid %d path %q level %v msg %q", i, ev.Line, ev.Time, ev.Module, ev.PID, ev.Path, ev.Level, ev.Message)
		}
		if strings.HasPrefix(string(ev.Raw), "\n") || strings.HasSuffix(string(ev.Raw), "\n") {
			t.Errorf("entry %d: raw keeps blank lines: %q", i, ev.Raw)
		}
	}
	if evs[0].Offset != 1 {
		t.Errorf("first entry offset %d, want 1 (after the blank line)", evs[0].Offset)
	}
	if n := strings.Count(string(evs[0].Raw), "\n"); n != 3 {
		t.Errorf("first entry has %d line breaks, want 3", n)
	}
}

func TestPHPFPMSlowParseOne(t *testing.T) {
	ev, ok := errlogParse(t, phpFPMSlowFormat, phpFPMSlowFormat.Examples[0])
	if !ok {
		t.Fatal("rejected the example")
	}
	if ev.Module != "www" || ev.PID != 4321 || ev.Path != "/var/www/html/index.php" ||
		ev.Message != "slow request: curl_exec() /var/www/html/lib/Http.php:88 (script /var/www/html/index.php)" ||
		!ev.Time.Equal(time.Date(2026, 11, 20, 14, 2, 10, 0, time.UTC)) {
		t.Errorf("got %+v", ev)
	}
}

func TestPHPFPMSlowRejects(t *testing.T) {
	errlogRejectsForeign(t, phpFPMSlowFormat)
	for _, l := range []string{
		`[20-Nov-2026 14:02:10]  [pool www] pid`,
		`[20-Nov-2026 14:02:10]  [pool www] pid x12`,
		`[20-Nov-2026 14:02:10] [pool www] child 12`,
		"script_filename = /var/www/html/index.php\n[0x00007f3b5c8130a0] curl_exec() /x.php:1",
		"\n\n",
	} {
		if ev, ok := errlogParse(t, phpFPMSlowFormat, l); ok {
			t.Errorf("accepted %q → %+v", l, ev)
		}
	}
}

func BenchmarkPHPFPMSlowParse(b *testing.B) {
	errlogBench(b, phpFPMSlowFormat, "../testdata/parsers/php-fpm-slow/www-slow-php8.log")
}
