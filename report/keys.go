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
	add(keyProcess, processName(firstNonEmpty(f.Field("process"), f.Field("unit"), f.Field("service"))))
	add(keyHost, f.Field("host"))
	return out
}

// processName reduces a process, systemd unit or supervisor program name
// to the program: "mariadb.service" → "mariadb", "php8.2-fpm.service" →
// "php8.2-fpm", "php-fpm: pool www" stays as it is.
func processName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "/")
	for _, suf := range []string{".service", ".scope"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
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
// kill of "php-fpm8.2" links to PHP-FPM causes and a crash of
// "mariadb.service" to the database's.
func processLayer(name string) rules.Layer {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(name, s) {
				return true
			}
		}
		return false
	}
	switch {
	case name == "":
		return ""
	case has("fpm", "php-cgi", "lsphp"):
		return rules.LayerFastCGI
	case has("mysql", "mariadb", "postgres", "redis", "memcache", "mongo", "pgbouncer", "valkey", "elasticsearch", "opensearch"):
		return rules.LayerDatabase
	case has("nginx", "apache", "httpd", "haproxy", "caddy", "traefik", "varnish", "envoy"):
		return rules.LayerGateway
	}
	return rules.LayerRuntime
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
