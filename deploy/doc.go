// Package deploy holds the deployment artefacts of secondme_error_exporter — the
// Kubernetes sidecar example (kustomize), the docker-compose demo stack, the hardened
// systemd unit with its logrotate example, and the Alertmanager routing — and the tests
// that keep them honest.
//
// The one idea: every manifest is checked against the real schema or tool that will
// consume it (Kubernetes and Prometheus Operator API types decoded strictly, promtool,
// amtool, systemd-analyze) and against each other (a probe names a port that exists, a
// mount feeds the path a flag reads), so a deploy file cannot rot unnoticed. The package
// has no Go API; its Go files are those tests.
package deploy
