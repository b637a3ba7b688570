package parsers

// nginxAccessFormat is Nginx's access log: "combined" and the default
// nginx.conf "main" (with "$http_x_forwarded_for"), with the extras people
// append (a leading $host, $request_time $upstream_response_time,
// rt=… uct=… uht=… urt=… tails, upstream addresses and statuses, lists
// included), JSON lines written with log_format … escape=json, or any
// log_format given with --log-format 'nginx:…'.
var nginxAccessFormat = &Format{
	ID:    FormatNginxAccess,
	Title: "Nginx access log (combined/main with extras, custom log_format, escape=json)",
	Examples: []string{
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /checkout HTTP/1.1" 502 157 "https://shop.example.com/cart" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"`,
		`40.77.167.89 - - [14/Mar/2025:00:00:06 +0000] "GET /category/new-in HTTP/1.1" 200 38586 "-" "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)" 0.074 0.073`,
		`192.0.2.44 - alice [20/Nov/2026:14:02:11 +0000] "POST /api/v1/orders HTTP/2.0" 504 167 "-" "curl/8.5.0" "198.51.100.7" rt=60.001 uct="0.000" uht="-" urt="60.001"`,
		`shop.example.com 192.0.2.1 - - [20/Nov/2026:14:02:11 -0500] "GET /index.php HTTP/1.1" 500 5 "-" "Wget/1.21.4" 0.512 0.511 unix:/run/php/php8.2-fpm.sock`,
		`10.42.0.7 - - [28/Mar/2022:09:31:17 +0000] "POST /api/login HTTP/1.1" 502 559 "https://app.example.net/login" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36" "206.81.7.133, 172.70.114.69"`,
		`203.0.113.5 - - [14/Mar/2025:14:06:02 +0000] "GET /api/cart HTTP/1.1" 502 157 "-" "okhttp/4.12.0" 0.004 0.001, 0.002 10.0.0.1:8080, 10.0.0.2:8080 502, 502`,
		`172.68.244.173 - - [24/Aug/2018:12:14:04 +0000] "\x16\x03\x01\x00\xEC\x01\x00\x00\xE8\x03\x03\x8A?\xB5\xFA\x17?" 400 173 "-" "-"`,
		`{"time_iso8601":"2026-11-20T14:02:11+01:00","remote_addr":"203.0.113.9","request":"GET /checkout HTTP/2.0","status":502,"body_bytes_sent":157,"request_time":0.017,"upstream_response_time":0.017,"upstream_addr":"unix:/run/php/php8.2-fpm.sock","upstream_status":"502","http_host":"shop.example.com","http_referer":"https://shop.example.com/cart","http_user_agent":"curl/8.5.0"}`,
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

// newNginxAccessParser returns the built-in parser, or a template parser
// for --log-format 'nginx:…'.
func newNginxAccessParser(cfg Config) (Parser, error) {
	if cfg.Template != "" {
		return newTemplateParser(TemplateNginx, cfg)
	}
	return &nginxAccessParser{json: accessJSONParser{clock: cfg.Clock}}, nil
}

// Parse hands JSON lines to the JSON parser and the rest to the combined one.
func (p *nginxAccessParser) Parse(b []byte, ev *Event) bool {
	if len(b) > 0 && b[0] == '{' {
		return p.json.Parse(b, ev)
	}
	return p.combined.Parse(b, ev)
}
