package parsers

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDecodeLongLines checks that a 5 MiB line is one whole entry, that a
// line longer than MaxLineBytes is cut, marked and counted, and that the
// lines after it are still read.
func TestDecodeLongLines(t *testing.T) {
	const lead = `2026/11/20 14:02:11 [error] 1187#1187: *18 FastCGI sent in stderr: "PHP message: `
	big := lead + strings.Repeat("A", 5<<20) + `" while reading response header from upstream, client: 203.0.113.9`
	huge := lead + strings.Repeat("B", MaxLineBytes+1<<20) + `"`
	path := filepath.Join(t.TempDir(), "error.log")
	writeFile(t, path, []byte(errorLine+"\n"+big+"\n"+huge+"\n"+errorLine+"\n"))
	inputs, _ := Expand([]string{path}, nil)
	evs, stats, errs := decodeAll(t, inputs, Options{})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if len(evs) != 4 {
		t.Fatalf("%d events, want 4", len(evs))
	}
	if string(evs[1].Raw) != big || evs[1].Truncated || evs[1].Format != FormatNginxError || evs[1].Line != 2 {
		t.Errorf("5 MiB line: %d bytes, truncated %v, format %q, line %d", len(evs[1].Raw), evs[1].Truncated, evs[1].Format, evs[1].Line)
	}
	if len(evs[2].Raw) != MaxLineBytes || !evs[2].Truncated || !strings.HasPrefix(string(evs[2].Raw), lead+"BBBB") || evs[2].Line != 3 {
		t.Errorf("over-long line: %d bytes, truncated %v, line %d", len(evs[2].Raw), evs[2].Truncated, evs[2].Line)
	}
	last := evs[3]
	if string(last.Raw) != errorLine || last.Line != 4 || last.Offset != int64(len(errorLine)+1+len(big)+1+len(huge)+1) || last.Format != FormatNginxError {
		t.Errorf("line after the cut: line %d, offset %d, format %q, raw %.40q", last.Line, last.Offset, last.Format, last.Raw)
	}
	if st := stats[0]; st.Lines != 4 || st.Truncated != 1 || st.Bytes != int64(len(errorLine)*2+len(big)+len(huge)+4) {
		t.Errorf("stats %+v", st)
	}

	// an over-long last line without a newline: all its bytes count
	cut := filepath.Join(t.TempDir(), "error.log")
	writeFile(t, cut, []byte(errorLine+"\n"+huge))
	inputs, _ = Expand([]string{cut}, nil)
	evs, stats, _ = decodeAll(t, inputs, Options{})
	if st := stats[0]; len(evs) != 2 || !evs[1].Truncated || st.Bytes != int64(len(errorLine)+1+len(huge)) {
		t.Errorf("cut last line: %d events, %d bytes read of %d", len(evs), st.Bytes, len(errorLine)+1+len(huge))
	}
}

// TestDecodeOddBytes checks that CRLF endings, NUL bytes and invalid UTF-8
// are carried through decoding and NDJSON encoding without loss or crash.
func TestDecodeOddBytes(t *testing.T) {
	lines := []string{
		`203.0.113.9 - - [20/Nov/2026:14:02:11 +0100] "GET /caf` + "\xe9" + ` HTTP/1.1" 502 157 "-" "curl/8.5.0"`,
		`203.0.113.9 - - [20/Nov/2026:14:02:12 +0100] "GET /a` + "\x00" + `b HTTP/1.1" 200 157 "-" "` + "\xff\xfe" + `"`,
		`203.0.113.9 - - [20/Nov/2026:14:02:13 +0100] "GET / HTTP/1.1" 200 157 "-" "curl/8.5.0"`,
		"\x00\x00\x00\x00",
	}
	path := filepath.Join(t.TempDir(), "access.log")
	writeFile(t, path, []byte(strings.Join(lines, "\r\n")+"\r\n"))
	inputs, _ := Expand([]string{path}, nil)
	evs, stats, errs := decodeAll(t, inputs, Options{})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if len(evs) != len(lines) {
		t.Fatalf("%d events, want %d", len(evs), len(lines))
	}
	for i, ev := range evs {
		if string(ev.Raw) != lines[i] {
			t.Errorf("line %d: raw %q, want %q", i+1, ev.Raw, lines[i])
		}
		b, err := json.Marshal(ev)
		if err != nil || !json.Valid(b) || !utf8.Valid(b) {
			t.Errorf("line %d: NDJSON %q, %v", i+1, b, err)
		}
	}
	if evs[0].Status != 502 || evs[0].Path != "/caf\xe9" || evs[2].Status != 200 {
		t.Errorf("fields: %q %d, %d", evs[0].Path, evs[0].Status, evs[2].Status)
	}
	if st := stats[0]; st.Format != FormatNginxAccess || st.Entries < 3 || st.Lines != 4 {
		t.Errorf("stats %+v", st)
	}
}

// TestDecodeUnparseable checks that an input no format understands is
// reported as such: every line unparsed, with samples, and every line
// still handed on (rules for every format see them).
func TestDecodeUnparseable(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "%s #%d\n", unknownLine, i)
	}
	path := filepath.Join(t.TempDir(), "notes.txt")
	writeFile(t, path, []byte(b.String()))
	inputs, _ := Expand([]string{path}, nil)
	plans := Prepare(inputs, Options{})
	if d := plans[0].Detection; d.Format != nil || d.String() != "unknown format" {
		t.Errorf("detected %v", d)
	}
	evs, stats, errs := decodeAll(t, inputs, Options{})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	st := stats[0]
	if len(evs) != 20 || st.Format != "" || st.Lines != 20 || st.Unparsed != 20 || st.Entries != 0 {
		t.Errorf("%d events, stats %+v", len(evs), st)
	}
	if len(st.UnparsedSamples) != MaxUnparsedSamples || st.UnparsedSamples[0] != (LineSample{1, unknownLine + " #1"}) {
		t.Errorf("samples %+v", st.UnparsedSamples)
	}
	if evs[19].Message != unknownLine+" #20" || evs[19].Format != "" || evs[19].Line != 20 {
		t.Errorf("last event %+v", evs[19])
	}
}

// TestDecodeForced checks --as: a forced format is used even when it
// understands none of the sample, and its failures are counted.
func TestDecodeForced(t *testing.T) {
	dir := t.TempDir()
	access, notes := filepath.Join(dir, "access.log"), filepath.Join(dir, "notes.txt")
	writeFile(t, access, []byte(accessLines(3)))
	writeFile(t, notes, []byte(unknownLine+"\n"+unknownLine+"\n"))
	inputs, _ := Expand([]string{access, notes}, nil)
	fmtErr, _ := LookupFormat(FormatNginxError)
	evs, stats, _ := decodeAll(t, inputs, Options{Forced: map[string]*Format{dir + "/./notes.txt": fmtErr}})
	if st := stats[1]; st.Format != FormatNginxError || !st.Forced || st.Unparsed != 2 {
		t.Errorf("forced input: %+v", st)
	}
	if st := stats[0]; st.Format != FormatNginxAccess || st.Forced {
		t.Errorf("other input: %+v", st)
	}
	// the Nginx error log joins continuation lines: the second line that
	// it does not understand continues the first
	if len(evs) != 4 || evs[3].Line != 1 || string(evs[3].Raw) != unknownLine+"\n"+unknownLine {
		t.Errorf("%d events, want 3 access lines and one joined entry", len(evs))
	}
}

// TestDecodeTruncatedGzip checks that a gzip file cut off mid-stream keeps
// the entries read before the cut and fails with an error naming the file.
func TestDecodeTruncatedGzip(t *testing.T) {
	text := accessLines(5000)
	gz := gzipBytes(t, text)
	path := filepath.Join(t.TempDir(), "access.log.2.gz")
	writeFile(t, path, gz[:len(gz)/2])
	inputs, _ := Expand([]string{path}, nil)
	evs, stats, errs := decodeAll(t, inputs, Options{})
	err := errs[0]
	if err == nil || !strings.HasPrefix(err.Error(), path+": truncated gzip stream") {
		t.Fatalf("error %v, want one naming %s as truncated", err, path)
	}
	if stats[0].Error != err.Error() {
		t.Errorf("stats error %q", stats[0].Error)
	}
	if len(evs) < 1000 || len(evs) >= 5000 {
		t.Fatalf("%d events before the cut", len(evs))
	}
	for i, ev := range evs[:len(evs)-1] { // the last may be a line cut short
		if ev.Line != int64(i+1) || ev.Path != fmt.Sprintf("/item/%d", i+1) {
			t.Fatalf("event %d: line %d path %s", i, ev.Line, ev.Path)
		}
	}
	// everything decompressed before the cut was handed over, byte for byte
	last := evs[len(evs)-1]
	if end := last.Offset + int64(len(last.Raw)); text[last.Offset:end] != string(last.Raw) || stats[0].Bytes < end || stats[0].Bytes > end+1 {
		t.Errorf("last event at %d (%d bytes), %d bytes read", last.Offset, len(last.Raw), stats[0].Bytes)
	}
}

// TestDecodeTruncatedBzip2 is TestDecodeTruncatedGzip for bzip2.
func TestDecodeTruncatedBzip2(t *testing.T) {
	bz := mustRead(t, filepath.Join("..", "testdata", "inputs", "access.log.bz2"))
	path := filepath.Join(t.TempDir(), "access.log.3.bz2")
	writeFile(t, path, bz[:len(bz)-20])
	inputs, _ := Expand([]string{path}, nil)
	_, stats, errs := decodeAll(t, inputs, Options{})
	if errs[0] == nil || !strings.HasPrefix(errs[0].Error(), path+": ") || !strings.Contains(errs[0].Error(), "bzip2") {
		t.Errorf("error %v, want one naming %s and bzip2", errs[0], path)
	}
	if stats[0].Error == "" {
		t.Error("stats carry no error")
	}
}

// TestDecodeCancel checks that a cancelled context ends decoding.
func TestDecodeCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "access.log")
	writeFile(t, path, []byte(accessLines(20000)))
	inputs, _ := Expand([]string{path}, nil)
	p := Prepare(inputs, Options{})[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Decode(ctx, func([]Event) error { return nil }); err != context.Canceled {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
