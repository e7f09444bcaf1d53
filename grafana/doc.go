// Package grafana reads the committed SecondMe dashboards
// (grafana/dashboards/*.json) and enumerates every PromQL query in them —
// panel targets, template variable queries and annotation queries — with
// the Grafana template variables substituted by documented test values.
//
// The one idea: the dashboards' queries are an API of their own, so the
// tests of this package (metric and label contract) and the end-to-end
// suite (every query returns data from a real Prometheus) work from the
// same list, read from the JSON that Grafana actually loads.
//
// The dashboards themselves are Go code in grafana/builder; regenerate the
// JSON with `go generate ./grafana/...`.
package grafana

//go:generate go run ./cmd/gendashboards -out dashboards
