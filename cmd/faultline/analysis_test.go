package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
)

// TestProgressOnlyOnTerminal checks when scan shows a progress bar: on a
// terminal, for big inputs, unless -q; never into a pipe or a file.
func TestProgressOnlyOnTerminal(t *testing.T) {
	plans := func(size int64) []*parsers.Plan {
		return []*parsers.Plan{{Input: &parsers.Input{Path: "a.log", Size: size / 2}}, {Input: &parsers.Input{Path: "b.log.gz", Size: size / 2}}}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	ptm, pts, err := openPTY()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer pts.Close()

	for _, tt := range []struct {
		name   string
		stderr io.Writer
		size   int64
		quiet  bool
		bar    bool
	}{
		{"pipe", pw, 1 << 30, false, false},
		{"buffer", &bytes.Buffer{}, 1 << 30, false, false},
		{"terminal, quiet", pts, 1 << 30, true, false},
		{"terminal, small input", pts, 1 << 20, false, false},
		{"terminal, big input", pts, 1 << 30, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ps := plans(tt.size)
			p := newProgress(ps, tt.stderr, tt.quiet)
			if got := p.bar != nil; got != tt.bar {
				t.Fatalf("bar shown %v, want %v", got, tt.bar)
			}
			for _, pl := range ps {
				if (pl.Input.OnRead != nil) != tt.bar {
					t.Errorf("%s: read hook set %v", pl.Input.Path, pl.Input.OnRead != nil)
				}
			}
			if !tt.bar {
				return
			}
			ps[0].Input.OnRead(64 << 20)
			p.finish()
			p.finish() // a second finish is harmless
			got := make(chan string, 1)
			go func() {
				buf := make([]byte, 4096)
				n, _ := ptm.Read(buf)
				got <- string(buf[:n])
			}()
			select {
			case s := <-got:
				if !strings.Contains(s, "reading logs") {
					t.Errorf("terminal got %q, want the progress bar", s)
				}
			case <-time.After(5 * time.Second):
				t.Error("nothing written to the terminal")
			}
		})
	}
}

func TestParseZone(t *testing.T) {
	for _, tt := range []struct {
		in     string
		offset int // seconds east of UTC in November 2026
		err    bool
	}{
		{"UTC", 0, false},
		{"Europe/Berlin", 3600, false},
		{"+01:00", 3600, false},
		{"-0530", -5*3600 - 30*60, false},
		{"+05", 5 * 3600, false},
		{"+25:00", 0, true},
		{"+01:75", 0, true},
		{"Mars/Olympus", 0, true},
	} {
		loc, err := parseZone(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("parseZone(%q): error %v", tt.in, err)
			continue
		}
		if err == nil {
			if _, off := time.Date(2026, 11, 20, 12, 0, 0, 0, loc).Zone(); off != tt.offset {
				t.Errorf("parseZone(%q): offset %d, want %d", tt.in, off, tt.offset)
			}
		}
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"2026-11-20T14:00:00Z", "2026-11-20T14:00:00Z"},
		{"2026-11-20T14:00:00+01:00", "2026-11-20T13:00:00Z"},
		{"2026-11-20 14:00", "2026-11-20T13:00:00Z"}, // in the zone of the logs
		{"2026-11-20", "2026-11-19T23:00:00Z"},
		{"2h", "2026-11-20T13:00:00Z"},
		{"90m", "2026-11-20T13:30:00Z"},
		{"1.5d", "2026-11-19T03:00:00Z"},
		{"", "0001-01-01T00:00:00Z"},
		{"yesterday", "error"},
		{"-2h", "error"},
	} {
		got, err := parseWhen("since", tt.in, berlin, now)
		s := got.Format(time.RFC3339)
		if err != nil {
			s = "error"
			if !strings.Contains(err.Error(), `--since "`+tt.in+`"`) {
				t.Errorf("parseWhen(%q): message %q does not name the flag and value", tt.in, err)
			}
		}
		if s != tt.want {
			t.Errorf("parseWhen(%q) = %s, want %s", tt.in, s, tt.want)
		}
	}
}
