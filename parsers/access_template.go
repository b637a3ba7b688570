package parsers

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Template kinds for custom access-log formats.
const (
	TemplateNginx  = "nginx"
	TemplateApache = "apache"
)

// tplMaxFields bounds the fields of one template (the match state lives
// on the stack).
const tplMaxFields = 64

// tplBudget bounds the candidate ends tried per line, so that a template
// whose literals recur inside values cannot make matching explode.
const tplBudget = 256

// tplKind is what a template field is mapped to.
type tplKind uint8

// Field kinds of a compiled template.
const (
	tkOther          tplKind = iota // kept in Event.Fields under key
	tkIgnore                        // dropped (Apache %l, Nginx $is_args alone …)
	tkClient                        // $remote_addr, %a, %h
	tkTimeCLF                       // $time_local: 20/Nov/2026:14:02:11 +0100
	tkTimeCLFBr                     // %t: [20/Nov/2026:14:02:11 +0100]
	tkTimeISO                       // $time_iso8601
	tkTimeEpoch                     // $msec, %{sec}t, %{msec}t, %{usec}t (unit: seconds per unit)
	tkTimeStrf                      // %{strftime}t
	tkTimeFrac                      // %{msec_frac}t, %{usec_frac}t
	tkRequest                       // $request, %r
	tkMethod                        // $request_method, %m
	tkPath                          // $request_uri, $uri, %U (with a query merged in)
	tkHostPath                      // $host$request_uri merged: split at the first '/'
	tkProto                         // $server_protocol, %H
	tkStatus                        // $status, %>s, %s
	tkBytes                         // $body_bytes_sent, $bytes_sent, %b, %B, %O
	tkDuration                      // $request_time, %D, %T (unit: seconds per unit)
	tkUpstreamTime                  // $upstream_response_time
	tkUpstream                      // $upstream_addr, %{BALANCER_WORKER_NAME}e
	tkUpstreamStatus                // $upstream_status
	tkHost                          // $host, $http_host, $server_name, %v, %V, %{Host}i
	tkReferer                       // $http_referer, %{Referer}i
	tkUA                            // $http_user_agent, %{User-Agent}i
	tkPID                           // $pid, %P
	tkTID                           // %{tid}P
	tkConn                          // $connection
)

// tplField is one field of a compiled template.
type tplField struct {
	kind   tplKind
	name   string  // as written ("$remote_addr", "%>s"), for errors
	key    string  // Fields key (tkOther) or the name a losing duplicate keeps
	col    int     // 1-based column in the template as given
	rank   int     // among fields filling the same Event field, the lowest wins
	unit   float64 // seconds per unit for durations and epochs
	strf   string  // strftime format of tkTimeStrf
	token  bool    // the value never contains a space
	quoted bool    // enclosed in double quotes: ends at an unescaped quote
	spaces int     // spaces the value always contains (time stamps)
	query  bool    // a query part ($args, $is_args, %q) that may follow a path
	// numeric values are digits or "-" (ports, lengths, counters)
	numeric bool
	// list values ("a, b : c") never end with a separator
	list bool
}

// templateParser parses lines of one custom Nginx log_format or Apache
// LogFormat. The template is compiled into a leading literal and fields,
// each followed by the literal that ends it; a line is matched by finding,
// for each field in turn, the next occurrence of its literal (a quoted
// field ends at an unescaped quote; time stamps skip the spaces they
// contain). Each value is checked against its field's shape (a status is
// three digits, a byte count digits or "-", a stamp parses …) and, when a
// check fails, the next occurrence is tried, so values that contain the
// separator are still split right.
type templateParser struct {
	kind    string
	lead    []byte
	fields  []tplField
	lits    [][]byte // lits[k] follows fields[k]; only the last may be empty
	nOther  int
	jsonEsc bool // Nginx escape=json: string values are JSON-escaped
	clock   *Clock
	stamp   timeStampCache
}

// newTemplateParser compiles a custom format of the given kind
// (TemplateNginx or TemplateApache). Errors name the problem and its
// column in the template.
func newTemplateParser(kind string, cfg Config) (Parser, error) {
	p, err := compileTemplate(kind, cfg.Template)
	if err != nil {
		return nil, err
	}
	p.clock = cfg.Clock
	if p.clock == nil {
		p.clock = NewClock(nil, "")
	}
	return p, nil
}

// compileTemplate compiles a template without a clock.
func compileTemplate(kind, src string) (*templateParser, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("empty log format")
	}
	var (
		items []tplItem
		err   error
		esc   bool
	)
	switch kind {
	case TemplateNginx:
		items, esc, err = tplCompileNginx(src)
	case TemplateApache:
		items, err = tplCompileApache(src)
	default:
		return nil, fmt.Errorf("unknown log format kind %q (want %q or %q)", kind, TemplateNginx, TemplateApache)
	}
	if err != nil {
		return nil, err
	}
	p := &templateParser{kind: kind, jsonEsc: esc}
	if err := p.build(items); err != nil {
		return nil, err
	}
	return p, nil
}

// tplItem is a literal or a field, in template order.
type tplItem struct {
	lit   []byte
	field *tplField
}

// build merges adjacent fields where that is unambiguous, checks that every
// field is followed by a literal, and settles which field fills which
// Event field.
func (p *templateParser) build(items []tplItem) error {
	// merge literals and adjacent fields
	var out []tplItem
	for _, it := range items {
		if len(out) > 0 {
			last := &out[len(out)-1]
			if it.field == nil && last.field == nil {
				last.lit = append(last.lit, it.lit...)
				continue
			}
			if it.field != nil && last.field != nil {
				if err := mergeFields(last.field, it.field); err != nil {
					return err
				}
				continue
			}
		}
		if it.field == nil {
			it.lit = append([]byte(nil), it.lit...)
		}
		out = append(out, it)
	}
	// lines are matched without trailing blanks, so the template is too
	if n := len(out); n > 0 && out[n-1].field == nil {
		out[n-1].lit = bytes.TrimRight(out[n-1].lit, " \t\r\n")
		if len(out[n-1].lit) == 0 {
			out = out[:n-1]
		}
	}
	i := 0
	if len(out) > 0 && out[0].field == nil {
		p.lead = out[0].lit
		i = 1
	}
	for ; i < len(out); i++ {
		f := out[i].field
		var lit []byte
		if i+1 < len(out) {
			lit = out[i+1].lit
			i++
		}
		p.fields = append(p.fields, *f)
		p.lits = append(p.lits, lit)
	}
	if len(p.fields) == 0 {
		if p.kind == TemplateNginx {
			return errors.New("log format has no $variables (is it an Apache LogFormat? then pass it as apache:…)")
		}
		return errors.New("log format has no %directives (is it an Nginx log_format? then pass it as nginx:…)")
	}
	if len(p.fields) > tplMaxFields {
		return fmt.Errorf("log format has %d fields, more than the %d supported", len(p.fields), tplMaxFields)
	}
	// quoting: a field between a literal ending in '"' and one starting with it
	for k := range p.fields {
		f := &p.fields[k]
		var before []byte
		if k == 0 {
			before = p.lead
		} else {
			before = p.lits[k-1]
		}
		after := p.lits[k]
		f.quoted = len(before) > 0 && before[len(before)-1] == '"' && len(after) > 0 && after[0] == '"'
	}
	p.settle()
	for k := range p.fields {
		if p.fields[k].kind == tkOther {
			p.nOther++
		}
	}
	return nil
}

// mergeFields joins field b into a when nothing separates them: a path
// and its query ("%U%q", "$uri$is_args$args") and a host and its path
// ("$host$request_uri"). Anything else cannot be split and is an error.
func mergeFields(a, b *tplField) error {
	switch {
	case (a.kind == tkPath || a.kind == tkHostPath) && b.query:
		return nil
	case a.kind == tkHost && b.kind == tkPath:
		a.kind, a.token = tkHostPath, true
		a.name += b.name
		return nil
	case a.query && b.query: // "$is_args$args": the pair is the query
		if a.kind == tkIgnore {
			a.kind, a.key = b.kind, b.key
		}
		return nil
	}
	return fmt.Errorf("%s at column %d follows %s with nothing between them, so their values cannot be told apart; put a space or other separator between them", b.name, b.col, a.name)
}

// target is the Event field a kind fills, for settling duplicates.
func (k tplKind) target() int {
	switch k {
	case tkClient, tkRequest, tkMethod, tkProto, tkStatus, tkBytes, tkDuration,
		tkUpstreamTime, tkUpstream, tkUpstreamStatus, tkHost, tkReferer, tkUA, tkPID, tkTID, tkConn:
		return int(k)
	case tkPath, tkHostPath:
		return int(tkPath)
	}
	return -1
}

// settle keeps, for every Event field, the best-ranked field that fills
// it; the others keep their value in Fields.
func (p *templateParser) settle() {
	best := map[int]int{}
	for k := range p.fields {
		t := p.fields[k].kind.target()
		if t < 0 {
			continue
		}
		if j, ok := best[t]; !ok || p.fields[k].rank < p.fields[j].rank {
			best[t] = k
		}
	}
	for k := range p.fields {
		f := &p.fields[k]
		t := f.kind.target()
		if t < 0 || best[t] == k || f.kind == tkHostPath {
			continue
		}
		f.kind = tkOther
		if f.key == "" {
			f.kind = tkIgnore
		}
	}
}

// Parse matches the line against the template and fills the event.
func (p *templateParser) Parse(b []byte, ev *Event) bool {
	for len(b) > 0 && (b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	if !bytes.HasPrefix(b, p.lead) {
		return false
	}
	var spans [tplMaxFields][2]int32
	budget := tplBudget
	if len(b) > 1<<30 || !p.match(b, 0, len(p.lead), &spans, &budget) {
		return false
	}
	ev.RequestTime, ev.UpstreamTime = -1, -1
	var tt tplTime
	var request []byte
	haveReq := false
	for k := range p.fields {
		f := &p.fields[k]
		v := b[spans[k][0]:spans[k][1]]
		if f.kind == tkRequest {
			request, haveReq = v, true
			continue
		}
		if !p.assign(f, v, ev, &tt) {
			return false
		}
	}
	if haveReq {
		if p.jsonEsc && bytes.IndexByte(request, '\\') >= 0 {
			request = ajUnescape(request)
		}
		tplSetRequest(ev, request)
	}
	if !tt.resolve(ev, p.clock) {
		return false
	}
	ev.Level = LevelFromStatus(ev.Status)
	return true
}

// match finds the end of field k, which starts at b[pos], and of every
// field after it.
func (p *templateParser) match(b []byte, k, pos int, spans *[tplMaxFields][2]int32, budget *int) bool {
	if k == len(p.fields) {
		return pos == len(b)
	}
	f := &p.fields[k]
	lit := p.lits[k]
	if len(lit) == 0 { // the last field runs to the end of the line
		if !f.valid(b[pos:], &p.stamp) {
			return false
		}
		spans[k] = [2]int32{int32(pos), int32(len(b))}
		return true
	}
	from := pos
	for s := 0; s < f.spaces; s++ {
		j := bytes.IndexByte(b[from:], ' ')
		if j < 0 {
			return false
		}
		from += j + 1
	}
	last := k == len(p.fields)-1
	for {
		*budget--
		if *budget < 0 {
			return false
		}
		var j int
		if last {
			// the final literal must end the line
			if !bytes.HasSuffix(b[from:], lit) {
				return false
			}
			j = len(b) - from - len(lit)
		} else if len(lit) == 1 {
			j = bytes.IndexByte(b[from:], lit[0])
		} else {
			j = bytes.Index(b[from:], lit)
		}
		if j < 0 {
			return false
		}
		end := from + j
		if f.quoted && tplEscapedAt(b, pos, end) && !last ||
			f.list && lit[0] == ' ' && end+2 < len(b) && b[end+1] == ':' && b[end+2] == ' ' {
			// an escaped quote, or the " : " inside an Nginx list
			from = end + 1
			continue
		}
		v := b[pos:end]
		if f.valid(v, &p.stamp) {
			spans[k] = [2]int32{int32(pos), int32(end)}
			if p.match(b, k+1, end+len(lit), spans, budget) {
				return true
			}
		}
		if last || f.token && bytes.IndexByte(v, ' ') >= 0 {
			return false
		}
		from = end + 1
	}
}

// tplEscapedAt reports whether the quote at b[i] is escaped by an odd number
// of backslashes after b[start].
func tplEscapedAt(b []byte, start, i int) bool {
	n := 0
	for m := i - 1; m >= start && b[m] == '\\'; m-- {
		n++
	}
	return n%2 == 1
}

// valid checks a value against the shape its field always has.
func (f *tplField) valid(v []byte, stamp *timeStampCache) bool {
	if f.token && bytes.IndexByte(v, ' ') >= 0 {
		return false
	}
	if f.numeric && !isDigits(v) && !tplIsDash(v) {
		return false
	}
	if f.list && len(v) > 0 && (v[len(v)-1] == ',' || v[len(v)-1] == ':') {
		return false
	}
	switch f.kind {
	case tkStatus:
		n, ok := atoi(v)
		return ok && n >= 100 && n <= 999 || tplIsDash(v)
	case tkBytes, tkPID, tkTID, tkConn:
		return isDigits(v) || tplIsDash(v)
	case tkDuration, tkUpstreamTime:
		return tplDurationList(v)
	case tkTimeCLF:
		_, _, ok := stamp.parseCLFTime(v)
		return ok
	case tkTimeCLFBr:
		if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
			return false
		}
		_, _, ok := stamp.parseCLFTime(v[1 : len(v)-1])
		return ok
	case tkTimeISO:
		_, _, end, ok := parseRFC3339(v)
		return ok && end == len(v) || tplIsDash(v)
	case tkTimeEpoch:
		return tplEpochShape(v)
	case tkTimeFrac:
		return isDigits(v)
	case tkTimeStrf:
		var tt tplTime
		return tplStrfParse(f.strf, v, &tt)
	}
	return true
}

// tplIsDash reports the "-" servers write for an empty value.
func tplIsDash(v []byte) bool { return len(v) == 1 && v[0] == '-' }

// tplDurationList accepts "0.123", "12", "-", "0.101, 0.002 : 0.004".
func tplDurationList(v []byte) bool {
	if len(v) == 0 {
		return false
	}
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c == '.' || c == ',' || c == ' ' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// tplEpochShape accepts "1763647331", "1763647331.123" and "-".
func tplEpochShape(v []byte) bool {
	if tplIsDash(v) {
		return true
	}
	dot := bytes.IndexByte(v, '.')
	if dot < 0 {
		return isDigits(v)
	}
	return isDigits(v[:dot]) && isDigits(v[dot+1:])
}

// assign stores one matched value in the event.
func (p *templateParser) assign(f *tplField, v []byte, ev *Event, tt *tplTime) bool {
	if p.jsonEsc && f.quoted && bytes.IndexByte(v, '\\') >= 0 {
		v = ajUnescape(v)
	}
	switch f.kind {
	case tkIgnore:
	case tkOther:
		if len(v) == 0 || tplIsDash(v) {
			return true
		}
		if ev.Fields == nil {
			ev.Fields = make([]Field, 0, p.nOther)
		}
		ev.Fields = append(ev.Fields, Field{f.key, str(v)})
	case tkClient:
		if f.rank >= 8 { // X-Forwarded-For standing in for the client: its first address
			if c := bytes.IndexByte(v, ','); c >= 0 {
				v = v[:c]
			}
		}
		ev.Client = dash(v)
	case tkTimeCLF:
		t, off, ok := p.stamp.parseCLFTime(v)
		if !ok {
			return false
		}
		tt.full, tt.haveFull, tt.zone, tt.off = t, true, true, int(off)
	case tkTimeCLFBr:
		t, off, ok := p.stamp.parseCLFTime(v[1 : len(v)-1])
		if !ok {
			return false
		}
		tt.full, tt.haveFull, tt.zone, tt.off = t, true, true, int(off)
	case tkTimeISO:
		if tplIsDash(v) {
			return true
		}
		t, off, _, ok := parseRFC3339(v)
		if !ok {
			return false
		}
		tt.full, tt.haveFull, tt.zone, tt.off = t, true, true, off
	case tkTimeEpoch:
		if tplIsDash(v) {
			return true
		}
		t, ok := tplEpoch(v, f.unit)
		if !ok {
			return false
		}
		if !tt.haveFull {
			tt.full, tt.haveFull, tt.epoch = t, true, true
		}
	case tkTimeStrf:
		if !tplStrfParse(f.strf, v, tt) {
			return false
		}
	case tkTimeFrac:
		ns, end := fraction(v, 0)
		if end != len(v) {
			return false
		}
		tt.nsec, tt.haveFrac = ns, true
	case tkMethod:
		if ev.Method == "" {
			ev.Method = dash(v)
		}
	case tkPath:
		if ev.Path == "" {
			ev.Path = dash(v)
		}
	case tkHostPath:
		if sl := bytes.IndexByte(v, '/'); sl >= 0 {
			ev.Host, ev.Path = dash(v[:sl]), str(v[sl:])
		} else {
			ev.Host = dash(v)
		}
	case tkProto:
		if ev.Protocol == "" {
			ev.Protocol = dash(v)
		}
	case tkStatus:
		if n, ok := atoi(v); ok {
			ev.Status = n
		}
	case tkBytes:
		if n, ok := atoi(v); ok {
			ev.Bytes = int64(n)
		}
	case tkDuration:
		if s := parseSeconds(v); s >= 0 {
			ev.RequestTime = s * f.unit
		}
	case tkUpstreamTime:
		ev.UpstreamTime = parseSeconds(v)
	case tkUpstream:
		ev.Upstream = dash(v)
	case tkUpstreamStatus:
		ev.UpstreamStatus = dash(v)
	case tkHost:
		ev.Host = dash(v)
	case tkReferer:
		ev.Referer = dash(v)
	case tkUA:
		ev.UserAgent = dash(v)
	case tkPID:
		if n, ok := atoi(v); ok {
			ev.PID = n
		}
	case tkTID:
		if n, ok := atoi(v); ok {
			ev.TID = int64(n)
		}
	case tkConn:
		if n, ok := atoi(v); ok {
			ev.Conn = int64(n)
		}
	}
	return true
}

// tplSetRequest splits a request line like setRequest, but only sets
// what the line states, so $request_method or %U logged beside it stay.
func tplSetRequest(ev *Event, req []byte) {
	var tmp Event
	setRequest(&tmp, req)
	if tmp.Method != "" {
		ev.Method = tmp.Method
	}
	if tmp.Path != "" {
		ev.Path = tmp.Path
	}
	if tmp.Protocol != "" {
		ev.Protocol = tmp.Protocol
	}
}

// tplEpoch converts "1763647331.123" in units of unit seconds (1 for
// seconds, 1e-3 for milliseconds, 1e-6 for microseconds).
func tplEpoch(v []byte, unit float64) (time.Time, bool) {
	dot := bytes.IndexByte(v, '.')
	ip, fr := v, []byte(nil)
	if dot >= 0 {
		ip, fr = v[:dot], v[dot+1:]
	}
	n, ok := atoi(ip)
	if !ok {
		return time.Time{}, false
	}
	var sec, nsec int64
	switch unit {
	case 1e-3:
		sec, nsec = int64(n)/1000, int64(n)%1000*1e6
	case 1e-6:
		sec, nsec = int64(n)/1e6, int64(n)%1e6*1e3
	default:
		ns, _ := fraction(fr, 0)
		sec, nsec = int64(n), int64(ns)
	}
	return time.Unix(sec, nsec).UTC(), true
}

// tplTime gathers the time parts a line's fields state.
type tplTime struct {
	full               time.Time // a complete stamp ($time_local, %t, $msec)
	haveFull           bool
	epoch              bool // full came from a Unix time
	y, mo, d, h, mi, s int
	haveDate           bool
	nsec               int
	haveFrac           bool
	off                int
	zone               bool
	pm, haveAMPM       bool
}

// resolve sets the event's time from the parts.
func (tt *tplTime) resolve(ev *Event, clock *Clock) bool {
	switch {
	case tt.haveFull:
		t := tt.full
		if tt.haveFrac && t.Nanosecond() == 0 {
			t = t.Add(time.Duration(tt.nsec))
		}
		ev.Time = t
		switch {
		case tt.zone:
			ev.TimeKnownZone, ev.ZoneOffset = true, int32(tt.off)
		case tt.epoch:
			// a Unix time is an exact instant that states no zone
			ev.TimeKnownZone, ev.TimeEpoch = true, true
		}
	case tt.haveDate && tt.mo != 0 && tt.y != 0: // %d without month and year dates nothing
		h := tt.h
		if tt.haveAMPM {
			h %= 12
			if tt.pm {
				h += 12
			}
		}
		var t time.Time
		var ok bool
		if tt.zone {
			t, ok = FixedTime(tt.y, tt.mo, tt.d, h, tt.mi, tt.s, tt.nsec, tt.off)
			ev.TimeKnownZone, ev.ZoneOffset = true, int32(tt.off)
		} else {
			t, ok = clock.LocalTime(tt.y, tt.mo, tt.d, h, tt.mi, tt.s, tt.nsec)
		}
		if !ok {
			return false
		}
		ev.Time = t
	}
	return true
}

// ---------------------------------------------------------------- Nginx

// tplCompileNginx compiles an Nginx log_format string. It accepts the bare
// format ("$remote_addr - …") and the directive as written in nginx.conf
// ("log_format main escape=json '…' '…';"), whose quoted pieces are joined.
func tplCompileNginx(src string) (items []tplItem, jsonEsc bool, err error) {
	text, cols, jsonEsc, err := tplNginxUnwrap(src)
	if err != nil {
		return nil, false, err
	}
	if len(text) == 0 {
		return nil, false, errors.New("empty log format")
	}
	litStart := 0
	flush := func(i int) {
		if i > litStart {
			items = append(items, tplItem{lit: text[litStart:i]})
		}
	}
	for i := 0; i < len(text); {
		if text[i] != '$' {
			i++
			continue
		}
		flush(i)
		col := cols[i]
		var name string
		j := i + 1
		if j < len(text) && text[j] == '{' {
			k := bytes.IndexByte(text[j:], '}')
			if k < 0 {
				return nil, false, fmt.Errorf("${ at column %d is not closed with }", col)
			}
			name = string(text[j+1 : j+k])
			if name == "" || !tplVarName(name) {
				return nil, false, fmt.Errorf("invalid variable name ${%s} at column %d", name, col)
			}
			j += k + 1
		} else {
			k := j
			for k < len(text) && tplVarByte(text[k]) {
				k++
			}
			if k == j {
				return nil, false, fmt.Errorf("$ at column %d is not followed by a variable name", col)
			}
			name = string(text[j:k])
			j = k
		}
		f := tplNginxVar(name)
		f.col = col
		items = append(items, tplItem{field: f})
		i = j
		litStart = j
	}
	flush(len(text))
	return items, jsonEsc, nil
}

// tplVarByte reports a byte of an Nginx variable name.
func tplVarByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// tplVarName reports a valid Nginx variable name.
func tplVarName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !tplVarByte(s[i]) {
			return false
		}
	}
	return true
}

// tplNginxUnwrap strips "log_format NAME [escape=…]" and joins the quoted
// pieces of a format copied from nginx.conf. cols maps every byte of text
// to its 1-based column in src.
func tplNginxUnwrap(src string) (text []byte, cols []int, jsonEsc bool, err error) {
	s := src
	i := 0
	skipWS := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	word := func() string {
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\'' && s[j] != '"' {
			j++
		}
		return s[i:j]
	}
	skipWS()
	if w := word(); w == "log_format" {
		i += len(w)
		skipWS()
		i += len(word()) // the format's name
		skipWS()
	}
	if w := word(); strings.HasPrefix(w, "escape=") {
		switch w[len("escape="):] {
		case "json":
			jsonEsc = true
		case "default", "none":
		default:
			return nil, nil, false, fmt.Errorf("unknown %s at column %d (want escape=default, json or none)", w, i+1)
		}
		i += len(w)
		skipWS()
	}
	prefixed := i > 0 && strings.HasPrefix(strings.TrimSpace(src), "log_format") || jsonEsc
	if i < len(s) && (s[i] == '\'' || s[i] == '"') {
		text, cols, err = tplNginxPieces(s, i)
		if err == nil || prefixed {
			return text, cols, jsonEsc, err
		}
		// not a sequence of quoted pieces: a bare format that starts with a quote
		text, cols = nil, nil
	}
	for ; i < len(s); i++ {
		text = append(text, s[i])
		cols = append(cols, i+1)
	}
	return text, cols, jsonEsc, nil
}

// tplNginxPieces joins the quoted pieces '…' "…" of a format written as in
// nginx.conf, from s[i] up to an optional ';'.
func tplNginxPieces(s string, i int) (text []byte, cols []int, err error) {
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		if i >= len(s) {
			break
		}
		if s[i] == ';' {
			if strings.TrimSpace(s[i+1:]) != "" {
				return nil, nil, fmt.Errorf("unexpected text after ';' at column %d", i+1)
			}
			break
		}
		q := s[i]
		if q != '\'' && q != '"' {
			return nil, nil, fmt.Errorf("unexpected %q at column %d between the quoted parts of the log format", s[i], i+1)
		}
		start := i
		i++
		closed := false
		for i < len(s) {
			c := s[i]
			if c == '\\' && i+1 < len(s) && (s[i+1] == q || s[i+1] == '\\') {
				text = append(text, s[i+1])
				cols = append(cols, i+2)
				i += 2
				continue
			}
			if c == q {
				closed = true
				i++
				break
			}
			text = append(text, c)
			cols = append(cols, i+1)
			i++
		}
		if !closed {
			return nil, nil, fmt.Errorf("quote at column %d is not closed", start+1)
		}
	}
	return text, cols, nil
}

// tplNginxVar maps an Nginx variable to a field.
func tplNginxVar(name string) *tplField {
	f := &tplField{name: "$" + name, key: name, token: true}
	switch name {
	case "remote_addr":
		f.kind = tkClient
	case "realip_remote_addr", "binary_remote_addr", "remote_port", "server_addr", "server_port",
		"pipe", "scheme", "https", "request_length", "connection_requests", "gzip_ratio",
		"upstream_cache_status", "request_id", "ssl_protocol", "ssl_cipher", "ssl_session_reused",
		"upstream_bytes_received", "upstream_bytes_sent", "upstream_response_length",
		"upstream_connect_time", "upstream_header_time", "http2", "hostname", "proxy_host", "proxy_port":
		f.kind = tkOther
		if strings.HasPrefix(name, "upstream_") && name != "upstream_cache_status" {
			f.token, f.list = false, true
		}
		switch name {
		case "binary_remote_addr":
			f.token = false
		case "remote_port", "server_port", "request_length", "connection_requests", "proxy_port":
			f.numeric = true
		}
	case "time_local":
		f.kind, f.spaces, f.token = tkTimeCLF, 1, false
	case "time_iso8601":
		f.kind = tkTimeISO
	case "msec":
		f.kind, f.unit = tkTimeEpoch, 1
	case "request":
		f.kind, f.token = tkRequest, false
	case "request_method":
		f.kind = tkMethod
	case "request_uri":
		f.kind, f.rank, f.token = tkPath, 1, false
	case "uri", "document_uri":
		f.kind, f.rank, f.token = tkPath, 2, false
	case "args", "query_string":
		f.kind, f.query, f.token, f.key = tkOther, true, false, "args"
	case "is_args":
		f.kind, f.query = tkIgnore, true
	case "server_protocol":
		f.kind = tkProto
	case "status":
		f.kind = tkStatus
	case "body_bytes_sent":
		f.kind, f.rank = tkBytes, 1
	case "bytes_sent":
		f.kind, f.rank = tkBytes, 2
	case "request_time":
		f.kind, f.unit = tkDuration, 1
	case "upstream_response_time":
		f.kind, f.token, f.list = tkUpstreamTime, false, true
	case "upstream_addr":
		f.kind, f.token, f.list = tkUpstream, false, true
	case "upstream_status":
		f.kind, f.token, f.list = tkUpstreamStatus, false, true
	case "host":
		f.kind, f.rank = tkHost, 1
	case "http_host":
		f.kind, f.rank = tkHost, 2
	case "server_name":
		f.kind, f.rank = tkHost, 3
	case "http_referer":
		f.kind, f.token = tkReferer, false
	case "http_user_agent":
		f.kind, f.token = tkUA, false
	case "http_x_forwarded_for":
		f.kind, f.rank, f.token, f.list, f.key = tkClient, 9, false, true, "x_forwarded_for"
	case "http_x_real_ip":
		f.kind, f.rank, f.key = tkClient, 8, "x_real_ip"
	case "pid":
		f.kind = tkPID
	case "connection":
		f.kind = tkConn
	default:
		// $http_*, $sent_http_*, $cookie_*, $arg_*, map variables …
		f.kind, f.token = tkOther, false
	}
	return f
}

// ---------------------------------------------------------------- Apache

// tplCompileApache compiles an Apache LogFormat string. It accepts the bare
// format, with or without the backslash escapes of httpd.conf
// (%h %l %u %t \"%r\" …), and the directive as written
// (LogFormat "…" nickname).
func tplCompileApache(src string) ([]tplItem, error) {
	text, cols, err := tplApacheUnwrap(src)
	if err != nil {
		return nil, err
	}
	if len(text) == 0 {
		return nil, errors.New("empty log format")
	}
	var items []tplItem
	var lit []byte
	flush := func() {
		if len(lit) > 0 {
			items = append(items, tplItem{lit: lit})
			lit = nil
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c != '%' {
			lit = append(lit, c)
			i++
			continue
		}
		col := cols[i]
		start := i
		i++
		if i < len(text) && text[i] == '%' {
			lit = append(lit, '%')
			i++
			continue
		}
		var arg string
		haveArg := false
		mod := byte(0)
		// modifiers: status conditions (%400,501…, %!200…), < and >, {arg}
	mods:
		for i < len(text) {
			switch c := text[i]; {
			case c == '!' || c == ',' || c >= '0' && c <= '9':
				i++
			case c == '<' || c == '>':
				mod = c
				i++
			case c == '{':
				k := bytes.IndexByte(text[i:], '}')
				if k < 0 {
					return nil, fmt.Errorf("%%{ at column %d is not closed with }", col)
				}
				arg, haveArg = string(text[i+1:i+k]), true
				i += k + 1
			default:
				break mods
			}
		}
		if i >= len(text) {
			return nil, fmt.Errorf("%s at column %d ends the format without a directive letter", text[start:], col)
		}
		letter := text[i]
		i++
		if letter == '^' { // %{VAR}^ti, %{VAR}^to
			if i+1 < len(text) && text[i] == 't' && (text[i+1] == 'i' || text[i+1] == 'o') {
				i += 2
				flush()
				items = append(items, tplItem{field: &tplField{kind: tkOther, name: string(text[start:i]), key: "trailer_" + tplHeaderKey(arg), col: col}})
				continue
			}
			return nil, fmt.Errorf("unknown directive %s at column %d (want %%{VAR}^ti or %%{VAR}^to)", text[start:min(i+2, len(text))], col)
		}
		f, err := tplApacheDirective(letter, arg, haveArg, mod)
		if err != nil {
			return nil, fmt.Errorf("%s at column %d: %v", text[start:i], col, err)
		}
		f.name, f.col = string(text[start:i]), col
		flush()
		items = append(items, tplItem{field: f})
	}
	flush()
	return items, nil
}

// tplApacheUnwrap strips `LogFormat "…" nick` and turns the escapes of
// httpd.conf (\" \\ \t \n) into the characters they stand for.
func tplApacheUnwrap(src string) (text []byte, cols []int, err error) {
	s := src
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	end := len(s)
	if strings.HasPrefix(s[i:], "LogFormat") || strings.HasPrefix(s[i:], "CustomLog") {
		custom := strings.HasPrefix(s[i:], "CustomLog")
		i += len("LogFormat")
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if custom { // CustomLog path "format"
			for i < len(s) && s[i] != ' ' && s[i] != '\t' {
				i++
			}
			for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
				i++
			}
		}
		if i >= len(s) || s[i] != '"' {
			return nil, nil, fmt.Errorf("expected a quoted format at column %d", i+1)
		}
		// find the closing unescaped quote
		j := i + 1
		for j < len(s) && !(s[j] == '"' && !tplEscapedAt([]byte(s), i+1, j)) {
			j++
		}
		if j >= len(s) {
			return nil, nil, fmt.Errorf("quote at column %d is not closed", i+1)
		}
		i, end = i+1, j
	} else if e := strings.TrimRight(s, " \t"); len(e)-i >= 2 && s[i] == '"' && e[len(e)-1] == '"' && !tplEscapedAt([]byte(e), i+1, len(e)-1) {
		// "…" as copied from the config, quotes included
		i, end = i+1, len(e)-1
	}
	for ; i < end; i++ {
		c := s[i]
		if c == '\\' && i+1 < end {
			switch s[i+1] {
			case '"', '\\':
				c = s[i+1]
			case 't':
				c = '\t'
			case 'n':
				c = '\n'
			default:
				text = append(text, c)
				cols = append(cols, i+1)
				continue
			}
			text = append(text, c)
			cols = append(cols, i+1)
			i++
			continue
		}
		text = append(text, c)
		cols = append(cols, i+1)
	}
	return text, cols, nil
}

// tplHeaderKey turns a header name into a Fields key: "X-Request-ID" →
// "x_request_id".
func tplHeaderKey(h string) string {
	b := []byte(strings.ToLower(h))
	for i, c := range b {
		if c == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}

// tplApacheDirective maps one %-directive to a field.
func tplApacheDirective(letter byte, arg string, haveArg bool, mod byte) (*tplField, error) {
	f := &tplField{token: true}
	larg := strings.ToLower(arg)
	switch letter {
	case 'a':
		switch larg {
		case "":
			f.kind, f.rank = tkClient, 1
		case "c":
			f.kind, f.rank, f.key = tkClient, 3, "peer_addr"
		default:
			return nil, fmt.Errorf("unknown argument %q (want %%a or %%{c}a)", arg)
		}
	case 'A':
		f.kind, f.key = tkOther, "server_addr"
	case 'h':
		f.kind, f.rank, f.key = tkClient, 2, "remote_host"
		if larg == "c" {
			f.rank, f.key = 3, "peer_host"
		}
	case 'l':
		f.kind = tkIgnore
	case 'u':
		f.kind, f.key, f.token = tkOther, "remote_user", false
	case 't':
		return tplApacheTime(f, arg, haveArg)
	case 'r':
		f.kind, f.token = tkRequest, false
	case 'm':
		f.kind = tkMethod
	case 'U':
		f.kind, f.rank, f.token = tkPath, 2, false
	case 'q':
		f.kind, f.query, f.key = tkOther, true, "query"
	case 'H':
		f.kind = tkProto
	case 's':
		f.kind, f.key = tkStatus, "original_status"
		switch mod {
		case '>':
			f.rank, f.key = 1, "final_status"
		case '<':
			f.rank = 3
		default:
			f.rank = 2
		}
	case 'b', 'B':
		f.kind, f.rank, f.key = tkBytes, 1, "bytes"
	case 'O':
		f.kind, f.rank, f.key = tkBytes, 2, "bytes_out"
	case 'I':
		f.kind, f.key, f.numeric = tkOther, "bytes_in", true
	case 'S':
		f.kind, f.key, f.numeric = tkOther, "bytes_total", true
	case 'D':
		f.kind, f.rank, f.unit, f.key = tkDuration, 1, 1e-6, "duration_us"
	case 'T':
		f.kind, f.rank, f.key = tkDuration, 2, "duration"
		switch larg {
		case "", "s":
			f.unit = 1
		case "ms":
			f.unit = 1e-3
		case "us":
			f.unit = 1e-6
		default:
			return nil, fmt.Errorf("unknown unit %q (want s, ms or us)", arg)
		}
	case 'v':
		f.kind, f.rank, f.key = tkHost, 3, "server_name"
	case 'V':
		f.kind, f.rank, f.key = tkHost, 2, "server_name"
	case 'p':
		f.kind, f.key, f.numeric = tkOther, "port", true
		if larg == "remote" {
			f.key = "remote_port"
		}
	case 'P':
		switch larg {
		case "", "pid":
			f.kind = tkPID
		case "tid":
			f.kind = tkTID
		case "hextid":
			f.kind, f.key = tkOther, "tid"
		default:
			return nil, fmt.Errorf("unknown argument %q (want pid, tid or hextid)", arg)
		}
	case 'L':
		f.kind, f.key = tkOther, "log_id"
	case 'k':
		f.kind, f.key, f.numeric = tkOther, "keepalive_requests", true
	case 'X':
		f.kind, f.key = tkOther, "conn_status"
	case 'R':
		f.kind, f.key = tkOther, "handler"
	case 'f':
		f.kind, f.key, f.token = tkOther, "filename", false
	case 'i':
		if !haveArg {
			return nil, errors.New("needs a header name, as in %{User-Agent}i")
		}
		f.token = false
		switch larg {
		case "referer", "referrer":
			f.kind = tkReferer
		case "user-agent":
			f.kind = tkUA
		case "host":
			f.kind, f.rank, f.key = tkHost, 1, "host"
		case "x-forwarded-for":
			f.kind, f.rank, f.list, f.key = tkClient, 9, true, "x_forwarded_for"
		case "x-real-ip":
			f.kind, f.rank, f.key = tkClient, 8, "x_real_ip"
		default:
			f.kind, f.key = tkOther, tplHeaderKey(arg)
		}
	case 'o':
		if !haveArg {
			return nil, errors.New("needs a header name, as in %{Content-Type}o")
		}
		f.kind, f.key, f.token = tkOther, "sent_"+tplHeaderKey(arg), false
	case 'C':
		if !haveArg {
			return nil, errors.New("needs a cookie name, as in %{session}C")
		}
		f.kind, f.key, f.token = tkOther, "cookie_"+arg, false
	case 'e', 'n', 'x', 'c':
		if !haveArg {
			return nil, errors.New("needs a variable name, as in %{UNIQUE_ID}e")
		}
		f.kind, f.key, f.token = tkOther, arg, false
		if letter == 'e' && arg == "BALANCER_WORKER_NAME" {
			f.kind = tkUpstream
		}
	default:
		return nil, fmt.Errorf("unknown directive %%%c", letter)
	}
	return f, nil
}

// tplApacheTime compiles %t and %{format}t.
func tplApacheTime(f *tplField, arg string, haveArg bool) (*tplField, error) {
	f.token = false
	if !haveArg {
		f.kind, f.spaces = tkTimeCLFBr, 1
		return f, nil
	}
	a := arg
	a = strings.TrimPrefix(a, "begin:")
	a = strings.TrimPrefix(a, "end:")
	switch a {
	case "sec":
		f.kind, f.unit, f.token = tkTimeEpoch, 1, true
		return f, nil
	case "msec":
		f.kind, f.unit, f.token = tkTimeEpoch, 1e-3, true
		return f, nil
	case "usec":
		f.kind, f.unit, f.token = tkTimeEpoch, 1e-6, true
		return f, nil
	case "msec_frac", "usec_frac":
		f.kind, f.token = tkTimeFrac, true
		return f, nil
	}
	if err := tplStrfCheck(a); err != nil {
		return nil, err
	}
	f.kind, f.strf = tkTimeStrf, a
	f.spaces = strings.Count(a, " ")
	if !strings.Contains(a, "%e") && !strings.Contains(a, "%n") && !strings.Contains(a, "%t") && f.spaces == 0 {
		f.token = true
	}
	return f, nil
}

// tplStrfCheck reports a strftime format with conversions tplStrfParse does not
// know.
func tplStrfCheck(format string) error {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i >= len(format) {
			return errors.New("strftime format ends with %")
		}
		if !strings.ContainsRune("dempYyHIMSbhBaAzZTDFRsjuwpnt%", rune(format[i])) {
			return fmt.Errorf("unsupported strftime conversion %%%c", format[i])
		}
	}
	return nil
}

// tplStrfParse reads v with a strftime format into tt.
func tplStrfParse(format string, v []byte, tt *tplTime) bool {
	j := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			if j >= len(v) || v[j] != c {
				return false
			}
			j++
			continue
		}
		i++
		if i >= len(format) {
			return false
		}
		var ok bool
		switch format[i] {
		case 'd':
			tt.d, j, ok = tplStrfNum(v, j, 2, false)
			tt.haveDate = tt.haveDate || ok
		case 'e':
			tt.d, j, ok = tplStrfNum(v, j, 2, true)
			tt.haveDate = tt.haveDate || ok
		case 'm':
			tt.mo, j, ok = tplStrfNum(v, j, 2, false)
		case 'Y':
			tt.y, j, ok = tplStrfNum(v, j, 4, false)
		case 'y':
			tt.y, j, ok = tplStrfNum(v, j, 2, false)
			tt.y += 2000
		case 'H', 'I':
			tt.h, j, ok = tplStrfNum(v, j, 2, false)
		case 'M':
			tt.mi, j, ok = tplStrfNum(v, j, 2, false)
		case 'S':
			tt.s, j, ok = tplStrfNum(v, j, 2, false)
		case 'j', 'u', 'w':
			_, j, ok = tplStrfNum(v, j, 3, false)
		case 'b', 'h':
			tt.mo = month3(v, j)
			j, ok = j+3, tt.mo != 0
		case 'B':
			tt.mo = month3(v, j)
			ok = tt.mo != 0
			for j < len(v) && (v[j]|0x20 >= 'a' && v[j]|0x20 <= 'z') {
				j++
			}
		case 'a', 'A', 'Z':
			k := j
			for j < len(v) && (v[j]|0x20 >= 'a' && v[j]|0x20 <= 'z') {
				j++
			}
			ok = j > k
			if format[i] == 'Z' && ok {
				if z := string(v[k:j]); z == "UTC" || z == "GMT" || z == "Z" {
					tt.zone, tt.off = true, 0
				}
			}
		case 'p':
			if j+2 <= len(v) {
				switch string(v[j : j+2]) {
				case "AM", "am":
					tt.haveAMPM, tt.pm, ok = true, false, true
				case "PM", "pm":
					tt.haveAMPM, tt.pm, ok = true, true, true
				}
				j += 2
			}
		case 'z':
			off, n, zok := parseOffset(v[j:])
			tt.off, tt.zone, ok = off, zok, zok
			j += n
		case 'T':
			ok = tplStrfParse("%H:%M:%S", v[j:min(j+8, len(v))], tt)
			j += 8
		case 'R':
			ok = tplStrfParse("%H:%M", v[j:min(j+5, len(v))], tt)
			j += 5
		case 'D':
			ok = tplStrfParse("%m/%d/%y", v[j:min(j+8, len(v))], tt)
			j += 8
		case 'F':
			ok = tplStrfParse("%Y-%m-%d", v[j:min(j+10, len(v))], tt)
			j += 10
		case 's':
			k := j
			for j < len(v) && v[j] >= '0' && v[j] <= '9' {
				j++
			}
			var t time.Time
			t, ok = tplEpoch(v[k:j], 1)
			if ok && !tt.haveFull {
				tt.full, tt.haveFull, tt.epoch = t, true, true
			}
		case 'n', 't':
			k := j
			for j < len(v) && (v[j] == ' ' || v[j] == '\t' || v[j] == '\n') {
				j++
			}
			ok = j > k
		case '%':
			ok = j < len(v) && v[j] == '%'
			j++
		}
		if !ok || j > len(v) {
			return false
		}
	}
	return j == len(v)
}

// tplStrfNum reads up to width digits at v[j] (a leading space allowed when
// pad is set, as %e writes " 5").
func tplStrfNum(v []byte, j, width int, pad bool) (n, end int, ok bool) {
	if pad && j < len(v) && v[j] == ' ' {
		j++
		width--
	}
	k := j
	for k < len(v) && k-j < width && v[k] >= '0' && v[k] <= '9' {
		n = n*10 + int(v[k]-'0')
		k++
	}
	return n, k, k > j
}
