package parsers

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// syslogTestParser returns a syslog parser reading zoneless stamps in UTC
// with the golden year reference.
func syslogTestParser(t testing.TB) *syslogParser {
	t.Helper()
	clock := NewClock(time.UTC, "test")
	clock.YearRef = goldenYearRef
	p, err := syslogFormat.New(Config{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*syslogParser)
}

// syslogLead is put before the lines of join tests: the stream never shows
// an input's first line to Continues, so the first line cannot start an
// entry that the second line continues.
const syslogLead = "Nov 20 14:00:00 web-01 systemd[1]: Started Session 1 of user root.\n"

// syslogEntries frames text like the decoder does (joining continuation
// lines) and parses every entry; unparsed entries come back with an empty
// Format.
func syslogEntries(t testing.TB, text string) []Event {
	t.Helper()
	p := syslogTestParser(t)
	s := newStream(syslogFormat, p)
	var out []Event
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		raw := append([]byte(nil), entry...)
		ev := Event{Raw: raw, Line: lineNo, Format: FormatSyslog}
		if !p.Parse(raw, &ev) {
			ev = Event{Raw: raw, Line: lineNo}
		}
		out = append(out, ev)
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		s.feed([]byte(line), int64(i+1), 0, false, nil, sink)
	}
	s.close(sink)
	return out
}

func TestSyslogParse(t *testing.T) {
	type want struct {
		time    string // RFC 3339 in UTC; "" for none
		known   bool   // TimeKnownZone
		level   Level
		host    string
		module  string
		pid     int
		msg     string
		fields  map[string]string
		zoneOff int32
	}
	tests := []struct {
		name string
		line string
		want want
	}{
		{
			// shakenfist/shakenfist#177 (Ubuntu 18.04, kernel 4.15)
			"3164 kernel with uptime",
			`Jul 16 11:53:24 sau-3f41e-or kernel: [1310061.327439] CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0`,
			want{time: "2026-07-16T11:53:24Z", host: "sau-3f41e-or", module: "kernel",
				msg:    "CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0",
				fields: map[string]string{"uptime": "1310061.327439"}},
		},
		{
			// oerdnj/deb.sury.org#32: uptime padded, kernel message with its own comm[pid]
			"3164 segfault",
			`Nov 23 14:21:04 example kernel: [39307.319171] php5-fpm[7578]: segfault at 21 ip 00007f3897bbd094 sp 00007fff8ed6fb08 error 6 in libc-2.19.so[7f3897b30000+1bb000]`,
			want{time: "2026-11-23T14:21:04Z", host: "example", module: "kernel",
				msg:    "php5-fpm[7578]: segfault at 21 ip 00007f3897bbd094 sp 00007fff8ed6fb08 error 6 in libc-2.19.so[7f3897b30000+1bb000]",
				fields: map[string]string{"uptime": "39307.319171"}},
		},
		{
			"3164 padded uptime",
			`Dec  9 16:12:01 s02 kernel: [  155.212182] php-fpm5.6[24318]: segfault at 7efd2a11eab0 ip 00007efd469d1410 sp 00007ffc343c1048 error 4 in libc-2.23.so[7efd46884000+1bf000]`,
			want{time: "2026-12-09T16:12:01Z", host: "s02", module: "kernel",
				msg:    "php-fpm5.6[24318]: segfault at 7efd2a11eab0 ip 00007efd469d1410 sp 00007ffc343c1048 error 4 in libc-2.23.so[7efd46884000+1bf000]",
				fields: map[string]string{"uptime": "155.212182"}},
		},
		{
			// sighupio/gatekeeper-policy-manager#255: host name removed by the reporter
			"3164 without host",
			`Sep  8 06:22:08 kernel: Memory cgroup out of memory: Killed process 2908 (gunicorn) total-vm:208060kB, anon-rss:64296kB, file-rss:9904kB, shmem-rss:0kB, UID:999 pgtables:296kB oom_score_adj:984`,
			want{time: "2026-09-08T06:22:08Z", module: "kernel",
				msg: "Memory cgroup out of memory: Killed process 2908 (gunicorn) total-vm:208060kB, anon-rss:64296kB, file-rss:9904kB, shmem-rss:0kB, UID:999 pgtables:296kB oom_score_adj:984"},
		},
		{
			// systemd/systemd#3277
			"systemd main process exited",
			`May 17 13:37:48 sunfyre systemd[1]: awesome-server.service: Main process exited, code=exited, status=2/INVALIDARGUMENT`,
			// Clock.Year puts a year-less stamp in the year closest to
			// YearRef (2026-11-25): May 17 is nearer in 2027.
			want{time: "2027-05-17T13:37:48Z", host: "sunfyre", module: "systemd", pid: 1,
				msg: "awesome-server.service: Main process exited, code=exited, status=2/INVALIDARGUMENT"},
		},
		{
			"systemd killed, single-digit day",
			`Nov  2 14:02:10 web-01 systemd[1]: php8.2-fpm.service: Main process exited, code=killed, status=9/KILL`,
			want{time: "2026-11-02T14:02:10Z", host: "web-01", module: "systemd", pid: 1,
				msg: "php8.2-fpm.service: Main process exited, code=killed, status=9/KILL"},
		},
		{
			// MaartenBaert/ssr#821 (Ubuntu 20.04): program with slashes
			"program path",
			`Aug 31 05:43:05 UBU20MP-1 /usr/lib/gdm3/gdm-x-session[3566]: (II) event2  - VirtualPS/2 VMware VMMouse: SYN_DROPPED event - some input events have been lost.`,
			want{time: "2026-08-31T05:43:05Z", host: "UBU20MP-1", module: "/usr/lib/gdm3/gdm-x-session", pid: 3566,
				msg: "(II) event2  - VirtualPS/2 VMware VMMouse: SYN_DROPPED event - some input events have been lost."},
		},
		{
			"cron",
			`Aug 31 05:40:01 UBU20MP-1 CRON[147147]: (www-data) CMD (php /usr/share/cacti/site/poller.php 2>&1 >/dev/null | if [ -f /usr/bin/ts ] ; then ts ; else tee ; fi >> /var/log/cacti/poller-error.log)`,
			want{time: "2026-08-31T05:40:01Z", host: "UBU20MP-1", module: "CRON", pid: 147147,
				msg: "(www-data) CMD (php /usr/share/cacti/site/poller.php 2>&1 >/dev/null | if [ -f /usr/bin/ts ] ; then ts ; else tee ; fi >> /var/log/cacti/poller-error.log)"},
		},
		{
			// RFC 3164 §5.4 example as received from the network
			"3164 with PRI",
			`<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8`,
			want{time: "2026-10-11T22:14:15Z", level: LevelCrit, host: "mymachine", module: "su",
				msg: "'su root' failed for lonvick on /dev/pts/8"},
		},
		{
			// RFC 3164 §5.4: no tag, host is an IP address
			"3164 without tag",
			`<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!`,
			want{time: "2027-02-05T17:32:18Z", level: LevelNotice, host: "10.0.0.99", msg: "Use the BFG!"},
		},
		{
			// void-linux/void-packages#4804 (rsyslog RFC 3339 stamps)
			"rsyslog high precision",
			`2016-09-12T14:15:22.100770+01:00 ok kernel: [ 1099.228378] EXT4-fs error (device sda1): ext4_lookup:1607: inode #525615: comm Cache2 I/O: deleted inode referenced: 530632`,
			want{time: "2016-09-12T13:15:22.10077Z", known: true, zoneOff: 3600, host: "ok", module: "kernel",
				msg:    "EXT4-fs error (device sda1): ext4_lookup:1607: inode #525615: comm Cache2 I/O: deleted inode referenced: 530632",
				fields: map[string]string{"uptime": "1099.228378"}},
		},
		{
			// joshi4/splash#23
			"rsyslog without fraction",
			`2025-08-06T12:40:30-05:00 username systemd[1]: run-user-1001.mount: Deactivated successfully.`,
			want{time: "2025-08-06T17:40:30Z", known: true, zoneOff: -5 * 3600, host: "username", module: "systemd", pid: 1,
				msg: "run-user-1001.mount: Deactivated successfully."},
		},
		{
			// systemd/systemd#29134: journalctl -o short-iso
			"journalctl short-iso",
			`2023-09-08T17:20:30+0200 tarta r710_fan_controller.sh[20911]: Highest drive temperature: 43 Celcius.`,
			want{time: "2023-09-08T15:20:30Z", known: true, zoneOff: 7200, host: "tarta", module: "r710_fan_controller.sh", pid: 20911,
				msg: "Highest drive temperature: 43 Celcius."},
		},
		{
			"journalctl short-iso-precise",
			`2023-09-08T17:20:30.655028+0200 tarta r710_fan_controller.sh[20911]: Highest drive temperature: 43 Celcius.`,
			want{time: "2023-09-08T15:20:30.655028Z", known: true, zoneOff: 7200, host: "tarta", module: "r710_fan_controller.sh", pid: 20911,
				msg: "Highest drive temperature: 43 Celcius."},
		},
		{
			// Seagate/cortx-hare#839: journalctl -o short-precise, OOM task table
			"journalctl short-precise",
			`Mar 27 20:01:20.637805 hare70396-test-boot1-cmu kernel: [ 2746]     0  2746    82343       65      57     1184             0 rsyslogd`,
			want{time: "2027-03-27T20:01:20.637805Z", host: "hare70396-test-boot1-cmu", module: "kernel",
				msg: "[ 2746]     0  2746    82343       65      57     1184             0 rsyslogd"},
		},
		{
			// RFC 5424 §6.5 example 1: BOM before MSG, no PROCID, no SD
			"5424 example 1",
			"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8",
			want{time: "2003-10-11T22:14:15.003Z", known: true, level: LevelCrit, host: "mymachine.example.com", module: "su",
				msg: "'su root' failed for lonvick on /dev/pts/8", fields: map[string]string{"msgid": "ID47"}},
		},
		{
			// RFC 5424 §6.5 example 2
			"5424 example 2",
			`<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.`,
			want{time: "2003-08-24T12:14:15.000003Z", known: true, zoneOff: -7 * 3600, level: LevelNotice, host: "192.0.2.1", module: "myproc", pid: 8710,
				msg: "%% It's time to make the do-nuts."},
		},
		{
			// RFC 5424 §6.5 example 4 with escaped values
			"5424 structured data",
			`<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog worker-3 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="hi\"gh\]"] An application event log entry...`,
			want{time: "2003-10-11T22:14:15.003Z", known: true, level: LevelNotice, host: "mymachine.example.com", module: "evntslog",
				msg: "An application event log entry...",
				fields: map[string]string{"procid": "worker-3", "msgid": "ID47", "iut": "3", "eventSource": "Application",
					"eventID": "1011", "class": `hi"gh]`}},
		},
		{
			// rsyslog/rsyslog#1120: SD is "-", MSG looks like SD
			"5424 rsyslog start",
			`<46>1 2016-08-18T10:35:20.662120+00:00 MYHOSTNAME rsyslogd - - - [origin software="rsyslogd" swVersion="8.20.0" x-pid="21741" x-info="http://www.rsyslog.com"] start`,
			want{time: "2016-08-18T10:35:20.66212Z", known: true, level: LevelInfo, host: "MYHOSTNAME", module: "rsyslogd",
				msg: `[origin software="rsyslogd" swVersion="8.20.0" x-pid="21741" x-info="http://www.rsyslog.com"] start`},
		},
		{
			"5424 nil time",
			`<30>1 - web-03 app - - - no stamp`,
			want{level: LevelInfo, host: "web-03", module: "app", msg: "no stamp"},
		},
		{
			// leptonai/gpud#70 shape, journalctl json
			"journal json kernel",
			`{"__CURSOR":"s=a1;i=12a82","__REALTIME_TIMESTAMP":"1725001135050705","__MONOTONIC_TIMESTAMP":"1310061327439","_BOOT_ID":"5663","_TRANSPORT":"kernel","SYSLOG_FACILITY":"0","SYSLOG_IDENTIFIER":"kernel","PRIORITY":"6","_HOSTNAME":"node-7","MESSAGE":"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-ec9e.scope,mems_allowed=0-1,task=pt_main_thread,pid=461754,uid=0"}`,
			want{time: "2024-08-30T06:58:55.050705Z", known: true, level: LevelInfo, host: "node-7", module: "kernel",
				msg: "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-ec9e.scope,mems_allowed=0-1,task=pt_main_thread,pid=461754,uid=0"},
		},
		{
			"journal json service",
			`{"_PID":"1","__REALTIME_TIMESTAMP":"1795179730001345","PRIORITY":"5","SYSLOG_IDENTIFIER":"systemd","_COMM":"systemd","_SYSTEMD_UNIT":"init.scope","_HOSTNAME":"web-01","EXIT_STATUS":"9","X":["a","b"],"Y":{"z":[1,2.5e3,true,null]},"MESSAGE":"php8.2-fpm.service: Main process exited, code=killed, status=9/KILL"}`,
			want{time: "2026-11-20T13:02:10.001345Z", known: true, level: LevelNotice, host: "web-01", module: "systemd", pid: 1,
				msg: "php8.2-fpm.service: Main process exited, code=killed, status=9/KILL", fields: map[string]string{"unit": "init.scope"}},
		},
		{
			// vectordotdev/vector#1714: MESSAGE as bytes (trailing CR)
			"journal json byte message",
			`{"__REALTIME_TIMESTAMP":"1795179730001345","_COMM":"kopia","_PID":"77","MESSAGE":[32,32,32,32,32,121,13]}`,
			want{time: "2026-11-20T13:02:10.001345Z", known: true, module: "kopia", pid: 77, msg: "     y"},
		},
		{
			"journal json escapes",
			`{"__REALTIME_TIMESTAMP":"1795179730001345","SYSLOG_IDENTIFIER":"app","SYSLOG_PID":"12","MESSAGE":"line1\nline2 \"q\" caf\u00e9 \ud83d\ude00"}`,
			want{time: "2026-11-20T13:02:10.001345Z", known: true, module: "app", pid: 12, msg: "line1\nline2 \"q\" café 😀"},
		},
		{
			// cuberite/cuberite#4596: dmesg
			"dmesg",
			`[375852.589465] TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.  Check SNMP counters.`,
			want{module: "kernel", msg: "TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.  Check SNMP counters.",
				fields: map[string]string{"uptime": "375852.589465"}},
		},
		{
			"dmesg padded",
			`[    9.649346] TCP: request_sock_TCP: Possible SYN flooding on port 5400. Sending cookies.  Check SNMP counters.`,
			want{module: "kernel", msg: "TCP: request_sock_TCP: Possible SYN flooding on port 5400. Sending cookies.  Check SNMP counters.",
				fields: map[string]string{"uptime": "9.649346"}},
		},
		{
			"dmesg -r",
			`<3>[230460.879901] Out of memory: Killed process 211843 (php-fpm8.3) total-vm:912644kB, anon-rss:402112kB, file-rss:2176kB, shmem-rss:36864kB, UID:33 pgtables:1212kB oom_score_adj:0`,
			want{level: LevelError, module: "kernel",
				msg:    "Out of memory: Killed process 211843 (php-fpm8.3) total-vm:912644kB, anon-rss:402112kB, file-rss:2176kB, shmem-rss:36864kB, UID:33 pgtables:1212kB oom_score_adj:0",
				fields: map[string]string{"uptime": "230460.879901"}},
		},
		{
			// oerdnj/deb.sury.org#1660: dmesg -T
			"dmesg -T",
			`[Sat Oct  9 12:17:39 2021] php-fpm7.4[27264]: segfault at 0 ip 0000558716d5bd2b sp 00007fff98d051f0 error 4 in php-fpm7.4[558716b3d000+26d000]`,
			want{time: "2021-10-09T12:17:39Z", module: "kernel",
				msg: "php-fpm7.4[27264]: segfault at 0 ip 0000558716d5bd2b sp 00007fff98d051f0 error 4 in php-fpm7.4[558716b3d000+26d000]"},
		},
		{
			"dmesg iso",
			`2026-11-21T03:22:05,001873+01:00 nf_conntrack: nf_conntrack: table full, dropping packet`,
			want{time: "2026-11-21T02:22:05.001873Z", known: true, zoneOff: 3600, module: "kernel",
				msg: "nf_conntrack: nf_conntrack: table full, dropping packet"},
		},
		{
			"journalctl boot marker",
			`-- Boot 5f8e8c6b2f1f4a8c9f1b2d3e4f5a6b7c --`,
			want{msg: "Boot 5f8e8c6b2f1f4a8c9f1b2d3e4f5a6b7c"},
		},
		{
			"journalctl logs begin marker",
			`-- Logs begin at Mon 2026-11-16 09:12:01 CET, end at Fri 2026-11-20 14:05:01 CET. --`,
			want{msg: "Logs begin at Mon 2026-11-16 09:12:01 CET, end at Fri 2026-11-20 14:05:01 CET."},
		},
		{
			"journalctl no entries",
			`-- No entries --`,
			want{msg: "No entries"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := syslogTestParser(t)
			ev := Event{Raw: []byte(tc.line)}
			if !p.Parse([]byte(tc.line), &ev) {
				t.Fatalf("rejected %q", tc.line)
			}
			w := tc.want
			got := ""
			if !ev.Time.IsZero() {
				if ev.Time.Location() != time.UTC {
					t.Errorf("time not in UTC: %v", ev.Time)
				}
				got = ev.Time.Format(time.RFC3339Nano)
			}
			if got != w.time {
				t.Errorf("time = %q, want %q", got, w.time)
			}
			if ev.TimeKnownZone != w.known || ev.ZoneOffset != w.zoneOff {
				t.Errorf("known zone = %v %d, want %v %d", ev.TimeKnownZone, ev.ZoneOffset, w.known, w.zoneOff)
			}
			if ev.Level != w.level {
				t.Errorf("level = %v, want %v", ev.Level, w.level)
			}
			if ev.Host != w.host || ev.Module != w.module || ev.PID != w.pid {
				t.Errorf("host/module/pid = %q %q %d, want %q %q %d", ev.Host, ev.Module, ev.PID, w.host, w.module, w.pid)
			}
			if ev.Message != w.msg {
				t.Errorf("message = %q\n want %q", ev.Message, w.msg)
			}
			if len(ev.Fields) != len(w.fields) {
				t.Errorf("fields = %v, want %v", ev.Fields, w.fields)
			}
			for k, v := range w.fields {
				if ev.Field(k) != v {
					t.Errorf("field %s = %q, want %q", k, ev.Field(k), v)
				}
			}
		})
	}
}

func TestSyslogReject(t *testing.T) {
	for _, line := range []string{
		// nginx error log
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`,
		// php-fpm
		`[20-Nov-2026 14:02:10] WARNING: [pool www] child 18822 exited on signal 9 (SIGKILL) after 431.117404 seconds from start`,
		`[10-Jun-2021 13:50:42] WARNING: [pool www] child 2226658 exited on signal 11 (SIGSEGV)`,
		// PHP error log
		`[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Uncaught Exception: boom in /var/www/html/index.php:3`,
		// Apache 2.4 and 2.2 error logs (2.2's stamp is dmesg -T's)
		`[Fri Nov 20 14:02:10.123456 2026] [proxy_fcgi:error] [pid 811:tid 140] [client 192.0.2.7:5000] AH01079: failed to make connection to backend: 127.0.0.1`,
		`[Fri Nov 20 14:02:10 2026] [error] [client 192.0.2.7] File does not exist: /var/www/favicon.ico`,
		`[Fri Nov 20 14:02:10 2026] [:error] [pid 811] [client 192.0.2.7:5000] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted`,
		// application text and JSON
		`2026-11-20 14:02:10,123 ERROR app: boom`,
		`2026-11-20T14:02:10.123Z ERROR app: boom`,
		`2026-11-20T14:02:10.123+01:00 [ERROR] app: boom`,
		`2026-11-20T14:02:10.123+01:00 INFO worker: started`,
		// winston's default format
		`2026-11-20T14:02:10.123Z error: Unhandled rejection while reading cart`,
		`Nov 20 14:02:10 warn: not a program`,
		`[2026-11-20 14:02:10] production.ERROR: boom {"exception":"[object] (RuntimeException(code: 0): boom at /var/www/app/x.php:3)"}`,
		`[2026-11-20T14:02:10.123456+01:00] app.ERROR: boom [] []`,
		`{"level":"error","msg":"boom","time":"2026-11-20T14:02:10Z"}`,
		`{"MESSAGE":"no time"}`,
		`{"__REALTIME_TIMESTAMP":"1795179730001345"}`,
		`{"__REALTIME_TIMESTAMP":"1795179730001345","MESSAGE":"x"} trailing`,
		// container wrappers (nanosecond stamps)
		`2026-11-20T14:02:10.123456789Z web-01 app[1]: hello`,
		`2026-11-20T14:02:10.123456789Z stdout F hello`,
		// access log
		`192.0.2.7 - - [20/Nov/2026:14:02:10 +0100] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0"`,
		// broken syslog
		`Nov 20 14:0`,
		`Nov 20 14:02:10`,
		`Nov 32 14:02:10 web-01 x: y`,
		`nov 20 14:02:10 web-01 x: y`,
		`<999>Nov 20 14:02:10 web-01 x: y`,
		`<34>1 2026-11-20T14:02:10Z web-01 app - - [broken message`,
		`[   ***] (3 of 8) A start job is running for Journal Service`,
		`-- Subject: Unit failed`,
		`░░ Subject: Unit failed`,
		"",
	} {
		p := syslogTestParser(t)
		ev := Event{Raw: []byte(line)}
		if p.Parse([]byte(line), &ev) {
			t.Errorf("accepted %q as %+v", line, ev)
		}
	}
}

func TestSyslogJoin(t *testing.T) {
	tests := []struct {
		name string
		text string
		msgs []string // messages of the entries, in order
	}{
		{
			"python traceback",
			`Nov 20 14:02:10 web-01 gunicorn[812]: [2026-11-20 14:02:10 +0100] [812] [ERROR] Error handling request /checkout
Nov 20 14:02:10 web-01 gunicorn[812]: Traceback (most recent call last):
Nov 20 14:02:10 web-01 gunicorn[812]:   File "/app/x.py", line 3, in f
Nov 20 14:02:10 web-01 gunicorn[812]:     raise ValueError("boom")
Nov 20 14:02:10 web-01 gunicorn[812]: ValueError: boom
Nov 20 14:02:10 web-01 gunicorn[812]: [2026-11-20 14:02:10 +0100] [812] [INFO] Worker exiting (pid: 812)
Nov 20 14:02:11 web-01 gunicorn[812]: KeyError: 'not part of a traceback'`,
			[]string{
				"[2026-11-20 14:02:10 +0100] [812] [ERROR] Error handling request /checkout\nTraceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n    raise ValueError(\"boom\")\nValueError: boom",
				"[2026-11-20 14:02:10 +0100] [812] [INFO] Worker exiting (pid: 812)",
				"KeyError: 'not part of a traceback'",
			},
		},
		{
			"traceback first, chained",
			`Nov 20 14:02:10 web-01 app[9]: Traceback (most recent call last):
Nov 20 14:02:10 web-01 app[9]:   File "/app/db.py", line 8, in connect
Nov 20 14:02:10 web-01 app[9]: ConnectionRefusedError: [Errno 111] Connection refused
Nov 20 14:02:10 web-01 app[9]: 
Nov 20 14:02:10 web-01 app[9]: During handling of the above exception, another exception occurred:
Nov 20 14:02:10 web-01 app[9]: 
Nov 20 14:02:10 web-01 app[9]: Traceback (most recent call last):
Nov 20 14:02:10 web-01 app[9]:   File "/app/main.py", line 3, in <module>
Nov 20 14:02:10 web-01 app[9]: redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.
Nov 20 14:02:11 web-01 app[9]: retrying in 5s`,
			[]string{
				"Traceback (most recent call last):\n  File \"/app/db.py\", line 8, in connect\nConnectionRefusedError: [Errno 111] Connection refused\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\nredis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.",
				"retrying in 5s",
			},
		},
		{
			"php stack trace",
			`Nov 20 14:02:15 web-01 php[3312]: PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/shop/src/Cache.php:19
Nov 20 14:02:15 web-01 php[3312]: Stack trace:
Nov 20 14:02:15 web-01 php[3312]: #0 /var/www/shop/src/Cache.php(19): Redis->connect()
Nov 20 14:02:15 web-01 php[3312]: #1 {main}
Nov 20 14:02:15 web-01 php[3312]:   thrown in /var/www/shop/src/Cache.php on line 19
Nov 20 14:02:16 web-01 php[3312]: PHP Warning:  Undefined variable $x in /var/www/shop/bin/worker.php on line 9`,
			[]string{
				"PHP Fatal error:  Uncaught RedisException: Connection refused in /var/www/shop/src/Cache.php:19\nStack trace:\n#0 /var/www/shop/src/Cache.php(19): Redis->connect()\n#1 {main}\n  thrown in /var/www/shop/src/Cache.php on line 19",
				"PHP Warning:  Undefined variable $x in /var/www/shop/bin/worker.php on line 9",
			},
		},
		{
			"java through rsyslog (#011 is a tab)",
			`2026-11-20T14:02:12.118000+01:00 web-01 java[47149]: Servlet.service() threw exception
2026-11-20T14:02:12.118100+01:00 web-01 java[47149]: java.lang.NullPointerException: cart is null
2026-11-20T14:02:12.118200+01:00 web-01 java[47149]: #011at com.example.shop.CheckoutController.checkout(CheckoutController.java:42)
2026-11-20T14:02:12.118300+01:00 web-01 java[47149]: Caused by: org.postgresql.util.PSQLException: Connection to localhost:5432 refused.
2026-11-20T14:02:12.118400+01:00 web-01 java[47149]: #011... 48 common frames omitted
2026-11-20T14:02:12.201000+01:00 web-01 java[47149]: GET /health`,
			[]string{
				"Servlet.service() threw exception\njava.lang.NullPointerException: cart is null\n#011at com.example.shop.CheckoutController.checkout(CheckoutController.java:42)\nCaused by: org.postgresql.util.PSQLException: Connection to localhost:5432 refused.\n#011... 48 common frames omitted",
				"GET /health",
			},
		},
		{
			"different pid, program or host are not joined",
			`Nov 20 14:02:10 web-01 gunicorn[812]: Traceback (most recent call last):
Nov 20 14:02:10 web-01 gunicorn[813]:   File "/app/x.py", line 3, in f
Nov 20 14:02:10 web-01 uwsgi[813]:   File "/app/x.py", line 3, in f
Nov 20 14:02:10 web-02 uwsgi[813]:   File "/app/x.py", line 3, in f`,
			[]string{
				"Traceback (most recent call last):",
				`  File "/app/x.py", line 3, in f`,
				`  File "/app/x.py", line 3, in f`,
				`  File "/app/x.py", line 3, in f`,
			},
		},
		{
			"indented lines without pid are independent (sudo)",
			`Nov 20 14:04:02 web-01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl status php7.4-fpm
Nov 20 14:04:09 web-01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/journalctl -xe`,
			[]string{
				"   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl status php7.4-fpm",
				"   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/journalctl -xe",
			},
		},
		{
			"unrelated lines of one process",
			`Nov 20 14:02:10 web-01 gunicorn[812]: Booting worker with pid: 813
Nov 20 14:02:10 web-01 gunicorn[812]: Booting worker with pid: 814
Nov 20 14:02:10 web-01 gunicorn[812]: ValueError: not after a traceback
Nov 20 14:02:10 web-01 gunicorn[812]: at the end of the day`,
			[]string{"Booting worker with pid: 813", "Booting worker with pid: 814", "ValueError: not after a traceback", "at the end of the day"},
		},
		{
			"kernel call trace",
			`Nov 20 14:02:09 web-01 kernel: [1310061.327449] Call Trace:
Nov 20 14:02:09 web-01 kernel: [1310061.327458]  dump_stack+0x6b/0x83
Nov 20 14:02:09 web-01 kernel: [1310061.327462]  dump_header+0x4a/0x1f4
Nov 20 14:02:09 web-01 kernel: [1310061.327505] RIP: 0033:0x55c1f6a2e1c0`,
			[]string{"Call Trace:\n dump_stack+0x6b/0x83\n dump_header+0x4a/0x1f4", "RIP: 0033:0x55c1f6a2e1c0"},
		},
		{
			"journalctl -x explanations",
			`Nov 20 14:02:10 web-01 systemd[1]: php8.2-fpm.service: Failed with result 'oom-kill'.
-- Subject: Unit failed
-- Defined-By: systemd
-- 
-- The unit php8.2-fpm.service has entered the 'failed' state with result 'oom-kill'.
Nov 20 14:02:15 web-01 systemd[1]: php8.2-fpm.service: Main process exited, code=exited, status=78/CONFIG
░░ Subject: Unit process exited
░░ 
░░ The process' exit code is 'exited' and its exit status is 78.
-- Reboot --
Nov 20 14:04:51 web-01 systemd[1]: Starting The PHP 8.2 FastCGI Process Manager...`,
			[]string{
				"php8.2-fpm.service: Failed with result 'oom-kill'.",
				"php8.2-fpm.service: Main process exited, code=exited, status=78/CONFIG",
				"Reboot",
				"Starting The PHP 8.2 FastCGI Process Manager...",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := syslogEntries(t, syslogLead+tc.text)
			var got []string
			for _, ev := range evs[1:] {
				if ev.Format == "" {
					t.Errorf("entry at line %d not parsed: %q", ev.Line, ev.Raw)
				}
				got = append(got, ev.Message)
			}
			if strings.Join(got, "\n---\n") != strings.Join(tc.msgs, "\n---\n") {
				t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n---\n"), strings.Join(tc.msgs, "\n---\n"))
			}
		})
	}
}

func TestSyslogJoinedFields(t *testing.T) {
	evs := syslogEntries(t, syslogLead+`Nov 20 14:02:10 web-01 gunicorn[812]: Traceback (most recent call last):
Nov 20 14:02:11 web-01 gunicorn[812]:   File "/app/x.py", line 3, in f
Nov 20 14:02:11 web-01 gunicorn[812]: ValueError: boom`)
	if len(evs) != 2 {
		t.Fatalf("got %d entries", len(evs))
	}
	ev := evs[1]
	if ev.Time.Format(time.RFC3339) != "2026-11-20T14:02:10Z" || ev.Host != "web-01" || ev.Module != "gunicorn" || ev.PID != 812 || ev.Line != 2 {
		t.Errorf("first line's fields not kept: %+v", ev)
	}
	if strings.Count(string(ev.Raw), "\n") != 2 {
		t.Errorf("raw = %q", ev.Raw)
	}
}

func TestSyslogDecemberJanuary(t *testing.T) {
	evs := syslogEntries(t, `Dec 31 23:59:59 web-01 systemd[1]: phpsessionclean.service: Succeeded.
Jan  1 00:00:01 web-01 CRON[88190]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)
Jan  1 00:02:10 web-01 kernel: [1366542.002211] Out of memory: Killed process 90122 (php-fpm7.4)`)
	want := []string{"2026-12-31T23:59:59Z", "2027-01-01T00:00:01Z", "2027-01-01T00:02:10Z"}
	for i, ev := range evs {
		if got := ev.Time.Format(time.RFC3339); got != want[i] {
			t.Errorf("entry %d: time %s, want %s", i, got, want[i])
		}
	}
}

func TestSyslogZone(t *testing.T) {
	clock := NewClock(time.FixedZone("CET", 3600), "test")
	clock.YearRef = goldenYearRef
	p, _ := syslogFormat.New(Config{Clock: clock})
	ev := Event{}
	if !p.Parse([]byte(`Nov 20 14:02:10 web-01 systemd[1]: x`), &ev) {
		t.Fatal("rejected")
	}
	if got := ev.Time.Format(time.RFC3339); got != "2026-11-20T13:02:10Z" || ev.TimeKnownZone {
		t.Errorf("time %s known=%v", got, ev.TimeKnownZone)
	}
}

func TestSyslogDetectJSON(t *testing.T) {
	// journalctl -o json must be syslog, not the generic app-json format
	ev, ok := ParseEntry(`{"__REALTIME_TIMESTAMP":"1795179730001345","PRIORITY":"3","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Out of memory: Killed process 24430 (php-fpm8.2)"}`)
	if !ok || ev.Format != FormatSyslog {
		t.Errorf("journal JSON parsed as %q (%v)", ev.Format, ok)
	}
}

func TestSyslogFieldsAllocation(t *testing.T) {
	p := syslogTestParser(t)
	line := []byte(`Nov 20 14:02:09 web-01 kernel: [1310061.327651] Out of memory: Killed process 24430 (php-fpm7.4)`)
	var evs [300]Event
	for i := range evs {
		if !p.Parse(line, &evs[i]) {
			t.Fatal("rejected")
		}
	}
	// appending to one event's fields must not overwrite the next one's
	evs[0].Fields = append(evs[0].Fields, Field{"x", "y"})
	if evs[1].Field("uptime") != "1310061.327651" || len(evs[1].Fields) != 1 {
		t.Errorf("fields shared: %v", evs[1].Fields)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		var ev Event
		p.Parse(line, &ev)
	})
	if allocs > 0.1 {
		t.Errorf("%.2f allocations per kernel line", allocs)
	}
}

func BenchmarkSyslogParse(b *testing.B) {
	benchParse(b, syslogFormat, "/tmp/gl/syslog")
}

func BenchmarkSyslogParseRFC3339(b *testing.B) {
	benchParse(b, syslogFormat, "../testdata/parsers/syslog/ubuntu2404-rsyslog.log")
}

// BenchmarkSyslogDecode measures the whole decoder path (framing, joining
// with Continues, parsing) over the benchmark file.
func BenchmarkSyslogDecode(b *testing.B) {
	const path = "/tmp/gl/syslog"
	info, err := os.Stat(path)
	if err != nil {
		b.Skip(err)
	}
	inputs, _ := Expand([]string{path}, nil)
	plans := Prepare(inputs, Options{TZ: time.UTC, YearRef: goldenYearRef, Forced: map[string]*Format{"": syslogFormat}})
	b.SetBytes(info.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := plans[0].Decode(context.Background(), func([]Event) error { return nil })
		if err != nil || st.Unparsed > 0 {
			b.Fatalf("%v, %d unparsed", err, st.Unparsed)
		}
	}
}

func TestSyslogExamples(t *testing.T) {
	for _, ex := range syslogFormat.Examples {
		evs := syslogEntries(t, syslogLead+ex)
		if len(evs) != 2 || evs[1].Format != FormatSyslog || evs[1].Message == "" {
			t.Errorf("example not parsed as one entry: %q → %d entries %+v", ex, len(evs), evs)
		}
		ev, ok := ParseEntry(ex, FormatSyslog)
		if !ok || ev.Message != evs[1].Message {
			t.Errorf("ParseEntry(%q) = %q, %v", ex, ev.Message, ok)
		}
	}
}

// TestSyslogBusyBoxOpenWrtMonotonic checks the layouts that put a facility
// and level where other daemons have nothing (BusyBox syslogd, OpenWrt's
// logread) and journalctl -o short-monotonic.
func TestSyslogBusyBoxOpenWrtMonotonic(t *testing.T) {
	tests := []struct {
		line         string
		time         string
		level        Level
		host, module string
		pid          int
		msg          string
	}{
		{`Thu Jan 25 01:07:48 2018 daemon.err uhttpd[2010]: luci: accepted login on / for root from 192.168.0.2`,
			"2018-01-25T01:07:48Z", LevelError, "", "uhttpd", 2010, "luci: accepted login on / for root from 192.168.0.2"},
		{`Tue Apr 29 07:08:24 2025 [1745896104.164] kern.info kernel: [1523164.641079] ath10k_pci 0000:00:00.0: mac flush vdev 0`,
			"2025-04-29T07:08:24Z", LevelInfo, "", "kernel", 0, "ath10k_pci 0000:00:00.0: mac flush vdev 0"},
		{`Wed Feb  3 08:59:13 2016 user.err openwisp: Failed to connect to controller (checksum): curl exit code 7`,
			"2016-02-03T08:59:13Z", LevelError, "", "openwisp", 0, "Failed to connect to controller (checksum): curl exit code 7"},
		{`Nov 20 01:07:48 OpenWrt daemon.warn dnsmasq[1234]: possible DNS-rebind attack detected: example.lan`,
			"2026-11-20T01:07:48Z", LevelWarn, "OpenWrt", "dnsmasq", 1234, "possible DNS-rebind attack detected: example.lan"},
		{`[   20.888224] localhost systemd[1]: Hostname set to <localhost>.`, "", LevelUnknown, "localhost", "systemd", 1, "Hostname set to <localhost>."},
		{`[ 4274.089861] fovo.local kernel: ACPI: EC: interrupt blocked`, "", LevelUnknown, "fovo.local", "kernel", 0, "ACPI: EC: interrupt blocked"},
		// dmesg: "device name: message" is no host and program
		{`[    0.776539] bam-dma-engine 8e04000.dma: num-channels unspecified in dt`, "", LevelUnknown, "", "kernel", 0, "bam-dma-engine 8e04000.dma: num-channels unspecified in dt"},
		{`[ 1573.878365] Call Trace:`, "", LevelUnknown, "", "kernel", 0, "Call Trace:"},
	}
	for _, tt := range tests {
		p := syslogTestParser(t)
		var ev Event
		if !p.Parse([]byte(tt.line), &ev) {
			t.Errorf("rejected %q", tt.line)
			continue
		}
		got := ""
		if !ev.Time.IsZero() {
			got = ev.Time.Format(time.RFC3339Nano)
		}
		if got != tt.time || ev.Level != tt.level || ev.Host != tt.host || ev.Module != tt.module || ev.PID != tt.pid || ev.Message != tt.msg {
			t.Errorf("%q:\n got time %q level %v host %q module %q pid %d msg %q\nwant time %q level %v host %q module %q pid %d msg %q",
				tt.line, got, ev.Level, ev.Host, ev.Module, ev.PID, ev.Message, tt.time, tt.level, tt.host, tt.module, tt.pid, tt.msg)
		}
	}
	for _, line := range []string{
		`Thu Jan 25 01:07:48 2018 nofacility uhttpd[2010]: x`,
		`Thu Jan 25 01:07:48 2018 daemon.loud uhttpd[2010]: x`,
		`Thu Jan 25 01:07:48 daemon.err uhttpd[2010]: x`,
	} {
		var ev Event
		if syslogTestParser(t).Parse([]byte(line), &ev) {
			t.Errorf("accepted %q as %+v", line, ev)
		}
	}
}
