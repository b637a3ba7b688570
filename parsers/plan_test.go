package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// inputsIn writes files (name → content) into a temporary directory and
// expands it; mtime, when set, is every file's modification time.
func inputsIn(t *testing.T, files map[string]string, mtime time.Time) []*Input {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		writeFile(t, path, []byte(text))
		if !mtime.IsZero() {
			if err := os.Chtimes(path, mtime, mtime); err != nil {
				t.Fatal(err)
			}
		}
	}
	inputs, notes := Expand([]string{dir}, nil)
	if len(notes) > 0 {
		t.Fatalf("notes %v", notes)
	}
	return inputs
}

// timesBySource decodes the inputs and returns each input's event times
// (RFC 3339, UTC), keyed by base name.
func timesBySource(t *testing.T, inputs []*Input, opts Options) map[string][]string {
	t.Helper()
	evs, _, errs := decodeAll(t, inputs, opts)
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	out := map[string][]string{}
	for _, ev := range evs {
		name := filepath.Base(ev.Source)
		out[name] = append(out[name], ev.Time.Format(time.RFC3339))
	}
	return out
}

func TestZoneChoice(t *testing.T) {
	const errLog = "2026/11/20 14:02:11 [error] 1187#1187: *18 upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.9, server: shop.example.com, request: \"GET /checkout HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"shop.example.com\"\n"
	access := func(offset string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(`203.0.113.9 - - [20/Nov/2026:14:02:1` + string(rune('0'+i%10)) + ` ` + offset + `] "GET /checkout HTTP/1.1" 502 157 "-" "curl/8.5.0"` + "\n")
		}
		return b.String()
	}
	tests := []struct {
		name     string
		files    map[string]string
		tz       *time.Location
		env      string // $TZ: the machine's zone
		want     string // the error line's time in UTC
		zone     string
		reasonIn string
	}{
		{"--tz wins over access logs", map[string]string{"error.log": errLog, "access.log": access("+0100", 5)},
			time.FixedZone("UTC-05:00", -5*3600), "UTC", "2026-11-20T19:02:11Z", "UTC-05:00", "set with --tz"},
		{"offset learned from the access log", map[string]string{"error.log": errLog, "access.log": access("+0100", 5)},
			nil, "America/New_York", "2026-11-20T13:02:11Z", "UTC+01:00", "learned from the access logs"},
		{"the most common offset of several", map[string]string{"error.log": errLog, "a.log": access("+0100", 2), "b.log": access("+0530", 6)},
			nil, "UTC", "2026-11-20T08:32:11Z", "UTC+05:30", "learned from the access logs"},
		{"the local zone named when it matches the access logs", map[string]string{"error.log": errLog, "access.log": access("+0100", 3)},
			nil, "Europe/Berlin", "2026-11-20T13:02:11Z", "Europe/Berlin", "matches the offset UTC+01:00"},
		{"the local zone when the access logs span its DST change", map[string]string{"error.log": errLog, "a.log": access("+0200", 5), "b.log": access("+0100", 3)},
			nil, "Europe/Berlin", "2026-11-20T13:02:11Z", "Europe/Berlin", "offsets UTC+02:00 and UTC+01:00"},
		{"a fixed offset when the local zone does not use them all", map[string]string{"error.log": errLog, "a.log": access("+0200", 5), "b.log": access("+0100", 3)},
			nil, "Asia/Tokyo", "2026-11-20T12:02:11Z", "UTC+02:00", "learned from the access logs"},
		{"UTC access logs", map[string]string{"error.log": errLog, "access.log": access("+0000", 3)},
			nil, "Asia/Tokyo", "2026-11-20T14:02:11Z", "UTC", "offset of the access logs"},
		{"the local zone without access logs", map[string]string{"error.log": errLog},
			nil, "Asia/Tokyo", "2026-11-20T05:02:11Z", "Asia/Tokyo", "no access log to learn the zone from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("TZ", tt.env)
			inputs := inputsIn(t, tt.files, time.Time{})
			plans := Prepare(inputs, Options{TZ: tt.tz})
			var errPlan *Plan
			for _, p := range plans {
				if filepath.Base(p.Input.Path) == "error.log" {
					errPlan = p
				}
			}
			if got := errPlan.Clock.Loc.String(); got != tt.zone || !strings.Contains(errPlan.Clock.Reason, tt.reasonIn) {
				t.Errorf("zone %s (%s), want %s (… %s …)", got, errPlan.Clock.Reason, tt.zone, tt.reasonIn)
			}
			if !errPlan.Zoneless() {
				t.Error("the Nginx error log is not marked zoneless")
			}
			ev, ok := errPlan.SampleEvent()
			if !ok || ev.Time.Format(time.RFC3339) != tt.want || ev.TimeKnownZone {
				t.Errorf("error line at %s (known zone %v), want %s", ev.Time.Format(time.RFC3339), ev.TimeKnownZone, tt.want)
			}
			// the access lines keep their own offsets whatever the zone
			for _, p := range plans {
				if p != errPlan {
					if ev, ok := p.SampleEvent(); !ok || !ev.TimeKnownZone {
						t.Errorf("%s: sample %+v", p.Input.Path, ev)
					}
				}
			}
		})
	}
}

// TestSyslogYear checks the year given to year-less syslog stamps: from
// the other logs of the run when there are any (whatever the file's
// modification time), else from the file's modification time, across the
// December → January turn in both cases.
func TestSyslogYear(t *testing.T) {
	const syslog = "Dec 31 23:59:58 web-01 systemd[1]: Starting Rotate log files...\n" +
		"Jan  1 00:00:02 web-01 kernel: [1310061.327439] Out of memory: Killed process 4321 (php-fpm8.2) total-vm:1052716kB, anon-rss:612344kB, file-rss:0kB, shmem-rss:28716kB, UID:33 pgtables:1480kB oom_score_adj:0\n"
	tests := []struct {
		name  string
		files map[string]string
		mtime time.Time
		want  []string
	}{
		{"from the access log, not the modification time", map[string]string{
			"syslog":     syslog,
			"access.log": `203.0.113.9 - - [31/Dec/2024:23:59:50 +0000] "GET / HTTP/1.1" 200 157 "-" "curl/8.5.0"` + "\n",
		}, time.Date(2031, 3, 1, 0, 0, 0, 0, time.UTC), []string{"2024-12-31T23:59:58Z", "2025-01-01T00:00:02Z"}},
		{"from an access log that starts after the turn", map[string]string{
			"syslog":     syslog,
			"access.log": `203.0.113.9 - - [01/Jan/2025:00:00:01 +0000] "GET / HTTP/1.1" 200 157 "-" "curl/8.5.0"` + "\n",
		}, time.Date(2031, 3, 1, 0, 0, 0, 0, time.UTC), []string{"2024-12-31T23:59:58Z", "2025-01-01T00:00:02Z"}},
		{"from the modification time just after the turn", map[string]string{"syslog": syslog},
			time.Date(2027, 1, 1, 0, 5, 0, 0, time.UTC), []string{"2026-12-31T23:59:58Z", "2027-01-01T00:00:02Z"}},
		{"from a modification time months later", map[string]string{"syslog": syslog},
			time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), []string{"2026-12-31T23:59:58Z", "2027-01-01T00:00:02Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs := inputsIn(t, tt.files, tt.mtime)
			got := timesBySource(t, inputs, Options{TZ: time.UTC})["syslog"]
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("syslog times %v, want %v", got, tt.want)
			}
		})
	}
}

func TestForcedFormat(t *testing.T) {
	access, _ := LookupFormat(FormatNginxAccess)
	text, _ := LookupFormat(FormatAppText)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Forced: map[string]*Format{
		"logs/nginx/access.log": access,
		"":                      text,
	}}
	for path, want := range map[string]*Format{
		"logs/nginx/access.log":                          access,
		"./logs/nginx/access.log":                        access,
		"logs/nginx/../nginx/access.log":                 access,
		filepath.Join(wd, "logs", "nginx", "access.log"): access,
		"logs/nginx/access.log.1":                        access,
		"logs/nginx/access.log-20261120.gz":              access,
		"logs/nginx/error.log":                           text,
		"logs/nginx/access.log.old":                      text,
		"-":                                              text,
	} {
		if got := o.ForcedFormat(path); got != want {
			t.Errorf("ForcedFormat(%s) = %v, want %v", path, got, want)
		}
	}
	if got := (&Options{}).ForcedFormat("x.log"); got != nil {
		t.Errorf("no --as: %v", got)
	}
}
