package parsers

import (
	"testing"
	"time"
)

func TestApacheErrorParse(t *testing.T) {
	tests := []struct {
		name, line                string
		time                      string
		level                     Level
		module, code, client, msg string
		referer, upstream         string
		pid                       int
		tid                       int64
	}{
		{
			name: "2.4 errno before client, referer",
			line: `[Fri Nov 20 14:02:10.123456 2026] [proxy:error] [pid 1:tid 2] (111)Connection refused: [client 192.0.2.1:5555] AH00957: HTTP: attempt to connect to 127.0.0.1 (localhost) failed, referer: https://example.com/page`,
			time: "2026-11-20T14:02:10.123456Z", level: LevelError, module: "proxy", code: "AH00957", client: "192.0.2.1", pid: 1, tid: 2,
			msg:     "(111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1 (localhost) failed",
			referer: "https://example.com/page",
		},
		{
			name: "2.4 errno without client",
			line: `[Thu Mar 10 09:00:00.000001 2026] [proxy:error] [pid 2301:tid 139955521443712] (111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed`,
			time: "2026-03-10T09:00:00.000001Z", level: LevelError, module: "proxy", code: "AH00957", pid: 2301, tid: 139955521443712,
			msg: "(111)Connection refused: AH00957: FCGI: attempt to connect to 127.0.0.1:9000 (127.0.0.1:9000) failed",
		},
		{
			name: "AH01071 primary script unknown",
			line: `[Sun Feb 21 15:34:02.036018 2016] [proxy_fcgi:error] [pid 2610:tid 140051509872384] [client 198.51.100.9:47246] AH01071: Got error 'Primary script unknown\n'`,
			time: "2016-02-21T15:34:02.036018Z", level: LevelError, module: "proxy_fcgi", code: "AH01071", client: "198.51.100.9", pid: 2610, tid: 140051509872384,
			msg: `AH01071: Got error 'Primary script unknown\n'`,
		},
		{
			name: "AH01102 timeout",
			line: `[2026-11-20 14:02:10.130000] [proxy_http:error] [pid 7120:tid 140321] (70007)The timeout specified has expired: [client 192.0.2.45:50112] AH01102: error reading status line from remote server 127.0.0.1:8080, referer: https://app.example.com/`,
			time: "2026-11-20T14:02:10.13Z", level: LevelError, module: "proxy_http", code: "AH01102", client: "192.0.2.45", pid: 7120, tid: 140321,
			msg:     "(70007)The timeout specified has expired: AH01102: error reading status line from remote server 127.0.0.1:8080",
			referer: "https://app.example.com/",
		},
		{
			name: "core notice command line", line: `[Fri Mar 14 00:00:00.251633 2025] [core:notice] [pid 2304:tid 139955126986624] AH00094: Command line: '/usr/sbin/apache2'`,
			time: "2025-03-14T00:00:00.251633Z", level: LevelNotice, module: "core", code: "AH00094", pid: 2304, tid: 139955126986624,
			msg: "AH00094: Command line: '/usr/sbin/apache2'",
		},
		{
			name: "mpm_event resuming", line: `[Fri Mar 14 00:00:00.247124 2025] [mpm_event:notice] [pid 2301:tid 139955227699072] AH00489: Apache/2.4.62 (Debian) OpenSSL/3.0.15 configured -- resuming normal operations`,
			time: "2025-03-14T00:00:00.247124Z", level: LevelNotice, module: "mpm_event", code: "AH00489", pid: 2301, tid: 139955227699072,
			msg: "AH00489: Apache/2.4.62 (Debian) OpenSSL/3.0.15 configured -- resuming normal operations",
		},
		{
			name: "php7 fatal, prefork pid only", line: `[Mon Jan 05 07:38:02.600006 2026] [php7:error] [pid 12345] [client 198.51.100.4:50812] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/db.php:4\nStack trace:\n#0 {main}\n  thrown in /var/www/html/db.php on line 4, referer: http://example.com/`,
			time: "2026-01-05T07:38:02.600006Z", level: LevelError, module: "php7", client: "198.51.100.4", pid: 12345,
			msg:     `PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/db.php:4\nStack trace:\n#0 {main}\n  thrown in /var/www/html/db.php on line 4`,
			referer: "http://example.com/",
		},
		{
			name: "fcgid stderr", line: `[Tue Apr 28 17:02:14.632863 2015] [fcgid:warn] [pid 14123] [client 10.50.2.9:59158] mod_fcgid: stderr: PHP Warning: Invalid argument supplied for foreach() in /var/www/app/CacheModule.php on line 111, referer: http://domain.tld/installer`,
			time: "2015-04-28T17:02:14.632863Z", level: LevelWarn, module: "fcgid", client: "10.50.2.9", pid: 14123,
			msg: "mod_fcgid: stderr: PHP Warning: Invalid argument supplied for foreach() in /var/www/app/CacheModule.php on line 111", referer: "http://domain.tld/installer",
		},
		{
			name: "no module", line: `[Sat Jul 01 09:54:34.721247 2017] [:notice] [pid 14375:tid 140553530169472] ModSecurity for Apache/2.9.0 (http://www.modsecurity.org/) configured.`,
			time: "2017-07-01T09:54:34.721247Z", level: LevelNotice, pid: 14375, tid: 140553530169472,
			msg: "ModSecurity for Apache/2.9.0 (http://www.modsecurity.org/) configured.",
		},
		{
			name: "milliseconds (%{m}t)", line: `[Mon Mar 06 17:38:27.183 2026] [core:error] [pid 26600:tid 14708] [client 2001:db8::7:36225] AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1`,
			time: "2026-03-06T17:38:27.183Z", level: LevelError, module: "core", code: "AH00126", client: "2001:db8::7", pid: 26600, tid: 14708,
			msg: "AH00126: Invalid URI in request GET /../../etc/passwd HTTP/1.1",
		},
		{
			name: "trace level and source position", line: `[2026-11-20 14:02:10.120100] [core:trace5] [pid 7120:tid 140321] protocol.c(708): [client 192.0.2.44:50110] Request received from client: GET /api/health HTTP/1.1`,
			time: "2026-11-20T14:02:10.1201Z", level: LevelDebug, module: "core", client: "192.0.2.44", pid: 7120, tid: 140321,
			msg: "Request received from client: GET /api/health HTTP/1.1",
		},
		{
			name: "remote is the backend", line: `[Fri Nov 20 14:02:47.000014 2026] [ssl:error] [pid 2304:tid 139955269662592] [remote 10.1.2.3:443] AH01961: SSL Proxy requested for blog.example.com:443 but not enabled [Hint: SSLProxyEngine]`,
			time: "2026-11-20T14:02:47.000014Z", level: LevelError, module: "ssl", code: "AH01961", upstream: "10.1.2.3:443", pid: 2304, tid: 139955269662592,
			msg: "AH01961: SSL Proxy requested for blog.example.com:443 but not enabled [Hint: SSLProxyEngine]",
		},
		{
			name: "2.2 file does not exist", line: `[Fri Nov 20 14:02:10 2026] [error] [client 192.0.2.1] File does not exist: /var/www/favicon.ico`,
			time: "2026-11-20T14:02:10Z", level: LevelError, client: "192.0.2.1", msg: "File does not exist: /var/www/favicon.ico",
		},
		{
			name: "2.2 notice", line: `[Fri Nov 20 14:02:10 2026] [notice] Apache/2.2.22 (Ubuntu) configured -- resuming normal operations`,
			time: "2026-11-20T14:02:10Z", level: LevelNotice, msg: "Apache/2.2.22 (Ubuntu) configured -- resuming normal operations",
		},
		{
			name: "2.2 php fatal with referer", line: `[Mon Apr 11 09:01:02 2016] [error] [client 198.51.100.91] PHP Fatal error:  Call to undefined function mysql_connect() in /var/www/html/db.php on line 4, referer: http://www.example.com/`,
			time: "2016-04-11T09:01:02Z", level: LevelError, client: "198.51.100.91", referer: "http://www.example.com/",
			msg: "PHP Fatal error:  Call to undefined function mysql_connect() in /var/www/html/db.php on line 4",
		},
		{
			name: "2.2 client then errno", line: `[Mon Apr 11 09:01:01 2016] [error] [client 198.51.100.90] (13)Permission denied: access to /private/ denied`,
			time: "2016-04-11T09:01:01Z", level: LevelError, client: "198.51.100.90", msg: "(13)Permission denied: access to /private/ denied",
		},
		{
			name: "2.2 proxy errno", line: `[Wed Dec 04 17:14:32 2019] [error] (111)Connection refused: proxy: HTTP: attempt to connect to 127.0.0.1:8212 (*) failed`,
			time: "2019-12-04T17:14:32Z", level: LevelError, msg: "(111)Connection refused: proxy: HTTP: attempt to connect to 127.0.0.1:8212 (*) failed",
		},
		{
			name: "2.2 IPv6 client without port", line: `[Mon Apr 11 09:01:06 2016] [error] [client 2001:db8::1] client denied by server configuration: /var/www/html/server-status`,
			time: "2016-04-11T09:01:06Z", level: LevelError, client: "2001:db8::1", msg: "client denied by server configuration: /var/www/html/server-status",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok := errlogParse(t, apacheErrorFormat, tc.line)
			if !ok {
				t.Fatalf("rejected %q", tc.line)
			}
			if want := errlogTime(t, tc.time); !ev.Time.Equal(want) || ev.Time.Location() != time.UTC || ev.TimeKnownZone {
				t.Errorf("time %v, want %v", ev.Time, want)
			}
			checks := []struct{ field, got, want string }{
				{"message", ev.Message, tc.msg}, {"module", ev.Module, tc.module}, {"code", ev.Code, tc.code},
				{"client", ev.Client, tc.client}, {"referer", ev.Referer, tc.referer}, {"upstream", ev.Upstream, tc.upstream},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			if ev.Level != tc.level || ev.PID != tc.pid || ev.TID != tc.tid {
				t.Errorf("level/pid/tid = %v/%d/%d, want %v/%d/%d", ev.Level, ev.PID, ev.TID, tc.level, tc.pid, tc.tid)
			}
		})
	}
}

func TestApacheStripPort(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1:5555": "192.0.2.1", "192.0.2.1": "192.0.2.1", "2001:db8::1:5555": "2001:db8::1",
		"::1:443": "::1", "::1": "::1", "::ffff:192.0.2.1:80": "::ffff:192.0.2.1", "::ffff:192.0.2.1": "::ffff:192.0.2.1",
		"2001:db8::1": "2001:db8::1",
	} {
		if got := string(apacheStripPort([]byte(in))); got != want {
			t.Errorf("apacheStripPort(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestApacheErrorRejects(t *testing.T) {
	errlogRejectsForeign(t, apacheErrorFormat)
	for _, l := range []string{
		`[Fri Nov 20 14:02:10 2026] [fatal] [client 192.0.2.1] unknown level`,
		`[Fri Nov 20 14:02:10 2026] error no brackets`,
		`[Fry Nov 20 14:02:10 2026] [error] bad weekday`,
		`[Fri Nov 20 14:02:10.123456] [error] no year`,
		`[Fri Nov 20 14:02:10 2026]`,
		`[20/Nov/2026:14:02:10 +0000] [error] CLF stamp`,
	} {
		if ev, ok := errlogParse(t, apacheErrorFormat, l); ok {
			t.Errorf("accepted %q → %+v", l, ev)
		}
	}
}

func BenchmarkApacheErrorParse(b *testing.B) {
	errlogBench(b, apacheErrorFormat, "/tmp/gl/apache2/error.log", "../testdata/parsers/apache-error/apache-2.4-debian-proxy-fcgi.log")
}
