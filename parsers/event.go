// Package parsers reads web-stack logs and turns every entry into an Event.
//
// It owns everything between a path on the command line and a stream of
// Events in UTC: expanding files, directories, globs and stdin; gzip and
// rotated files; line framing without a length limit; container and journald
// wrappers; joining multi-line entries (stack traces); detecting each input's
// format; one hand-written parser per format; and resolving every timestamp
// to one clock. It imports no other faultline package.
package parsers

import (
	"strings"
	"time"
)

// Level is the severity of an entry, ordered so that a larger value is more
// severe: ev.Level >= LevelError selects errors and worse.
type Level uint8

// Severity levels, from syslog's eight plus "unknown" (no level stated).
const (
	LevelUnknown Level = iota
	LevelDebug
	LevelInfo
	LevelNotice
	LevelWarn
	LevelError
	LevelCrit
	LevelAlert
	LevelEmerg
)

var levelNames = [...]string{"", "debug", "info", "notice", "warn", "error", "crit", "alert", "emerg"}

// String returns the level's canonical lower-case name ("" for unknown).
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return ""
}

// MarshalText encodes the level as its name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// ParseLevel maps the many spellings servers and runtimes use (ERR, Warning,
// FATAL, E, crit, panic, 50 …) to a Level. Unknown spellings give LevelUnknown.
func ParseLevel(s string) Level {
	if len(s) > 16 {
		return LevelUnknown
	}
	var buf [16]byte
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	switch string(b) {
	case "trace", "debug", "dbug", "d", "debug1", "debug2", "debug3", "debug4", "debug5", "verbose", "finest", "finer", "fine", "10", "7":
		return LevelDebug
	case "info", "information", "informational", "inf", "i", "log", "20", "30", "6", "config", "success":
		return LevelInfo
	case "notice", "note", "n", "5":
		return LevelNotice
	case "warn", "warning", "wrn", "w", "40", "4":
		return LevelWarn
	case "error", "err", "eror", "e", "severe", "50", "3", "fail", "failure", "exception":
		return LevelError
	case "crit", "critical", "crt", "fatal", "f", "60", "2", "dpanic":
		return LevelCrit
	case "alert", "alrt", "a", "1", "panic":
		return LevelAlert
	case "emerg", "emergency", "emrg", "0":
		return LevelEmerg
	}
	return LevelUnknown
}

// LevelFromStatus is the level given to an access-log line: 5xx are errors,
// 4xx warnings, the rest info.
func LevelFromStatus(status int) Level {
	switch {
	case status >= 500:
		return LevelError
	case status >= 400:
		return LevelWarn
	case status > 0:
		return LevelInfo
	}
	return LevelUnknown
}

// Field is an extra key/value an entry carries beyond the fixed Event fields
// (JSON and logfmt keys, an exception class, a container name …).
type Field struct {
	Key   string
	Value string
}

// Event is one log entry: one line, or several joined lines for stack traces
// and multi-line messages. Zero values mean "not stated in the entry".
//
// The strings and Raw of an Event produced by a Decoder share one immutable
// block of memory with neighbouring events; they stay valid forever, but a
// retained Event keeps that block alive. Call Clone before keeping an Event
// for long (evidence samples do).
type Event struct {
	// Time is the entry's timestamp in UTC; zero when the entry has none.
	Time time.Time
	// TimeKnownZone is true when the entry stated its own offset or zone;
	// false when the zone was assumed (see Clock).
	TimeKnownZone bool
	// ZoneOffset is the entry's own UTC offset in seconds east, valid when
	// TimeKnownZone is set and TimeEpoch is not (access logs teach the run
	// its zone this way).
	ZoneOffset int32
	// TimeEpoch is set when the stamp was a Unix time (Nginx $msec, Apache
	// %{sec}t, epoch numbers in JSON): an exact instant, so TimeKnownZone
	// is set too (no zone was assumed), but the entry stated no offset and
	// ZoneOffset teaches the run nothing.
	TimeEpoch bool

	Source string // path as given, or "-" for stdin
	Line   int64  // 1-based line number of the entry's first line
	Offset int64  // byte offset of the entry's first line in the (decompressed) input
	Format string // a format id, e.g. "nginx-error"
	Level  Level

	// Access-log fields.
	Status         int
	Method         string
	Path           string
	Protocol       string
	Host           string
	Client         string
	Bytes          int64
	RequestTime    float64 // seconds; negative when not logged
	UpstreamTime   float64 // seconds; negative when not logged (or "-")
	Upstream       string  // upstream address, or "upstream: …" of an error line
	UpstreamStatus string
	Referer        string
	UserAgent      string

	// Error-log fields.
	PID     int
	TID     int64
	Module  string // Apache module, PHP-FPM pool, syslog program, logger name
	Code    string // AH01102, SQLSTATE[HY000], errno …
	Request string // request line quoted in an error entry
	Conn    int64  // Nginx connection id (*4)

	// Message is the human text of the entry (for access lines, empty).
	Message string
	// Raw is the whole entry as read (joined lines separated by '\n',
	// wrappers such as "web_1  | " removed). Do not modify it.
	Raw []byte
	// Fields holds extra key/values (JSON, logfmt, wrapper metadata).
	Fields []Field
	// Truncated is set when a line of the entry exceeded MaxLineBytes and was cut.
	Truncated bool
}

// Field returns the value of the extra field key, or "".
func (e *Event) Field(key string) string {
	for _, f := range e.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// Text is what rules match against: the message for error and application
// entries, the raw entry otherwise.
func (e *Event) Text() string {
	if e.Message != "" {
		return e.Message
	}
	return string(e.Raw)
}

// Clone returns a copy of e that shares no memory with the block e was
// decoded into, so that keeping it does not pin neighbouring events.
func (e *Event) Clone() Event {
	c := *e
	c.Raw = append([]byte(nil), e.Raw...)
	// strings.Clone on every string field detaches them from the block.
	c.Source = strings.Clone(e.Source)
	c.Method = strings.Clone(e.Method)
	c.Path = strings.Clone(e.Path)
	c.Protocol = strings.Clone(e.Protocol)
	c.Host = strings.Clone(e.Host)
	c.Client = strings.Clone(e.Client)
	c.Upstream = strings.Clone(e.Upstream)
	c.UpstreamStatus = strings.Clone(e.UpstreamStatus)
	c.Referer = strings.Clone(e.Referer)
	c.UserAgent = strings.Clone(e.UserAgent)
	c.Module = strings.Clone(e.Module)
	c.Code = strings.Clone(e.Code)
	c.Request = strings.Clone(e.Request)
	c.Message = strings.Clone(e.Message)
	if e.Fields != nil {
		c.Fields = make([]Field, len(e.Fields))
		for i, f := range e.Fields {
			c.Fields[i] = Field{strings.Clone(f.Key), strings.Clone(f.Value)}
		}
	}
	return c
}
