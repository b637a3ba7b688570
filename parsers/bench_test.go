package parsers

import (
	"bytes"
	"os"
	"testing"
)

// benchParse measures one parser over a file of real-shaped lines.
func benchParse(b *testing.B, f *Format, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip(err)
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	p, err := f.New(Config{Clock: NewClock(nil, "bench")})
	if err != nil {
		b.Fatal(err)
	}
	var ev Event
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range lines {
			ev = Event{}
			if !p.Parse(l, &ev) {
				b.Fatalf("parse failed: %s", l)
			}
		}
	}
}

func BenchmarkNginxAccessParse(b *testing.B) {
	benchParse(b, nginxAccessFormat, "/tmp/gl/nginx/access.log")
}

func BenchmarkNginxErrorParse(b *testing.B) {
	benchParse(b, nginxErrorFormat, "/tmp/gl/nginx/error.log")
}
