#!/usr/bin/env bash
# Regenerates the profile the binaries are built with (profile-guided optimisation:
# `go build` uses cmd/<binary>/default.pgo by itself). It profiles the sidecar's hot
# path on the committed corpus: the assembler and the parser over the mixed corpus
# (about 5 % errors), and the exporter's per-record work (parse, classify, count).
# Run it after changing the parser; README "Speed" says how it is used.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -run='^$' -bench='^BenchmarkParse$/^mixed(_assembled)?$' -benchtime=4s \
	-cpuprofile="$tmp/parser.prof" -o "$tmp/parser.test" ./parser/ >/dev/null
go test -run='^$' -bench='^BenchmarkRecord$' -benchtime=2s \
	-cpuprofile="$tmp/record.prof" -o "$tmp/exporter.test" ./exporter/ >/dev/null
go tool pprof -proto "$tmp/parser.prof" "$tmp/record.prof" >"$tmp/default.pgo" 2>/dev/null
for d in cmd/secondme_error_exporter cmd/secondme_error_analyzer; do
	cp "$tmp/default.pgo" "$d/default.pgo"
done
ls -l cmd/*/default.pgo
