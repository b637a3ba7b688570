package parsers

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStripWrappers(t *testing.T) {
	tests := []struct {
		name      string
		strip     func([]byte, *Clock, *wrapInfo) ([]byte, bool)
		line      string
		ok        bool
		inner     string
		key       string
		detectKey string
		time      string // RFC 3339, "" for none
		known     bool
		partial   bool
	}{
		{"compose v1", stripCompose, "web_1  | 172.18.0.1 - - [20/Nov/2026:14:02:05 +0000] \"GET / HTTP/1.1\" 200 1532", true,
			"172.18.0.1 - - [20/Nov/2026:14:02:05 +0000] \"GET / HTTP/1.1\" 200 1532", "web_1", "web_1", "", false, false},
		{"compose v2", stripCompose, "api-1  | {\"level\":30,\"msg\":\"x\"}", true, "{\"level\":30,\"msg\":\"x\"}", "api-1", "api-1", "", false, false},
		{"compose keeps indentation", stripCompose, "app_1  |   File \"/app/a.py\", line 2, in f", true, "  File \"/app/a.py\", line 2, in f", "app_1", "app_1", "", false, false},
		{"compose empty line", stripCompose, "app_1  |", true, "", "app_1", "app_1", "", false, false},
		{"compose long service name", stripCompose, "shop-worker.default-12 | done", true, "done", "shop-worker.default-12", "shop-worker.default-12", "", false, false},
		{"compose attaching line", stripCompose, "Attaching to shop_web_1, shop_app_1", false, "", "", "", "", false, false},
		{"compose no bar", stripCompose, "web_1  172.18.0.1 - -", false, "", "", "", "", false, false},
		{"pm2", stripPM2, "0|shop-api | Error: connect ECONNREFUSED 127.0.0.1:5432", true, "Error: connect ECONNREFUSED 127.0.0.1:5432", "0|shop-api", "0|shop-api", "", false, false},
		{"pm2 padded, indented frame", stripPM2, "1|worker   |     at /app/src/job.js:42:31", true, "    at /app/src/job.js:42:31", "1|worker", "1|worker", "", false, false},
		{"pm2 own line", stripPM2, "PM2        | App [shop-api:0] exited with code [1] via signal [SIGINT]", false, "", "", "", "", false, false},
		{"pm2 no name", stripPM2, "0|| x", false, "", "", "", "", false, false},
		{"docker logs -t", stripDockerTS, "2026-11-20T14:02:09.871245918Z Traceback (most recent call last):", true, "Traceback (most recent call last):", "", "", "2026-11-20T14:02:09.871245918Z", true, false},
		{"docker logs -t indentation kept", stripDockerTS, "2026-11-20T14:02:09.871250211Z   File \"/app/a.py\", line 2", true, "  File \"/app/a.py\", line 2", "", "", "2026-11-20T14:02:09.871250211Z", true, false},
		{"docker logs -t needs T", stripDockerTS, "2026-11-20 14:02:09.871Z message", false, "", "", "", "", false, false},
		{"docker logs -t needs zone", stripDockerTS, "2026-11-20T14:02:09.871 message", false, "", "", "", "", false, false},
		{"cri full", stripCRI, "2026-11-20T14:02:10.123456789Z stdout F {\"level\":\"info\"}", true, "{\"level\":\"info\"}", "", "", "2026-11-20T14:02:10.123456789Z", true, false},
		{"cri partial", stripCRI, "2026-11-20T14:02:12.300000000Z stdout P {\"level\":\"error\",", true, "{\"level\":\"error\",", "", "", "2026-11-20T14:02:12.3Z", true, true},
		{"cri-o offset, stderr", stripCRI, "2020-01-26T03:17:29.346494690+00:00 stderr F 2020/01/26 03:17:29 provider.go:117: Defaulting client-id", true, "2020/01/26 03:17:29 provider.go:117: Defaulting client-id", "", "", "2020-01-26T03:17:29.34649469Z", true, false},
		{"cri empty full line", stripCRI, "2026-11-20T14:02:10.123456789Z stdout F", true, "", "", "", "2026-11-20T14:02:10.123456789Z", true, false},
		{"cri bad stream", stripCRI, "2026-11-20T14:02:10.123456789Z stdin F x", false, "", "", "", "", false, false},
		{"cri bad tag", stripCRI, "2026-11-20T14:02:10.123456789Z stdout X x", false, "", "", "", "", false, false},
		{"journald", stripJournald, "Nov 20 14:02:10 web-01 gunicorn[815]: [2026-11-20 14:02:10 +0000] [815] [ERROR] Error handling request /checkout", true,
			"[2026-11-20 14:02:10 +0000] [815] [ERROR] Error handling request /checkout", "gunicorn[815]", "gunicorn", "2026-11-20T14:02:10Z", false, false},
		{"journald keeps indentation", stripJournald, "Nov 20 14:02:10 web-01 gunicorn[815]:   File \"/srv/a.py\", line 135, in handle", true,
			"  File \"/srv/a.py\", line 135, in handle", "gunicorn[815]", "gunicorn", "2026-11-20T14:02:10Z", false, false},
		{"journald single-digit day, no pid", stripJournald, "Nov  2 04:05:06 web-01 kernel: Out of memory: Killed process 815 (gunicorn)", true,
			"Out of memory: Killed process 815 (gunicorn)", "kernel", "kernel", "2026-11-02T04:05:06Z", false, false},
		{"journald short-iso", stripJournald, "2026-11-20T14:02:10+0100 web-01 php-fpm[700]: [20-Nov-2026 14:02:10] WARNING: [pool www] seems busy", true,
			"[20-Nov-2026 14:02:10] WARNING: [pool www] seems busy", "php-fpm[700]", "php-fpm", "2026-11-20T13:02:10Z", true, false},
		{"journald short-precise", stripJournald, "Nov 20 14:02:10.123456 web-01 app[1]: x", true, "x", "app[1]", "app", "2026-11-20T14:02:10.123456Z", false, false},
		{"journald no unit", stripJournald, "Nov 20 14:02:10 web-01", false, "", "", "", "", false, false},
		{"journald unterminated pid", stripJournald, "Nov 20 14:02:10 web-01 app[12: x", false, "", "", "", "", false, false},
		{"journald not a stamp", stripJournald, "November 20 web-01 app: x", false, "", "", "", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := NewClock(time.UTC, "test")
			clock.YearRef = goldenYearRef
			var info wrapInfo
			inner, ok := tt.strip([]byte(tt.line), clock, &info)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (inner %q)", ok, tt.ok, inner)
			}
			if !ok {
				return
			}
			if string(inner) != tt.inner {
				t.Errorf("inner = %q, want %q", inner, tt.inner)
			}
			if string(info.key) != tt.key || string(info.detectKey) != tt.detectKey {
				t.Errorf("key = %q/%q, want %q/%q", info.key, info.detectKey, tt.key, tt.detectKey)
			}
			if tt.time == "" {
				if !info.time.IsZero() {
					t.Errorf("time = %v, want none", info.time)
				}
			} else {
				want, _ := time.Parse(time.RFC3339Nano, tt.time)
				if !info.time.Equal(want) || info.timeKnownZone != tt.known {
					t.Errorf("time = %v (known %v), want %v (known %v)", info.time, info.timeKnownZone, want, tt.known)
				}
			}
			if info.partial != tt.partial {
				t.Errorf("partial = %v, want %v", info.partial, tt.partial)
			}
		})
	}
}

// TestStripWrappersNeverPanic runs every wrapper over awkward input.
func TestStripWrappersNeverPanic(t *testing.T) {
	inputs := []string{"", "|", " | ", "0|", "0|a", "0|a |", "Nov", "Nov 20", "Nov 20 14:02:10", "Nov 20 14:02:10 ", "Nov 20 14:02:10 h",
		"Nov 20 14:02:10 h u[", "Nov 20 14:02:10 h u[1]", "Nov 20 14:02:10 h :", "2026-11-20T14:02:10Z", "2026-11-20T14:02:10Z ",
		"2026-11-20T14:02:10Z stdout", "2026-11-20T14:02:10Z stdout ", "2026-11-20T14:02:10.Z x", "2026-11-20T14:02:10+ x",
		"Nov 99 99:99:99 h u: x", "\x00\xff|\xfe", strings.Repeat("a", 10000) + " | x"}
	for _, w := range wrappers {
		for _, in := range inputs {
			clock := NewClock(time.UTC, "test")
			var info wrapInfo
			w.strip([]byte(in), clock, &info)
		}
	}
}

// TestWrappedDetect checks the wrapper and formats detected for each
// testdata/parsers/wrapped file (the detect test skips that directory,
// whose name is not a format id).
func TestWrappedDetect(t *testing.T) {
	tests := []struct {
		file    string
		wrapper string
		format  string            // the format of the biggest stream
		keys    map[string]string // detect key -> format
	}{
		{"compose-v1.log", WrapCompose, FormatAppText, map[string]string{"web_1": FormatNginxAccess, "app_1": FormatAppText}},
		{"compose-v2.log", WrapCompose, FormatNginxAccess, map[string]string{"web-1": FormatNginxAccess, "api-1": FormatAppJSON}},
		{"docker-logs-t.log", WrapDockerTS, FormatAppText, nil},
		{"cri.log", WrapCRI, FormatAppJSON, nil},
		{"pm2.log", WrapPM2, FormatAppText, map[string]string{"0|shop-api": FormatAppText, "1|worker": FormatAppText}},
		// A journald file stays syslog as a whole; the gunicorn unit, whose
		// own lines app-text understands completely, is read as app-text.
		{"journald.log", WrapJournald, FormatSyslog, map[string]string{"gunicorn": FormatAppText}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			inputs, _ := Expand([]string{filepath.Join("..", "testdata", "parsers", "wrapped", tt.file)}, nil)
			if len(inputs) != 1 {
				t.Fatalf("expand: %v", inputs)
			}
			d, err := Probe(inputs[0], nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if d.Wrapper != tt.wrapper || d.Format == nil || d.Format.ID != tt.format {
				t.Fatalf("detected %s, want %s inside %q (ranking %v)", d, tt.format, tt.wrapper, d.Ranking)
			}
			for k, want := range tt.keys {
				c, ok := d.Keys[k]
				if !ok || c.Format == nil || c.Format.ID != want {
					t.Errorf("key %q: %v, want %s", k, c.Format, want)
				}
			}
		})
	}
}

// TestWrappedJournaldInner checks that the lines inside the journald
// wrapper are understood as app-text per unit.
func TestWrappedJournaldInner(t *testing.T) {
	inputs, _ := Expand([]string{filepath.Join("..", "testdata", "parsers", "wrapped", "journald.log")}, nil)
	lines, err := readSample(inputs[0])
	if err != nil {
		t.Fatal(err)
	}
	inner, wraps, keys, fits := unwrapSample(lookupWrapper(WrapJournald), lines, NewClock(time.UTC, "test"))
	if !fits {
		t.Fatal("journald wrapper does not fit")
	}
	kd := pickPerKey(candidates(nil), inner, wraps, keys, inputs[0].Path, nil, lines)
	if kd.overall.Format == nil || kd.overall.Format.ID != FormatAppText || kd.conf < 0.99 {
		t.Fatalf("inner format %v at %.2f, want app-text at 1.0", kd.overall.Format, kd.conf)
	}
	if c := kd.perKey["gunicorn"]; c.Format == nil || c.Format.ID != FormatAppText {
		t.Errorf("gunicorn: %v", c.Format)
	}
}

// TestWrappedDecode decodes the wrapped files and checks that each stream
// was joined and parsed on its own.
func TestWrappedDecode(t *testing.T) {
	decode := func(name string) ([]Event, *FileStats) {
		inputs, _ := Expand([]string{filepath.Join("..", "testdata", "parsers", "wrapped", name)}, nil)
		plans := Prepare(inputs, Options{TZ: time.UTC, YearRef: goldenYearRef})
		var evs []Event
		st, err := plans[0].Decode(context.Background(), func(b []Event) error {
			evs = append(evs, b...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return evs, st
	}
	find := func(evs []Event, sub string) *Event {
		for i := range evs {
			if strings.Contains(string(evs[i].Raw), sub) {
				return &evs[i]
			}
		}
		return nil
	}

	evs, st := decode("compose-v1.log")
	if st.Unparsed != 1 {
		t.Errorf("compose-v1: %d unparsed lines, want 1 (the Attaching line)", st.Unparsed)
	}
	tb := find(evs, "Traceback (most recent call last):")
	if tb == nil || tb.Format != FormatAppText || tb.Module != "django.request" || !strings.Contains(tb.Message, "django.db.utils.OperationalError") ||
		strings.Contains(string(tb.Raw), "GET /static") || strings.Contains(string(tb.Raw), "app_1  |") {
		t.Errorf("compose-v1: traceback not joined within its service: %+v", tb)
	}
	if e := find(evs, "GET /export"); e == nil || e.Format != FormatNginxAccess || e.Status != 502 {
		t.Errorf("compose-v1: nginx line: %+v", e)
	}

	evs, _ = decode("cri.log")
	if e := find(evs, `"path":"/checkout"`); e == nil || e.Format != FormatAppJSON || e.Status != 502 || e.Path != "/checkout" || e.Line != 3 {
		t.Errorf("cri: partial line not joined: %+v", e)
	}

	evs, _ = decode("pm2.log")
	if e := find(evs, "Error: connect ECONNREFUSED"); e == nil || !strings.Contains(e.Message, "port: 5432\n}") || strings.Contains(e.Message, "job 8812") {
		t.Errorf("pm2: error not joined within its app: %+v", e)
	}
	if e := find(evs, "job 8813 failed"); e == nil || e.Level != LevelError || e.Time.IsZero() {
		t.Errorf("pm2: worker line: %+v", e)
	}

	evs, _ = decode("docker-logs-t.log")
	if e := find(evs, "Traceback"); e == nil || e.Time.IsZero() || !e.TimeKnownZone || !strings.Contains(e.Message, "psycopg2.OperationalError") {
		t.Errorf("docker -t: traceback without the wrapper's time or not joined: %+v", e)
	}
}
