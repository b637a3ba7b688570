package parsers

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

// appParseOne parses one entry with a fresh parser of format f in UTC.
func appParseOne(t testing.TB, f *Format, line string) (Event, bool) {
	t.Helper()
	p, err := f.New(Config{Clock: NewClock(time.UTC, "test")})
	if err != nil {
		t.Fatal(err)
	}
	ev := Event{Raw: []byte(line), Format: f.ID}
	ok := p.Parse([]byte(line), &ev)
	return ev, ok
}

// appWant lists the fields an app-format test asserts; zero values are not
// checked, except Message, which is checked when msg is set.
type appWant struct {
	time    string // RFC 3339 in UTC
	known   bool   // TimeKnownZone expected
	level   Level
	msg     string // exact Message
	msgHas  []string
	status  int
	method  string
	path    string
	host    string
	client  string
	pid     int
	module  string
	code    string
	rt      float64 // RequestTime, when non-zero
	fields  map[string]string
	noField []string
}

func (w appWant) check(t *testing.T, ev Event) {
	t.Helper()
	if w.time != "" {
		want, err := time.Parse(time.RFC3339Nano, w.time)
		if err != nil {
			t.Fatal(err)
		}
		if !ev.Time.Equal(want) || ev.Time.Location() != time.UTC {
			t.Errorf("time = %v, want %v", ev.Time, want)
		}
		if ev.TimeKnownZone != w.known {
			t.Errorf("TimeKnownZone = %v, want %v", ev.TimeKnownZone, w.known)
		}
	}
	if w.level != LevelUnknown && ev.Level != w.level {
		t.Errorf("level = %v, want %v", ev.Level, w.level)
	}
	if w.msg != "" && ev.Message != w.msg {
		t.Errorf("message = %q, want %q", ev.Message, w.msg)
	}
	for _, s := range w.msgHas {
		if !strings.Contains(ev.Message, s) {
			t.Errorf("message %q lacks %q", ev.Message, s)
		}
	}
	checkStr := func(name, got, want string) {
		if want != "" && got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	checkStr("method", ev.Method, w.method)
	checkStr("path", ev.Path, w.path)
	checkStr("host", ev.Host, w.host)
	checkStr("client", ev.Client, w.client)
	checkStr("module", ev.Module, w.module)
	checkStr("code", ev.Code, w.code)
	if w.status != 0 && ev.Status != w.status {
		t.Errorf("status = %d, want %d", ev.Status, w.status)
	}
	if w.pid != 0 && ev.PID != w.pid {
		t.Errorf("pid = %d, want %d", ev.PID, w.pid)
	}
	if w.rt != 0 && (ev.RequestTime < w.rt-1e-9 || ev.RequestTime > w.rt+1e-9) {
		t.Errorf("request time = %v, want %v", ev.RequestTime, w.rt)
	}
	for k, v := range w.fields {
		if got := ev.Field(k); got != v {
			t.Errorf("field %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range w.noField {
		for _, f := range ev.Fields {
			if f.Key == k {
				t.Errorf("unexpected field %s = %q", k, f.Value)
			}
		}
	}
}

func TestAppJSONParse(t *testing.T) {
	tests := []struct {
		name string
		line string
		want appWant
	}{
		{"pino error with err object", appJSONFormat.Examples[0], appWant{
			time: "2026-11-20T14:02:10.123Z", known: true, level: LevelError, host: "web-01", pid: 812, code: "ECONNREFUSED",
			msg:    "connect ECONNREFUSED 127.0.0.1:5432\nError: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
			fields: map[string]string{"err.syscall": "connect", "err.port": "5432", "err.type": "Error"},
		}},
		{"pino-http request", `{"level":30,"time":1795183325004,"pid":812,"hostname":"web-01","req":{"id":41,"method":"GET","url":"/api/cart","remoteAddress":"::ffff:10.0.0.2","remotePort":51234},"res":{"statusCode":502},"responseTime":30012,"msg":"request completed"}`, appWant{
			time: "2026-11-20T14:02:05.004Z", known: true, level: LevelInfo, status: 502, method: "GET", path: "/api/cart", client: "::ffff:10.0.0.2", rt: 30.012,
			msg: "request completed", fields: map[string]string{"req.id": "41"},
		}},
		{"winston with stack", `{"level":"error","message":"Request failed: connect ECONNREFUSED 10.0.0.5:6379","stack":"Error: connect ECONNREFUSED 10.0.0.5:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)","timestamp":"2026-11-20T14:02:12.417Z"}`, appWant{
			time: "2026-11-20T14:02:12.417Z", known: true, level: LevelError,
			msg: "Request failed: connect ECONNREFUSED 10.0.0.5:6379\nError: connect ECONNREFUSED 10.0.0.5:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
		}},
		{"winston colorized level", `{"level":"\u001b[31merror\u001b[39m","message":"payment provider returned 502","timestamp":"2026-11-20T14:02:13.001Z"}`, appWant{level: LevelError, msg: "payment provider returned 502"}},
		{"zap epoch seconds", appJSONFormat.Examples[2], appWant{
			time: "2026-11-20T14:02:10.123456Z", known: true, level: LevelError,
			msgHas: []string{"query failed\ndial tcp 10.0.0.5:5432: connect: connection refused\nmain.(*store).query\n\t/app/store/db.go:88"},
			fields: map[string]string{"caller": "store/db.go:88"},
		}},
		{"zap ISO ts, latency with unit", `{"level":"error","ts":"2026-11-20T14:02:11.020Z","caller":"http/middleware.go:52","msg":"request","method":"GET","path":"/api/orders/7","status":502,"latency":"30.001s","error":"upstream: context deadline exceeded"}`, appWant{
			time: "2026-11-20T14:02:11.02Z", known: true, status: 502, method: "GET", path: "/api/orders/7", rt: 30.001, msg: "request\nupstream: context deadline exceeded",
		}},
		{"logrus offset", appJSONFormat.Examples[3], appWant{time: "2026-11-20T13:02:10Z", known: true, level: LevelError, msg: "db query failed\npq: sorry, too many clients already"}},
		{"slog", appJSONFormat.Examples[4], appWant{time: "2026-11-20T13:02:10.123456789Z", known: true, level: LevelError, status: 500, method: "GET", path: "/checkout", msg: "request failed\ncontext deadline exceeded"}},
		{"monolog context exception", appJSONFormat.Examples[5], appWant{
			time: "2026-11-20T14:02:10.123456Z", known: true, level: LevelError, module: "production", code: "2002",
			msg: "SQLSTATE[HY000] [2002] Connection refused", fields: map[string]string{"context.exception.class": "PDOException"},
		}},
		{"monolog numeric level only", `{"message":"disk almost full","level":550,"channel":"app","datetime":"2026-11-20T14:02:10+00:00"}`, appWant{level: LevelAlert, module: "app"}},
		{"structlog", appJSONFormat.Examples[6], appWant{time: "2026-11-20T14:02:10.123456Z", known: true, level: LevelError, module: "shop.checkout", msg: "payment provider timeout"}},
		{"ECS flat", appJSONFormat.Examples[7], appWant{
			level: LevelError, pid: 1234, module: "com.zaxxer.hikari.pool.HikariPool",
			msgHas:  []string{"Exception during pool initialization.\njava.sql.SQLTransientConnectionException: HikariPool-1", "HikariPool.java:696"},
			fields:  map[string]string{"error.type": "java.sql.SQLTransientConnectionException", "service.name": "orders"},
			noField: []string{"error.stack_trace", "error.message"},
		}},
		{"ECS nested, type and message without stack", `{"@timestamp":"2026-11-20T14:02:10.200Z","log":{"level":"error","logger":"org.apache.catalina.core.ContainerBase"},"message":"Servlet.service() threw exception","error":{"type":"java.lang.OutOfMemoryError","message":"Java heap space"},"http":{"request":{"method":"POST"},"response":{"status_code":500}},"url":{"path":"/api/export"}}`, appWant{
			level: LevelError, status: 500, method: "POST", path: "/api/export", module: "org.apache.catalina.core.ContainerBase",
			msg: "Servlet.service() threw exception\njava.lang.OutOfMemoryError: Java heap space",
		}},
		{"Serilog compact", appJSONFormat.Examples[8], appWant{
			time: "2026-11-20T14:02:10.1234567Z", known: true, level: LevelError, module: "Shop.Data.Db",
			msgHas: []string{"Failed to open connection to {Host}\nNpgsql.NpgsqlException (0x80004005)", "---> System.Net.Sockets.SocketException (111): Connection refused"},
		}},
		{"Serilog compact without @l is Information", `{"@t":"2026-11-20T14:02:11.2000000Z","@mt":"HTTP {RequestMethod} {RequestPath} responded {StatusCode}","RequestMethod":"GET","RequestPath":"/api/cart","StatusCode":200}`, appWant{level: LevelInfo, status: 200, method: "GET", path: "/api/cart"}},
		{"python-json-logger zoneless asctime", appJSONFormat.Examples[9], appWant{
			time: "2026-11-20T14:02:10.123Z", known: false, level: LevelError, module: "django.request",
			msgHas: []string{"Internal Server Error: /checkout\nTraceback (most recent call last):", "psycopg2.OperationalError: could not connect to server: Connection refused"},
		}},
		{"logstash-logback-encoder", appJSONFormat.Examples[10], appWant{
			time: "2026-11-20T13:02:10.123Z", known: true, level: LevelError, module: "org.apache.catalina.core.ContainerBase",
			msgHas: []string{"java.lang.OutOfMemoryError: Java heap space"}, fields: map[string]string{"thread_name": "http-nio-8080-exec-1"},
		}},
		{"GCP httpRequest", appJSONFormat.Examples[11], appWant{level: LevelError, status: 504, method: "GET", path: "/api/cart", rt: 30.001, msg: "upstream request timeout"}},
		{"GCP timestamp object", `{"severity":"INFO","textPayload":"Container started","timestamp":{"seconds":1795183333,"nanos":250000000}}`, appWant{time: "2026-11-20T14:02:13.25Z", known: true, level: LevelInfo, msg: "Container started"}},
		{"bunyan", `{"name":"checkout","hostname":"web-02","pid":2231,"level":50,"err":{"message":"socket hang up","name":"Error","stack":"Error: socket hang up\n    at connResetException (node:internal/errors:720:14)","code":"ECONNRESET"},"msg":"upstream request failed","time":"2026-11-20T14:02:14.210Z","v":0}`, appWant{
			level: LevelError, module: "checkout", code: "ECONNRESET", pid: 2231, msg: "upstream request failed\nError: socket hang up\n    at connResetException (node:internal/errors:720:14)",
		}},
		{"docker json-file log key", `{"log":"2026/11/20 14:02:14 [error] 29#29: *7 connect() failed (111: Connection refused) while connecting to upstream\n","stream":"stderr","time":"2026-11-20T14:02:14.000123456Z"}`, appWant{
			time: "2026-11-20T14:02:14.000123456Z", known: true, msg: "2026/11/20 14:02:14 [error] 29#29: *7 connect() failed (111: Connection refused) while connecting to upstream",
		}},
		{"epoch ms as string, unicode escapes", `{"time":"1795183330123","level":"warn","msg":"caf\u00e9 \ud83d\ude00 \"quoted\" tab\there"}`, appWant{time: "2026-11-20T14:02:10.123Z", known: true, level: LevelWarn, msg: "café 😀 \"quoted\" tab\there"}},
		{"epoch ns", `{"ts":1795183330123456789,"level":"info","msg":"x"}`, appWant{time: "2026-11-20T14:02:10.123456789Z", known: true}},
		{"leading BOM and spaces", "\xef\xbb\xbf  {\"level\":\"info\",\"msg\":\"hi\"}  ", appWant{level: LevelInfo, msg: "hi"}},
		{"only a message", `{"message":"worker booted"}`, appWant{msg: "worker booted"}},
		{"duration in ms key", `{"level":"info","msg":"done","status":200,"duration_ms":47.17}`, appWant{status: 200, rt: 0.04717}},
		{"ambiguous duration not guessed", `{"level":"info","msg":"done","status":200,"duration":47.17}`, appWant{status: 200, fields: map[string]string{"duration": "47.17"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, ok := appParseOne(t, appJSONFormat, tt.line)
			if !ok {
				t.Fatalf("rejected %s", tt.line)
			}
			tt.want.check(t, ev)
		})
	}
}

func TestAppJSONRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`{}`,
		`[]`,
		`[{"level":"error","msg":"x"}]`,
		`"just a string"`,
		`{"name":"shop","version":"1.4.0","description":"storefront","main":"index.js"}`,
		`{"compilerOptions":{"target":"es2020"},"include":["src"]}`,
		`{"level":"error","msg":"unterminated}`,
		`{"level":"error","msg":"x"} trailing`,
		`{"level":"error","msg":"x",}`,
		`{"level":"error" "msg":"x"}`,
		`{"level":error}`,
		`{"time_local":"20/Nov/2026:14:02:10 +0000","remote_addr":"192.0.2.7","request":"GET / HTTP/1.1","status":"502","body_bytes_sent":"157"}`,
		`{"__CURSOR":"s=abc;i=1","__REALTIME_TIMESTAMP":"1795183330123456","PRIORITY":"3","MESSAGE":"nginx.service: Main process exited"}`,
		`192.0.2.7 - - [20/Nov/2026:14:02:10 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
		`2026/11/20 14:02:11 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream`,
		`time=2026-11-20T14:02:10Z level=error msg="db query failed"`,
		`Nov 20 14:02:10 web-01 gunicorn[812]: {"level":"error","msg":"x"}`,
		"{\"level\":\"error\",\"msg\":\"x\"\x00}",
	} {
		if ev, ok := appParseOne(t, appJSONFormat, line); ok {
			t.Errorf("accepted %q as %+v", line, ev)
		}
	}
}

func TestAppJSONHelpers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1795183330", time.Date(2026, 11, 20, 14, 2, 10, 0, time.UTC), true},
		{"1795183330.5", time.Date(2026, 11, 20, 14, 2, 10, 5e8, time.UTC), true},
		{"1795183330123", time.Date(2026, 11, 20, 14, 2, 10, 123e6, time.UTC), true},
		{"1795183330123456", time.Date(2026, 11, 20, 14, 2, 10, 123456e3, time.UTC), true},
		{"42", time.Time{}, false},
		{"1795183330x", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, ok := appEpoch([]byte(tt.in))
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("appEpoch(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, tt := range []struct {
		in   string
		unit float64
		want float64
		ok   bool
	}{
		{"1.2s", 0, 1.2, true}, {"350ms", 0, 0.35, true}, {"30000ms", 0, 30, true}, {"1m2.5s", 0, 62.5, true},
		{"12µs", 0, 12e-6, true}, {"2h", 0, 7200, true}, {"47", 1e-3, 0.047, true}, {"47", 0, 0, false},
		{"fast", 0, 0, false}, {"1.2parsecs", 0, 0, false}, {"", 0, 0, false},
	} {
		got, ok := appDuration([]byte(tt.in), tt.unit)
		if ok != tt.ok || ok && (got < tt.want-1e-12 || got > tt.want+1e-12) {
			t.Errorf("appDuration(%q, %v) = %v, %v; want %v, %v", tt.in, tt.unit, got, ok, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]Level{
		"10": LevelDebug, "20": LevelDebug, "30": LevelInfo, "40": LevelWarn, "50": LevelError, "60": LevelCrit,
		"100": LevelDebug, "200": LevelInfo, "250": LevelNotice, "300": LevelWarn, "400": LevelError, "500": LevelCrit,
		"550": LevelAlert, "600": LevelEmerg, "3": LevelError, "6": LevelInfo, "ERROR": LevelError, "Warning": LevelWarn,
		"Information": LevelInfo, "silly": LevelDebug, "http": LevelInfo, "DEFAULT": LevelUnknown, "\x1b[33mwarn\x1b[39m": LevelWarn,
	} {
		if got := appLevelValue([]byte(in)); got != want {
			t.Errorf("appLevelValue(%q) = %v, want %v", in, got, want)
		}
	}
	var a appArena
	for in, want := range map[string]string{
		`a\nb`: "a\nb", `\"q\"`: `"q"`, `\u00e9`: "é", `\ud83d\ude00`: "😀", `\ud83d`: "\ufffd", `\udc00x`: "\ufffdx",
		`\u12`: `\u12`, `\q`: `\q`, `end\`: `end\`, `\/`: "/",
	} {
		if got := a.jsonUnescape([]byte(in)); got != want {
			t.Errorf("jsonUnescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAppJSONAllocs checks that a typical line costs no allocation once
// the parser's arenas are warm.
func TestAppJSONAllocs(t *testing.T) {
	p, _ := appJSONFormat.New(Config{Clock: NewClock(time.UTC, "test")})
	line := []byte(`{"ts":"2025-03-14T00:00:13.837Z","level":"info","service":"checkout-api","host":"web-01","msg":"request completed","method":"POST","path":"/api/v1/cart/items","status":201,"duration_ms":47.17,"bytes":3537,"request_id":"f709871a19c4c135","remote_ip":"94.200.92.92"}`)
	var ev Event
	allocs := testing.AllocsPerRun(1000, func() {
		ev = Event{}
		if !p.Parse(line, &ev) {
			t.Fatal("rejected")
		}
	})
	if allocs > 0.1 {
		t.Errorf("%.2f allocs per line, want ~0", allocs)
	}
}

// TestAppJSONGeneratedLog parses the benchmark log when it is present.
func TestAppJSONGeneratedLog(t *testing.T) {
	data, err := os.ReadFile("/tmp/gl/app/checkout-api.jsonl")
	if err != nil {
		t.Skip(err)
	}
	p, _ := appJSONFormat.New(Config{Clock: NewClock(time.UTC, "test")})
	for i, l := range bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n")) {
		var ev Event
		if !p.Parse(l, &ev) || ev.Time.IsZero() || ev.Level == LevelUnknown {
			t.Fatalf("line %d: %s -> %+v", i+1, l, ev)
		}
	}
}

// BenchmarkAppJSONParse measures app-json on the generated checkout-api
// log (cd /work/shared/bench/genlogs && go run . -out /tmp/gl -size 20 -q).
func BenchmarkAppJSONParse(b *testing.B) {
	benchParse(b, appJSONFormat, "/tmp/gl/app/checkout-api.jsonl")
}
