#!/usr/bin/env bash
# Measures `faultline tail`: how many appended lines per second it processes
# (a writer appending as fast as it can, and one paced at a fixed rate), and
# its CPU use while nothing is written. Usage:
#
#   bench/tail.sh [-n LINES] [-r RATE] [-s SECONDS] [-i IDLE_SECONDS]
#
# -n  lines appended in the access-log and "no live upstreams" bursts
#     (default 1000000; the "Connection refused" burst appends a fifth)
# -r  lines per second of the paced run (default 50000), -s its length (10)
# -i  length of the idle measurement (default 30), with 10 followed files
#
# Three kinds of lines: an Nginx access log where every 10th response is a
# 502 (one NDJSON symptom each); an Nginx error log of "no live upstreams"
# lines; and one of "connect() failed (111: Connection refused)" lines, the
# most expensive line for the rules (one NDJSON finding per error line). The
# output goes to a file (counted to see when the last line came out).
set -euo pipefail
cd "$(dirname "$0")/.."

lines=1000000 rate=50000 secs=10 idle=30
while getopts n:r:s:i: o; do
	case $o in
	n) lines=$OPTARG ;; r) rate=$OPTARG ;; s) secs=$OPTARG ;; i) idle=$OPTARG ;;
	*) sed -n '2,17p' "$0"; exit 2 ;;
	esac
done

work=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/faultline" ./cmd/faultline
tick=$(getconf CLK_TCK)

now() { date +%s.%N; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# write KIND FROM COUNT [RATE]: appends COUNT lines numbered from FROM to
# stdout, as fast as possible or RATE lines per second (in 10 ms steps).
write() {
	perl -MTime::HiRes=time,sleep -e '
		my ($kind, $from, $n, $rate) = @ARGV;
		$| = 0;
		my $t0 = time; my $done = 0;
		while ($done < $n) {
			my $chunk = $rate ? int($rate / 100) : 10000;
			$chunk = $n - $done if $chunk > $n - $done;
			for my $i ($from + $done .. $from + $done + $chunk - 1) {
				my $s = sprintf "%02d", int($i / 10000) % 60;
				if ($kind eq "access") {
					printf "203.0.113.%d - - [25/Nov/2026:22:17:%s +0000] \"GET /seq/%d HTTP/1.1\" %d 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\"\n",
						$i % 250, $s, $i, $i % 10 == 0 ? 502 : 200;
				} elsif ($kind eq "nolive") {
					printf "2026/11/25 22:17:%s [error] 20288#20288: *%d no live upstreams while connecting to upstream, client: 127.0.0.1, server: lab.example.com, request: \"GET /seq/%d HTTP/1.1\", upstream: \"http://backend/seq/%d\", host: \"lab.example.com\"\n",
						$s, $i, $i, $i;
				} else {
					printf "2026/11/25 22:17:%s [error] 20288#20288: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.example.com, request: \"GET /seq/%d HTTP/1.1\", upstream: \"http://127.0.0.1:1/\", host: \"lab.example.com\"\n",
						$s, $i, $i;
				}
			}
			$done += $chunk;
			STDOUT->flush();
			if ($rate) { my $due = $t0 + $done / $rate; my $d = $due - time; sleep($d) if $d > 0 }
		}' "$@"
}

# run KIND COUNT [RATE]: follows a new file, appends COUNT lines, waits for
# every expected output line and prints the numbers.
run() {
	local kind=$1 n=$2 pace=${3:-0}
	local log="$work/$kind.log" out="$work/$kind.ndjson"
	: >"$log"
	"$work/faultline" tail -q --format ndjson "$log" >"$out" 2>"$work/err" &
	pid=$!
	sleep 1 # let it settle on the end of the empty file
	local want=$n
	[ "$kind" = access ] && want=$((n / 10))
	local c0 t0 t1 t2 got
	c0=$(cpu_ticks "$pid")
	t0=$(now)
	write "$kind" 0 "$n" "$pace" >>"$log"
	t1=$(now)
	while got=$(wc -l <"$out"); [ "$got" -lt "$want" ]; do
		sleep 0.02
		if ! kill -0 "$pid" 2>/dev/null; then echo "faultline exited early"; cat "$work/err"; exit 1; fi
	done
	t2=$(now)
	local cpu=$(( $(cpu_ticks "$pid") - c0 ))
	kill -INT "$pid"; wait "$pid" || true; pid=
	awk -v k="$kind" -v n="$n" -v w="$want" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v cpu="$cpu" -v tick="$tick" -v pace="$pace" 'BEGIN {
		mode = pace ? sprintf("paced at %d lines/s", pace) : "burst"
		printf "%-6s %-22s %8d lines in %6.2f s written, all %d out after %6.2f s: %7.0f lines/s processed, lag at the end %.2f s, CPU %.2f s (%.0f%% of a core)\n",
			k, mode, n, t1 - t0, w, t2 - t0, n / (t2 - t0), t2 - t1, cpu / tick, 100 * cpu / tick / (t2 - t0)
	}'
}

echo "faultline tail, $(nproc) cores, $(go version | cut -d' ' -f3)"
run access "$lines"
run nolive "$lines"
run error $((lines / 5))
run access $((rate * secs)) "$rate"
run nolive $((rate * secs)) "$rate"
run error $((rate * secs)) "$rate"

# idle: 10 followed files, nothing written
for mode in inotify poll; do
	files=()
	for i in $(seq 10); do printf 'x\n' >"$work/idle$i.log"; files+=("$work/idle$i.log"); done
	flag=
	[ $mode = poll ] && flag=--poll
	"$work/faultline" tail -q $flag --format ndjson "${files[@]}" >/dev/null 2>&1 &
	pid=$!
	sleep 2
	c0=$(cpu_ticks "$pid")
	sleep "$idle"
	c1=$(cpu_ticks "$pid")
	kill -INT "$pid"; wait "$pid" || true; pid=
	awk -v m=$mode -v c=$((c1 - c0)) -v tick="$tick" -v s="$idle" 'BEGIN {
		printf "idle   %-7s 10 files, %d s: CPU %.2f s = %.2f%% of a core\n", m, s, c / tick, 100 * c / tick / s }'
done
