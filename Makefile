GO        ?= go
BIN       ?= bin
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BRANCH    ?= $(shell git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
VPKG      := github.com/prometheus/common/version
LDFLAGS   := -s -w -X $(VPKG).Version=$(VERSION) -X $(VPKG).Revision=$(REVISION) \
             -X $(VPKG).Branch=$(BRANCH) -X $(VPKG).BuildUser=$(USER) \
             -X $(VPKG).BuildDate=$(shell date -u +%Y%m%d-%H:%M:%S)

.PHONY: all build test test-e2e tools lint fuzz bench pgo rules-test dashboards generate demo clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

## test: the whole suite (what CI runs)
test:
	./scripts/test.sh

tools:
	./scripts/install-tools.sh

lint:
	gofmt -l $$(git ls-files '*.go')
	$(GO) vet ./...
	staticcheck ./...

test-e2e: tools
	$(GO) test -count=1 -v ./tests/...

rules-test: tools
	$(GO) test -count=1 ./rules/...

fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=1000000x ./parser/    # counts, not durations: golang/go#75804
	$(GO) test -run='^$$' -fuzz='^FuzzAssembler$$' -fuzztime=1000000x ./parser/
	$(GO) test -run='^$$' -fuzz='^FuzzW3C$$' -fuzztime=1000000x ./parser/
	$(GO) test -run='^$$' -fuzz='^FuzzDecoder$$' -fuzztime=1000000x ./containerlog/

bench:
	$(GO) test -pgo=cmd/secondme_error_exporter/default.pgo -run='^$$' -bench=. -benchmem -count=3 ./parser/
	$(GO) test -run='^$$' -bench=. -benchmem -count=3 ./tailer/ ./analyze/...

## pgo: regenerate the profile the binaries are built with (after a parser change)
pgo:
	./scripts/pgo.sh

demo:
	$(GO) run ./cmd/secondme_error_exporter --demo

clean:
	rm -rf $(BIN)

## generate: regenerate every committed artefact (dashboards, PrometheusRule, README catalog table)
generate: dashboards
	$(GO) run ./deploy/kubernetes/genrule
	$(GO) run ./catalog/cmd/gencatalogdoc

dashboards:
	$(GO) run ./grafana/cmd/gendashboards
