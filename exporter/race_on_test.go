//go:build race

package exporter

// raceEnabled: the race detector makes sync.Pool drop items on purpose, so allocation
// counts of the pooled hot path are only meaningful without it.
const raceEnabled = true
