package parsers

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchDataDir is the genlogs corpus the end-to-end benchmarks read:
// $FAULTLINE_BENCH_DATA, else /tmp/gl, made with
//
//	cd /work/shared/bench/genlogs && go run . -out /tmp/gl -size 50 -q
//
// Benchmarks that need it skip when it is missing.
func benchDataDir() string {
	if d := os.Getenv("FAULTLINE_BENCH_DATA"); d != "" {
		return d
	}
	return "/tmp/gl"
}

// processCPU is the CPU time (user + system, all threads: GC included) the
// process has used, from /proc/self/stat; ok is false where there is none.
// Benchmarks report it per line beside the wall time, which on a shared
// machine says more about the waiting than about the work.
func processCPU() (d time.Duration, ok bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// the fields after the command name: state is the first, utime the
	// 12th and stime the 13th, in clock ticks (USER_HZ, 100 on Linux)
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+s) * 10 * time.Millisecond, true
}

// repeatToFile writes the concatenated files (testdata) again and again to
// a temporary file until it holds at least size bytes, so that the decoder
// is measured on megabytes rather than on a few kilobytes that stay in L1.
func repeatToFile(b *testing.B, size int, files ...string) string {
	var one []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if n := len(data); n > 0 && data[n-1] != '\n' {
			data = append(data, '\n')
		}
		one = append(one, data...)
	}
	if len(one) == 0 {
		b.Fatalf("no data in %v", files)
	}
	buf := make([]byte, 0, size+len(one))
	for len(buf) < size {
		buf = append(buf, one...)
	}
	path := filepath.Join(b.TempDir(), filepath.Base(files[0]))
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchDecode measures the whole decode path of one input — opening,
// line framing, wrapper stripping, multi-line joining, parsing, the arena
// and batching — through Plan.Decode, the way scan reads a file. The format
// is detected (not forced) and must be want. It reports MB/s, allocations
// per line and the share of lines left unparsed.
func benchDecode(b *testing.B, path, want string) {
	info, err := os.Stat(path)
	if err != nil {
		b.Skipf("%v (see benchDataDir)", err)
	}
	inputs, notes := Expand([]string{path}, nil)
	if len(inputs) != 1 {
		b.Fatalf("expand %s: %v", path, notes)
	}
	plans := Prepare(inputs, Options{TZ: time.UTC, YearRef: goldenYearRef})
	p := plans[0]
	if p.Err != nil {
		b.Fatal(p.Err)
	}
	if got := p.Detection.Format; got == nil || got.ID != want {
		b.Fatalf("%s detected as %v, want %s", path, p.Detection, want)
	}
	events := 0
	emit := func(batch []Event) error { events += len(batch); return nil }
	decode := func() *FileStats {
		st, err := p.Decode(context.Background(), emit)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	st := decode() // warm the page cache and the parser
	if st.Entries == 0 {
		b.Fatalf("%s: no entries parsed: %v", path, st)
	}
	b.SetBytes(info.Size())
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st = decode()
	}
	b.StopTimer()
	cpu1, _ := processCPU()
	runtime.ReadMemStats(&after)
	lines := float64(st.Lines) * float64(b.N)
	if cpuOK && cpu1 > cpu0 {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/lines, "cpu-ns/line")
		b.ReportMetric(float64(info.Size())*float64(b.N)/(cpu1-cpu0).Seconds()/1e6, "MB/cpu-s")
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/lines, "allocs/line")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
	b.ReportMetric(float64(st.Unparsed)/float64(st.Lines), "unparsed/line")
}

// BenchmarkDecode runs benchDecode per format: the genlogs corpus for the
// formats it writes, repeated testdata for the joined (app-text, php-error)
// and wrapped (Docker, CRI, journald) inputs genlogs has none of.
func BenchmarkDecode(b *testing.B) {
	gl := benchDataDir()
	td := filepath.Join("..", "testdata", "parsers")
	const repeat = 8 << 20
	for _, c := range []struct {
		name, format string
		path         func() string
	}{
		{"nginx-access", FormatNginxAccess, func() string { return filepath.Join(gl, "nginx", "access.log") }},
		{"nginx-error", FormatNginxError, func() string { return filepath.Join(gl, "nginx", "error.log") }},
		{"apache-access", FormatApacheAccess, func() string { return filepath.Join(gl, "apache2", "access.log") }},
		{"apache-error", FormatApacheError, func() string { return filepath.Join(gl, "apache2", "error.log") }},
		{"php-fpm", FormatPHPFPM, func() string { return filepath.Join(gl, "php8.2-fpm.log") }},
		{"app-json", FormatAppJSON, func() string { return filepath.Join(gl, "app", "checkout-api.jsonl") }},
		{"syslog", FormatSyslog, func() string { return filepath.Join(gl, "syslog") }},
		{"app-text-joined", FormatAppText, func() string {
			files, _ := filepath.Glob(filepath.Join(td, "app-text", "*.log"))
			return repeatToFile(b, repeat, files...)
		}},
		{"php-error-joined", FormatPHPError, func() string {
			files, _ := filepath.Glob(filepath.Join(td, "php-error", "*.log"))
			return repeatToFile(b, repeat, files...)
		}},
		{"docker-ts-wrapped", FormatAppText, func() string {
			return repeatToFile(b, repeat, filepath.Join(td, "wrapped", "docker-logs-t.log"))
		}},
		{"cri-wrapped", FormatAppJSON, func() string { return repeatToFile(b, repeat, filepath.Join(td, "wrapped", "cri.log")) }},
	} {
		b.Run(c.name, func(b *testing.B) { benchDecode(b, c.path(), c.format) })
	}
}
