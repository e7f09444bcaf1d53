package parser

import (
	"reflect"
	"strings"
	"testing"
)

// assemble feeds lines to a fresh Assembler and returns the records it emitted.
func assemble(a *Assembler, lines ...string) []string {
	var out []string
	emit := func(r []byte) { out = append(out, string(r)) }
	for _, l := range lines {
		a.Add([]byte(l), emit)
	}
	a.Flush(emit)
	return out
}

func TestAssembler(t *testing.T) {
	cases := map[string]struct {
		lines     []string
		want      []string
		overflows uint64
		maxLines  int
		maxBytes  int
	}{
		"single lines pass through": {
			lines: []string{"a", `{"code":401,"error_code":"x.y"}`, "", "b"},
			want:  []string{"a", `{"code":401,"error_code":"x.y"}`, "", "b"},
		},
		"pretty JSON after a prefix": {
			lines: []string{"t ERROR client: failed body={", `  "code": 401,`, `  "error_code": "oauth2.token.expired"`, "}", "next"},
			want:  []string{"t ERROR client: failed body={\n  \"code\": 401,\n  \"error_code\": \"oauth2.token.expired\"\n}", "next"},
		},
		"a held line's object under the prefix syslog repeats": {
			lines: []string{"Nov 24 10:45:10 gw app[4533]: exchange failed status=400 body=", "Nov 24 10:45:10 gw app[4533]: {",
				`Nov 24 10:45:10 gw app[4533]:   "code": 400,`, `Nov 24 10:45:10 gw app[4533]:   "error_code": "oauth2.code.used"`, "Nov 24 10:45:10 gw app[4533]: }", "next"},
			want: []string{"Nov 24 10:45:10 gw app[4533]: exchange failed status=400 body=\nNov 24 10:45:10 gw app[4533]: {\n  \"code\": 400,\n  \"error_code\": \"oauth2.code.used\"\n}", "next"},
		},
		"a held line's object under a time and a prefix, its lines under the prefix alone (PM2)": {
			lines: []string{"0|app | 2026-11-24T10:15:02: API error response:", "0|app | 2026-11-24T10:15:02: {", `0|app |   "code": 401,`, "0|app | }"},
			want:  []string{"0|app | 2026-11-24T10:15:02: API error response:\n0|app | 2026-11-24T10:15:02: {\n  \"code\": 401,\n}"},
		},
		"a held line, then a line under another prefix": {
			lines: []string{"Nov 24 10:45:10 gw app[4533]: failed body=", "Nov 24 10:45:11 db pg[77]: {", `  "code": 400`, "}"},
			want:  []string{"Nov 24 10:45:10 gw app[4533]: failed body=", "Nov 24 10:45:11 db pg[77]: {\n  \"code\": 400\n}"},
		},
		"nested pretty JSON": {
			lines: []string{"{", `  "err": {`, `    "data": {"code": 500}`, "  },", `  "msg": "a } in a string"`, "}"},
			want:  []string{"{\n  \"err\": {\n    \"data\": {\"code\": 500}\n  },\n  \"msg\": \"a } in a string\"\n}"},
		},
		"apple JSONSerialization: a blank line in an empty array or object": {
			lines: []string{"{", `  "data" : {`, `    "sessions" : [`, "", "    ],", `    "extra" : {`, "", "    }", "  },", `  "code" : 0`, "}", "", "next"},
			want:  []string{"{\n  \"data\" : {\n    \"sessions\" : [\n\n    ],\n    \"extra\" : {\n\n    }\n  },\n  \"code\" : 0\n}", "", "next"},
		},
		"a blank line elsewhere ends a record": {
			lines: []string{"body={", `  "code": 401,`, "", `  "error_code": "x.y"`, "}"},
			want:  []string{"body={\n  \"code\": 401,", "", `  "error_code": "x.y"`, "}"},
		},
		"a quoted console message with a pretty body (Chrome)": {
			lines: []string{`[1:1:1124/103015.240019:INFO:CONSOLE(57)] "[SecondMe] error response: {`, `  "code": 401,`, `  "error_code": "oauth2.token.expired"`, `}", source: chrome-extension://x/background.js (57)`, "next"},
			want:  []string{"[1:1:1124/103015.240019:INFO:CONSOLE(57)] \"[SecondMe] error response: {\n  \"code\": 401,\n  \"error_code\": \"oauth2.token.expired\"\n}\", source: chrome-extension://x/background.js (57)", "next"},
		},
		"an unterminated quote before a brace with no separator stays one line": {
			lines: []string{`t INFO "template {`, `  "code": 401`, `}`},
			want:  []string{`t INFO "template {`, `  "code": 401`, `}`},
		},
		"clojure pprint of an edn map": {
			lines: []string{`{:app-id "a_31f0",`, ` :upstream`, ` {:code 403,`, `  :error_code "oauth2.application.suspended"},`, ` :checked-at #inst "2026-11-24T02:13:14.518-00:00"}`, "next"},
			want:  []string{"{:app-id \"a_31f0\",\n :upstream\n {:code 403,\n  :error_code \"oauth2.application.suspended\"},\n :checked-at #inst \"2026-11-24T02:13:14.518-00:00\"}", "next"},
		},
		"pino-pretty: a request's and its response's objects are one record": {
			lines: []string{"[10:21:45.121] INFO (gear-rental/41): request completed", "    req: {", `      "method": "GET",`, `      "url": "/api/x"`, "    }", "    res: {", `      "statusCode": 404`, "    }", "    responseTime: 12", "[10:21:46.000] INFO (gear-rental/41): next"},
			want:  []string{"[10:21:45.121] INFO (gear-rental/41): request completed", "    req: {\n      \"method\": \"GET\",\n      \"url\": \"/api/x\"\n    }\n    res: {\n      \"statusCode\": 404\n    }\n    responseTime: 12", "[10:21:46.000] INFO (gear-rental/41): next"},
		},
		"pino-pretty: plain properties are one record": {
			lines: []string{"[09:18:02.913] WARN (terminal-api/41): upstream error", "    status: 429", `    error_code: "apikey.rate_limit.exceeded"`, "[09:19:00.000] INFO (terminal-api/41): metrics flushed"},
			want:  []string{"[09:18:02.913] WARN (terminal-api/41): upstream error", "    status: 429\n    error_code: \"apikey.rate_limit.exceeded\"", "[09:19:00.000] INFO (terminal-api/41): metrics flushed"},
		},
		"pino-pretty: an object's raw stack lines stay in it": {
			lines: []string{"    err: {", `      "type": "SecondMeError",`, `      "stack":`, "          SecondMeError: Redirect URI mismatch", "              at exchangeCode (/app/client.js:88:19)", `      "subCode": "oauth2.redirect_uri.mismatch",`, `      "code": 400`, "    }", "next"},
			want:  []string{"    err: {\n      \"type\": \"SecondMeError\",\n      \"stack\":\n          SecondMeError: Redirect URI mismatch\n              at exchangeCode (/app/client.js:88:19)\n      \"subCode\": \"oauth2.redirect_uri.mismatch\",\n      \"code\": 400\n    }", "next"},
		},
		"pino-pretty: a YAML key without a value is no property": {
			lines: []string{"    response:", "      code: 400", "      error_code: oauth2.scope.invalid", "x"},
			want:  []string{"    response:", "      code: 400", "      error_code: oauth2.scope.invalid", "x"},
		},
		"pino-pretty: a property line alone is emitted at the next line": {
			lines: []string{`    reqId: "req-8a0"`, "[11:00:14.983] INFO (wallet-bff/7): request completed"},
			want:  []string{`    reqId: "req-8a0"`, "[11:00:14.983] INFO (wallet-bff/7): request completed"},
		},
		"python pprint": {
			lines: []string{"{'code': 401,", " 'error_code': 'oauth2.token.expired',", " 'message': 'Token expired'}"},
			want:  []string{"{'code': 401,\n 'error_code': 'oauth2.token.expired',\n 'message': 'Token expired'}"},
		},
		"node util.inspect": {
			lines: []string{"error {", "  code: 401,", "  error_code: 'oauth2.token.expired',", "  retry: false", "}"},
			want:  []string{"error {\n  code: 401,\n  error_code: 'oauth2.token.expired',\n  retry: false\n}"},
		},
		"objective-c NSDictionary description": {
			lines: []string{"2026-11-26 10:00:00.123 App[1:2] response: {", "    code = 401;", `    "error_code" = "oauth2.token.expired";`, `    message = "\U4ee4";`, "}", "next"},
			want:  []string{"2026-11-26 10:00:00.123 App[1:2] response: {\n    code = 401;\n    \"error_code\" = \"oauth2.token.expired\";\n    message = \"\\U4ee4\";\n}", "next"},
		},
		"lua and perl tables": {
			lines: []string{"$VAR1 = {", "  code => 401,", "  error_code => 'oauth2.token.expired'", "};"},
			want:  []string{"$VAR1 = {\n  code => 401,\n  error_code => 'oauth2.token.expired'\n};"},
		},
		"logcat repeats its header on every line": {
			lines: []string{
				"11-24 11:05:11.829  5123  5202 D OkHttp  : <-- 401 https://api/x (74ms)",
				"11-24 11:05:11.829  5123  5202 D OkHttp  : {",
				`11-24 11:05:11.829  5123  5202 D OkHttp  :   "code": 401,`,
				`11-24 11:05:11.829  5123  5202 D OkHttp  :   "data": {"a": 1},`,
				`11-24 11:05:11.829  5123  5202 D OkHttp  :   "error_code": "oauth2.token.expired"`,
				"11-24 11:05:11.829  5123  5202 D OkHttp  : }",
				"11-24 11:05:11.829  5123  5202 D OkHttp  : <-- END HTTP (87-byte body)",
			},
			want: []string{
				"11-24 11:05:11.829  5123  5202 D OkHttp  : <-- 401 https://api/x (74ms)",
				"11-24 11:05:11.829  5123  5202 D OkHttp  : {\n  \"code\": 401,\n  \"data\": {\"a\": 1},\n  \"error_code\": \"oauth2.token.expired\"\n}",
				"11-24 11:05:11.829  5123  5202 D OkHttp  : <-- END HTTP (87-byte body)",
			},
		},
		"docker compose and kubectl prefixes": {
			lines: []string{"api-1  | t ERROR body={", `api-1  |   "code": 401,`, "api-1  | }", "[pod/api-7d9/app] {", `[pod/api-7d9/app]     code: 401`, "[pod/api-7d9/app] }"},
			want:  []string{"api-1  | t ERROR body={\n  \"code\": 401,\n}", "[pod/api-7d9/app] {\n    code: 401\n}"},
		},
		"an object under a stack frame, the prefix before both indented (CRI, docker compose)": {
			// The blanks the two lines share past the prefix, in runs of
			// different lengths, are indentation: the prefix keeps one.
			lines: []string{"2026-11-24T10:40:07.52Z stderr F     at process.processTicksAndRejections (node:internal/x:95:5) {", "2026-11-24T10:40:07.53Z stderr F   status: 403,", "2026-11-24T10:40:07.54Z stderr F   body: { code: 403, error_code: 'apikey.permission.denied' }", "2026-11-24T10:40:07.55Z stderr F }", "api-1  |     at async S.suggest (/app/s.js:41:20) {", "api-1  |   status: 401,", "api-1  | }"},
			want:  []string{"2026-11-24T10:40:07.52Z stderr F     at process.processTicksAndRejections (node:internal/x:95:5) {\n  status: 403,\n  body: { code: 403, error_code: 'apikey.permission.denied' }\n}", "api-1  |     at async S.suggest (/app/s.js:41:20) {\n  status: 401,\n}"},
		},
		"a level's padding, the same in both lines, is the prefix's": {
			lines: []string{"2026-11-24 10:00:00.123 INFO  response body: {", "2026-11-24 10:00:00.124 INFO  next line"},
			want:  []string{"2026-11-24 10:00:00.123 INFO  response body: {", "2026-11-24 10:00:00.124 INFO  next line"},
		},
		"an escaped body after a held line opens no record (a string's piece)": {
			// Symfony's exception context, spread over lines after the body it
			// logged raw: {\"code\":503,…} balances its braces.
			lines: []string{`","exception":"[object] (ServerException(code: 503): resulted in a 503 response:`, `{\"code\":503,\"error_code\":\"connection.error\"}`, ` at /srv/vendor/RequestException.php:113)`},
			want:  []string{`","exception":"[object] (ServerException(code: 503): resulted in a 503 response:`, `{\"code\":503,\"error_code\":\"connection.error\"}`, ` at /srv/vendor/RequestException.php:113)`},
		},
		"docker compose: another service's line inside a body": {
			// Compose interleaves whole lines of its services: a line of
			// another service is a record of its own, the body goes on, before
			// its second line as after it.
			lines: []string{"web-1   | stream error frame: {", "gw-1    | GET /healthz 200", `web-1   |   "code": 500,`, `gw-1    | {"status":401,"request":"GET /x"}`, `web-1   |   "error_code": "secondme.stream.error"`, "web-1   | }", "web-1   | next"},
			want:  []string{"gw-1    | GET /healthz 200", `gw-1    | {"status":401,"request":"GET /x"}`, "web-1   | stream error frame: {\n  \"code\": 500,\n  \"error_code\": \"secondme.stream.error\"\n}", "web-1   | next"},
		},
		"docker compose: a line that could start a record ends the body": {
			// The Assembler holds one record: a line of another service that
			// opens an object, or one of the same service that does not
			// continue the body, ends it; so does a line without the prefix.
			lines: []string{"web-1 | body={", `gw-1  | body={`, `gw-1  |   "code": 401`, "gw-1  | }", "web-1 | {", "web-1 | plain", "web-1 | {", "plain", `web-1 |   "code": 1`},
			want:  []string{"web-1 | body={", "gw-1  | body={\n  \"code\": 401\n}", "web-1 | {", "web-1 | plain", "web-1 | {", "plain", `web-1 |   "code": 1`},
		},
		"a line prefix must repeat exactly": {
			// Another thread's line: the record ends.
			lines: []string{"11-24 11:05:11.829  5123  5202 D OkHttp  : {", `11-24 11:05:11.829  5123  5202 D OkHttp  :   "code": 401,`, `11-24 11:05:11.829  5123  5203 D OkHttp  :   "x": 1`, "}"},
			want:  []string{"11-24 11:05:11.829  5123  5202 D OkHttp  : {\n  \"code\": 401,", `11-24 11:05:11.829  5123  5203 D OkHttp  :   "x": 1`, "}"},
		},
		"the time before a line prefix may change": {
			// Another millisecond of the same thread: the record goes on.
			lines: []string{"11-24 11:05:11.829  5123  5202 D OkHttp  : {", `11-24 11:05:11.829  5123  5202 D OkHttp  :   "code": 401,`, `11-24 11:05:11.830  5123  5202 D OkHttp  :   "x": 1`, "11-24 11:05:11.830  5123  5202 D OkHttp  : }", "next"},
			want:  []string{"11-24 11:05:11.829  5123  5202 D OkHttp  : {\n  \"code\": 401,\n  \"x\": 1\n}", "next"},
		},
		"a collector's time on every line (GitHub Actions, kubectl logs --timestamps)": {
			lines: []string{"2026-11-24T10:00:01.7154551Z + jq . refresh.json", "2026-11-24T10:00:01.7804316Z {", `2026-11-24T10:00:01.8668409Z   "code": 401,`, `2026-11-24T10:00:02.0354619Z   "error_code": "oauth2.refresh_token.expired"`, "2026-11-24T10:00:02.1114732Z }",
				// RFC 3339 with its trailing zeros trimmed: times of other lengths.
				"2026-11-24T10:00:03.5Z {", `2026-11-24T10:00:03.512345678Z   "code": 0`, "2026-11-24T10:00:03.6Z }",
				// A time on the first line only: later lines continue as they would without.
				"2026-11-24T10:00:04.1Z {", `"code": 401`, "}"},
			want: []string{"2026-11-24T10:00:01.7154551Z + jq . refresh.json", "2026-11-24T10:00:01.7804316Z {\n  \"code\": 401,\n  \"error_code\": \"oauth2.refresh_token.expired\"\n}",
				"2026-11-24T10:00:03.5Z {\n  \"code\": 0\n}",
				"2026-11-24T10:00:04.1Z {\n\"code\": 401\n}"},
		},
		"a time and a line prefix on every line (Heroku)": {
			lines: []string{"2026-11-24T10:00:00.100000+00:00 app[web.1]: {", `2026-11-24T10:00:00.100200+00:00 app[web.1]:   "code": 401,`, "2026-11-24T10:00:00.100400+00:00 app[worker.1]:   \"x\": 1", "2026-11-24T10:00:00.100500+00:00 app[web.1]: }"},
			want:  []string{"2026-11-24T10:00:00.100000+00:00 app[web.1]: {\n  \"code\": 401,", "2026-11-24T10:00:00.100400+00:00 app[worker.1]:   \"x\": 1", "2026-11-24T10:00:00.100500+00:00 app[web.1]: }"},
		},
		"Open MPI's output tag on every line, running into the line": {
			lines: []string{"[1,2]<stdout>:enrich failed, response was:", "[1,2]<stdout>:{'code': 401,", "[1,2]<stdout>: 'error_code': 'oauth2.token.expired',", "[1,2]<stdout>: 'message': 'x'}", "[1,3]<stdout>:next"},
			want:  []string{"[1,2]<stdout>:enrich failed, response was:\n[1,2]<stdout>:{'code': 401,\n 'error_code': 'oauth2.token.expired',\n 'message': 'x'}", "[1,3]<stdout>:next"},
		},
		"a print_r dump with a time on every line": {
			lines: []string{"2026-11-24T02:40:08.7932207Z Array", "2026-11-24T02:40:08.8044598Z (", "2026-11-24T02:40:08.8157959Z     [code] => 400", "2026-11-24T02:40:08.8387581Z     [error_code] => oauth2.code.expired", "2026-11-24T02:40:08.8500000Z )", "next"},
			want:  []string{"2026-11-24T02:40:08.7932207Z Array\n(\n    [code] => 400\n    [error_code] => oauth2.code.expired\n)", "next"},
		},
		"timestamped lines share no line prefix": {
			lines: []string{"2026-11-24 10:00:00 ERROR body={", `2026-11-24 10:00:01 INFO "quoted" next`, "2026-11-24 10:00:00 ERROR x"},
			want:  []string{"2026-11-24 10:00:00 ERROR body={", `2026-11-24 10:00:01 INFO "quoted" next`, "2026-11-24 10:00:00 ERROR x"},
		},
		"an overflowed prefixed record is skipped whole": {
			lines:     []string{"web-1 | {", `web-1 |   "code": 401,`, `web-1 |   "error_code": "oauth2.token.expired",`, `web-1 |   "x": 1`, "web-1 | }", "next"},
			want:      []string{"next"},
			overflows: 1,
			maxLines:  3,
		},
		"a coloured dump (awesome_print)": {
			lines: []string{"D, [t] DEBUG -- : {", "    \x1b[0;33m\"code\"\x1b[0m => \x1b[1;34m403\x1b[0m,", "    \x1b[0;33m\"error_code\"\x1b[0m => \x1b[0;33m\"a.b\"\x1b[0m", "}"},
			want:  []string{"D, [t] DEBUG -- : {\n    \x1b[0;33m\"code\"\x1b[0m => \x1b[1;34m403\x1b[0m,\n    \x1b[0;33m\"error_code\"\x1b[0m => \x1b[0;33m\"a.b\"\x1b[0m\n}"},
		},
		"tabs and CRLF": {
			lines: []string{"{\r", "\t\"code\": 401,\r", "\t\"error_code\": \"x.y\"\r", "}\r"},
			want:  []string{"{\r\n\t\"code\": 401,\r\n\t\"error_code\": \"x.y\"\r\n}\r"},
		},
		"a line ending in a separator takes the object on the next line": {
			lines: []string{"t WARN upstream error status=401 path=/x body=", "{", `  "code": 401,`, `  "error_code": "oauth2.refresh_token.revoked"`, "}", "next"},
			want:  []string{"t WARN upstream error status=401 path=/x body=\n{\n  \"code\": 401,\n  \"error_code\": \"oauth2.refresh_token.revoked\"\n}", "next"},
		},
		"a line ending in a separator and no object stays a line": {
			lines: []string{"Caused by:", "\tat com.x.Y.z(Y.java:1)", "body=", `{"code":401}`, "a == b", "last:"},
			want:  []string{"Caused by:", "\tat com.x.Y.z(Y.java:1)", "body=", `{"code":401}`, "a == b", "last:"},
		},
		"a body spring prints between quotes": {
			lines: []string{`HttpClientErrorException$Forbidden: 403 Forbidden: "{`, `  "code" : 403,`, `  "error_code" : "oauth2.application.suspended"`, `}"`, "\tat org.x.Y.z(Y.java:1)"},
			want:  []string{"HttpClientErrorException$Forbidden: 403 Forbidden: \"{\n  \"code\" : 403,\n  \"error_code\" : \"oauth2.application.suspended\"\n}\"", "\tat org.x.Y.z(Y.java:1)"},
		},
		"php var_dump": {
			lines: []string{"array(3) {", `  ["code"]=>`, "  int(400)", `  ["data"]=>`, "  NULL", `  ["error_code"]=>`, `  string(20) "apikey.scope.invalid"`, "}", "next"},
			want:  []string{"array(3) {\n  [\"code\"]=>\n  int(400)\n  [\"data\"]=>\n  NULL\n  [\"error_code\"]=>\n  string(20) \"apikey.scope.invalid\"\n}", "next"},
		},
		"curl -v response": {
			lines: []string{"> GET /api/x HTTP/2", ">", "< HTTP/2 401", "< content-type: application/json", "< x-error-code: apikey.auth.invalid", "<", "{", `  "code": 401,`, `  "error_code": "apikey.auth.invalid"`, "}", "* Connection #0 to host left intact"},
			want:  []string{"> GET /api/x HTTP/2", ">", "< HTTP/2 401\n< content-type: application/json\n< x-error-code: apikey.auth.invalid\n<\n{\n  \"code\": 401,\n  \"error_code\": \"apikey.auth.invalid\"\n}", "* Connection #0 to host left intact"},
		},
		"raw response with a one-line body": {
			lines: []string{"HTTP/1.1 403 Forbidden", "X-Error-Code: oauth2.scope.insufficient", "", `{"code":403,"error_code":"oauth2.scope.insufficient"}`, "next"},
			want:  []string{"HTTP/1.1 403 Forbidden\nX-Error-Code: oauth2.scope.insufficient\n\n{\"code\":403,\"error_code\":\"oauth2.scope.insufficient\"}", "next"},
		},
		"curl -i over HTTP/2: a status line of 10 or 11 bytes": {
			lines: []string{"HTTP/2 403 ", "x-error-code: oauth2.scope.insufficient", "", `{"code":403,"error_code":"oauth2.scope.insufficient"}%`, "HTTP/2 200", "content-type: application/json", "", `{"code":0}`},
			want:  []string{"HTTP/2 403 \nx-error-code: oauth2.scope.insufficient\n\n{\"code\":403,\"error_code\":\"oauth2.scope.insufficient\"}%", "HTTP/2 200\ncontent-type: application/json\n\n{\"code\":0}"},
		},
		"mitmdump's flow listing: an indented response": {
			lines: []string{"127.0.0.1:52344: GET https://h/api/x HTTP/2.0", "    authorization: Bearer x", "             << HTTP/2.0 401 Unauthorized 76b", "    x-error-code: oauth2.token.expired", "", "    {", `        "code": 401,`, `        "error_code": "oauth2.token.expired"`, "    }", "", "next"},
			want:  []string{"127.0.0.1:52344: GET https://h/api/x HTTP/2.0", "    authorization: Bearer x", "             << HTTP/2.0 401 Unauthorized 76b\n    x-error-code: oauth2.token.expired\n\n    {\n        \"code\": 401,\n        \"error_code\": \"oauth2.token.expired\"\n    }", "", "next"},
		},
		"HTTPie's coloured response (--pretty=all), colours before the indentation": {
			lines: []string{"\x1b[34mHTTP\x1b[39;49;00m/\x1b[34m1.1\x1b[39;49;00m \x1b[34m403\x1b[39;49;00m \x1b[36mForbidden\x1b[39;49;00m", "\x1b[36mX-Error-Code\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m\x1b[33moauth2.application.pending_review\x1b[39;49;00m", "", "{", "\x1b[37m    \x1b[39;49;00m\x1b[34;01m\"code\"\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m\x1b[34m403\x1b[39;49;00m,", "\x1b[37m    \x1b[39;49;00m\x1b[34;01m\"error_code\"\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m\x1b[33m\"oauth2.application.pending_review\"\x1b[39;49;00m", "}", "next"},
			want:  []string{"\x1b[34mHTTP\x1b[39;49;00m/\x1b[34m1.1\x1b[39;49;00m \x1b[34m403\x1b[39;49;00m \x1b[36mForbidden\x1b[39;49;00m\n\x1b[36mX-Error-Code\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m\x1b[33moauth2.application.pending_review\x1b[39;49;00m\n\n{\n\x1b[37m    \x1b[39;49;00m\x1b[34;01m\"code\"\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m\x1b[34m403\x1b[39;49;00m,\n\x1b[37m    \x1b[39;49;00m\x1b[34;01m\"error_code\"\x1b[39;49;00m:\x1b[37m \x1b[39;49;00m\x1b[33m\"oauth2.application.pending_review\"\x1b[39;49;00m\n}", "next"},
		},
		"ModSecurity's audit log: the response headers' section, then the body's": {
			lines: []string{"--5f8e3a1c-F--", "HTTP/1.1 400 Bad Request", "X-Secondme-Error-Code: invalid.param", "", "--5f8e3a1c-E--", `{"code":400,"error_code":"invalid.param"}`, "", "--5f8e3a1c-H--", "---1Nxzsd7C---F--", "HTTP/1.1 500 Internal Server Error", "", "---1Nxzsd7C---E--", "{", `  "code" : 500`, "}"},
			want:  []string{"--5f8e3a1c-F--", "HTTP/1.1 400 Bad Request\nX-Secondme-Error-Code: invalid.param\n\n--5f8e3a1c-E--\n{\"code\":400,\"error_code\":\"invalid.param\"}", "", "--5f8e3a1c-H--", "---1Nxzsd7C---F--", "HTTP/1.1 500 Internal Server Error\n\n---1Nxzsd7C---E--\n{\n  \"code\" : 500\n}"},
		},
		"response headers without a body": {
			lines: []string{"HTTP/1.1 401 Unauthorized", "X-Error-Code: oauth2.token.expired", "2026-11-24 10:00:00 INFO next", "HTTP/1.1 204 No Content", "", "done"},
			want:  []string{"HTTP/1.1 401 Unauthorized\nX-Error-Code: oauth2.token.expired", "2026-11-24 10:00:00 INFO next", "HTTP/1.1 204 No Content\n", "done"},
		},
		"a new log line ends a partial record": {
			lines: []string{"2026 INFO template {name", "2026 INFO next line"},
			want:  []string{"2026 INFO template {name", "2026 INFO next line"},
		},
		"a stack frame is no continuation": {
			lines: []string{`{"code":401,"error_code":"oauth2.tok`, "\tat com.x.Y.z(Y.java:1)", "  File \"x.py\", line 3"},
			want:  []string{`{"code":401,"error_code":"oauth2.tok`, "\tat com.x.Y.z(Y.java:1)", "  File \"x.py\", line 3"},
		},
		"an empty line ends a partial record": {
			lines: []string{"{", `  "a": 1,`, "", "x"},
			want:  []string{"{\n  \"a\": 1,", "", "x"},
		},
		"braces in strings and apostrophes do not count": {
			lines: []string{`msg="{" it's {`, `  "a": "}}}"`, "}"},
			want:  []string{"msg=\"{\" it's {\n  \"a\": \"}}}\"\n}"},
		},
		"flush emits the partial record": {
			lines: []string{"body={", `  "code": 401,`},
			want:  []string{"body={\n  \"code\": 401,"},
		},
		"overflow by lines drops the record and its tail": {
			maxLines:  3,
			lines:     []string{"{", "  \"a\": 1,", "  \"b\": 2,", "  \"c\": 3,", "  \"d\": {", "  }", "}", "after"},
			want:      []string{"after"},
			overflows: 1,
		},
		"overflow on a line that opens a nested object skips the whole tail": {
			// The record's balance (1) plus the overflowing line's (+1) is what the
			// skipped tail must close: resetting to the line's own delta would end
			// the skip at the first "}" and emit the last "}" as a line of its own.
			maxLines:  2,
			lines:     []string{"{", `  "a": 1,`, `  "b": {`, `    "c": 1`, "  }", "}", "after"},
			want:      []string{"after"},
			overflows: 1,
		},
		"overflow by bytes": {
			maxBytes:  20,
			lines:     []string{"{", `  "a": "0123456789",`, `  "b": 1`, "}", "after"},
			want:      []string{"after"},
			overflows: 1,
		},
		"overflow tail ended by a new line": {
			maxLines:  3,
			lines:     []string{"{", "  1,", "  2,", "  3,", "new {", "  3", "}"},
			want:      []string{"new {\n  3\n}"},
			overflows: 1,
		},
		"php print_r": {
			lines: []string{"[2026-11-24 10:00:00] production.ERROR: SecondMe API error Array", "(", "    [code] => 401",
				"    [body] => Array", "        (", "            [error_code] => oauth2.token.expired", "        )", "", ")", "[2026-11-24 10:00:01] next"},
			want: []string{"[2026-11-24 10:00:00] production.ERROR: SecondMe API error Array\n(\n    [code] => 401\n    [body] => Array\n        (\n            [error_code] => oauth2.token.expired\n        )\n\n)",
				"[2026-11-24 10:00:01] next"},
		},
		"php print_r of an object": {
			lines: []string{"  [local_secondmetutor] submission 48217: unexpected response:", "stdClass Object", "(", "    [code] => 403",
				"    [data] => stdClass Object", "        (", "            [id] => 7", "        )", "", "    [error_code] => secondme.session.unauthorized", ")", "next"},
			want: []string{"  [local_secondmetutor] submission 48217: unexpected response:",
				"stdClass Object\n(\n    [code] => 403\n    [data] => stdClass Object\n        (\n            [id] => 7\n        )\n\n    [error_code] => secondme.session.unauthorized\n)", "next"},
		},
		"a line ending in Array without a dump": {
			lines: []string{"got an empty Array", "next line", "MyArray", "x", "a DataObject", "y", "an Object", "z"},
			want:  []string{"got an empty Array", "next line", "MyArray", "x", "a DataObject", "y", "an Object", "z"},
		},
		"php var_export": {
			lines: []string{"array (", "  'code' => 0,", "  'data' => ", "  array (", "    'id' => 1,", "  ),", ")", "after"},
			want:  []string{"array (\n  'code' => 0,\n  'data' => \n  array (\n    'id' => 1,\n  ),\n)", "after"},
		},
		"php dump cut by a new record": {
			lines: []string{"Array", "(", "    [code] => 401", "[2026-11-24 10:00:01] next"},
			want:  []string{"Array\n(\n    [code] => 401", "[2026-11-24 10:00:01] next"},
		},
		"php dump overflow skips its tail": {
			maxLines:  3,
			lines:     []string{"Array", "(", "    [a] => 1", "    [b] => Array", "        (", "        )", "", ")", "after"},
			want:      []string{"after"},
			overflows: 1,
		},
		"a long first line is not buffered": {
			maxBytes: 8,
			lines:    []string{"0123456789 {", "  x"},
			want:     []string{"0123456789 {", "  x"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := NewAssembler(max(tc.maxLines, 64), max(tc.maxBytes, 4096))
			if tc.maxLines > 0 {
				a = NewAssembler(tc.maxLines, 4096)
			}
			if tc.maxBytes > 0 {
				a = NewAssembler(64, tc.maxBytes)
			}
			var reported int
			a.OnOverflow = func(lines, bytes int) { reported++ }
			got := assemble(a, tc.lines...)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("records\n got %q\nwant %q", got, tc.want)
			}
			if a.Overflows() != tc.overflows || uint64(reported) != tc.overflows {
				t.Errorf("overflows %d (reported %d), want %d", a.Overflows(), reported, tc.overflows)
			}
			if a.Pending() {
				t.Error("pending after Flush")
			}
		})
	}
}

func TestAssemblerPending(t *testing.T) {
	a := NewAssembler(10, 1000)
	var out []string
	emit := func(r []byte) { out = append(out, string(r)) }
	a.Add([]byte("body={"), emit)
	if !a.Pending() || len(out) != 0 {
		t.Fatalf("pending=%v out=%q", a.Pending(), out)
	}
	a.Add([]byte("}"), emit)
	if a.Pending() || len(out) != 1 {
		t.Fatalf("pending=%v out=%q", a.Pending(), out)
	}
}

// TestAssemblerThenParse: the pretty-printed shapes end up as one envelope.
func TestAssemblerThenParse(t *testing.T) {
	p := New(nil)
	a := NewAssembler(64, 64<<10)
	var got []Envelope
	emit := func(r []byte) { got = append(got, p.Parse(r)) }
	input := strings.Join([]string{
		"2026-11-24 10:00:00,123 ERROR client: failed body={",
		`  "code": 401,`,
		`  "message": "Token expired",`,
		`  "error_code": "oauth2.token.expired"`,
		"}",
		"{'code': 404,",
		" 'error_code': 'secondme.session.not_found'}",
		"plain line",
		"[10:21:45.121] INFO (gear-rental/41): request completed",
		"    req: {",
		`      "method": "GET",`,
		`      "url": "/api/rentals/RB-55131/chat"`,
		"    }",
		"    res: {",
		`      "statusCode": 404`,
		"    }",
		"    responseTime: 12",
		"[09:18:02.913] WARN (terminal-api/41): upstream error",
		"    status: 429",
		`    error_code: "apikey.rate_limit.exceeded"`,
	}, "\n")
	for _, l := range strings.Split(input, "\n") {
		a.Add([]byte(l), emit)
	}
	a.Flush(emit)
	want := []Envelope{errEnv("oauth2.token.expired", 401), errEnv("secondme.session.not_found", 404), none,
		none, response(404), none, errEnv("apikey.rate_limit.exceeded", 429)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v want %+v", got, want)
	}
}
