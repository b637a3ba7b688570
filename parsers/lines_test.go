package parsers

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// framedLine is what lineReader returned for one line.
type framedLine struct {
	text      string
	lineNo    int64
	offset    int64
	truncated bool
}

// frameAll reads every line of r.
func frameAll(t *testing.T, r io.Reader) ([]framedLine, error) {
	t.Helper()
	lr := newLineReader(r)
	var out []framedLine
	for {
		line, no, off, trunc, ok := lr.next()
		if !ok {
			return out, lr.readErr()
		}
		out = append(out, framedLine{string(line), no, off, trunc})
	}
}

func TestLineReaderFraming(t *testing.T) {
	const access = `203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /checkout HTTP/1.1" 502 157 "-" "curl/8.5.0"`
	const nginxErr = `2026/11/20 14:00:01 [notice] 1188#1188: signal process started`
	const withNUL = "Nov 20 14:00:01 web-01 app[1]: a\x00b\x00"
	tests := []struct {
		name string
		in   string
		want []framedLine
	}{
		{"empty input", "", nil},
		{"one line with newline", access + "\n", []framedLine{{access, 1, 0, false}}},
		{"last line without newline", access + "\n" + nginxErr,
			[]framedLine{{access, 1, 0, false}, {nginxErr, 2, int64(len(access)) + 1, false}}},
		{"CRLF endings are stripped, offsets count the CR", access + "\r\n" + nginxErr + "\r\n",
			[]framedLine{{access, 1, 0, false}, {nginxErr, 2, int64(len(access)) + 2, false}}},
		{"a CR inside a line is kept", "a\rb\r\n", []framedLine{{"a\rb", 1, 0, false}}},
		{"a lone CR line becomes empty", "\r\nx\n", []framedLine{{"", 1, 0, false}, {"x", 2, 2, false}}},
		{"blank lines count", "\n\n" + nginxErr + "\n",
			[]framedLine{{"", 1, 0, false}, {"", 2, 1, false}, {nginxErr, 3, 2, false}}},
		{"NUL bytes are carried", withNUL + "\n\x00\x00\x00\n",
			[]framedLine{{withNUL, 1, 0, false}, {"\x00\x00\x00", 2, int64(len(withNUL)) + 1, false}}},
		{"invalid UTF-8 is carried byte for byte", "GET /caf\xe9 \xff\xfe\xc3\x28\n",
			[]framedLine{{"GET /caf\xe9 \xff\xfe\xc3\x28", 1, 0, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// whole, and one byte per Read: framing must not depend on how
			// the reader splits its data
			for _, r := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
				got, err := frameAll(t, r)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %d lines %+v, want %d", len(got), got, len(tt.want))
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Errorf("line %d: got %+v, want %+v", i, got[i], tt.want[i])
					}
				}
			}
		})
	}
}

// TestLineReaderLongLines checks the length limits: a 5 MiB line is read
// whole; a line of exactly MaxLineBytes is whole too; a longer one is cut
// at MaxLineBytes and marked, and the lines after it are read with the
// right numbers and offsets.
func TestLineReaderLongLines(t *testing.T) {
	const after = "2026/11/20 14:00:01 [error] 1188#1188: *7 the line after"
	tests := []struct {
		name      string
		size      int
		wantLen   int
		truncated bool
	}{
		{"5 MiB", 5 << 20, 5 << 20, false},
		{"exactly MaxLineBytes", MaxLineBytes, MaxLineBytes, false},
		{"one byte too long", MaxLineBytes + 1, MaxLineBytes, true},
		{"runaway", MaxLineBytes + 3<<20 + 17, MaxLineBytes, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			long := bytes.Repeat([]byte("x"), tt.size)
			copy(long, "2026/11/20 14:00:00 [error] 1#1: *1 ")
			in := io.MultiReader(bytes.NewReader(long), strings.NewReader("\r\n"+after+"\n"))
			got, err := frameAll(t, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 {
				t.Fatalf("got %d lines, want 2", len(got))
			}
			if len(got[0].text) != tt.wantLen || got[0].truncated != tt.truncated {
				t.Errorf("long line: %d bytes, truncated %v; want %d, %v", len(got[0].text), got[0].truncated, tt.wantLen, tt.truncated)
			}
			if got[0].text[:36] != string(long[:36]) {
				t.Errorf("long line starts %q", got[0].text[:36])
			}
			want := framedLine{after, 2, int64(tt.size) + 2, false}
			if got[1] != want {
				t.Errorf("line after: got %+v, want %+v", got[1], want)
			}
		})
	}
}

// TestLineReaderReadError checks that a read error ends the input after
// the lines read before it, and is reported (not mistaken for the end).
func TestLineReaderReadError(t *testing.T) {
	boom := errors.New("input/output error")
	r := io.MultiReader(strings.NewReader("one\ntwo\nthr"), iotest.ErrReader(boom))
	got, err := frameAll(t, r)
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	// the partial last line is still handed over: nothing read is dropped
	if len(got) != 3 || got[0].text != "one" || got[1].text != "two" || got[2].text != "thr" {
		t.Fatalf("lines %+v", got)
	}
}
