package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAppTextHeaders(t *testing.T) {
	tests := []struct {
		name string
		line string
		want appWant
	}{
		{"python logging bracketed logger", "2026-11-20 14:02:10,123 ERROR [django.request] Internal Server Error: /checkout", appWant{
			time: "2026-11-20T14:02:10.123Z", level: LevelError, module: "django.request", msg: "Internal Server Error: /checkout",
		}},
		{"python basicConfig", "ERROR:root:payment webhook signature mismatch", appWant{level: LevelError, module: "root", msg: "payment webhook signature mismatch"}},
		{"klog error", `E0617 15:42:54.123456       1 reflector.go:138] Failed to watch *v1.Endpoints: forbidden`, appWant{
			time: "2026-06-17T15:42:54.123456Z", level: LevelError, pid: 1, module: "reflector.go:138", msg: "Failed to watch *v1.Endpoints: forbidden",
		}},
		{"klog fatal, structured", `F1120 14:02:10.5      42 main.go:42] "Unable to start" err="bind: address already in use"`, appWant{
			time: "2026-11-20T14:02:10.5Z", level: LevelCrit, pid: 42, module: "main.go:42", msg: `"Unable to start" err="bind: address already in use"`,
		}},
		{"log4j level logger dash", "ERROR com.example.App - NullPointerException", appWant{level: LevelError, module: "com.example.App", msg: "NullPointerException"}},
		{"node deprecation warning", "(node:764) [DEP0018] DeprecationWarning: Unhandled promise rejections are deprecated.", appWant{
			level: LevelWarn, pid: 764, code: "DEP0018", msg: "DeprecationWarning: Unhandled promise rejections are deprecated.",
		}},
		{"node max listeners", "(node:12345) MaxListenersExceededWarning: Possible EventEmitter memory leak detected.", appWant{
			level: LevelWarn, pid: 12345, msg: "MaxListenersExceededWarning: Possible EventEmitter memory leak detected.",
		}},
		{"rails started, plain", `Started GET "/articles/1" for 127.0.0.1 at 2018-06-27 15:42:44 +0200`, appWant{
			time: "2018-06-27T13:42:44Z", known: true, method: "GET", path: "/articles/1", client: "127.0.0.1", msg: `Started GET "/articles/1" for 127.0.0.1 at 2018-06-27 15:42:44 +0200`,
		}},
		{"rails processing, plain", "Processing by ArticlesController#show as HTML", appWant{module: "ArticlesController#show", msg: "Processing by ArticlesController#show as HTML"}},
		{"rails completed 500, plain", "Completed 500 Internal Server Error in 49ms (ActiveRecord: 0.0ms)", appWant{
			level: LevelError, status: 500, rt: 0.049, msg: "Completed 500 Internal Server Error in 49ms (ActiveRecord: 0.0ms)",
		}},
		{"python basicConfig with colon in message", "WARNING:django.request:Not Found: /favicon.ico", appWant{level: LevelWarn, module: "django.request", msg: "Not Found: /favicon.ico"}},
		{"asctime - name - level", "2026-11-20 14:02:14,010 - shop.payments - ERROR - charge failed for order 10233", appWant{
			time: "2026-11-20T14:02:14.01Z", level: LevelError, module: "shop.payments", msg: "charge failed for order 10233",
		}},
		{"asctime:level:name", "2026-11-20 14:02:14,011:INFO:flask_appbuilder.base:Registering class OrderModelView", appWant{level: LevelInfo, module: "flask_appbuilder.base", msg: "Registering class OrderModelView"}},
		{"django verbose", "ERROR 2026-11-20 14:02:10,002 log 815 140234988 Internal Server Error: /api/cart", appWant{
			time: "2026-11-20T14:02:10.002Z", level: LevelError, module: "log", pid: 815, msg: "Internal Server Error: /api/cart",
		}},
		{"flask", "[2026-11-20 14:02:10,123] ERROR in app: Exception on /checkout [POST]", appWant{level: LevelError, module: "app", msg: "Exception on /checkout [POST]"}},
		{"gunicorn worker timeout", "[2026-11-20 14:02:10 +0000] [812] [CRITICAL] WORKER TIMEOUT (pid:815)", appWant{
			time: "2026-11-20T14:02:10Z", known: true, level: LevelCrit, pid: 812, msg: "WORKER TIMEOUT (pid:815)",
		}},
		{"gunicorn offset", "[2026-11-20 15:02:10 +0100] [812] [ERROR] Worker (pid:815) was sent SIGKILL! Perhaps out of memory?", appWant{
			time: "2026-11-20T14:02:10Z", known: true, level: LevelError, pid: 812,
		}},
		{"gunicorn level only", "[ERROR] Worker (pid:815) was sent SIGKILL! Perhaps out of memory?", appWant{level: LevelError, msg: "Worker (pid:815) was sent SIGKILL! Perhaps out of memory?"}},
		{"celery", "[2026-11-20 14:02:12,004: ERROR/ForkPoolWorker-2] Task shop.tasks.send_receipt[2f1e] raised unexpected: OperationalError()", appWant{
			level: LevelError, module: "ForkPoolWorker-2", msg: "Task shop.tasks.send_receipt[2f1e] raised unexpected: OperationalError()",
		}},
		{"uvicorn", "ERROR:    Exception in ASGI application", appWant{level: LevelError, msg: "Exception in ASGI application"}},
		{"uvicorn access", `INFO:     10.0.0.2:51240 - "GET /api/orders/7 HTTP/1.1" 500 Internal Server Error`, appWant{level: LevelInfo, status: 500, method: "GET", path: "/api/orders/7", client: "10.0.0.2:51240"}},
		{"django.server", `[20/Nov/2026 14:02:16] "GET /checkout HTTP/1.1" 500 145`, appWant{time: "2026-11-20T14:02:16Z", level: LevelError, status: 500, method: "GET", path: "/checkout"}},
		{"laravel", "[2026-11-20 14:02:10] production.ERROR: SQLSTATE[HY000] [2002] Connection refused", appWant{
			time: "2026-11-20T14:02:10Z", level: LevelError, module: "production", msg: "SQLSTATE[HY000] [2002] Connection refused",
		}},
		{"monolog line formatter ISO", "[2026-11-20T14:03:00.123456+00:00] app.CRITICAL: Uncaught PHP Exception Doctrine\\DBAL\\Exception\\ConnectionException", appWant{
			time: "2026-11-20T14:03:00.123456Z", known: true, level: LevelCrit, module: "app",
		}},
		{"ruby logger rails completed", "I, [2026-11-20T14:02:10.104518 #1234]  INFO -- : [8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] Completed 500 Internal Server Error in 5003ms (ActiveRecord: 5001.2ms | Allocations: 4410)", appWant{
			time: "2026-11-20T14:02:10.104518Z", level: LevelInfo, pid: 1234, status: 500, rt: 5.003,
			msg: "Completed 500 Internal Server Error in 5003ms (ActiveRecord: 5001.2ms | Allocations: 4410)", fields: map[string]string{"tags": "[8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60]"},
		}},
		{"ruby logger rails started", `I, [2026-11-20T14:02:05.100311 #1234]  INFO -- : [req] Started POST "/checkout" for 203.0.113.7 at 2026-11-20 14:02:05 +0000`, appWant{method: "POST", path: "/checkout", client: "203.0.113.7"}},
		{"ruby logger unicorn", "E, [2026-11-20T14:02:40.312006 #1230] ERROR -- : worker=0 PID:1234 timeout (61s > 60s), killing", appWant{level: LevelError, pid: 1230, msg: "worker=0 PID:1234 timeout (61s > 60s), killing"}},
		{"ruby logger progname", "W, [2026-11-20T14:02:41.000217 #1235]  WARN -- sidekiq: Redis connection lost", appWant{level: LevelWarn, module: "sidekiq", msg: "Redis connection lost"}},
		{"spring boot 2", "2026-11-20 14:02:10.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception", appWant{
			level: LevelError, pid: 1, module: "o.a.c.c.C.[.[.[/].[dispatcherServlet]", msg: "Servlet.service() threw exception",
		}},
		{"spring boot 3", "2026-11-20T14:02:11.456+01:00 ERROR 4711 --- [shop] [nio-8080-exec-7] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception", appWant{
			time: "2026-11-20T13:02:11.456Z", known: true, level: LevelError, pid: 4711, module: "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
		}},
		{"spring boot padded thread", "2026-11-20 14:00:02.114  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port(s): 8080 (http)", appWant{
			level: LevelInfo, module: "o.s.b.w.embedded.tomcat.TomcatWebServer", msg: "Tomcat initialized with port(s): 8080 (http)",
		}},
		{"log4j thread logger dash", "2026-11-20 14:02:12,004 ERROR [main] com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Exception during pool initialization.", appWant{
			level: LevelError, module: "com.zaxxer.hikari.pool.HikariPool", msg: "HikariPool-1 - Exception during pool initialization.",
		}},
		{"logback default, time only", "14:02:14.001 [pool-2-thread-1] ERROR c.e.shop.jobs.ExportJob - export failed", appWant{level: LevelError, module: "c.e.shop.jobs.ExportJob", msg: "export failed"}},
		{"tomcat", "20-Nov-2026 14:02:15.321 SEVERE [http-nio-8080-exec-9] org.apache.catalina.core.StandardWrapperValve.invoke Servlet.service() for servlet [jsp] threw exception", appWant{
			time: "2026-11-20T14:02:15.321Z", level: LevelError, module: "org.apache.catalina.core.StandardWrapperValve.invoke", msg: "Servlet.service() for servlet [jsp] threw exception",
		}},
		{"dropwizard", "ERROR [2026-11-20 14:02:10,123] com.example.db.Pool: cannot get a connection", appWant{level: LevelError, module: "com.example.db.Pool", msg: "cannot get a connection"}},
		{"zap console", "2026-11-20T14:02:15.222+0100\tERROR\tstore/db.go:88\tquery failed\t{\"error\": \"connection refused\"}", appWant{
			time: "2026-11-20T13:02:15.222Z", known: true, level: LevelError, msg: "query failed\t{\"error\": \"connection refused\"}",
		}},
		{"winston printf", "2026-11-20T14:02:10.123Z error: Unhandled rejection while reading cart", appWant{level: LevelError, msg: "Unhandled rejection while reading cart"}},
		{"postgres", "2026-11-20 14:02:16.000 UTC [2211] FATAL:  sorry, too many clients already", appWant{
			time: "2026-11-20T14:02:16Z", known: true, level: LevelCrit, pid: 2211, msg: "sorry, too many clients already",
		}},
		{"go log without level", "2026/11/20 14:02:12 Listening on :8080", appWant{time: "2026-11-20T14:02:12Z", msg: "Listening on :8080"}},
		{"go log http panic", "2026/11/20 14:02:13 http: panic serving 10.0.0.1:5555: runtime error: invalid memory address or nil pointer dereference", appWant{
			msg: "http: panic serving 10.0.0.1:5555: runtime error: invalid memory address or nil pointer dereference",
		}},
		{"go log with level", "2026/11/20 14:02:14 [ERROR] redis: connection pool timeout", appWant{level: LevelError, module: "redis", msg: "connection pool timeout"}},
		{"slog default handler via log", `2026/11/20 14:02:10 ERROR request failed err="redis: connection pool timeout"`, appWant{level: LevelError, msg: `request failed err="redis: connection pool timeout"`}},
		{"go log shortfile microseconds", "2026/11/20 14:02:10.123456 provider.go:117: Defaulting client-id", appWant{time: "2026-11-20T14:02:10.123456Z", msg: "provider.go:117: Defaulting client-id"}},
		{"logrus terminal", `ERRO[0003] failed to flush metrics                       error="context deadline exceeded"`, appWant{level: LevelError}},
		{"logrus terminal full timestamp", "INFO[2026-11-20T14:02:16Z] shutting down", appWant{time: "2026-11-20T14:02:16Z", known: true, level: LevelInfo, msg: "shutting down"}},
		{"puma terminating", "[1234] ! Terminating timed out worker (worker failed to check in within 60 seconds): 1235", appWant{
			level: LevelError, pid: 1234, msg: "Terminating timed out worker (worker failed to check in within 60 seconds): 1235",
		}},
		{"puma booted", "[1234] - Worker 0 (PID: 1235) booted in 0.5s, phase: 0", appWant{level: LevelInfo, pid: 1234, msg: "Worker 0 (PID: 1235) booted in 0.5s, phase: 0"}},
		{"uwsgi harakiri with ctime", "Fri Nov 20 14:02:10 2026 - *** HARAKIRI ON WORKER 2 (pid: 1234, try: 1) ***", appWant{
			time: "2026-11-20T14:02:10Z", level: LevelError, msg: "*** HARAKIRI ON WORKER 2 (pid: 1234, try: 1) ***",
		}},
		{"uwsgi damn", "DAMN ! worker 1 (pid: 1234) died, killed by signal 9 :( trying respawn ...", appWant{level: LevelError}},
		{"uwsgi banner", "*** uWSGI is running in multiple interpreter mode ***", appWant{level: LevelInfo}},
		{"uwsgi listen queue", `*** uWSGI listen queue of socket "127.0.0.1:3031" (fd: 3) full !!! (101/100) ***`, appWant{level: LevelError}},
		{"uwsgi request", "[pid: 1234|app: 0|req: 1/1] 192.0.2.1 () {34 vars in 512 bytes} [Fri Nov  6 14:02:10 2026] GET /export?x=1 => generated 0 bytes in 30012 msecs (HTTP/1.1 502) 2 headers in 64 bytes (1 switches on core 0)", appWant{
			time: "2026-11-06T14:02:10Z", level: LevelError, pid: 1234, client: "192.0.2.1", method: "GET", path: "/export?x=1", status: 502, rt: 30.012,
		}},
		{"python traceback alone", "Traceback (most recent call last):", appWant{level: LevelError}},
		{"go panic", "panic: runtime error: index out of range [3] with length 3", appWant{level: LevelCrit}},
		{"go fatal error", "fatal error: all goroutines are asleep - deadlock!", appWant{level: LevelCrit}},
		{"node error", "Error: connect ECONNREFUSED 127.0.0.1:5432", appWant{level: LevelError, msg: "Error: connect ECONNREFUSED 127.0.0.1:5432"}},
		{"node error with code", "Error [ERR_STREAM_WRITE_AFTER_END]: write after end", appWant{level: LevelError}},
		{"node oom", "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", appWant{level: LevelCrit}},
		{"java exception alone", "java.lang.OutOfMemoryError: Java heap space", appWant{level: LevelError}},
		{"java exception in thread", `Exception in thread "main" java.lang.IllegalStateException: Failed to execute CommandLineRunner`, appWant{level: LevelError}},
		{"ruby uncaught", "/app/lib/worker.rb:12:in `perform': undefined method `id' for nil:NilClass (NoMethodError)", appWant{level: LevelError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := appParseOne(t, appTextFormat, tt.line)
			if !ok {
				t.Fatalf("rejected %s", tt.line)
			}
			tt.want.check(t, ev)
		})
	}
}

// TestAppTextPlainStamp: a date, a time and a message with no level
// (dpkg.log, many scripts) is an entry with its time and no level, so that
// change markers such as package upgrades land on the timeline.
func TestAppTextPlainStamp(t *testing.T) {
	ev, ok := appParseOne(t, appTextFormat, `2025-06-24 14:36:25 upgrade libsystemd0:amd64 252.36-1~deb12u1 252.38-1~deb12u1`)
	if !ok || ev.Time.IsZero() || ev.Level != LevelUnknown || ev.Message != "upgrade libsystemd0:amd64 252.36-1~deb12u1 252.38-1~deb12u1" {
		t.Fatalf("got %+v, %v", ev, ok)
	}
}

// TestAppTextRejects feeds lines of other formats (and prose) that must
// not be read as application text.
func TestAppTextRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`hello world`,
		`INFO starting up`,
		`NOTICE: PHP message: PHP Warning:  Undefined variable $x in /var/www/html/index.php on line 3`,
		`this line was cut by a log rotation in the middle of a wri`,
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7`,
		`2026/11/20 14:02:11 [notice] 1188#1188: signal process started`,
		`[Fri Nov 20 14:02:10.123456 2026] [proxy_fcgi:error] [pid 1234:tid 5678] [client 192.0.2.7:5555] AH01079: failed to make connection to backend: 127.0.0.1`,
		`[20-Nov-2026 14:02:10] WARNING: [pool www] server reached pm.max_children setting (5), consider raising it`,
		`[20-Nov-2026 14:02:10 UTC] PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted`,
		`192.0.2.7 - - [20/Nov/2026:14:02:10 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
		`2001:db8::1 - - [20/Nov/2026:14:02:10 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
		`Nov 20 14:02:10 web-01 kernel: Out of memory: Killed process 815 (gunicorn) total-vm:812340kB`,
		`2026-11-20T14:02:10+0100 web-01 gunicorn[812]: [2026-11-20 14:02:10 +0000] [812] [ERROR] x`,
		`<34>1 2026-11-20T14:02:10.003Z web-01 app 812 - - ERROR boom`,
		`time=2026-11-20T14:02:10Z level=error msg="db query failed"`,
		`{"level":"error","msg":"x"}`,
		`    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)`,
		`#0 /var/www/html/index.php(3): foo()`,
		`Stack trace:`,
		`[1234]`,
		`[pid: 1234|app: 0|req: 1/1] garbage`,
	} {
		if ev, ok := appParseOne(t, appTextFormat, line); ok {
			t.Errorf("accepted %q as %+v", line, ev)
		}
	}
}

// appTextEntries frames text with the app-text joiner and returns each
// entry's first line number, line count and whether it parsed.
type appTextEntry struct {
	line  int64
	lines int
	ok    bool
	ev    Event
}

func appTextEntries(t *testing.T, text string) []appTextEntry {
	t.Helper()
	p, _ := appTextFormat.New(Config{Clock: NewClock(time.UTC, "test")})
	s := newStream(appTextFormat, p)
	var out []appTextEntry
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		raw := append([]byte(nil), entry...)
		ev := Event{Raw: raw}
		ok := p.Parse(raw, &ev)
		out = append(out, appTextEntry{lineNo, n, ok, ev})
	}
	for i, line := range strings.Split(text, "\n") {
		s.feed([]byte(line), int64(i+1), 0, false, nil, sink)
	}
	s.close(sink)
	return out
}

func TestAppTextJoin(t *testing.T) {
	type ent struct {
		line  int64
		lines int
		ok    bool
	}
	tests := []struct {
		name string
		text string
		want []ent
		has  map[int64]string // entry first line -> text its Message contains
	}{
		{"python chained traceback is one entry; a new traceback is another", strings.Join([]string{
			"2026-11-20 14:02:09,871 ERROR [django.request] Internal Server Error: /checkout",
			"Traceback (most recent call last):",
			`  File "/app/a.py", line 2, in f`,
			"    g()",
			"psycopg2.OperationalError: connection refused",
			"\tIs the server running on that host and accepting TCP/IP connections?",
			"",
			"The above exception was the direct cause of the following exception:",
			"",
			"Traceback (most recent call last):",
			`  File "/app/b.py", line 9, in h`,
			"django.db.utils.OperationalError: connection refused",
			"Traceback (most recent call last):",
			`  File "/app/cron.py", line 3, in <module>`,
			"ModuleNotFoundError: No module named 'pandas'",
		}, "\n"), []ent{{1, 12, true}, {13, 3, true}}, map[int64]string{1: "django.db.utils.OperationalError", 13: "ModuleNotFoundError"}},
		{"traceback at stream start", "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: boom\nValueError: standalone", []ent{{1, 3, true}, {4, 1, true}}, nil},
		{"spring boot with blank line and causes", strings.Join([]string{
			"2026-11-20 14:02:10.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception",
			"",
			"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available",
			"\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
			"\t... 57 common frames omitted",
			"Caused by: java.net.ConnectException: Connection refused",
			"\t... 20 common frames omitted",
			"2026-11-20 14:02:11.000  INFO 1 --- [main] c.e.App : next",
		}, "\n"), []ent{{1, 7, true}, {8, 1, true}}, map[int64]string{1: "Caused by: java.net.ConnectException"}},
		{"go http panic with goroutine dump", strings.Join([]string{
			"2026/11/20 14:02:13 http: panic serving 10.0.0.1:5555: runtime error: invalid memory address or nil pointer dereference",
			"goroutine 33 [running]:",
			"net/http.(*conn).serve.func1()",
			"\t/usr/local/go/src/net/http/server.go:1898 +0xbe",
			"panic({0x6b2f40?, 0x8f0e30?})",
			"\t/usr/local/go/src/runtime/panic.go:770 +0x132",
			"created by net/http.(*Server).Serve in goroutine 1",
			"\t/usr/local/go/src/net/http/server.go:3285 +0x4b4",
			"2026/11/20 14:02:14 next",
		}, "\n"), []ent{{1, 8, true}, {9, 1, true}}, nil},
		{"go panic", "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d\nexit status 2\nsome other output", []ent{{1, 6, true}, {7, 1, false}}, nil},
		{"node crash report", strings.Join([]string{
			"2026-11-20T14:02:11.001Z info: GET /healthz 200 2ms",
			"/app/server.js:12",
			"throw new Error('boom');",
			"^",
			"",
			"Error: boom",
			"    at Object.<anonymous> (/app/server.js:12:7)",
			"",
			"Node.js v20.10.0",
		}, "\n"), []ent{{1, 1, true}, {2, 8, true}}, map[int64]string{2: "Error: boom"}},
		{"node crash report at stream start", "/app/server.js:12\nthrow new Error('boom');\n^\n\nError: boom\n    at Object.<anonymous> (/app/server.js:12:7)\n\nNode.js v20.10.0",
			[]ent{{1, 8, true}}, map[int64]string{1: "Error: boom"}},
		{"uwsgi request at stream start takes no traceback", "[pid: 1234|app: 0|req: 1/1] 192.0.2.1 () {34 vars in 512 bytes} [Fri Nov 20 14:02:10 2026] GET / => generated 0 bytes in 4 msecs (HTTP/1.1 500) 0 headers in 0 bytes (0 switches on core 0)\nTraceback (most recent call last):\nValueError: boom",
			[]ent{{1, 1, true}, {2, 2, true}}, nil},
		// the error an error-level line reports is printed under it and
		// belongs to it; a bare one after it starts its own entry
		{"node error with props", "2026-11-20T14:02:10.123Z error: x\nError: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n  errno: -111,\n  code: 'ECONNREFUSED'\n}\nError: second", []ent{{1, 6, true}, {7, 1, true}}, nil},
		{"laravel stacktrace", strings.Join([]string{
			`[2026-11-20 14:02:10] production.ERROR: SQLSTATE[HY000] [2002] Connection refused {"exception":"[object] (PDOException(code: 2002): x at /var/www/a.php:65)`,
			"[stacktrace]",
			"#0 /var/www/a.php(65): PDO->__construct()",
			"#1 {main}",
			"",
			"[previous exception] [object] (PDOException(code: 2002): x at /var/www/b.php:70)",
			"[stacktrace]",
			"#0 {main}",
			`"} `,
			"[2026-11-20 14:02:11] production.INFO: next",
		}, "\n"), []ent{{1, 9, true}, {10, 1, true}}, nil},
		{"rails plain: the exception and frames after Completed 500", strings.Join([]string{
			"Completed 500 Internal Server Error in 42ms",
			"",
			"ActionView::Template::Error (Could not find a JavaScript runtime.):",
			"    3: <head>",
			"app/views/layouts/application.html.erb:6:in `_app_views_layouts_application_html_erb'",
			"",
			"Started GET \"/\" for 127.0.0.1 at 2015-02-26 11:36:31 +0100",
		}, "\n"), []ent{{1, 5, true}, {7, 1, true}}, nil},
		{"ruby logger: a multi-line message without prefixes", strings.Join([]string{
			"F, [2023-09-07T12:56:11.954949 #2] FATAL -- : [9e6cf5c0-457c-47aa-9099-a5923e41b1ce]",
			"[9e6cf5c0-457c-47aa-9099-a5923e41b1ce] ActionView::Template::Error (PG::UndefinedTable: ERROR:  missing FROM-clause entry for table \"terminals\"",
			"LINE 2:         LOWER(Terminals.Model) LIKE '%a%'",
			"                ^",
			"):",
			"I, [2023-09-07T12:56:12.000000 #2]  INFO -- : [aa00aa00-457c-47aa-9099-a5923e41b1ce] Started GET \"/\" for 10.0.0.1 at 2023-09-07 12:56:12 +0000",
		}, "\n"), []ent{{1, 5, true}, {6, 1, true}}, nil},
		{"rails tagged backtrace", strings.Join([]string{
			"F, [2026-11-20T14:02:10.105122 #1234] FATAL -- : [8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60]   ",
			"[8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds):",
			"[8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60]   ",
			"[8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] app/controllers/checkouts_controller.rb:12:in `create'",
			"[2c1d0e4f-77aa-4f00-9b11-0c2d3e4f5a6b] not ours",
		}, "\n"), []ent{{1, 4, true}, {5, 1, false}}, map[int64]string{1: "ActiveRecord::ConnectionTimeoutError"}},
		{"uwsgi request lines take no traceback", strings.Join([]string{
			"spawned uWSGI worker 1 (pid: 1234, cores: 1)",
			"[pid: 1234|app: 0|req: 1/1] 192.0.2.1 () {34 vars in 512 bytes} [Fri Nov 20 14:02:10 2026] GET / => generated 0 bytes in 4 msecs (HTTP/1.1 500) 0 headers in 0 bytes (0 switches on core 0)",
			"Traceback (most recent call last):",
			`  File "/app/wsgi.py", line 12, in application`,
			"ValueError: boom",
		}, "\n"), []ent{{1, 1, true}, {2, 1, true}, {3, 3, true}}, nil},
		{"foreign lines are not joined", strings.Join([]string{
			"[2026-11-20 14:02:10 +0000] [812] [ERROR] Error handling request /export",
			"2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream",
			"random words here",
			"    indented after foreign",
		}, "\n"), []ent{{1, 1, true}, {2, 1, false}, {3, 1, false}, {4, 1, false}}, nil},
		{"node oom report", strings.Join([]string{
			"<--- Last few GCs --->",
			"",
			"[27:0x5a1b2c0]    25302 ms: Mark-Compact 2041.3 (2083.1) -> 2039.8 (2083.6) MB, 1521.07 / 0.00 ms  allocation failure",
			"",
			"<--- JS stacktrace --->",
			"",
			"FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
			" 1: 0xca5580 node::Abort() [node]",
		}, "\n"), []ent{{1, 8, true}}, map[int64]string{1: "JavaScript heap out of memory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := appTextEntries(t, tt.text)
			var g []ent
			for _, e := range got {
				g = append(g, ent{e.line, e.lines, e.ok})
			}
			if len(g) != len(tt.want) {
				t.Fatalf("entries = %v, want %v", g, tt.want)
			}
			for i := range g {
				if g[i] != tt.want[i] {
					t.Errorf("entry %d = %v, want %v", i, g[i], tt.want[i])
				}
			}
			for line, s := range tt.has {
				for _, e := range got {
					if e.line == line && !strings.Contains(e.ev.Message, s) {
						t.Errorf("entry at line %d: message %q lacks %q", line, e.ev.Message, s)
					}
				}
			}
		})
	}
}

// BenchmarkAppTextDecode frames and parses the app-text testdata files
// (repeated) the way the decoder does: joining and parsing.
func BenchmarkAppTextDecode(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", "app-text", "*.log"))
	var sb strings.Builder
	for i := 0; i < 200; i++ {
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			sb.Write(data)
		}
	}
	data := sb.String()
	lines := strings.Split(strings.TrimRight(data, "\n"), "\n")
	bl := make([][]byte, len(lines))
	for i, l := range lines {
		bl[i] = []byte(l)
	}
	p, _ := appTextFormat.New(Config{Clock: NewClock(time.UTC, "bench")})
	s := newStream(appTextFormat, p)
	var ev Event
	parsed := 0
	sink := func(s *stream, entry []byte, lineNo, offset int64, n int, _ bool, w *wrapInfo) {
		ev = Event{}
		if p.Parse(entry, &ev) {
			parsed++
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, l := range bl {
			s.feed(l, int64(j+1), 0, false, nil, sink)
		}
		s.close(sink)
	}
	if parsed == 0 {
		b.Fatal("nothing parsed")
	}
}

// TestAppPrefixesNeverPanic parses every prefix of every example and of
// a few awkward lines with the three application formats.
func TestAppPrefixesNeverPanic(t *testing.T) {
	extra := []string{
		"[pid: 1234|app: 0|req: 1/1] 192.0.2.1 () {34 vars in 512 bytes} [Fri Nov 20 14:02:10 2026] GET / => generated 0 bytes in 30012 msecs (HTTP/1.1 502)",
		"E, [2026-11-20T14:02:10.123456 #1234] ERROR -- : [8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] x",
		"ERROR 2026-11-20 14:02:10,002 log 815 140234988 Internal Server Error: /api/cart",
		`INFO:     10.0.0.2:51240 - "GET /api/orders/7 HTTP/1.1" 500 Internal Server Error`,
		"2026-11-20 14:02:10.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : x",
		`{"a":{"b":{"c":{"d":{"e":[1,2,{"f":"\ud83d\ude00"}]}}}},"level":"error","msg":"x\u00e9"}`,
	}
	for _, f := range []*Format{appJSONFormat, appLogfmtFormat, appTextFormat} {
		p, _ := f.New(Config{Clock: NewClock(time.UTC, "test")})
		for _, ex := range append(append([]string(nil), f.Examples...), extra...) {
			for k := 0; k <= len(ex); k++ {
				var ev Event
				p.Parse([]byte(ex[:k]), &ev)
			}
		}
	}
}
