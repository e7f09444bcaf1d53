#!/usr/bin/env bash
# The parser benchmarks as the README reports them: the code the binaries run (built with
# cmd/secondme_error_exporter/default.pgo), ROUNDS rounds of every sub-benchmark of
# BenchmarkParse, one after the other in each round, so that each round's mixed corpus
# and its two baselines (encoding/json, regexp) are measured seconds apart on a machine
# whose speed drifts. Prints the median and best MB/s of each sub-benchmark, and the
# median and range of the per-round ratios mixed / baseline.
#
#   scripts/bench-parser.sh               # ROUNDS=16 BENCHTIME=500ms
#   CPU=1 scripts/bench-parser.sh         # GOMAXPROCS=1: everything on one core,
#                                         # encoding/json's garbage collector included
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-16}
BENCHTIME=${BENCHTIME:-500ms}
CPU=${CPU:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -pgo=cmd/secondme_error_exporter/default.pgo -o "$work/parser.test" ./parser/
grep -m1 'model name' /proc/cpuinfo 2>/dev/null || true
echo "go: $(go env GOVERSION)  rounds: $ROUNDS  benchtime: $BENCHTIME  cpu: ${CPU:-GOMAXPROCS}"
cd parser # the corpus is testdata/corpus.log
for r in $(seq "$ROUNDS"); do
	"$work/parser.test" -test.run '^$' -test.bench '^BenchmarkParse$' -test.benchtime "$BENCHTIME" \
		${CPU:+-test.cpu "$CPU"} | awk -v r="$r" '/^BenchmarkParse\// {
			name = $1; sub(/^BenchmarkParse\//, "", name); sub(/-[0-9]+$/, "", name)
			for (i = 2; i <= NF; i++) { if ($i == "MB/s") w = $(i-1); if ($i == "cpu-MB/s") c = $(i-1) }
			print r, name, w, c
		}'
done >"$work/runs.txt"
awk '
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ wall[$1, $2] = $3; cpu[$1, $2] = $4; if (!($2 in seen)) { seen[$2] = 1; names[++k] = $2 }; rounds = $1 > rounds ? $1 : rounds }
END {
	printf "%-24s %12s %10s %14s\n", "benchmark", "median MB/s", "best MB/s", "median cpu-MB/s"
	for (i = 1; i <= k; i++) {
		n = 0; best = 0
		for (r = 1; r <= rounds; r++) if ((r, names[i]) in wall) { w[++n] = wall[r, names[i]]; c[n] = cpu[r, names[i]]; if (w[n] > best) best = w[n] }
		printf "%-24s %12.1f %10.1f %14.1f\n", names[i], median(w, n), best, median(c, n)
	}
	split("baseline_encoding_json baseline_regexp", bases, " ")
	for (b = 1; b <= 2; b++) {
		n = 0; lo = 1e9; hi = 0
		for (r = 1; r <= rounds; r++) if ((r, "mixed") in wall && (r, bases[b]) in wall) {
			x[++n] = wall[r, "mixed"] / wall[r, bases[b]]; y[n] = cpu[r, "mixed"] / cpu[r, bases[b]]
			if (x[n] < lo) lo = x[n]; if (x[n] > hi) hi = x[n]
		}
		printf "mixed / %-22s median %.1fx (%.1f-%.1fx per round), in CPU time %.1fx\n", bases[b], median(x, n), lo, hi, median(y, n)
	}
}' "$work/runs.txt"
