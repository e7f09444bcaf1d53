package analyze

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/secondme/secondme_error_exporter/analyze/timestamp"
	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/config"
	"github.com/secondme/secondme_error_exporter/containerlog"
	"github.com/secondme/secondme_error_exporter/metrics"
	"github.com/secondme/secondme_error_exporter/parser"
)

// Options configure a scan. Start from DefaultOptions: the zero value of
// several fields is meaningful (MaxUnknownCodes 0 folds every unknown code
// into "other"), so defaults are not guessed from zeros.
type Options struct {
	// Catalog classifies codes; nil means catalog.Default().
	Catalog *catalog.Catalog
	// Source is the source label, as the exporter's input name.
	Source string
	// MaxUnknownCodes, MaxRecordBytes and the Multiline* bounds mean what
	// the exporter's flags of the same names mean.
	MaxUnknownCodes   int
	MaxRecordBytes    int
	Multiline         bool
	MultilineMaxLines int
	MultilineMaxBytes int
	// Format is how the input wraps the application's lines (an exporter
	// input's format): CRI and Docker lines are unwrapped and their pieces
	// joined within MaxRecordBytes.
	Format containerlog.Format
	// Location applies to event times written without a zone.
	Location *time.Location
	// Resolution is the width of the fine time buckets the timed envelopes
	// are counted in. It is the virtual scrape interval of a backtest, so
	// that a replay sees exactly the counts a scrape at that interval would.
	Resolution time.Duration
	// Progress, when set, is advanced by the bytes read from the inputs.
	Progress *atomic.Int64
	// Logger receives debug lines about skipped input; nil discards.
	Logger *slog.Logger
}

// DefaultOptions returns the exporter's defaults (config.DefaultGlobalConfig
// and config.DefaultSource), with multi-line assembly on and 15 s buckets.
func DefaultOptions() Options {
	g := config.DefaultGlobalConfig
	return Options{
		Source:            config.DefaultSource,
		MaxUnknownCodes:   g.MaxUnknownCodes,
		MaxRecordBytes:    int(g.MaxRecordBytes),
		Multiline:         true,
		MultilineMaxLines: g.MultilineMaxLines,
		MultilineMaxBytes: int(g.MultilineMaxBytes),
		Location:          time.UTC,
		Resolution:        15 * time.Second,
	}
}

func (o *Options) validate() error {
	if o.Catalog == nil {
		o.Catalog = catalog.Default()
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case o.Source == "":
		return errors.New("source must not be empty")
	case o.MaxUnknownCodes < 0:
		return fmt.Errorf("max unknown codes must not be negative, got %d", o.MaxUnknownCodes)
	case o.MaxRecordBytes < config.MinRecordBytes || o.MaxRecordBytes > config.MaxRecordBytes:
		return fmt.Errorf("max record bytes must be between %d and %d, got %d",
			config.MinRecordBytes, config.MaxRecordBytes, o.MaxRecordBytes)
	case o.Multiline && o.MultilineMaxLines < 2:
		return fmt.Errorf("multiline max lines must be at least 2, got %d", o.MultilineMaxLines)
	case o.Multiline && (o.MultilineMaxBytes < config.MinRecordBytes || o.MultilineMaxBytes > config.MaxRecordBytes):
		return fmt.Errorf("multiline max bytes must be between %d and %d, got %d",
			config.MinRecordBytes, config.MaxRecordBytes, o.MultilineMaxBytes)
	case o.Format == containerlog.Docker && o.MaxRecordBytes < containerlog.MinDockerRecordBytes:
		return fmt.Errorf("format docker needs max record bytes of at least %d (the json-file driver's escaped pieces), got %d",
			containerlog.MinDockerRecordBytes, o.MaxRecordBytes)
	case o.Resolution < time.Second || o.Resolution%time.Second != 0:
		return fmt.Errorf("resolution must be a whole number of seconds, at least 1s, got %s", o.Resolution)
	}
	return nil
}

// readBufferSize is the scanner's read size: large enough that the read
// syscalls and the remainder copies are negligible, small enough to stay in
// L2/L3 while the lines are split and pre-filtered.
const readBufferSize = 1 << 20

// Scan reads every input once, in order, through the exporter's parser and
// metrics, and counts the envelopes by key and fine time bucket. Memory is
// bounded by the number of distinct keys × time buckets, never by the input
// size: records are looked at in the read buffer and forgotten.
func Scan(ctx context.Context, inputs []Input, opts Options) (*Result, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	m := metrics.New(reg, opts.Catalog, opts.MaxUnknownCodes)
	s := &scanner{
		opts:    opts,
		src:     m.Source(opts.Source),
		ex:      timestamp.Extractor{Location: opts.Location},
		res:     newResult(opts, reg),
		resNano: int64(opts.Resolution),
	}
	for _, in := range inputs {
		st, err := s.scanInput(ctx, in)
		s.res.Inputs = append(s.res.Inputs, st)
		if err != nil {
			return nil, err
		}
	}
	s.res.finish()
	return s.res, nil
}

// scanner is the consuming end of a scan: it sees every record, in order,
// with its envelope, and keeps the counts. It is used by one goroutine.
type scanner struct {
	opts    Options
	src     *metrics.Source
	ex      timestamp.Extractor
	res     *Result
	resNano int64

	// Per input.
	in       *InputStats
	haveTime bool
	lastTime time.Time
	// lastAt is the number (1-based, in the input) of the latest record
	// known to carry lastTime; checked the last record up to which every
	// record has been looked at for a time (lookBack). batch is the batch
	// being counted, base the number of records before it.
	lastAt, checked, base int64
	batch                 *batch
	// tailT is the time of the record tailAt, the nearest timed record of
	// the last maxLookBack of the previous batch.
	tailT  time.Time
	tailAt int64
	// untimed holds envelopes seen before the first timed record of the
	// input, by key; they inherit the first time found.
	untimed map[int32]int64
	// cur is the bucket of the last timed envelope; records without an
	// envelope are attributed to it (their time is never parsed).
	cur      *bucket
	curIndex int64
	// pendRecs and pendBytes are records not yet attributed to a bucket:
	// those without an envelope since the last timed one, and envelopes
	// waiting for the first time of the input.
	pendRecs, pendBytes int64
}

func (s *scanner) oversized() {
	s.src.Oversized()
	s.skipped()
	s.res.Oversized++
}

// skipped counts a record that was read but not parsed. On the timeline it
// is a record without an envelope: it has no bytes left to read a time from.
func (s *scanner) skipped() {
	s.in.Records++
	s.res.Records++
	s.pendRecs++
}

// overflowed accounts a multi-line record the assembler dropped for
// exceeding its bounds, as the exporter does (metrics.Source
// MultilineOverflow: a record, malformed as multiline_overflow, no bytes).
func (s *scanner) overflowed() {
	s.src.MultilineOverflow()
	s.skipped()
	s.res.Overflows++
}

// record is called for every complete record, in order, with the
// envelope a parse worker found in it. This is the hot path: most records
// carry no envelope and cost a few additions. They are not handed to
// metrics.Source.Observe, whose only effect for them (lines and bytes +1/+n,
// and a wall-clock timestamp the analyzer does not expose) would cost a
// clock read per record — a third of the scan; Result.Families adds the
// counts to the two counters instead.
func (s *scanner) record(env parser.Envelope, rec []byte, i int) {
	n := int64(len(rec))
	s.in.Records++
	s.res.Records++
	s.res.Bytes += n
	if env.Kind == parser.None {
		s.pendRecs++
		s.pendBytes += n
		s.res.noneRecs++
		s.res.noneBytes += n
		return
	}
	s.src.Observe(env, len(rec))
	s.envelope(env, rec, i)
}

// envelope accounts one record that carries an envelope, event i of the
// current batch. Only here is the event time parsed.
func (s *scanner) envelope(env parser.Envelope, rec []byte, i int) {
	id := s.res.keyID(keyOf(env))
	ks := &s.res.Keys[id]
	ks.Count++
	t, shape, ok := s.ex.Extract(rec)
	if ok {
		s.res.Shapes[shape.String()]++
		s.lastAt = s.base + int64(i) + 1
	} else {
		// The time of the nearest record before that has one, else the
		// last found.
		var at int64
		if t, at, ok = s.lookBack(i); ok {
			s.lastAt = at
		} else {
			t, ok = s.lastTime, s.haveTime
		}
		s.checked = s.base + int64(i) + 1
		if ok {
			s.res.Inherited++
		}
	}
	if ok {
		s.timeFound(t)
	} else {
		if s.untimed == nil {
			s.untimed = map[int32]int64{}
		}
		s.untimed[id]++
		s.res.Inherited++ // provisional: undone in endInput if no time follows
		s.pendRecs++
		s.pendBytes += int64(len(rec))
		return
	}
	s.cur.add(id, 1)
	s.cur.recs++
	s.cur.bytes += int64(len(rec))
	ks.seen(t)
}

// timeFound makes t the time of the record being counted and of the ones
// after it that have none; the envelopes before the first time of the input
// take it too.
func (s *scanner) timeFound(t time.Time) {
	s.haveTime, s.lastTime = true, t
	s.place(t)
	if s.untimed != nil {
		for uid, n := range s.untimed {
			s.cur.add(uid, n)
			s.res.Keys[uid].seen(t)
		}
		s.untimed = nil
	}
}

// maxLookBack bounds the records lookBack reads for a time: a pretty-printed
// body logged after its timed line, joined or not, is well within it.
const maxLookBack = 64

// lookBack returns the time of the nearest record among the maxLookBack
// before event i of the current batch that has one and is newer than
// lastTime's — the log line a pretty-printed JSON body was written under,
// say — reading none twice. Records without an envelope are never timed on
// the hot path: only an envelope without a time comes here.
func (s *scanner) lookBack(i int) (t time.Time, tAt int64, ok bool) {
	at := s.base + int64(i) // the record before event i
	stop := max(s.lastAt, at-maxLookBack)
	from := max(stop, s.checked) // records up to checked were looked at
	s.checked = max(s.checked, at)
	for k := i - 1; k >= 0 && s.base+int64(k)+1 > from; k-- {
		if ev := s.batch.evs[k]; ev.kind == evRecord {
			if t, _, ok := s.ex.Extract(s.batch.record(ev)); ok {
				return t, s.base + int64(k) + 1, true
			}
		}
	}
	if s.tailAt > stop {
		return s.tailT, s.tailAt, true // the previous batch's (batchDone)
	}
	return time.Time{}, 0, false
}

// batchDone is called when every record of the current batch is counted,
// before its buffer is reused: the nearest timed record among its last
// maxLookBack is looked for while they can be read, for lookBack in the next
// batch. The result does not depend on where batches end.
func (s *scanner) batchDone() {
	n := len(s.batch.evs)
	if t, at, ok := s.lookBack(n); ok {
		s.tailT, s.tailAt = t, at
	}
	s.base += int64(n)
	s.batch = nil
}

// place makes the bucket of t current, first attributing the records
// without an envelope seen since the previous envelope to the previous
// bucket (or, before the first, to this one).
func (s *scanner) place(t time.Time) {
	idx := floorDiv(t.UnixNano(), s.resNano)
	if s.cur != nil && idx == s.curIndex {
		return
	}
	b := s.res.bucketAt(idx)
	target := s.cur
	if target == nil {
		target = b
	}
	target.recs += s.pendRecs
	target.bytes += s.pendBytes
	s.pendRecs, s.pendBytes = 0, 0
	s.cur, s.curIndex = b, idx
}

func (s *scanner) endInput() {
	if s.cur != nil {
		s.cur.recs += s.pendRecs
		s.cur.bytes += s.pendBytes
	} else {
		s.res.untimedRecs += s.pendRecs
		s.res.untimedBytes += s.pendBytes
	}
	s.pendRecs, s.pendBytes = 0, 0
	for _, n := range s.untimed {
		// No time anywhere in this input: these envelopes count in the
		// totals but cannot be placed on the timeline.
		s.res.Inherited -= n
		s.res.Untimed += n
	}
	s.untimed = nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
