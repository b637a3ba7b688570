package parsers

import (
	"bytes"
	"time"
)

// accessJSONParser reads access lines written as one JSON object per line:
// Nginx `log_format … escape=json '{…}'` (and the same shape from Apache
// LogFormat or a proxy). It is a small hand-written scanner: it walks the
// object once, decodes only the values of keys it knows, and keeps nothing
// else. Nested objects ({"@nginx_fields":{"status":200,…}}) are walked
// too and matched by their innermost key.
//
// Recognised keys (values may be strings or numbers):
//
//	time        time_local, time_iso8601, @timestamp, timestamp, time, msec,
//	            ts, log_time, datetime, access_time — CLF, RFC 3339 or Unix seconds
//	client      remote_addr, client, clientip, client_ip, remote_ip, ip,
//	            remote_address, address
//	request     request, request_line; request_method/method;
//	            request_uri/uri/url/path; server_protocol/protocol
//	status      status, http_status, status_code, response_code, response_status
//	bytes       body_bytes_sent, bytes_sent, size, bytes
//	durations   request_time, responsetime, response_time, req_time, rt, duration,
//	            request_duration;
//	            upstream_response_time, upstreamtime, upstream_time, urt
//	upstream    upstream_addr, upstreamhost, upstreamaddr, ups_addr, upstream;
//	            upstream_status, upstreamstatus, ups_status; ups_time
//	host        http_host, host, server_name, domain, domain_http_host, vhost
//	referer     http_referer, http_referrer, referer, referrer
//	user agent  http_user_agent, user_agent, agent, useragent, ua
//	fields      http_x_forwarded_for (as x_forwarded_for), request_id
//
// A line must be an object with a status and a request (or method and
// path), and at least one key an access log writes (remote_addr,
// request_time …). Objects with "level" and "msg"/"message" are
// application logs and are left to app-json.
type accessJSONParser struct {
	clock *Clock
	stamp timeStampCache
}

// Key ids of the access JSON keys.
const (
	ajNone = iota
	ajTime
	ajClient
	ajRequest
	ajMethod
	ajURI  // request_uri: path with query, preferred
	ajPath // uri, path, url
	ajProto
	ajStatus
	ajBodyBytes
	ajBytes
	ajRT
	ajURT
	ajUpstream
	ajUpstreamStatus
	ajHost       // http_host, host
	ajServerName // server_name, domain, vhost
	ajReferer
	ajUA
	ajXFF
	ajRequestID
	ajLevel
	ajMsg
	ajAccessHint // a key only access logs have, otherwise unused
)

// accessJSONKey maps a key to its id. Keys that also mark a line as an
// access log set hint.
func accessJSONKey(k []byte) (id int, hint bool) {
	switch string(k) {
	case "time_local", "time_iso8601", "msec":
		return ajTime, true
	case "@timestamp", "timestamp", "time", "ts", "log_time", "datetime", "access_time":
		return ajTime, false
	case "remote_addr":
		return ajClient, true
	case "client", "clientip", "client_ip", "remote_ip", "ip", "remote_address", "address":
		return ajClient, false
	case "request", "request_line":
		return ajRequest, false
	case "request_method":
		return ajMethod, true
	case "method":
		return ajMethod, false
	case "request_uri":
		return ajURI, true
	case "uri", "url", "path", "document_uri":
		return ajPath, false
	case "server_protocol":
		return ajProto, true
	case "protocol":
		return ajProto, false
	case "status", "http_status", "status_code", "response_code", "response_status":
		return ajStatus, false
	case "body_bytes_sent":
		return ajBodyBytes, true
	case "bytes_sent":
		return ajBytes, true
	case "size", "bytes":
		return ajBytes, false
	case "request_time":
		return ajRT, true
	case "responsetime", "response_time", "req_time", "rt", "duration", "request_duration":
		return ajRT, false
	case "upstream_response_time":
		return ajURT, true
	case "upstreamtime", "upstream_time", "urt":
		return ajURT, false
	case "ups_time":
		return ajURT, true
	case "upstream_addr":
		return ajUpstream, true
	case "upstreamhost", "upstreamaddr", "upstream":
		return ajUpstream, false
	case "ups_addr":
		return ajUpstream, true
	case "upstream_status":
		return ajUpstreamStatus, true
	case "upstreamstatus":
		return ajUpstreamStatus, false
	case "ups_status":
		return ajUpstreamStatus, true
	case "http_host":
		return ajHost, true
	case "host":
		return ajHost, false
	case "server_name":
		return ajServerName, true
	case "domain", "vhost", "domain_http_host":
		return ajServerName, false
	case "http_referer", "http_referrer":
		return ajReferer, true
	case "referer", "referrer":
		return ajReferer, false
	case "http_user_agent":
		return ajUA, true
	case "user_agent", "agent", "useragent", "ua":
		return ajUA, false
	case "http_x_forwarded_for":
		return ajXFF, true
	case "request_id":
		return ajRequestID, false
	case "level", "severity", "lvl":
		return ajLevel, false
	case "msg", "message":
		return ajMsg, false
	case "remote_user", "request_length", "upstream_connect_time", "upstream_header_time",
		"upstream_cache_status", "server_addr", "server_port", "scheme", "realip_remote_addr",
		"request_body", "req_body", "body_bytes", "ssl_protocol", "ssl_cipher", "gzip_ratio":
		return ajAccessHint, true
	}
	return ajNone, false
}

// accessJSONState collects one line's values while the object is walked.
type accessJSONState struct {
	hint, level, msg bool
	haveStatus       bool
	request          []byte
	uri, path        []byte
	bodyBytes, bytes int64
	haveBody         bool
	haveBytes        bool
	host, server     string
	timeSet          bool
	xff, reqID       string
}

// Parse reads one JSON access line.
func (p *accessJSONParser) Parse(b []byte, ev *Event) bool {
	i := ajSkipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	var st accessJSONState
	ev.RequestTime, ev.UpstreamTime = -1, -1
	end, ok := p.object(b, i, ev, &st, 0)
	if !ok || ajSkipWS(b, end) != len(b) {
		return false
	}
	if !st.haveStatus || ev.Status < 100 || ev.Status > 999 || !st.hint || st.level && st.msg {
		return false
	}
	if st.request != nil {
		setRequest(ev, st.request)
	}
	if ev.Path == "" {
		if st.uri != nil {
			ev.Path = str(st.uri)
		} else if st.path != nil {
			ev.Path = str(st.path)
		}
	}
	if ev.Path == "" && ev.Method == "" && st.request == nil {
		return false
	}
	if st.haveBody {
		ev.Bytes = st.bodyBytes
	} else if st.haveBytes {
		ev.Bytes = st.bytes
	}
	// a "host" key that holds an IP ($server_addr) yields to a name
	if st.host != "" && !(st.server != "" && accessIPList([]byte(st.host))) {
		ev.Host = st.host
	} else {
		ev.Host = st.server
	}
	ev.Level = LevelFromStatus(ev.Status)
	if st.xff != "" || st.reqID != "" {
		ev.Fields = make([]Field, 0, 2)
		if st.xff != "" {
			ev.Fields = append(ev.Fields, Field{"x_forwarded_for", st.xff})
		}
		if st.reqID != "" {
			ev.Fields = append(ev.Fields, Field{"request_id", st.reqID})
		}
	}
	return true
}

// object walks the object that starts at b[i] ('{') and returns the index
// after its closing brace.
func (p *accessJSONParser) object(b []byte, i int, ev *Event, st *accessJSONState, depth int) (int, bool) {
	if depth > 8 {
		return i, false
	}
	i = ajSkipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for i < len(b) {
		if b[i] != '"' {
			return i, false
		}
		key, _, end, ok := ajString(b, i)
		if !ok {
			return i, false
		}
		i = ajSkipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return i, false
		}
		i = ajSkipWS(b, i+1)
		if i >= len(b) {
			return i, false
		}
		switch b[i] {
		case '{':
			end, ok = p.object(b, i, ev, st, depth+1)
		case '[':
			end, ok = ajSkipArray(b, i)
		case '"':
			var val []byte
			var esc bool
			val, esc, end, ok = ajString(b, i)
			if ok {
				p.set(ev, st, key, val, esc, true)
			}
		default:
			// a bare value: a number, true/false/null, or what Nginx writes
			// for an unquoted variable ("-", "0.001, 0.002"): it ends at
			// a comma before the next key, or at the closing brace
			end = i
			for end < len(b) && b[end] != '}' && b[end] != ']' {
				if b[end] == ',' {
					if k := ajSkipWS(b, end+1); k < len(b) && b[k] == '"' {
						break
					}
				}
				end++
			}
			val := trimSpace(b[i:end])
			ok = len(val) > 0
			if ok {
				p.set(ev, st, key, val, false, false)
			}
		}
		if !ok {
			return i, false
		}
		i = ajSkipWS(b, end)
		if i >= len(b) {
			return i, false
		}
		if b[i] == '}' {
			return i + 1, true
		}
		if b[i] != ',' {
			return i, false
		}
		i = ajSkipWS(b, i+1)
	}
	return i, false
}

// set stores one scalar value. esc is true when a string value holds
// backslash escapes, which are then decoded (the only allocation).
func (p *accessJSONParser) set(ev *Event, st *accessJSONState, key, val []byte, esc, isString bool) {
	id, hint := accessJSONKey(key)
	if hint {
		st.hint = true
	}
	if id == ajNone || id == ajAccessHint {
		return
	}
	if !isString && len(val) == 4 && string(val) == "null" {
		return
	}
	if esc {
		val = ajUnescape(val)
	}
	switch id {
	case ajLevel:
		st.level = true
	case ajMsg:
		st.msg = true
	case ajTime:
		if !st.timeSet && p.setTime(ev, val) {
			st.timeSet = true
		}
	case ajClient:
		if ev.Client == "" {
			ev.Client = dash(val)
		}
	case ajRequest:
		if st.request == nil && len(val) > 0 {
			st.request = val
		}
	case ajMethod:
		if ev.Method == "" {
			ev.Method = dash(val)
		}
	case ajURI:
		if len(val) > 0 && !(len(val) == 1 && val[0] == '-') {
			st.uri = val
		}
	case ajPath:
		if st.path == nil && len(val) > 0 && !(len(val) == 1 && val[0] == '-') {
			st.path = val
		}
	case ajProto:
		if ev.Protocol == "" {
			ev.Protocol = dash(val)
		}
	case ajStatus:
		if n, ok := atoi(val); ok && !st.haveStatus {
			ev.Status, st.haveStatus = n, true
		}
	case ajBodyBytes:
		if n, ok := atoi(val); ok {
			st.bodyBytes, st.haveBody = int64(n), true
		}
	case ajBytes:
		if n, ok := atoi(val); ok && !st.haveBytes {
			st.bytes, st.haveBytes = int64(n), true
		}
	case ajRT:
		if ev.RequestTime < 0 {
			ev.RequestTime = parseSeconds(val)
		}
	case ajURT:
		if ev.UpstreamTime < 0 {
			ev.UpstreamTime = parseSeconds(val)
		}
	case ajUpstream:
		if ev.Upstream == "" {
			ev.Upstream = dash(val)
		}
	case ajUpstreamStatus:
		if ev.UpstreamStatus == "" {
			ev.UpstreamStatus = dash(val)
		}
	case ajHost:
		if st.host == "" {
			st.host = dash(val)
		}
	case ajServerName:
		if st.server == "" && !(len(val) == 1 && val[0] == '_') {
			st.server = dash(val)
		}
	case ajReferer:
		if ev.Referer == "" {
			ev.Referer = dash(val)
		}
	case ajUA:
		if ev.UserAgent == "" {
			ev.UserAgent = dash(val)
		}
	case ajXFF:
		st.xff = dash(val)
	case ajRequestID:
		st.reqID = dash(val)
	}
}

// setTime parses a CLF stamp ("20/Nov/2026:14:02:11 +0100"), an RFC 3339
// stamp ("2026-11-20T14:02:11+01:00") or Unix seconds ("1763647331.123").
func (p *accessJSONParser) setTime(ev *Event, v []byte) bool {
	if len(v) >= 20 && v[2] == '/' {
		t, off, ok := p.stamp.parseCLFTime(v)
		if ok {
			ev.Time, ev.TimeKnownZone, ev.ZoneOffset = t, true, off
		}
		return ok
	}
	if len(v) >= 20 && v[4] == '-' {
		t, off, end, ok := parseRFC3339(v)
		if ok && end == len(v) {
			ev.Time, ev.TimeKnownZone, ev.ZoneOffset = t, true, int32(off)
			return true
		}
		return false
	}
	if t, ok := accessEpoch(v); ok {
		// An epoch is an exact instant: no zone is assumed, and none is
		// stated to teach the run.
		ev.Time, ev.TimeKnownZone, ev.TimeEpoch = t, true, true
		return true
	}
	return false
}

// accessEpoch parses Unix seconds with an optional fraction
// ("1763647331.123"); 13-digit values are milliseconds, 16-digit
// microseconds. Values before 2000 are refused.
func accessEpoch(v []byte) (time.Time, bool) {
	dot := bytes.IndexByte(v, '.')
	ip := v
	var frac []byte
	if dot >= 0 {
		ip, frac = v[:dot], v[dot+1:]
		if !isDigits(frac) {
			return time.Time{}, false
		}
	}
	n, ok := atoi(ip)
	if !ok {
		return time.Time{}, false
	}
	var sec, nsec int64
	switch {
	case len(ip) == 10:
		sec = int64(n)
		ns, _ := fraction(frac, 0)
		nsec = int64(ns)
	case len(ip) == 13 && frac == nil:
		sec, nsec = int64(n)/1000, int64(n)%1000*1e6
	case len(ip) == 16 && frac == nil:
		sec, nsec = int64(n)/1e6, int64(n)%1e6*1e3
	default:
		return time.Time{}, false
	}
	if sec < 946684800 {
		return time.Time{}, false
	}
	return time.Unix(sec, nsec).UTC(), true
}

// ajSkipWS skips JSON white space from b[i].
func ajSkipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// ajString returns the raw content of the string at b[i] ('"'), whether
// it holds escapes, and the index after the closing quote.
func ajString(b []byte, i int) (val []byte, esc bool, end int, ok bool) {
	j := i + 1
	for j < len(b) {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return nil, false, i, false
		}
		if !esc && bytes.IndexByte(b[j:j+k], '\\') >= 0 {
			esc = true
		}
		j += k
		bs := 0
		for m := j - 1; m > i && b[m] == '\\'; m-- {
			bs++
		}
		if bs%2 == 0 {
			return b[i+1 : j], esc, j + 1, true
		}
		j++
	}
	return nil, false, i, false
}

// ajSkipArray skips the array at b[i] ('['), nested values included.
func ajSkipArray(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			_, _, end, ok := ajString(b, i)
			if !ok {
				return i, false
			}
			i = end
			continue
		case '[', '{':
			depth++
			if depth > 32 {
				return i, false
			}
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return i, false
}

// ajUnescape decodes the escapes of a JSON string into a new buffer.
// Unknown escapes (Nginx's default "\x22" in a JSON-looking format) are
// kept as written.
func ajUnescape(v []byte) []byte {
	return appendJSONUnescaped(make([]byte, 0, len(v)), v)
}
