package parsers

import (
	"testing"
	"time"
)

func TestPHPFPMParse(t *testing.T) {
	tests := []struct {
		name, line      string
		time            string // "" for a line without stamp
		level           Level
		pool, msg       string
		pid             int
		request, method string
		path, script    string
	}{
		{
			name: "child killed", line: `[20-Nov-2026 14:02:10] WARNING: [pool www] child 4321 exited on signal 9 (SIGKILL) after 12.345678 seconds from start`,
			time: "2026-11-20T14:02:10Z", level: LevelWarn, pool: "www", pid: 4321,
			msg: "child 4321 exited on signal 9 (SIGKILL) after 12.345678 seconds from start",
		},
		{
			name: "microseconds", line: `[20-Nov-2026 14:02:10.123456] WARNING: [pool www] child 4321 exited on signal 11 (SIGSEGV - core dumped) after 7.109208 seconds from start`,
			time: "2026-11-20T14:02:10.123456Z", level: LevelWarn, pool: "www", pid: 4321,
			msg: "child 4321 exited on signal 11 (SIGSEGV - core dumped) after 7.109208 seconds from start",
		},
		{
			name: "max children", line: `[15-Sep-2023 11:20:19] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it`,
			time: "2023-09-15T11:20:19Z", level: LevelWarn, pool: "www", msg: "server reached pm.max_children setting (5), consider raising it",
		},
		{
			name: "seems busy", line: `[20-Nov-2026 14:02:10] WARNING: [pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 12 total children`,
			time: "2026-11-20T14:02:10Z", level: LevelWarn, pool: "www",
			msg: "seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and 12 total children",
		},
		{
			name: "execution timed out", line: `[20-Nov-2026 14:02:10] WARNING: [pool www] child 123, script '/var/www/x.php' (request: "GET /x.php") execution timed out (30.123 sec), terminating`,
			time: "2026-11-20T14:02:10Z", level: LevelWarn, pool: "www", pid: 123,
			msg:     `child 123, script '/var/www/x.php' (request: "GET /x.php") execution timed out (30.123 sec), terminating`,
			request: "GET /x.php", method: "GET", path: "/x.php", script: "/var/www/x.php",
		},
		{
			name: "executing too slow", line: `[20-Nov-2026 14:02:10] WARNING: [pool shop] child 123, script '/var/www/shop/index.php' (request: "POST /index.php?route=checkout") executing too slow (5.048539 sec), logging`,
			time: "2026-11-20T14:02:10Z", level: LevelWarn, pool: "shop", pid: 123,
			msg:     `child 123, script '/var/www/shop/index.php' (request: "POST /index.php?route=checkout") executing too slow (5.048539 sec), logging`,
			request: "POST /index.php?route=checkout", method: "POST", path: "/index.php?route=checkout", script: "/var/www/shop/index.php",
		},
		{
			name: "said into stderr takes the PHP level", line: `[20-Nov-2026 14:06:20] WARNING: [pool www] child 24301 said into stderr: "NOTICE: PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/Db.php:39"`,
			time: "2026-11-20T14:06:20Z", level: LevelCrit, pool: "www", pid: 24301,
			msg: `child 24301 said into stderr: "NOTICE: PHP message: PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/Db.php:39"`,
		},
		{
			name: "said into stderr, a notice stays warning", line: `[20-Nov-2026 14:06:20] WARNING: [pool www] child 24142 said into stderr: "NOTICE: PHP message: PHP Warning:  Undefined array key "sku" in /x.php on line 87"`,
			time: "2026-11-20T14:06:20Z", level: LevelWarn, pool: "www", pid: 24142,
			msg: `child 24142 said into stderr: "NOTICE: PHP message: PHP Warning:  Undefined array key "sku" in /x.php on line 87"`,
		},
		{
			name: "fpm is running", line: `[20-Nov-2026 14:02:10] NOTICE: fpm is running, pid 1563`,
			time: "2026-11-20T14:02:10Z", level: LevelNotice, pid: 1563, msg: "fpm is running, pid 1563",
		},
		{name: "ready", line: `[20-Nov-2026 14:02:10] NOTICE: ready to handle connections`, time: "2026-11-20T14:02:10Z", level: LevelNotice, msg: "ready to handle connections"},
		{name: "terminating", line: `[20-Nov-2026 14:02:10] NOTICE: Terminating ...`, time: "2026-11-20T14:02:10Z", level: LevelNotice, msg: "Terminating ..."},
		{name: "bye-bye", line: `[20-Nov-2026 14:02:10] NOTICE: exiting, bye-bye!`, time: "2026-11-20T14:02:10Z", level: LevelNotice, msg: "exiting, bye-bye!"},
		{name: "reloading", line: `[27-Mar-2020 04:15:26] NOTICE: Reloading in progress ...`, time: "2020-03-27T04:15:26Z", level: LevelNotice, msg: "Reloading in progress ..."},
		{
			name: "bind failed", line: `[20-Nov-2026 14:02:10] ERROR: unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)`,
			time: "2026-11-20T14:02:10Z", level: LevelError, msg: "unable to bind listening socket for address '/run/php/php8.2-fpm.sock': Address already in use (98)",
		},
		{name: "init failed", line: `[20-Nov-2026 14:02:10] ERROR: FPM initialization failed`, time: "2026-11-20T14:02:10Z", level: LevelError, msg: "FPM initialization failed"},
		{
			name: "alert", line: `[14-Dec-2026 10:34:00] ALERT: oops, unknown child (4711) exited with code 1. Please open a bug report (https://github.com/php/php-src/issues).`,
			time: "2026-12-14T10:34:00Z", level: LevelAlert, msg: "oops, unknown child (4711) exited with code 1. Please open a bug report (https://github.com/php/php-src/issues).",
		},
		{
			name: "debug prefix", line: `[25-Jun-2019 20:37:12.642169] DEBUG: pid 60482, fpm_pctl_on_socket_accept(), line 536: [pool debug] got accept without idle child available .... I forked`,
			time: "2019-06-25T20:37:12.642169Z", level: LevelDebug, pool: "debug", pid: 60482, msg: "got accept without idle child available .... I forked",
		},
		{name: "trace", line: `[20-Nov-2026 14:02:10] NOTICE: about to trace 24164`, time: "2026-11-20T14:02:10Z", level: LevelNotice, pid: 24164, msg: "about to trace 24164"},
		{
			name: "worker line without stamp (decorate_workers_output = no)", line: `NOTICE: PHP message: PHP Fatal error:  Uncaught Error: Class "Redis" not found in /var/www/html/src/Cache.php:21`,
			level: LevelCrit, msg: `PHP message: PHP Fatal error:  Uncaught Error: Class "Redis" not found in /var/www/html/src/Cache.php:21`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok := errlogParse(t, phpFPMFormat, tc.line)
			if !ok {
				t.Fatalf("rejected %q", tc.line)
			}
			if tc.time == "" {
				if !ev.Time.IsZero() {
					t.Errorf("time %v, want none", ev.Time)
				}
			} else if want := errlogTime(t, tc.time); !ev.Time.Equal(want) || ev.Time.Location() != time.UTC || ev.TimeKnownZone {
				t.Errorf("time %v, want %v", ev.Time, want)
			}
			checks := []struct{ field, got, want string }{
				{"message", ev.Message, tc.msg}, {"module", ev.Module, tc.pool}, {"request", ev.Request, tc.request},
				{"method", ev.Method, tc.method}, {"path", ev.Path, tc.path}, {"script", ev.Field("script"), tc.script},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			if ev.Level != tc.level || ev.PID != tc.pid {
				t.Errorf("level/pid = %v/%d, want %v/%d", ev.Level, ev.PID, tc.level, tc.pid)
			}
		})
	}
}

func TestPHPFPMBlankLineJoined(t *testing.T) {
	evs, unparsed := errlogEntries(t, phpFPMFormat, "[25-Oct-2021 03:35:44] NOTICE: configuration file /etc/php/7.3/fpm/php-fpm.conf test is successful\n\n[25-Oct-2021 03:35:45] NOTICE: Terminating ...")
	if len(evs) != 2 || unparsed != 0 {
		t.Fatalf("%d events, %d unparsed", len(evs), unparsed)
	}
	if evs[0].Message != "configuration file /etc/php/7.3/fpm/php-fpm.conf test is successful" || evs[1].Line != 3 {
		t.Errorf("got %q, second at line %d", evs[0].Message, evs[1].Line)
	}
}

func TestPHPFPMRejects(t *testing.T) {
	errlogRejectsForeign(t, phpFPMFormat)
	for _, l := range []string{
		`[20-Nov-2026 14:02:10] INFO: not an FPM level`,
		`[20-Nov-2026 14:02:10] warning: lower case`,
		`[20-Nov-2026 14:02:10]  [pool www] pid 4321`,
		`[20-Xyz-2026 14:02:10] WARNING: bad month`,
		`WARNING: [pool` + "\x00",
		`ERROR: plain text of another program`,
	} {
		if ev, ok := errlogParse(t, phpFPMFormat, l); ok {
			t.Errorf("accepted %q → %+v", l, ev)
		}
	}
}

func BenchmarkPHPFPMParse(b *testing.B) {
	errlogBench(b, phpFPMFormat, "/tmp/gl/php8.2-fpm.log", "../testdata/parsers/php-fpm/php8.2-fpm-debian.log")
}
