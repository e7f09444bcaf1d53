#!/usr/bin/env bash
# Side-by-side throughput of secondme_error_analyzer --format=prometheus and
# mtail --one_shot (bench/mtail/secondme.mtail) on the same generated mixed
# log, in one run. Checks that both count the same error envelopes per
# error_code, then prints the times and the ratio.
#
#   scripts/bench-analyzer.sh              # 300 MiB
#   SIZE=1GiB KEEP=1 scripts/bench-analyzer.sh
#
# Uses hyperfine when installed (apt-get install hyperfine), else bash's
# time over RUNS runs. The corpus is read once beforehand so both tools
# start from the page cache.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-300MiB}
RUNS=${RUNS:-3}
MTAIL=${MTAIL:-$(command -v mtail || true)}
if [ -z "$MTAIL" ]; then
	echo "mtail not found (Debian: apt-get install mtail, or scripts/install-tools.sh)" >&2
	exit 1
fi
WORK=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "keeping $WORK"; fi

echo "== build"
go build -o "$WORK/analyzer" ./cmd/secondme_error_analyzer
go build -o "$WORK/gencorpus" ./analyze/internal/corpusgen/gencorpus
echo "== generate a $SIZE mixed log"
"$WORK/gencorpus" -kind bench -size "$SIZE" -o "$WORK/big.log" -truth "$WORK/truth.json"
bytes=$(stat -c %s "$WORK/big.log")
lines=$(wc -l <"$WORK/big.log")
cat "$WORK/big.log" >/dev/null

analyzer=("$WORK/analyzer" --format=prometheus --no-progress "$WORK/big.log")
mtail=("$MTAIL" --one_shot --one_shot_format=prometheus --logs "$WORK/big.log" --progs bench/mtail/)

echo "== correctness: per-code counts of both tools"
"${analyzer[@]}" >"$WORK/analyzer.prom"
"${mtail[@]}" >"$WORK/mtail.prom" 2>"$WORK/mtail.err"
# Sum secondme_api_errors_total by error_code, non-zero only.
bycode() { awk -f scripts/codes-by-error_code.awk "$1" | sort; }
bycode "$WORK/analyzer.prom" >"$WORK/analyzer.codes"
bycode "$WORK/mtail.prom" >"$WORK/mtail.codes"
if ! diff -u "$WORK/mtail.codes" "$WORK/analyzer.codes"; then
	echo "FAIL: per-code counts differ (mtail vs analyzer)" >&2
	exit 1
fi
total=$(awk '{s += $2} END {print s}' "$WORK/analyzer.codes")
echo "ok: $(wc -l <"$WORK/analyzer.codes") codes, $total error envelopes in $lines lines ($bytes bytes)"

echo "== timing"
# Wall time is what a user waits for, but on a shared machine it mostly
# measures the neighbours; CPU time (user+sys) is reported alongside.
# Best of RUNS for both tools (hyperfine, when installed, reports medians of
# the same runs in its own table).
if command -v hyperfine >/dev/null; then
	hyperfine --warmup 1 --runs "$RUNS" -n analyzer "${analyzer[*]} >/dev/null" \
		-n mtail "${mtail[*]} >/dev/null 2>&1"
fi
best() { # runs command...: prints "wall cpu" of the run with the least CPU
	local runs=$1 b=""
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>&1
		read -r e u s m <"$WORK/time"
		line="$e $(awk -v u="$u" -v s="$s" 'BEGIN{print u + s}') $m"
		if [ -z "$b" ] || awk -v a="${line#* }" -v b="${b#* }" 'BEGIN{split(a, x, " "); split(b, y, " "); exit !(x[1] < y[1])}'; then
			b=$line
		fi
	done
	echo "$b"
}
read -r wa ca rss < <(best "$RUNS" "${analyzer[@]}")
read -r wm cm _ < <(best "${MTAIL_RUNS:-1}" "${mtail[@]}")
cpu=$(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)
awk -v wa="$wa" -v ca="$ca" -v wm="$wm" -v cm="$cm" -v b="$bytes" -v rss="$rss" -v cpu="$cpu" \
	-v n="$(nproc)" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	printf "cpu        %s (%d cores), load average %s\n", cpu, n, load
	printf "             wall       CPU   MiB/s (wall)  peak RSS\n"
	printf "analyzer  %7.2f s %7.2f s  %10.1f   %5.0f MiB\n", wa, ca, b / wa / 1048576, rss / 1024
	printf "mtail     %7.2f s %7.2f s  %10.1f\n", wm, cm, b / wm / 1048576
	printf "ratio     %7.1fx  %7.1fx\n", wm / wa, cm / ca
}'
