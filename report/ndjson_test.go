package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// decodeLine checks that out is exactly one line of one JSON object and
// returns it, with the keys in the order written.
func decodeLine(t *testing.T, out string) (map[string]any, []string) {
	t.Helper()
	if !strings.HasSuffix(out, "\n") || strings.Count(out, "\n") != 1 {
		t.Fatalf("not one line: %q", out)
	}
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("invalid JSON %q: %v", out, err)
	}
	var keys []string
	tok := json.NewDecoder(strings.NewReader(out))
	depth := 0
	expectKey := false
	for {
		tk, err := tok.Token()
		if err != nil {
			break
		}
		switch v := tk.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
			expectKey = depth == 1 && v == '{'
			continue
		case string:
			if depth == 1 && expectKey {
				keys = append(keys, v)
				expectKey = false
				continue
			}
		}
		if depth == 1 {
			expectKey = true
		}
	}
	return obj, keys
}

func TestWriteFindingNDJSON(t *testing.T) {
	ts := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	errLine := `2026/11/25 11:00:00 [error] 811#811: *4 connect() failed (111: Connection refused) while connecting to upstream, client: 192.0.2.7, server: example.com, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:8080/", host: "example.com"`
	tests := []struct {
		name   string
		f      rules.Finding
		want   map[string]any // values as json.Number / string
		absent []string
		order  []string // leading keys in this order
		nested map[string]string
	}{
		{
			name: "nginx error with fields",
			f: rules.Finding{
				Event: &parsers.Event{Time: ts.In(time.FixedZone("CET", 3600)), Source: "/var/log/nginx/error.log", Line: 12, Format: "nginx-error",
					Level: parsers.LevelError, PID: 811, Client: "192.0.2.7", Request: "GET / HTTP/1.1", Host: "example.com",
					Upstream: "http://127.0.0.1:8080/", Message: "*4 connect() failed (111: Connection refused) while connecting to upstream", Raw: []byte(errLine)},
				Rule: "nginx-upstream-refused", Cause: "upstream-refused", Kind: rules.KindCause, Layer: rules.LayerGateway,
				Fields: []parsers.Field{{Key: "upstream", Value: "http://127.0.0.1:8080/"}, {Key: "errno", Value: "111"}, {Key: "message", Value: "other"}, {Key: "errno", Value: "112"}},
			},
			want: map[string]any{"time": "2026-11-25T10:00:00Z", "source": "/var/log/nginx/error.log", "line": json.Number("12"), "format": "nginx-error",
				"kind": "cause", "cause": "upstream-refused", "rule": "nginx-upstream-refused", "layer": "gateway", "status": json.Number("0"),
				"upstream": "http://127.0.0.1:8080/", "client": "192.0.2.7", "host": "example.com", "pid": json.Number("811"),
				"request": "GET / HTTP/1.1", "errno": "111",
				"message": "*4 connect() failed (111: Connection refused) while connecting to upstream"},
			absent: []string{"path", "method"},
			order:  []string{"time", "source", "line", "format", "kind", "cause", "rule", "layer", "status", "upstream", "message"},
			nested: map[string]string{"message": "other", "errno": "112"},
		},
		{
			name: "unparsed line without time, fields fill empty keys",
			f: rules.Finding{
				Event: &parsers.Event{Source: "-", Line: 3, Message: "Out of memory: Killed process 8123 (php-fpm)", Raw: []byte("Out of memory: Killed process 8123 (php-fpm)")},
				Rule:  "kernel-oom", Cause: "oom-killed", Kind: rules.KindCause, Layer: rules.LayerOS,
				Fields: []parsers.Field{{Key: "pid", Value: "8123"}, {Key: "process", Value: "php-fpm"}, {Key: "upstream", Value: "unix:/run/php.sock"}},
			},
			want: map[string]any{"source": "-", "line": json.Number("3"), "format": "unparsed", "pid": json.Number("8123"), "process": "php-fpm",
				"upstream": "unix:/run/php.sock", "layer": "os", "status": json.Number("0")},
			absent: []string{"time", "fields", "client", "host"},
		},
		{
			name: "change marker",
			f: rules.Finding{
				Event: &parsers.Event{Time: ts, Source: "/var/log/syslog", Line: 99, Format: "syslog", Message: "Started php8.3-fpm.service"},
				Rule:  "systemd-started", Cause: "change-restart", Kind: rules.KindChange, Layer: rules.LayerChange,
			},
			want:   map[string]any{"kind": "change", "cause": "change-restart", "layer": "change", "message": "Started php8.3-fpm.service", "upstream": ""},
			absent: []string{"fields", "pid"},
		},
		{
			name: "hostile text",
			f: rules.Finding{
				Event: &parsers.Event{Time: ts, Source: "/var/log/a\"b\\c", Line: 1, Format: "app-text", Message: "\x1b[31m\"quoted\"\n\ttab\x00\u2028</script>"},
				Rule:  "r", Cause: "app-exception", Kind: rules.KindCause, Layer: rules.LayerRuntime,
				Fields: []parsers.Field{{Key: "weird key\"", Value: "\xff"}},
			},
			want: map[string]any{"source": "/var/log/a\"b\\c", "message": "\x1b[31m\"quoted\"\n\ttab\x00\u2028</script>", "weird key\"": "\ufffd"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteFindingNDJSON(&b, &tt.f); err != nil {
				t.Fatal(err)
			}
			obj, keys := decodeLine(t, b.String())
			for k, v := range tt.want {
				if obj[k] != v {
					t.Errorf("%s = %#v, want %#v\n%s", k, obj[k], v, b.String())
				}
			}
			for _, k := range tt.absent {
				if _, ok := obj[k]; ok {
					t.Errorf("%s present: %s", k, b.String())
				}
			}
			for i, k := range tt.order {
				if i >= len(keys) || keys[i] != k {
					t.Errorf("key order %v, want %v first", keys, tt.order)
					break
				}
			}
			if tt.nested != nil {
				fields, _ := obj["fields"].(map[string]any)
				for k, v := range tt.nested {
					if fields[k] != v {
						t.Errorf("fields.%s = %#v, want %q", k, fields[k], v)
					}
				}
			}
			seen := map[string]bool{}
			for _, k := range keys {
				if seen[k] {
					t.Errorf("duplicate key %q: %s", k, b.String())
				}
				seen[k] = true
			}
			if strings.Contains(b.String(), "\u2028") {
				t.Error("raw U+2028 in output")
			}
		})
	}
}

func TestWriteSymptomNDJSON(t *testing.T) {
	ts := time.Date(2026, 11, 25, 10, 0, 0, 500_000_000, time.UTC)
	tests := []struct {
		name   string
		ev     parsers.Event
		want   map[string]any
		absent []string
	}{
		{
			name: "full access line",
			ev: parsers.Event{Time: ts, Source: "/var/log/nginx/access.log", Line: 88213, Format: "nginx-access", Status: 502, Method: "POST",
				Path: "/checkout", Host: "shop.example.com", Client: "198.51.100.23", Upstream: "unix:/run/php/php8.3-fpm.sock", RequestTime: 0.412, UpstreamTime: 0.411},
			want: map[string]any{"time": "2026-11-25T10:00:00.5Z", "kind": "symptom", "layer": "status", "status": json.Number("502"), "method": "POST",
				"path": "/checkout", "host": "shop.example.com", "client": "198.51.100.23", "upstream": "unix:/run/php/php8.3-fpm.sock",
				"request_time": json.Number("0.412"), "format": "nginx-access", "line": json.Number("88213")},
			absent: []string{"cause", "rule", "message"},
		},
		{
			name:   "minimal, times not logged",
			ev:     parsers.Event{Source: "-", Line: 1, Format: "apache-access", Status: 500, RequestTime: -1, UpstreamTime: -1},
			want:   map[string]any{"status": json.Number("500"), "source": "-"},
			absent: []string{"time", "request_time", "upstream_time", "path", "method", "host", "client", "upstream", "cause"},
		},
		{
			name:   "app request log with message",
			ev:     parsers.Event{Time: ts, Source: "log/production.log", Line: 7, Format: "app-text", Status: 500, Path: "/orders", Method: "GET", RequestTime: -1, Message: "Completed 500 Internal Server Error in 12ms"},
			want:   map[string]any{"status": json.Number("500"), "message": "Completed 500 Internal Server Error in 12ms", "path": "/orders"},
			absent: []string{"request_time"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSymptomNDJSON(&b, &tt.ev); err != nil {
				t.Fatal(err)
			}
			obj, _ := decodeLine(t, b.String())
			for k, v := range tt.want {
				if obj[k] != v {
					t.Errorf("%s = %#v, want %#v\n%s", k, obj[k], v, b.String())
				}
			}
			for _, k := range tt.absent {
				if _, ok := obj[k]; ok {
					t.Errorf("%s present: %s", k, b.String())
				}
			}
		})
	}
}

// TestAppendJSONStringMatchesEncodingJSON: the hand-made escaper decodes
// to what encoding/json would have written.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	inputs := []string{"", "plain", "quote\" back\\slash", "\x00\x01\x1f\x7f", "\b\f\n\r\t", "héllo wörld ✓ 𝄞",
		"\xff\xfe\xc3", "a\u2028b\u2029c", "<script>&amp;</script>", hostileANSI + hostileBidi + hostileBytes}
	for _, s := range inputs {
		got := ndAppendString(nil, s)
		var dec string
		if err := json.Unmarshal(got, &dec); err != nil {
			t.Errorf("%q: invalid JSON %s: %v", s, got, err)
			continue
		}
		want, _ := json.Marshal(s)
		var wantDec string
		_ = json.Unmarshal(want, &wantDec)
		if dec != wantDec {
			t.Errorf("%q: decodes to %q, encoding/json to %q", s, dec, wantDec)
		}
	}
}

func BenchmarkWriteFindingNDJSON(b *testing.B) {
	f := &rules.Finding{
		Event: &parsers.Event{Time: time.Now(), Source: "/var/log/nginx/error.log", Line: 12, Format: "nginx-error", PID: 811,
			Client: "192.0.2.7", Upstream: "http://127.0.0.1:8080/", Host: "example.com", Request: "GET / HTTP/1.1",
			Message: "*4 connect() failed (111: Connection refused) while connecting to upstream"},
		Rule: "nginx-upstream-refused", Cause: "upstream-refused", Kind: rules.KindCause, Layer: rules.LayerGateway,
		Fields: []parsers.Field{{Key: "upstream", Value: "http://127.0.0.1:8080/"}, {Key: "errno", Value: "111"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteFindingNDJSON(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}
