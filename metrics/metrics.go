// Package metrics is the Prometheus metrics contract of the exporter: the
// names and labels that the shipped rules and dashboards are written
// against (docs/architecture.md), in one struct on a registry the caller
// owns.
//
// Two properties matter more than anything else here:
//
//   - Sparse series are correct. increase() cannot see the first sample of
//     a series, so a rare error code that appears once would never show up
//     in an alert. Every catalog code's series therefore exists at 0 for
//     every source from the moment the source is known, and no series is
//     ever deleted while the process runs.
//   - Cardinality is bounded. Label values come from the catalog, from a
//     closed set of constants, or — for error codes outside the catalog —
//     from at most MaxUnknownCodes distinct codes per source; everything
//     beyond is folded into error_code="other". Log text never becomes a
//     label.
//
// The hot path (Source.Observe) is called once per log record: it works on
// counters cached per source and per (error_code, code), so that a record
// costs a few atomic adds and no allocation in steady state.
package metrics

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/parser"
)

// OtherCode is the error_code (and module, resource, reason) of the codes
// outside the catalog that a source sees once it has reached its limit of
// distinct unknown codes. It cannot collide with a real code: the grammar
// requires at least one dot.
const OtherCode = "other"

// UnknownCode is the `code` label of errors whose HTTP status is neither
// logged nor known from the catalog.
const UnknownCode = "unknown"

// Metrics holds every metric of the exporter.
type Metrics struct {
	errors      *prometheus.CounterVec
	responses   *prometheus.CounterVec
	mismatch    *prometheus.CounterVec
	catalogInfo *prometheus.GaugeVec

	lines        *prometheus.CounterVec
	bytes        *prometheus.CounterVec
	malformed    *prometheus.CounterVec
	unknownCodes *prometheus.CounterVec
	overflow     *prometheus.CounterVec
	rotations    *prometheus.CounterVec
	truncations  *prometheus.CounterVec
	readErrors   *prometheus.CounterVec
	lastRecord   *prometheus.GaugeVec

	reloadSuccessful prometheus.Gauge
	reloadTimestamp  prometheus.Gauge

	maxUnknown atomic.Int64
	stats      atomic.Pointer[StatsFunc]

	mu      sync.Mutex // guards cat and sources
	cat     *catalog.Catalog
	sources map[string]*Source
}

// New registers the exporter's metrics on reg. cat is the catalog whose
// codes are pre-initialised and exposed as secondme_api_error_catalog_info;
// maxUnknownCodes bounds the distinct unknown codes per source.
func New(reg prometheus.Registerer, cat *catalog.Catalog, maxUnknownCodes int) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		errors: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_api_errors_total",
			Help: "SecondMe API error envelopes found in the logs, by source and classified error code.",
		}, []string{"source", "module", "resource", "reason", "error_code", "code", "status_class"}),
		responses: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_api_responses_total",
			Help: "SecondMe API responses found in the logs (error envelopes, code 0 successes as 2xx, gateway status lines), by status class.",
		}, []string{"source", "status_class"}),
		mismatch: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_api_error_status_mismatch_total",
			Help: "Error envelopes of a catalog code whose logged HTTP status differs from the catalog's.",
		}, []string{"source", "error_code", "code", "expected_code"}),
		catalogInfo: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "secondme_api_error_catalog_info",
			Help: "The SecondMe error catalog: 1 for each known error code, with its meaning and recommended action.",
		}, []string{"error_code", "module", "resource", "reason", "expected_code", "section", "description", "action"}),

		lines: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_lines_total",
			Help: "Records (lines, or joined multi-line records) read from the logs, including skipped oversized ones.",
		}, []string{"source"}),
		bytes: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_bytes_total",
			Help: "Bytes of the records handed to the parser.",
		}, []string{"source"}),
		malformed: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_malformed_total",
			Help: "Records that looked like an envelope but failed validation, or were skipped, by reason.",
		}, []string{"source", "reason"}),
		unknownCodes: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_unknown_error_codes_total",
			Help: "Error envelopes whose error_code is grammar-valid but not in the catalog.",
		}, []string{"source"}),
		overflow: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_label_overflow_total",
			Help: "Error envelopes counted under error_code=\"other\" because the source reached its limit of distinct unknown codes.",
		}, []string{"source"}),
		rotations: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_rotations_total",
			Help: "Log file rotations noticed (a new file at a watched path).",
		}, []string{"source"}),
		truncations: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_truncations_total",
			Help: "Log file truncations noticed (a file smaller than the read offset; reading restarts at 0).",
		}, []string{"source"}),
		readErrors: f.NewCounterVec(prometheus.CounterOpts{
			Name: "secondme_exporter_read_errors_total",
			Help: "Errors opening, stating or reading log files.",
		}, []string{"source"}),
		lastRecord: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "secondme_exporter_last_record_timestamp_seconds",
			Help: "Unix time at which the last record of the source was read.",
		}, []string{"source"}),

		reloadSuccessful: f.NewGauge(prometheus.GaugeOpts{
			Name: "secondme_exporter_config_last_reload_successful",
			Help: "Whether the last configuration reload attempt was successful.",
		}),
		reloadTimestamp: f.NewGauge(prometheus.GaugeOpts{
			Name: "secondme_exporter_config_last_reload_success_timestamp_seconds",
			Help: "Timestamp of the last successful configuration reload.",
		}),
		sources: map[string]*Source{},
	}
	reg.MustRegister(&tailerCollector{m: m})
	m.maxUnknown.Store(int64(maxUnknownCodes))
	m.SetCatalog(cat)
	return m
}

// SetReloadResult records the outcome of a configuration (re)load.
func (m *Metrics) SetReloadResult(ok bool, at time.Time) {
	if ok {
		m.reloadSuccessful.Set(1)
		m.reloadTimestamp.Set(float64(at.UnixNano()) / 1e9)
		return
	}
	m.reloadSuccessful.Set(0)
}

// SetMaxUnknownCodes changes the per-source limit of distinct unknown codes.
// Codes already admitted keep their series; the new limit applies to the
// next new code.
func (m *Metrics) SetMaxUnknownCodes(n int) { m.maxUnknown.Store(int64(n)) }

// SetCatalog replaces the catalog: the info series are rebuilt, the series
// of every (new) catalog code are created at 0 for every source, and
// classification caches are dropped. Series of codes that left the catalog
// are kept (never expire a counter while the process runs).
func (m *Metrics) SetCatalog(cat *catalog.Catalog) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cat = cat
	m.catalogInfo.Reset()
	for _, e := range cat.Entries() {
		m.catalogInfo.WithLabelValues(e.Code, e.Module, e.Resource, e.Reason,
			strconv.Itoa(e.Status), e.Section, e.Description, e.Action).Set(1)
	}
	for _, s := range m.sources {
		s.setCatalog(cat)
	}
}

// Source returns the metrics of a source, creating (and pre-initialising)
// them on first use. The same name always returns the same *Source, so a
// source that stays across reloads keeps its counters.
func (m *Metrics) Source(name string) *Source {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sources[name]; ok {
		return s
	}
	s := &Source{
		m:           m,
		name:        name,
		lines:       m.lines.WithLabelValues(name),
		bytes:       m.bytes.WithLabelValues(name),
		unknown:     m.unknownCodes.WithLabelValues(name),
		overflow:    m.overflow.WithLabelValues(name),
		rotations:   m.rotations.WithLabelValues(name),
		truncations: m.truncations.WithLabelValues(name),
		readErrors:  m.readErrors.WithLabelValues(name),
		lastRecord:  m.lastRecord.WithLabelValues(name),
		malformed:   map[parser.MalformedReason]prometheus.Counter{},
		seenUnknown: map[string]struct{}{},
	}
	for i := range s.responses {
		s.responses[i] = m.responses.WithLabelValues(name, classLabel(i))
	}
	for _, r := range parser.MalformedReasons() {
		s.malformed[r] = m.malformed.WithLabelValues(name, string(r))
	}
	s.setCatalog(m.cat)
	m.sources[name] = s
	return s
}

// StatsFunc reports, at scrape time, the files watched and the bytes not
// yet read (size minus offset, summed over files) of each source.
type StatsFunc func(emit func(source string, filesWatched int, lagBytes int64))

// SetTailerStats sets the function that secondme_exporter_files_watched and
// secondme_exporter_lag_bytes are read from at scrape time.
func (m *Metrics) SetTailerStats(f StatsFunc) { m.stats.Store(&f) }

var (
	filesWatchedDesc = prometheus.NewDesc("secondme_exporter_files_watched",
		"Files currently followed for the source.", []string{"source"}, nil)
	lagBytesDesc = prometheus.NewDesc("secondme_exporter_lag_bytes",
		"Bytes written to the source's files but not read yet (size minus offset, summed over files).", []string{"source"}, nil)
)

// tailerCollector reads the tailer's state when scraped rather than keeping
// gauges up to date on every read: lag changes with every write to the
// file, which the exporter does not see until it reads.
type tailerCollector struct{ m *Metrics }

func (c *tailerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- filesWatchedDesc
	ch <- lagBytesDesc
}

func (c *tailerCollector) Collect(ch chan<- prometheus.Metric) {
	f := c.m.stats.Load()
	if f == nil || *f == nil {
		return
	}
	(*f)(func(source string, files int, lag int64) {
		ch <- prometheus.MustNewConstMetric(filesWatchedDesc, prometheus.GaugeValue, float64(files), source)
		ch <- prometheus.MustNewConstMetric(lagBytesDesc, prometheus.GaugeValue, float64(lag), source)
	})
}

// numClasses is the size of the status class index: 0 is "unknown", 1..5
// are "1xx".."5xx".
const numClasses = 6

func classIndex(code int) int {
	if code >= 100 && code <= 599 {
		return code / 100
	}
	return 0
}

func classLabel(i int) string { return catalog.StatusClass(i * 100) }

func codeLabel(code int) string {
	if code == 0 {
		return UnknownCode
	}
	return strconv.Itoa(code)
}

// Source is the metrics of one source. Its methods are safe for concurrent
// use: the tailer calls them from one goroutine per file.
type Source struct {
	m    *Metrics
	name string

	lines, bytes                                          prometheus.Counter
	unknown, overflow, rotations, truncations, readErrors prometheus.Counter
	lastRecord                                            prometheus.Gauge
	responses                                             [numClasses]prometheus.Counter

	mu          sync.RWMutex
	cat         *catalog.Catalog
	malformed   map[parser.MalformedReason]prometheus.Counter
	errs        map[errKey]*errSeries
	seenUnknown map[string]struct{} // unknown codes admitted as their own series
}

// errKey identifies one classification: a code and the status logged with
// it (0 when none).
type errKey struct {
	code   string
	status int
}

// errSeries is everything one error envelope increments, resolved once.
type errSeries struct {
	errors   prometheus.Counter
	response prometheus.Counter
	mismatch prometheus.Counter // nil unless the logged status differs from the catalog's
	unknown  bool
	overflow bool
}

// Name is the source label.
func (s *Source) Name() string { return s.name }

// setCatalog pre-initialises the catalog codes and drops the cache, whose
// classifications may be stale. Called with m.mu held.
func (s *Source) setCatalog(cat *catalog.Catalog) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cat = cat
	s.errs = map[errKey]*errSeries{}
	for _, e := range cat.Entries() {
		s.m.errors.WithLabelValues(s.name, e.Module, e.Resource, e.Reason, e.Code,
			codeLabel(e.Status), catalog.StatusClass(e.Status))
	}
}

// Observe accounts one record of size bytes and what the parser found in it.
//
// lines_total is incremented last: a reader that sees lines_total reach N
// also sees, in any read it begins afterwards, everything the first N records
// counted (atomic counters are sequentially consistent). That makes "wait for
// lines_total, then scrape again and compare" a sound test pattern; the scrape
// that saw N may have gathered the other families first.
func (s *Source) Observe(env parser.Envelope, size int) {
	switch env.Kind {
	case parser.None:
	case parser.Success:
		s.responses[2].Inc()
	case parser.Response:
		s.responses[classIndex(env.Code)].Inc()
	case parser.Error:
		s.observeError(env.ErrorCode, env.Code)
	case parser.Malformed:
		s.Malformed(env.Reason)
	}
	s.bytes.Add(float64(size))
	s.lastRecord.Set(float64(time.Now().UnixNano()) / 1e9)
	s.lines.Inc()
}

// Oversized accounts a record that exceeded the size limit and was skipped.
func (s *Source) Oversized() { s.skipped(parser.ReasonOversized) }

// MultilineOverflow accounts a multi-line record that exceeded the
// assembler's line or byte limit and was dropped.
func (s *Source) MultilineOverflow() { s.skipped(parser.ReasonMultilineOverflow) }

func (s *Source) skipped(reason parser.MalformedReason) {
	s.Malformed(reason)
	s.lastRecord.Set(float64(time.Now().UnixNano()) / 1e9)
	s.lines.Inc()
}

// Malformed counts a record under reason. Reasons come from the parser's
// closed set; an unexpected one still gets its series rather than being
// dropped.
func (s *Source) Malformed(reason parser.MalformedReason) {
	s.mu.RLock()
	c, ok := s.malformed[reason]
	s.mu.RUnlock()
	if !ok {
		s.mu.Lock()
		if c, ok = s.malformed[reason]; !ok {
			c = s.m.malformed.WithLabelValues(s.name, string(reason))
			s.malformed[reason] = c
		}
		s.mu.Unlock()
	}
	c.Inc()
}

// Rotated counts a rotation.
func (s *Source) Rotated() { s.rotations.Inc() }

// Truncated counts a truncation.
func (s *Source) Truncated() { s.truncations.Inc() }

// ReadError counts a read error.
func (s *Source) ReadError() { s.readErrors.Inc() }

func (s *Source) observeError(code string, status int) {
	if !catalog.IsHTTPStatus(status) {
		// Business codes (40101, -1) say nothing about the HTTP status and
		// Classify ignores them; normalising here keeps them from becoming
		// label values or cache keys.
		status = 0
	}
	s.mu.RLock()
	e := s.errs[errKey{code, status}]
	s.mu.RUnlock()
	if e == nil {
		e = s.resolve(code, status)
	}
	e.errors.Inc()
	e.response.Inc()
	if e.mismatch != nil {
		e.mismatch.Inc()
	}
	if e.unknown {
		s.unknown.Inc()
	}
	if e.overflow {
		s.overflow.Inc()
	}
}

// resolve classifies a (code, status) pair seen for the first time and
// creates its series. Codes beyond the unknown-code limit are not cached
// under their own key, so a flood of random codes cannot grow the cache.
func (s *Source) resolve(code string, status int) *errSeries {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := errKey{code, status}
	if e := s.errs[key]; e != nil {
		return e
	}
	cls := s.cat.Classify(code, status)
	if !cls.Known {
		if _, admitted := s.seenUnknown[code]; !admitted {
			if int64(len(s.seenUnknown)) >= s.m.maxUnknown.Load() {
				return s.otherSeries(status)
			}
			s.seenUnknown[code] = struct{}{}
		}
	}
	e := &errSeries{
		errors: s.m.errors.WithLabelValues(s.name, cls.Module, cls.Resource, cls.Reason, code,
			codeLabel(cls.Code), cls.StatusClass),
		response: s.responses[classIndex(cls.Code)],
		unknown:  !cls.Known,
	}
	if cls.Mismatch {
		e.mismatch = s.m.mismatch.WithLabelValues(s.name, code, codeLabel(status), strconv.Itoa(cls.Expected))
	}
	s.errs[key] = e
	return e
}

// otherSeries is the overflow series for a logged status. Called with s.mu
// held.
func (s *Source) otherSeries(status int) *errSeries {
	key := errKey{OtherCode, status}
	if e := s.errs[key]; e != nil {
		return e
	}
	e := &errSeries{
		errors: s.m.errors.WithLabelValues(s.name, OtherCode, OtherCode, OtherCode, OtherCode,
			codeLabel(status), catalog.StatusClass(status)),
		response: s.responses[classIndex(status)],
		unknown:  true,
		overflow: true,
	}
	s.errs[key] = e
	return e
}
