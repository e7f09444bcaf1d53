// Package corpusgen writes the analyzer's test and benchmark logs.
//
// The one idea: deterministic, realistic SecondMe client logs whose true
// counts are known. Two generators share the record shapes:
//
//   - Incident: the committed analyze/testdata/incident.log — 90 minutes of
//     mixed shapes with a refresh-token revocation spike starting at a
//     known minute (SpikeStart), which the report and the backtest must
//     find.
//   - Bench: a large mixed file for throughput measurements, mostly
//     ordinary log lines with a few percent of envelopes, in shapes a
//     line-oriented regex program (bench/mtail/secondme.mtail) can count
//     too, so both tools' per-code counts can be compared.
package corpusgen

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// Truth is what a generator wrote, as the exporter should count it.
type Truth struct {
	// Lines is the number of physical lines written.
	Lines int64
	// Errors counts error envelopes by error_code.
	Errors map[string]int64
	// Successes, Gateway count code-0 responses and access-log lines.
	Successes, Gateway int64
}

func newTruth() Truth { return Truth{Errors: map[string]int64{}} }

// TotalErrors sums Errors.
func (t Truth) TotalErrors() int64 {
	var n int64
	for _, c := range t.Errors {
		n += c
	}
	return n
}

// writer tracks lines and the first write error.
type writer struct {
	w     *bufio.Writer
	lines int64
	bytes int64
	err   error
}

func (w *writer) line(b []byte) {
	if w.err != nil {
		return
	}
	for _, c := range b {
		if c == '\n' {
			w.lines++
		}
	}
	n, err := w.w.Write(b)
	w.bytes += int64(n)
	w.err = err
}

// weighted picks catalog codes with realistic relative frequencies.
type weighted struct {
	codes []*catalog.Entry
	cum   []int
}

var weights = map[string]int{
	"oauth2.token.expired": 300, "oauth2.token.invalid": 60, "oauth2.refresh_token.expired": 40,
	"invalid.param": 45, "apikey.auth.invalid": 35, "resource.fetch.not_found": 30,
	"secondme.stream.error": 28, "apikey.auth.missing": 25, "secondme.session.not_found": 24,
	"internal.error": 22, "oauth2.refresh_token.invalid": 20, "apikey.permission.denied": 20,
	"resource.auth.unauthorized": 18, "connection.error": 16, "oauth2.token.revoked": 15,
	"oauth2.code.expired": 14, "oauth2.refresh_token.revoked": 4, "oauth2.scope.insufficient": 11,
	"secondme.context.build_failed": 10,
	// Codes that page on their first occurrence (the application blocked,
	// a wrong client secret) are incidents of their own, not background.
	"oauth2.application.suspended":  0,
	"oauth2.application.rejected":   0,
	"oauth2.client.secret_mismatch": 0,
}

func newWeighted(cat *catalog.Catalog) *weighted {
	w := &weighted{}
	total := 0
	for _, e := range cat.Entries() {
		n, ok := weights[e.Code]
		if !ok {
			n = 2
		}
		if n == 0 {
			continue
		}
		total += n
		w.codes = append(w.codes, e)
		w.cum = append(w.cum, total)
	}
	return w
}

func (w *weighted) pick(r *rand.Rand) *catalog.Entry {
	x := r.IntN(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if w.cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return w.codes[lo]
}

var apiPaths = []string{
	"/api/secondme/chat/stream", "/api/secondme/user/info", "/api/secondme/session/list",
	"/api/oauth/token/code", "/api/oauth/token/refresh", "/api/secondme/note/add",
}

// message is the human-readable text of an envelope.
func message(e *catalog.Entry) string {
	if e.Description != "" {
		return e.Description
	}
	return "error"
}

func rfc3339ms(t time.Time) string  { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
func pythonTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05,000") }
func clfTime(t time.Time) string    { return t.UTC().Format("02/Jan/2006:15:04:05 -0700") }

func jsonEnvelope(status int, msg, key, code string) string {
	return fmt.Sprintf(`{"code":%d,"message":%s,"%s":"%s"}`, status, strconv.Quote(msg), key, code)
}

// gatewayLine is an nginx combined access-log line.
func gatewayLine(r *rand.Rand, t time.Time, status int) string {
	return fmt.Sprintf(`10.%d.%d.%d - - [%s] "POST %s HTTP/1.1" %d %d "-" "secondme-python/1.4.2"`,
		r.IntN(256), r.IntN(256), 1+r.IntN(254), clfTime(t), apiPaths[r.IntN(len(apiPaths))], status, 90+r.IntN(900))
}

var noiseLines = []string{
	"%s INFO [app] user %d opened the chat window",
	"%s DEBUG [secondme-client] refreshing the access token in %ds",
	"%s INFO [worker] processed %d jobs from the queue",
	"%s INFO [scheduler] node worker-%d is healthy, mode=active",
	"%s WARN [app] slow request: %d ms spent in template rendering",
	"%s INFO [cache] decoded %d profile entries",
	"%s DEBUG [http] keep-alive connection reused after %d requests",
}

func noise(r *rand.Rand, t time.Time) string {
	return fmt.Sprintf(noiseLines[r.IntN(len(noiseLines))], rfc3339ms(t), r.IntN(5000))
}
