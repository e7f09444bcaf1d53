package analyze

import (
	"sort"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/parser"
)

// Key identifies what an envelope contributes to the exporter's counters:
// its kind, its code and logged status, or its malformed reason. Replaying
// a key through the metrics package reproduces the exporter's series.
type Key struct {
	Kind      parser.Kind
	ErrorCode string                 // Error only
	Code      int                    // logged HTTP status; 0 when absent
	Reason    parser.MalformedReason // Malformed only
}

func keyOf(env parser.Envelope) Key {
	k := Key{Kind: env.Kind}
	switch env.Kind {
	case parser.Error:
		k.ErrorCode, k.Code = env.ErrorCode, env.Code
	case parser.Response:
		k.Code = env.Code
	case parser.Malformed:
		k.Reason = env.Reason
	}
	return k
}

// envelope rebuilds the parser's envelope for a key, to feed metrics.
func (k Key) envelope() parser.Envelope {
	return parser.Envelope{Kind: k.Kind, ErrorCode: k.ErrorCode, Code: k.Code, Reason: k.Reason}
}

// KeyStats is the total of one key over the whole input.
type KeyStats struct {
	Key
	Count int64
	// First and Last are the earliest and latest event times of the key's
	// envelopes; zero when none was placed on the timeline.
	First, Last time.Time
}

func (ks *KeyStats) seen(t time.Time) {
	if ks.First.IsZero() || t.Before(ks.First) {
		ks.First = t
	}
	if t.After(ks.Last) {
		ks.Last = t
	}
}

// InputStats is what was read from one input.
type InputStats struct {
	Name      string
	BytesRead int64
	Records   int64
	// UnterminatedBytes is the size of a last line without a newline,
	// which is not counted (see scanner.split).
	UnterminatedBytes int64
}

// Result is everything a Scan counted.
type Result struct {
	Options Options
	Inputs  []InputStats
	// Records and Bytes are what secondme_exporter_lines_total and
	// secondme_exporter_bytes_total count.
	Records, Bytes int64
	// Oversized and Overflows count the records skipped for exceeding
	// MaxRecordBytes and the multi-line bounds.
	Oversized, Overflows int64
	// Keys in order of first appearance; a key's index is its id.
	Keys []KeyStats
	// Shapes counts timed envelopes by timestamp.Shape name.
	Shapes    map[string]int64
	Inherited int64
	Untimed   int64
	// First and Last bound the event times on the timeline.
	First, Last time.Time

	// Registry holds the exporter's metrics after reading every record, in
	// input order, exactly as the exporter would have counted them.
	Registry *prometheus.Registry

	keyIDs  map[Key]int32
	buckets map[int64]*bucket
	// Records of inputs in which no time was found: not on the timeline.
	untimedRecs, untimedBytes int64
	// Records without an envelope, not passed to the metrics (see
	// scanner.record).
	noneRecs, noneBytes int64
}

// bucket counts the timed envelopes of one fine time bucket by key id, and
// every record (with or without an envelope) attributed to it, with its
// bytes, for the replayed lines and bytes counters.
type bucket struct {
	counts      []int64
	recs, bytes int64
}

func (b *bucket) add(id int32, n int64) {
	if int(id) >= len(b.counts) {
		grown := make([]int64, int(id)+1, max(int(id)+1, 2*len(b.counts)))
		copy(grown, b.counts)
		b.counts = grown
	}
	b.counts[id] += n
}

func newResult(opts Options, reg *prometheus.Registry) *Result {
	return &Result{
		Options:  opts,
		Shapes:   map[string]int64{},
		Registry: reg,
		keyIDs:   map[Key]int32{},
		buckets:  map[int64]*bucket{},
	}
}

func (r *Result) keyID(k Key) int32 {
	if id, ok := r.keyIDs[k]; ok {
		return id
	}
	id := int32(len(r.Keys))
	r.keyIDs[k] = id
	r.Keys = append(r.Keys, KeyStats{Key: k})
	return id
}

func (r *Result) bucketAt(idx int64) *bucket {
	b := r.buckets[idx]
	if b == nil {
		b = &bucket{}
		r.buckets[idx] = b
	}
	return b
}

func (r *Result) finish() {
	for _, ks := range r.Keys {
		if ks.First.IsZero() {
			continue
		}
		if r.First.IsZero() || ks.First.Before(r.First) {
			r.First = ks.First
		}
		if ks.Last.After(r.Last) {
			r.Last = ks.Last
		}
	}
}

// Timed reports whether any envelope was placed on the timeline.
func (r *Result) Timed() bool { return !r.First.IsZero() }

// bucketIndexes returns the indexes of the non-empty fine buckets in time
// order.
func (r *Result) bucketIndexes() []int64 {
	idx := make([]int64, 0, len(r.buckets))
	for i := range r.buckets {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(a, b int) bool { return idx[a] < idx[b] })
	return idx
}

// bucketStart is the start time of fine bucket idx.
func (r *Result) bucketStart(idx int64) time.Time {
	return time.Unix(0, idx*int64(r.Options.Resolution)).UTC()
}

// Classify classifies an error key with the scan's catalog.
func (r *Result) Classify(k Key) catalog.Class {
	return r.Options.Catalog.Classify(k.ErrorCode, k.Code)
}
