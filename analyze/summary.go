package analyze

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/secondme/secondme_error_exporter/analyze/report"
	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/parser"
)

// SummaryOptions shape the report built from a scan.
type SummaryOptions struct {
	// Top is the number of error codes listed in TopErrorCodes.
	Top int
	// MaxUnknown bounds the unknown codes listed (all are in ByErrorCode).
	MaxUnknown int
	// TimelineBucket is the width of a timeline row; 0 picks the smallest
	// of 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 24h that keeps the
	// timeline within MaxTimelineRows rows.
	TimelineBucket time.Duration
	// SpikeFactor and SpikeMinExcess are the spike rule (report.SpikeRule).
	SpikeFactor    float64
	SpikeMinExcess int64
}

// DefaultSummaryOptions are the analyzer's defaults.
func DefaultSummaryOptions() SummaryOptions {
	return SummaryOptions{Top: 20, MaxUnknown: 50, SpikeFactor: 3, SpikeMinExcess: 10}
}

// MaxTimelineRows is the row budget of the automatic timeline bucket: a
// 2-hour incident gets one row per minute, a day one row per 15 minutes.
const MaxTimelineRows = 120

// maxExplicitRows stops an explicit bucket far too small for the range from
// building an unreadable (and large) document.
const maxExplicitRows = 100_000

var autoBuckets = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// Summarize builds the report document of a scan. The Backtest and
// Notifications sections are filled by their own steps.
func (r *Result) Summarize(o SummaryOptions) (*report.Document, error) {
	d := &report.Document{
		SchemaVersion:          report.SchemaVersion,
		Source:                 r.Options.Source,
		Records:                r.Records,
		Bytes:                  r.Bytes,
		MalformedByReason:      map[string]int64{},
		ByErrorCode:            map[string]int64{},
		ByModule:               map[string]int64{},
		ByResource:             map[string]int64{},
		ByStatusClass:          map[string]int64{},
		ResponsesByStatusClass: map[string]int64{},
		TopErrorCodes:          []report.CodeRow{},
		UnknownCodes:           []report.CodeRow{},
		StatusMismatches:       []report.Mismatch{},
		Inputs:                 []report.Input{},
	}
	for _, in := range r.Inputs {
		d.Inputs = append(d.Inputs, report.Input{Name: in.Name, BytesRead: in.BytesRead, Records: in.Records,
			UnterminatedBytes: in.UnterminatedBytes})
	}
	d.Time = report.TimeInfo{
		FirstSeen: timePtr(r.First),
		LastSeen:  timePtr(r.Last),
		ByShape:   r.Shapes,
		Inherited: r.Inherited,
		Untimed:   r.Untimed,
		Location:  r.Options.Location.String(),
	}
	for reason, n := range map[parser.MalformedReason]int64{
		parser.ReasonOversized:         r.Oversized,
		parser.ReasonMultilineOverflow: r.Overflows,
	} {
		if n > 0 {
			d.MalformedByReason[string(reason)] += n
			d.Envelopes.Malformed += n
		}
	}

	codes := map[string]*report.CodeRow{}
	mismatches := map[[2]int]map[string]int64{}
	cat := r.Options.Catalog
	for _, ks := range r.Keys {
		switch ks.Kind {
		case parser.Success:
			d.Envelopes.Successes += ks.Count
			d.ResponsesByStatusClass["2xx"] += ks.Count
		case parser.Response:
			d.Envelopes.GatewayResponses += ks.Count
			d.ResponsesByStatusClass[catalog.StatusClass(ks.Code)] += ks.Count
		case parser.Malformed:
			d.Envelopes.Malformed += ks.Count
			d.MalformedByReason[string(ks.Reason)] += ks.Count
		case parser.Error:
			cls := cat.Classify(ks.ErrorCode, ks.Code)
			d.Envelopes.Errors += ks.Count
			d.ByErrorCode[ks.ErrorCode] += ks.Count
			d.ByModule[cls.Module] += ks.Count
			d.ByResource[cls.Module+"."+cls.Resource] += ks.Count
			d.ByStatusClass[cls.StatusClass] += ks.Count
			d.ResponsesByStatusClass[cls.StatusClass] += ks.Count
			row := codes[ks.ErrorCode]
			if row == nil {
				row = &report.CodeRow{
					ErrorCode: ks.ErrorCode, Known: cls.Known, Module: cls.Module, Resource: cls.Resource,
					Reason: cls.Reason, ExpectedStatus: cls.Expected, ByStatus: map[string]int64{},
				}
				if e, ok := cat.Lookup(ks.ErrorCode); ok {
					row.Section, row.Description, row.Action = e.Section, e.Description, e.Action
				}
				codes[ks.ErrorCode] = row
			}
			row.Count += ks.Count
			row.ByStatus[statusLabel(ks.Code)] += ks.Count
			row.FirstSeen = earliest(row.FirstSeen, ks.First)
			row.LastSeen = latest(row.LastSeen, ks.Last)
			if cls.Mismatch {
				k := [2]int{ks.Code, cls.Expected}
				if mismatches[k] == nil {
					mismatches[k] = map[string]int64{}
				}
				mismatches[k][ks.ErrorCode] += ks.Count
			}
		}
	}

	rows := make([]report.CodeRow, 0, len(codes))
	for _, row := range codes {
		if d.Envelopes.Errors > 0 {
			row.Share = float64(row.Count) / float64(d.Envelopes.Errors)
		}
		rows = append(rows, *row)
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].ErrorCode < rows[j].ErrorCode
	})
	for _, row := range rows {
		if len(d.TopErrorCodes) < o.Top {
			d.TopErrorCodes = append(d.TopErrorCodes, row)
		}
		if !row.Known && len(d.UnknownCodes) < o.MaxUnknown {
			d.UnknownCodes = append(d.UnknownCodes, row)
		}
	}
	for k, byCode := range mismatches {
		for code, n := range byCode {
			d.StatusMismatches = append(d.StatusMismatches, report.Mismatch{
				ErrorCode: code, Code: k[0], ExpectedCode: k[1], Count: n})
		}
	}
	sort.Slice(d.StatusMismatches, func(i, j int) bool {
		a, b := d.StatusMismatches[i], d.StatusMismatches[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.ErrorCode != b.ErrorCode {
			return a.ErrorCode < b.ErrorCode
		}
		return a.Code < b.Code
	})

	tl, err := r.timeline(o)
	if err != nil {
		return nil, err
	}
	d.Timeline = tl
	return d, nil
}

func statusLabel(code int) string {
	if code == 0 {
		return "unknown"
	}
	return strconv.Itoa(code)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func earliest(cur *time.Time, t time.Time) *time.Time {
	if t.IsZero() {
		return cur
	}
	if cur == nil || t.Before(*cur) {
		return &t
	}
	return cur
}

func latest(cur *time.Time, t time.Time) *time.Time {
	if t.IsZero() {
		return cur
	}
	if cur == nil || t.After(*cur) {
		return &t
	}
	return cur
}

// TimelineBucket returns the bucket width Summarize would use.
func (r *Result) TimelineBucket(explicit time.Duration) (time.Duration, error) {
	res := r.Options.Resolution
	if explicit > 0 {
		if explicit%res != 0 {
			return 0, fmt.Errorf("timeline bucket %s must be a multiple of the scan resolution %s", explicit, res)
		}
		if r.Timed() && r.Last.Sub(r.First)/explicit > maxExplicitRows {
			return 0, fmt.Errorf("timeline bucket %s gives more than %d rows over %s; choose a larger one",
				explicit, maxExplicitRows, r.Last.Sub(r.First))
		}
		return explicit, nil
	}
	span := r.Last.Sub(r.First)
	for _, b := range autoBuckets {
		if b%res == 0 && span/b < MaxTimelineRows {
			return b, nil
		}
	}
	// Longer than 120 days: whole days, as many as needed.
	days := span/(24*time.Hour)/MaxTimelineRows + 1
	return days * 24 * time.Hour, nil
}

func (r *Result) timeline(o SummaryOptions) (report.Timeline, error) {
	tl := report.Timeline{
		SpikeRule: report.SpikeRule{Factor: o.SpikeFactor, MinExcess: o.SpikeMinExcess, Baseline: "median"},
		Buckets:   []report.Bucket{},
		Spikes:    []report.Spike{},
	}
	width, err := r.TimelineBucket(o.TimelineBucket)
	if err != nil {
		return tl, err
	}
	tl.BucketSeconds = int64(width / time.Second)
	if !r.Timed() {
		return tl, nil
	}
	w := int64(width)
	first := floorDiv(r.First.UnixNano(), w)
	last := floorDiv(r.Last.UnixNano(), w)
	n := int(last - first + 1)
	tl.Buckets = make([]report.Bucket, n)
	for i := range tl.Buckets {
		tl.Buckets[i] = report.Bucket{
			Start:       time.Unix(0, (first+int64(i))*w).UTC(),
			ByErrorCode: map[string]int64{},
			SpikeCodes:  []string{},
		}
	}
	for idx, b := range r.buckets {
		row := &tl.Buckets[floorDiv(idx*int64(r.Options.Resolution), w)-first]
		for id, c := range b.counts {
			if c == 0 {
				continue
			}
			k := r.Keys[id]
			switch k.Kind {
			case parser.Error:
				row.Errors += c
				row.Responses += c
				row.ByErrorCode[k.ErrorCode] += c
			case parser.Success, parser.Response:
				row.Responses += c
			case parser.Malformed:
				row.Malformed += c
			}
		}
	}
	markSpikes(&tl, o)
	return tl, nil
}

// markSpikes applies the spike rule to the total and to every code.
func markSpikes(tl *report.Timeline, o SummaryOptions) {
	series := map[string][]int64{"*": make([]int64, len(tl.Buckets))}
	for i, b := range tl.Buckets {
		series["*"][i] = b.Errors
		for code, c := range b.ByErrorCode {
			if series[code] == nil {
				series[code] = make([]int64, len(tl.Buckets))
			}
			series[code][i] = c
		}
	}
	names := make([]string, 0, len(series))
	for name := range series {
		names = append(names, name)
	}
	sort.Strings(names) // "*" sorts first
	for _, name := range names {
		counts := series[name]
		base := median(counts)
		for i, c := range counts {
			if float64(c) >= o.SpikeFactor*base && float64(c)-base >= float64(o.SpikeMinExcess) {
				b := &tl.Buckets[i]
				b.Spike = true
				b.SpikeCodes = append(b.SpikeCodes, name)
				tl.Spikes = append(tl.Spikes, report.Spike{Start: b.Start, ErrorCode: name, Count: c, Baseline: base})
			}
		}
	}
	sort.SliceStable(tl.Spikes, func(i, j int) bool { return tl.Spikes[i].Start.Before(tl.Spikes[j].Start) })
}

func median(v []int64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}
