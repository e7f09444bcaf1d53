#!/usr/bin/env bash
# The whole test suite, as the README and CI run it: installs the pinned external tools, then
# lint, unit + integration tests (race detector on the concurrent packages), a short fuzz run,
# and the end-to-end suite against real Prometheus / Alertmanager / exporter processes.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "install pinned tools"
./scripts/install-tools.sh
export PATH="$(go env GOPATH)/bin:$PATH"

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi

step "go vet"
go vet ./...

step "staticcheck"
staticcheck ./...

# Packages whose code runs goroutines get the race detector; the others (and the heavy
# rule-engine dependents) run without it to keep the suite well inside CI's budget.
RACE_PKGS="./tailer/... ./metrics/... ./exporter/... ./demo/..."
step "go test -race ($RACE_PKGS)"
go test -race -count=1 $RACE_PKGS

step "go test (all packages)"
go test -count=1 ./...

step "fuzz (short)"
# Budgets in executions, not seconds: a duration-based -fuzztime can fail with a bare
# "context deadline exceeded" at its end (a race in Go's fuzz coordinator, golang/go#75804,
# fixed in Go 1.27). About 10 s and 5 s here.
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=150000x ./parser/
go test -run='^$' -fuzz='^FuzzAssembler$' -fuzztime=100000x ./parser/
go test -run='^$' -fuzz='^FuzzW3C$' -fuzztime=50000x ./parser/
go test -run='^$' -fuzz='^FuzzDecoder$' -fuzztime=20000x ./containerlog/
