package parsers

import (
	"fmt"
	"strings"
)

// Format ids (DESIGN §2).
const (
	FormatNginxAccess  = "nginx-access"
	FormatNginxError   = "nginx-error"
	FormatApacheAccess = "apache-access"
	FormatApacheError  = "apache-error"
	FormatPHPFPM       = "php-fpm"
	FormatPHPFPMSlow   = "php-fpm-slow"
	FormatPHPError     = "php-error"
	FormatSyslog       = "syslog"
	FormatAppJSON      = "app-json"
	FormatAppLogfmt    = "app-logfmt"
	FormatAppText      = "app-text"
)

// Parser turns one entry of its format into an Event. A Parser belongs to
// one input and may keep state (time caches, the previous line's program).
//
// Before Parse is called, the decoder sets ev.Source, Line, Offset, Format
// and Raw; Parse fills in the rest. Strings it stores in ev may alias entry,
// which lives in an arena that is never overwritten. Parse reports false
// when the entry is not of its format; ev may then be partly filled and is
// reset by the caller.
type Parser interface {
	Parse(entry []byte, ev *Event) bool
}

// Joiner is implemented by parsers of formats whose entries span lines
// (stack traces, FastCGI stderr output, PHP-FPM slow-log entries).
type Joiner interface {
	// Continues reports whether line belongs to the entry begun on an
	// earlier line rather than starting a new one. It is called for every
	// line, in order (the answer is ignored when there is no entry to
	// continue, e.g. for the first line), and may keep state.
	Continues(line []byte) bool
}

// Config is what a parser needs besides the bytes.
type Config struct {
	// Clock converts zoneless and year-less timestamps; never nil.
	Clock *Clock
	// Template is a custom log format for access logs: an Nginx log_format
	// string for nginx-access, an Apache LogFormat string for apache-access.
	// Empty means the format's built-in layouts.
	Template string
}

// Format describes one supported log format.
type Format struct {
	ID    string
	Title string
	// Examples are real lines of the format; the first is shown by
	// `faultline formats`, all of them seed tests and fuzzing.
	Examples []string
	// Generic formats (application text, JSON, logfmt) accept lines that
	// more specific formats also accept; they lose detection ties.
	Generic bool
	// PathHints are substrings of a file path that favour this format when
	// two formats understand a sample equally well (Nginx and Apache write
	// the same combined access lines).
	PathHints []string
	// New returns a parser for one input.
	New func(cfg Config) (Parser, error)

	// mixed lists, for a format detection put together for a mixed file,
	// the ids of the formats whose lines it also reads.
	mixed []string
}

// Mixed returns the ids of the other formats a detected mixed file's
// format also reads (nil for a plain format).
func (f *Format) Mixed() []string { return f.mixed }

// Formats returns every supported format in detection-priority order.
func Formats() []*Format { return registry }

// LookupFormat returns the format with the given id (case-insensitive, with
// a few aliases such as "nginx" and "combined"), or an error listing the ids.
func LookupFormat(id string) (*Format, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if alias, ok := formatAliases[id]; ok {
		id = alias
	}
	for _, f := range registry {
		if f.ID == id {
			return f, nil
		}
	}
	ids := make([]string, len(registry))
	for i, f := range registry {
		ids[i] = f.ID
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", id, strings.Join(ids, ", "))
}

var formatAliases = map[string]string{
	"nginx": FormatNginxAccess, "combined": FormatNginxAccess, "apache": FormatApacheAccess,
	"httpd": FormatApacheAccess, "fpm": FormatPHPFPM, "json": FormatAppJSON,
	"logfmt": FormatAppLogfmt, "text": FormatAppText, "journal": FormatSyslog,
	"kernel": FormatSyslog, "dmesg": FormatSyslog,
}
