package report

import (
	"bytes"
	"testing"
)

func tRenderHTML(t *testing.T, a *Analysis) string {
	t.Helper()
	var b bytes.Buffer
	if err := RenderHTML(&b, a); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGoldenHTML(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, "html-"+name+".html", []byte(tRenderHTML(t, fixture(t, name))))
		})
	}
}

func TestNiceStep(t *testing.T) {
	tests := []struct {
		top  float64
		step float64
		n    int
	}{{1, 1, 1}, {3, 1, 3}, {41, 10, 5}, {50, 10, 5}, {51, 20, 3}, {572, 200, 3}, {1000, 200, 5}, {149, 50, 3}, {7, 2, 4}}
	for _, tt := range tests {
		if step, n := niceStep(tt.top); step != tt.step || n != tt.n {
			t.Errorf("niceStep(%v) = %v, %d; want %v, %d", tt.top, step, n, tt.step, tt.n)
		}
	}
}
