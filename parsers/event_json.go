package parsers

import (
	"encoding/json"
	"time"
)

// eventJSON is the NDJSON shape of an Event (`faultline parse`): fields
// that are not stated are left out; times are RFC 3339 in UTC.
type eventJSON struct {
	Time           *time.Time        `json:"time,omitempty"`
	TimeKnownZone  bool              `json:"time_known_zone,omitempty"`
	Source         string            `json:"source"`
	Line           int64             `json:"line,omitempty"`
	Offset         *int64            `json:"offset,omitempty"`
	Format         string            `json:"format"`
	Level          string            `json:"level,omitempty"`
	Status         int               `json:"status,omitempty"`
	Method         string            `json:"method,omitempty"`
	Path           string            `json:"path,omitempty"`
	Protocol       string            `json:"protocol,omitempty"`
	Host           string            `json:"host,omitempty"`
	Client         string            `json:"client,omitempty"`
	Bytes          int64             `json:"bytes,omitempty"`
	RequestTime    *float64          `json:"request_time,omitempty"`
	UpstreamTime   *float64          `json:"upstream_time,omitempty"`
	Upstream       string            `json:"upstream,omitempty"`
	UpstreamStatus string            `json:"upstream_status,omitempty"`
	Referer        string            `json:"referer,omitempty"`
	UserAgent      string            `json:"user_agent,omitempty"`
	PID            int               `json:"pid,omitempty"`
	TID            int64             `json:"tid,omitempty"`
	Module         string            `json:"module,omitempty"`
	Code           string            `json:"code,omitempty"`
	Request        string            `json:"request,omitempty"`
	Conn           int64             `json:"conn,omitempty"`
	Message        string            `json:"message,omitempty"`
	Fields         map[string]string `json:"fields,omitempty"`
	Truncated      bool              `json:"truncated,omitempty"`
	Raw            string            `json:"raw"`
}

// MarshalJSON encodes the event for `faultline parse`. The format is
// "unparsed" for lines no parser understood; line and offset are left out
// when the entry was not read from an input (Line 0).
func (e Event) MarshalJSON() ([]byte, error) {
	j := eventJSON{
		TimeKnownZone: e.TimeKnownZone, Source: e.Source, Line: e.Line,
		Format: e.Format, Level: e.Level.String(), Status: e.Status, Method: e.Method,
		Path: e.Path, Protocol: e.Protocol, Host: e.Host, Client: e.Client, Bytes: e.Bytes,
		Upstream: e.Upstream, UpstreamStatus: e.UpstreamStatus, Referer: e.Referer,
		UserAgent: e.UserAgent, PID: e.PID, TID: e.TID, Module: e.Module, Code: e.Code,
		Request: e.Request, Conn: e.Conn, Message: e.Message, Truncated: e.Truncated, Raw: string(e.Raw),
	}
	if j.Format == "" {
		j.Format = "unparsed"
	}
	if e.Line > 0 {
		// line and offset are unknown (0) for an entry not read from an
		// input, such as the detection sample
		off := e.Offset
		j.Offset = &off
	}
	if !e.Time.IsZero() {
		t := e.Time.UTC()
		j.Time = &t
	}
	if e.RequestTime >= 0 && e.Status != 0 {
		v := e.RequestTime
		j.RequestTime = &v
	}
	if e.UpstreamTime >= 0 && e.Status != 0 {
		v := e.UpstreamTime
		j.UpstreamTime = &v
	}
	if len(e.Fields) > 0 {
		j.Fields = make(map[string]string, len(e.Fields))
		for _, f := range e.Fields {
			j.Fields[f.Key] = f.Value
		}
	}
	return json.Marshal(j)
}
