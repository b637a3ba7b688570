package parsers

// accessJSONParser reads access lines written as JSON (Nginx escape=json).
type accessJSONParser struct {
	clock *Clock
}

func (p *accessJSONParser) Parse(b []byte, ev *Event) bool { return false }
