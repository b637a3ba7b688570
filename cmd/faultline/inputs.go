package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/spf13/pflag"
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
		kind, tpl, ok := strings.Cut(lf, ":")
		var id string
		switch strings.ToLower(kind) {
		case parsers.TemplateNginx:
			id = parsers.FormatNginxAccess
		case parsers.TemplateApache:
			id = parsers.FormatApacheAccess
		default:
			ok = false
		}
		if !ok || strings.TrimSpace(tpl) == "" {
			return o, usageErr("--log-format %q: want 'nginx:<log_format>' or 'apache:<LogFormat>'", lf)
		}
		format, _ := parsers.LookupFormat(id)
		if _, err := format.New(parsers.Config{Clock: parsers.NewClock(nil, ""), Template: tpl}); err != nil {
			return o, usageErr("--log-format %q: %v", lf, err)
		}
		if o.Templates == nil {
			o.Templates = map[string][]string{}
		}
		o.Templates[id] = append(o.Templates[id], tpl)
	}
	return o, nil
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
// files go to stderr unless quiet. It fails only when no input is left.
func openInputs(args []string, f *inputFlags, stdin io.Reader, stderr io.Writer) ([]*parsers.Plan, []parsers.Note, error) {
	opts, err := f.options()
	if err != nil {
		return nil, nil, err
	}
	if len(args) == 0 {
		return nil, nil, usageErr("no input: give log files, directories, globs or - for stdin")
	}
	inputs, notes := parsers.Expand(args, stdin)
	for _, n := range notes {
		if n.Err || !f.quiet {
			fmt.Fprintf(stderr, "faultline: %s\n", n)
		}
	}
	if len(inputs) == 0 {
		return nil, notes, &exitError{code: exitUsage}
	}
	return parsers.Prepare(inputs, opts), notes, nil
}

var stdinReader io.Reader = os.Stdin
