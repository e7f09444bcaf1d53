// Package report renders the analyzer's findings for people and programs.
//
// The one idea: a Document is the complete, renderer-independent result of
// an analysis — totals, top codes with their catalog meaning, the timeline
// with its spikes, the alerts a backtest fired and the notifications they
// would have caused — and each format (terminal table, JSON, Markdown,
// self-contained HTML with inline SVG charts) is a pure function of it.
// The JSON encoding of Document is the analyzer's stable, documented
// schema: fields are only ever added, never renamed or removed, within a
// SchemaVersion.
package report

import "time"

// SchemaVersion is the version of the JSON document. It changes only when a
// field is renamed or removed or its meaning changes.
const SchemaVersion = 1

// Document is everything an analysis found. Maps encode with sorted keys and
// slices are sorted by the builder, so the JSON form is deterministic.
type Document struct {
	SchemaVersion int    `json:"schema_version"`
	Source        string `json:"source"`
	// Inputs in the order they were read.
	Inputs []Input `json:"inputs"`
	// Records is the number of records handed to the parser (lines, or
	// joined multi-line records), as secondme_exporter_lines_total counts.
	Records int64 `json:"records"`
	// Bytes is the size of those records, as secondme_exporter_bytes_total.
	Bytes int64 `json:"bytes"`
	// Envelopes counts what the parser found, by kind.
	Envelopes Envelopes `json:"envelopes"`
	// MalformedByReason counts malformed or skipped records by reason.
	MalformedByReason map[string]int64 `json:"malformed_by_reason"`
	// Time describes where event times came from.
	Time TimeInfo `json:"time"`

	// ByErrorCode maps every error_code seen to its number of envelopes.
	ByErrorCode map[string]int64 `json:"by_error_code"`
	// ByModule, ByResource ("module.resource") and ByStatusClass split the
	// error envelopes; ResponsesByStatusClass counts every response (error
	// envelopes, code 0 successes as 2xx, gateway status lines).
	ByModule               map[string]int64 `json:"by_module"`
	ByResource             map[string]int64 `json:"by_resource"`
	ByStatusClass          map[string]int64 `json:"by_status_class"`
	ResponsesByStatusClass map[string]int64 `json:"responses_by_status_class"`

	// TopErrorCodes are the most frequent codes, most frequent first.
	TopErrorCodes []CodeRow `json:"top_error_codes"`
	// UnknownCodes are grammar-valid codes outside the catalog.
	UnknownCodes []CodeRow `json:"unknown_codes"`
	// StatusMismatches are catalog codes logged with another HTTP status.
	StatusMismatches []Mismatch `json:"status_mismatches"`

	Timeline Timeline `json:"timeline"`

	// Backtest is null unless rule files were given.
	Backtest *Backtest `json:"backtest"`
	// Notifications is null unless an Alertmanager configuration was given.
	Notifications *Notifications `json:"notifications"`
}

// Input is one file or stream that was read.
type Input struct {
	Name string `json:"name"`
	// BytesRead is the number of bytes read from the source (compressed
	// bytes for gzip input).
	BytesRead int64 `json:"bytes_read"`
	Records   int64 `json:"records"`
	// UnterminatedBytes is the size of a last line without a newline. Like
	// the exporter, which hands out a record only once its newline is read,
	// the analyzer does not count it.
	UnterminatedBytes int64 `json:"unterminated_bytes"`
}

// Envelopes counts records by what the parser found in them.
type Envelopes struct {
	Errors           int64 `json:"errors"`
	Successes        int64 `json:"successes"`
	GatewayResponses int64 `json:"gateway_responses"`
	Malformed        int64 `json:"malformed"`
}

// TimeInfo says where the timeline's times came from.
type TimeInfo struct {
	// FirstSeen and LastSeen are the earliest and latest event times of an
	// envelope; null when no envelope carried a time.
	FirstSeen *time.Time `json:"first_seen"`
	LastSeen  *time.Time `json:"last_seen"`
	// ByShape counts envelopes by the form their time was written in
	// ("leading", "json_field", "logfmt_field", "access_log").
	ByShape map[string]int64 `json:"by_shape"`
	// Inherited counts envelopes without a time of their own that took the
	// time of the previous timed record of the same input (or, before the
	// first one, of the next).
	Inherited int64 `json:"inherited"`
	// Untimed counts envelopes of inputs in which no time was found at all;
	// they are in the totals but not on the timeline.
	Untimed int64 `json:"untimed"`
	// Location is the zone applied to times written without one.
	Location string `json:"location"`
}

// CodeRow is one error code with its catalog meaning.
type CodeRow struct {
	ErrorCode string `json:"error_code"`
	Count     int64  `json:"count"`
	// Share is Count over all error envelopes, 0..1.
	Share    float64 `json:"share"`
	Known    bool    `json:"known"`
	Module   string  `json:"module"`
	Resource string  `json:"resource"`
	Reason   string  `json:"reason"`
	// ExpectedStatus is the catalog's HTTP status, 0 when unknown.
	ExpectedStatus int `json:"expected_status"`
	// ByStatus counts the envelopes by the HTTP status logged with them
	// ("unknown" when none was logged).
	ByStatus    map[string]int64 `json:"by_status"`
	Section     string           `json:"section"`
	Description string           `json:"description"`
	Action      string           `json:"action"`
	FirstSeen   *time.Time       `json:"first_seen"`
	LastSeen    *time.Time       `json:"last_seen"`
}

// Mismatch is a catalog code logged with a status other than the catalog's.
type Mismatch struct {
	ErrorCode    string `json:"error_code"`
	Code         int    `json:"code"`
	ExpectedCode int    `json:"expected_code"`
	Count        int64  `json:"count"`
}

// Timeline is the error count per bucket with spikes marked.
type Timeline struct {
	// BucketSeconds is the width of every bucket.
	BucketSeconds int64 `json:"bucket_seconds"`
	// SpikeRule documents the rule that marked the spikes.
	SpikeRule SpikeRule `json:"spike_rule"`
	// Buckets run from the bucket of the first event to that of the last,
	// without gaps.
	Buckets []Bucket `json:"buckets"`
	// Spikes lists every (bucket, error_code) the rule marked, in time order;
	// error_code "*" is the total of all codes.
	Spikes []Spike `json:"spikes"`
}

// SpikeRule: a bucket is a spike for a series (one error code, or "*" for
// all errors) when count >= Factor × baseline and count - baseline >=
// MinExcess, where baseline is the median count of that series per bucket
// over the whole timeline, empty buckets included.
type SpikeRule struct {
	Factor    float64 `json:"factor"`
	MinExcess int64   `json:"min_excess"`
	Baseline  string  `json:"baseline"`
}

// Bucket is one timeline row.
type Bucket struct {
	Start time.Time `json:"start"`
	// Errors counts error envelopes; Responses every response.
	Errors    int64 `json:"errors"`
	Responses int64 `json:"responses"`
	Malformed int64 `json:"malformed"`
	// ByErrorCode holds the codes with a non-zero count in the bucket.
	ByErrorCode map[string]int64 `json:"by_error_code"`
	// Spike is true when any series spiked in this bucket; SpikeCodes names
	// them ("*" for the total).
	Spike      bool     `json:"spike"`
	SpikeCodes []string `json:"spike_codes"`
}

// Spike is one marked (bucket, series).
type Spike struct {
	Start     time.Time `json:"start"`
	ErrorCode string    `json:"error_code"`
	Count     int64     `json:"count"`
	Baseline  float64   `json:"baseline"`
}

// Backtest is what the alerting rules would have done over the replay.
type Backtest struct {
	RuleFiles []string `json:"rule_files"`
	// ScrapeIntervalSeconds is the virtual scrape interval of the replayed
	// exporter; EvaluationIntervalSeconds the default rule group interval
	// (a group's own interval wins).
	ScrapeIntervalSeconds     float64 `json:"scrape_interval_seconds"`
	EvaluationIntervalSeconds float64 `json:"evaluation_interval_seconds"`
	// Start and End bound the evaluated range (End includes the tail that
	// lets alerts resolve after the last record).
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Evaluations int64     `json:"evaluations"`
	// Series is the number of series the virtual exporter exposed.
	Series int `json:"series"`
	// Labels added to every scraped series, as a scrape target would.
	TargetLabels map[string]string `json:"target_labels"`
	// Alerts lists every firing episode, by start time then name then
	// labels.
	Alerts []Alert `json:"alerts"`
	// AlertCounts maps alertname to its number of firing episodes; every
	// alerting rule of the files is present, with 0 when it never fired.
	AlertCounts map[string]int `json:"alert_counts"`
	// RuleErrors lists rules whose evaluation failed (first error of each).
	RuleErrors []RuleError `json:"rule_errors"`
}

// Alert is one firing episode of an alert (one label set, from the
// evaluation at which it started firing to the one at which it resolved).
type Alert struct {
	Name        string            `json:"alertname"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	// PendingSince is when the expression first held (before `for:`).
	PendingSince time.Time `json:"pending_since"`
	// Start is when it started firing; End when it resolved, null when it
	// was still firing at the end of the replay.
	Start           time.Time  `json:"start"`
	End             *time.Time `json:"end"`
	DurationSeconds float64    `json:"duration_seconds"`
	// PeakValue is the highest value of the alert expression while the
	// episode was active; PeakAt when it was reached.
	PeakValue float64   `json:"peak_value"`
	PeakAt    time.Time `json:"peak_at"`
}

// RuleError is a rule that failed to evaluate.
type RuleError struct {
	Group string    `json:"group"`
	Rule  string    `json:"rule"`
	At    time.Time `json:"at"`
	Error string    `json:"error"`
}

// Notifications is the Alertmanager grouping estimate.
type Notifications struct {
	Config string `json:"config"`
	// Receivers lists every receiver of the configuration, with 0 for those
	// that would have received nothing.
	Receivers []ReceiverLoad `json:"receivers"`
	// Sent lists every notification in time order.
	Sent []Notification `json:"sent"`
	// Inhibited lists alerts that were muted by an inhibition rule at one or
	// more flushes.
	Inhibited []InhibitedAlert `json:"inhibited"`
}

// ReceiverLoad is the pager load of one receiver.
type ReceiverLoad struct {
	Receiver      string `json:"receiver"`
	Notifications int    `json:"notifications"`
	// Firing counts notifications that carried at least one firing alert;
	// Resolved those that carried only resolved alerts.
	Firing   int `json:"firing"`
	Resolved int `json:"resolved"`
	// Groups is the number of distinct aggregation groups notified.
	Groups int `json:"groups"`
	// Integrations names the receiver's integrations ("webhook", "slack"…);
	// a receiver without any delivers nothing, and shows 0.
	Integrations []string `json:"integrations"`
	SendResolved bool     `json:"send_resolved"`
}

// Notification is one message a receiver would have got.
type Notification struct {
	At       time.Time `json:"at"`
	Receiver string    `json:"receiver"`
	// Route is the matchers path of the route that grouped the alerts.
	Route       string            `json:"route"`
	GroupLabels map[string]string `json:"group_labels"`
	// Reason is why Alertmanager would notify: "first notification", "new
	// alerts added", "new resolved alerts", "all alerts resolved",
	// "repeat interval elapsed".
	Reason   string   `json:"reason"`
	Firing   int      `json:"firing"`
	Resolved int      `json:"resolved"`
	Alerts   []string `json:"alerts"`
}

// InhibitedAlert is an alert muted by an inhibition rule.
type InhibitedAlert struct {
	Name   string            `json:"alertname"`
	Labels map[string]string `json:"labels"`
	// Flushes counts the group flushes at which it was muted.
	Flushes int `json:"flushes"`
}
