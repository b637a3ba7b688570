package report

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faultline/faultline/parsers"
	"github.com/faultline/faultline/rules"
)

// The benchmarks here run the scan pipeline end to end on the genlogs
// corpus ($FAULTLINE_BENCH_DATA, else /tmp/gl), made with
//
//	cd /work/shared/bench/genlogs && go run . -out /tmp/gl -size 50 -q
//
// and skip without it. Run them with -cpu 1,2 to see what the second core
// buys. bench/run.sh measures the same through the binary on gigabytes.

// genlogsManifest is the part of genlogs' manifest.json the benchmarks use.
type genlogsManifest struct {
	IncidentStart time.Time `json:"incident_start"`
	IncidentEnd   time.Time `json:"incident_end"`
	Files         []struct {
		Name  string `json:"name"`
		Bytes int64  `json:"bytes"`
		Lines int64  `json:"lines"`
	} `json:"files"`
}

// genlogsCorpus returns the corpus' log files and manifest.
func genlogsCorpus(b *testing.B) ([]string, int64, *genlogsManifest) {
	dir := os.Getenv("FAULTLINE_BENCH_DATA")
	if dir == "" {
		dir = "/tmp/gl"
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		b.Skipf("no genlogs corpus: %v", err)
	}
	var m genlogsManifest
	if err := json.Unmarshal(data, &m); err != nil {
		b.Fatalf("%s/manifest.json: %v", dir, err)
	}
	var paths []string
	var size int64
	for _, f := range m.Files {
		paths = append(paths, filepath.Join(dir, f.Name))
		size += f.Bytes
	}
	return paths, size, &m
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

// preparePlans expands and probes the inputs as scan does.
func preparePlans(b *testing.B, paths []string) []*parsers.Plan {
	inputs, notes := parsers.Expand(paths, nil)
	if len(inputs) != len(paths) {
		b.Fatalf("expand: %v", notes)
	}
	return parsers.Prepare(inputs, parsers.Options{})
}

// pipelineStart is the state a pipeline benchmark's metrics start from.
type pipelineStart struct {
	mem   runtime.MemStats
	cpu   time.Duration
	cpuOK bool
}

// startPipeline resets the timer and records the starting state.
func startPipeline(b *testing.B, size int64) *pipelineStart {
	b.SetBytes(size)
	b.ReportAllocs()
	s := &pipelineStart{}
	runtime.ReadMemStats(&s.mem)
	s.cpu, s.cpuOK = processCPU()
	b.ResetTimer()
	return s
}

// reportPipeline reports lines per second, CPU time (all threads) per line
// and per megabyte, allocations per line, and how many cores the run kept
// busy.
func reportPipeline(b *testing.B, lines, size int64, start *pipelineStart) {
	b.StopTimer()
	cpu, _ := processCPU()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	n := float64(lines) * float64(b.N)
	if start.cpuOK && cpu > start.cpu {
		used := (cpu - start.cpu).Seconds()
		b.ReportMetric(float64((cpu-start.cpu).Nanoseconds())/n, "cpu-ns/line")
		b.ReportMetric(float64(size)*float64(b.N)/used/1e6, "MB/cpu-s")
		b.ReportMetric(used/b.Elapsed().Seconds(), "cores")
	}
	before := &start.mem
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/n, "allocs/line")
	b.ReportMetric(n/b.Elapsed().Seconds()/1e6, "Mlines/s")
}

// BenchmarkScanner runs Scanner.Run and Analyze over the whole corpus, as
// `faultline scan` does, and checks that the incident found overlaps the
// manifest's window. The stage sub-benchmarks take the same inputs, one
// goroutine per input as the Scanner does, through fewer stages, so that
// the cost of each stage is the difference to the one before:
//
//	decode     parsers.Prepare (probing each input) + Plan.Decode
//	classify   decode + Engine.Match on every event
//	scan       classify + time-ordered merge + Builder.Add + Analyze
func BenchmarkScanner(b *testing.B) {
	paths, size, m := genlogsCorpus(b)
	engine, err := rules.Load()
	if err != nil {
		b.Fatal(err)
	}
	var lines int64
	for _, f := range m.Files {
		lines += f.Lines
	}
	// each input in its own goroutine; stage is what happens to a batch
	parallel := func(b *testing.B, stage func([]parsers.Event)) {
		plans := preparePlans(b, paths)
		var wg sync.WaitGroup
		for _, p := range plans {
			wg.Go(func() {
				if _, err := p.Decode(context.Background(), func(batch []parsers.Event) error {
					stage(batch)
					return nil
				}); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	b.Run("decode", func(b *testing.B) {
		start := startPipeline(b, size)
		for i := 0; i < b.N; i++ {
			parallel(b, func([]parsers.Event) {})
		}
		reportPipeline(b, lines, size, start)
	})
	b.Run("classify", func(b *testing.B) {
		start := startPipeline(b, size)
		for i := 0; i < b.N; i++ {
			parallel(b, func(batch []parsers.Event) { classify(engine, batch) })
		}
		reportPipeline(b, lines, size, start)
	})
	b.Run("scan", func(b *testing.B) {
		start := startPipeline(b, size)
		var a *Analysis
		for i := 0; i < b.N; i++ {
			builder := NewBuilder(engine.Catalogue(), DefaultOptions())
			sc := &Scanner{Engine: engine, Builder: builder}
			if _, errs := sc.Run(context.Background(), preparePlans(b, paths)); len(errs) > 0 {
				b.Fatal(errs)
			}
			a = builder.Analyze()
		}
		reportPipeline(b, lines, size, start)
		found := false
		for _, inc := range a.Incidents {
			if inc.Start.Before(m.IncidentEnd) && !inc.End.Before(m.IncidentStart) {
				found = true
			}
		}
		if !found {
			b.Fatalf("no incident overlaps the manifest's window %s–%s", m.IncidentStart, m.IncidentEnd)
		}
	})
}
