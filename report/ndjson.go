package report

import (
	"io"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// NDJSON (DESIGN §5): one JSON object per line, built by hand because tail
// writes one per finding. A finding's object has the fixed keys time
// (omitted when the entry has none), source, line, format, kind, cause,
// rule, layer, status, upstream and message; then client, host, pid,
// request, path and method when the entry states them; then the rule's
// extracted fields as top-level keys, or under "fields" when a key is
// taken. A symptom (a 5xx response) has kind "symptom", layer "status", its
// status and the request's method, path, host, client, upstream and
// request_time when logged, and no cause.

// ndjsonReserved are the keys the writers may set themselves.
var ndjsonReserved = map[string]bool{
	"time": true, "source": true, "line": true, "format": true, "kind": true, "cause": true,
	"rule": true, "layer": true, "status": true, "upstream": true, "message": true,
	"client": true, "host": true, "pid": true, "request": true, "path": true, "method": true,
	"request_time": true, "upstream_time": true, "upstream_status": true, "fields": true,
}

var ndjsonBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// WriteFindingNDJSON writes one finding as one line of JSON.
func WriteFindingNDJSON(w io.Writer, f *rules.Finding) error {
	bp := ndjsonBufs.Get().(*[]byte)
	b := appendFindingJSON((*bp)[:0], f)
	_, err := w.Write(b)
	*bp = b
	ndjsonBufs.Put(bp)
	return err
}

// WriteSymptomNDJSON writes one 5xx response as one line of JSON.
func WriteSymptomNDJSON(w io.Writer, ev *parsers.Event) error {
	bp := ndjsonBufs.Get().(*[]byte)
	b := appendSymptomJSON((*bp)[:0], ev)
	_, err := w.Write(b)
	*bp = b
	ndjsonBufs.Put(bp)
	return err
}

// ndAppendHead writes "{" and the time, source, line and format keys.
func ndAppendHead(b []byte, ev *parsers.Event) []byte {
	b = append(b, '{')
	if !ev.Time.IsZero() {
		b = append(b, `"time":"`...)
		b = ev.Time.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, `"source":`...)
	b = ndAppendString(b, ev.Source)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, ev.Line, 10)
	format := ev.Format
	if format == "" {
		format = "unparsed"
	}
	b = append(b, `,"format":`...)
	return ndAppendString(b, format)
}

func ndKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// ndFinding builds one finding's line, remembering the keys written.
type ndFinding struct {
	b       []byte
	f       *rules.Finding
	written [10]parsers.Field
	n       int
}

func (o *ndFinding) str(key, v string) {
	o.written[o.n] = parsers.Field{Key: key, Value: v}
	o.n++
	o.b = ndAppendString(ndKey(o.b, key), v)
}

// opt writes an optional key: the entry's value, else the value the rule
// extracted under that name, else nothing.
func (o *ndFinding) opt(key, v string) {
	if v == "" {
		if v = o.f.Field(key); v == "" {
			return
		}
	}
	o.str(key, v)
}

func (o *ndFinding) has(key, v string) bool {
	for _, w := range o.written[:o.n] {
		if w.Key == key && w.Value == v {
			return true
		}
	}
	return false
}

func appendFindingJSON(b []byte, f *rules.Finding) []byte {
	ev := f.Event
	if ev == nil {
		ev = &parsers.Event{}
	}
	o := ndFinding{b: ndAppendHead(b, ev), f: f}
	o.b = ndAppendString(ndKey(o.b, "kind"), string(f.Kind))
	o.b = ndAppendString(ndKey(o.b, "cause"), f.Cause)
	o.b = ndAppendString(ndKey(o.b, "rule"), f.Rule)
	o.b = ndAppendString(ndKey(o.b, "layer"), string(f.Layer))
	o.b = strconv.AppendInt(ndKey(o.b, "status"), int64(ev.Status), 10)
	upstream := ev.Upstream
	if upstream == "" {
		upstream = f.Field("upstream")
	}
	o.str("upstream", upstream)
	msg := ev.Message
	if msg == "" {
		msg = string(ev.Raw)
	}
	o.str("message", msg)
	o.opt("client", ev.Client)
	o.opt("host", ev.Host)
	switch pid := f.Field("pid"); {
	case ev.PID != 0:
		o.written[o.n] = parsers.Field{Key: "pid", Value: strconv.Itoa(ev.PID)}
		o.n++
		o.b = strconv.AppendInt(ndKey(o.b, "pid"), int64(ev.PID), 10)
	case ndDigits(pid) && len(pid) < 16:
		o.written[o.n] = parsers.Field{Key: "pid", Value: pid}
		o.n++
		o.b = append(ndKey(o.b, "pid"), pid...)
	}
	o.opt("request", ev.Request)
	o.opt("path", ev.Path)
	o.opt("method", ev.Method)

	// the other extracted fields: top level when the key is free, else
	// under "fields"
	nested := 0
	for i, kv := range f.Fields {
		if kv.Key == "" || o.has(kv.Key, kv.Value) {
			continue
		}
		if ndjsonReserved[kv.Key] || ndSeen(f.Fields[:i], kv.Key) {
			nested++
			continue
		}
		o.b = append(o.b, ',')
		o.b = ndAppendString(o.b, kv.Key)
		o.b = append(o.b, ':')
		o.b = ndAppendString(o.b, kv.Value)
	}
	if nested > 0 {
		o.b = append(ndKey(o.b, "fields"), '{')
		first := true
		for i, kv := range f.Fields {
			if kv.Key == "" || o.has(kv.Key, kv.Value) || !ndjsonReserved[kv.Key] && !ndSeen(f.Fields[:i], kv.Key) {
				continue
			}
			if !first {
				o.b = append(o.b, ',')
			}
			first = false
			o.b = ndAppendString(o.b, kv.Key)
			o.b = append(o.b, ':')
			o.b = ndAppendString(o.b, kv.Value)
		}
		o.b = append(o.b, '}')
	}
	return append(o.b, '}', '\n')
}

func appendSymptomJSON(b []byte, ev *parsers.Event) []byte {
	b = ndAppendHead(b, ev)
	b = append(b, `,"kind":"symptom","layer":"status"`...)
	b = strconv.AppendInt(ndKey(b, "status"), int64(ev.Status), 10)
	for _, kv := range [...]parsers.Field{
		{Key: "method", Value: ev.Method}, {Key: "path", Value: ev.Path}, {Key: "host", Value: ev.Host},
		{Key: "client", Value: ev.Client}, {Key: "upstream", Value: ev.Upstream}, {Key: "upstream_status", Value: ev.UpstreamStatus},
	} {
		if kv.Value != "" {
			b = ndAppendString(ndKey(b, kv.Key), kv.Value)
		}
	}
	if ev.RequestTime >= 0 && !math.IsInf(ev.RequestTime, 0) {
		b = strconv.AppendFloat(ndKey(b, "request_time"), ev.RequestTime, 'f', -1, 64)
	}
	if ev.UpstreamTime >= 0 && !math.IsInf(ev.UpstreamTime, 0) && ev.Upstream != "" {
		b = strconv.AppendFloat(ndKey(b, "upstream_time"), ev.UpstreamTime, 'f', -1, 64)
	}
	if ev.Message != "" {
		b = ndAppendString(ndKey(b, "message"), ev.Message)
	}
	return append(b, '}', '\n')
}

// ndSeen reports whether key occurs in fields.
func ndSeen(fields []parsers.Field, key string) bool {
	for _, f := range fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

func ndDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and
// U+2029 escaped (as encoding/json does); HTML characters are kept.
func ndAppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', sanHex[c>>4], sanHex[c&15])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', sanHex[r&15])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
