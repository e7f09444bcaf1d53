// Package demo writes realistic SecondMe client traffic to a log: error
// envelopes across the catalog with realistic weights, successes,
// gateway access lines, ordinary application noise, and periodic spikes of
// one code — in the shapes real logs use (JSON lines, nested objects,
// string-encoded bodies, text prefixes, SSE, logfmt, Python dicts, access
// logs).
//
// The content is a pure function of the seed and the record index (pacing
// and the clock only change timestamps), and the generator keeps exact
// counts of what it wrote, so that tests can compare the exporter's
// counters with the truth. It feeds `--demo`, the compose stack and the
// end-to-end suite.
package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// DefaultSpikeCode is the code of the periodic spike: a burst of revoked
// refresh tokens is what a mass logout or a leaked-token rotation looks like.
const DefaultSpikeCode = "oauth2.refresh_token.revoked"

// Options configure a Generator.
type Options struct {
	// Seed makes the sequence of records reproducible.
	Seed uint64
	// Catalog supplies the codes and their statuses; nil means
	// catalog.Default().
	Catalog *catalog.Catalog
	// SpikeCode is the code that dominates the spikes (default
	// DefaultSpikeCode). It need not be in the catalog.
	SpikeCode string
	// SpikeStart is the index of the first record of the first spike,
	// SpikeEvery the distance between spike starts and SpikeLength the
	// number of records in each spike. SpikeEvery 0 disables spikes.
	SpikeStart, SpikeEvery, SpikeLength int64
	// SpikeShare is the fraction of records inside a spike that carry the
	// spike code (default 0.5).
	SpikeShare float64
	// UnknownCodes adds a small share of grammar-valid codes that are not in
	// the catalog, as clients meet them when the API adds codes.
	UnknownCodes bool
	// Now stamps records; nil means time.Now.
	Now func() time.Time
}

// Counts is what a Generator wrote. The maps are keyed by error_code and by
// status class ("2xx", "4xx"…); they hold exactly what the exporter is
// expected to count (one envelope per record at most).
type Counts struct {
	Records   int64 `json:"records"`
	Noise     int64 `json:"noise"`
	Successes int64 `json:"successes"`
	Gateway   int64 `json:"gateway"`
	// Errors counts error envelopes by error_code.
	Errors map[string]int64 `json:"errors"`
	// ErrorsByStatus counts error envelopes by error_code and the logged
	// HTTP status (as the `code` label spells it).
	ErrorsByStatus map[string]map[string]int64 `json:"errors_by_status"`
	// Mismatches counts envelopes whose logged status differs from the
	// catalog's, by error_code.
	Mismatches map[string]int64 `json:"mismatches"`
	// Unknown counts envelopes whose code is not in the catalog.
	Unknown int64 `json:"unknown"`
	// Responses counts every response by status class: error envelopes by
	// their status, successes as 2xx, gateway lines by their status.
	Responses map[string]int64 `json:"responses"`
	// Spike counts the records written inside spike windows with the spike
	// code.
	Spike int64 `json:"spike"`
}

func newCounts() Counts {
	return Counts{
		Errors:         map[string]int64{},
		ErrorsByStatus: map[string]map[string]int64{},
		Mismatches:     map[string]int64{},
		Responses:      map[string]int64{},
	}
}

// Clone returns a deep copy.
func (c Counts) Clone() Counts {
	out := c
	out.Errors = cloneMap(c.Errors)
	out.Mismatches = cloneMap(c.Mismatches)
	out.Responses = cloneMap(c.Responses)
	out.ErrorsByStatus = make(map[string]map[string]int64, len(c.ErrorsByStatus))
	for k, v := range c.ErrorsByStatus {
		out.ErrorsByStatus[k] = cloneMap(v)
	}
	return out
}

// TotalErrors is the number of error envelopes written.
func (c Counts) TotalErrors() int64 {
	var n int64
	for _, v := range c.Errors {
		n += v
	}
	return n
}

func cloneMap(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// weights are how often each catalog code shows up in a client's log,
// relative to each other: expired access tokens dominate, then the
// recoverable client mistakes; configuration errors are rare. Codes not
// listed (a user's catalog extension) get weight 1.
//
// The codes whose first occurrence pages (pagingCodes) have weight 0: they
// mean every request of the client fails, which is no background noise, and
// a steady trickle of them would keep two critical alerts firing for as long
// as the demo runs. They come as scheduled incidents instead (pagingAt).
var weights = map[string]int{
	"oauth2.token.expired":              300,
	"oauth2.token.invalid":              60,
	"oauth2.token.revoked":              15,
	"oauth2.token.not_found":            8,
	"oauth2.refresh_token.expired":      40,
	"oauth2.refresh_token.invalid":      20,
	"oauth2.refresh_token.revoked":      12,
	"apikey.auth.missing":               25,
	"apikey.auth.invalid":               35,
	"apikey.permission.denied":          20,
	"apikey.scope.invalid":              5,
	"apikey.fetch.not_found":            4,
	"resource.fetch.not_found":          30,
	"resource.auth.unauthorized":        18,
	"invalid.param":                     45,
	"internal.error":                    22,
	"connection.error":                  1, // SecondMeUpstreamUnreachable pages at 5 in 5 minutes
	"secondme.stream.error":             28,
	"secondme.context.build_failed":     10,
	"secondme.session.not_found":        24,
	"secondme.session.unauthorized":     6,
	"secondme.user.invalid_id":          7,
	"oauth2.code.expired":               14,
	"oauth2.code.used":                  9,
	"oauth2.code.invalid":               6,
	"oauth2.code.revoked":               2,
	"oauth2.redirect_uri.mismatch":      5,
	"oauth2.redirect_uri.invalid":       2,
	"oauth2.scope.insufficient":         11,
	"oauth2.scope.invalid":              3,
	"oauth2.scope.disallowed":           2,
	"oauth2.client.invalid":             3,
	"oauth2.client.secret_mismatch":     0,
	"oauth2.grant_type.invalid":         2,
	"oauth2.grant_type.unsupported":     1,
	"oauth2.authorization.not_found":    3,
	"oauth2.authorization.revoked":      5,
	"oauth2.application.not_found":      2,
	"oauth2.application.unauthorized":   2,
	"oauth2.application.invalid_type":   1,
	"oauth2.application.invalid_status": 1,
	"oauth2.application.pending_review": 2,
	"oauth2.application.rejected":       0,
	"oauth2.application.suspended":      0,
}

// pagingCodes page at their first occurrence (SecondMeApplicationBlocked,
// SecondMeClientSecretMismatch). Each is written once per pagingEvery
// records, at offsets pagingAt, pagingAt+1, …: once an hour at the default
// 50 records/s, 3m20s after the start, so that the demo stack shows two
// critical pages that resolve ten minutes later rather than two that never
// do.
var pagingCodes = []string{"oauth2.application.suspended", "oauth2.application.rejected", "oauth2.client.secret_mismatch"}

const (
	pagingEvery = 180000
	pagingAt    = 10000
)

// mismatchCode is logged with mismatchStatus in a third of its records.
const (
	mismatchCode   = "oauth2.refresh_token.invalid"
	mismatchStatus = 401
)

// unknownCodes are plausible codes a newer API version could return.
var unknownCodes = []string{
	"secondme.quota.exceeded",
	"secondme.note.not_found",
	"oauth2.device_code.expired",
}

// Generator produces records. It is not safe for concurrent use.
type Generator struct {
	opts    Options
	rng     *rand.Rand
	codes   []*catalog.Entry
	cum     []int // cumulative weights over codes
	total   int
	index   int64
	counts  Counts
	spikeIn *catalog.Entry
}

// NewGenerator returns a generator for opts.
func NewGenerator(opts Options) *Generator {
	if opts.Catalog == nil {
		opts.Catalog = catalog.Default()
	}
	if opts.SpikeCode == "" {
		opts.SpikeCode = DefaultSpikeCode
	}
	if opts.SpikeShare <= 0 || opts.SpikeShare > 1 {
		opts.SpikeShare = 0.5
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := &Generator{
		opts:   opts,
		rng:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5ec0d3e)),
		counts: newCounts(),
	}
	g.codes = opts.Catalog.Entries()
	for _, e := range g.codes {
		w, ok := weights[e.Code]
		if !ok {
			w = 1
		}
		g.total += w
		g.cum = append(g.cum, g.total)
	}
	if e, ok := opts.Catalog.Lookup(opts.SpikeCode); ok {
		g.spikeIn = e
	}
	return g
}

// Counts returns a copy of what has been generated so far.
func (g *Generator) Counts() Counts { return g.counts.Clone() }

// InSpike reports whether record index i falls in a spike window.
func (g *Generator) InSpike(i int64) bool {
	o := g.opts
	if o.SpikeEvery <= 0 || o.SpikeLength <= 0 || i < o.SpikeStart {
		return false
	}
	return (i-o.SpikeStart)%o.SpikeEvery < o.SpikeLength
}

// Next appends the next record, with its trailing newline, to buf.
func (g *Generator) Next(buf []byte) []byte {
	i := g.index
	g.index++
	g.counts.Records++
	now := g.opts.Now().UTC()
	if k := i%pagingEvery - pagingAt; k >= 0 && k < int64(len(pagingCodes)) {
		if e, ok := g.opts.Catalog.Lookup(pagingCodes[k]); ok {
			return g.errorRecord(buf, now, e.Code, e.Status, e)
		}
	}
	if g.InSpike(i) && g.rng.Float64() < g.opts.SpikeShare {
		g.counts.Spike++
		status := 401
		if g.spikeIn != nil {
			status = g.spikeIn.Status
		}
		return g.errorRecord(buf, now, g.opts.SpikeCode, status, g.spikeIn)
	}
	switch p := g.rng.IntN(1000); {
	case p < 380:
		g.counts.Noise++
		return g.noise(buf, now)
	case p < 730:
		g.counts.Successes++
		g.counts.Responses["2xx"]++
		return g.success(buf, now)
	case p < 830:
		return g.gateway(buf, now)
	default:
		if g.opts.UnknownCodes && g.rng.IntN(100) < 2 {
			code := unknownCodes[g.rng.IntN(len(unknownCodes))]
			status := []int{400, 404, 429}[g.rng.IntN(3)]
			return g.errorRecord(buf, now, code, status, nil)
		}
		e := g.pick()
		status := e.Status
		// A gateway in front of the token endpoint answers an invalid
		// refresh token with 401 where the catalog says 400 (the example the
		// error reference itself gives): the status mismatch metric exists to
		// catch that. One code, consistently, as a real gateway rule does — not
		// a random rewrite of every code, which would open an info ticket
		// per code and status in the demo stack.
		if e.Code == mismatchCode && g.rng.IntN(3) == 0 {
			status = mismatchStatus
		}
		return g.errorRecord(buf, now, e.Code, status, e)
	}
}

func (g *Generator) pick() *catalog.Entry {
	r := g.rng.IntN(g.total)
	i := sort.SearchInts(g.cum, r+1)
	return g.codes[i]
}

func statusClass(code int) string { return catalog.StatusClass(code) }

// errorRecord writes one error envelope in a random shape and counts it.
func (g *Generator) errorRecord(buf []byte, now time.Time, code string, status int, e *catalog.Entry) []byte {
	c := &g.counts
	c.Errors[code]++
	byStatus := c.ErrorsByStatus[code]
	if byStatus == nil {
		byStatus = map[string]int64{}
		c.ErrorsByStatus[code] = byStatus
	}
	byStatus[strconv.Itoa(status)]++
	c.Responses[statusClass(status)]++
	if e == nil {
		c.Unknown++
	} else if status != e.Status {
		c.Mismatches[code]++
	}
	msg := message(e, code)
	ts := now.Format(time.RFC3339Nano)
	rid := g.requestID()
	key := "error_code"
	// The envelope's own field order and key spelling vary by SDK.
	switch g.rng.IntN(20) {
	case 0:
		key = "subCode"
	case 1:
		key = "sub_code"
	}
	env := fmt.Sprintf(`{"code":%d,"message":%s,"%s":"%s"}`, status, strconv.Quote(msg), key, code)
	switch g.rng.IntN(8) {
	case 0: // the bare envelope, one JSON object per line
		buf = append(buf, env...)
	case 1: // structured application log with the response nested
		buf = fmt.Appendf(buf, `{"time":"%s","level":"ERROR","logger":"secondme.client","msg":"SecondMe API call failed","request_id":"%s","method":"POST","path":"%s","response":%s}`,
			ts, rid, g.path(), env)
	case 2: // the response body logged as a string
		buf = fmt.Appendf(buf, `{"ts":"%s","level":"warn","msg":"upstream returned an error","request_id":"%s","body":%s}`,
			ts, rid, strconv.Quote(env))
	case 3: // text prefix, then the body
		buf = fmt.Appendf(buf, `%s ERROR [secondme-client] %s %s failed (request_id=%s): %s`,
			ts, "POST", g.path(), rid, env)
	case 4: // an SSE stream event
		buf = fmt.Appendf(buf, `data: %s`, env)
	case 5: // logfmt
		buf = fmt.Appendf(buf, `time=%s level=error msg="secondme api error" request_id=%s code=%d %s=%s message=%s`,
			ts, rid, status, snake(key), code, strconv.Quote(msg))
	case 6: // a Python client printing the decoded dict
		buf = fmt.Appendf(buf, `%s ERROR secondme_sdk.client: API error: {'code': %d, 'message': '%s', '%s': '%s'}`,
			now.Format("2006-01-02 15:04:05,000"), status, strings.ReplaceAll(msg, "'", ""), key, code)
	default: // the envelope inside an application's own wrapper
		buf = fmt.Appendf(buf, `{"level":"error","time":%d,"caller":"api/client.go:118","msg":"request failed","error":{"kind":"api","status":%d,"detail":%s}}`,
			now.UnixMilli(), status, env)
	}
	return append(buf, '\n')
}

// snake spells subCode the way logfmt emitters do.
func snake(key string) string {
	if key == "subCode" {
		return "sub_code"
	}
	return key
}

func message(e *catalog.Entry, code string) string {
	if e == nil {
		return "Unknown error: " + code
	}
	if e.Description != "" {
		return e.Description
	}
	return e.DescriptionZH
}

var paths = []string{
	"/api/secondme/chat/stream",
	"/api/secondme/user/info",
	"/api/secondme/session/list",
	"/api/secondme/note/add",
	"/api/oauth/token/code",
	"/api/oauth/token/refresh",
}

func (g *Generator) path() string { return paths[g.rng.IntN(len(paths))] }

func (g *Generator) requestID() string {
	return fmt.Sprintf("req-%016x", g.rng.Uint64())
}

// success writes a `code: 0` response.
func (g *Generator) success(buf []byte, now time.Time) []byte {
	ts := now.Format(time.RFC3339Nano)
	switch g.rng.IntN(4) {
	case 0:
		buf = fmt.Appendf(buf, `{"code":0,"message":"success","data":{"sessionId":"ses_%08x","messageCount":%d}}`,
			g.rng.Uint32(), g.rng.IntN(50))
	case 1:
		buf = fmt.Appendf(buf, `{"time":"%s","level":"DEBUG","msg":"SecondMe response","request_id":"%s","response":{"code":0,"message":"success","data":{"userId":"%d","name":"demo"}}}`,
			ts, g.requestID(), 10000+g.rng.IntN(90000))
	case 2:
		buf = fmt.Appendf(buf, `%s INFO [secondme-client] GET %s ok: {"code":0,"message":"success","data":{}}`,
			ts, g.path())
	default:
		buf = fmt.Appendf(buf, `data: {"code":0,"message":"success","data":{"delta":"Hello","index":%d}}`,
			g.rng.IntN(400))
	}
	return append(buf, '\n')
}

// gatewayStatuses are the statuses of the access-log lines, with weights:
// mostly 200, some client errors, a few upstream failures.
var gatewayStatuses = []struct{ status, weight int }{
	{200, 850}, {201, 20}, {204, 10}, {304, 10}, {400, 25}, {401, 30}, {403, 10},
	{404, 20}, {429, 8}, {499, 4}, {500, 6}, {502, 4}, {503, 2}, {504, 1},
}

var gatewayTotal = func() int {
	n := 0
	for _, s := range gatewayStatuses {
		n += s.weight
	}
	return n
}()

// gateway writes an nginx "combined" access-log line for an API call.
func (g *Generator) gateway(buf []byte, now time.Time) []byte {
	r := g.rng.IntN(gatewayTotal)
	status := 200
	for _, s := range gatewayStatuses {
		if r < s.weight {
			status = s.status
			break
		}
		r -= s.weight
	}
	g.counts.Gateway++
	g.counts.Responses[statusClass(status)]++
	method := "POST"
	if g.rng.IntN(3) == 0 {
		method = "GET"
	}
	buf = fmt.Appendf(buf, `10.%d.%d.%d - - [%s] "%s %s HTTP/1.1" %d %d "-" "secondme-python/1.4.2" %.3f`,
		g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254), now.Format("02/Jan/2006:15:04:05 -0700"),
		method, g.path(), status, 100+g.rng.IntN(20000), float64(1+g.rng.IntN(3000))/1000)
	return append(buf, '\n')
}

var noiseLines = []string{
	`%s INFO [app] user %d opened the chat window`,
	`%s DEBUG [secondme-client] refreshing token in %ds`,
	`%s INFO [worker] processed %d jobs`,
	`{"time":"%s","level":"INFO","msg":"cache hit","key":"profile:%d"}`,
	`{"time":"%s","level":"INFO","msg":"chat completed","tokens":%d,"latency_ms":%d}`,
	`%s WARN [app] slow request: %d ms`,
	`level=info ts=%s msg="healthcheck ok" goroutines=%d`,
	`%s INFO [scheduler] next run in %d minutes`,
}

// noise writes an ordinary log line without an envelope.
func (g *Generator) noise(buf []byte, now time.Time) []byte {
	ts := now.Format(time.RFC3339Nano)
	i := g.rng.IntN(len(noiseLines))
	line := noiseLines[i]
	switch strings.Count(line, "%d") {
	case 1:
		buf = fmt.Appendf(buf, line, ts, g.rng.IntN(5000))
	default:
		buf = fmt.Appendf(buf, line, ts, g.rng.IntN(5000), g.rng.IntN(5000))
	}
	return append(buf, '\n')
}
