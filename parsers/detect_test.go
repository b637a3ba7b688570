package parsers

import (
	"path/filepath"
	"testing"
)

// TestDetectTestdata checks that every testdata/parsers/<format-id>/*.log
// file is detected as the format its directory names, so that no parser
// steals another format's lines.
func TestDetectTestdata(t *testing.T) {
	for _, f := range Formats() {
		files, _ := filepath.Glob(filepath.Join("..", "testdata", "parsers", f.ID, "*.log"))
		for _, name := range files {
			inputs, _ := Expand([]string{name}, nil)
			d, err := Probe(inputs[0], nil, nil)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if d.Format == nil || d.Format.ID != f.ID {
				t.Errorf("%s: detected %s, want %s (ranking %v)", name, d, f.ID, d.Ranking)
			}
		}
	}
}
