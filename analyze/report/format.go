package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Format is an output format of Render.
type Format string

// The formats Render writes. The Prometheus exposition is not a rendering
// of the Document (it is the exporter's own counters) and is written by the
// analyze package.
const (
	Text     Format = "text"
	JSON     Format = "json"
	Markdown Format = "markdown"
	HTML     Format = "html"
)

// Render writes d in format f.
func Render(w io.Writer, d *Document, f Format) error {
	switch f {
	case Text:
		return WriteText(w, d)
	case JSON:
		return WriteJSON(w, d)
	case Markdown:
		return WriteMarkdown(w, d)
	case HTML:
		return WriteHTML(w, d)
	}
	return fmt.Errorf("unknown report format %q", f)
}

// WriteJSON writes the document as indented JSON followed by a newline.
func WriteJSON(w io.Writer, d *Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("encode JSON report: %w", err)
	}
	return nil
}

// kv is a name and a count, for sorted views of the maps.
type kv struct {
	Name  string
	Count int64
}

// byCount sorts a count map, largest first, then by name.
func byCount(m map[string]int64) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// byName sorts a count map by name.
func byName(m map[string]int64) []kv {
	out := byCount(m)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// humanBytes renders a byte count with a base-2 unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func percent(share float64) string { return fmt.Sprintf("%.1f%%", 100*share) }

// stamp renders a time in UTC, RFC 3339 without fractions.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func stampPtr(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return stamp(*t)
}

// clock renders a time of the timeline: the time of day when the document
// spans one day, the date too otherwise.
func clock(d *Document, t time.Time) string {
	if d.Time.FirstSeen != nil && d.Time.LastSeen != nil &&
		d.Time.FirstSeen.UTC().Format("20060102") == d.Time.LastSeen.UTC().Format("20060102") {
		return t.UTC().Format("15:04")
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func durationString(seconds float64) string {
	return (time.Duration(math.Round(seconds)) * time.Second).String()
}

// value renders a sample value compactly.
func value(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// labelString renders labels sorted, without alertname.
func labelString(m map[string]string, skip ...string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if contains(skip, k) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.Quote(m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// alertLabelsSkip are labels every alert of the exporter carries that add
// nothing to a one-line description.
var alertLabelsSkip = []string{"alertname"}

// bar renders n as a bar of width cells scaled to max.
func bar(n, max int64, width int) string {
	if max <= 0 || n <= 0 {
		return ""
	}
	cells := int(math.Round(float64(n) / float64(max) * float64(width)))
	if cells == 0 {
		cells = 1
	}
	return strings.Repeat("█", cells)
}

// envelopeLine summarises the envelopes for the text and Markdown headers.
func envelopeLine(d *Document) string {
	s := fmt.Sprintf("%d errors, %d successes, %d gateway responses, %d malformed",
		d.Envelopes.Errors, d.Envelopes.Successes, d.Envelopes.GatewayResponses, d.Envelopes.Malformed)
	if len(d.MalformedByReason) > 0 {
		var parts []string
		for _, r := range byName(d.MalformedByReason) {
			parts = append(parts, fmt.Sprintf("%s %d", r.Name, r.Count))
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// timeLine summarises where the times came from.
func timeLine(d *Document) string {
	if d.Time.FirstSeen == nil {
		return fmt.Sprintf("no event time found (%d envelopes untimed)", d.Time.Untimed)
	}
	var shapes []string
	for _, s := range byName(d.Time.ByShape) {
		shapes = append(shapes, fmt.Sprintf("%s %d", s.Name, s.Count))
	}
	return fmt.Sprintf("%s .. %s; times from %s; %d inherited from a neighbouring record, %d untimed; zone-less times read as %s",
		stamp(*d.Time.FirstSeen), stamp(*d.Time.LastSeen), strings.Join(shapes, ", "),
		d.Time.Inherited, d.Time.Untimed, d.Time.Location)
}

func spikeRuleLine(d *Document) string {
	r := d.Timeline.SpikeRule
	return fmt.Sprintf("spike: count >= %g x %s per %s bucket and >= %s + %d",
		r.Factor, r.Baseline, durationString(float64(d.Timeline.BucketSeconds)), r.Baseline, r.MinExcess)
}

func alertEnd(a Alert) string {
	if a.End == nil {
		return "still firing"
	}
	return stamp(*a.End)
}

// receiverTotals counts notifications.
func totalNotifications(n *Notifications) int {
	t := 0
	for _, r := range n.Receivers {
		t += r.Notifications
	}
	return t
}

// unterminated notes an uncounted last line.
func unterminated(in Input) string {
	if in.UnterminatedBytes == 0 {
		return ""
	}
	return fmt.Sprintf("; a last line of %d bytes without a newline is not counted, as the exporter waits for its newline",
		in.UnterminatedBytes)
}
