// Package e2e is the end-to-end suite of secondme_error_exporter: real processes on
// loopback — the exporter built from this repository, Debian's Prometheus 2.42 loaded
// with the shipped rules, Alertmanager 0.25 with the shipped routing — started, driven
// and stopped by the tests.
//
// The one idea: what a user deploys is what is tested. Prometheus evaluates the files
// under rules/ (time-scaled only where a scenario must see a 1h baseline in seconds, by a
// documented rewrite of durations in the parsed PromQL), Alertmanager routes with
// deploy/alertmanager/alertmanager.yml (only its timers shortened), and the dashboards'
// queries are the ones grafana/ enumerates from the committed dashboard JSON.
//
// The suite runs as part of `go test ./...`. It needs prometheus, promtool,
// prometheus-alertmanager and amtool on PATH (scripts/install-tools.sh); without them the
// tests skip, and with CI=true they fail.
package e2e
