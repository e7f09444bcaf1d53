package parser

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/secondme/secondme_error_exporter/catalog"
)

func errEnv(code string, status int) Envelope {
	return Envelope{Kind: Error, ErrorCode: code, Code: status}
}

func bad(reason MalformedReason, status int) Envelope {
	return Envelope{Kind: Malformed, Reason: reason, Code: status}
}

var (
	success  = Envelope{Kind: Success}
	none     = Envelope{}
	response = func(status int) Envelope { return Envelope{Kind: Response, Code: status} }
)

// shapes: every place real loggers put an envelope (the README's list), each
// with the envelope the parser must report.
var shapes = map[string]struct {
	in   string
	want Envelope
}{
	// 1. the whole line
	"whole line":                            {`{"code":401,"message":"Token expired","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"whole line, keys reordered, spaces":    {`{ "error_code" : "oauth2.token.expired" , "message" : "x" , "code" : 401 }`, errEnv("oauth2.token.expired", 401)},
	"subCode":                               {`{"code":403,"subCode":"apikey.permission.denied","message":"x"}`, errEnv("apikey.permission.denied", 403)},
	"sub_code":                              {`{"code":403,"sub_code":"apikey.permission.denied"}`, errEnv("apikey.permission.denied", 403)},
	"code as string":                        {`{"code":"401","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"code as float":                         {`{"code":401.0,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"code as padded string":                 {`{"code":" 401 ","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"business code":                         {`{"code":40101,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 40101)},
	"business code and status":              {`{"status":401,"code":40101,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"negative code":                         {`{"code":-1,"error_code":"internal.error"}`, errEnv("internal.error", -1)},
	"code null":                             {`{"code":null,"error_code":"internal.error"}`, errEnv("internal.error", 0)},
	"code without a value":                  {`{"code":,"message":"内部服务器错误","error_code":"internal.error"}`, errEnv("internal.error", 0)},
	"error code padded with blanks":         {`resp: {"code":401,"message":"令牌已被撤销","error_code":"oauth2.token.revoked          "}`, bad(ReasonBadErrorCode, 401)},
	"bare error code between blanks":        {`code=401  error_code=oauth2.token.revoked   msg=x`, errEnv("oauth2.token.revoked", 401)},
	"numeric error code padded":             {`{"code":401,"message":"x","error_code":" 40101 "}`, bad(ReasonBadErrorCode, 401)},
	"blank error code of blanks":            {`{"code":500,"message":"x","error_code":"   "}`, bad(ReasonBadErrorCode, 500)},
	"unknown code":                          {`{"code":503,"error_code":"secondme.voice.unavailable"}`, errEnv("secondme.voice.unavailable", 503)},
	"four segments":                         {`{"code":401,"error_code":"partner.webhook.sig.invalid"}`, errEnv("partner.webhook.sig.invalid", 401)},
	"error_code alone":                      {`{"level":"warn","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 0)},
	"unicode escape in value":               {`{"code":401,"error_code":"oauth2\u002etoken.expired"}`, errEnv("oauth2.token.expired", 401)},
	"BOM":                                   {"\xEF\xBB\xBF" + `{"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"CRLF":                                  {`{"code":401,"error_code":"oauth2.token.expired"}` + "\r", errEnv("oauth2.token.expired", 401)},
	"mismatch kept as logged":               {`{"code":401,"error_code":"oauth2.refresh_token.invalid"}`, errEnv("oauth2.refresh_token.invalid", 401)},
	"success":                               {`{"code":0,"message":"success","data":{}}`, success},
	"success code string":                   {`{"code":"0","message":"success","data":null}`, success},
	"success data only":                     {`{"data":{"id":1},"code":0}`, success},
	"success message ok":                    {`{"code":0,"message":"ok"}`, success},
	"winston exit code":                     {`{"level":"info","message":"child exited","code":0}`, none},
	"go resp.Status":                        {`{"status":"401 Unauthorized","method":"GET","url":"/x","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"prose full stop":                       {`client: request failed with error_code=oauth2.token.expired.`, errEnv("oauth2.token.expired", 0)},
	"an empty last segment is no full stop": {`level=WARN msg="upstream rejected" error_code=apikey.auth. code=401`, bad(ReasonBadErrorCode, 401)},

	// 2. nested at any depth
	"nested slog":     {`{"time":"t","level":"ERROR","msg":"failed","err":{"response":{"data":{"code":401,"message":"x","error_code":"oauth2.token.expired"}}}}`, errEnv("oauth2.token.expired", 401)},
	"nested in array": {`{"errors":[{"code":400,"error_code":"invalid.param"}]}`, errEnv("invalid.param", 400)},
	"nested pino axios": {`{"level":50,"err":{"type":"AxiosError","response":{"status":401,"data":{"code":401,"error_code":"oauth2.token.expired"}}},"msg":"x"}`,
		errEnv("oauth2.token.expired", 401)},
	"nested success": {`{"level":30,"msg":"response","body":{"code":0,"message":"success","data":{"x":1}}}`, success},

	// 3. JSON-encoded strings, double encoding
	"string":          {`{"level":"error","body":"{\"code\":403,\"message\":\"x\",\"error_code\":\"apikey.permission.denied\"}"}`, errEnv("apikey.permission.denied", 403)},
	"double encoding": {`{"log":"{\"level\":\"error\",\"body\":\"{\\\"code\\\":500,\\\"error_code\\\":\\\"internal.error\\\"}\"}\n","stream":"stderr"}`, errEnv("internal.error", 500)},
	"string with unicode escapes": {`{"body":"{\u0022code\u0022:401,\u0022error_code\u0022:\u0022oauth2.token.expired\u0022}"}`,
		errEnv("oauth2.token.expired", 401)},
	"string pretty-printed": {`{"body":"{\n  \"code\": 401,\n  \"error_code\": \"oauth2.token.expired\"\n}"}`, errEnv("oauth2.token.expired", 401)},
	"logfmt inside a JSON string": {`{"level":"error","msg":"call failed","error":"api error: code=401 error_code=oauth2.token.expired"}`,
		errEnv("oauth2.token.expired", 401)},
	"python repr inside JSON string": {`{"msg":"resp={'code': 404, 'error_code': 'secondme.session.not_found'}"}`, errEnv("secondme.session.not_found", 404)},

	// 4. text prefixes
	"logback":                           {`2026-11-24 10:00:00.123 ERROR 1 --- [nio-8080-exec-1] c.s.client.SecondMeClient : failed: status=401 body={"code":401,"message":"x","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"python prefix":                     {`2026-11-24 10:00:00,123 ERROR client: failed body={"code":404,"error_code":"secondme.session.not_found"}`, errEnv("secondme.session.not_found", 404)},
	"zap console":                       {"2026-11-24T10:00:00.000Z\tERROR\tclient/client.go:42\tapi error\t{\"code\": 401, \"error_code\": \"oauth2.token.expired\"}", errEnv("oauth2.token.expired", 401)},
	"ansi coloured keys":                {"\x1b[31mERRO\x1b[0m[0042] request failed \x1b[31mcode\x1b[0m=400 \x1b[31merror_code\x1b[0m=secondme.user.invalid_id \x1b[31muser_id\x1b[0m=abc", errEnv("secondme.user.invalid_id", 400)},
	"ansi awesome_print":                {"{\x1b[0;33m\"code\"\x1b[0m => \x1b[1;34m403\x1b[0m, \x1b[0;33m\"error_code\"\x1b[0m => \x1b[0;33m\"oauth2.application.rejected\"\x1b[0m}", errEnv("oauth2.application.rejected", 403)},
	"ansi jq colour output":             {"\x1b[1;39m{\x1b[0m\x1b[34;1m\"code\"\x1b[0m\x1b[1;39m:\x1b[0;39m401\x1b[0m\x1b[1;39m,\x1b[0m\x1b[34;1m\"error_code\"\x1b[0m\x1b[1;39m:\x1b[0;32m\"oauth2.token.expired\"\x1b[0m\x1b[1;39m\x1b[1;39m}\x1b[0m", errEnv("oauth2.token.expired", 401)},
	"werkzeug's coloured request line":  {"127.0.0.1 - - [24/Nov/2026 10:03:05] \"\x1b[31m\x1b[1mPOST /api/bookings HTTP/1.1\x1b[0m\" 401 -", response(401)},
	"ansi coloured access status":       {"10.0.0.1 - - [24/Nov/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" \x1b[33m401\x1b[0m 12", response(401)},
	"ansi coloured logfmt values":       {"level=error code=\x1b[1m401\x1b[0m error_code=\x1b[1moauth2.token.expired\x1b[0m", errEnv("oauth2.token.expired", 401)},
	"ansi colours":                      {"\x1b[2m2026-11-24T10:00:00Z\x1b[0m \x1b[31mERROR\x1b[0m client: {\"code\":500,\"error_code\":\"internal.error\"}", errEnv("internal.error", 500)},
	"cri prefix":                        {`2026-11-24T10:00:00.123456789Z stderr F {"code":503,"error_code":"connection.error"}`, errEnv("connection.error", 503)},
	"html entities in a page":           {`<pre>{&quot;code&quot;:401,&quot;message&quot;:&quot;令牌已过期&quot;,&quot;error_code&quot;:&quot;oauth2.token.expired&quot;}</pre>`, errEnv("oauth2.token.expired", 401)},
	"xml numeric entities":              {`<Data Name="Body">{&#34;code&#34;:403,&#34;subCode&#34;:&#x22;oauth2.scope.insufficient&#x22;}</Data>`, errEnv("oauth2.scope.insufficient", 403)},
	"html entities python dict":         {`<td>{&#39;code&#39;: 0, &#39;message&#39;: &#39;success&#39;, &#39;data&#39;: {}}</td>`, success},
	"html entities in an xml attribute": {`<output name="Response" value="{&quot;code&quot;:404,&quot;error_code&quot;:&quot;secondme.session.not_found&quot;}" />`, errEnv("secondme.session.not_found", 404)},
	"html entities, no envelope":        {`<set-variable value="@(Headers.GetValueOrDefault(&quot;x-error-code&quot;,&quot;&quot;))" /> status&quot; code&amp;`, none},
	"html entities decoded once":        {`<pre>{&amp;quot;code&amp;quot;:401,&amp;quot;error_code&amp;quot;:&amp;quot;oauth2.token.expired&amp;quot;}</pre>`, none},
	"squid native access log":           {`1795486380.244    187 10.20.7.15 TCP_MISS/401 512 POST https://api.secondme.io/api/secondme/chat - HIER_DIRECT/203.0.113.10 application/json`, response(401)},
	"squid with an error code field":    {`1795486402.017     45 10.20.7.15 TCP_MISS/403 131 GET https://api.secondme.io/api/secondme/session/list - HIER_DIRECT/203.0.113.10 application/json api.secondme.io oauth2.scope.insufficient`, errEnv("oauth2.scope.insufficient", 403)},
	"squid connect tunnel":              {`1795486381.901  30012 10.20.7.15 TCP_TUNNEL/200 48211 CONNECT api.secondme.io:443 - HIER_DIRECT/203.0.113.10 -`, none},
	"squid request never answered":      {`1795486383.100      0 10.20.7.15 TCP_MISS_ABORTED/000 0 POST https://api.secondme.io/api/secondme/chat - HIER_NONE/- -`, none},
	"squid probe":                       {`1795486384.100      3 10.20.7.15 TCP_MISS/200 90 GET http://10.0.0.5:8080/healthz - HIER_DIRECT/10.0.0.5 text/plain`, none},
	"epoch-stamped text, no squid":      {`1795486385.100 INFO worker TCP_MISS/401 512 POST https://api.secondme.io/x - HIER_DIRECT/1.2.3.4 -`, none},
	"tencent api gateway":               {`[1258344699][release][service-k2j3h4l5][service-k2j3h4l5-1258344699.gz.apigw.tencentcs.com][api-9ab7c6d5][/api/secondme/chat][https][rsp_st:401][ups_st:401][cip:203.0.113.88][uip:10.0.1.20:8080][err_msg:][req_id:71c0a2f4]`, response(401)},
	"tencent api gateway probe":         {`[1258344699][release][service-k2j3h4l5][host][api-9ab7c6d5][/healthz][https][rsp_st:200][ups_st:200]`, none},
	"tencent-like brackets, no status":  {`[1258344699][release][a][b][c][/x][https][ups_st:401][rsp_st:401]`, none},
	"oauth2-proxy request log":          {`10.4.2.17 - 3c1f0a9e-5b6d - alice@example.com [2026/11/24 11:10:02] api.example.com GET app.mindos.com "/gate/lab/api/secondme/user/info" HTTP/1.1 "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)" 401 512 0.034`, response(401)},
	"oauth2-proxy over ipv6, a probe":   {`[::1]:53104 - 2a9b - - [2026/11/24 12:20:03] api.example.com GET - "/ping" HTTP/1.1 "kube-probe/1.29" 200 2 0.001`, none},
	"oauth2-proxy-like, no size":        {`10.4.2.17 - - [2026/11/24 11:10:02] GET "/x" HTTP/1.1 "curl/8.0" 401 -`, none},
	"brace in prefix":                   {`[worker{1}] {main failed: {"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"text success":                      {`2026-11-24 DEBUG response: {"code":0,"message":"success","data":{"items":[]}}`, success},

	"loguru":      {`2026-11-24 10:00:00.123 | ERROR    | client:call:42 - SecondMe error {"code": 500, "message": "服务内部错误", "error_code": "internal.error"}`, errEnv("internal.error", 500)},
	"ruby logger": {`E, [2026-11-24T10:00:00.123456 #1234] ERROR -- : SecondMe API error: {"code"=>401, "message"=>"x", "error_code"=>"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"gelf":        {`{"version":"1.1","host":"h","short_message":"api error","_error_code":"oauth2.token.expired","_code":401,"level":3}`, errEnv("oauth2.token.expired", 401)},
	"journald json": {`{"__REALTIME_TIMESTAMP":"1795515619705000","MESSAGE":"secondme error {\"code\":502,\"error_code\":\"connection.error\"}","_SYSTEMD_UNIT":"client.service"}`,
		errEnv("connection.error", 502)},
	// journalctl -o json writes a message with colour codes or CR LF as its bytes.
	"journald byte-array message": {journalExport("\x1b[31mERROR\x1b[0m upstream {\"code\":500,\"error_code\":\"secondme.context.build_failed\"}", false),
		errEnv("secondme.context.build_failed", 500)},
	"journald byte-array message, CR LF body": {journalExport("SecondMe error: {\r\n  \"code\": 503,\r\n  \"error_code\": \"connection.error\"\r\n}", false),
		errEnv("connection.error", 503)},
	"journald json-pretty byte-array message": {journalExport("\x1b[31mERROR\x1b[0m giving up \x1b[36mcode\x1b[0m=400 \x1b[36merror_code\x1b[0m=oauth2.refresh_token.invalid", true),
		errEnv("oauth2.refresh_token.invalid", 400)},
	"journald byte-array message, code alone": {journalExport("\x1b[31mERRO\x1b[0m api error \x1b[31mcode\x1b[0m=401", false), none},
	"journald byte array out of range":        {`{"__CURSOR":"s=1","MESSAGE":[27,256,123,34,99,111,100,101,34,58,52,48,49,44,34,101,114,114,111,114,95,99,111,100,101,34,58,34,97,46,98,34,125]}`, none},
	"journald byte array cut":                 {`{"__CURSOR":"s=1","MESSAGE":[123,34,99,111,100,101,34,58,52,48,49,44,34,101,114,114,111,114,95,99,111,100,101,34,58,34,97,46,98,34,125`, none},
	// Only a journal export's MESSAGE (its first key "__…"): another record's
	// array of numbers is numbers, whatever else the record holds.
	"byte array outside a journal export": {`{"level":"info","MESSAGE":[123,34,99,111,100,101,34,58,52,48,49,44,34,101,114,114,111,114,95,99,111,100,101,34,58,34,97,46,98,34,125]}`, none},
	"byte array beside a code key":        {`{"msg":"code=1","MESSAGE":[123,34,99,111,100,101,34,58,52,48,49,44,34,101,114,114,111,114,95,99,111,100,101,34,58,34,97,46,98,34,125]}`, none},

	// 5. SSE
	"sse data":         {`data: {"code":500,"message":"stream failed","error_code":"secondme.stream.error"}`, errEnv("secondme.stream.error", 500)},
	"sse data nospace": {`data:{"code":500,"error_code":"secondme.stream.error"}`, errEnv("secondme.stream.error", 500)},
	"sse event line":   {`event: error`, none},

	// 6. logfmt / key=value
	"logfmt":                 {`level=error msg="api error" error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	"logfmt quoted":          {`time="2026-11-24T10:00:00Z" level=error msg="request failed" code="401" error_code="oauth2.token.expired"`, errEnv("oauth2.token.expired", 401)},
	"logfmt groups":          {`time=2026 level=ERROR msg="x" req.code=200 error.error_code=oauth2.token.revoked error.code=401`, errEnv("oauth2.token.revoked", 401)},
	"logfmt groups reversed": {`level=ERROR error.code=401 error.error_code=oauth2.token.revoked req.code=200`, errEnv("oauth2.token.revoked", 401)},
	"logfmt success":         {`time=2026 level=DEBUG msg="api response" code=0 message=success latency=12ms`, success},
	"key = value":            {`ERROR code = 401, error_code = oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"query string":           {`redirect to /callback?error_code=oauth2.code.expired&code=400&state=xyz`, errEnv("oauth2.code.expired", 400)},
	"yaml-ish":               {`error_code: oauth2.token.expired code: 401`, errEnv("oauth2.token.expired", 401)},

	// 8. Python and other languages' dumps
	"python dict": {`2026-11-24 10:00:00,123 ERROR [secondme] {'code': 401, 'message': 'Token expired', 'error_code': 'oauth2.token.expired', 'retry': False, 'data': None}`,
		errEnv("oauth2.token.expired", 401)},
	"python dict u-strings":    {`{u'code': 401, u'error_code': u'oauth2.token.expired', u'ok': True}`, errEnv("oauth2.token.expired", 401)},
	"python dict double quote": {`{'code': 401.0, 'message': "Can't refresh", 'error_code': 'oauth2.token.expired'}`, errEnv("oauth2.token.expired", 401)},
	"python success":           {`{'code': 0, 'message': 'success', 'data': {'items': []}}`, success},
	"java toString":            {`ApiError{code=401, message='Token expired', errorCode='oauth2.token.expired'}`, errEnv("oauth2.token.expired", 401)},
	"kotlin data class":        {`ApiError(code=401, message=Token expired, errorCode=oauth2.token.expired)`, errEnv("oauth2.token.expired", 401)},
	"go %+v":                   {`call failed: &{Code:401 Message:Token expired ErrorCode:oauth2.token.expired}`, errEnv("oauth2.token.expired", 401)},
	"go map":                   {`resp=map[code:401 error_code:oauth2.token.expired message:x]`, errEnv("oauth2.token.expired", 401)},
	"node inspect":             {`{ code: 401, message: 'Token expired', error_code: 'oauth2.token.expired' }`, errEnv("oauth2.token.expired", 401)},
	"ruby hash":                {`{"code"=>401, "error_code"=>"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},

	// 9. gateways
	"nginx json": {`{"time":"t","status":401,"method":"GET","uri":"/api/x","upstream_http_x_error_code":"oauth2.token.invalid"}`, errEnv("oauth2.token.invalid", 401)},
	"nginx json status string": {`{"status":"401","request":"GET /x HTTP/1.1","sent_http_x_secondme_error_code":"oauth2.token.invalid"}`,
		errEnv("oauth2.token.invalid", 401)},
	"nginx json no error":    {`{"time":"t","status":200,"request":"GET /x HTTP/1.1","upstream_http_x_error_code":"-"}`, response(200)},
	"nginx json empty error": {`{"status":404,"method":"GET","path":"/x","x_error_code":""}`, response(404)},
	"kong nested": {`{"request":{"method":"GET","uri":"/x"},"response":{"status":401,"headers":{"x-error-code":"oauth2.token.expired"}}}`,
		errEnv("oauth2.token.expired", 401)},
	"kong no error": {`{"request":{"method":"GET","uri":"/x"},"response":{"status":204,"headers":{}}}`, response(204)},
	"envoy json":    {`{"method":"POST","path":"/api","response_code":503,"x_error_code":"connection.error"}`, errEnv("connection.error", 503)},
	"traefik json":  {`{"RequestMethod":"GET","RequestPath":"/x","DownstreamStatus":403,"downstream_X-Error-Code":"apikey.permission.denied"}`, errEnv("apikey.permission.denied", 403)},
	"ecs unrelated objects": {`{"http":{"request":{"method":"POST"},"response":{"status_code":401}},"url":{"path":"/x"},"secondme":{"error_code":"oauth2.token.expired"}}`,
		errEnv("oauth2.token.expired", 401)},
	"resp_header": {`status=401 method=GET uri=/x resp_header.error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"cloudflare logpush": {`{"ClientRequestHost":"api.secondme.io","ClientRequestMethod":"POST","ClientRequestURI":"/api/secondme/chat/stream","EdgeResponseStatus":401,"OriginResponseStatus":401,"ResponseHeaders":{"x-error-code":"oauth2.token.expired"}}`,
		errEnv("oauth2.token.expired", 401)},
	"cloudflare no error": {`{"ClientRequestMethod":"GET","ClientRequestPath":"/api/x","EdgeResponseStatus":200,"OriginResponseStatus":200}`, response(200)},
	"cloudfront as json": {`{"date":"2026-11-24","x-edge-location":"SIN2-P3","c-ip":"203.0.113.91","cs-method":"GET","cs-uri-stem":"/api/secondme/user/info","sc-status":"403","x-edge-result-type":"Error"}`,
		response(403)},
	"akamai datastream": {`{"reqMethod":"GET","reqPath":"/api/x","statusCode":"502","reqHost":"api.secondme.io"}`, response(502)},
	"aws alb as json":   {`{"type":"https","elb_status_code":401,"target_status_code":401,"request":"POST https://api.secondme.io:443/api/x HTTP/1.1","error_code":"oauth2.token.invalid"}`, errEnv("oauth2.token.invalid", 401)},
	"gcp load balancer": {`{"httpRequest":{"requestMethod":"GET","requestUrl":"https://api.secondme.io/api/x","status":401,"latency":"0.012s"},"jsonPayload":{"statusDetails":"response_sent_by_backend"},"severity":"WARNING"}`,
		response(401)},
	"aws api gateway": {`{"requestId":"abc","ip":"1.2.3.4","httpMethod":"POST","resourcePath":"/api/x","status":"429","protocol":"HTTP/1.1","responseLength":"85"}`, response(429)},
	"istio default text": {`[2026-11-24T10:00:00.000Z] "POST /api/secondme/chat/stream HTTP/1.1" 401 - via_upstream - "-" 120 85 12 11 "-" "python-httpx/0.27.0" "abc-123" "api.secondme.io" "10.0.0.2:443" outbound|443||api.secondme.io 10.0.0.3:51000 10.0.0.2:443 10.0.0.3:50000 - default`,
		response(401)},
	"errorCode header": {`{"status_code":400,"path":"/x","errorCode":"invalid.param"}`, errEnv("invalid.param", 400)},
	"caddy header array": {`{"logger":"http.log.access","request":{"method":"GET","uri":"/x"},"status":401,"resp_headers":{"X-Error-Code":["oauth2.token.expired"],"Content-Type":["application/json"]}}`,
		errEnv("oauth2.token.expired", 401)},
	"go http.Header":     {`resp headers: map[Content-Type:[application/json] X-Error-Code:[oauth2.token.expired]]`, errEnv("oauth2.token.expired", 0)},
	"empty header array": {`{"status":200,"method":"GET","headers":{"X-Error-Code":[]}}`, response(200)},
	"nginx combined":     {`127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 612 "-" "curl/8.0"`, response(200)},
	"nginx combined error_code": {`127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 401 12 "-" "curl/8.0" error_code=oauth2.token.expired`,
		errEnv("oauth2.token.expired", 401)},
	"nginx combined quoted field": {`127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 401 12 "-" "curl/8.0" "oauth2.token.expired"`,
		errEnv("oauth2.token.expired", 401)},
	"nginx combined quoted dash":         {`127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "GET /api/x HTTP/1.1" 200 12 "-" "curl/8.0" "-"`, response(200)},
	"nginx combined hostname not a code": {`127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 404 12 "-" "curl" "api.secondme.io"`, response(404)},
	"envoy text":                         {`[2026-11-24T10:00:00.000Z] "POST /api/chat HTTP/2" 500 - 0 123 45 44 "10.0.0.1" "python-requests/2.31" "abc" "api.secondme.io" "10.0.0.2:443"`, response(500)},
	"docker wrapped access line":         {`{"log":"127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl\"\n","stream":"stdout"}`, response(200)},
	"slog access":                        {`{"time":"t","level":"INFO","msg":"http","method":"GET","path":"/x","status":200,"duration_ms":3}`, response(200)},
	// urllib3's connection pool logs each response a client receives: its own
	// transport line, not an access line (the body is logged too).
	"urllib3 debug":                          {`DEBUG:urllib3.connectionpool:https://api.secondme.io:443 "POST /api/chat HTTP/1.1" 502 0`, none},
	"urllib3 debug, pytest's format":         {`2026-11-25 02:58:00,101 DEBUG [urllib3.connectionpool] https://app.mindos.com:443 "GET /gate/lab/api/secondme/user/info HTTP/1.1" 401 83`, none},
	"an access line after a URL and no port": {`https://gw.example.com "GET /x HTTP/1.1" 401 83`, response(401)},
	"gateway same error twice": {`{"status":401,"method":"GET","upstream_http_x_error_code":"oauth2.token.expired","resp_body":"{\"code\":401,\"error_code\":\"oauth2.token.expired\"}"}`,
		errEnv("oauth2.token.expired", 401)},

	// HAProxy's HTTP log format: timers, then the status, captured headers, and the
	// request line last.
	"haproxy httplog": {`Nov 24 10:00:00 lb1 haproxy[1234]: 10.0.1.2:33317 [24/Nov/2026:10:00:00.123] fe_api~ be_api/srv1 0/0/1/69/70 200 2750 - - ---- 3/3/0/0/0 0/0 "GET /api/secondme/user/info HTTP/1.1"`,
		response(200)},
	"haproxy captured error header": {`Nov 24 10:00:00 lb1 haproxy[1234]: 10.0.1.2:33317 [24/Nov/2026:10:00:00.123] fe_api~ be_api/srv1 0/0/1/69/70 401 289 - - ---- 3/3/0/0/0 0/0 {api.secondme.io|curl/8.0} {oauth2.token.expired|application/json} "GET /api/secondme/user/info HTTP/1.1"`,
		errEnv("oauth2.token.expired", 401)},
	"haproxy captured broken code of ours": {`Nov 24 10:00:00 lb1 haproxy[1234]: 10.0.1.2:33317 [24/Nov/2026:10:00:00.123] fe_api~ be_api/srv1 0/0/1/69/70 401 289 - - ---- 3/3/0/0/0 0/0 {OAuth2.Token.Revoked|application/json} "GET /api/secondme/user/info HTTP/1.1"`, bad(ReasonBadErrorCode, 401)},
	"haproxy captured host header only":    {`Nov 24 10:00:00 lb1 haproxy[1234]: 10.0.1.2:33317 [24/Nov/2026:10:00:00.123] fe_api~ be_api/srv1 0/0/1/69/70 401 289 - - ---- 3/3/0/0/0 0/0 {Api.Example.Io|curl/8.0} "GET /api/secondme/user/info HTTP/1.1"`, response(401)},
	"haproxy aborted, old timers": {`haproxy[7]: 10.0.1.2:4242 [24/Nov/2026:10:00:00.123] fe be/<NOSRV> 0/-1/-1/-1/+3 503 212 - - SC-- 0/0/0/0/0 0/0 "POST /api/oauth/token/refresh HTTP/1.1"`,
		response(503)},
	"haproxy hostname capture is no code": {`haproxy[7]: 10.0.1.2:4242 [24/Nov/2026:10:00:00.123] fe be/s1 1/0/0/5/6 404 10 - - ---- 0/0/0/0/0 0/0 {api.secondme.io} "GET /x HTTP/1.1"`,
		response(404)},
	"haproxy in a docker json log": {`{"log":"10.0.1.2:33317 [24/Nov/2026:10:00:00.123] fe be/s1 0/0/1/69/70 403 289 - - ---- 1/1/0/0/0 0/0 {apikey.permission.denied} \"POST /api/secondme/note/add HTTP/1.1\"\n","stream":"stdout"}`,
		errEnv("apikey.permission.denied", 403)},
	"timers without a request line": {`job stats 0/0/1/69/70 401 done`, none},
	"aws alb": {`https 2026-11-24T10:00:00.000000Z app/lb/abc 1.2.3.4:5678 10.0.0.2:80 0.001 0.012 0.000 401 401 120 85 "POST https://api.secondme.io:443/api/x HTTP/1.1" "curl/8.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws "Root=1-abc"`,
		response(401)},
	"aws alb target unreachable": {`http 2026-11-24T10:00:00.000000Z app/lb/abc 1.2.3.4:5678 - -1 -1 -1 502 - 120 0 "GET http://api:80/x HTTP/1.1" "curl/8.0" - -`, response(502)},
	"nginx custom error field": {`10.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "POST /api/oauth/token/refresh HTTP/1.1" 401 85 "-" "python-httpx/0.27.0" rt=0.012 err="oauth2.refresh_token.revoked"`,
		errEnv("oauth2.refresh_token.revoked", 401)},
	"nginx custom field not a code": {`10.0.0.1 - - [24/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 85 "-" "curl" host="api.secondme.io" rt=0.012`, response(200)},

	// OpenTelemetry attributes: [{"key":K,"value":V}] lists, V typed or plain.
	"otlp json log record": {`{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"client"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1795515619705000000","severityText":"ERROR","body":{"stringValue":"secondme call failed"},"attributes":[{"key":"error_code","value":{"stringValue":"oauth2.token.expired"}},{"key":"http.response.status_code","value":{"intValue":"401"}}]}]}]}]}`,
		errEnv("oauth2.token.expired", 401)},
	"otel attributes with code": {`{"severity":"ERROR","attributes":[{"key":"code","value":{"intValue":403}},{"key":"error_code","value":{"stringValue":"apikey.permission.denied"}}]}`,
		errEnv("apikey.permission.denied", 403)},
	"otel plain values":         {`{"attributes":[{"key":"error_code","value":"apikey.auth.invalid"},{"key":"code","value":401}]}`, errEnv("apikey.auth.invalid", 401)},
	"otel success":              {`{"attributes":[{"key":"code","value":{"intValue":0}},{"key":"message","value":{"stringValue":"success"}}]}`, success},
	"otel unrelated attributes": {`{"attributes":[{"key":"user","value":{"stringValue":"u1"}},{"key":"status","value":{"stringValue":"ok"}}]}`, none},
	"otel in a string": {`{"msg":"export","batch":"[{\"key\":\"error_code\",\"value\":{\"stringValue\":\"oauth2.token.revoked\"}},{\"key\":\"code\",\"value\":{\"intValue\":401}}]"}`,
		errEnv("oauth2.token.revoked", 401)},
	"otel logfmt-ish key value": {`attributes=[{key=error_code, value=oauth2.code.expired}, {key=code, value=400}]`, errEnv("oauth2.code.expired", 400)},

	// PHP: print_r and var_export, as the Assembler joins them, or collapsed on one line.
	"php print_r": {"Array\n(\n    [code] => 401\n    [message] => The access token has expired\n    [error_code] => oauth2.token.expired\n)\n",
		errEnv("oauth2.token.expired", 401)},
	"php print_r nested": {"Array\n(\n    [status] => 401\n    [body] => Array\n        (\n            [code] => 401\n            [message] => x\n            [error_code] => oauth2.token.revoked\n        )\n\n)",
		errEnv("oauth2.token.revoked", 401)},
	"php print_r collapsed in monolog": {`[2026-11-24 10:00:00] production.ERROR: SecondMe API error Array ( [code] => 403 [message] => The application is suspended [error_code] => oauth2.application.suspended ) []`,
		errEnv("oauth2.application.suspended", 403)},
	"php print_r success": {"Array\n(\n    [code] => 0\n    [message] => success\n    [data] => Array\n        (\n        )\n\n)", success},
	"php var_export": {"array (\n  'code' => 401,\n  'message' => 'The access token has expired',\n  'error_code' => 'oauth2.token.expired',\n)",
		errEnv("oauth2.token.expired", 401)},
	"php index notation is no key": {`$items[code] = $row; $x[status] => 1`, none},

	// A "code" whose value is an error code of the catalog's modules (Elastic Common
	// Schema's error.code, some SDKs' exception "code").
	"ecs error.code": {`{"@timestamp":"2026-11-24T10:00:00Z","log.level":"error","message":"api call failed","error":{"code":"oauth2.token.expired","message":"Token expired"},"http":{"request":{"method":"GET"},"response":{"status_code":401}}}`,
		errEnv("oauth2.token.expired", 401)},
	"code string of a known module": {`level=error msg="call failed" code=apikey.auth.missing`, errEnv("apikey.auth.missing", 0)},
	"code string not a module":      {`{"code":"node.js.error","status":"failed"}`, none},

	// Client exceptions that quote a JSON body without escaping it.
	"spring rest client": {`2026-11-24 10:00:00.123 ERROR 1 --- [main] c.e.Client : call failed org.springframework.web.client.HttpClientErrorException$Unauthorized: 401 Unauthorized: "{"code":401,"message":"The access token has expired","error_code":"oauth2.token.expired"}"`,
		errEnv("oauth2.token.expired", 401)},
	"spring rest client pretty body": {"org.springframework.web.client.HttpClientErrorException$Forbidden: 403 Forbidden: \"{\n  \"code\" : 403,\n  \"message\" : \"x\",\n  \"error_code\" : \"oauth2.application.suspended\"\n}\"",
		errEnv("oauth2.application.suspended", 403)},
	// Log tables exported as CSV (Kibana, SLS, a database): quotes doubled in a field.
	"csv export": {`"2024-05-01 10:00:08","secondme-api","ERROR","{""code"":400,""message"":""Redirect URI 不匹配"",""error_code"":""oauth2.redirect_uri.mismatch""}"`,
		errEnv("oauth2.redirect_uri.mismatch", 400)},
	"csv export text field": {`2024-05-01 10:00:08,api,"ERROR client: failed body={""code"":401,""error_code"":""oauth2.token.expired""}",x`,
		errEnv("oauth2.token.expired", 401)},
	"csv export success":             {`2024-05-01 10:00:09,api,INFO,"{""code"":0,""message"":""success"",""data"":{""expires_in"":7200}}"`, success},
	"spring 5 shortened body":        {`WARN c.a.SecondMeClient : 403 Forbidden: [{"code":403,"message":"应用不允许请求该权限：请求的 scope 中包含未授予应用的权限 user.inf... (431 bytes)]`, bad(ReasonTruncatedJSON, 403)},
	"spring 5 shortened after":       {`WARN c.a.SecondMeClient : 401 Unauthorized: [{"code":401,"error_code":"oauth2.token.expired","message":"令牌已过期，请刷新后重试，或者重新授权... (431 bytes)]`, errEnv("oauth2.token.expired", 401)},
	"bytes count without the marker": {`{"code":500,"message":"x","retries":"3 of (4 bytes)]`, none},
	"csv export cut":                 {`2024-05-01 10:00:10,api,ERROR,"{""code"":500,""message"":""x"",""error_code"":""secondme.stream.er`, bad(ReasonTruncatedJSON, 500)},
	"csv export access line":         {`"2026-11-24T10:00:06.901Z","ingress-nginx","10.0.3.7 - - [24/Nov/2026:10:00:06 +0000] ""POST /api/secondme/chat HTTP/1.1"" 502 150 ""-"" ""okhttp/4.12.0"""`, response(502)},
	"csv export no envelope":         {`"2024-05-01","api","INFO","{""code"":""ABC"",""msg"":""a """"quoted"""" word""}"`, none},
	// Other APIs' envelopes: a business code beside a code breaking the grammar.
	"alipay sub_code":              {`支付宝查询结果：{"alipay_trade_query_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"}}`, none},
	"alipay cut in sub_code":       {`{"alipay_trade_query_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NO`, none},
	"huawei cloud error_code":      {`{"error_msg":"Incorrect IAM authentication information","error_code":"APIGW.0301","request_id":"c37e8f2b"}`, none},
	"cloudtrail errorCode":         {`{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","errorCode":"Client.UnauthorizedOperation","errorMessage":"You are not authorized"}`, none},
	"last_error_code":              {`{"user_id":"u_1","last_error_code":"oauth2.token.expired","retry_count":3}`, none},
	"kubectl describe last error":  {`  Last Error Code:         oauth2.token.expired`, none},
	"kubectl describe expected":    {`  Expected Error Code: oauth2.token.expired`, none},
	"unexpected error code spaced": {`Unexpected Error Code: oauth2.token.expired`, errEnv("oauth2.token.expired", 0)},
	"spaced error code":            {`  Error Code:         oauth2.token.expired`, errEnv("oauth2.token.expired", 0)},
	"expected_error_code":          {`{"case":"refresh_expired","code":401,"expected_error_code":"oauth2.refresh_token.expired"}`, none},
	"sql where":                    {`LOG:  duration: 12.304 ms  statement: SELECT id FROM api_error_log WHERE error_code = 'oauth2.token.expired' AND code = 401 LIMIT 100`, none},
	"sql update set list":          {`LOG:  duration: 0.902 ms  statement: UPDATE media_assets SET status='failed', error_code='secondme.stream.error', code=500 WHERE id=77`, none},
	"django sql set list":          {`(0.001) UPDATE "offer_draft" SET "status" = 'failed', "error_code" = 'oauth2.scope.insufficient',"code" = 403 WHERE "id" = 7`, none},
	"python dict after set":        {`SET cache: {'key': 'k', 'code': 401, 'error_code': 'oauth2.token.expired'}`, errEnv("oauth2.token.expired", 401)},
	"sql update":                   {`Executing (default): UPDATE "sessions" SET "error_code"='secondme.session.not_found',"code"=404 WHERE "id" = 's_1'`, none},
	// Lower-case SQL, as Hibernate and most ORMs print it: " = " after the column.
	"hibernate sql":           {`DEBUG org.hibernate.SQL : select e.error_code, count(*) from call_log e where e.code = 401 and e.error_code = 'oauth2.token.expired' group by e.error_code`, none},
	"lower-case sql unspaced": {`DEBUG o.h.SQL : select e.id from secondme_error_log e where e.error_code='oauth2.token.expired' and e.code=401`, none},
	"lower-case sql quoted":   {`statement: select id from t where "error_code" = 'oauth2.token.expired'`, none},
	"and in prose":            {`failed and error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	"abap condition":          {`>>>>>     IF ls_response-error_code = 'oauth2.token.expired'.`, none},
	// An error code's value computed by an expression: a name in code.
	"dataweave expression":   {`message: {status: attributes.statusCode, error_code: attributes.headers['x-secondme-error-code']}`, none},
	"python subscript":       {`error_code = resp.json()["error_code"]`, none},
	"call after the value":   {`error_code: err.response.get_code(1) code=401`, none},
	"a value then a bracket": {`error_code=oauth2.token.expired [retry 2] code=401`, errEnv("oauth2.token.expired", 401)},
	// An alert's notification names the errors it counts, none of its own.
	"alertmanager subject":  {`[FIRING:1] SecondMeTokenExpiredSpike (error_code=oauth2.token.expired service=audience-sync severity=page)`, none},
	"alertmanager resolved": {`2026-11-24 10:05:00 INFO notify: [RESOLVED] SecondMeAuthErrors (error_code=oauth2.token.expired)`, none},
	"alert webhook payload": {`{"status":"firing","labels":{"alertname":"SecondMeAuthErrors","error_code":"oauth2.token.expired","severity":"warning"}}`, none},
	// A request line's query names what was asked for; the status is the response.
	"query of a request line": {`10.42.5.2 - - [24/Nov/2026:09:13:02 +0000] "GET /admin/ai-calls?error_code=oauth2.token.expired&code=401 HTTP/1.1" 200 18211 "-" "Mozilla/5.0"`, response(200)},
	"query of a json request": {`{"request":"GET /admin/errors?error_code=oauth2.token.expired&code=401 HTTP/1.1","status":200}`, response(200)},
	// A health probe's or a scraper's request is no API call: its status is no response.
	"kube-probe access line":       {`10.0.0.2 - - [24/Nov/2026:10:00:03 +0800] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"`, none},
	"load balancer probe, 503":     {`35.191.12.70 - - [24/Nov/2026:10:00:04 +0800] "GET /readyz HTTP/1.1" 503 19 "-" "GoogleHC/1.0"`, none},
	"json probe line":              {`{"time":"2026-11-24T08:57:41+08:00","remote_addr":"10.20.0.2","method":"GET","uri":"/healthz","status":200,"request_time":0.0}`, none},
	"json probe, escaped slashes":  {`{"httpMethod":"GET","requestUri":"\/healthz","httpStatus":200}`, none},
	"kong probe, escaped url":      {`{"request":{"url":"https:\/\/gw.example:443\/readyz","method":"GET"},"response":{"status":200}}`, none},
	"escaped slashes, no probe":    {`{"httpMethod":"GET","requestUri":"\/api\/health-records","httpStatus":200}`, Envelope{Kind: Response, Code: 200}},
	"logfmt probe line":            {`ts=2026-11-24T10:50:00.001Z gw=egress-proxy method=GET path=/Health/Ready?full=1 status=200 dur_ms=0`, none},
	"router probe line":            {`heroku[router]: at=info method=GET path="/actuator/health/liveness" host=x.herokuapp.com status=200 bytes=15`, none},
	"a scrape of the metrics page": {`{"request":"GET /metrics HTTP/1.1","status":200,"body_bytes_sent":1735,"http_user_agent":"Prometheus/3.0.1"}`, none},
	"an api path is a response":    {`{"request":"GET /gate/lab/api/secondme/user/info HTTP/1.1","status":200}`, response(200)},
	"a path below an api":          {`10.0.0.2 - - [24/Nov/2026:10:00:03 +0800] "GET /api/health-records/7 HTTP/1.1" 200 812 "-" "okhttp/4.12.0"`, response(200)},
	"a longer word is no probe":    {`method=GET path=/pingback status=200`, response(200)},
	"a probe's error still counts": {`method=GET path=/healthz status=503 error_code=connection.error`, errEnv("connection.error", 503)},
	// Another scheme's code under camel-case errorCode beside an HTTP code.
	"edi gateway errorCode":       {`COPRAR rejected: {"code":422,"error":"UNB segment invalid","errorCode":"EDI-0042"}`, none},
	"osb errorCode":               {`[oracle.osb] errorCode=OSB-382500 code=500 message="callout failed"`, none},
	"errorCode of a known module": {`{"code":404,"errorCode":"secondme.session.not found"}`, bad(ReasonBadErrorCode, 404)},
	"subCode in constant style":   {`{"code":401,"subCode":"OAUTH2_TOKEN_EXPIRED"}`, bad(ReasonBadErrorCode, 401)},
	"errorCode in constant style": {`{"code":401,"errorCode":"OAUTH2_TOKEN_EXPIRED"}`, bad(ReasonBadErrorCode, 401)},
	"errorCode in camel case beside a gateway's status (Azure API Management)": {`{"method":"POST","url":"https://apim/x","status":401,"errorCode":"OAuth2TokenExpired"}`, bad(ReasonBadErrorCode, 401)},
	"errorCode in camel case beside a code":                                    {`{"code":401,"errorCode":"OAuth2TokenExpired"}`, bad(ReasonBadErrorCode, 401)},
	"a bpmn error's name":                                                      {`payload={"workerId":"worker-7d9f","errorCode":"SECONDME_TOKEN_EXPIRED","errorMessage":"令牌已过期","retries":0}`, none},
	// A code of SecondMe's shape broken only by a digit leading its module.
	"digit-led module":       {`{"message":"two-factor code invalid","error_code":"2fa.code.invalid"}`, bad(ReasonBadErrorCode, 0)},
	"a status then a reason": {`{"error_code":"404.not_found"}`, none},
	// A policy's trigger: the error code a setting acts on.
	"trigger key in config":       {`{"config":{"refresh_on_error_code":"oauth2.token.expired","timeout_ms":15000}}`, none},
	"trigger key camel case":      {`retryOnErrorCode=connection.error maxRetries=3`, none},
	"trigger key alone":           {`  on_error_code: "oauth2.token.expired"`, none},
	"a word ending in on is none": {`session_error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	"json prefix is no trigger":   {`{"jsonErrorCode":"oauth2.token.expired","code":401}`, errEnv("oauth2.token.expired", 401)},
	// A code of a module the catalog knows in constant style, as SDK enums and gateway headers spell it.
	"constant-style code beside a gateway status": {`ts=2026-11-24T08:08:00.000Z gw=edge-1 method=POST path=/api/secondme/note/add status=403 error_code=APIKEY_PERMISSION_DENIED upstream=secondme`,
		bad(ReasonBadErrorCode, 403)},
	"constant-style code in a json access line":      {`{"method":"GET","path":"/api/secondme/user/info","status":401,"error_code":"OAUTH2_TOKEN_INVALID"}`, bad(ReasonBadErrorCode, 401)},
	"another api's constant beside a gateway status": {`{"method":"POST","path":"/v1/fares/quote","status":500,"error_code":"FARE_ENGINE_DOWN"}`, bad(ReasonBadErrorCode, 500)},
	"constant style alone":                           {`{"error_code":"OAUTH2_TOKEN_EXPIRED","message":"令牌已过期"}`, bad(ReasonBadErrorCode, 0)},
	"constant style of a two-word resource":          {`sdk error error_code=OAUTH2_REFRESH_TOKEN_REVOKED`, bad(ReasonBadErrorCode, 0)},
	// Constants that start with a module's word but name none of its resources:
	// another API's (MLflow's, gRPC's) or a connector's own.
	"mlflow's constant":                        {`{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run 'f3a9c1d2e4b5' not found"}`, none},
	"a generic constant":                       {`{"error_code":"INTERNAL_ERROR","message":"upstream failed"}`, none},
	"grpc's status name":                       {`rpc failed error_code=RESOURCE_EXHAUSTED retry_in=2s`, none},
	"a connector's own constant":               {`Error reporter header dump: input_record_offset=99187 error_code=SECONDME_HTTP_ERROR error_message="Status code : 401"`, none},
	"a generic constant beside a code":         {`{"code":500,"error_code":"INTERNAL_ERROR"}`, bad(ReasonBadErrorCode, 500)},
	"a word beside a gateway status":           {`ts=x method=GET uri=/gate/lab/api/secondme/user/info status=401 upstream=secondme_api error_code=OAuth2TokenExpired`, bad(ReasonBadErrorCode, 401)},
	"another api's client error with a status": {`Auth0 Management API error: {"statusCode":429,"error":"Too Many Requests","errorCode":"too_many_requests"}`, none},
	// A rule's or a query's filter selects errors and is none itself: a match, term or terms key's object or array is not read.
	"a rule's match object":         {`{"level":"info","msg":"loaded alert rule","rule":{"name":"SecondMeTokenExpiry","match":{"error_code":"oauth2.token.expired","code":401},"threshold":5}}`, none},
	"a python rule's match":         {`DEBUG trust_safety.rules loaded rule: {'name': 'secondme_outage', 'match': {'error_code': ['connection.error', 'internal.error']}, 'action': 'skip'}`, none},
	"a bare rule's match":           {`loaded rule {name: refresh_on_expiry, match: {error_code: oauth2.token.expired, code: 401}, action: refresh_token}`, none},
	"an error beside a match":       {`{"match":[{"code":401,"error_code":"oauth2.token.expired"}],"code":401,"error_code":"oauth2.token.revoked"}`, errEnv("oauth2.token.revoked", 401)},
	"a match string is read":        {`{"match":"{\"code\":401,\"error_code\":\"oauth2.token.expired\"}"}`, errEnv("oauth2.token.expired", 401)},
	"a match key cut in its object": {`policy match={"error_code":"oauth2.token.expired","code":401`, none},
	"an elasticsearch term query":   {`{"query":{"term":{"error_code":"oauth2.token.expired"}},"size":0,"aggs":{"by_status":{"terms":{"field":"code"}}}}`, none},
	"a term filter inside bool":     {`POST /gw-*/_search {"size":0,"query":{"bool":{"filter":[{"term":{"error_code":"oauth2.token.expired"}},{"term":{"code":401}}]}}}`, none},
	"a terms query's list":          {`{"query":{"terms":{"error_code":["oauth2.token.expired","oauth2.token.revoked"]}}}`, none},
	"an error beside a term":        {`{"term":{"error_code":"oauth2.token.expired"},"code":401,"error_code":"oauth2.token.revoked"}`, errEnv("oauth2.token.revoked", 401)},
	"a word term is no filter":      {`{"terminal":{"code":401,"error_code":"oauth2.token.expired"}}`, errEnv("oauth2.token.expired", 401)},
	// A traceback's source line is the program's text, no error it logs.
	"python source line":       {`    raise SecondMeError(code=401, error_code="oauth2.token.expired")`, none},
	"python source line, dict": {`    raise SecondMeError({"code": 500, "message": "内部服务器错误", "error_code": "internal.error"})`, none},
	"python source line, from": {`    raise SecondMeError(code=401, error_code="oauth2.token.expired") from exc`, none},
	"node source line":         {`    throw new SecondMeError({ code: 401, message: 'expired', error_code: 'oauth2.token.expired' })`, none},
	"a traceback's last line":  {`secondme.errors.SecondMeError: {'code': 401, 'message': '令牌已过期', 'error_code': 'oauth2.token.expired'}`, errEnv("oauth2.token.expired", 401)},
	"an indented log line":     {`    error_code=oauth2.token.expired code=401 raise=false`, errEnv("oauth2.token.expired", 401)},
	// A comment names errors and logs none.
	"a hash comment":           {`# Retry only on 5xx, e.g. {"code":500,"message":"x","error_code":"internal.error"} - see docs/errors.md`, none},
	"an indented hash comment": {`    # e.g. {"code": 401, "message": "令牌已过期", "error_code": "oauth2.token.expired"} -> refresh and retry`, none},
	"a slash comment":          {`// 401 oauth2.token.expired => refresh: error_code=oauth2.token.expired code=401`, none},
	"a php stack frame":        {`#0 /app/src/Client.php(54): Client->fail(Array) {"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"a hashtag is no comment":  {`#ops error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	// A go test event names the test, which table-driven tests build from their cases.
	"go test run event":  {`=== RUN   TestClient_RefreshOnExpired/error_code=oauth2.token.expired`, none},
	"go test pass event": {`    --- PASS: TestClient_RefreshOnExpired/error_code=oauth2.token.expired (0.00s)`, none},
	"go test output":     {`    client_test.go:42: got error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	// A query asks for errors and holds none: its value is not read as a record.
	"loki query log": {`level=info component=frontend query="{service_name=\"gw\"} | json | error_code=\"oauth2.token.expired\" | code=\"401\"" query_type=filter`, none},
	"a json query":   {`{"msg":"search","query":"{\"code\":401,\"error_code\":\"oauth2.token.expired\"}"}`, none},
	"a json request": {`{"msg":"search","request":"{\"code\":401,\"error_code\":\"oauth2.token.expired\"}"}`, errEnv("oauth2.token.expired", 401)},
	// The reference's example quoted from the documentation, cut after its error code.
	"doc example cut after the code": {`docs/secondme/errors.md:18: {"code": 400, "message": "错误描述", "error_code": "module.resource.reason"`, none},
	"error body cut after a message": {`docs/x.md:18: {"code": 400, "message": "错误描述"`, bad(ReasonTruncatedJSON, 400)},
	"alert bot's own error":          {`[FIRING:1] X: posting the summary failed: {"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"go-chi request logger":          {`2025/03/14 10:40:05 "GET http://notes.internal/api/shades HTTP/1.1" from 10.42.2.17:51822 - 401 412B in 563.9ms`, response(401)},
	"alipay hyphenated sub_code":     {`{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id"}}`, none},
	// PHP var_dump, as Monolog writes it on one line, and Xdebug's form.
	"php var_dump": {`[2025-03-14 10:21:30] local.DEBUG: array(3) { ["code"]=> int(400) ["message"]=> string(21) "x" ["error_code"]=> string(20) "apikey.scope.invalid" }`,
		errEnv("apikey.scope.invalid", 400)},
	"php var_dump object": {`object(stdClass)#1 (2) {   ["code"]=>   int(401)   ["error_code"]=>   string(20) "oauth2.token.expired" }`, errEnv("oauth2.token.expired", 401)},
	"php var_dump in a json string": {`{"level":"debug","msg":"array(2) {   [\"code\"]=>   int(401)   [\"error_code\"]=>   string(20) \"oauth2.token.expired\" }"}`,
		errEnv("oauth2.token.expired", 401)},
	"rust serde_json debug": {`2026-11-24T02:17:03.118734Z ERROR client: body=Object {"code": Number(403), "error_code": String("oauth2.scope.insufficient"), "message": String("x")}`,
		errEnv("oauth2.scope.insufficient", 403)},
	"swift optional": {`stream ended: SecondMeKit.APIError.server(status: 500, errorCode: Optional("secondme.stream.error"), requestID: nil)`,
		errEnv("secondme.stream.error", 500)},
	"swift optional code":   {`APIError(code: Optional(401), errorCode: Optional("oauth2.token.expired"))`, errEnv("oauth2.token.expired", 401)},
	"rust option debug":     {`ApiError { code: Some(401), error_code: Some("oauth2.token.expired"), message: None }`, errEnv("oauth2.token.expired", 401)},
	"rust option success":   {`Envelope { code: Some(0), data: Some(Data { id: 1 }) }`, success},
	"nsarray header values": {`<NSHTTPURLResponse: 0x6000> { URL: https://api.secondme.io/x } { Status Code: 403, Headers { "x-error-code" = ( "secondme.session.unauthorized" ); } }`, errEnv("secondme.session.unauthorized", 403)},
	// An error code alone in a nested object takes the HTTP error status its
	// enclosing object carries as code (an NSError's Code=401 outside its
	// UserInfo, a response's code above its header list).
	"a quoted console message with a pretty body": {"[1:1:1124/103015.240019:INFO:CONSOLE(57)] \"[SecondMe] error response: {\n  \"code\": 401,\n  \"error_code\": \"oauth2.token.expired\"\n}\", source: chrome-extension://x/background.js (57)",
		errEnv("oauth2.token.expired", 401)},
	"a body quoted unescaped after a status in a logfmt value": {`level=ERROR msg="Handler returned error" err="publish to secondme: 403 {"code":403,"message":"应用已被暂停","error_code":"oauth2.application.suspended"}" topic=outbox`,
		errEnv("oauth2.application.suspended", 403)},
	"a body quoted unescaped after a dash (litellm's exception in adk's sse frame)": {`data: {"error": "litellm.AuthenticationError: AuthenticationError: OpenAIException - {"code":401,"message":"令牌已过期","error_code":"oauth2.token.expired"}"}`,
		errEnv("oauth2.token.expired", 401)},
	"two digits before a body quoted unescaped are no status": {`err="publish failed 12 {"code":403,"error_code":"oauth2.application.suspended"}" topic=x`,
		errEnv("oauth2.application.suspended", 0)},
	"serilog dictionary": {`[10:33:17 ERR] SecondMe error payload [("code": 500), ("message": "流式响应错误"), ("error_code": "secondme.stream.error")]`,
		errEnv("secondme.stream.error", 500)},
	"colour codes inside a key and a value, as s logs prints them": {"\x1b[36mc-6742f0a1\x1b[0m [\x1b[31merror\x1b[0m] call failed {\"code\":500,\"message\":\"流式响应错误\",\"\x1b[31merror\x1b[0m_code\":\"secondme.stream.\x1b[31merror\x1b[0m\"}",
		errEnv("secondme.stream.error", 500)},
	"statsd datagram":                          {`secondme.api.errors:1|c|#error_code:oauth2.token.revoked,code:401,env:prod`, none},
	"dogstatsd datagram with a rate":           {`secondme.errors:1|c|@0.5|#env:prod,error_code:oauth2.token.expired,http_status:401`, none},
	"micrometer logging registry":              {`i.m.c.i.logging.LoggingMeterRegistry : secondme.client.errors{error_code=oauth2.token.invalid,status=401} count=1`, none},
	"micrometer timer":                         {`http.client.requests{client.name=api.secondme.io,error=none,method=GET,outcome=CLIENT_ERROR,status=401,uri=/x} throughput=0.2/s mean=0.087s`, none},
	"a compact toString is no micrometer line": {`ApiError{code=401,error_code=oauth2.token.expired}`, errEnv("oauth2.token.expired", 401)},
	"a header sent twice beside a gateway status": {`{"request":"GET /api/secondme/user/info HTTP/1.1","status":"401","error_code":"oauth2.token.expired, oauth2.token.expired"}`,
		bad(ReasonBadErrorCode, 401)},
	"the reference's example envelope quoted from the docs": {`expecting SecondMe error format {"code": 400, "message": "错误描述", "error_code": "module.resource.reason"}`, none},
	"a string argument php's stack trace shortens":          {`#0 C:\xampp\htdocs\shop\wp-content\plugins\secondme-wpml\includes\class-translator.php(54): SecondMe_Translator->parse_error('{"code":500,"me...')`, none},
	"a colour code splitting an error code key":             {"{\"\x1b[31merror\x1b[0m_code\":\"oauth2.token.expired\"}", errEnv("oauth2.token.expired", 0)},
	"a padded error code beside a gateway status": {`ts=2026-11-24T10:25:12+08:00 method=POST uri=/api/secondme/chat status=401 error_code="oauth2.token.invalid " req_id=8d2f`,
		bad(ReasonBadErrorCode, 401)},
	"clojure edn map": {`2026-11-24 09:41:05,004 WARN driver.secondme :: API error {:code 403, :message "权限不足", :error_code "oauth2.scope.insufficient"}`,
		errEnv("oauth2.scope.insufficient", 403)},
	"ring-logger edn map":                       {`INFO ring.logger - {:request-method :get, :uri "/api/secondme/user/info", :status 401, :ring.logger/ms 12}`, response(401)},
	"a camelCase edn keyword is not read":       {`{:subCode "oauth2.token.expired", :code 401}`, none},
	"a clojure keyword as a function is no key": {`(when (= "oauth2.token.expired" (:error_code body)) (refresh-token! client))`, none},
	"nserror userinfo": {`Error Domain=SecondMeKit.APIError Code=401 "令牌已被撤销" UserInfo={error_code=oauth2.token.revoked, NSLocalizedDescription=令牌已被撤销}`,
		errEnv("oauth2.token.revoked", 401)},
	"code above a header list": {`{"response":{"code":403,"header":[{"key":"X-Error-Code","value":"secondme.session.unauthorized"}]}}`,
		errEnv("secondme.session.unauthorized", 403)},
	"success code above a nested error code": {`{"code":0,"message":"success","data":{"items":[{"id":"m2","error_code":"secondme.session.not_found"}]}}`,
		errEnv("secondme.session.not_found", 0)},
	"non-error code above a nested error code": {`{"code":200,"data":{"error_code":"oauth2.token.expired"}}`, errEnv("oauth2.token.expired", 0)},
	"paren header value":                       {`{"x-error-code":("oauth2.token.expired"),"status":401,"path":"/x"}`, errEnv("oauth2.token.expired", 401)},
	"escaped colour codes in a shipped line": {`{"message":"\u001b[31mERRO\u001b[0m[0042] api error   \u001b[31mcode\u001b[0m=401 \u001b[31merror_code\u001b[0m=oauth2.token.invalid","source_type":"docker_logs"}`,
		errEnv("oauth2.token.invalid", 401)},
	"nginx-escaped colour codes": {`msg="\x1b[31mcode\x1b[0m=401 \x1b[31merror_code\x1b[0m=oauth2.token.invalid"`, errEnv("oauth2.token.invalid", 401)},
	"axios code beside a status": {`{"level":50,"code":"ERR_BAD_REQUEST","status":400,"error_code":"invalid.param","msg":"request failed"}`, errEnv("invalid.param", 400)},
	"log4j2 CRLF-encoded pretty body": {`2026-11-24T10:00:20Z ERROR body={\n\t"code": 403,\n\t"message": "x",\n\t"error_code": "secondme.session.unauthorized"\n}`,
		errEnv("secondme.session.unauthorized", 403)},
	"rsyslog-escaped pretty body": {`Nov 24 10:02:06 app-03 bot[2290]: rejected: {#012#011"code": 401,#012#011"error_code": "oauth2.token.expired"#012}`,
		errEnv("oauth2.token.expired", 401)},
	"rsyslog-escaped success":         {`Nov 24 10:02:06 app-03 bot[2290]: list: {#012#011"code": 0,#012#011"message": "success",#012#011"data": {#012#011#011"items": []#012#011}#012}`, success},
	"escaped line break before a key": {`\ncode=0 message=success data={}`, success},
	"rsyslog line break before a key": {`#012code=0 message=success data={}`, success},
	"escaped blanks in a word":        {`path=C:\new\table issue=#0123 code=401 error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"CRLF-encoded pretty body, code last": {`2026-11-24T10:00:20Z ERROR body={\n  "error_code": "oauth2.token.expired",\n  "code": 401\n}`,
		errEnv("oauth2.token.expired", 401)},
	"CRLF-encoded pretty success, code last": {`2026-11-24T10:00:20Z DEBUG body={\r\n  "data": {},\r\n  "code": 0\r\n}`, success},
	"rsyslog-escaped pretty body, code last": {`Nov 24 10:02:06 app-03 bot[2290]: rejected: {#012#011"error_code": "oauth2.token.expired",#012#011"code": 401#012}`,
		errEnv("oauth2.token.expired", 401)},
	"shipped CRLF-encoded body, code last": {`{"log":"ERROR body={\\n  \"error_code\": \"oauth2.token.expired\",\\n  \"code\": 401\\n}\n","stream":"stderr"}`,
		errEnv("oauth2.token.expired", 401)},
	"escaped line breaks between pairs":      {`ERROR request failed\ncode=401\nerror_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"escaped CRLFs between pairs":            {`ERROR request failed\r\ncode=429\r\nerror_code=apikey.rate.limited\r\n`, errEnv("apikey.rate.limited", 429)},
	"escaped tab between pairs":              {`level=error msg="api error" code=401\terror_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"rsyslog line break after a code":        {`Nov 24 10:02:06 app-03 bot[2290]: rejected: code=401#012error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"rsyslog line break after an error code": {`msg=failed error_code=oauth2.token.expired#012code=401`, errEnv("oauth2.token.expired", 401)},
	"escaped body after a prefix":            {`Nov 24 10:09:02 app-05 worker[3310]: SecondMe error {\"code\":401,\"message\":\"x\",\"error_code\":\"oauth2.client.secret_mismatch\"}`, errEnv("oauth2.client.secret_mismatch", 401)},
	"escaped body as a value":                {`level=warn body={\"code\":0,\"message\":\"success\",\"data\":{\"note\":\"a \\\"}\\\" b\"}} retry=0`, success},
	"escaped body starting the record":       {`{\"code\":401,\"message\":\"x\",\"error_code\":\"oauth2.token.expired\"}`, none},
	"escaped body starting a shipped line":   {`{"log":"{\\\"code\\\":400,\\\"error_code\\\":\\\"oauth2.code.invalid\\\"}\n","stream":"stderr"}`, none},
	"liberty access log":                     {`{"type":"liberty_accesslog","ibm_requestMethod":"GET","ibm_uriPath":"\/api\/me","ibm_responseCode":401,"ibm_bytesReceived":734}`, response(401)},
	// A request line with its version under a key of the operator's naming.
	"haproxy json log-format":                            {`Nov 24 10:19:03 lb1 haproxy[2345]: {"time":"24/Nov/2026:10:19:03.010","frontend":"fe_api_json","status":200,"bytes":702,"x_error_code":"-","req":"GET /api/secondme/user/info HTTP/1.1"}`, response(200)},
	"request line value in logfmt":                       {`status=401 req="POST /api/oauth/token HTTP/2"`, response(401)},
	"request line value in a dict":                       {`{'status': 401, 'first_line': 'GET /api/secondme/user/info HTTP/1.1'}`, response(401)},
	"request line value at a status key":                 {`{"status":"GET /x HTTP/1.1"}`, none},
	"request line in a longer value":                     {`{"status":401,"msg":"GET /api/secondme/user/info HTTP/1.1 failed"}`, none},
	"espv2 request log":                                  {`{"insertId":"4c8a","jsonPayload":{"api_method":"1.bridge.GetMe","error_cause":"AUTH","http_method":"GET","http_response_code":401,"url":"/v1/users/me"},"severity":"ERROR"}`, response(401)},
	"wso2 analytics response event":                      {`[2026-11-24 11:10:52,672]  INFO {org.wso2.am.analytics.publisher.reporter.elk.ELKCounterMetric} - apimMetrics: apim:response, properties :{"apiName":"SecondMe","proxyResponseCode":401,"apiMethod":"GET","targetResponseCode":401,"apiResourceTemplate":"/user/info"}`, response(401)},
	"wso2 analytics fault event":                         {`apimMetrics: apim:faulty, properties :{"apiMethod":"GET","proxyResponseCode":401,"targetResponseCode":0,"errorType":"AUTH","errorCode":900901,"errorMessage":"AUTHENTICATION_FAILURE"}`, response(401)},
	"escaped backslash before an n":                      {`path=C:\\new code=401 error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"rust serde_json debug success":                      {`body=Object {"code": Number(0), "data": Object {"id": String("x")}}`, success},
	"rust serde_json debug access":                       {`Object {"method": String("GET"), "path": String("/api/x"), "status": Number(401)}`, response(401)},
	"php var_dump access":                                {`array(2) { ["method"]=> string(3) "GET" ["status"]=> int(401) }`, response(401)},
	"serde_json string status":                           {`Object {"method": String("GET"), "status": String("401")}`, response(401)},
	"serde_json string code success":                     {`Object {"code": String("0"), "data": Object {}}`, success},
	"serde_json string error code":                       {`Object {"code": String("oauth2.token.expired")}`, errEnv("oauth2.token.expired", 0)},
	"php var_dump string status":                         {`array(2) { ["method"]=> string(3) "GET" ["status"]=> string(3) "401" }`, response(401)},
	"x-sub-code header beside a status":                  {`2026-11-24 10:29:41.002  WARN 48213 --- [nio-1] c.a.s.SecondMeClient : status=401 x-sub-code=oauth2.token.expired www-authenticate=Bearer`, errEnv("oauth2.token.expired", 401)},
	"gateway header code over its logged body":           {`{"status":"502","uri":"/api/x","error_code":"connection.error","resp_body":"{\"code\":500,\"message\":\"x\",\"error_code\":\"internal.error\"}"}`, errEnv("connection.error", 502)},
	"body envelope over a code alone":                    {`{"error_code":"oauth2.token.expired","resp":{"code":401,"error_code":"oauth2.token.invalid"}}`, errEnv("oauth2.token.invalid", 401)},
	"blank error code in an error body":                  {`2024-11-27 ERROR api: {"code":500,"message":"服务异常","error_code":""}`, bad(ReasonBadErrorCode, 500)},
	"blank error code in a dict":                         {`failed: {'code': 503, 'message': 'x', 'error_code': ''}`, bad(ReasonBadErrorCode, 503)},
	"blank header code beside a status":                  {`{"status":"401","uri":"/api/x","upstream_http_x_error_code":""}`, response(401)},
	"aspnet request finished":                            {`info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 POST http://crm-api/api/leads/42/assistant - 502 - application/json 418.2ms`, response(502)},
	"aspnet request finished, indented":                  {`      Request finished HTTP/1.1 GET http://assistant.internal/api/me - 401 0 - 91.2210ms`, response(401)},
	"aspnet request finished, serilog":                   {`2024-05-14 10:00:31.930 +08:00 [INF] Request finished HTTP/2 POST http://erp-bridge:5000/api/sync/orders - 200 - application/json 812.4411ms`, response(200)},
	"aspnet request finished, .NET 8":                    {`info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 GET http://localhost:5000/api/x - 200 null text/plain; charset=utf-8 4.2ms`, response(200)},
	"aspnet request finished, probe":                     {`info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished HTTP/1.1 GET http://crm-api/health - 200 - text/plain 0.8812ms`, none},
	"aspnet request finished, old format":                {`info: Microsoft.AspNetCore.Hosting.Diagnostics[2] Request finished in 12.3ms 401 application/json`, none},
	"aspnet request finished, template":                  {`{"@t":"2026-11-24T02:04:14.0012231Z","@mt":"Request finished {Protocol} {Method} {Scheme}://{Host}{PathBase}{Path}{QueryString} - {StatusCode} {ContentLength} {ContentType} {ElapsedMilliseconds}ms"}`, none},
	"aspnet request finished, no status":                 {`info: Request finished HTTP/1.1 POST http://crm-api/api/leads - abc - application/json 1ms`, none},
	"aspnet request finished, error body":                {`fail: Request finished HTTP/1.1 POST http://x/api - 401 - application/json 3ms {"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"morgan dev":                                         {`POST /api/chat 401 35.012 ms - 86`, response(401)},
	"morgan dev after a prefix":                          {`2026-11-24T02:00:22.881Z info: POST /v1/inbox/messages/seen 200 4.112 ms - 2`, response(200)},
	"morgan dev without a size":                          {"GET /api/me?x=1 304 1.204 ms - -\r", response(304)},
	"morgan dev, probe":                                  {`GET /healthz 200 0.512 ms - 2`, none},
	"morgan dev, coloured (not read)":                    {"POST /api/chat \x1b[33m401\x1b[0m 38.112 ms - 87", none},
	"morgan tiny (not read)":                             {`POST /chat?_data=routes%2Fchat 401 - - 12.345 ms`, none},
	"morgan-like, a word after the size":                 {`POST /api/chat 401 35.012 ms - 86A`, none},
	"morgan-like prose":                                  {`retry 401 35.012 ms - 86`, none},
	"morgan-like, lower-case method":                     {`post /api/chat 401 35.012 ms - 86`, none},
	"typescript union of codes":                          {`export type SecondMeErrorCode = 'oauth2.token.expired' | 'oauth2.token.invalid' | 'apikey.auth.invalid';`, none},
	"typescript union, double quotes":                    {`  type RetryCode = "internal.error"|"connection.error"`, none},
	"typescript-like text with a code beside":            {`type error: code=401 error_code=oauth2.token.expired 'a' | 'b'`, errEnv("oauth2.token.expired", 401)},
	"logql query":                                        {`{app="charge-api"} |= "error_code" | json | error_code="oauth2.token.expired"`, none},
	"logql query in logcli":                              {`logcli query '{app="sermon-notes"} | json | error_code="oauth2.token.expired"' --since=1h`, none},
	"logql metric query":                                 {"sum by (error_code) (count_over_time({app=\"gw\"} | json | error_code=\"oauth2.token.expired\" [5m]))", none},
	"dict comparison is no logql":                        {`E         {'error_code': 'oauth2.code.invalid'} != {'error_code': 'oauth2.code.expired'}`, errEnv("oauth2.code.invalid", 0)},
	"logql beside an error with a code":                  {`level=error msg="query failed" query="{app=\"x\"} | json" code=500 error_code=internal.error`, errEnv("internal.error", 500)},
	"datadog monitor query":                              {`query: sum(last_5m):sum:secondme.errors{error_code:oauth2.token.expired,env:prod}.as_count() > 20`, none},
	"datadog metric query":                               {`avg:secondme.errors{error_code:internal.error}.rollup(sum, 60)`, none},
	"datadog-like window in prose, with a code":          {`retry (last_5m): code=401 error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"grep hit in a markdown file":                        {`README.md:42:{"code": 401, "message": "令牌已过期", "error_code": "oauth2.token.expired"}`, none},
	"grep hit in a log file":                             {`logs/bridge.log:48213:{"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"a log line naming a markdown file":                  {`docs.md: {"code": 401, "error_code": "oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"runbook condition on an error code":                 {`RUNBOOK RB-22: if error_code=oauth2.application.pending_review, contact partner support; do not retry.`, none},
	"SAS condition on an error code":                     {`35           if error_code="oauth2.token.expired" then call symputx('need_refresh', 1);`, none},
	"condition word inside another word":                 {`motif error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 0)},
	"condition beside a logged code":                     {`retry if error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	"shell command grepping for an error code":           {`$ grep -c 'error_code=oauth2.token.expired' /var/log/kiosk/app.log`, none},
	"shell command with its output":                      {`$ secondme-admin keys revoke --id ak_9f2c  =>  {"code":404,"message":"x","error_code":"apikey.fetch.not_found"}`, errEnv("apikey.fetch.not_found", 404)},
	"cloudwatch logs insights query":                     {`fields @timestamp, error_code | filter error_code = "oauth2.token.expired" | stats count(*) by bin(5m)`, none},
	"insights query after a log prefix":                  {`2026-11-24 10:02:12,004 INFO running Logs Insights: fields @timestamp, @message | filter error_code = "oauth2.token.expired"`, none},
	"a pipe and filter word in a log, no fields":         {`job | filter error_code = oauth2.token.expired`, errEnv("oauth2.token.expired", 0)},
	"seq alert counting matched events":                  {`2026-11-24 19:14:05.0002|INFO|Ops.SeqAlertRelay|Seq alert "refresh revoked" fired: 37 events matching ErrorCode = 'oauth2.refresh_token.revoked' in 5 minutes`, none},
	"papertrail alert counting matched events":           {`Nov 24 10:46:35 papertrail: Alert "auth errors" matched 23 events for search "error_code=oauth2.token.expired"`, none},
	"cloudwatch alarm counting events":                   {`[ALARM] token-expired-spike: 37 events with error_code=oauth2.token.expired in the last 5 minutes (threshold 20)`, none},
	"elasticsearch watch counting hits":                  {`[2026-05-14T09:45:00,018][INFO ][o.e.x.w.a.l.ExecutableLoggingAction] [es-master-0] watch token-errors: 37 hits for error_code:oauth2.token.expired in the last 5m`, none},
	"a count of events with no notice's word":            {`worker: 3 events queued code=401 error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"entity body in a JSON string":                       {`{"level":50,"html":"<pre>{&quot;code&quot;:401,&quot;error_code&quot;:&quot;resource.auth.unauthorized&quot;}</pre>","msg":"upstream returned HTML"}`, errEnv("resource.auth.unauthorized", 401)},
	"entity body in a logfmt value":                      {`level=debug msg="rendered error page" html="<pre>{&#34;code&#34;:403,&#34;error_code&#34;:&#34;oauth2.application.suspended&#34;}</pre>"`, errEnv("oauth2.application.suspended", 403)},
	"entity body in a JUnit attribute loses its code":    {`<failure message="expected ReauthRequired but body was {&quot;code&quot;:401,&quot;error_code&quot;:&quot;oauth2.token.expired&quot;}" type="AssertionFailedError">`, errEnv("oauth2.token.expired", 0)},
	"logql query escaped in a JSON string":               {`{"body":{"stringValue":"{app=\"port-assistant\"} |= \"error_code\" | json | error_code=\"connection.error\""}}`, none},
	"an example label after a log's prefix":              {`2026-11-24T10:13:55.600Z  INFO 1 --- [main] o.s.d.w.s.SpringDocConfiguration : example: {"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, none},
	"haproxy logasap timers":                             {`Nov 24 10:27:04 lb-1 haproxy[812]: 10.0.3.21:42301 [24/Nov/2026:10:27:04.002] fe_egress be_secondme/sm-2 0/0/1/+240/+240 200 +512 - - ---- 6/6/1/1/0 0/0 {} "POST /gate/lab/api/secondme/chat/stream HTTP/1.1"`, Envelope{Kind: Response, Code: 200}},
	"sequel's parenthesised where":                       {`I, [2026-11-24T10:46:31.004001 #14]  INFO -- : (0.000412s) SELECT count(*) AS "count" FROM "failures" WHERE ("error_code" = 'oauth2.token.expired') LIMIT 1`, none},
	"a call's parenthesised quoted key":                  {`client.raise_for("error_code" = 'oauth2.token.expired') code=401`, errEnv("oauth2.token.expired", 401)},
	"a window's top error code":                          {`{"msg":"stats","window":"5m","secondme_errors":3,"top_error_code":"oauth2.token.expired"}`, none},
	"a desktop's error code is its own":                  {`desktop_error_code=oauth2.token.expired code=401`, errEnv("oauth2.token.expired", 401)},
	"events counted with no alert":                       {`batch: 12 events matching error_code=oauth2.token.expired dropped`, errEnv("oauth2.token.expired", 0)},
	"logql query filtering on a code":                    {`{app="kiosk-gw"} | json | error_code="oauth2.token.expired" | code="401"`, none},
	"grep hit after a CI log's time":                     {`2025-05-15T06:12:32.2214402Z docs/errors.md:52:{"code": 403, "message": "x", "error_code": "oauth2.scope.disallowed"}`, none},
	"a logged error after a CI log's time":               {`2025-05-15T06:12:32.2214402Z {"code": 403, "message": "x", "error_code": "oauth2.scope.disallowed"}`, errEnv("oauth2.scope.disallowed", 403)},
	"passing test named after an envelope":               {`  ✓ maps {"code":401,"error_code":"oauth2.token.expired"} to ReauthRequired (3 ms)`, none},
	"dotnet test's passing test":                         {`  Passed Lift.Tests.ErrorMappingTests.Maps(body: "{\"code\":401,\"error_code\":\"oauth2.token.expired\"}", expected: RefreshToken) [2 ms]`, none},
	"rspec documentation format example":                 {`    maps {"code":401,"error_code":"oauth2.token.expired"} to SecondMe::ReauthRequired`, none},
	"an indented log line with a body":                   {`    failed {"code":401,"error_code":"oauth2.token.expired"} then retried`, errEnv("oauth2.token.expired", 401)},
	"bun test's passing test":                            {`(pass) SecondMeClient > maps {"code":401,"error_code":"oauth2.token.expired"} to ReauthRequired [0.42ms]`, none},
	"hspec's passing test":                               {`      decodes {"code":401,"error_code":"oauth2.token.expired"} as TokenExpired [✔]`, none},
	"deno test's passing test":                           {`maps {"code":404,"error_code":"secondme.session.not_found"} to SessionGone ... ok (2ms)`, none},
	"deno test's failing test":                           {`maps {"code":404,"error_code":"secondme.session.not_found"} to SessionGone ... FAILED (2ms)`, errEnv("secondme.session.not_found", 404)},
	"a word ok in parentheses after dots":                {`retry ... ok (see {"code":404,"error_code":"secondme.session.not_found"} above)`, errEnv("secondme.session.not_found", 404)},
	"a word Passed in a log":                             {`Passed through: {"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"datadog monitor title":                              {`[Triggered on {error_code:oauth2.token.expired,service:kiosk-api}] SecondMe token errors above threshold`, none},
	"datadog monitor title, recovered":                   {`[Recovered on {error_code:internal.error}] Errors back to normal`, none},
	"bracketed word before an error code":                {`[Triggered-by-user] error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 0)},
	"datadog log search facet":                           {`service:kiosk-api @error_code:oauth2.token.expired status:error -@http.status_code:200`, none},
	"datadog log search facet, nested":                   {`saved view: (@http.status_code:401 @error.error_code:oauth2.token.expired)`, none},
	"an at sign before a logged error":                   {`user@example.com error_code:oauth2.token.expired code:401`, errEnv("oauth2.token.expired", 401)},
	"label then a spaced key":                            {`parsed error payload: error_code = oauth2.token.expired code = 401`, errEnv("oauth2.token.expired", 401)},
	"serilog dictionary success":                         {`[02:39:02 DBG] note saved [("code": 0), ("message": "success"), ("data": [("noteId": 88231)])]`, success},
	"broken header code of ours, status above":           {`{"request":{"method":"POST","uri":"/x"},"response":{"status":401,"headers":{"x-error-code":"OAuth2TokenExpired"}}}`, bad(ReasonBadErrorCode, 401)},
	"another vendor's header code, status above":         {`{"request":{"method":"POST","uri":"/x"},"response":{"status_code":502,"headers":{"Ngrok-Error-Code":["ERR_NGROK_8012"]}}}`, response(502)},
	"broken header code of ours, no request":             {`{"response":{"status":401,"headers":{"x-error-code":"OAuth2TokenExpired"}}}`, none},
	"header line alone, quoted value":                    {`x-error-code: "oauth2.token.expired"`, none},
	"ruby net/http wire header line":                     {`-> "x-error-code: oauth2.token.expired\r\n"`, none},
	"phoenix liveview socket is no probe":                {`{"ClientRequestMethod":"GET","ClientRequestURI":"/live/websocket?vsn=2.0.0","EdgeResponseStatus":101}`, response(101)},
	"a path below /live is a probe":                      {`{"method":"GET","uri":"/live/db","status":200}`, none},
	"splunk search in an audit line":                     {`Audit:[user=ops, action=search, search='search index=app error_code="oauth2.token.expired" | stats count by host']`, none},
	"a url's search part is read":                        {`{"search":"?error_code=oauth2.token.expired&code=401"}`, errEnv("oauth2.token.expired", 401)},
	"maven passing test after its level tag":             {`[INFO]   ✔ maps {"code":401,"error_code":"oauth2.token.expired"} to ReauthRequired`, none},
	"ruby inspect's instance variables":                  {`#<SecondMe::ApiError: lookup failed @code=404 @error_code="apikey.fetch.not_found" @request_id="sm-3e">`, errEnv("apikey.fetch.not_found", 404)},
	"example label starting a JSON string (GELF)":        {`{"version":"1.1","short_message":"Example error response: {\"code\": 401, \"error_code\": \"oauth2.token.expired\"}","level":6}`, none},
	"a string starting with another word":                {`{"version":"1.1","short_message":"Exchange failed: {\"code\": 401, \"error_code\": \"oauth2.token.expired\"}","level":3}`, errEnv("oauth2.token.expired", 401)},
	"logfmt in a JSON string, = escaped by Gson":         {`{"level":"WARN","msg":"upstream said error_code\u003doauth2.token.expired code\u003d401, will refresh"}`, errEnv("oauth2.token.expired", 401)},
	"a word code before Gson's escaped = alone":          {`{"msg":"exit code\u003d401"}`, none},
	"example label after a log prefix":                   {`2026-11-24T10:34:30.004000+00:00 web/hive Example error response: {"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, none},
	"a word example before a logged body":                {`sync failed for example.com: {"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"jsonpath filter pattern":                            {`+ pattern = "{ $.error_code = \"oauth2.token.expired\" }"`, none},
	"probe in an absolute url's request line":            {`http 2026-11-24T09:15:00.004512Z app/alb/50dc 10.0.0.5:40122 10.0.1.17:8080 0.000 0.002 0.000 200 200 140 15 "GET http://10.0.1.17:8080/health/readiness HTTP/1.1" "ELB-HealthChecker/2.0"`, none},
	"probe in a requestUrl":                              {`{"httpRequest":{"requestMethod":"GET","requestUrl":"https://api.example.app/healthz","status":200}}`, none},
	"probe under envoy gateway's origin path":            {`{"method":"GET","protocol":"HTTP/1.1","response_code":200,"user-agent":"kube-probe/1.31","x-envoy-origin-path":"/healthz"}`, none},
	"api call under envoy gateway's origin path":         {`{"method":"GET","protocol":"HTTP/1.1","response_code":200,"x-envoy-origin-path":"/api/x"}`, response(200)},
	"probe in a bare absolute url (logfmt)":              {`[reachability] method=GET url=https://dispatch.example.app/healthz status=200`, none},
	"api call in a bare absolute url (logfmt)":           {`[net] response status=201 method=POST url=https://dispatch.example.app/api/orders bytes=16`, response(201)},
	"an api call in a requestUrl":                        {`{"httpRequest":{"requestMethod":"GET","requestUrl":"https://api.example.app/v1/chat","status":200}}`, response(200)},
	"gin probe":                                          {`[GIN] 2026/11/24 - 19:02:12 | 200 |      91.2µs |        10.0.3.1 | GET      "/healthz"`, none},
	"tagged access probe":                                {`  --> GET /healthz 200 1ms 2b`, none},
	"nlog header line alone":                             {`2026-11-24 09:00:02.0090|TRACE|System.Net.Http.HttpClient.Api.ClientHandler|X-Error-Code: oauth2.token.expired`, none},
	"monolog cut body before empty context":              {`[2026-11-24T09:49:05.771201+00:00] secondme.ERROR: body: {"code":500,"message":"x","request_id":"r1","err…[truncated 212 bytes] [] []`, bad(ReasonTruncatedJSON, 500)},
	"dart test's passing test":                           {`00:04 +37: test/api/client_test.dart: maps {"code":401,"error_code":"oauth2.token.expired"} to TokenExpired`, none},
	"dart test's failing test logs":                      {`00:04 +37 -1: test/api/client_test.dart: got {"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"scalatest passing test":                             {`[info] - should map {"code":401,"message":"x","error_code":"oauth2.token.expired"} to TokenExpired (12 milliseconds)`, none},
	"scalatest failing test":                             {`[info] - should map {"code":401,"error_code":"oauth2.token.expired"} *** FAILED *** (12 milliseconds)`, errEnv("oauth2.token.expired", 401)},
	"junit tree passing test under maven":                {`[INFO] |  ✔ maps {"code":401,"error_code":"oauth2.token.expired"} to ReauthRequired - 0.012 ss`, none},
	"err custom field, a code of ours in the wrong case": {`10.20.3.15 - - [24/Nov/2026:10:23:20 +0800] "POST /api/secondme/chat/stream HTTP/1.1" 401 96 "-" "pos/4.2.1" rt=0.037 urt="0.037" err="OAuth2.Token.Revoked"`, bad(ReasonBadErrorCode, 401)},
	"err custom field, another dotted word":              {`10.20.3.15 - - [24/Nov/2026:10:23:20 +0800] "POST /api/x HTTP/1.1" 401 96 "-" "pos/4.2.1" err="Internal.Build.Tag"`, response(401)},
	"upstream_err custom field":                          {`10.20.0.22 - - [24/Nov/2026:10:28:02 +0100] "POST /oauth/token HTTP/1.1" 401 85 "-" "WordPress/6.7.1" upstream_err="oauth2.refresh_token.expired"`, errEnv("oauth2.refresh_token.expired", 401)},
	"custom field holding a header sent twice":           {`10.0.4.11 - - [24/Nov/2026:18:28:02 +0000] "POST /api/chat HTTP/1.1" 401 96 "-" "go-resty/2.12.0" err="oauth2.token.expired, oauth2.token.expired"`, bad(ReasonBadErrorCode, 401)},
	"pytest verbose passing test":                        {`tests/test_client.py::test_maps_error[error_code=oauth2.token.expired-code=401] PASSED                      [ 42%]`, none},
	"exunit passing test":                                {`  * test maps {"code":401,"error_code":"oauth2.token.expired"} to :reauth (2.4ms) [L#42]`, none},
	"kql query":                                          {`service.name:radio_callin and error_code:oauth2.token.expired and http.response.status_code >= 400`, none},
	"kql query, spaced and quoted":                       {`error_code : "oauth2.token.expired" and http.response.status_code >= 400 and service.name : "ferry-voice"`, none},
	"prose with and after an error code":                 {`refresh failed: error_code=oauth2.token.expired and retrying`, errEnv("oauth2.token.expired", 0)},
	"colour codes around logfmt keys":                    {"  \x1b[37;41;1m ERROR \x1b[39;49;22m failed: \x1b[33mcode\x1b[39m=403 \x1b[33merror_code\x1b[39m=oauth2.application.pending_review", errEnv("oauth2.application.pending_review", 403)},
	"grpc status before the envelope's code":             {`{"msg":"rpc failed","error":"rpc error: code = Unauthenticated desc = api: code=401 error_code=oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"access line as a prefix's value":                    {`[2026-11-24 18:06:30] access.INFO: "GET /api/coaches/14 HTTP/1.1" 200 2211 "-" "App/4.12.0"`, response(200)},
	"erlang map, binary values":                          {`2026-11-24 10:30:31.775 [error] decoded error #{code => 404,error_code => <<"apikey.fetch.not_found">>,message => <<"x"/utf8>>}`, errEnv("apikey.fetch.not_found", 404)},
	"erlang map, binary keys":                            {`reason: {http_error,401,#{<<"code">> => 401,<<"error_code">> => <<"oauth2.token.expired">>,<<"message">> => <<"令牌已过期"/utf8>>}}`, errEnv("oauth2.token.expired", 401)},
	"gradle passing test":                                {`ApiErrorMapperTest > maps {"code":401,"error_code":"oauth2.token.expired"} to ReauthRequired PASSED`, none},
	"gradle failing test":                                {`ApiErrorMapperTest > maps {"code":401,"error_code":"oauth2.token.expired"} to ReauthRequired FAILED`, errEnv("oauth2.token.expired", 401)},
	"prose under errorCode beside a code":                {`{"event": "supplier_error", "code": 401, "errorCode": "token expired"}`, none},
	"prose under error_code beside a code":               {`{"code":401,"error_code":"token expired"}`, bad(ReasonBadErrorCode, 401)},
	"positional header sent twice":                       {`10.20.2.45 - - [24/Nov/2026:10:05:52 +0800] "POST /api/chat HTTP/1.1" 401 96 "-" "okhttp/4.12.0" "oauth2.token.invalid, oauth2.token.invalid" 2210`, bad(ReasonBadErrorCode, 401)},
	"positional code in the wrong case":                  {`[2026-11-24T09:11:03.581Z] "GET /api/user/info HTTP/1.1" 401 - 0 104 7 6 "10.42.3.31" "reqwest/0.12.4" "a18f526f" "api.secondme.io" "10.96.14.2:443" "OAuth2.Token.Revoked"`, bad(ReasonBadErrorCode, 401)},
	"positional camel-case code":                         {`10.20.0.22 - - [24/Nov/2026:10:32:10 +0100] "GET /api/user/info HTTP/1.1" 401 97 "-" "WordPress/6.7.1" 5990 "OAuth2TokenExpired"`, bad(ReasonBadErrorCode, 401)},
	"positional field of another kind":                   {`10.20.0.22 - - [24/Nov/2026:10:32:10 +0100] "GET /api/user/info HTTP/1.1" 200 97 "-" "Mozilla/5.0 (X11, Linux)" "Internal.Build.Tag"`, response(200)},
	"failing test's output logs the envelope":            {`FAILED tests/test_user.py::test_user_info - AssertionError: {'code': 401, 'message': 'x', 'error_code': 'oauth2.token.expired'}`, errEnv("oauth2.token.expired", 401)},
	"example label in YAML":                              {`        example: {"code": 401, "message": "令牌已过期", "error_code": "oauth2.token.expired"}`, none},
	"example key on a JSON line of its own":              {`          "example": {"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, none},
	"examples key is no example label":                   {`"examples": 3, "code": 401, "error_code": "oauth2.token.expired"`, errEnv("oauth2.token.expired", 401)},
	"example label in prose":                             {`Example error response: {"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, none},
	"examples path assigned a body":                      {`openapi-lint: components.examples.TokenExpired.value = {"code": 401, "message": "x", "error_code": "oauth2.token.expired"}`, none},
	"example as a log's value":                           {`level=error msg="see example" code=401 error_code=oauth2.token.expired`, errEnv("oauth2.token.expired", 401)},
	"examples host in a logged body":                     {`POST https://api.examples.com/x = {"code": 401, "error_code": "oauth2.token.expired"} failed`, errEnv("oauth2.token.expired", 401)},
	"blank error code in logfmt":                         {`level=error code=500 error_code=""`, bad(ReasonBadErrorCode, 500)},
	"blank error code in logfmt, prefixed":               {`ts=2025-11-29T02:41:30Z level=warn error.code=401 error.error_code="" msg="empty"`, bad(ReasonBadErrorCode, 401)},
	"blank error code in logfmt, code after":             {`level=error error_code="" code=503`, bad(ReasonBadErrorCode, 503)},
	"blank error code beside a 2xx code":                 {`level=info code=200 error_code=""`, none},
	"blank error code beside a gateway status":           {`method=POST uri=/api/x status=502 error_code=""`, response(502)},
	"unquoted empty error code in logfmt":                {`level=error code=500 error_code= msg=x`, none},
	"blank error code in a success":                      {`{"code":0,"message":"success","error_code":"","data":{}}`, success},
	"request line and a status key":                      {`10.24.3.17 - - [24/Nov/2026:10:17:34 +0800] "GET /api/secondme/user/info HTTP/1.1" status=401 bytes=62 rt=0.003 error_code=- ua="curl/8.5.0"`, response(401)},
	"gin access":                                         {`[GIN] 2026/11/24 - 10:30:34 | 502 |        9.118s |       10.1.3.18 | POST     "/v1/sync"`, response(502)},
	"gin access, One API's request id":                   {`[GIN] 2026/11/24 - 10:02:13 | 2026112410021335896452118273645 | 401 |  612.338201ms |      172.19.0.1 |    POST /v1/chat/completions`, response(401)},
	"gin access, a word and no status":                   {`[GIN] 2026/11/24 - 10:02:13 | warming | caches |  1ms |`, none},
	"gin access coloured":                                {"[GIN] 2026/11/24 - 10:30:34 |\x1b[97;41m 502 \x1b[0m|        9.118s |       10.1.3.18 |\x1b[97;46m POST    \x1b[0m \"/v1/sync\"", response(502)},
	"gin access with a trailing error code":              {`[GIN] 2025/02/14 - 08:45:10 | 400 |     12.1ms |      10.0.0.8 | POST     "/oauth/secondme/callback" error_code=oauth2.code.used`, errEnv("oauth2.code.used", 400)},
	"gin access with an error": {`[GIN] 2026/11/24 - 10:30:34 | 401 |  9.1ms |  10.1.3.18 | POST     "/v1/sync" Error #01: upstream: {"code":401,"error_code":"oauth2.token.expired"}`,
		errEnv("oauth2.token.expired", 401)},
	"krakend access":        {`[KRAKEND] 2026/11/24 - 10:04:03.118 [AccessLog] | 401 |   35.120412ms |   203.0.113.44 | POST     "/api/oauth/token/refresh"`, response(401)},
	"gin debug":             {`[GIN-debug] POST   /v1/sync                  --> main.sync (3 handlers) | 401 |`, none},
	"gin no status":         {`[GIN] 2026/11/24 - 10:30:34 | abc |        9.118s |       10.1.3.18 | POST     "/v1/sync"`, none},
	"wrangler dev access":   {`[wrangler:inf] POST /v1/chat 401 Unauthorized (612ms)`, response(401)},
	"wrangler dev other":    {`[wrangler:inf] Ready on http://localhost:8787`, none},
	"hono logger":           {"--> POST /v1/chat \x1b[33m401\x1b[0m 612ms", response(401)},
	"koa-logger":            {`  --> GET /api/secondme/user/info 503 1,204ms 93b`, response(503)},
	"koa-logger incoming":   {`  <-- GET /api/secondme/user/info`, none},
	"curl write-out":        {`http_code=429 time_total=0.212 url=https://api.secondme.io/api/secondme/chat/stream`, response(429)},
	"curl write-out alone":  {`http_code=200 time_total=0.212`, none},
	"wrangler dev coloured": {"\x1b[32m[wrangler:inf]\x1b[0m GET /api/secondme/user/info \x1b[32m200\x1b[0m OK (88ms)", response(200)},
	"koa-logger coloured":   {"  \x1b[90m-->\x1b[39m \x1b[1mPOST\x1b[22m \x1b[90m/api/chat\x1b[39m \x1b[33m401\x1b[39m \x1b[90m612ms\x1b[39m \x1b[90m86b\x1b[39m", response(401)},
	"gin coloured tag":      {"\x1b[0m[GIN] 2026/11/24 - 10:30:34 |\x1b[97;41m 502 \x1b[0m|        9.118s |       10.1.3.18 | POST     \"/v1/sync\"", response(502)},
	"coloured okhttp line":  {"\x1b[90m-->\x1b[39m POST https://api.secondme.io/api/chat (182-byte body)", none},
	"okhttp request line":   {`--> POST https://app.mindos.com/gate/lab/api/oauth/token/code (182-byte body)`, none},
	"arrow no status":       {`--> POST /v1/chat 4010 612ms`, none},
	"arrow bad status":      {`--> POST /v1/chat 999 612ms`, none},
	"php var_dump success":  {`array(2) { ["code"]=> int(0) ["data"]=> array(0) { } }`, success},
	"php var_dump xdebug":   {"array(2) {\n  'code' =>\n  int(401)\n  'error_code' =>\n  string(20) \"oauth2.token.expired\"\n}", errEnv("oauth2.token.expired", 401)},
	// An HTTP response dump joined by the Assembler: the header's code and the body's are one error.
	"curl response dump": {"< HTTP/2 401\n< x-error-code: apikey.auth.invalid\n<\n{\n  \"code\": 401,\n  \"error_code\": \"apikey.auth.invalid\"\n}",
		errEnv("apikey.auth.invalid", 401)},
	// A dump of headers alone (no body, or one printed elsewhere): the status line's status.
	"curl -v headers alone":  {"< HTTP/2 429\n< date: Mon, 24 Nov 2025 02:15:02 GMT\n< x-error-code: secondme.rate_limit.exceeded\n< retry-after: 30\n<", errEnv("secondme.rate_limit.exceeded", 429)},
	"curl -I headers alone":  {"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nX-Error-Code: oauth2.token.expired\r", errEnv("oauth2.token.expired", 401)},
	"mitmdump headers alone": {"    << HTTP/2.0 403 Forbidden 0b\n        x-error-code: apikey.permission.denied", errEnv("apikey.permission.denied", 403)},
	// A lone header line: the client that logs it logs the body too.
	"a header line alone":         {"< x-error-code: oauth2.token.expired", none},
	"okhttp header line alone":    {"11-24 10:19:24.144  9921  9987 I okhttp.OkHttpClient: x-error-code: oauth2.refresh_token.expired", none},
	"wire log header line alone":  {`2026-11-24 09:17:33,102 DEBUG org.apache.http.wire - http-outgoing-12 << "X-SecondMe-Error-Code: secondme.session.not_found[\r][\n]"`, none},
	"wire log header, more after": {`DEBUG org.apache.http.wire - http-outgoing-12 << "X-Error-Code: secondme.session.not_found[\r][\n]" retried`, errEnv("secondme.session.not_found", 0)},
	"a header beside a status":    {"Error-Code: apikey.auth.missing | Status: 401 | Path: /api/x", errEnv("apikey.auth.missing", 401)},
	"a logfmt error code alone":   {"level=warn error_code=oauth2.token.expired", errEnv("oauth2.token.expired", 0)},
	// A Prometheus sample counts errors; it reports none itself (an exporter's
	// /metrics page, a scrape or a log of one).
	"prometheus sample":                {`secondme_api_errors_total{error_code="oauth2.token.expired",code="401"} 17`, none},
	"prometheus sample after a prefix": {`[2026-11-24 10:55:07.550] [metrics] [info] secondme_requests_total{code="401",error_code="oauth2.token.expired"} 17 1714528800000`, none},
	"micrometer sample":                {`http_server_requests_seconds_count{method="POST",outcome="CLIENT_ERROR",status="401",uri="/x/{id}",} 17.0`, none},
	"prometheus sample in a string":    {`{"msg":"scrape: secondme_api_errors_total{error_code=\"oauth2.token.expired\",code=\"401\"} 17"}`, none},
	"promql range selector":            {`expr: sum(rate(secondme_errors_total{error_code="connection.error"}[5m])) by (code) > 1`, none},
	"promql aggregation":               {`query: sum(secondme_errors_total{error_code="connection.error",code="503"}) > 1`, none},
	"quoted tags, a statistic":         {`secondme-sapi http.requests{status="401",route="/user"} count=12 mean_ms=231.4`, none},
	"slf4j reporter":                   {`INFO c.a.t.metrics.Slf4jReporter [] - secondme.errors{error_code=oauth2.token.revoked,code=401}: count=1 m1_rate=0.016`, none},
	"geth metrics line":                {`INFO [11-24|10:02:00.000] Metrics    secondme_errors_total{error_code="oauth2.token.invalid"}=1 rpc_errors=3`, none},
	// A word the sample's value runs into is one word, as the pre-filter reads it: no "status" key.
	"a sample's value run into a word": {`x{a="b"} 0status="401" uri=/x`, none},
	"a statistic run into a word":      {`n{a=b} count=1status=401 uri=/x`, none},
	// Not samples: no value after the labels, a Java toString.
	"labels without a value":    {`x{error_code="oauth2.token.expired",code="401"}`, errEnv("oauth2.token.expired", 401)},
	"java toString with braces": {`ApiError{code=401, message='x', errorCode='oauth2.token.expired'}`, errEnv("oauth2.token.expired", 401)},
	"ktor client": {`io.ktor.client.plugins.ClientRequestException: Client request(GET https://api.secondme.io/api/x) invalid: 401 Unauthorized. Text: "{"code":403,"message":"x","error_code":"apikey.permission.denied"}"`,
		errEnv("apikey.permission.denied", 403)},
	"feign client": {`feign.FeignException$Unauthorized: [401 Unauthorized] during [GET] to [https://api.secondme.io/api/x] [Api#get()]: [{"code":401,"message":"x","error_code":"oauth2.token.expired"}]`,
		errEnv("oauth2.token.expired", 401)},
	"a brace string is a string": {`{"open":"{","code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	// A message quoted without escaping, a JSON body at its end: nginx logging
	// PHP-FPM's stderr, PHP-FPM's own log, a JSON string broken the same way.
	"nginx fastcgi stderr": {`2026/11/24 02:58:41 [error] 2211#2211: *90871 FastCGI sent in stderr: "PHP message: SecondMe API error: {"code":403,"message":"应用已被暂停","error_code":"oauth2.application.suspended"}" while reading response header from upstream, client: 198.51.100.7, request: "POST /wp-admin/admin-ajax.php HTTP/2.0"`,
		errEnv("oauth2.application.suspended", 403)},
	"php-fpm child stderr":               {`[24-Nov-2026 03:01:55] WARNING: [pool www] child 40211 said into stderr: "NOTICE: PHP message: SecondMe API error: {"code":401,"message":"令牌已过期","error_code":"oauth2.token.expired"}"`, errEnv("oauth2.token.expired", 401)},
	"traceback source line, stray quote": {`    raise RuntimeError(f"SecondMe API error {resp.text}") RuntimeError: SecondMe API error {"code":503,"message":"服务连接错误","error_code":"connection.error"}`, errEnv("connection.error", 503)},
	"spark traceback in json":            {`{"level":"ERROR","exception":{"msg":"Traceback (most recent call last):\n  File \"/opt/jobs/enrich.py\", line 88, in call_api\n    raise RuntimeError(f\"SecondMe API error {resp.text}\")\nRuntimeError: SecondMe API error {\"code\":400,\"message\":\"授权码已被使用\",\"error_code\":\"oauth2.code.used\"}\n"},"logger":"Executor"}`, errEnv("oauth2.code.used", 400)},
	"json string quoting a body":         {`{"level":"error","msg":"API error: {"code":400,"error_code":"oauth2.scope.invalid","message":"x"}"}`, errEnv("oauth2.scope.invalid", 400)},
	// A value cut before a logger's context, no separator before its brace: a string.
	"cut value before context": {`[2025-03-14 11:10:31] production.WARNING: invalid JSON: {"code":503,"message":"x","error_code":"connec {"userId":80,"bytes":57}`, bad(ReasonBadErrorCode, 503)},
	"nginx escaped body":       {`10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "POST /api/chat HTTP/1.1" 401 75 "-" "okhttp/4.12.0" resp_body="{\x22code\x22:401,\x22message\x22:\x22\xE4\xBB\xA4\x22,\x22error_code\x22:\x22oauth2.token.expired\x22}"`, errEnv("oauth2.token.expired", 401)},
	"nginx escaped body only":  {`upstream said: body="{\x22code\x22:429,\x22error_code\x22:\x22apikey.rate.limited\x22}"`, errEnv("apikey.rate.limited", 429)},
	"nginx upstream_status":    {`{"ts":"t","upstream_status":"401","request_uri":"/api/x","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},

	// Precedence
	"code+error beats error alone, outer":  {`{"a":{"code":500,"error_code":"internal.error"},"error_code":"oauth2.token.expired"}`, errEnv("internal.error", 500)},
	"outermost wins among equals":          {`{"a":{"code":500,"error_code":"internal.error"},"code":401,"error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"first wins at equal depth":            {`{"a":{"code":500,"error_code":"internal.error"},"b":{"code":401,"error_code":"oauth2.token.expired"}}`, errEnv("internal.error", 500)},
	"error beats success":                  {`{"code":0,"message":"ok","data":{"error_code":"oauth2.token.expired"}}`, errEnv("oauth2.token.expired", 0)},
	"valid error beats malformed":          {`{"a":{"code":401,"error_code":"Bad.Code"},"b":{"code":401,"error_code":"oauth2.token.expired"}}`, errEnv("oauth2.token.expired", 401)},
	"first valid error key in an object":   {`{"code":401,"errorCode":"ThrottlingException","error_code":"oauth2.token.expired"}`, errEnv("oauth2.token.expired", 401)},
	"success beats response":               {`{"status":200,"method":"GET","body":"{\"code\":0,\"message\":\"success\"}"}`, success},
	"error and gateway status beats alone": {`{"x":{"error_code":"internal.error"},"y":{"status":503,"error_code":"connection.error"}}`, errEnv("connection.error", 503)},

	// Malformed
	"bad error code uppercase":  {`{"code":401,"error_code":"OAuth2.Token.Expired"}`, bad(ReasonBadErrorCode, 401)},
	"bad error code 5 segments": {`{"code":401,"error_code":"oauth2.token.expired.extra.more"}`, bad(ReasonBadErrorCode, 401)},
	"bad error code empty seg":  {`{"code":401,"error_code":"oauth2..token"}`, bad(ReasonBadErrorCode, 401)},
	"bad error code one seg":    {`{"code":500,"error_code":"error"}`, bad(ReasonBadErrorCode, 500)},
	"bad error code prose+code": {`{"code":401,"error_code":"token expired"}`, bad(ReasonBadErrorCode, 401)},
	"bad error code too long":   {`{"code":401,"error_code":"a.` + strings.Repeat("b", 200) + `"}`, bad(ReasonBadErrorCode, 401)},
	"bad error code alone":      {`{"level":"warn","error_code":"OAuth2.Token.Expired"}`, bad(ReasonBadErrorCode, 0)},
	"bad error code logfmt":     {`level=error error_code=Oauth2.Token code=401`, bad(ReasonBadErrorCode, 401)},
	// A log masker's placeholder where the error code was: the error is known, its code not.
	"masked error code":          {`{"body":{"code":401,"message":"[REDACTED]","error_code":"[REDACTED]"}}`, bad(ReasonBadErrorCode, 401)},
	"masked error code, angled":  {`{"code":403,"error_code":"<redacted>"}`, bad(ReasonBadErrorCode, 403)},
	"os_log private error code":  {`SecondMeDemo[4312:2193901] [API] token refresh rejected code=401 error_code=<private>`, bad(ReasonBadErrorCode, 401)},
	"os_log private code":        {`request failed: error_code=oauth2.token.invalid code=<private>`, bad(ReasonBadCode, 0)},
	"masked error code alone":    {`{"error_code":"[FILTERED]"}`, none},
	"no placeholder: empty, nil": {`{"code":401,"error_code":"[]","x":"<nil>"} code=401 error_code=<nil>`, none},
	// Neither value a value: a type declaration or a template, no envelope.
	"type declaration":                   {`  12 | export type SecondMeError = { code: number; message: string; error_code: string };`, none},
	"pydantic model":                     {`class E(BaseModel): code: int; error_code: str`, none},
	"template variables":                 {`log_format e escape=json '{"code":$status,"error_code":"$upstream_http_x_error_code"}';`, none},
	"bad code and dotted bad error code": {`{"code":"ABC","error_code":"OAuth2.Token.Expired"}`, bad(ReasonBadErrorCode, 0)},
	"bad code string":                    {`{"code":"ABC","error_code":"oauth2.token.expired"}`, bad(ReasonBadCode, 0)},
	"bad code fraction":                  {`{"code":401.5,"error_code":"oauth2.token.expired"}`, bad(ReasonBadCode, 0)},
	"bad code overflow":                  {`{"code":99999999999999999999999,"error_code":"oauth2.token.expired"}`, bad(ReasonBadCode, 0)},
	"bad code bool":                      {`{"code":true,"error_code":"oauth2.token.expired"}`, bad(ReasonBadCode, 0)},
	"bad code object":                    {`{"code":{"http":401},"error_code":"oauth2.token.expired"}`, bad(ReasonBadCode, 0)},
	"truncated in value":                 {`{"code":401,"message":"x","error_code":"oauth2.token.exp`, bad(ReasonTruncatedJSON, 401)},
	"truncated after value":              {`{"code":401,"message":"x","error_code":"oauth2.token.expired"`, errEnv("oauth2.token.expired", 401)},
	"truncated in code":                  {`{"error_code":"oauth2.token.expired","code":40`, bad(ReasonTruncatedJSON, 40)},
	"truncated in code string":           {`{"error_code":"oauth2.token.expired","code":"40`, bad(ReasonTruncatedJSON, 40)},
	"truncated in bare value":            {`{code: 401, error_code: oauth2.token.exp`, bad(ReasonTruncatedJSON, 401)},
	"truncated after bare code":          {`{error_code: oauth2.token.expired, code: 401 `, bad(ReasonTruncatedJSON, 401)},
	"guzzle body excerpt":                {"[2026-11-26 10:00:00] production.ERROR: Client error: `POST https://api.secondme.io/api/chat` resulted in a `400 Bad Request` response:\n" + `{"code":400,"message":"参数错误","error_code":"invalid.param","data":null,"trace (truncated...)`, errEnv("invalid.param", 400)},
	"truncated nested string":            {`{"level":"error","body":"{\"code\":401,\"error_code\":\"oauth2.tok`, bad(ReasonTruncatedJSON, 401)},
	"truncated but inner whole":          {`{"level":"error","resp":{"code":401,"error_code":"oauth2.token.expired"},"stack":"at x`, errEnv("oauth2.token.expired", 401)},
	// An error body cut before its error code: the cut took it.
	"cut in the message":                  {`2026-11-24 10:00:00 ERROR client: {"code":500,"message":"内部服务器`, bad(ReasonTruncatedJSON, 500)},
	"cut in the error_code key":           {`{"code":401,"message":"令牌已过期","error_co`, bad(ReasonTruncatedJSON, 401)},
	"cut with an ellipsis":                {`api error: {"code":403,"message":"x","err…`, bad(ReasonTruncatedJSON, 403)},
	"cut in a python dict":                {`failed: {'code': 503, 'message': 'conn`, bad(ReasonTruncatedJSON, 503)},
	"cut body in a cut gateway line":      {`{"status":500,"method":"POST","body":"{\"code\":500,\"message\":\"x\",\"error_co`, bad(ReasonTruncatedJSON, 500)},
	"cut body preview in a whole line":    {`{"level":"error","preview":"{\"code\":404,\"message\":\"会话不","attempt":2}`, bad(ReasonTruncatedJSON, 404)},
	"api gateway truncated body":          {`Endpoint response body before transformations: {"code":500,"message":"上下文构建失败: load m [TRUNCATED]`, bad(ReasonTruncatedJSON, 500)},
	"cut before a truncation note":        {`2024-11-03T14:41:06.771Z ERROR secondme body: {"code":401,"message":"令牌已过期","error_co…[truncated]`, bad(ReasonTruncatedJSON, 401)},
	"cut before a sized truncation note":  {`body={"code":503,"message":"服务连接错误","err…[truncated 41 bytes]`, bad(ReasonTruncatedJSON, 503)},
	"a bracketed word after a whole body": {`{"code":401,"message":"x","error_code":"oauth2.token.expired"} [retrying]`, errEnv("oauth2.token.expired", 401)},
	"a bracket after a cut is no note":    {`{"code":401,"message":"x [note]`, none},
	"cut after a member is a split line":  {`2026-11-24 ERROR body: {"code": 500, "message": "x",`, none},
	"cut after the opening line":          {`{  "code": 401,`, none},
	"cut success body":                    {`{"code":0,"message":"succ`, none},
	// A hex dump's text column shows 16 bytes a line: no body cut by a limit.
	"hexdump -C text column":        {`00000000  7b 22 63 6f 64 65 22 3a  34 30 31 2c 22 6d 65 73  |{"code":401,"mes|`, none},
	"xxd text column":               {`00000000: 7b22 636f 6465 223a 3430 312c 226d 6573  {"code":401,"mes`, none},
	"MQ hex dump, quoted text":      {`00000000:  7B22 636F 6465 223A 3430 312C 226D 6573 '{"code":401,"mes'`, none},
	"System.Net trace hex dump":     {`System.Net Verbose: 0 : [4312] 00000000 : 7B 22 63 6F 64 65 22 3A-34 30 31 2C 22 6D 65 73 : {"code":401,"mes`, none},
	"BitConverter hex dump":         {`System.Net.Http Information: 0 : [12] 00000000 : 7B-22-63-6F-64-65-22-3A-34-30-31-2C-22-6D-65-73 : {"code":401,"mes`, none},
	"hex dump in a JSON string":     {`{"msg":"00000000:  7B22 636F 6465 223A 3430 312C 226D 6573 '{\"code\":401,\"mes'"}`, none},
	"Netty hex dump":                {`|00000000| 7b 22 63 6f 64 65 22 3a 35 30 30 2c 22 6d 65 73 |{"code":500,"mes|`, none},
	"ESP-IDF hex dump":              {"\x1b[0;31mE (3700213) http: 0x3fcb2c10   7b 22 63 6f 64 65 22 3a  34 30 34 2c 22 6d 65 73  |{\"code\":404,\"mes|\x1b[0m", none},
	"hex words, then a cut body":    {`trace 7b 22 63 6f 64 65 22 3a upstream said: {"code":500,"message":"an error body cut by a size limit after many more bytes than a dump line shows`, bad(ReasonTruncatedJSON, 500)},
	"cut body of no error status":   {`{"code":200,"message":"o`, none},
	"cut body of a business code":   {`{"code":40004,"msg":"Business Fai`, none},
	"cut body under bare keys":      {`failed: {code: 500, message: "upstream ti`, none},
	"header error beats a cut body": {`status=500 x-error-code=internal.error body={"code":500,"message":"x`, errEnv("internal.error", 500)},
	"too deep":                      {`{"a":` + strings.Repeat("[", 200) + `{"code":500,"error_code":"internal.error"}` + strings.Repeat("]", 200) + "}", bad(ReasonTooDeep, 0)},
	"too deep, in a string":         {`{"a":` + strings.Repeat("[", 200) + `"{\"code\":500,\"error_code\":\"internal.error\"}"` + strings.Repeat("]", 200) + "}", bad(ReasonTooDeep, 0)},
	// A request line alone, too deep to parse, loses no candidate (found by FuzzParse).
	"too deep, a request line only": {`status=200 ` + strings.Repeat("(", 130) + `"\0""0000HTTP/0",`, none},
	"too deep but outer fine":       {`{"code":401,"error_code":"oauth2.token.expired","a":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "}", errEnv("oauth2.token.expired", 401)},

	// No envelope, no false positive
	"code ABC alone":             {`{"level":"info","code":"ABC","message":"x"}`, none},
	"code without error":         {`{"code":401,"message":"Unauthorized"}`, none},
	"code 0 without message":     {`{"level":"info","msg":"exited","code":0}`, none},
	"exit code logfmt":           {`level=warn msg="child exited" code=1 pid=42`, none},
	"node mode decode":           {`{"level":"info","msg":"decode payload","node":"n1","mode":"batch","codec":"gzip","unicode":true}`, none},
	"status ok":                  {`{"level":"info","status":"ok","path":"/health"}`, none},
	"status without request":     {`{"level":"info","status":200}`, none},
	"stack trace":                {"\tat com.secondme.client.ErrorDecoder.decode(error_code.java:42)", none},
	"python KeyError":            {`KeyError: 'error_code'`, none},
	"python traceback source":    {`    code = resp['error_code']`, none},
	"documentation":              {`usage: set error_code= to filter, and code= for the status`, none},
	"comparison":                 {`if resp.error_code == "oauth2.token.expired" then refresh`, none},
	"prose under errorCode":      {`{"errorCode":"ThrottlingException","message":"Rate exceeded"}`, none},
	"prose value no code":        {`{"error_code":"Token has expired"}`, none},
	"numeric error code":         {`{"code":401,"error_code":40101}`, bad(ReasonBadErrorCode, 401)},
	"numeric error code quoted":  {`{"code": 401, "message": "invalid token", "error_code": "40001"}`, bad(ReasonBadErrorCode, 401)},
	"numeric error code string":  {`{"code":401,"errorCode":"40101"}`, none},
	"playfab errorCode":          {`{"code":401,"status":"Unauthorized","error":"NotAuthenticated","errorCode":1074,"errorMessage":"x"}`, none},
	"telegram error_code":        {`sendMessage failed: {"ok":false,"error_code":401,"description":"Unauthorized"}`, none},
	"baidu error_code":           {`{"error_code":110,"error_msg":"Access token invalid or no longer valid"}`, none},
	"numeric error code ok body": {`{"code":0,"message":"success","error_code":0,"data":{}}`, success},
	"numeric header at gateway":  {`{"status":401,"request_uri":"/sns/userinfo","upstream_http_x_error_code":"40001"}`, response(401)},
	"null error code":            {`{"code":0,"message":"success","error_code":null}`, success},
	"dash error code":            {`error_code=- code=200`, none},
	"sql":                        {`DEBUG sql: SELECT id, error_code, status FROM api_errors WHERE code = 401`, none},
	"empty":                      {``, none},
	"only braces":                {`{}{}[]()`, none},
	"static file access no HTTP": {`10.0.0.1 - - [24/Nov/2026] "GET /static/app.js" 200 123`, none},
	"error_code key in array":    {`["error_code","oauth2.token.expired"]`, none},
}

// journalExport is a journalctl -o json (or, pretty, -o json-pretty) record
// whose MESSAGE is msg's bytes, as journalctl writes a message holding control
// bytes.
func journalExport(msg string, pretty bool) string {
	sep, open, comma, close, nl := ":", "[", ",", "]", ""
	if pretty {
		sep, open, comma, close, nl = " : ", "[ ", ", ", " ]", "\n\t"
	}
	var b strings.Builder
	b.WriteString("{" + nl + `"__CURSOR"` + sep + `"s=9b2f;i=1a300"` + "," + nl + `"PRIORITY"` + sep + `"3"` + "," + nl + `"MESSAGE"` + sep + open)
	for i := 0; i < len(msg); i++ {
		if i > 0 {
			b.WriteString(comma)
		}
		fmt.Fprint(&b, msg[i])
	}
	b.WriteString(close + "," + nl + `"_PID"` + sep + `"1187"` + strings.TrimSuffix(nl, "\t") + "}")
	return b.String()
}

func TestParseShapes(t *testing.T) {
	p := New(nil)
	for name, tc := range shapes {
		t.Run(name, func(t *testing.T) {
			got := p.Parse([]byte(tc.in))
			if got != tc.want {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
			}
			// The same record again, after other records: no state leaks.
			if again := p.Parse([]byte(tc.in)); again != got {
				t.Errorf("second Parse differs: %+v", again)
			}
			if unfiltered := parseUnfiltered([]byte(tc.in)); unfiltered != got {
				t.Errorf("without the pre-filter: %+v", unfiltered)
			}
		})
	}
}

// TestParseEveryCatalogCode runs every catalog code through a shape of each family.
func TestParseEveryCatalogCode(t *testing.T) {
	p := New(nil)
	templates := map[string]string{
		"json":        `{"code":%[2]d,"message":"m","error_code":"%[1]s"}`,
		"nested":      `{"level":"error","err":{"response":{"data":{"code":%[2]d,"error_code":"%[1]s"}}}}`,
		"string":      `{"body":"{\"code\":%[2]d,\"error_code\":\"%[1]s\"}"}`,
		"sse":         `data: {"code":%[2]d,"error_code":"%[1]s"}`,
		"logfmt":      `level=error code=%[2]d error_code=%[1]s`,
		"python":      `{'code': %[2]d, 'error_code': '%[1]s', 'ok': False}`,
		"gateway":     `{"status":%[2]d,"method":"GET","uri":"/x","upstream_http_x_error_code":"%[1]s"}`,
		"access text": `1.2.3.4 - - [24/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" %[2]d 0 "-" "ua" "%[1]s"`,
	}
	for _, e := range catalog.Default().Entries() {
		for shape, tmpl := range templates {
			line := fmt.Sprintf(tmpl, e.Code, e.Status)
			got := p.Parse([]byte(line))
			if want := errEnv(e.Code, e.Status); got != want {
				t.Errorf("%s %s: got %+v want %+v\n%s", e.Code, shape, got, want, line)
			}
		}
		alone := p.Parse([]byte(`{"error_code":"` + e.Code + `"}`))
		cl := catalog.Default().Classify(alone.ErrorCode, alone.Code)
		if alone.Kind != Error || cl.Code != e.Status || !cl.Known || cl.Mismatch {
			t.Errorf("%s alone: %+v classified %+v", e.Code, alone, cl)
		}
	}
}

// TestParseAllocations: no allocation for lines without an envelope and for
// catalog codes; one for a code outside the catalog (its string).
func TestParseAllocations(t *testing.T) {
	p := New(nil)
	cases := map[string]struct {
		line   string
		allocs float64
	}{
		"none":           {`{"time":"t","level":"INFO","msg":"decode node mode","status":"ok","code":"ABC"}`, 0},
		"catalog code":   {`{"level":"error","body":"{\"code\":401,\"error_code\":\"oauth2.token.expired\"}"}`, 0},
		"python":         {`{'code': 401, 'error_code': 'oauth2.token.expired'}`, 0},
		"response":       {`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 1`, 0},
		"malformed":      {`{"code":401,"error_code":"Bad.Code"}`, 0},
		"unknown code":   {`{"code":503,"error_code":"secondme.voice.unavailable"}`, 0}, // interned after the first
		"double encoded": {`{"log":"{\"body\":\"{\\\"code\\\":500,\\\"error_code\\\":\\\"internal.error\\\"}\"}"}`, 0},
	}
	for name, tc := range cases {
		line := []byte(tc.line)
		p.Parse(line) // warm the scratch buffers
		got := testing.AllocsPerRun(50, func() { p.Parse(line) })
		if got > tc.allocs {
			t.Errorf("%s: %.1f allocations per Parse, want <= %.0f", name, got, tc.allocs)
		}
	}
}

// encodeN wraps s as a JSON string value n times: {"a":"<s escaped>"}.
func encodeN(s string, n int) string {
	for range n {
		s = `{"a":"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"}`
	}
	return s
}

func TestStringEncodingDepth(t *testing.T) {
	p := New(nil)
	env := `{"code":500,"error_code":"internal.error"}`
	for n := 0; n < maxLevels; n++ {
		if got := p.Parse([]byte(encodeN(env, n))); got != errEnv("internal.error", 500) {
			t.Errorf("%d encodings: %+v", n, got)
		}
	}
	if got := p.Parse([]byte(encodeN(env, maxLevels))); got != bad(ReasonTooDeep, 0) {
		t.Errorf("%d encodings: %+v, want too_deep", maxLevels, got)
	}
}

func TestUnknownCodesInternedBounded(t *testing.T) {
	p := New(nil)
	for i := range maxUnknownInterned + 10 {
		line := []byte(fmt.Sprintf(`{"code":500,"error_code":"secondme.new%d.failed"}`, i))
		if got := p.Parse(line); got.Kind != Error {
			t.Fatalf("%s: %+v", line, got)
		}
	}
	if len(p.unknown) != maxUnknownInterned {
		t.Errorf("%d codes interned, want the bound %d", len(p.unknown), maxUnknownInterned)
	}
	line := []byte(`{"code":500,"error_code":"secondme.overflow.failed"}`)
	if a := testing.AllocsPerRun(20, func() { p.Parse(line) }); a > 1 {
		t.Errorf("%.1f allocations past the intern bound, want at most 1", a)
	}
}

func TestMalformedReasons(t *testing.T) {
	rs := MalformedReasons()
	seen := map[MalformedReason]bool{}
	for _, r := range rs {
		if r == "" || seen[r] || strings.ToLower(string(r)) != string(r) {
			t.Errorf("bad reason %q", r)
		}
		seen[r] = true
	}
	for _, want := range []MalformedReason{"bad_error_code", "bad_code", "truncated_json", "too_deep", "oversized", "multiline_overflow"} {
		if !seen[want] {
			t.Errorf("MalformedReasons lacks %q", want)
		}
	}
	// Every reason the parser reports is in the closed set.
	for name, tc := range shapes {
		if tc.want.Kind == Malformed && !seen[tc.want.Reason] {
			t.Errorf("%s: reason %q not in MalformedReasons", name, tc.want.Reason)
		}
	}
	rs[0] = "mutated"
	if MalformedReasons()[0] == "mutated" {
		t.Error("MalformedReasons returns shared state")
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{None: "none", Error: "error", Success: "success", Response: "response", Malformed: "malformed", 99: "invalid"} {
		if k.String() != want {
			t.Errorf("Kind(%d).String() = %q", k, k.String())
		}
	}
}

func TestUserCatalogInterning(t *testing.T) {
	cat, err := catalog.Load("user.yml", []byte("codes:\n  - code: secondme.voice.unavailable\n    status: 503\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := New(cat)
	line := []byte(`{"code":503,"error_code":"secondme.voice.unavailable"}`)
	if got := p.Parse(line); got != errEnv("secondme.voice.unavailable", 503) {
		t.Fatalf("got %+v", got)
	}
	if a := testing.AllocsPerRun(20, func() { p.Parse(line) }); a != 0 {
		t.Errorf("a user catalog code allocates %.1f times", a)
	}
}

// TestClassifyFastPaths: the spellings classifyName compares whole classify as
// the normalisation would.
func TestClassifyFastPaths(t *testing.T) {
	for _, k := range []string{"code", "Code", "data", "Data", "path", "status", "Status", "method",
		"message", "Message", "request", "subCode", "errorCode", "ErrorCode", "error_code",
		"statusCode", "StatusCode", "status_code"} {
		if got, want := classifyName([]byte(k)), classifySpelled([]byte(k)); got != want || got == kNone {
			t.Errorf("classifyName(%q) = %v; the normalisation says %v", k, got, want)
		}
	}
}

// TestMayClassify: mayClassify never rejects a key classifyName classifies, on
// every key spelling the tests know and on random keys over a small alphabet.
func TestMayClassify(t *testing.T) {
	keys := []string{"code", "Code", "CODE", "data", "path", "status", "method", "message", "request",
		"error_code", "key", "Key", "value", "Value", "stringValue", "intValue", "subCode", "sub_code",
		"errorCode", "x-error-code", "upstream_http_x_error_code", "upstream", "upstream_addr",
		"Upstream-Status", "requestMethod", "http.response.status_code", "DownstreamStatus", "uri",
		"request_uri", "url", "route", "requestline", "response_code", "statusCode", "req.path",
		"EdgeResponseStatus", "OriginResponseStatus", "elb_status_code", "target_status_code",
		"ClientRequestMethod", "ClientRequestURI", "ClientRequestPath", "reqMethod", "reqPath", "sc-status", "cs-method"}
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "abcdeilmnopqrstuvyACDEKSUV_-.0"
	for range 200000 {
		k := make([]byte, 3+r.IntN(14))
		for i := range k {
			k[i] = alphabet[r.IntN(len(alphabet))]
		}
		keys = append(keys, string(k))
	}
	for _, k := range keys {
		if len(k) >= 3 && classifyName([]byte(k)) != kNone && !mayClassify([]byte(k)) {
			t.Errorf("mayClassify(%q) = false, classifyName says %v", k, classifyName([]byte(k)))
		}
	}
}
