package parsers

// apacheAccessFormat is Apache httpd's access log (mod_log_config):
// "common", "combined", Debian's combined and common with %O,
// "vhost_combined" (%v:%p first) and these with common extras appended
// (%D, X-Forwarded-For …), JSON lines, or any LogFormat given with
// --log-format 'apache:…'. Nginx writes the same combined lines; the two
// formats tie on them and PathHints ("apache", "httpd") break the tie.
var apacheAccessFormat = &Format{
	ID:    FormatApacheAccess,
	Title: "Apache httpd access log (common/combined/vhost_combined with extras, custom LogFormat)",
	Examples: []string{
		`www.example.com:443 203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /wp-admin/admin-ajax.php HTTP/1.1" 503 299 "https://www.example.com/wp-admin/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"`,
		`192.168.10.1 - - [27/Sep/2022:11:26:31 +0200] "GET /code/Chat/server.php HTTP/1.1" 200 660 "https://intranet.example.org/code/FicheClient/Bienvenue.php" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/105.0.0.0 Safari/537.36"`,
		`::1 - - [29/Aug/2016:16:22:37 -0700] "OPTIONS * HTTP/1.0" 200 - "-" "Apache/2.4.6 (CentOS) mod_wsgi/3.4 Python/2.7.5 (internal dummy connection)"`,
		`10.53.233.120 - - [16/Feb/2023:16:27:35 -0500] "GET /path/v1/healthcheck HTTP/1.1" 200 2 "-" "Jersey/2.35 (Apache HttpClient 4.5.1)" 115030`,
		`198.51.100.23 - - [03/Nov/2015:23:48:54 -0500] "\x16\x03\x01" 400 226 "-" "-"`,
		`127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326`,
	},
	PathHints: []string{"apache", "httpd"},
	New:       newApacheAccessParser,
}

// apacheAccessParser reads the built-in Apache layouts (the combined
// parser shared with Nginx, reading a lone trailing integer as %D) and JSON
// lines.
type apacheAccessParser struct {
	combined combinedParser
	json     accessJSONParser
}

// newApacheAccessParser returns the built-in parser, or a template parser
// for --log-format 'apache:…'.
func newApacheAccessParser(cfg Config) (Parser, error) {
	if cfg.Template != "" {
		return newTemplateParser(TemplateApache, cfg)
	}
	return &apacheAccessParser{combined: combinedParser{apacheMicros: true}, json: accessJSONParser{clock: cfg.Clock}}, nil
}

// Parse hands JSON lines to the JSON parser and the rest to the combined one.
func (p *apacheAccessParser) Parse(b []byte, ev *Event) bool {
	if len(b) > 0 && b[0] == '{' {
		return p.json.Parse(b, ev)
	}
	return p.combined.Parse(b, ev)
}
