package report

import (
	"strings"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// Correlation keys: values a finding carries that tie it to findings of
// other layers (DESIGN §7): the pid the kernel killed is the PHP-FPM child
// that exited on signal 9; the socket Nginx could not reach is the one a
// pool listens on.
const (
	keyPID      = "pid"
	keyPool     = "pool"
	keyUpstream = "upstream"
	keyProcess  = "process"
	keyHost     = "host"
)

// findingKeys extracts a finding's correlation keys.
func findingKeys(ev *parsers.Event, f *rules.Finding) []parsers.Field {
	var out []parsers.Field
	add := func(k, v string) {
		if v != "" {
			out = append(out, parsers.Field{Key: k, Value: v})
		}
	}
	add(keyPID, f.Field("pid"))
	pool := f.Field("pool")
	if pool == "" && (ev.Format == parsers.FormatPHPFPM || ev.Format == parsers.FormatPHPFPMSlow) {
		pool = ev.Module
	}
	add(keyPool, pool)
	add(keyUpstream, normalizeUpstream(firstNonEmpty(f.Field("socket"), f.Field("upstream"), ev.Upstream)))
	add(keyProcess, strings.ToLower(f.Field("process")))
	add(keyHost, f.Field("host"))
	return out
}

// normalizeUpstream reduces the spellings of one upstream to one value:
// "fastcgi://unix:/run/php/php8.2-fpm.sock:" and "unix:/run/php/php8.2-fpm.sock"
// → "/run/php/php8.2-fpm.sock"; "http://127.0.0.1:8080/x" → "127.0.0.1:8080".
func normalizeUpstream(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, ", "); i >= 0 {
		u = u[:i] // the first of a list of upstreams tried
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	u = strings.TrimPrefix(u, "unix:")
	if strings.HasPrefix(u, "/") {
		// a socket path, maybe with ":" or ":/script" after it
		if i := strings.Index(u, ".sock"); i >= 0 {
			return u[:i+5]
		}
		return strings.TrimRight(u, ":")
	}
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return strings.TrimRight(u, ":")
}

// processLayer tells which layer a process name belongs to, so that an OOM
// kill of "php-fpm8.2" links to PHP-FPM causes.
func processLayer(name string) rules.Layer {
	switch {
	case strings.Contains(name, "php-fpm") || strings.Contains(name, "php-cgi"):
		return rules.LayerFastCGI
	case strings.Contains(name, "mysql") || strings.Contains(name, "mariadb") || strings.Contains(name, "postgres") ||
		strings.Contains(name, "redis") || strings.Contains(name, "memcached"):
		return rules.LayerDatabase
	case strings.Contains(name, "nginx") || strings.Contains(name, "apache") || strings.Contains(name, "httpd"):
		return rules.LayerGateway
	case name != "":
		return rules.LayerRuntime
	}
	return ""
}

// linked reports whether two causes' keys tie them together, and how.
func linked(a, b *IncidentCause) (bool, string) {
	for _, kind := range []string{keyPID, keyPool, keyUpstream, keyHost} {
		for _, v := range a.Keys[kind] {
			for _, w := range b.Keys[kind] {
				if v == w {
					return true, kind + " " + v
				}
			}
		}
	}
	for _, p := range a.Keys[keyProcess] {
		if l := processLayer(p); l != "" && l == b.Layer {
			return true, "process " + p
		}
	}
	for _, p := range b.Keys[keyProcess] {
		if l := processLayer(p); l != "" && l == a.Layer {
			return true, "process " + p
		}
	}
	return false, ""
}
