#!/usr/bin/env bash
# Steady-state footprint of the real exporter binary: follow FILES files that
# the demo writer appends RATE lines/s to (in total), sample the exporter's
# CPU time and RSS from /proc/PID/{stat,status} for DURATION seconds, then
# measure how long a line appended to a file takes to show up in /metrics.
#
#   scripts/steady-state.sh                 # 10 files, 5000 lines/s, 30 s
#   FILES=10 RATE=5000 DURATION=60 WARMUP=5 PROBES=20 scripts/steady-state.sh
#   POLL=1 scripts/steady-state.sh          # --tail.poll instead of inotify
#
# Targets (README, "Benchmarks"): < 5 % of one core, < 40 MB RSS, a line
# visible in /metrics within one second. Exits non-zero when a target is
# missed, so CI can run it.
set -euo pipefail

FILES=${FILES:-10}
RATE=${RATE:-5000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
PROBES=${PROBES:-10}
POLL=${POLL:-0}
CPU_TARGET=${CPU_TARGET:-5}     # percent of one core
RSS_TARGET_KB=${RSS_TARGET_KB:-40960}
LATENCY_TARGET_MS=${LATENCY_TARGET_MS:-1000}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/secondme-steady.XXXXXX)
exporter_pid= writer_pid=
cleanup() {
	[[ -n $writer_pid ]] && kill "$writer_pid" 2>/dev/null || true
	[[ -n $exporter_pid ]] && kill "$exporter_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

bin="$work/secondme_error_exporter"
(cd "$root" && go build -o "$bin" ./cmd/secondme_error_exporter)

mkdir "$work/logs"
outs=()
for i in $(seq 1 "$FILES"); do
	: >"$work/logs/app$i.log"
	outs+=("--out=$work/logs/app$i.log")
done
: >"$work/exporter.log"

poll_flag=()
[[ $POLL == 1 ]] && poll_flag=(--tail.poll)
"$bin" --tail.path="$work/logs/*.log" --tail.start=end --web.listen-address=127.0.0.1:0 \
	"${poll_flag[@]}" 2>"$work/exporter.log" &
exporter_pid=$!

addr=
for _ in $(seq 1 200); do
	addr=$(sed -n 's/.*msg="Listening on" address=\([^ ]*\).*/\1/p' "$work/exporter.log" | head -1)
	[[ -n $addr ]] && break
	sleep 0.05
done
[[ -n $addr ]] || { cat "$work/exporter.log"; echo "exporter did not start" >&2; exit 1; }
until curl -fsS "http://$addr/-/ready" >/dev/null 2>&1; do sleep 0.05; done

# --no-unknown-codes: the latency probes below are the only codes
# outside the catalog, so their counter moves only for them.
"$bin" demo-writer "${outs[@]}" --rate="$RATE" --no-unknown-codes --seed=1 \
	--duration=$((WARMUP + DURATION + 60))s 2>"$work/writer.log" &
writer_pid=$!

clk=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$exporter_pid/stat"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$exporter_pid/status"; }
lines_total() {
	curl -fsS "http://$addr/metrics" | awk '/^secondme_exporter_lines_total/ {s += $2} END {printf "%d\n", s}'
}

sleep "$WARMUP"
t0=$(date +%s%N) c0=$(cpu_ticks) l0=$(lines_total)
max_rss=0
for _ in $(seq 1 "$DURATION"); do
	sleep 1
	r=$(rss_kb)
	((r > max_rss)) && max_rss=$r
done
t1=$(date +%s%N) c1=$(cpu_ticks) l1=$(lines_total)

elapsed_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')
cpu_pct=$(awk -v c="$((c1 - c0))" -v k="$clk" -v e="$elapsed_s" 'BEGIN {printf "%.2f", 100 * c / k / e}')
lines_per_s=$(awk -v l="$((l1 - l0))" -v e="$elapsed_s" 'BEGIN {printf "%.0f", l / e}')

# Latency: append one probe line to a followed file and poll /metrics until
# it is counted.
probe_count() {
	curl -fsS "http://$addr/metrics" |
		awk '/^secondme_exporter_unknown_error_codes_total/ {s += $2} END {printf "%d\n", s}'
}
latencies=()
for i in $(seq 1 "$PROBES"); do
	before=$(probe_count)
	start=$(date +%s%N)
	printf '{"code":418,"message":"probe","error_code":"latency.probe.check%d"}\n' "$i" >>"$work/logs/app1.log"
	while (($(probe_count) <= before)); do sleep 0.01; done
	latencies+=($((($(date +%s%N) - start) / 1000000)))
	sleep 0.2
done
sorted=$(printf '%s\n' "${latencies[@]}" | sort -n)
lat_median=$(echo "$sorted" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
lat_max=$(echo "$sorted" | tail -1)

mode=inotify
[[ $POLL == 1 ]] && mode=poll
cat <<EOF
steady state ($mode): $FILES files, target $RATE lines/s, measured $lines_per_s lines/s over ${elapsed_s}s
  cpu:     ${cpu_pct}% of one core   (target < ${CPU_TARGET}%)
  rss:     $((max_rss / 1024)) MiB max        (target < $((RSS_TARGET_KB / 1024)) MiB)
  latency: median ${lat_median} ms, max ${lat_max} ms over $PROBES probes (target < ${LATENCY_TARGET_MS} ms)
EOF

fail=0
awk -v c="$cpu_pct" -v t="$CPU_TARGET" 'BEGIN {exit !(c < t)}' || { echo "FAIL: cpu" >&2; fail=1; }
((max_rss < RSS_TARGET_KB)) || { echo "FAIL: rss" >&2; fail=1; }
((lat_max < LATENCY_TARGET_MS)) || { echo "FAIL: latency" >&2; fail=1; }
exit $fail
