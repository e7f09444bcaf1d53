package corpusgen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// BenchOptions configure Bench.
type BenchOptions struct {
	// Size is the approximate number of bytes to write (it stops at the
	// first record boundary past Size).
	Size int64
	// Seed makes the content reproducible.
	Seed uint64
	// EnvelopePermille is the share of records carrying an error envelope,
	// in thousandths (default 20: 2%). Successes and gateway lines add
	// another 2% each.
	EnvelopePermille int
	// Start is the time of the first record (default IncidentStart); records
	// are 10 ms apart.
	Start time.Time
}

// Bench writes a large mixed log: mostly ordinary application lines (some
// with words such as "node", "mode", "decoded" or "status=healthy" that a
// naive filter would stop at), a few error envelopes in five shapes —
// inline JSON, nested JSON, logfmt, Python dict, pretty-printed JSON over
// five lines — and some successes and gateway access lines.
//
// Every envelope shape puts the code right after an error_code/subCode key
// on one line, so a line-oriented regex (bench/mtail/secondme.mtail) counts
// the same codes the analyzer does: the benchmark can compare per-code
// counts of both tools.
func Bench(w io.Writer, o BenchOptions) (Truth, error) {
	if o.Size <= 0 {
		return Truth{}, errors.New("bench corpus size must be positive")
	}
	if o.EnvelopePermille <= 0 {
		o.EnvelopePermille = 20
	}
	if o.Start.IsZero() {
		o.Start = IncidentStart
	}
	cat := catalog.Default()
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0xbe4c4))
	pick := newWeighted(cat)
	out := &writer{w: bufio.NewWriterSize(w, 1<<20)}
	truth := newTruth()
	buf := make([]byte, 0, 1024)
	t := o.Start
	for i := int64(0); out.bytes < o.Size && out.err == nil; i++ {
		t = t.Add(10 * time.Millisecond)
		ts := rfc3339ms(t)
		buf = buf[:0]
		switch p := r.IntN(1000); {
		case p < o.EnvelopePermille:
			e := pick.pick(r)
			truth.Errors[e.Code]++
			buf = benchEnvelope(buf, r, ts, t, e)
		case p < o.EnvelopePermille+20:
			truth.Successes++
			buf = fmt.Appendf(buf, `%s INFO [secondme-client] GET %s ok: {"code":0,"message":"success","data":{}}`,
				ts, apiPaths[r.IntN(len(apiPaths))])
		case p < o.EnvelopePermille+40:
			truth.Gateway++
			buf = append(buf, gatewayLine(r, t, 200)...)
		default:
			buf = fmt.Appendf(buf, noiseLines[r.IntN(len(noiseLines))], ts, r.IntN(5000))
		}
		buf = append(buf, '\n')
		out.line(buf)
	}
	if err := out.w.Flush(); err != nil && out.err == nil {
		out.err = err
	}
	truth.Lines = out.lines
	if out.err != nil {
		return truth, fmt.Errorf("write bench corpus: %w", out.err)
	}
	return truth, nil
}

func benchEnvelope(buf []byte, r *rand.Rand, ts string, t time.Time, e *catalog.Entry) []byte {
	msg := message(e)
	key := "error_code"
	if r.IntN(10) == 0 {
		key = "subCode"
	}
	path := apiPaths[r.IntN(len(apiPaths))]
	switch r.IntN(5) {
	case 0:
		return fmt.Appendf(buf, `%s ERROR [secondme-client] POST %s failed: %s`, ts, path,
			jsonEnvelope(e.Status, msg, key, e.Code))
	case 1:
		return fmt.Appendf(buf, `{"time":"%s","level":"ERROR","msg":"SecondMe API call failed","path":"%s","response":%s}`,
			ts, path, jsonEnvelope(e.Status, msg, key, e.Code))
	case 2:
		if key == "subCode" {
			key = "sub_code"
		}
		return fmt.Appendf(buf, `level=error ts=%s msg="secondme api error" code=%d %s=%s`, ts, e.Status, key, e.Code)
	case 3:
		return fmt.Appendf(buf, `%s ERROR secondme_sdk.client: API error: {'code': %d, 'message': '%s', '%s': '%s'}`,
			pythonTime(t), e.Status, strings.ReplaceAll(msg, "'", ""), key, e.Code)
	default:
		return fmt.Appendf(buf, "%s ERROR [secondme-client] POST %s failed, body={\n  \"code\": %d,\n  \"message\": %s,\n  \"%s\": \"%s\"\n}",
			ts, path, e.Status, strconv.Quote(msg), key, e.Code)
	}
}
