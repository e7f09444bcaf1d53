#!/usr/bin/env bash
# Catch-up throughput of the exporter daemon against mtail, same file, same run.
#
# Generates a mixed SecondMe log (default 1 GiB, ~5 % envelopes), then
#  - runs the real secondme_error_exporter with --tail.start=beginning on it and times
#    from process start until /metrics reports every line read (lines_total == lines),
#  - runs mtail --one_shot with bench/mtail/secondme.mtail on the same file,
# checks that both count the same error envelopes per error_code, and prints the ratio.
#
#   scripts/bench-catchup.sh                 # 1 GiB
#   SIZE=256MiB scripts/bench-catchup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1GiB}
MTAIL=${MTAIL:-$(command -v mtail || true)}
[ -n "$MTAIL" ] || { echo "mtail not found (scripts/install-tools.sh installs it)" >&2; exit 1; }
WORK=$(mktemp -d)
trap '[ -n "${EXP_PID:-}" ] && kill "$EXP_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

echo "== build"
go build -o "$WORK/exporter" ./cmd/secondme_error_exporter
go build -o "$WORK/gencorpus" ./analyze/internal/corpusgen/gencorpus
echo "== generate a $SIZE mixed log"
"$WORK/gencorpus" -kind bench -size "$SIZE" -o "$WORK/big.log" -truth "$WORK/truth.json"
bytes=$(stat -c %s "$WORK/big.log")
lines=$(wc -l <"$WORK/big.log")
cat "$WORK/big.log" >/dev/null # both tools start from the page cache

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
metrics() { curl -fsS "http://127.0.0.1:$port/metrics"; }

echo "== exporter: --tail.start=beginning"
start=$(date +%s.%N)
"$WORK/exporter" --tail.path="$WORK/big.log" --tail.start=beginning \
	--web.listen-address="127.0.0.1:$port" --log.level=warn &
EXP_PID=$!
while :; do
	n=$(metrics 2>/dev/null | awk '/^secondme_exporter_lines_total\{/ {s += $NF} END {printf "%d", s}') || n=0
	[ "${n:-0}" -ge "$lines" ] && break
	kill -0 "$EXP_PID" || { echo "exporter died" >&2; exit 1; }
	sleep 0.05
done
end=$(date +%s.%N)
cpu_ticks=$(awk '{print $14 + $15}' "/proc/$EXP_PID/stat")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$EXP_PID/status")
metrics >"$WORK/exporter.prom"
kill "$EXP_PID"; wait "$EXP_PID" 2>/dev/null || true; EXP_PID=

echo "== mtail --one_shot"
/usr/bin/time -f "%e %U %S" -o "$WORK/mtail.time" \
	"$MTAIL" --one_shot --one_shot_format=prometheus --logs "$WORK/big.log" --progs bench/mtail/ \
	>"$WORK/mtail.prom" 2>"$WORK/mtail.err"

bycode() { awk -f scripts/codes-by-error_code.awk "$1" | sort; }
bycode "$WORK/exporter.prom" >"$WORK/exporter.codes"
bycode "$WORK/mtail.prom" >"$WORK/mtail.codes"
if ! diff -u "$WORK/mtail.codes" "$WORK/exporter.codes"; then
	echo "FAIL: per-code counts differ (mtail vs exporter)" >&2
	exit 1
fi
echo "ok: both counted $(awk '{s += $2} END {print s}' "$WORK/exporter.codes") error envelopes in $lines lines"

read -r wm um sm <"$WORK/mtail.time"
hz=$(getconf CLK_TCK)
awk -v s="$start" -v e="$end" -v t="$cpu_ticks" -v hz="$hz" -v rss="$rss_kb" -v wm="$wm" \
	-v cm="$(awk -v u="$um" -v s="$sm" 'BEGIN{print u+s}')" -v b="$bytes" \
	-v cpu="$(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)" \
	-v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	we = e - s; ce = t / hz
	printf "cpu       %s, load average %s\n", cpu, load
	printf "             wall       CPU   MB/s (wall)  peak RSS\n"
	printf "exporter  %7.2f s %7.2f s  %10.0f   %5.0f MiB\n", we, ce, b / we / 1e6, rss / 1024
	printf "mtail     %7.2f s %7.2f s  %10.0f\n", wm, cm, b / wm / 1e6
	printf "ratio     %7.1fx  %7.1fx\n", wm / we, cm / ce
}'
