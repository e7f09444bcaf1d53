// Package corpusgen writes a realistic, deterministic mix of client and gateway
// log lines — every envelope shape the parser must find, ~5 % errors, successes,
// access lines and decoy noise — together with the counts it expects, computed
// from what it chose to write (never by parsing). parser's golden test checks the
// parser's real output against those counts, and its benchmarks run on the corpus.
//
//	go run ./internal/corpusgen/cmd/corpusgen -out parser/testdata
package corpusgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/secondme/secondme_error_exporter/catalog"
)

// Seed and Records of the committed corpus (parser/testdata/corpus.log).
const (
	Seed    = 20261124
	Records = 12000
)

// Counts are the expected parse results of a corpus, per record.
type Counts struct {
	Lines                   int
	None, Success, Response int
	Errors                  map[string]int // "error_code code" (code 0 when the record logs none)
	Malformed               map[string]int // reason
	Responses               map[int]int    // HTTP status of Response records
}

func newCounts() Counts {
	return Counts{Errors: map[string]int{}, Malformed: map[string]int{}, Responses: map[int]int{}}
}

// Records is the number of records (a pretty-printed object is one record of several lines).
func (c Counts) Records() int {
	n := c.None + c.Success + c.Response
	for _, v := range c.Errors {
		n += v
	}
	for _, v := range c.Malformed {
		n += v
	}
	return n
}

// Golden renders counts as the sorted text of corpus.golden.
func (c Counts) Golden() string {
	var lines []string
	add := func(format string, a ...any) { lines = append(lines, fmt.Sprintf(format, a...)) }
	for k, v := range c.Errors {
		add("error %s %d", k, v)
	}
	for k, v := range c.Malformed {
		add("malformed %s %d", k, v)
	}
	for k, v := range c.Responses {
		add("response %d %d", k, v)
	}
	sort.Strings(lines)
	head := fmt.Sprintf("lines %d\nrecords %d\nnone %d\nsuccess %d\nresponses %d\n",
		c.Lines, c.Records(), c.None, c.Success, c.Response)
	return head + strings.Join(lines, "\n") + "\n"
}

// gen holds the generator's state.
type gen struct {
	r     *rand.Rand
	w     *bufio.Writer
	c     Counts
	codes []*catalog.Entry
	t     int64 // fake clock, milliseconds
}

// Generate writes records records to w and returns what a correct parser finds in them.
func Generate(w io.Writer, seed uint64, records int) (Counts, error) {
	g := &gen{
		r:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		w:     bufio.NewWriter(w),
		c:     newCounts(),
		codes: catalog.Default().Entries(),
		t:     1795514400000, // 2026-11-24T10:00:00Z
	}
	for range records {
		g.t += int64(g.r.IntN(900) + 1)
		g.record()
	}
	return g.c, g.w.Flush()
}

// record writes one record of a shape chosen by weight.
func (g *gen) record() {
	x := g.r.IntN(1000)
	switch {
	case x < 50: // 5 % errors
		g.errorRecord()
	case x < 55: // 0.5 % malformed
		g.malformedRecord()
	case x < 95:
		g.successRecord()
	case x < 200:
		g.responseRecord()
	default:
		g.noiseRecord()
	}
}

func (g *gen) line(s string) {
	g.w.WriteString(s)
	if g.r.IntN(50) == 0 {
		g.w.WriteString("\r") // some writers use CRLF
	}
	g.w.WriteString("\n")
	g.c.Lines++
}

// expectError counts an error record: code is the HTTP status the record logs, 0 if none.
func (g *gen) expectError(code string, logged int) {
	g.c.Errors[fmt.Sprintf("%s %d", code, logged)]++
}

// pickError draws an error: mostly catalog codes, sometimes a code of a newer API
// release, and sometimes a gateway status that differs from the catalog.
func (g *gen) pickError() (code string, status int, msg string) {
	if g.r.IntN(20) == 0 {
		unknown := []struct {
			c string
			s int
		}{{"secondme.voice.unavailable", 503}, {"oauth2.device_code.expired", 400}, {"secondme.memory.quota_exceeded", 429}}
		u := unknown[g.r.IntN(len(unknown))]
		return u.c, u.s, "new error"
	}
	// Weighted toward the codes real clients see most.
	var e *catalog.Entry
	switch g.r.IntN(10) {
	case 0, 1, 2:
		e, _ = catalog.Default().Lookup("oauth2.token.expired")
	case 3:
		e, _ = catalog.Default().Lookup("secondme.stream.error")
	default:
		e = g.codes[g.r.IntN(len(g.codes))]
	}
	status = e.Status
	if e.Code == "oauth2.refresh_token.invalid" && g.r.IntN(2) == 0 {
		status = 401 // gateways disagree with the reference: a status mismatch
	}
	return e.Code, status, e.Description
}

func (g *gen) ts() string {
	ms := g.t % 1000
	s := g.t / 1000
	sec := s % 60
	min := (s / 60) % 60
	hour := (s / 3600) % 24
	return fmt.Sprintf("2026-11-24T%02d:%02d:%02d.%03dZ", hour, min, sec, ms)
}

func (g *gen) tsSpace() string { return strings.Replace(strings.TrimSuffix(g.ts(), "Z"), "T", " ", 1) }

func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g *gen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g *gen) path() string {
	return g.pick("/api/secondme/chat/stream", "/api/secondme/user/info", "/api/oauth/token/refresh",
		"/api/oauth/token/code", "/api/secondme/session/list", "/api/secondme/note/add",
		"/api/secondme/user/shades", "/api/secondme/act/stream") + g.pick("", "?session_id="+g.hex(8), "")
}

func (g *gen) ip() string {
	return fmt.Sprintf("10.%d.%d.%d", g.r.IntN(256), g.r.IntN(256), g.r.IntN(256))
}

func (g *gen) ua() string {
	return g.pick("python-requests/2.32.3", "Go-http-client/2.0", "okhttp/4.12.0", "axios/1.7.7",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
}

// jsonEnv renders {"code":…,"message":…,"error_code":…} in one of the key orders
// and spacings real serializers produce.
func (g *gen) jsonEnv(code string, status int, msg string) string {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf(`{"code":%d,"message":%q,"error_code":%q}`, status, msg, code)
	case 1:
		return fmt.Sprintf(`{"error_code": %q, "code": %d, "message": %q}`, code, status, msg)
	case 2:
		return fmt.Sprintf(`{"code":"%d","message":%q,"error_code":%q,"request_id":"%s"}`, status, msg, code, g.hex(16))
	default:
		return fmt.Sprintf(`{"message":%q,"code":%d.0,"subCode":%q}`, msg, status, code)
	}
}

// pyRepr quotes s the way Python's repr does.
func pyRepr(s string) string {
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}

func escapeJSON(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

func (g *gen) errorRecord() {
	code, status, msg := g.pickError()
	logged := status
	switch g.r.IntN(25) {
	case 0: // 1. the whole line
		g.line(g.jsonEnv(code, status, msg))
	case 1: // 2. nested in a Go slog JSON line
		g.line(fmt.Sprintf(`{"time":"%s","level":"ERROR","source":{"function":"main.(*Client).Do","file":"/app/client.go","line":%d},"msg":"secondme call failed","err":{"response":{"status":%d,"data":%s}},"trace_id":"%s"}`,
			g.ts(), g.r.IntN(400), status, g.jsonEnv(code, status, msg), g.hex(32)))
	case 2: // 3. JSON-encoded string (zap)
		g.line(fmt.Sprintf(`{"level":"error","ts":%d.%03d,"caller":"secondme/client.go:%d","msg":"unexpected response","body":"%s","attempt":%d}`,
			g.t/1000, g.t%1000, g.r.IntN(300), escapeJSON(g.jsonEnv(code, status, msg)), g.r.IntN(3)+1))
	case 3: // 3. double encoding (docker json-file around a JSON log line)
		inner := fmt.Sprintf(`{"level":"error","msg":"api error","body":"%s"}`, escapeJSON(g.jsonEnv(code, status, msg)))
		g.line(fmt.Sprintf(`{"log":"%s\n","stream":"stderr","time":"%s"}`, escapeJSON(inner), g.ts()))
	case 4: // 4. text prefix (Spring Boot / logback)
		g.line(fmt.Sprintf(`%s ERROR 1 --- [nio-8080-exec-%d] c.s.client.SecondMeClient : API call failed: status=%d body=%s`,
			g.tsSpace(), g.r.IntN(9)+1, status, g.jsonEnv(code, status, msg)))
	case 5: // 5. SSE frame after an event line
		g.line("event: error")
		g.c.None++
		g.line("data: " + g.jsonEnv(code, status, msg))
	case 6: // 6. logfmt with attribute groups (slog text)
		g.line(fmt.Sprintf(`time=%s level=ERROR msg="secondme api error" req.method=POST req.path=%s error.code=%d error.error_code=%s error.message=%q duration=%dms`,
			g.ts(), g.path(), status, code, msg, g.r.IntN(900)))
	case 7: // 6. logrus text
		g.line(fmt.Sprintf(`time="%s" level=error msg="request failed" code=%d error_code="%s" user_id=%d retry=false`,
			g.ts(), status, code, g.r.IntN(100000)))
	case 8: // 7. pretty-printed JSON over several lines
		g.line(fmt.Sprintf("%s ERROR client: failed body={", g.tsSpace()))
		g.line(fmt.Sprintf(`  "code": %d,`, status))
		g.line(fmt.Sprintf(`  "message": %q,`, msg))
		g.line(fmt.Sprintf(`  "error_code": %q`, code))
		g.line("}")
	case 9: // 8. Python logging with a repr dict
		g.line(fmt.Sprintf(`%s,%03d ERROR [secondme.client] request failed: {'code': %d, 'message': %s, 'error_code': '%s', 'retryable': %s, 'data': None}`,
			g.tsSpace()[:19], g.t%1000, status, pyRepr(msg), code, g.pick("True", "False")))
	case 10: // 9. nginx JSON access log with the error header
		g.line(fmt.Sprintf(`{"time_local":"%s","remote_addr":"%s","request":"POST %s HTTP/1.1","status":%d,"body_bytes_sent":%d,"request_time":0.%03d,"upstream_http_x_error_code":"%s","http_user_agent":"%s"}`,
			g.ts(), g.ip(), g.path(), status, g.r.IntN(500)+50, g.r.IntN(1000), code, g.ua()))
	case 11: // 9. Kong: status and header in nested objects
		g.line(fmt.Sprintf(`{"request":{"method":"POST","uri":"%s","size":%d},"response":{"status":%d,"headers":{"content-type":"application/json","x-error-code":"%s"},"size":%d},"latencies":{"request":%d},"client_ip":"%s"}`,
			g.path(), g.r.IntN(900)+100, status, code, g.r.IntN(900)+100, g.r.IntN(300), g.ip()))
	case 12: // 9. nginx combined text with error_code appended
		g.line(fmt.Sprintf(`%s - - [24/Nov/2026:10:%02d:%02d +0000] "POST %s HTTP/1.1" %d %d "-" "%s" error_code=%s`,
			g.ip(), g.r.IntN(60), g.r.IntN(60), g.path(), status, g.r.IntN(500)+50, g.ua(), code))
	case 13: // 9. Envoy JSON access log
		g.line(fmt.Sprintf(`{"start_time":"%s","method":"POST","path":"%s","protocol":"HTTP/1.1","response_code":%d,"response_flags":"-","bytes_sent":%d,"duration":%d,"x_error_code":"%s","upstream_host":"%s:443"}`,
			g.ts(), g.path(), status, g.r.IntN(900), g.r.IntN(300), code, g.ip()))
	case 14: // Node pino + axios error
		g.line(fmt.Sprintf(`{"level":50,"time":%d,"pid":%d,"hostname":"api-%s","err":{"type":"AxiosError","message":"Request failed with status code %d","response":{"status":%d,"data":%s}},"msg":"secondme call failed"}`,
			g.t, g.r.IntN(90)+10, g.hex(5), status, status, g.jsonEnv(code, status, msg)))
	case 15: // Java toString
		g.line(fmt.Sprintf(`%s WARN  [pool-2-thread-%d] SecondMeClient - retrying after ApiError{code=%d, message='%s', errorCode='%s'}`,
			g.tsSpace(), g.r.IntN(8)+1, status, msg, code))
	case 16: // error_code alone: the status comes from the catalog
		logged = 0
		g.line(fmt.Sprintf(`{"time":"%s","level":"warn","msg":"token refresh scheduled","error_code":"%s","user":"u_%s"}`,
			g.ts(), code, g.hex(6)))
	case 17: // ANSI-coloured console prefix
		g.line(fmt.Sprintf("\x1b[2m%s\x1b[0m \x1b[31mERROR\x1b[0m \x1b[36mclient\x1b[0m %s", g.ts(), g.jsonEnv(code, status, msg)))
	case 19: // 9. Envoy text access log with the error header as a quoted positional field
		g.line(fmt.Sprintf(`[%s] "POST %s HTTP/1.1" %d - %d %d %d %d "%s" "%s" "%s" "api.secondme.io" "%s:443" "%s"`,
			g.ts(), g.path(), status, g.r.IntN(900), g.r.IntN(900), g.r.IntN(300), g.r.IntN(300), g.ip(), g.ua(), g.hex(16), g.ip(), code))
	case 20: // 9. Caddy JSON access log: headers are arrays
		g.line(fmt.Sprintf(`{"level":"info","ts":%d.%03d,"logger":"http.log.access","msg":"handled request","request":{"method":"POST","uri":"%s"},"status":%d,"resp_headers":{"Content-Type":["application/json"],"X-Error-Code":["%s"]}}`,
			g.t/1000, g.t%1000, g.path(), status, code))
	case 21: // 9. HAProxy httplog: status before the request line, error header captured
		g.line(fmt.Sprintf(`%s lb1 haproxy[%d]: %s:%d [24/Nov/2026:10:%02d:%02d.%03d] fe_api~ be_api/srv%d 0/0/%d/%d/%d %d %d - - ---- %d/%d/0/0/0 0/0 {api.secondme.io|%s} {%s|application/json} "POST %s HTTP/1.1"`,
			"Nov 24 10:00:00", g.r.IntN(9000)+100, g.ip(), g.r.IntN(60000)+1024, g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000), g.r.IntN(4)+1,
			g.r.IntN(3), g.r.IntN(300), g.r.IntN(300)+300, status, g.r.IntN(900)+100, g.r.IntN(50)+1, g.r.IntN(50)+1, g.ua(), code, g.path()))
	case 22: // OpenTelemetry OTLP/JSON log record: attributes as {key, value} lists
		g.line(fmt.Sprintf(`{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"secondme-client"}}]},"scopeLogs":[{"scope":{"name":"secondme"},"logRecords":[{"timeUnixNano":"%d000000","severityText":"ERROR","body":{"stringValue":"secondme call failed"},"attributes":[{"key":"error_code","value":{"stringValue":"%s"}},{"key":"http.response.status_code","value":{"intValue":"%d"}}],"traceId":"%s"}]}]}]}`,
			g.t, code, status, g.hex(32)))
	case 23: // PHP print_r over several lines (Laravel/Monolog)
		g.line(fmt.Sprintf("[%s] production.ERROR: SecondMe API error Array", g.tsSpace()[:19]))
		g.line("(")
		g.line(fmt.Sprintf("    [code] => %d", status))
		g.line(fmt.Sprintf("    [message] => %s", msg))
		g.line(fmt.Sprintf("    [error_code] => %s", code))
		g.line(")")
	case 24: // Spring RestTemplate exception: the JSON body quoted without escaping
		g.line(fmt.Sprintf(`%s ERROR 1 --- [nio-8080-exec-%d] c.s.client.SecondMeClient : call failed: org.springframework.web.client.HttpClientErrorException: %d Unauthorized: "%s"`,
			g.tsSpace(), g.r.IntN(9)+1, status, g.jsonEnv(code, status, msg)))
	default: // Go %+v of an error struct
		g.line(fmt.Sprintf(`%s E client.go:%d] call failed: &{Code:%d Message:%s ErrorCode:%s}`,
			g.tsSpace(), g.r.IntN(300), status, strings.ReplaceAll(msg, " ", "_"), code))
	}
	g.expectError(code, logged)
}

func (g *gen) malformedRecord() {
	switch g.r.IntN(4) {
	case 0:
		g.line(fmt.Sprintf(`{"level":"error","msg":"api error","resp":{"code":401,"message":"Token expired","error_code":"OAuth2.Token.Expired"},"ts":"%s"}`, g.ts()))
		g.c.Malformed["bad_error_code"]++
	case 1:
		g.line(fmt.Sprintf(`%s ERROR client: {"code":"UNAUTHENTICATED","message":"Token expired","error_code":"oauth2.token.expired"}`, g.tsSpace()))
		g.c.Malformed["bad_code"]++
	case 2:
		full := fmt.Sprintf(`{"level":"error","ts":"%s","body":{"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}}`, g.ts())
		g.line(full[:len(full)-10-g.r.IntN(8)]) // cut inside the error_code value
		g.c.Malformed["truncated_json"]++
	default:
		depth := 130 + g.r.IntN(20)
		g.line(`{"level":"error","nested":` + strings.Repeat("[", depth) +
			`{"code":500,"error_code":"internal.error"}` + strings.Repeat("]", depth) + "}")
		g.c.Malformed["too_deep"]++
	}
}

func (g *gen) successRecord() {
	switch g.r.IntN(4) {
	case 0:
		g.line(fmt.Sprintf(`{"code":0,"message":"success","data":{"sessionId":"%s","messageCount":%d,"updatedAt":%d}}`, g.hex(24), g.r.IntN(100), g.t))
	case 1:
		g.line(fmt.Sprintf(`{"level":30,"time":%d,"msg":"secondme response","body":{"code":0,"message":"success","data":{"userId":"%s","route":"%s"}}}`,
			g.t, g.hex(12), g.path()))
	case 2:
		g.line(fmt.Sprintf(`%s,%03d DEBUG [secondme.client] response: {'code': 0, 'message': 'success', 'data': {'items': [], 'total': %d}}`,
			g.tsSpace()[:19], g.t%1000, g.r.IntN(50)))
	default:
		g.line(fmt.Sprintf(`time=%s level=DEBUG msg="api response" path=%s code=0 message=success latency=%dms`, g.ts(), g.path(), g.r.IntN(500)))
	}
	g.c.Success++
}

func (g *gen) responseRecord() {
	status := []int{200, 200, 200, 200, 200, 201, 204, 304, 404, 499, 502}[g.r.IntN(11)]
	switch g.r.IntN(6) {
	case 5:
		g.line(fmt.Sprintf(`%s lb1 haproxy[%d]: %s:%d [24/Nov/2026:10:%02d:%02d.%03d] fe_api~ be_api/srv%d 0/0/%d/%d/%d %d %d - - ---- %d/%d/0/0/0 0/0 "GET %s HTTP/1.1"`,
			"Nov 24 10:00:00", g.r.IntN(9000)+100, g.ip(), g.r.IntN(60000)+1024, g.r.IntN(60), g.r.IntN(60), g.r.IntN(1000), g.r.IntN(4)+1,
			g.r.IntN(3), g.r.IntN(300), g.r.IntN(300)+300, status, g.r.IntN(9000)+100, g.r.IntN(50)+1, g.r.IntN(50)+1, g.path()))
	case 0:
		g.line(fmt.Sprintf(`{"time_local":"%s","remote_addr":"%s","request":"GET %s HTTP/1.1","status":%d,"body_bytes_sent":%d,"request_time":0.%03d,"upstream_http_x_error_code":"-","http_user_agent":"%s"}`,
			g.ts(), g.ip(), g.path(), status, g.r.IntN(5000), g.r.IntN(1000), g.ua()))
	case 1:
		g.line(fmt.Sprintf(`%s - - [24/Nov/2026:10:%02d:%02d +0000] "GET %s HTTP/1.1" %d %d "-" "%s"`,
			g.ip(), g.r.IntN(60), g.r.IntN(60), g.path(), status, g.r.IntN(5000), g.ua()))
	case 2:
		g.line(fmt.Sprintf(`[%s] "POST %s HTTP/2" %d - %d %d %d %d "%s" "%s" "%s" "api.secondme.io" "%s:443"`,
			g.ts(), g.path(), status, g.r.IntN(900), g.r.IntN(9000), g.r.IntN(300), g.r.IntN(300), g.ip(), g.ua(), g.hex(16), g.ip()))
	case 3:
		g.line(fmt.Sprintf(`{"request":{"method":"GET","uri":"%s","size":%d},"response":{"status":%d,"headers":{"content-type":"application/json"},"size":%d},"latencies":{"request":%d},"client_ip":"%s"}`,
			g.path(), g.r.IntN(900)+100, status, g.r.IntN(9000), g.r.IntN(300), g.ip()))
	default:
		g.line(fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"http request","method":"GET","path":"%s","status":%d,"duration_ms":%d,"request_id":"%s"}`,
			g.ts(), g.path(), status, g.r.IntN(900), g.hex(16)))
	}
	g.c.Response++
	g.c.Responses[status]++
}

// noiseRecord writes a line without an envelope, a fifth of them decoys that
// share words and keys with envelopes.
func (g *gen) noiseRecord() {
	switch g.r.IntN(20) {
	case 0:
		g.line(fmt.Sprintf(`{"level":"debug","ts":"%s","msg":"decode payload","codec":"gzip","encoded_len":%d,"node":"worker-%d","mode":"stream"}`, g.ts(), g.r.IntN(9000), g.r.IntN(9)))
	case 1:
		g.line(fmt.Sprintf(`{"level":"info","ts":"%s","msg":"validation failed","code":"ABC","field":"nickname","status":"rejected"}`, g.ts()))
	case 2:
		g.line(fmt.Sprintf(`%s WARN  [worker] retry policy: refresh the token when error_code == "oauth2.token.expired" (attempt %d)`, g.tsSpace(), g.r.IntN(5)))
	case 3:
		g.line(fmt.Sprintf("\tat com.secondme.client.internal.http.ErrorDecoder.decode(ErrorDecoder.java:%d) ~[secondme-client-1.%d.%d.jar:1.%d.%d]", g.r.IntN(200), g.r.IntN(9), g.r.IntN(20), g.r.IntN(9), g.r.IntN(20)))
	case 4:
		g.line(fmt.Sprintf(`time=%s level=INFO msg="usage: filter with error_code= and code=" component=cli`, g.ts()))
	case 5:
		g.line(fmt.Sprintf(`time=%s level=WARN msg="child process exited" cmd="/usr/bin/ffmpeg -i pipe:0" code=%d pid=%d restarts=%d`, g.ts(), g.r.IntN(3)+1, g.r.IntN(30000), g.r.IntN(5)))
	case 6:
		g.line(fmt.Sprintf(`%s DEBUG sql: SELECT id, error_code, status FROM api_errors WHERE code = %d LIMIT %d`, g.tsSpace(), 401, g.r.IntN(100)))
	case 7:
		g.line(fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"request handled","method":"GET","path":"%s","latency_ms":%d,"status":"ok"}`, g.ts(), g.path(), g.r.IntN(300)))
	case 8, 9, 10:
		g.line(fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"%s","user_id":"u_%s","session":"%s","elapsed":"%dms"}`,
			g.ts(), g.pick("chat message stored", "session opened", "memory synced", "shades refreshed", "cache warmed"), g.hex(8), g.hex(16), g.r.IntN(900)))
	case 11, 12:
		g.line(fmt.Sprintf(`%s INFO 1 --- [           main] c.s.app.%s : %s in %d.%03d seconds (process running for %d.%d)`,
			g.tsSpace(), g.pick("Application", "SessionService", "NoteService"), g.pick("Started Application", "Loaded 12 notes", "Flushed buffers"), g.r.IntN(9), g.r.IntN(1000), g.r.IntN(20), g.r.IntN(10)))
	case 13, 14:
		g.line(fmt.Sprintf(`%s,%03d INFO [secondme.worker] processed %d items for user u_%s in %.3fs; queue depth %d, next poll in %ds`,
			g.tsSpace()[:19], g.t%1000, g.r.IntN(90), g.hex(8), g.r.Float64(), g.r.IntN(40), g.r.IntN(30)))
	case 15:
		g.line(fmt.Sprintf(`time="%s" level=info msg="streaming chunk" session=%s chunk=%d bytes=%d model=secondme-%s`,
			g.ts(), g.hex(12), g.r.IntN(200), g.r.IntN(4000), g.pick("lite", "pro")))
	case 16:
		g.line(fmt.Sprintf(`{"level":30,"time":%d,"pid":%d,"hostname":"web-%s","req":{"id":%d,"method":"GET","url":"%s"},"msg":"incoming request"}`,
			g.t, g.r.IntN(90)+10, g.hex(5), g.r.IntN(99999), g.path()))
	case 17:
		g.line(fmt.Sprintf(`%s - - [24/Nov/2026:10:%02d:%02d +0000] "GET /static/app.%s.js" 200 %d "https://app.secondme.io/" "%s"`, g.ip(), g.r.IntN(60), g.r.IntN(60), g.hex(8), g.r.IntN(90000), g.ua()))
	case 18:
		g.line(fmt.Sprintf(`%s DEBUG [sse-reader-%d] c.s.client.StreamReader : comment frame ": keep-alive %s" ignored, %d frames so far`, g.tsSpace(), g.r.IntN(8), g.hex(8), g.r.IntN(500)))
	default:
		g.line(fmt.Sprintf(`%s DEBUG [http-nio] o.a.coyote.http11.Http11Processor : Socket [%s] closed; unicode ok: naïve café 日本語 %s`, g.tsSpace(), g.hex(12), g.hex(6)))
	}
	g.c.None++
}
