#!/usr/bin/env bash
# bench/run.sh — end-to-end benchmark of `faultline scan` on generated logs.
#
# Generates SIZE MiB of realistic web-stack logs with genlogs (a day of
# Nginx, Apache, PHP-FPM, app JSON and syslog traffic with one scripted
# database → PHP-FPM → OOM → 502 incident), builds faultline from this
# checkout, runs `faultline scan --format json` on the logs RUNS times and
# reports, per run and as the median: wall time, throughput (MiB of log per
# second), CPU time and the cores it kept busy ((user+sys)/wall), and peak
# RSS (GNU time). Then it checks the analysis against genlogs' manifest.json:
#   - every file read whole: lines as in the manifest, nothing unparsed;
#   - requests and 5xx counts equal to the access logs' (nginx + apache);
#   - exactly one incident, starting between the database trouble and the
#     502 window's start and ending with the 502 window (±2 min).
#
# Usage:  bench/run.sh [SIZE_MIB [RUNS]]        (defaults: 1024 3)
#         bench/run.sh 50 1                     quick check
#
# Environment:
#   GENLOGS=DIR    genlogs sources (default: shared/bench/genlogs beside the
#                  repository, i.e. ../shared/bench/genlogs)
#   BENCH_DIR=DIR  put the data here and keep it; an existing BENCH_DIR whose
#                  manifest has the same size and seed is reused. Without it
#                  the data goes to a temporary directory removed at exit.
#   SEED=N         genlogs seed (default 1)
#   COMPARE=1      also time goaccess and lnav on the Nginx access log when
#                  they are installed (apt-get install -y goaccess lnav)
#
# Needs go, jq and GNU time (apt-get install -y jq time). Runs read the logs
# from a warm page cache (one untimed read first); the load average before
# and after is printed, because other work on the machine skews wall times
# (CPU time much less so).
#
# Exit status: 0 all checks passed, 1 a check failed, 2 usage or setup error.
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 2
}
die() {
	echo "bench/run.sh: $*" >&2
	exit 2
}

[[ ${1:-} == -h || ${1:-} == --help ]] && usage
size=${1:-1024}
runs=${2:-3}
seed=${SEED:-1}
[[ $size =~ ^[0-9]+([.][0-9]+)?$ ]] || die "SIZE_MIB must be a number, got '$size'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$runs'"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
genlogs=${GENLOGS:-$repo/../shared/bench/genlogs}
[[ -f $genlogs/main.go ]] || die "genlogs not found at $genlogs (set GENLOGS)"
command -v go >/dev/null || die "go not found"
command -v jq >/dev/null || die "jq not found (apt-get install -y jq)"
[[ -x /usr/bin/time ]] || die "GNU time not found at /usr/bin/time (apt-get install -y time)"

work=$(mktemp -d "${TMPDIR:-/tmp}/faultline-bench.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -n ${BENCH_DIR:-} ]]; then
	data=$BENCH_DIR
else
	data=$work/data
fi

echo "== build"
(cd "$repo" && go build -o "$work/faultline" ./cmd/faultline)
rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null) ]] && rev="$rev + uncommitted changes"
echo "faultline $rev, $(go version | cut -d' ' -f3-)"

echo "== data: $size MiB, seed $seed, in $data"
if [[ -f $data/manifest.json ]] &&
	jq -e --argjson size "$size" --argjson seed "$seed" '.size_mib == $size and .seed == $seed' "$data/manifest.json" >/dev/null; then
	echo "reusing the existing data"
else
	t0=$(date +%s.%N)
	(cd "$genlogs" && go run . -out "$data" -size "$size" -seed "$seed" -q)
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "generated in %.1f s\n", b - a }'
fi
manifest=$data/manifest.json
mapfile -t files < <(jq -r '.files[].name' "$manifest")
bytes=$(jq '[.files[].bytes] | add' "$manifest")
lines=$(jq '[.files[].lines] | add' "$manifest")
awk -v n="${#files[@]}" -v l="$lines" -v b="$bytes" 'BEGIN { printf "%d files, %d lines, %.1f MiB\n", n, l, b / 1048576 }'

cat "${files[@]/#/$data/}" >/dev/null # warm the page cache
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

echo "== scan × $runs"
printf '%-4s %8s %9s %8s %8s %6s %9s\n' run wall_s MiB/s user_s sys_s cores rss_MiB
results=$work/results
: >"$results"
for ((i = 1; i <= runs; i++)); do
	rc=0
	(cd "$data" && /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
		"$work/faultline" scan --format json -o "$work/analysis.json" "${files[@]}" 2>"$work/stderr") || rc=$?
	if ((rc > 1)); then
		cat "$work/stderr" >&2
		die "faultline scan failed with exit status $rc"
	fi
	# GNU time writes "Command exited with non-zero status 1" first then
	read -r wall user sys rss < <(tail -n 1 "$work/time")
	echo "$wall $user $sys $rss" >>"$results"
	awk -v i="$i" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" 'BEGIN {
		printf "%-4s %8.2f %9.1f %8.2f %8.2f %6.2f %9.1f\n", i, w, b / 1048576 / w, u, s, (u + s) / w, r / 1024 }'
done
sort -n "$results" | awk -v b="$bytes" -v n="$runs" '
	{ w[NR] = $1; u[NR] = $2; s[NR] = $3; r[NR] = $4 }
	END {
		m = int((n + 1) / 2)
		printf "%-4s %8.2f %9.1f %8.2f %8.2f %6.2f %9.1f\n", "med", w[m], b / 1048576 / w[m], u[m], s[m], (u[m] + s[m]) / w[m], r[m] / 1024
		printf "best %.2f s = %.1f MiB/s\n", w[1], b / 1048576 / w[1]
	}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== checks against $manifest"
checks=$(jq -r -n --slurpfile m "$manifest" --slurpfile r "$work/analysis.json" '
	def t: sub("\\.[0-9]+"; "") | fromdateiso8601;
	def check(ok; what): (if ok then "PASS " else "FAIL " end) + what;
	$m[0] as $m | $r[0] as $r
	| ($m.files | map(select(.name | test("access\\.log$")))) as $edge
	| ($m.files[] | . as $f | ($r.files | map(select(.path == $f.name)) | first) as $g
		| check($g != null and $g.lines == $f.lines and $g.unparsed_lines == 0;
			"\($f.name): \($g.lines // 0) lines (manifest \($f.lines)), \($g.entries // 0) entries, \($g.unparsed_lines // "?") unparsed, \($g.format // "no format")")),
	($edge | map(.lines) | add) as $req
	| check($r.totals.requests == $req; "requests \($r.totals.requests) (access logs: \($req))"),
	($edge | map(.status | to_entries[] | select(.key | tonumber >= 500)) | group_by(.key)
		| map({key: .[0].key, value: (map(.value) | add)}) | from_entries) as $want
	| check($r.totals.statuses == $want; "5xx \($r.totals.statuses | tojson) (access logs: \($want | tojson))"),
	($r.incidents | length) as $n
	| check($n == 1; "\($n) incident(s) (want 1)"),
	($r.incidents[] | . as $i
		| check(($i.start | t) >= ($m.db_trouble_start | t) - 120 and ($i.start | t) <= ($m.incident_start | t) + 120
			and ($i["end"] | t) >= ($m.incident_end | t) - 120 and ($i["end"] | t) <= ($m.incident_end | t) + 120;
			"incident \($i.start) → \($i["end"]), root cause \($i.root_cause) (manifest: database trouble from \($m.db_trouble_start), 502s \($m.incident_start) → \($m.incident_end))"))
')
echo "$checks"

if [[ ${COMPARE:-} == 1 ]]; then
	echo "== other tools on nginx/access.log (timed once each)"
	access=$data/nginx/access.log
	if command -v goaccess >/dev/null; then
		/usr/bin/time -f 'goaccess: %e s wall, %U s user, %M KiB peak RSS' \
			goaccess "$access" --log-format=COMBINED --no-global-config -o "$work/goaccess.json" >/dev/null 2>"$work/goaccess.err" ||
			echo "goaccess failed: $(tail -n 3 "$work/goaccess.err")"
		grep -E '^goaccess:' "$work/goaccess.err" || true
	else
		echo "goaccess not installed"
	fi
	if command -v lnav >/dev/null; then
		/usr/bin/time -f 'lnav: %e s wall, %U s user, %M KiB peak RSS' \
			lnav -n -c ';SELECT sc_status, count(*) FROM access_log WHERE sc_status >= 500 GROUP BY sc_status' "$access" \
			>"$work/lnav.out" 2>"$work/lnav.err" || echo "lnav failed: $(tail -n 3 "$work/lnav.err")"
		cat "$work/lnav.out"
		grep -E '^lnav:' "$work/lnav.err" || true
	else
		echo "lnav not installed"
	fi
fi

if grep -q '^FAIL' <<<"$checks"; then
	echo "== some checks FAILED"
	exit 1
fi
echo "== all checks passed"
