#!/usr/bin/env bash
# Paired A/B of the parser benchmarks: the working tree against REF (default HEAD),
# each built with its own cmd/secondme_error_exporter/default.pgo. Every round runs
# both binaries back to back, in alternating order, and the per-round ratio new/old
# is what is summarised: on a shared machine whose speed drifts between rounds, a
# ratio taken seconds apart is steadier than either side's MB/s.
#
#   scripts/ab-parser.sh                      # HEAD, envelope/mixed/none, 40 rounds of 100 ms
#   REF=v0.3.0 ROUNDS=60 scripts/ab-parser.sh
#   BENCH='Parse/errors$' scripts/ab-parser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${REF:-HEAD}
ROUNDS=${ROUNDS:-40}
BENCHTIME=${BENCHTIME:-100ms}
BENCH=${BENCH:-'Parse/(envelope|mixed|none)$'}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/ref" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -f -q --detach "$work/ref" "$REF"
(cd "$work/ref" && go test -c -pgo=cmd/secondme_error_exporter/default.pgo -o "$work/old.test" ./parser/)
go test -c -pgo=cmd/secondme_error_exporter/default.pgo -o "$work/new.test" ./parser/
echo "old: $(git rev-parse --short "$REF")  new: working tree  rounds: $ROUNDS  benchtime: $BENCHTIME"
cd parser # the corpus is testdata/corpus.log
for r in $(seq "$ROUNDS"); do
	if ((r % 2)); then order="new old"; else order="old new"; fi
	for v in $order; do
		"$work/$v.test" -test.run '^$' -test.bench "$BENCH" -test.benchtime "$BENCHTIME" |
			awk -v r="$r" -v v="$v" '/^Benchmark/ { for (i = 2; i <= NF; i++) if ($i == "MB/s") print r, v, $1, $(i-1) }'
	done
done >"$work/runs.txt"
awk '
{ mb[$3, $1, $2] = $4; if (!($3 in seen)) { seen[$3] = 1; names[++k] = $3 } }
END {
	for (i = 1; i <= k; i++) {
		n = 0
		for (r = 1; (names[i], r, "new") in mb || (names[i], r, "old") in mb; r++)
			if ((names[i], r, "new") in mb && (names[i], r, "old") in mb && mb[names[i], r, "old"] > 0)
				q[++n] = mb[names[i], r, "new"] / mb[names[i], r, "old"]
		for (a = 2; a <= n; a++) { t = q[a]; for (b = a - 1; b >= 1 && q[b] > t; b--) q[b+1] = q[b]; q[b+1] = t }
		med = n % 2 ? q[(n+1)/2] : (q[n/2] + q[n/2+1]) / 2
		lo = q[int(n/4) + 1]; hi = q[n - int(n/4)]
		printf "%-32s new/old per round: median %.3f, middle half %.3f-%.3f (%d rounds)\n", names[i], med, lo, hi, n
	}
}' "$work/runs.txt"
