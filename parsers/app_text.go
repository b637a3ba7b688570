package parsers

import (
	"bytes"
)

// appTextFormat is leveled application text with stack traces joined into
// one entry. Header lines it knows:
//
//	2026-11-20 14:02:10,123 ERROR [django.request] Internal Server Error: /checkout   (Python logging, many layouts)
//	ERROR:root:message · ERROR 2026-11-20 14:02:10,123 views 1234 5678 message       (Python basicConfig, Django verbose)
//	[2026-11-20 14:02:10,123] ERROR in app: Exception on /x [GET]                      (Flask)
//	[2026-11-20 14:02:10 +0000] [812] [CRITICAL] WORKER TIMEOUT (pid:815)              (gunicorn)
//	[2026-11-20 14:02:10,123: ERROR/MainProcess] Task … raised unexpected: …           (Celery)
//	ERROR:    Exception in ASGI application                                           (uvicorn)
//	[2026-11-20 14:02:10] production.ERROR: SQLSTATE[HY000] [2002] … {"exception":…}   (Laravel/Monolog)
//	E, [2026-11-20T14:02:10.123456 #1234] ERROR -- : [req-id] …                       (Ruby Logger: Rails, Unicorn)
//	2026-11-20 14:02:10.123 ERROR 1234 --- [nio-8080-exec-1] o.a.c.c.C.[…] : …          (Spring Boot)
//	2026-11-20 14:02:10,123 ERROR [main] com.zaxxer.hikari.pool.HikariPool - …        (Log4j/Logback layouts)
//	20-Nov-2026 14:02:10.123 SEVERE [main] org.apache.catalina… ·  14:02:10.123 [main] ERROR c.x.Y - …
//	2026-11-20T14:02:10.123Z	ERROR	store/db.go:88	query failed                   (zap console)
//	2026/11/20 14:02:10 http: panic serving 10.0.0.1:5555: runtime error: …          (Go log)
//	ERRO[0003] message · INFO[2026-11-20T14:02:10Z] message                          (logrus on a terminal)
//	[1234] ! Terminating timed out worker (worker failed to check in within 60 seconds): 1235   (Puma)
//	*** HARAKIRI ON WORKER 2 (pid: 1234, try: 1) *** · DAMN ! worker 1 (pid: 1234) died, killed by signal 9 :( trying respawn ...
//	[pid: 1234|app: 0|req: 1/1] 192.0.2.1 () {34 vars in 512 bytes} [Fri Nov 20 14:02:10 2026] GET / => generated 0 bytes in 30012 msecs (HTTP/1.1 502) …   (uWSGI)
//	[20/Nov/2026 14:02:10] "GET /checkout HTTP/1.1" 500 145                           (django.server)
//	Traceback (most recent call last): · panic: … · goroutine 1 [running]: · Error: connect ECONNREFUSED … · java.lang.OutOfMemoryError: …
//
// Continuation lines are joined only on positive evidence: indented lines
// (Java/Node/.NET "at" frames, Python "File" frames, Go file lines), blank
// lines inside an entry, "Caused by:", Python's chained-exception
// sentences and final exception line, qualified exception class lines,
// PHP/Laravel "#0 …", "Stack trace:", "[stacktrace]", "[previous
// exception]", Go goroutine dumps, Node's crash report, and lines carrying
// the Rails request tag of the entry. Anything else starts a new entry, and
// a line that is not a header either is not of this format.
//
// Time: zoneless stamps through the Clock, stamps with an offset as stated.
// PID where the line says it, the logger (or Laravel channel, Flask module)
// in Module, the rest in Message with the joined lines. Request lines
// (uWSGI, Rails "Completed 500", uvicorn, django.server) give Status.
var appTextFormat = &Format{
	ID:    FormatAppText,
	Title: "application leveled text with stack traces (Python, Django, Flask, gunicorn, uWSGI, Laravel, Rails, Puma, Java, Go, Node)",
	Examples: []string{
		"2026-11-20 14:02:10,123 ERROR [django.request] Internal Server Error: /checkout\nTraceback (most recent call last):\n  File \"/app/shop/views.py\", line 41, in checkout\n    order = Order.objects.create(cart=cart)\npsycopg2.OperationalError: could not connect to server: Connection refused",
		"[2026-11-20 14:02:10 +0000] [812] [CRITICAL] WORKER TIMEOUT (pid:815)",
		"[2026-11-20 14:02:11 +0000] [812] [ERROR] Worker (pid:815) was sent SIGKILL! Perhaps out of memory?",
		"Fri Nov 20 14:02:10 2026 - *** HARAKIRI ON WORKER 2 (pid: 1234, try: 1) ***",
		"DAMN ! worker 1 (pid: 1234) died, killed by signal 9 :( trying respawn ...",
		"[pid: 1234|app: 0|req: 1/1] 192.0.2.1 () {34 vars in 512 bytes} [Fri Nov 20 14:02:10 2026] GET / => generated 0 bytes in 30012 msecs (HTTP/1.1 502) 2 headers in 64 bytes (1 switches on core 0)",
		"[2026-11-20 14:02:10] production.ERROR: SQLSTATE[HY000] [2002] Connection refused (SQL: select * from `sessions` where `id` = 1 limit 1) {\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php:712)\n[stacktrace]\n#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(672): Illuminate\\\\Database\\\\Connection->runQueryCallback()\n#1 {main}\n\"} ",
		"E, [2026-11-20T14:02:10.123456 #1234] ERROR -- : [8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] ActiveRecord::ConnectionTimeoutError (could not obtain a connection from the pool within 5.000 seconds (waited 5.000 seconds); all pooled connections were in use):",
		"I, [2026-11-20T14:02:15.123456 #1234]  INFO -- : [8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] Completed 500 Internal Server Error in 5003ms (ActiveRecord: 5001.2ms | Allocations: 1234)",
		"2026-11-20 14:02:10.123 ERROR 1234 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception\n\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n\t... 42 more",
		"[1234] ! Terminating timed out worker (worker failed to check in within 60 seconds): 1235",
		"Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
		"2026/11/20 14:02:10 http: panic serving 10.0.0.1:5555: runtime error: invalid memory address or nil pointer dereference\ngoroutine 33 [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:1898 +0xbe",
		"panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d\nexit status 2",
	},
	Generic: true,
	New:     func(cfg Config) (Parser, error) { return &appTextParser{clock: cfg.Clock, state: atUnknown}, nil },
}

// Joining states of appTextParser.
const (
	atNone      uint8 = iota // the last line was not of this format
	atHeader                 // inside an ordinary entry
	atPyFrames               // inside a Python traceback
	atPyDone                 // after a Python traceback's exception line
	atPyChain                // after "During handling of the above exception …"
	atGo                     // inside a Go goroutine dump
	atNodeCrash              // after Node's "file.js:12" crash header
	atNode                   // inside a Node error (frames, {props}, "Node.js v…")
	atClosed                 // after a line that takes no continuation (request lines, uWSGI's own lines)
	atUnknown                // the first line of the input, which the joiner never sees
	atRuby                   // inside a Ruby Logger entry: every line up to the next header is its message
	atRails                  // after a plain Rails "Completed 500 …": the exception and its frames follow
)

// Header kinds.
const (
	ahLog     uint8 = iota + 1 // a stamped and/or leveled log line
	ahTrace                    // a bare trace start (Traceback, panic:, Error: …)
	ahRequest                  // an access-like request line (uWSGI, django.server)
)

// appTextParser reads leveled text and joins traces.
type appTextParser struct {
	clock *Clock
	arena appArena

	state  uint8
	tag    [80]byte // the Rails request tag of the current entry, "[…]"
	tagLen int
	hdr    appHdr // scratch for Continues
	crash  int    // lines seen since a Node crash header
	errEnt bool   // the current entry's header is at error level or worse
}

// appHdr is what a header line says, as offsets into the line.
type appHdr struct {
	kind   uint8
	next   uint8 // joining state the header starts
	st     appStamp
	stamp  bool // st is set
	ctime  bool // st came from a ctime stamp (uWSGI)
	noYear bool // st has no year (klog): the clock supplies it
	level  Level
	pid    int
	mod    [2]int
	msg    int
	tag    [2]int // Rails tag(s) "[…] [...]" before the message
	status int
	method [2]int
	path   [2]int
	client [2]int
	bytes  int64
	rt     float64
	code   [2]int // Node's warning code "[DEP0018]" (without brackets)
}

// reset clears h for the next line.
func (h *appHdr) reset() {
	*h = appHdr{rt: -1}
}

// --- small byte helpers --------------------------------------------------

// appIsUpperWord reports a non-empty word of upper-case ASCII letters.
func appIsUpperWord(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// appIsDigits reports a non-empty run of ASCII digits.
func appIsDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// appIsNameByte reports bytes of logger and module names.
func appIsNameByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '-' || c == '$' || c == '/' || c == ':' || c == '\\'
}

// appLevelWord maps a level word. Strict words must be upper case
// (ERROR, WARNING …); loose ones (bracketed, colon- or tab-delimited) may
// be any case ("[info]", "error:", "Warning").
func appLevelWord(b []byte, loose bool) Level {
	if len(b) < 3 || len(b) > 11 {
		return LevelUnknown
	}
	if !loose && !appIsUpperWord(b) {
		// DEBUG1 … DEBUG5 (PostgreSQL)
		if !(len(b) == 6 && appIsUpperWord(b[:5]) && b[5] >= '1' && b[5] <= '5') {
			return LevelUnknown
		}
	}
	for _, c := range b {
		if !isAlnum(c) {
			return LevelUnknown
		}
	}
	var buf [11]byte
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(b)]) {
	case "trace", "debug", "dbug", "debu", "trac", "fine", "finer", "finest", "verbose", "debug1", "debug2", "debug3", "debug4", "debug5":
		return LevelDebug
	case "info", "information", "config", "log", "note", "system":
		return LevelInfo
	case "notice":
		return LevelNotice
	case "warn", "warning", "warn ", "wrn":
		return LevelWarn
	case "error", "err", "eror", "erro", "severe", "exception":
		return LevelError
	case "crit", "critical", "fatal", "fata", "dpanic":
		return LevelCrit
	case "alert", "panic", "pani":
		return LevelAlert
	case "emerg", "emergency":
		return LevelEmerg
	}
	return LevelUnknown
}

// appCtime parses "Fri Nov 20 14:02:10 2026" (day may be space-padded) at
// b[i:] and returns the index after it.
func appCtime(b []byte, i int, st *appStamp) (int, bool) {
	if len(b)-i < 24 || b[i+3] != ' ' || month3(b, i+4) == 0 || b[i+7] != ' ' {
		return 0, false
	}
	for _, c := range b[i : i+3] {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return 0, false
		}
	}
	st.mo = month3(b, i+4)
	j := i + 8
	if b[j] == ' ' {
		j++
	}
	d := 0
	for ; j < len(b) && b[j] >= '0' && b[j] <= '9' && d < 100; j++ {
		d = d*10 + int(b[j]-'0')
	}
	if j+14 > len(b) || b[j] != ' ' || b[j+3] != ':' || b[j+6] != ':' || b[j+9] != ' ' {
		return 0, false
	}
	var o [4]bool
	st.h, o[0] = digits2(b, j+1)
	st.mi, o[1] = digits2(b, j+4)
	st.s, o[2] = digits2(b, j+7)
	st.y, o[3] = digits4(b, j+10)
	st.d, st.nsec, st.zone, st.off = d, 0, false, 0
	if !(o[0] && o[1] && o[2] && o[3]) || !validDate(st.y, st.mo, st.d, st.h, st.mi, st.s) {
		return 0, false
	}
	return j + 14, true
}

// appDMY parses "20-Nov-2026 14:02:10[.123]" (Tomcat) or, with sep '/',
// "20/Nov/2026 14:02:10" (django.server) at b[i:].
func appDMY(b []byte, i int, sep byte, st *appStamp) (int, bool) {
	if len(b)-i < 20 || b[i+2] != sep || b[i+6] != sep || b[i+11] != ' ' || b[i+14] != ':' || b[i+17] != ':' {
		return 0, false
	}
	var o [5]bool
	st.d, o[0] = digits2(b, i)
	st.mo = month3(b, i+3)
	st.y, o[1] = digits4(b, i+7)
	st.h, o[2] = digits2(b, i+12)
	st.mi, o[3] = digits2(b, i+15)
	st.s, o[4] = digits2(b, i+18)
	if !(o[0] && o[1] && o[2] && o[3] && o[4]) || st.mo == 0 || !validDate(st.y, st.mo, st.d, st.h, st.mi, st.s) {
		return 0, false
	}
	j := i + 20
	st.nsec, st.zone, st.off = 0, false, 0
	if j < len(b) && (b[j] == '.' || b[j] == ',') {
		st.nsec, j = fraction(b, j+1)
	}
	return j, true
}

// appTimeOnly parses "14:02:10.123" at the start of b.
func appTimeOnly(b []byte) (int, bool) {
	if len(b) < 13 || b[2] != ':' || b[5] != ':' || b[8] != '.' && b[8] != ',' {
		return 0, false
	}
	_, ok1 := digits2(b, 0)
	_, ok2 := digits2(b, 3)
	_, ok3 := digits2(b, 6)
	if !(ok1 && ok2 && ok3) {
		return 0, false
	}
	_, end := fraction(b, 9)
	if end == 9 {
		return 0, false
	}
	return end, true
}

// --- header recognition -----------------------------------------------------

// header recognises the first line of an entry.
func (p *appTextParser) header(b []byte, h *appHdr) bool {
	h.reset()
	if len(b) < 4 {
		return false
	}
	h.next = atHeader
	c := b[0]
	switch {
	case c >= '0' && c <= '9':
		return p.digitHeader(b, h)
	case c == '[':
		if p.bracketHeader(b, h) {
			return true
		}
		h.reset()
		h.next = atHeader
	case c >= 'A' && c <= 'Z':
		if p.klogHeader(b, h) || p.rubyHeader(b, h) || p.levelFirstHeader(b, h) {
			return true
		}
		h.reset()
		h.next = atHeader
	}
	return p.otherHeader(b, h)
}

// digitHeader: lines that begin with a date or time.
func (p *appTextParser) digitHeader(b []byte, h *appHdr) bool {
	h.kind = ahLog
	if end, ok := appParseISO(b, &h.st); ok {
		h.stamp = true
		slash := b[4] == '/'
		if end < len(b) && b[end] == ':' {
			// "2026-11-20 14:02:10,123:INFO:name:message"
			if p.pyColon(b, end+1, h) {
				return true
			}
		}
		if slash && end < len(b) && b[end] == ' ' && appNginxLike(b[end+1:]) {
			return false // Nginx's error log
		}
		if p.afterStamp(b, end, h) {
			return true
		}
		if end < len(b) && b[end] == ' ' && (slash || b[10] == ' ') {
			// a stamp and a message, no level: Go's log package
			// ("2026/11/20 14:02:10 message"), dpkg.log and many scripts
			// ("2026-11-20 14:02:10 upgrade php8.2-fpm:amd64 …")
			h.msg = end + 1
			return len(b) > h.msg
		}
		return false
	}
	if end, ok := appDMY(b, 0, '-', &h.st); ok {
		h.stamp = true
		return p.afterStamp(b, end, h)
	}
	if end, ok := appTimeOnly(b); ok {
		return p.afterStamp(b, end, h)
	}
	return false
}

// appNginxLike reports "[error] 811#811: …", the rest of an Nginx error line.
func appNginxLike(b []byte) bool {
	if len(b) < 5 || b[0] != '[' {
		return false
	}
	rb := bytes.IndexByte(b, ']')
	if rb < 0 || rb > 8 || rb+2 >= len(b) || b[rb+1] != ' ' {
		return false
	}
	i := rb + 2
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	return j > i && j < len(b) && b[j] == '#'
}

// bracketHeader: "[stamp] …", "[pid] …" (Puma), "[pid: …|…]" (uWSGI),
// "[LEVEL] …", "[dd/Mon/yyyy hh:mm:ss] …" (django.server).
func (p *appTextParser) bracketHeader(b []byte, h *appHdr) bool {
	h.kind = ahLog
	if end, ok := appParseISO(b[1:], &h.st); ok {
		h.stamp = true
		end++
		switch {
		case end < len(b) && b[end] == ']':
			return p.afterStamp(b, end+1, h)
		case end < len(b) && b[end] == ':':
			// Celery: "[2026-11-20 14:02:10,123: ERROR/MainProcess] …"
			return p.afterStamp(b, end+1, h)
		}
		return false
	}
	if len(b) > 6 && string(b[:6]) == "[pid: " {
		return p.uwsgiRequest(b, h)
	}
	if end, ok := appDMY(b, 1, '/', &h.st); ok && end+2 < len(b) && b[end] == ']' && b[end+1] == ' ' {
		// django.server: [20/Nov/2026 14:02:10] "GET / HTTP/1.1" 500 145
		h.stamp = true
		h.msg = end + 2
		appQuotedRequest(b, h.msg, h)
		h.level = LevelFromStatus(h.status)
		if h.status != 0 {
			h.kind, h.next = ahRequest, atClosed
		}
		return true
	}
	rb := bytes.IndexByte(b, ']')
	if rb < 2 || rb > 12 || rb+2 > len(b) || rb+1 < len(b) && b[rb+1] != ' ' {
		return false
	}
	inner := b[1:rb]
	if appIsDigits(inner) && rb+2 < len(b) {
		// Puma: "[1234] ! Terminating timed out worker …", "[1234] - Worker 0 …"
		h.pid, _ = atoi(inner)
		h.msg = rb + 2
		h.level = LevelInfo
		if len(b)-h.msg > 2 && b[h.msg+1] == ' ' && (b[h.msg] == '-' || b[h.msg] == '*' || b[h.msg] == '~') {
			h.msg += 2
		}
		if b[h.msg] == '!' {
			h.level = LevelError
			if bytes.Contains(b[h.msg:], []byte("WARNING")) {
				h.level = LevelWarn
			}
			if len(b)-h.msg > 2 && b[h.msg+1] == ' ' {
				h.msg += 2
			}
		}
		return h.pid > 0
	}
	if l := appLevelWord(inner, false); l != LevelUnknown && rb+2 < len(b) {
		// "[ERROR] Worker (pid:815) was sent SIGKILL! Perhaps out of memory?"
		h.level = l
		h.msg = rb + 2
		return true
	}
	return false
}

// afterStamp reads what follows a stamp: the level (required), a pid, the
// logger, and where the message starts.
func (p *appTextParser) afterStamp(b []byte, i int, h *appHdr) bool {
	var pre [2]int // a name token before the level
	tokens, names := 0, 0
	for tokens < 7 {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		if i >= len(b) {
			return false
		}
		start := i
		tab := start > 0 && b[start-1] == '\t'
		bracket := b[i] == '[' || b[i] == '(' || b[i] == '<'
		if b[i] == '[' {
			rb := bytes.IndexByte(b[i:], ']')
			if rb < 0 || rb > 64 {
				return false
			}
			i += rb + 1
		} else {
			for i < len(b) && b[i] != ' ' && b[i] != '\t' {
				i++
			}
		}
		tok := b[start:i]
		end := i // after the token
		// strip wrappers
		colon := false
		for len(tok) > 0 && (tok[len(tok)-1] == ']' || tok[len(tok)-1] == ')' || tok[len(tok)-1] == '>' || tok[len(tok)-1] == ':' || tok[len(tok)-1] == ',') {
			if tok[len(tok)-1] == ':' {
				colon = true
			}
			tok = tok[:len(tok)-1]
		}
		if len(tok) > 0 && (tok[0] == '[' || tok[0] == '(' || tok[0] == '<') {
			tok = tok[1:]
		}
		tokens++
		if len(tok) == 0 || string(tok) == "-" || string(tok) == "|" || string(tok) == "---" || string(tok) == "--" {
			continue
		}
		loose := bracket || colon || tab
		if l := appLevelWord(tok, loose); l != LevelUnknown {
			h.level = l
			if pre[1] > pre[0] {
				h.mod = pre
			}
			return p.afterLevel(b, end, h)
		}
		// Celery "ERROR/MainProcess", Laravel "production.ERROR"
		if k := bytes.IndexByte(tok, '/'); k > 0 {
			if l := appLevelWord(tok[:k], true); l != LevelUnknown {
				h.level = l
				off := start + bytes.Index(b[start:end], tok)
				h.mod = [2]int{off + k + 1, off + len(tok)}
				return p.afterLevel(b, end, h)
			}
		}
		if k := bytes.LastIndexByte(tok, '.'); k > 0 && colon {
			if l := appLevelWord(tok[k+1:], false); l != LevelUnknown {
				h.level = l
				off := start + bytes.Index(b[start:end], tok)
				h.mod = [2]int{off, off + k}
				return p.afterLevel(b, end, h)
			}
		}
		if appIsDigits(tok) {
			if bracket && h.pid == 0 {
				h.pid, _ = atoi(tok)
			}
			continue
		}
		if !bracket && !colon && appNameToken(tok) {
			if names++; names > 2 {
				return false
			}
			off := start + bytes.Index(b[start:end], tok)
			pre = [2]int{off, off + len(tok)}
			continue
		}
		if bracket {
			continue // a thread name, a request id …
		}
		return false // a message word before any level
	}
	return false
}

// appNameToken reports a logger-like name ("django.request", "root",
// "com.zaxxer.hikari.pool.HikariPool", "app").
func appNameToken(b []byte) bool {
	if len(b) == 0 || len(b) > 120 {
		return false
	}
	for _, c := range b {
		if !appIsNameByte(c) {
			return false
		}
	}
	return true
}

// afterLevel finds the logger and the message after the level token.
func (p *appTextParser) afterLevel(b []byte, i int, h *appHdr) bool {
	tab := i < len(b) && b[i] == '\t'
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i+1 < len(b) && (b[i] == ':' || b[i] == '-' || b[i] == '|') && b[i+1] == ' ' {
		i += 2 // "ERROR : …", "ERROR - …"
		for i < len(b) && b[i] == ' ' {
			i++
		}
	}
	if tab {
		// zap console: LEVEL\tcaller\tmessage
		if t := bytes.IndexByte(b[i:], '\t'); t > 0 {
			caller := b[i : i+t]
			if bytes.IndexByte(caller, ':') > 0 && bytes.IndexByte(caller, ' ') < 0 {
				h.msg = i + t + 1
				return true
			}
		}
		h.msg = i
		return true
	}
	// Spring Boot: "1234 --- [thread] logger : message"
	j := i
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j > i && len(b)-j > 5 && string(b[j:j+5]) == " --- " {
		h.pid, _ = atoi(b[i:j])
		k := j + 5
		sep := bytes.Index(b[k:min(len(b), k+300)], []byte(" : "))
		if sep >= 0 {
			lg := b[k : k+sep]
			for len(lg) > 0 && lg[0] == '[' {
				rb := bytes.Index(lg, []byte("] "))
				if rb < 0 {
					break
				}
				lg = trimSpace(lg[rb+2:])
			}
			lg = trimSpace(lg)
			if len(lg) > 0 {
				off := k + bytes.Index(b[k:k+sep], lg)
				h.mod = [2]int{off, off + len(lg)}
			}
			h.msg = k + sep + 3
			for h.msg < len(b) && b[h.msg] == ' ' {
				h.msg++
			}
			return true
		}
		h.msg = k
		return true
	}
	// Flask: "ERROR in app: message"
	if len(b)-i > 3 && string(b[i:i+3]) == "in " {
		k := i + 3
		for k < len(b) && appIsNameByte(b[k]) && b[k] != ':' {
			k++
		}
		if k > i+3 && k+1 < len(b) && b[k] == ':' && b[k+1] == ' ' {
			h.mod = [2]int{i + 3, k}
			h.msg = k + 2
			return true
		}
	}
	// "[thread] logger - message" or "[logger] message"
	if i < len(b) && b[i] == '[' {
		rb := bytes.IndexByte(b[i:], ']')
		if rb > 0 && rb < 80 {
			inner := [2]int{i + 1, i + rb}
			k := i + rb + 1
			for k < len(b) && b[k] == ' ' {
				k++
			}
			if m, end, ok := appLoggerDash(b, k); ok {
				h.mod, h.msg = m, end
				return true
			}
			// Tomcat: "[thread] org.apache.catalina.core.StandardWrapperValve.invoke message"
			if e := bytes.IndexByte(b[k:], ' '); e > 0 && bytes.Count(b[k:k+e], []byte(".")) >= 2 && appNameToken(b[k:k+e]) {
				h.mod, h.msg = [2]int{k, k + e}, k+e+1
				return true
			}
			if h.mod[1] == 0 && appNameToken(b[inner[0]:inner[1]]) {
				h.mod = inner
			}
			h.msg = k
			return true
		}
	}
	// "logger - message", "logger: message"
	if m, end, ok := appLoggerDash(b, i); ok {
		h.mod, h.msg = m, end
		return true
	}
	h.msg = i
	return true
}

// appLoggerDash reads "name - " or "name: " (name dotted or lower case) at
// b[i:] and returns the name's span and the message start.
func appLoggerDash(b []byte, i int) (mod [2]int, msg int, ok bool) {
	k := i
	for k < len(b) && appIsNameByte(b[k]) && b[k] != ':' {
		k++
	}
	if k == i || k-i > 120 {
		return mod, 0, false
	}
	name := b[i:k]
	if len(b)-k >= 3 && string(b[k:k+3]) == " - " {
		return [2]int{i, k}, k + 3, true
	}
	if len(b)-k >= 2 && b[k] == ':' && b[k+1] == ' ' {
		dotted := bytes.IndexByte(name, '.') > 0
		lower := true
		for _, c := range name {
			if c >= 'A' && c <= 'Z' {
				lower = false
			}
		}
		if dotted || lower {
			return [2]int{i, k}, k + 2, true
		}
	}
	return mod, 0, false
}

// pyColon reads "LEVEL:logger:message" at b[i:] (Python's basicConfig
// format, also after an asctime).
func (p *appTextParser) pyColon(b []byte, i int, h *appHdr) bool {
	j := i
	for j < len(b) && b[j] >= 'A' && b[j] <= 'Z' {
		j++
	}
	if j >= len(b) || b[j] != ':' {
		return false
	}
	l := appLevelWord(b[i:j], false)
	if l == LevelUnknown {
		return false
	}
	k := j + 1
	for k < len(b) && b[k] != ':' && b[k] != ' ' {
		k++
	}
	if k == j+1 || k >= len(b) || b[k] != ':' {
		return false
	}
	h.level, h.mod, h.msg = l, [2]int{j + 1, k}, k+1
	return true
}

// rubyHeader reads Ruby's Logger format:
// "E, [2026-11-20T14:02:10.123456 #1234] ERROR -- progname: message".
func (p *appTextParser) rubyHeader(b []byte, h *appHdr) bool {
	if len(b) < 32 || b[1] != ',' || b[2] != ' ' || b[3] != '[' {
		return false
	}
	end, ok := appParseISO(b[4:], &h.st)
	if !ok {
		return false
	}
	i := 4 + end
	if i+2 >= len(b) || b[i] != ' ' || b[i+1] != '#' {
		return false
	}
	j := i + 2
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	h.pid, _ = atoi(b[i+2 : j])
	rb := bytes.IndexByte(b[j:], ']')
	if rb < 0 || rb > 24 {
		return false
	}
	k := j + rb + 1
	for k < len(b) && b[k] == ' ' {
		k++
	}
	w := k
	for w < len(b) && b[w] >= 'A' && b[w] <= 'Z' {
		w++
	}
	h.level = appLevelWord(b[k:w], false)
	if h.level == LevelUnknown {
		if string(b[k:w]) == "ANY" {
			h.level = LevelInfo
		} else {
			return false
		}
	}
	if len(b)-w < 4 || string(b[w:w+4]) != " -- " {
		return false
	}
	m := w + 4
	colon := bytes.Index(b[m:], []byte(": "))
	if colon < 0 {
		if bytes.HasSuffix(b, []byte(":")) {
			colon = len(b) - 1 - m
		} else {
			return false
		}
	}
	if colon > 0 {
		h.mod = [2]int{m, m + colon}
	}
	h.msg = min(len(b), m+colon+2)
	h.kind, h.stamp = ahLog, true
	h.next = atRuby
	// Rails tags: "[req-id] [other] "
	t := h.msg
	for t < len(b) && b[t] == '[' {
		rb := bytes.IndexByte(b[t:], ']')
		if rb < 0 || rb > 78 || t+rb+1 < len(b) && b[t+rb+1] != ' ' {
			break
		}
		t += rb + 2 // a tag may end the line: the message follows on the next
	}
	if t > h.msg {
		h.tag = [2]int{h.msg, min(t-1, len(b))}
		h.msg = min(t, len(b))
	}
	appRailsRequest(b, h)
	return true
}

// appRailsRequest reads "Completed 500 Internal Server Error in 5003ms"
// and "Started GET "/path" for 192.0.2.1 at …" from a Rails message.
func appRailsRequest(b []byte, h *appHdr) {
	m := b[h.msg:]
	switch {
	case len(m) > 14 && string(m[:10]) == "Completed ":
		n, ok := atoi(m[10:13])
		if !ok || m[13] != ' ' {
			return
		}
		h.status = n
		if k := bytes.Index(m, []byte(" in ")); k > 0 {
			e := k + 4
			for e < len(m) && (m[e] >= '0' && m[e] <= '9' || m[e] == '.') {
				e++
			}
			if e+2 <= len(m) && string(m[e:e+2]) == "ms" {
				if v, ok := appDuration(m[k+4:e+2], 0); ok {
					h.rt = v
				}
			}
		}
	case len(m) > 10 && string(m[:8]) == "Started ":
		sp := bytes.IndexByte(m[8:], ' ')
		if sp < 3 || !appIsMethod(m[8:8+sp]) {
			return
		}
		h.method = [2]int{h.msg + 8, h.msg + 8 + sp}
		q := 8 + sp + 1
		if q < len(m) && m[q] == '"' {
			if e := bytes.IndexByte(m[q+1:], '"'); e >= 0 {
				h.path = [2]int{h.msg + q + 1, h.msg + q + 1 + e}
				rest := m[q+1+e+1:]
				if len(rest) > 5 && string(rest[:5]) == " for " {
					c := bytes.IndexByte(rest[5:], ' ')
					if c > 0 {
						off := h.msg + q + 1 + e + 1 + 5
						h.client = [2]int{off, off + c}
					}
				}
			}
		}
	}
}

// klogHeader reads Kubernetes' klog (glog) lines, which controllers,
// ingress-nginx and cluster components write:
// "E1120 14:02:10.123456    1234 reflector.go:138] message" — the level
// letter (I, W, E, F), a year-less month and day, the time, the pid, and
// the source file and line (Module).
func (p *appTextParser) klogHeader(b []byte, h *appHdr) bool {
	if len(b) < 24 || b[5] != ' ' || b[8] != ':' || b[11] != ':' {
		return false
	}
	var l Level
	switch b[0] {
	case 'I':
		l = LevelInfo
	case 'W':
		l = LevelWarn
	case 'E':
		l = LevelError
	case 'F':
		l = LevelCrit
	default:
		return false
	}
	mo, ok1 := digits2(b, 1)
	d, ok2 := digits2(b, 3)
	hh, ok3 := digits2(b, 6)
	mi, ok4 := digits2(b, 9)
	s, ok5 := digits2(b, 12)
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return false
	}
	i := 14
	nsec := 0
	if i < len(b) && b[i] == '.' {
		nsec, i = fraction(b, i+1)
	}
	k := i
	for k < len(b) && b[k] == ' ' {
		k++
	}
	if k == i {
		return false
	}
	p0 := k
	for k < len(b) && b[k] >= '0' && b[k] <= '9' {
		k++
	}
	if k == p0 || k >= len(b) || b[k] != ' ' {
		return false
	}
	pid, _ := atoi(b[p0:k])
	k++
	f0 := k
	for k < len(b) && b[k] != ']' && b[k] != ' ' {
		k++
	}
	if k >= len(b) || b[k] != ']' || k == f0 || bytes.IndexByte(b[f0:k], ':') < 0 {
		return false
	}
	h.kind, h.level, h.pid = ahLog, l, pid
	h.st = appStamp{mo: mo, d: d, h: hh, mi: mi, s: s, nsec: nsec}
	h.stamp, h.noYear = true, true
	h.mod = [2]int{f0, k}
	h.msg = k + 1
	for h.msg < len(b) && b[h.msg] == ' ' {
		h.msg++
	}
	return true
}

// levelFirstHeader: "ERROR:root:message", "ERROR:    message" (uvicorn,
// whose messages start in column 11),
// "ERROR 2026-11-20 14:02:10,123 views 1234 5678 message" (Django),
// "ERROR [2026-11-20 14:02:10,123] logger: message" (Dropwizard),
// "ERRO[0003] message" / "INFO[2026-11-20T14:02:10Z] message" (logrus).
func (p *appTextParser) levelFirstHeader(b []byte, h *appHdr) bool {
	j := 0
	for j < len(b) && b[j] >= 'A' && b[j] <= 'Z' {
		j++
	}
	if j < 4 || j >= len(b) {
		return false
	}
	word := b[:j]
	h.kind = ahLog
	switch b[j] {
	case ':':
		if p.pyColon(b, 0, h) {
			return true
		}
		// uvicorn: "ERROR:    Exception in ASGI application"
		l := appLevelWord(word, false)
		if l == LevelUnknown || j+2 >= len(b) || b[j+1] != ' ' {
			return false
		}
		h.level = l
		h.msg = j + 1
		for h.msg < len(b) && b[h.msg] == ' ' {
			h.msg++
		}
		if h.msg != 10 {
			return false // uvicorn pads "LEVEL:" to ten columns
		}
		appQuotedRequest(b, h.msg, h)
		return h.msg < len(b)
	case '[':
		// logrus without colours
		switch string(word) {
		case "TRAC", "DEBU", "INFO", "WARN", "ERRO", "FATA", "PANI":
		default:
			return false
		}
		rb := bytes.IndexByte(b[j:], ']')
		if rb < 2 || rb > 40 {
			return false
		}
		inner := b[j+1 : j+rb]
		if !appIsDigits(inner) {
			end, ok := appParseISO(inner, &h.st)
			if !ok || end != len(inner) {
				return false
			}
			h.stamp = true
		}
		h.level = appLevelWord(word, false)
		h.msg = j + rb + 1
		for h.msg < len(b) && b[h.msg] == ' ' {
			h.msg++
		}
		return true
	case ' ':
		l := appLevelWord(word, false)
		if l == LevelUnknown {
			return false
		}
		k := j
		for k < len(b) && b[k] == ' ' {
			k++
		}
		if k < len(b) && b[k] == '[' {
			// Dropwizard
			end, ok := appParseISO(b[k+1:], &h.st)
			if !ok || k+1+end >= len(b) || b[k+1+end] != ']' {
				return false
			}
			h.stamp, h.level = true, l
			return p.afterLevel(b, k+1+end+1, h)
		}
		end, ok := appParseISO(b[k:], &h.st)
		if !ok {
			// Log4j "%p %c - %m": "ERROR com.example.App - NullPointerException"
			if mod, msg, ok := appLoggerDash(b, k); ok && bytes.IndexByte(b[mod[0]:mod[1]], '.') > 0 {
				h.level, h.mod, h.msg = l, mod, msg
				return true
			}
			return false
		}
		h.stamp, h.level = true, l
		i := k + end
		// Django verbose: "{module} {process:d} {thread:d} {message}"
		t0 := i + 1
		t1 := t0
		for t1 < len(b) && appIsNameByte(b[t1]) {
			t1++
		}
		p0 := t1 + 1
		p1 := p0
		for p1 < len(b) && b[p1] >= '0' && b[p1] <= '9' {
			p1++
		}
		if t1 > t0 && t1 < len(b) && b[t1] == ' ' && p1 > p0 && p1 < len(b) && b[p1] == ' ' {
			h.mod = [2]int{t0, t1}
			h.pid, _ = atoi(b[p0:p1])
			q := p1 + 1
			for q < len(b) && b[q] >= '0' && b[q] <= '9' {
				q++
			}
			if q < len(b) && b[q] == ' ' {
				q++
			}
			h.msg = q
			return true
		}
		h.msg = min(len(b), i+1)
		return true
	}
	return false
}

// appQuotedRequest reads `… "GET /path HTTP/1.1" 500 …` (uvicorn,
// django.server) at or after b[i:].
func appQuotedRequest(b []byte, i int, h *appHdr) {
	q := bytes.IndexByte(b[i:], '"')
	if q < 0 || q > 80 {
		return
	}
	q += i + 1
	e := bytes.IndexByte(b[q:], '"')
	if e < 0 {
		return
	}
	req := b[q : q+e]
	sp := bytes.IndexByte(req, ' ')
	if sp < 3 || !appIsMethod(req[:sp]) {
		return
	}
	rest := b[q+e+1:]
	if len(rest) < 4 || rest[0] != ' ' {
		return
	}
	n, ok := atoi(rest[1:4])
	if !ok || n < 100 || len(rest) > 4 && rest[4] != ' ' {
		return
	}
	h.status = n
	h.method = [2]int{q, q + sp}
	pe := bytes.LastIndexByte(req, ' ')
	if pe <= sp {
		pe = len(req)
	}
	h.path = [2]int{q + sp + 1, q + pe}
	// uvicorn: "127.0.0.1:51234 - "GET …"
	if c := bytes.Index(b[i:q], []byte(" - ")); c > 0 {
		h.client = [2]int{i, i + c}
	}
}

// uwsgiRequest reads uWSGI's request log line.
func (p *appTextParser) uwsgiRequest(b []byte, h *appHdr) bool {
	rb := bytes.IndexByte(b, ']')
	if rb < 0 || rb > 80 {
		return false
	}
	j := 6
	for j < rb && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	h.pid, _ = atoi(b[6:j])
	if j >= rb || b[j] != '|' || rb+2 >= len(b) {
		return false
	}
	i := rb + 2
	sp := bytes.IndexByte(b[i:], ' ')
	if sp <= 0 {
		return false
	}
	h.client = [2]int{i, i + sp}
	lb := bytes.Index(b[i:], []byte("} ["))
	if lb < 0 {
		return false
	}
	k := i + lb + 3
	end, ok := appCtime(b, k, &h.st)
	if !ok || end+2 >= len(b) || b[end] != ']' || b[end+1] != ' ' {
		return false
	}
	h.stamp, h.ctime = true, true
	k = end + 2
	sp = bytes.IndexByte(b[k:], ' ')
	if sp < 3 || !appIsMethod(b[k:k+sp]) {
		return false
	}
	h.method = [2]int{k, k + sp}
	arrow := bytes.Index(b[k:], []byte(" => generated "))
	if arrow < 0 {
		return false
	}
	h.path = [2]int{k + sp + 1, k + arrow}
	r := b[k+arrow+14:]
	n := 0
	for n < len(r) && r[n] >= '0' && r[n] <= '9' {
		n++
	}
	bts, _ := atoi(r[:n])
	h.bytes = int64(bts)
	if in := bytes.Index(r, []byte(" bytes in ")); in >= 0 {
		t := r[in+10:]
		e := 0
		for e < len(t) && t[e] >= '0' && t[e] <= '9' {
			e++
		}
		if ms, ok := atoi(t[:e]); ok {
			h.rt = float64(ms) / 1000
		}
	}
	if pr := bytes.Index(r, []byte(" (HTTP/")); pr >= 0 {
		t := r[pr+7:]
		s := bytes.IndexByte(t, ' ')
		if s > 0 && s+5 <= len(t) && t[s+4] == ')' {
			h.status, _ = atoi(t[s+1 : s+4])
		}
	}
	h.kind, h.next = ahRequest, atClosed
	h.level = LevelFromStatus(h.status)
	h.msg = len(b)
	return true
}

// appUWSGIPrefixes start uWSGI's own lines (besides "*** … ***").
var appUWSGIPrefixes = []string{
	"DAMN ! worker", "!!! ", "Respawned uWSGI", "spawned uWSGI", "HARAKIRI", "WSGI app ",
	"uWSGI ", "uwsgi_", "worker ", "SIGINT/SIGQUIT received", "SIGTERM received", "gracefully killing",
	"goodbye to uWSGI", "Gracefully killing worker", "announcing my loyalty", "Python main interpreter initialized",
	"python threads support enabled", "your processes number limit", "your memory page size", "detected max file descriptor",
	"lock engine:", "thunder lock:", "uwsgi socket ", "mapped ", "your server socket listen backlog",
	"Listen queue size is greater", "[uWSGI] getting ", "Operational MODE:", "*** Operational", "chdir() to",
	"setgid() to", "setuid() to", "writing pidfile to", "detected binary path:", "unable to load app",
	"--- no python application found", "no app loaded.", "ending the backlog", "Killing the harakiri",
	"compiled with version:", "os: Linux-", "nodename: ", "machine: ", "clock source:", "pcre jit disabled",
	"detected number of CPU cores:", "current working directory:", "Python version:", "your mercy for graceful",
	"building mime-types dictionary", "uWSGI http bound", "--- Python VM shutdown",
}

// appUWSGIFirst marks the first bytes of appUWSGIPrefixes.
var appUWSGIFirst = func() (set [256]bool) {
	for _, p := range appUWSGIPrefixes {
		set[p[0]] = true
	}
	return set
}()

// otherHeader: unstamped lines with their own positive shape: uWSGI's
// lines, trace starts (Traceback, panic:, goroutine, JS/Java errors,
// Node's and Ruby's crash headers).
func (p *appTextParser) otherHeader(b []byte, h *appHdr) bool {
	h.kind = ahLog
	if p.railsPlain(b, h) {
		return true
	}
	// uWSGI: "Fri Nov 20 14:02:10 2026 - message"
	if end, ok := appCtime(b, 0, &h.st); ok && len(b)-end > 3 && string(b[end:end+3]) == " - " {
		h.stamp, h.ctime = true, true
		h.msg = end + 3
		h.level = appUWSGILevel(b[h.msg:])
		h.next = atClosed
		return true
	}
	if appUWSGILine(b) {
		h.msg = 0
		h.level = appUWSGILevel(b)
		h.next = atClosed
		return true
	}
	if p.nodeWarning(b, h) {
		return true
	}
	h.kind = ahTrace
	h.level = LevelError
	h.msg = 0
	switch {
	case bytes.HasPrefix(b, []byte("Traceback (most recent call last):")):
		h.next = atPyFrames
		return true
	case bytes.HasPrefix(b, []byte("panic: ")), bytes.HasPrefix(b, []byte("fatal error: ")):
		h.level = LevelCrit
		h.next = atGo
		return true
	case appGoroutine(b):
		h.next = atGo
		return true
	case bytes.HasPrefix(b, []byte("Exception in thread ")):
		return true
	case bytes.HasPrefix(b, []byte("FATAL ERROR: ")), bytes.HasPrefix(b, []byte("<--- Last few GCs --->")):
		// Node's out-of-memory report
		h.level = LevelCrit
		h.next = atNode
		return true
	case bytes.HasPrefix(b, []byte("Uncaught ")), bytes.HasPrefix(b, []byte("UnhandledPromiseRejectionWarning: ")):
		h.next = atNode
		return true
	case appJSError(b):
		h.next = atNode
		return true
	case appQualifiedException(b):
		return true
	case appNodeCrashHeader(b):
		h.next = atNodeCrash
		return true
	case appRubyCrash(b):
		return true
	}
	return false
}

// nodeWarning reads Node's process warnings:
// "(node:764) [DEP0018] DeprecationWarning: Unhandled promise rejections
// are deprecated. …", "(node:12345) MaxListenersExceededWarning: …",
// "(node:12) UnhandledPromiseRejectionWarning: Error: …" (Node ≤ 14, with
// the error's frames after it).
func (p *appTextParser) nodeWarning(b []byte, h *appHdr) bool {
	if len(b) < 12 || string(b[:6]) != "(node:" {
		return false
	}
	k := 6
	for k < len(b) && b[k] >= '0' && b[k] <= '9' {
		k++
	}
	if k == 6 || k+1 >= len(b) || b[k] != ')' || b[k+1] != ' ' {
		return false
	}
	pid, _ := atoi(b[6:k])
	i := k + 2
	if i < len(b) && b[i] == '[' {
		rb := bytes.IndexByte(b[i:], ']')
		if rb < 2 || rb > 32 || i+rb+1 >= len(b) || b[i+rb+1] != ' ' {
			return false
		}
		h.code = [2]int{i + 1, i + rb}
		i += rb + 2
	}
	j := i
	for j < len(b) && (isAlnum(b[j]) || b[j] == '_') {
		j++
	}
	if j == i || j >= len(b) || b[j] != ':' {
		return false
	}
	h.kind, h.pid, h.msg, h.next = ahLog, pid, i, atNode
	h.level = LevelError
	if bytes.HasSuffix(b[i:j], []byte("Warning")) {
		h.level = LevelWarn
	}
	return true
}

// railsPlain reads the lines Rails writes without Logger's prefix
// (development.log, and production.log before Rails 5):
// "Started GET "/articles/1" for 127.0.0.1 at 2026-11-20 14:02:10 +0000",
// "Processing by ArticlesController#show as HTML" and "Completed 500
// Internal Server Error in 49ms (…)", whose level follows its status and
// after which the exception and its frames follow.
func (p *appTextParser) railsPlain(b []byte, h *appHdr) bool {
	switch {
	case bytes.HasPrefix(b, []byte("Started ")):
		appRailsRequest(b, h)
		at := bytes.LastIndex(b, []byte(" at "))
		if h.path[1] == 0 || at < 0 {
			return false
		}
		end, ok := appParseISO(b[at+4:], &h.st)
		if !ok || at+4+end != len(appTrimRightBytes(b)) {
			return false
		}
		h.stamp = true
	case bytes.HasPrefix(b, []byte("Processing by ")):
		k := bytes.Index(b, []byte(" as "))
		if k < 15 || bytes.IndexByte(b[14:k], '#') < 0 || bytes.IndexByte(b[14:k], ' ') >= 0 {
			return false
		}
		h.mod = [2]int{14, k}
	case bytes.HasPrefix(b, []byte("Completed ")):
		appRailsRequest(b, h)
		if h.status == 0 || !bytes.Contains(b, []byte(" in ")) {
			return false
		}
		h.level = LevelFromStatus(h.status)
		if h.status >= 500 {
			h.next = atRails
		}
	default:
		return false
	}
	h.msg = 0
	return true
}

// appUWSGILine reports uWSGI's own unstamped lines.
func appUWSGILine(b []byte) bool {
	if len(b) > 8 && string(b[:4]) == "*** " {
		t := appTrimRightBytes(b)
		return len(t) > 8 && string(t[len(t)-4:]) == " ***"
	}
	if !appUWSGIFirst[b[0]] {
		return false
	}
	for _, pre := range appUWSGIPrefixes {
		if len(b) >= len(pre) && string(b[:len(pre)]) == pre {
			if pre == "worker " || pre == "mapped " {
				// "worker 1 buried after 1 seconds", "mapped 145840 bytes (142 KB) for 1 cores"
				return bytes.Contains(b, []byte(" buried after ")) || bytes.Contains(b, []byte(" killed successfully")) ||
					bytes.Contains(b, []byte(" bytes (")) || bytes.Contains(b, []byte("(pid: "))
			}
			return true
		}
	}
	return false
}

// appUWSGILevel gives uWSGI's unleveled lines a level from their words.
func appUWSGILevel(m []byte) Level {
	switch {
	case bytes.HasPrefix(m, []byte("DAMN !")), bytes.HasPrefix(m, []byte("!!! ")), bytes.Contains(m, []byte("HARAKIRI ON")):
		return LevelError
	case bytes.Contains(m, []byte(" full !!!")), bytes.HasPrefix(m, []byte("*** WARNING")), bytes.HasPrefix(m, []byte("unable to load")),
		bytes.HasPrefix(m, []byte("--- no python application")):
		return LevelError
	case bytes.HasPrefix(m, []byte("HARAKIRI")):
		return LevelWarn
	}
	return LevelInfo
}

// appTrimRightBytes trims trailing spaces, tabs and carriage returns.
func appTrimRightBytes(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// appGoroutine reports "goroutine 1 [running]:" (and Go 1.21's
// "goroutine 1 gp=0x… m=0 mp=0x… [running]:").
func appGoroutine(b []byte) bool {
	if len(b) < 14 || string(b[:10]) != "goroutine " || b[10] < '0' || b[10] > '9' {
		return false
	}
	return bytes.IndexByte(b, '[') > 0 && bytes.HasSuffix(appTrimRightBytes(b), []byte(":"))
}

// appJSError reports "Error: msg", "TypeError: msg", "RangeError [ERR_X]:
// msg" and bare "Error" — an unqualified error class at the line start.
func appJSError(b []byte) bool {
	i := 0
	for i < len(b) && (isAlnum(b[i]) || b[i] == '_' || b[i] == '$') {
		i++
	}
	if i < 5 || b[0] < 'A' || b[0] > 'Z' {
		return false
	}
	name := b[:i]
	if !bytes.HasSuffix(name, []byte("Error")) && !bytes.HasSuffix(name, []byte("Exception")) {
		return false
	}
	if i == len(b) {
		return true
	}
	rest := b[i:]
	if rest[0] == ' ' && len(rest) > 1 && rest[1] == '[' {
		// Node: "Error [ERR_STREAM_WRITE_AFTER_END]: write after end"
		rb := bytes.IndexByte(rest, ']')
		if rb < 0 {
			return false
		}
		rest = rest[rb+1:]
	}
	return len(rest) > 0 && rest[0] == ':' && (len(rest) == 1 || rest[1] == ' ')
}

// appExceptionName reports an exception line: a class name (plain or
// qualified with '.', '::' or '\') followed by ": ", " (…)", or nothing.
// qualified requires at least one separator.
func appExceptionName(b []byte, qualified bool) bool {
	i, seps := 0, 0
	lastSeg := 0
	for i < len(b) {
		c := b[i]
		switch {
		case isAlnum(c) || c == '_' || c == '$':
			i++
		case c == '.' || c == '\\':
			seps++
			i++
			lastSeg = i
		case c == ':' && i+1 < len(b) && b[i+1] == ':':
			seps++
			i += 2
			lastSeg = i
		default:
			goto done
		}
	}
done:
	if i == 0 || !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z' || b[0] == '_') {
		return false
	}
	if qualified && seps == 0 {
		return false
	}
	if lastSeg >= i {
		return false
	}
	if i == len(b) {
		return true
	}
	rest := b[i:]
	switch {
	case rest[0] == ':' && (len(rest) == 1 || rest[1] == ' '):
		return true
	case rest[0] == ' ' && len(rest) > 1 && rest[1] == '(':
		// .NET "Npgsql.NpgsqlException (0x80004005): …", Ruby "… (ActiveRecord::…)"
		return bytes.Contains(rest, []byte("):"))
	}
	return false
}

// appQualifiedException reports Java/.NET/Python qualified exception lines
// whose class name says it is an error.
func appQualifiedException(b []byte) bool {
	if !appExceptionName(b, true) {
		return false
	}
	end := bytes.IndexAny(b, ": (")
	if end < 0 {
		end = len(b)
	}
	name := b[:end]
	return bytes.Contains(name, []byte("Exception")) || bytes.Contains(name, []byte("Error")) ||
		bytes.Contains(name, []byte("Throwable")) || bytes.Contains(name, []byte("Fault")) || bytes.Contains(name, []byte("Failure"))
}

// appNodeCrashHeader reports Node's "/app/server.js:12" or
// "node:internal/process/promises:288" crash-report header.
func appNodeCrashHeader(b []byte) bool {
	b = appTrimRightBytes(b)
	c := bytes.LastIndexByte(b, ':')
	if c <= 0 || !appIsDigits(b[c+1:]) || bytes.IndexByte(b[:c], ' ') >= 0 {
		return false
	}
	f := b[:c]
	return bytes.HasPrefix(f, []byte("node:")) || f[0] == '/' && (bytes.HasSuffix(f, []byte(".js")) ||
		bytes.HasSuffix(f, []byte(".mjs")) || bytes.HasSuffix(f, []byte(".cjs")) || bytes.HasSuffix(f, []byte(".ts")))
}

// appRubyCrash reports Ruby's "/app/x.rb:12:in `foo': message (Class)".
func appRubyCrash(b []byte) bool {
	return len(b) > 10 && b[0] == '/' && bytes.Contains(b, []byte(".rb:")) && bytes.Contains(b, []byte(":in ")) &&
		bytes.HasSuffix(appTrimRightBytes(b), []byte(")"))
}

// appGoFrameFunc reports a Go stack frame's function line:
// "main.main()", "net/http.(*conn).serve(0xc000…, {0x…})",
// "panic({0x6b2f40?, 0x8f0e30?})", "created by …".
func appGoFrameFunc(b []byte) bool {
	if bytes.HasPrefix(b, []byte("created by ")) {
		return true
	}
	op := bytes.IndexByte(b, '(')
	if op <= 0 || bytes.IndexByte(b[:op], ' ') >= 0 {
		return false
	}
	t := appTrimRightBytes(b)
	return t[len(t)-1] == ')' || bytes.HasSuffix(t, []byte("...)"))
}

// --- joining ------------------------------------------------------------

// Continues joins continuation lines on positive evidence (see
// appTextFormat) and tracks which kind of trace it is inside.
func (p *appTextParser) Continues(line []byte) bool {
	if len(appTrimRightBytes(line)) == 0 {
		if p.state == atNodeCrash {
			p.crash++
		}
		return p.state != atNone
	}
	if p.state != atNone && p.continuation(line) {
		return true
	}
	h := &p.hdr
	if p.header(line, h) {
		p.state = h.next
		p.errEnt = h.level >= LevelError
		p.crash = 0
		p.tagLen = 0
		if h.tag[1] > h.tag[0] && h.tag[1]-h.tag[0] <= len(p.tag) {
			p.tagLen = copy(p.tag[:], line[h.tag[0]:h.tag[1]])
		}
	} else {
		p.state = atNone
	}
	return false
}

// continuation decides a line that may continue the current entry.
func (p *appTextParser) continuation(b []byte) bool {
	if p.state == atClosed {
		return false
	}
	c := b[0]
	if c == ' ' || c == '\t' {
		t := bytes.TrimLeft(b, " \t")
		switch {
		case bytes.HasPrefix(t, []byte("File \"")):
			p.state = atPyFrames
		case p.state == atNodeCrash:
			p.crash++
		}
		return true
	}
	switch p.state {
	case atRuby:
		// Logger writes a multi-line message as it is: every line up to the
		// next "X, [" header belongs to the entry, except the tagged lines
		// of another request
		var h appHdr
		tagged := appRailsTagLine(b)
		if !tagged && !p.header(b, &h) {
			return true
		}
	case atRails:
		// "NameError (uninitialized constant X):", "app/x.rb:7:in `show'",
		// "app/views/layouts/application.html.erb:6:in `_app_views…'"
		if appExceptionName(b, false) {
			return true
		}
		if k := bytes.Index(b, []byte(":in `")); k > 0 && bytes.IndexByte(b[:k], ' ') < 0 {
			return true
		}
	case atPyFrames:
		if appExceptionName(b, false) {
			p.state = atPyDone
			return true
		}
	case atGo:
		if appGoroutine(b) || appGoFrameFunc(b) || bytes.HasPrefix(b, []byte("[signal ")) ||
			bytes.HasPrefix(b, []byte("exit status ")) || bytes.HasPrefix(b, []byte("...additional frames elided...")) {
			return true
		}
	case atNodeCrash:
		p.crash++
		// after the source line and its caret, the error: "Error: …",
		// "UnhandledPromiseRejection: …", "[UnhandledPromiseRejection: …] {"
		if appJSError(b) || appQualifiedException(b) || p.crash > 2 && (appExceptionName(b, false) ||
			b[0] == '[' && appExceptionName(b[1:], false)) {
			p.state = atNode
			return true
		}
		if p.crash <= 2 {
			return true // the source line and the caret under it
		}
	case atNode, atUnknown:
		t := appTrimRightBytes(b)
		if string(t) == "}" || string(t) == "]" || bytes.HasPrefix(b, []byte("Node.js v")) ||
			bytes.HasPrefix(b, []byte("<--- ")) || bytes.HasPrefix(b, []byte("FATAL ERROR: ")) ||
			bytes.HasPrefix(b, []byte("----- ")) || len(b) > 4 && b[0] == '[' && bytes.Contains(b[:min(len(b), 12)], []byte(":0x")) {
			return true
		}
	}
	switch {
	case p.state == atUnknown && p.tagLen == 0 && appRailsTagLine(b):
		// the first entry's Rails tag, which the joiner could not see
		p.tagLen = copy(p.tag[:], b[:bytes.IndexByte(b, ']')+1])
		return true
	case bytes.HasPrefix(b, []byte("Traceback (most recent call last):")):
		if p.state == atHeader || p.state == atPyChain || p.state == atUnknown {
			p.state = atPyFrames
			return true
		}
		return false
	case bytes.HasPrefix(b, []byte("During handling of the above exception")),
		bytes.HasPrefix(b, []byte("The above exception was the direct cause")):
		p.state = atPyChain
		return true
	case appGoroutine(b):
		p.state = atGo
		return true
	case bytes.HasPrefix(b, []byte("Caused by: ")), bytes.HasPrefix(b, []byte("Caused by ")),
		bytes.HasPrefix(b, []byte("Suppressed: ")), bytes.HasPrefix(b, []byte("Wrapped by: ")),
		bytes.HasPrefix(b, []byte("Stack trace:")), bytes.HasPrefix(b, []byte("[stacktrace]")),
		bytes.HasPrefix(b, []byte("[previous exception] ")), bytes.HasPrefix(b, []byte(`"}`)),
		bytes.HasPrefix(b, []byte("--- End of ")), bytes.HasPrefix(b, []byte("Next ")) && appQualifiedException(b[5:]):
		return true
	case c == '#' && len(b) > 2 && b[1] >= '0' && b[1] <= '9':
		i := 1
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i < len(b) && b[i] == ' '
	case appQualifiedException(b):
		return true
	case p.errEnt && p.state == atHeader && appJSError(b):
		// the exception an error line reports, on the line after it:
		// "[…] [ERROR] Exception in worker process" / "UnboundLocalError: …",
		// "… error: request failed" / "Error: connect ECONNREFUSED …" and
		// its frames and {props}
		p.state = atNode
		return true
	case p.tagLen > 0 && len(b) > p.tagLen && string(b[:p.tagLen]) == string(p.tag[:p.tagLen]) && b[p.tagLen] == ' ':
		return true
	}
	return false
}

// appRailsTagLine reports a line that starts with a request-id tag:
// "[8f5f0f1a-5a5b-4c5e-9d5a-1b2c3d4e5f60] …".
func appRailsTagLine(b []byte) bool {
	if len(b) < 12 || b[0] != '[' {
		return false
	}
	rb := bytes.IndexByte(b, ']')
	if rb < 9 || rb > 78 || rb+1 >= len(b) || b[rb+1] != ' ' {
		return false
	}
	for _, c := range b[1:rb] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-') {
			return false
		}
	}
	return true
}

// --- parsing --------------------------------------------------------------

// Parse reads one entry: its first line is a header, the rest joined
// continuation lines that become part of Message.
func (p *appTextParser) Parse(b []byte, ev *Event) bool {
	ev.RequestTime, ev.UpstreamTime = -1, -1
	first := b
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		first = b[:nl]
	}
	first = bytes.TrimSuffix(first, []byte("\r"))
	var h appHdr
	if !p.header(first, &h) {
		return false
	}
	if h.noYear {
		h.st.y = p.clock.Year(h.st.mo, h.st.d)
	}
	if h.stamp && !appSetTime(&h.st, p.clock, ev) {
		return false
	}
	ev.Level, ev.PID = h.level, h.pid
	if h.code[1] > h.code[0] {
		ev.Code = str(first[h.code[0]:h.code[1]])
	}
	if h.mod[1] > h.mod[0] {
		ev.Module = str(first[h.mod[0]:h.mod[1]])
	}
	if h.status != 0 {
		ev.Status = h.status
	}
	if h.method[1] > h.method[0] {
		ev.Method = str(first[h.method[0]:h.method[1]])
	}
	if h.path[1] > h.path[0] {
		ev.Path = str(first[h.path[0]:h.path[1]])
	}
	if h.client[1] > h.client[0] {
		ev.Client = str(first[h.client[0]:h.client[1]])
	}
	ev.Bytes = h.bytes
	if h.rt >= 0 {
		ev.RequestTime = h.rt
	}
	if h.tag[1] > h.tag[0] {
		ev.Fields = p.arena.putFields([]Field{{"tags", str(first[h.tag[0]:h.tag[1]])}})
	}
	if h.kind == ahRequest && h.msg >= len(first) {
		ev.Message = ""
		if len(first) < len(b) {
			ev.Message = str(appTrimRightBytes(bytes.TrimRight(b[len(first)+1:], "\n \t\r")))
		}
		return true
	}
	msg := bytes.Trim(b[min(h.msg, len(b)):], "\n \t\r")
	ev.Message = str(msg)
	if ev.Level == LevelUnknown && len(first) < len(b) && bytes.Contains(b[len(first):], []byte("\ngoroutine ")) {
		ev.Level = LevelError // Go's log line followed by a goroutine dump
	}
	return true
}
