// Package rules holds the Prometheus recording and alerting rules that ship
// with secondme_error_exporter, their runbooks and their tests.
//
// The one idea: every alert the exporter's metrics can raise is declared
// here, proven on both the Prometheus 2.x promtool and the current 3.x rule
// engine, and routed by deploy/alertmanager to the team that can fix it.
// The package has no exported Go API; the Go files are tests over the YAML.
package rules
