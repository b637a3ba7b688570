package parsers

// nginxAccessFormat is Nginx's access log: "combined" and "main", with
// common extras, or any log_format given with --log-format 'nginx:…'.
var nginxAccessFormat = &Format{
	ID:    FormatNginxAccess,
	Title: "Nginx access log (combined/main with extras, custom log_format, escape=json)",
	Examples: []string{
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"`,
		`40.77.167.89 - - [14/Mar/2025:00:00:06 +0000] "GET /category/new-in HTTP/1.1" 200 38586 "-" "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" 0.074 0.073`,
		`192.0.2.44 - alice [20/Nov/2026:14:02:11 +0000] "POST /api/v1/orders HTTP/2.0" 504 167 "-" "curl/8.5.0" "198.51.100.7" rt=60.001 uct="0.000" uht="-" urt="60.001"`,
		`shop.example.com 192.0.2.1 - - [20/Nov/2026:14:02:11 -0500] "GET /index.php HTTP/1.1" 500 5 "-" "Wget/1.21.4" 0.512 0.511 unix:/run/php/php8.2-fpm.sock`,
	},
	PathHints: []string{"nginx"},
	New:       newNginxAccessParser,
}

// nginxAccessParser reads the built-in layouts: combined with extras, and
// JSON lines written with log_format … escape=json.
type nginxAccessParser struct {
	combined combinedParser
	json     accessJSONParser
}

func newNginxAccessParser(cfg Config) (Parser, error) {
	if cfg.Template != "" {
		return newTemplateParser(TemplateNginx, cfg)
	}
	return &nginxAccessParser{json: accessJSONParser{clock: cfg.Clock}}, nil
}

func (p *nginxAccessParser) Parse(b []byte, ev *Event) bool {
	if len(b) > 0 && b[0] == '{' {
		return p.json.Parse(b, ev)
	}
	return p.combined.Parse(b, ev)
}
