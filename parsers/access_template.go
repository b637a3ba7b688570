package parsers

import "errors"

// Template kinds for custom access-log formats.
const (
	TemplateNginx  = "nginx"
	TemplateApache = "apache"
)

func newTemplateParser(kind string, cfg Config) (Parser, error) {
	return nil, errors.New("custom log formats are not implemented yet")
}
