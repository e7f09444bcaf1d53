package corpusgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// The incident log's fixed timeline.
var (
	// IncidentStart and IncidentEnd bound the log: 90 minutes.
	IncidentStart = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	IncidentEnd   = IncidentStart.Add(90 * time.Minute)
	// SpikeStart is the first minute of the refresh-token revocation spike;
	// it lasts SpikeMinutes minutes at SpikePerMinute extra envelopes.
	SpikeStart = time.Date(2026, 11, 24, 10, 5, 0, 0, time.UTC)
)

// The spike's shape.
const (
	SpikeMinutes   = 5
	SpikePerMinute = 60
	SpikeCode      = "oauth2.refresh_token.revoked"
)

// IncidentOptions choose what the incident log contains besides ordinary
// traffic. The committed incident.log has everything; the quiet baseline
// (no option) is what the alert rules must stay silent on.
type IncidentOptions struct {
	Spike     bool // the refresh-token revocation spike
	Unknown   bool // a few codes outside the catalog
	Mismatch  bool // a catalog code logged with another HTTP status
	Malformed bool // envelopes with a bad code and a truncated one
}

// FullIncident is the committed incident log's content.
var FullIncident = IncidentOptions{Spike: true, Unknown: true, Mismatch: true, Malformed: true}

// Incident writes the incident log: ordinary traffic (about 25 records a
// minute: application noise, code-0 successes, gateway access lines and
// about 8% error envelopes) in every shape the analyzer reads times from,
// plus what opts asks for. It is a pure function of opts.
func Incident(w io.Writer, opts IncidentOptions) (Truth, error) {
	cat := catalog.Default()
	r := rand.New(rand.NewPCG(20261124, 1005))
	g := &incident{r: r, cat: cat, pick: newWeighted(cat), truth: newTruth(),
		out: &writer{w: bufio.NewWriterSize(w, 64<<10)}}
	for m := IncidentStart; m.Before(IncidentEnd); m = m.Add(time.Minute) {
		n := 20 + r.IntN(11)
		spike := opts.Spike && !m.Before(SpikeStart) && m.Before(SpikeStart.Add(SpikeMinutes*time.Minute))
		if spike {
			n += SpikePerMinute
		}
		// Spike records are interleaved with ordinary traffic: a random
		// permutation decides which slots carry the spike code.
		slots := r.Perm(n)
		for i := range n {
			t := m.Add(time.Duration(i) * time.Minute / time.Duration(n)).Add(time.Duration(r.IntN(900)) * time.Millisecond)
			if spike && slots[i] < SpikePerMinute {
				e, _ := cat.Lookup(SpikeCode)
				g.errorRecord(t, e, e.Status, SpikeCode, r.IntN(errorShapes))
				continue
			}
			g.ordinary(t)
		}
		g.extras(m, opts)
	}
	if err := g.out.w.Flush(); err != nil && g.out.err == nil {
		g.out.err = err
	}
	g.truth.Lines = g.out.lines
	if g.out.err != nil {
		return g.truth, fmt.Errorf("write incident log: %w", g.out.err)
	}
	return g.truth, nil
}

type incident struct {
	r     *rand.Rand
	cat   *catalog.Catalog
	pick  *weighted
	truth Truth
	out   *writer
}

func (g *incident) emit(s string) { g.out.line([]byte(s + "\n")) }

func (g *incident) ordinary(t time.Time) {
	switch p := g.r.IntN(100); {
	case p < 40:
		g.emit(noise(g.r, t))
	case p < 70:
		g.truth.Successes++
		switch g.r.IntN(3) {
		case 0:
			g.emit(fmt.Sprintf(`{"time":"%s","level":"DEBUG","msg":"SecondMe response","response":{"code":0,"message":"success","data":{"sessionId":"ses_%08x"}}}`,
				rfc3339ms(t), g.r.Uint32()))
		case 1:
			g.emit(fmt.Sprintf(`%s INFO [secondme-client] GET %s ok: {"code":0,"message":"success","data":{}}`,
				rfc3339ms(t), apiPaths[g.r.IntN(len(apiPaths))]))
		default:
			g.emit(fmt.Sprintf(`data: {"code":0,"message":"success","data":{"delta":"Hi","index":%d}}`, g.r.IntN(400)))
		}
	case p < 92:
		g.truth.Gateway++
		status := 200
		if g.r.IntN(20) == 0 {
			status = []int{400, 404, 429}[g.r.IntN(3)]
		}
		g.emit(gatewayLine(g.r, t, status))
	default:
		e := g.pick.pick(g.r)
		g.errorRecord(t, e, e.Status, e.Code, g.r.IntN(errorShapes))
	}
}

// errorShapes is the number of shapes errorRecord writes.
const errorShapes = 9

// errorRecord writes one error envelope in shape (0..errorShapes-1). The
// shapes cover every way a time is written, and two without a time.
func (g *incident) errorRecord(t time.Time, e *catalog.Entry, status int, code string, shape int) {
	g.truth.Errors[code]++
	msg := "Unknown error"
	if e != nil {
		msg = message(e)
	}
	env := jsonEnvelope(status, msg, "error_code", code)
	path := apiPaths[g.r.IntN(len(apiPaths))]
	switch shape {
	case 0: // structured JSON log, RFC 3339 "time", the response nested
		g.emit(fmt.Sprintf(`{"time":"%s","level":"ERROR","logger":"secondme.client","msg":"SecondMe API call failed","path":"%s","response":%s}`,
			rfc3339ms(t), path, env))
	case 1: // zap-style JSON with epoch milliseconds
		g.emit(fmt.Sprintf(`{"level":"error","ts":%d,"caller":"api/client.go:118","msg":"request failed","error":{"status":%d,"detail":%s}}`,
			t.UnixMilli(), status, env))
	case 2: // Python logging printing the decoded dict
		g.emit(fmt.Sprintf(`%s ERROR secondme_sdk.client: API error: {'code': %d, 'message': '%s', 'error_code': '%s'}`,
			pythonTime(t), status, strings.ReplaceAll(msg, "'", ""), code))
	case 3: // logfmt
		g.emit(fmt.Sprintf(`level=error ts=%s msg="secondme api error" path=%s code=%d error_code=%s`,
			rfc3339ms(t), path, status, code))
	case 4: // text prefix, then the body
		g.emit(fmt.Sprintf(`%s ERROR [secondme-client] POST %s failed: %s`, rfc3339ms(t), path, env))
	case 5: // pretty-printed body after a timestamped line
		g.emit(fmt.Sprintf("%s ERROR [secondme-client] POST %s failed, body={\n  \"code\": %d,\n  \"message\": %s,\n  \"error_code\": \"%s\"\n}",
			rfc3339ms(t), path, status, strconv.Quote(msg), code))
	case 6: // a bare pretty-printed body: no time, inherits the previous
		g.emit(fmt.Sprintf("{\n  \"code\": %d,\n  \"message\": %s,\n  \"error_code\": \"%s\"\n}", status, strconv.Quote(msg), code))
	case 7: // an SSE event: no time, inherits the previous
		g.emit("data: " + env)
	default: // Elastic-style @timestamp
		g.emit(fmt.Sprintf(`{"@timestamp":"%s","log.level":"error","message":"upstream error","http":{"response":%s}}`,
			t.UTC().Format(time.RFC3339Nano), env))
	}
}

// extras adds the optional oddities at fixed minutes.
func (g *incident) extras(m time.Time, opts IncidentOptions) {
	at := m.Add(30 * time.Second)
	switch m.Sub(IncidentStart) / time.Minute {
	case 20, 52, 53:
		if opts.Unknown {
			g.errorRecord(at, nil, 429, "secondme.quota.exceeded", 0)
			g.errorRecord(at.Add(time.Second), nil, 429, "secondme.quota.exceeded", 3)
		}
	case 38, 41:
		if opts.Mismatch {
			e, _ := g.cat.Lookup("internal.error")
			g.errorRecord(at, e, 502, "internal.error", 4)
		}
	case 44:
		if opts.Malformed {
			g.emit(fmt.Sprintf(`%s ERROR [secondme-client] failed: {"code":401,"message":"Token expired","error_code":"OAuth2.Token.Expired"}`, rfc3339ms(at)))
			g.emit(fmt.Sprintf(`%s ERROR [secondme-client] failed: {"code":401,"message":"Token expired","error_code":"oauth2.tok`, rfc3339ms(at.Add(time.Second))))
		}
	}
}
