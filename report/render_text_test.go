package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func tRenderText(t *testing.T, a *Analysis, o TextOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := RenderText(&b, a, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGoldenText(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			a := fixture(t, name)
			checkGolden(t, "text-"+name+".txt", []byte(tRenderText(t, a, TextOptions{Width: 100})))
			checkGolden(t, "text-"+name+"-verbose.txt", []byte(tRenderText(t, a, TextOptions{Width: 100, Verbose: true})))
			if name == "oom" || name == "hostile" {
				checkGolden(t, "text-"+name+"-color.txt", []byte(tRenderText(t, a, TextOptions{Width: 100, Color: true})))
			}
		})
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestTextIsTerminalSafe: no control character from a log reaches the
// terminal; with colour only SGR sequences appear, without colour none.
func TestTextIsTerminalSafe(t *testing.T) {
	for _, name := range fixtureNames {
		a := fixture(t, name)
		for _, o := range []TextOptions{{Width: 100}, {Width: 100, Verbose: true}, {Width: 60}, {Width: 100, Color: true, Verbose: true}} {
			out := tRenderText(t, a, o)
			if !o.Color && strings.Contains(out, "\x1b") {
				t.Errorf("%s %+v: escape sequence without colour", name, o)
			}
			checkTerminalSafe(t, sgr.ReplaceAllString(out, ""), true)
		}
	}
}

// TestTextContent checks what the summary must say.
func TestTextContent(t *testing.T) {
	out := tRenderText(t, fixture(t, "oom"), TextOptions{Width: 100})
	for _, want := range []string{
		"Europe/Berlin (CET, UTC+01:00)", "the offset +01:00 seen in the access logs",
		"/var/log/php8.3-fpm.log", "21,388", "502/504", "2026-11-25 10:02:03 → 10:19:12 Europe/Berlin (17m 9s)",
		"2,014 of 9,870 requests failed (20.4%)", "peak 89.2% at 10:05",
		"oom-killed → fpm-child-crashed → upstream-closed-early → 502",
		"● root", "Confidence: high", "/var/log/syslog:5531", "5xx per minute (max 473 at 10:05)",
		"Check first (oom-killed):", "1. Confirm the kill", "change-deploy", "3m 51s",
		"Causes seen outside incidents", "upstream-refused ×12", "Unclassified errors (2 groups)", "e.g. line 20990:",
		"Latency (request_time): p50 84 ms → 412 ms",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if !strings.Contains(out, Sparkline([]int64{61, 204, 312, 473, 301, 188, 112, 97, 64, 51, 44, 38, 29, 21, 12, 4, 2, 1})) {
		t.Error("no sparkline of the per-minute 5xx")
	}
	for i, line := range strings.Split(out, "\n") {
		if w := utf8.RuneCountInString(line); w > 100 {
			t.Errorf("line %d is %d columns wide: %s", i+1, w, line)
		}
	}
	quiet := tRenderText(t, fixture(t, "quiet"), TextOptions{})
	for _, want := range []string{"No incident found — 230,114 requests, 4 5xx (<0.1%): 500 ×3, 503 ×1", "no format recognised", "e.g. line 1: \\x00\\x00\\x00binary junk"} {
		if !strings.Contains(quiet, want) {
			t.Errorf("quiet summary lacks %q", want)
		}
	}
}

func TestSparkline(t *testing.T) {
	tests := []struct {
		in   []int64
		want string
	}{
		{nil, ""},
		{[]int64{0, 0}, "  "},
		{[]int64{1, 2, 3, 4, 5, 6, 7, 8}, "▁▂▃▄▅▆▇█"},
		{[]int64{0, 1, 1000}, " ▁█"},
		{[]int64{5}, "█"},
		{[]int64{-3, 4}, " █"},
		{[]int64{1 << 62, 1 << 61}, "█▄"},
	}
	for _, tt := range tests {
		if got := Sparkline(tt.in); got != tt.want {
			t.Errorf("Sparkline(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	vals, per := sparkDownsample(make([]int64, 250), 100)
	if per != 3 || len(vals) != 84 {
		t.Errorf("downsample: %d values of %d", len(vals), per)
	}
}

func TestRenderNilAnalysis(t *testing.T) {
	var b bytes.Buffer
	if RenderText(&b, nil, TextOptions{}) == nil || RenderMarkdown(&b, nil) == nil || RenderJSON(&b, nil) == nil || RenderHTML(&b, nil) == nil {
		t.Error("a nil analysis rendered without error")
	}
}

// TestRenderMinimal: an Analysis with nothing in it renders everywhere.
func TestRenderMinimal(t *testing.T) {
	a := &Analysis{}
	a.Incidents = []*Incident{{ID: 1}}
	var b bytes.Buffer
	for _, f := range []func() error{
		func() error { return RenderText(&b, a, TextOptions{Verbose: true}) },
		func() error { return RenderMarkdown(&b, a) },
		func() error { return RenderJSON(&b, a) },
		func() error { return RenderHTML(&b, a) },
		func() error { return RenderText(&b, &Analysis{}, TextOptions{}) },
		func() error { return RenderHTML(&b, &Analysis{}) },
	} {
		if err := f(); err != nil {
			t.Error(err)
		}
	}
}
