package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func tRenderMarkdown(t *testing.T, a *Analysis) string {
	t.Helper()
	var b bytes.Buffer
	if err := RenderMarkdown(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGoldenMarkdown(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, "markdown-"+name+".md", []byte(tRenderMarkdown(t, fixture(t, name))))
		})
	}
}

// mdOutsideCode returns the text of a Markdown document outside fenced
// blocks and code spans, and the lines inside fences.
func mdOutsideCode(t *testing.T, doc string) (outside []string, fenced []string) {
	t.Helper()
	fence := ""
	for _, line := range strings.Split(doc, "\n") {
		if fence != "" {
			if strings.TrimRight(line, " ") != "" && strings.Trim(line, "`") == "" && len(line) >= len(fence) {
				fence = ""
				continue
			}
			fenced = append(fenced, line)
			continue
		}
		if strings.HasPrefix(line, "```") {
			fence = line[:len(line)-len(strings.TrimLeft(line, "`"))]
			continue
		}
		// drop code spans: a run of n backticks up to the next run of n
		var b strings.Builder
		for i := 0; i < len(line); {
			if line[i] == '`' && (i == 0 || line[i-1] != '\\') {
				n := 0
				for i+n < len(line) && line[i+n] == '`' {
					n++
				}
				delim := line[i : i+n]
				rest := line[i+n:]
				if j := strings.Index(rest, delim); j >= 0 {
					i += n + j + n
					b.WriteString("CODE")
					continue
				}
			}
			b.WriteByte(line[i])
			i++
		}
		outside = append(outside, b.String())
	}
	if fence != "" {
		t.Errorf("unterminated fence %q", fence)
	}
	return outside, fenced
}

// TestMarkdownEscapesLogText: hostile text cannot open HTML, emphasis,
// tables or headings, and cannot break out of code fences.
func TestMarkdownEscapesLogText(t *testing.T) {
	doc := tRenderMarkdown(t, fixture(t, "hostile"))
	checkTerminalSafe(t, doc, true)
	outside, fenced := mdOutsideCode(t, doc)
	for i, line := range outside {
		if regexp.MustCompile(`^\|[-:|]+\|$`).MatchString(line) {
			continue // a table's separator row
		}
		l := strings.ReplaceAll(line, "<br>", "")
		for j := 0; j < len(l); j++ {
			if strings.ContainsRune("<*_|`", rune(l[j])) && (j == 0 || l[j-1] != '\\') {
				// table pipes and our own bold markers are the only bare ones
				if l[j] == '|' && (j == 0 || l[j-1] == ' ') && (j == len(l)-1 || l[j+1] == ' ' || l[j+1] == '-') {
					continue
				}
				if l[j] == '*' && (strings.HasPrefix(l[j:], "**") || j > 0 && l[j-1] == '*') {
					continue
				}
				if l[j] == '*' && (j == 0 && strings.HasSuffix(l, "*") || j == len(l)-1 && strings.HasPrefix(l, "*")) {
					continue // the italic intro line
				}
				t.Errorf("line %d: bare %q outside code: %s", i, l[j], line)
				break
			}
		}
		if strings.HasPrefix(line, "# injected") {
			t.Errorf("log text became a heading: %s", line)
		}
	}
	joined := strings.Join(fenced, "\n")
	for _, want := range []string{"# injected heading", "```", "| col | col |", "</script><script>alert(1)</script>"} {
		if !strings.Contains(joined, want) {
			t.Errorf("fenced evidence lacks %q", want)
		}
	}
	if strings.Contains(doc, "\t") {
		t.Error("tab in the document")
	}
}

func TestMarkdownContent(t *testing.T) {
	doc := tRenderMarkdown(t, fixture(t, "oom"))
	sections := []string{"# Postmortem: 502/504 outage, 2026-11-25 10:02–10:19 Europe/Berlin", "### Summary", "### Impact", "### Detection",
		"### Timeline (Europe/Berlin)", "### Root cause and contributing factors", "### Trigger", "### Resolution",
		"### Action items", "### Evidence", "### Unclassified errors", "## Inputs", "## Lines not parsed"}
	last := -1
	for _, s := range sections {
		i := strings.Index(doc, s)
		if i < 0 {
			t.Errorf("no %q", s)
			continue
		}
		if i < last {
			t.Errorf("%q out of order", s)
		}
		last = i
	}
	for _, want := range []string{"- [ ] Cap PHP-FPM memory", "**Requests failed:** 2,014 of 9,870 (20.4%) — 502: 1,912 · 504: 102",
		"`oom-killed` → `fpm-child-crashed` → `upstream-closed-early` → **502**", "**reload** at 10:01:40, 23s before",
		"- The last failure was at 10:19:12 (`/var/log/nginx/access.log:97911`).", "28s after the last failure",
		"- `fpm-max-children` — PHP-FPM reached pm.max\\_children", "1. Confirm the kill and the victim: `journalctl -k --since '-2h' | grep -i -E 'out of memory|oom-kill'`",
		"**Latency (request\\_time):** p50 84 ms → 412 ms"} {
		if !strings.Contains(doc, want) {
			t.Errorf("postmortem lacks %q", want)
		}
	}
	// every timeline row cites file:line
	for _, line := range strings.Split(doc[strings.Index(doc, "### Timeline"):strings.Index(doc, "### Root cause")], "\n") {
		if strings.HasPrefix(line, "| 1") && !regexp.MustCompile("`[^`]+:[0-9]+`|`[^`]+` \\(per-minute counts\\)").MatchString(line) {
			t.Errorf("timeline row without evidence: %s", line)
		}
	}
	if doc500 := tRenderMarkdown(t, fixture(t, "500")); !strings.Contains(doc500, "No reload, restart, deploy or configuration test was logged") ||
		!strings.Contains(doc500, "The earliest evidence of the root cause, `app-out-of-memory`") {
		t.Error("trigger without a change does not show the root cause's first evidence")
	}
	quiet := tRenderMarkdown(t, fixture(t, "quiet"))
	for _, want := range []string{"# Log review: no incident found", "**No incident found.** 230,114 requests", "## Inputs", "## Unclassified errors", "## Lines not parsed", "`/var/log/kern.log.2.gz`"} {
		if !strings.Contains(quiet, want) {
			t.Errorf("no-incident document lacks %q", want)
		}
	}
}

func TestMarkdownHelpers(t *testing.T) {
	tests := []struct{ got, want string }{
		{mdEsc("a|b *c* _d_ `e` <f> [g](h) \\ &amp; & ~x~"), `a\|b \*c\* \_d\_ \` + "`" + `e\` + "`" + ` \<f\> \[g\](h) \\ \&amp; & \~x\~`},
		{mdEsc("# head"), `\# head`},
		{mdEsc("12. item"), `12\. item`},
		{mdEsc("- item"), `\- item`},
		{mdCode("plain"), "`plain`"},
		{mdCode("a`b"), "`` a`b ``"},
		{mdCode("``x``"), "``` ``x`` ```"},
		{mdCodeCell("a|b"), "`a\\|b`"},
		{mdFence("x\n```\ny"), "````text\nx\n```\ny\n````"},
		{mdFence("plain\n"), "```text\nplain\n```"},
		{mdEscKeepCode("run `ls | head` now_"), "run `ls | head` now\\_"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
