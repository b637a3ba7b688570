package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faultline/faultline/parsers"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// inputFlags are the flags every command that reads logs shares.
type inputFlags struct {
	tz         string
	as         []string
	logFormats []string
	quiet      bool
}

func (f *inputFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.tz, "tz", "", "zone of timestamps that carry no offset (e.g. Europe/Berlin, UTC, +01:00); default: learned from access logs, else the local zone")
	fs.StringArrayVar(&f.as, "as", nil, "skip detection: FORMAT for every input, or PATH=FORMAT for one (repeatable)")
	fs.StringArrayVar(&f.logFormats, "log-format", nil, "custom access log format: 'nginx:<log_format string>' or 'apache:<LogFormat string>' (repeatable)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing but the result")
}

// options turns the flags into parser options; errors are usage errors.
func (f *inputFlags) options() (parsers.Options, error) {
	var o parsers.Options
	if f.tz != "" {
		loc, err := parseZone(f.tz)
		if err != nil {
			return o, usageErr("--tz %q: %v", f.tz, err)
		}
		o.TZ = loc
	}
	for _, a := range f.as {
		path, name := "", a
		if i := strings.LastIndexByte(a, '='); i >= 0 {
			path, name = a[:i], a[i+1:]
		}
		format, err := parsers.LookupFormat(name)
		if err != nil {
			return o, usageErr("--as %q: %v", a, err)
		}
		if o.Forced == nil {
			o.Forced = map[string]*parsers.Format{}
		}
		o.Forced[path] = format
	}
	for _, lf := range f.logFormats {
		id, tpl, err := parseLogFormat(lf)
		if err != nil {
			return o, err
		}
		if o.Templates == nil {
			o.Templates = map[string][]string{}
		}
		o.Templates[id] = append(o.Templates[id], tpl)
	}
	return o, nil
}

// parseLogFormat checks one --log-format value, KIND:TEMPLATE, and returns
// the format id it adds a template to. An error points at the column of
// the flag's value where the template goes wrong.
func parseLogFormat(lf string) (id, tpl string, err error) {
	kind, tpl, ok := strings.Cut(lf, ":")
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case parsers.TemplateNginx:
		id = parsers.FormatNginxAccess
	case parsers.TemplateApache:
		id = parsers.FormatApacheAccess
	default:
		ok = false
	}
	if !ok {
		return "", "", usageErr("--log-format %q: want 'nginx:<log_format>' or 'apache:<LogFormat>'%s", lf, pointAt(lf, 1))
	}
	if strings.TrimSpace(tpl) == "" {
		return "", "", usageErr("--log-format %q: the log format after %q is empty", lf, kind+":")
	}
	format, err := parsers.LookupFormat(id)
	if err != nil {
		return "", "", usageErr("--log-format %q: %v", lf, err)
	}
	if _, err := format.New(parsers.Config{Clock: parsers.NewClock(nil, ""), Template: tpl}); err != nil {
		// the template's errors count columns from the start of the
		// template; the user sees the whole value, KIND: included
		msg, col := err.Error(), 0
		if m := columnRe.FindStringSubmatchIndex(msg); m != nil {
			n, _ := strconv.Atoi(msg[m[2]:m[3]])
			col = n + len(kind) + 1
			msg = msg[:m[2]] + strconv.Itoa(col) + msg[m[3]:]
		}
		return "", "", usageErr("--log-format: %s%s", msg, pointAt(lf, col))
	}
	return id, tpl, nil
}

// columnRe finds the column a template error names.
var columnRe = regexp.MustCompile(`at column (\d+)`)

// pointAt shows the line of value holding byte column col (1-based) with a
// caret under that column, to follow an error message; "" when col is 0.
func pointAt(value string, col int) string {
	if col < 1 || col > len(value)+1 {
		return ""
	}
	start := strings.LastIndexByte(value[:col-1], '\n') + 1
	end := strings.IndexByte(value[start:], '\n')
	if end < 0 {
		end = len(value)
	} else {
		end += start
	}
	line := strings.ReplaceAll(value[start:end], "\t", " ")
	pad := utf8.RuneCountInString(strings.ReplaceAll(value[start:col-1], "\t", " "))
	return "\n  " + line + "\n  " + strings.Repeat(" ", pad) + "^"
}

// parseZone accepts IANA names, "UTC", "Local" and fixed offsets.
func parseZone(s string) (*time.Location, error) {
	if s == "local" || s == "Local" {
		return time.Local, nil
	}
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		var h, m int
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		body := strings.ReplaceAll(s[1:], ":", "")
		if n, _ := fmt.Sscanf(body, "%02d%02d", &h, &m); n >= 1 && h <= 14 && m < 60 {
			return time.FixedZone("UTC"+s, sign*(h*3600+m*60)), nil
		}
		return nil, fmt.Errorf("bad offset (want +01:00)")
	}
	return time.LoadLocation(s)
}

// openInputs expands the paths and probes every input. Notes about skipped
// files go to stderr (all of them unless quiet; those about inputs that
// could not be read always). failed is true when some input the user named
// could not be read; the error is set only when nothing is left to read.
func openInputs(args []string, f *inputFlags, stdin io.Reader, stderr io.Writer) (plans []*parsers.Plan, notes []parsers.Note, failed bool, err error) {
	opts, err := f.options()
	if err != nil {
		return nil, nil, false, err
	}
	if len(args) == 0 {
		return nil, nil, false, usageErr("no input: give log files, directories, globs or - for stdin")
	}
	if sf, ok := stdin.(*os.File); ok && !f.quiet && slices.Contains(args, "-") && term.IsTerminal(int(sf.Fd())) {
		fmt.Fprintln(stderr, "faultline: reading log lines typed or pasted on the terminal (-); end with Ctrl-D")
	}
	inputs, notes := parsers.Expand(args, stdin)
	for _, n := range notes {
		failed = failed || n.Err
		if n.Err || !f.quiet {
			fmt.Fprintf(stderr, "faultline: %s\n", n)
		}
	}
	if len(inputs) == 0 {
		return nil, notes, true, usageErr("nothing to read in %s", strings.Join(args, " "))
	}
	if err := checkForced(f.as, opts, inputs); err != nil {
		return nil, notes, true, err
	}
	return parsers.Prepare(inputs, opts), notes, failed, nil
}

// checkForced makes sure that every --as PATH=FORMAT names one of the
// inputs: a PATH that matches none would be silently ignored.
func checkForced(as []string, opts parsers.Options, inputs []*parsers.Input) error {
	for _, a := range as {
		i := strings.LastIndexByte(a, '=')
		if i < 0 {
			continue
		}
		path := a[:i]
		one := parsers.Options{Forced: map[string]*parsers.Format{path: opts.Forced[path]}}
		found := false
		for _, in := range inputs {
			if one.ForcedFormat(in.Path) != nil {
				found = true
				break
			}
		}
		if !found {
			hint := ""
			if st, err := os.Stat(path); err == nil && st.IsDir() {
				hint = "; --as PATH=FORMAT names a file, use --as FORMAT for every input"
			}
			return usageErr("--as %q: %s is not one of the inputs (%s)%s", a, path, inputList(inputs), hint)
		}
	}
	return nil
}

// inputList names the inputs, at most a few.
func inputList(inputs []*parsers.Input) string {
	var names []string
	for i, in := range inputs {
		if i == 4 {
			names = append(names, fmt.Sprintf("and %d more", len(inputs)-i))
			break
		}
		names = append(names, filepath.Clean(in.Path))
	}
	return strings.Join(names, ", ")
}

var stdinReader io.Reader = os.Stdin
