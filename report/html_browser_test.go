package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The HTML report is checked end to end in headless Chromium: the DOM after
// rendering (chart, sections, tables, escaped hostile text) and a
// screenshot. The test skips when no Chromium is installed, unless
// FAULTLINE_REQUIRE_BROWSER=1, when it fails instead.

// findChromium returns the browser binary, or "".
func findChromium() string {
	if p := os.Getenv("FAULTLINE_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func requireChromium(t *testing.T) string {
	t.Helper()
	bin := findChromium()
	if bin == "" {
		if os.Getenv("FAULTLINE_REQUIRE_BROWSER") == "1" {
			t.Fatal("FAULTLINE_REQUIRE_BROWSER=1 but no Chromium found (install it: apt-get install -y chromium)")
		}
		t.Skip("no Chromium installed (/usr/bin/chromium); set FAULTLINE_REQUIRE_BROWSER=1 to make this a failure")
	}
	return bin
}

// runChromium runs headless Chromium on a file with extra flags and
// returns its standard output.
func runChromium(t *testing.T, bin, file string, extra ...string) []byte {
	t.Helper()
	tmp := t.TempDir()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(tmp, "profile")}
	args = append(args, extra...)
	args = append(args, "file://"+file)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, stderr.String())
	}
	return stdout.Bytes()
}

// writeHTML renders a fixture into a temporary file.
func writeHTML(t *testing.T, a *Analysis) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(tRenderHTML(t, a)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var externalRef = regexp.MustCompile(`(?i)(?:\b(?:src|href|srcset|action|poster|data|xlink:href)\s*=\s*["']?\s*(?:https?:)?//)|url\(\s*["']?\s*(?:https?:)?//|@import`)

// TestHTMLSelfContained: no external reference, no script, in any fixture.
func TestHTMLSelfContained(t *testing.T) {
	for _, name := range fixtureNames {
		html := tRenderHTML(t, fixture(t, name))
		if m := externalRef.FindString(html); m != "" {
			t.Errorf("%s: external reference %q", name, m)
		}
		for _, tag := range []string{"<script", "<link", "<iframe", "<img", "<object", "<embed"} {
			if strings.Contains(strings.ToLower(html), tag) {
				t.Errorf("%s: page contains %s", name, tag)
			}
		}
	}
}

func TestHTMLInBrowser(t *testing.T) {
	bin := requireChromium(t)
	names := fixtureNames
	if testing.Short() {
		names = []string{"hostile"}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := fixture(t, name)
			file := writeHTML(t, a)
			dom := string(runChromium(t, bin, file, "--dump-dom"))
			if !strings.Contains(dom, "</html>") {
				t.Fatalf("no DOM dumped:\n%.500s", dom)
			}
			checkDOM(t, a, dom)
			if name == "oom" || name == "hostile" {
				shot := filepath.Join(filepath.Dir(file), "shot.png")
				runChromium(t, bin, file, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
				checkScreenshot(t, shot)
			}
		})
	}
}

func strCount(s, sub string) int { return strings.Count(s, sub) }

// checkDOM checks the rendered DOM against the fixture.
func checkDOM(t *testing.T, a *Analysis, dom string) {
	t.Helper()
	lower := strings.ToLower(dom)
	for _, tag := range []string{"<script", "<img", "<iframe", "<object", "<embed", "<link"} {
		if strings.Contains(lower, tag) {
			t.Errorf("DOM contains an element %s", tag)
		}
	}
	for _, id := range []string{`id="inputs"`} {
		if len(a.Files) > 0 && !strings.Contains(dom, id) {
			t.Errorf("no %s section", id)
		}
	}
	if len(a.Unclassified) > 0 && !strings.Contains(dom, `id="unclassified"`) {
		t.Error("no unclassified section")
	}
	if len(a.Incidents) == 0 {
		if !strings.Contains(dom, `id="no-incident"`) || !strings.Contains(dom, "No incident found") {
			t.Error("no all-clear section")
		}
		if strings.Contains(dom, `<svg class="timeline-chart"`) {
			t.Error("a chart without an incident")
		}
	}
	charts := strCount(dom, `<svg class="timeline-chart"`)
	want := 0
	for _, inc := range a.Incidents {
		if len(inc.PerMinute) > 0 {
			want++
		}
	}
	if charts != want {
		t.Errorf("%d charts, want %d", charts, want)
	}
	sections := strings.Split(dom, `<section class="card incident"`)
	if len(sections)-1 != len(a.Incidents) {
		t.Fatalf("%d incident sections, want %d", len(sections)-1, len(a.Incidents))
	}
	for i, inc := range a.Incidents {
		sec := sections[i+1]
		if j := strings.Index(sec, "</section>"); j >= 0 {
			sec = sec[:j]
		}
		var withReq int
		for _, m := range inc.PerMinute {
			if m.Requests > 0 {
				withReq++
			}
		}
		if got := strCount(sec, `class="bar bar-err"`); got != len(inc.PerMinute) {
			t.Errorf("incident %d: %d 5xx bars, want %d", inc.ID, got, len(inc.PerMinute))
		}
		if got := strCount(sec, `class="bar bar-req"`); got != withReq {
			t.Errorf("incident %d: %d request bars, want %d", inc.ID, got, withReq)
		}
		if m := regexp.MustCompile(`<polyline class="rate" points="([^"]*)"`).FindStringSubmatch(sec); withReq > 0 && (m == nil || len(strings.Fields(m[1])) != withReq) {
			t.Errorf("incident %d: rate line %q, want %d points", inc.ID, m, withReq)
		}
		if got := strCount(sec, `class="rate-dot"`); got != withReq {
			t.Errorf("incident %d: %d rate dots, want %d", inc.ID, got, withReq)
		}
		if got := strCount(sec, `class="marker marker-change"`); got != len(inc.Changes) {
			t.Errorf("incident %d: %d change markers, want %d", inc.ID, got, len(inc.Changes))
		}
		wantCause := 0
		if rRoot(inc) != nil {
			wantCause = 1
		}
		if got := strCount(sec, `class="marker marker-cause"`); got != wantCause {
			t.Errorf("incident %d: %d cause markers, want %d", inc.ID, got, wantCause)
		}
		if !strings.Contains(sec, `<rect class="window"`) {
			t.Errorf("incident %d: the window is not shaded", inc.ID)
		}
		for _, c := range inc.Changes {
			label := strings.TrimPrefix(c.Kind, "change-") + " " + c.Time.In(berlinOr(a)).Format("15:04:05")
			if !strings.Contains(sec, ">"+label+"</text>") {
				t.Errorf("incident %d: no marker label %q", inc.ID, label)
			}
		}
		if got := strCount(sec, `<span class="sw `); got < 3 {
			t.Errorf("incident %d: legend has %d keys", inc.ID, got)
		}
		for _, class := range []string{`<table class="causes"`, `<table class="timeline"`, `<ol class="chain"`, `<ol class="checks"`, `<details class="evidence"`} {
			if !strings.Contains(sec, class) {
				t.Errorf("incident %d: no %s", inc.ID, class)
			}
		}
		if got := strCount(sec, `<details class="evidence"`); got != len(inc.Causes) {
			t.Errorf("incident %d: %d evidence blocks, want %d", inc.ID, got, len(inc.Causes))
		}
		table := strings.Split(strings.Split(sec, `<table class="causes"`)[1], "</table>")[0]
		if got := strCount(table, "<tr"); got != len(inc.Causes)+1 {
			t.Errorf("incident %d: causes table has %d rows, want %d", inc.ID, got, len(inc.Causes)+1)
		}
	}
	if strings.Contains(dom, "\x1b") || strings.ContainsAny(dom, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		t.Error("raw control or bidi character in the DOM")
	}
	if strings.Contains(firstSummary(a), "\x1b") {
		for _, want := range []string{`\x1b[31mRED\x1b[0m`, `&lt;img src=x onerror="alert(document.domain)"&gt;`, `&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;`,
			`user\u202eexe.txt`, `bad \xff\xfe utf-8`, "```"} {
			if !strings.Contains(dom, want) {
				t.Errorf("hostile text %q not shown escaped", want)
			}
		}
	}
}

// firstSummary is the first incident's summary, or "".
func firstSummary(a *Analysis) string {
	if len(a.Incidents) == 0 {
		return ""
	}
	return a.Incidents[0].Summary
}

func berlinOr(a *Analysis) *time.Location {
	if a.Location != nil {
		return a.Location
	}
	return time.UTC
}

// checkScreenshot decodes the PNG and checks that it shows a page: many
// colours and a good share of pixels that are not the background.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 1000 || b.Dy() < 1000 {
		t.Errorf("screenshot is %v", b)
	}
	colours := map[uint32]int{}
	var nonWhite, total int
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			key := (r>>8)<<16 | (g>>8)<<8 | bl>>8
			colours[key]++
			total++
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				nonWhite++
			}
		}
	}
	var top int
	for _, n := range colours {
		top = max(top, n)
	}
	if len(colours) < 200 {
		t.Errorf("screenshot has only %d colours", len(colours))
	}
	if share := float64(total-top) / float64(total); share < 0.15 {
		t.Errorf("screenshot is mostly one colour (%.1f%% other)", share*100)
	}
	if nonWhite*20 < total {
		t.Errorf("screenshot is nearly white (%d of %d pixels)", nonWhite, total)
	}
}
