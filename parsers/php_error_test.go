package parsers

import (
	"strings"
	"testing"
	"time"
)

func TestPHPErrorParse(t *testing.T) {
	tests := []struct {
		name, line string
		time       string
		known      bool
		offset     int32
		level      Level
		msg        string
	}{
		{
			name: "fatal UTC", line: `[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2316`,
			time: "2026-11-20T14:02:10Z", known: true, level: LevelCrit,
			msg: "PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/wp-includes/class-wpdb.php on line 2316",
		},
		{
			name: "parse error", line: `[20-Nov-2026 14:02:14 UTC] PHP Parse error:  syntax error, unexpected token "}" in /var/www/html/index.php on line 12`,
			time: "2026-11-20T14:02:14Z", known: true, level: LevelCrit, msg: `PHP Parse error:  syntax error, unexpected token "}" in /var/www/html/index.php on line 12`,
		},
		{
			name: "warning Europe/Berlin winter", line: `[20-Nov-2026 15:02:10 Europe/Berlin] PHP Warning:  Undefined array key "sku" in /x.php on line 87`,
			time: "2026-11-20T14:02:10Z", known: true, offset: 3600, level: LevelWarn, msg: `PHP Warning:  Undefined array key "sku" in /x.php on line 87`,
		},
		{
			name: "Europe/Berlin summer", line: `[29-Mar-2026 03:00:01 Europe/Berlin] PHP Warning:  x in /x.php on line 1`,
			time: "2026-03-29T01:00:01Z", known: true, offset: 7200, level: LevelWarn, msg: "PHP Warning:  x in /x.php on line 1",
		},
		{
			name: "America/New_York", line: `[20-Nov-2026 09:02:10 America/New_York] PHP Deprecated:  Creation of dynamic property Foo::$bar is deprecated in /x.php on line 88`,
			time: "2026-11-20T14:02:10Z", known: true, offset: -18000, level: LevelNotice, msg: "PHP Deprecated:  Creation of dynamic property Foo::$bar is deprecated in /x.php on line 88",
		},
		{
			name: "offset zone", line: `[20-Nov-2026 16:02:10 +02:00] PHP Notice:  Undefined index: q in /x.php on line 8`,
			time: "2026-11-20T14:02:10Z", known: true, offset: 7200, level: LevelNotice, msg: "PHP Notice:  Undefined index: q in /x.php on line 8",
		},
		{
			name: "unknown zone is read as zoneless", line: `[20-Nov-2026 14:02:10 Mars/Olympus_Mons] PHP Notice:  x`,
			time: "2026-11-20T14:02:10Z", level: LevelNotice, msg: "PHP Notice:  x",
		},
		{
			name: "catchable fatal (PHP 5)", line: `[20-Nov-2026 14:02:10 UTC] PHP Catchable fatal error:  Argument 1 passed to Foo::bar() must be an instance of Baz, null given in /x.php on line 10`,
			time: "2026-11-20T14:02:10Z", known: true, level: LevelError, msg: "PHP Catchable fatal error:  Argument 1 passed to Foo::bar() must be an instance of Baz, null given in /x.php on line 10",
		},
		{
			name: "recoverable fatal", line: `[20-Nov-2026 14:02:10 UTC] PHP Recoverable fatal error:  Object of class WP_Error could not be converted to string in /x.php on line 12`,
			time: "2026-11-20T14:02:10Z", known: true, level: LevelError, msg: "PHP Recoverable fatal error:  Object of class WP_Error could not be converted to string in /x.php on line 12",
		},
		{
			name: "error_log() line without label", line: `[20-Nov-2026 14:02:10 UTC] payment webhook: signature mismatch for order 1234`,
			time: "2026-11-20T14:02:10Z", known: true, msg: "payment webhook: signature mismatch for order 1234",
		},
		{
			name: "error_log() line with a level word", line: `[20-Nov-2026 14:02:10 UTC] ERROR: cache warmup failed`,
			time: "2026-11-20T14:02:10Z", known: true, level: LevelError, msg: "ERROR: cache warmup failed",
		},
		{
			name: "WordPress database error", line: `[03-Mar-2026 08:15:02 UTC] WordPress database error Table 'wp.wp_options' doesn't exist for query SELECT 1`,
			time: "2026-03-03T08:15:02Z", known: true, level: LevelError, msg: "WordPress database error Table 'wp.wp_options' doesn't exist for query SELECT 1",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok := errlogParse(t, phpErrorFormat, tc.line)
			if !ok {
				t.Fatalf("rejected %q", tc.line)
			}
			if want := errlogTime(t, tc.time); !ev.Time.Equal(want) || ev.Time.Location() != time.UTC {
				t.Errorf("time %v, want %v", ev.Time, want)
			}
			if ev.TimeKnownZone != tc.known || ev.ZoneOffset != tc.offset {
				t.Errorf("known zone %v offset %d, want %v %d", ev.TimeKnownZone, ev.ZoneOffset, tc.known, tc.offset)
			}
			if ev.Level != tc.level || ev.Message != tc.msg {
				t.Errorf("level %v message %q, want %v %q", ev.Level, ev.Message, tc.level, tc.msg)
			}
		})
	}
}

func TestPHPErrorStackTrace(t *testing.T) {
	text := `[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Uncaught Exception: boom in /var/www/x.php:3
Stack trace:
#0 {main}
  thrown in /var/www/x.php on line 3
[20-Nov-2026 14:02:20 UTC] PHP Fatal error:  Uncaught GuzzleHttp\Exception\ClientException: Client error: ` + "`GET https://api.example.com/v2/items` resulted in a `404 Not Found`" + ` response:
{"error":"not_found"}
 in /var/www/vendor/guzzle/RequestException.php:113
Stack trace:
#0 /var/www/vendor/guzzle/Middleware.php(72): GuzzleHttp\Exception\RequestException::create()
#1 {main}
  thrown in /var/www/vendor/guzzle/RequestException.php on line 113
not a PHP line after the exception was closed
[20-Nov-2026 14:02:21 UTC] Array
(
    [order_id] => 1234
)

[20-Nov-2026 14:02:22] NOTICE: a php-fpm line is not joined
[20-Nov-2026 14:02:23 UTC] PHP Warning:  last`
	evs, unparsed := errlogEntries(t, phpErrorFormat, text)
	if len(evs) != 4 || unparsed != 2 {
		for _, ev := range evs {
			t.Logf("%d %q", ev.Line, ev.Raw)
		}
		t.Fatalf("%d entries, %d unparsed lines; want 4 and 2", len(evs), unparsed)
	}
	if evs[0].Level != LevelCrit || !strings.HasSuffix(evs[0].Message, "  thrown in /var/www/x.php on line 3") || strings.Count(evs[0].Message, "\n") != 3 {
		t.Errorf("first: %v %q", evs[0].Level, evs[0].Message)
	}
	if evs[1].Line != 5 || strings.Count(evs[1].Message, "\n") != 6 || !strings.Contains(evs[1].Message, "\n{\"error\":\"not_found\"}\n") {
		t.Errorf("second: line %d %q", evs[1].Line, evs[1].Message)
	}
	if evs[2].Line != 13 || evs[2].Message != "Array\n(\n    [order_id] => 1234\n)" {
		t.Errorf("third: line %d %q", evs[2].Line, evs[2].Message)
	}
	if evs[3].Line != 19 || evs[3].Message != "PHP Warning:  last" {
		t.Errorf("fourth: line %d %q", evs[3].Line, evs[3].Message)
	}
}

func TestPHPErrorZoneCache(t *testing.T) {
	p := &phpErrorParser{clock: NewClock(time.UTC, "test")}
	for i := 0; i < 3; i++ {
		for _, l := range []string{
			`[20-Nov-2026 15:02:10 Europe/Berlin] PHP Warning:  a`,
			`[20-Nov-2026 09:02:10 America/New_York] PHP Warning:  b`,
			`[20-Nov-2026 15:02:11 Europe/Berlin] PHP Warning:  c`,
		} {
			ev := Event{}
			if !p.Parse([]byte(l), &ev) || !ev.TimeKnownZone {
				t.Fatalf("%q: %+v", l, ev)
			}
		}
	}
	if len(p.zones) != 2 {
		t.Errorf("zones loaded: %v", p.zones)
	}
}

func TestPHPErrorRejects(t *testing.T) {
	errlogRejectsForeign(t, phpErrorFormat)
	for _, l := range []string{
		`[20-Nov-2026 14:02:10] PHP Warning:  no zone`,
		`[20-Nov-2026 14:02:10 ] PHP Warning:  empty zone`,
		`[20-Nov-2026 14:02:10 UTC PHP Warning:  no bracket`,
		`[20-Nov-2026 14:02:10 U T C] x`,
		`[32-Nov-2026 14:02:10 UTC] day 32`,
		`20-Nov-2026 14:02:10 UTC] x`,
	} {
		if ev, ok := errlogParse(t, phpErrorFormat, l); ok {
			t.Errorf("accepted %q → %+v", l, ev)
		}
	}
}

func BenchmarkPHPErrorParse(b *testing.B) {
	errlogBench(b, phpErrorFormat, "../testdata/parsers/php-error/php8-errors-utc.log")
}
