package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// reference is the SecondMe error reference (错误码参考), typed in from the
// document independently of catalog.yaml: code -> HTTP status, section.
var reference = map[string]struct {
	status  int
	section string
}{
	"resource.fetch.not_found":          {404, "generic"},
	"resource.auth.unauthorized":        {401, "generic"},
	"apikey.fetch.not_found":            {404, "apikey"},
	"apikey.auth.missing":               {401, "apikey"},
	"apikey.auth.invalid":               {401, "apikey"},
	"apikey.permission.denied":          {403, "apikey"},
	"apikey.scope.invalid":              {400, "apikey"},
	"oauth2.application.not_found":      {404, "oauth2.application"},
	"oauth2.application.unauthorized":   {403, "oauth2.application"},
	"oauth2.application.invalid_type":   {400, "oauth2.application"},
	"oauth2.application.invalid_status": {400, "oauth2.application"},
	"oauth2.application.pending_review": {403, "oauth2.application"},
	"oauth2.application.rejected":       {403, "oauth2.application"},
	"oauth2.application.suspended":      {403, "oauth2.application"},
	"oauth2.authorization.not_found":    {404, "oauth2.authorization"},
	"oauth2.authorization.revoked":      {401, "oauth2.authorization"},
	"oauth2.token.invalid":              {401, "oauth2.token"},
	"oauth2.token.expired":              {401, "oauth2.token"},
	"oauth2.token.revoked":              {401, "oauth2.token"},
	"oauth2.token.not_found":            {404, "oauth2.token"},
	"oauth2.scope.invalid":              {400, "oauth2.scope"},
	"oauth2.scope.disallowed":           {403, "oauth2.scope"},
	"oauth2.scope.insufficient":         {403, "oauth2.scope"},
	"oauth2.client.invalid":             {400, "oauth2.client"},
	"oauth2.client.secret_mismatch":     {401, "oauth2.client"},
	"oauth2.code.invalid":               {400, "oauth2.code"},
	"oauth2.code.expired":               {400, "oauth2.code"},
	"oauth2.code.used":                  {400, "oauth2.code"},
	"oauth2.code.revoked":               {400, "oauth2.code"},
	"oauth2.redirect_uri.invalid":       {400, "oauth2.redirect_uri"},
	"oauth2.redirect_uri.mismatch":      {400, "oauth2.redirect_uri"},
	"oauth2.grant_type.invalid":         {400, "oauth2.grant_type"},
	"oauth2.grant_type.unsupported":     {400, "oauth2.grant_type"},
	"oauth2.refresh_token.invalid":      {400, "oauth2.refresh_token"},
	"oauth2.refresh_token.expired":      {401, "oauth2.refresh_token"},
	"oauth2.refresh_token.revoked":      {401, "oauth2.refresh_token"},
	"secondme.user.invalid_id":          {400, "secondme"},
	"secondme.session.not_found":        {404, "secondme"},
	"secondme.session.unauthorized":     {403, "secondme"},
	"secondme.stream.error":             {500, "secondme"},
	"secondme.context.build_failed":     {500, "secondme"},
	"internal.error":                    {500, "system"},
	"connection.error":                  {503, "system"},
	"invalid.param":                     {400, "system"},
}

func TestDefaultMatchesReference(t *testing.T) {
	c := Default()
	if got := c.Len(); got != 44 || len(reference) != 44 {
		t.Fatalf("catalog has %d codes, reference %d; want 44", got, len(reference))
	}
	for code, want := range reference {
		e, ok := c.Lookup(code)
		if !ok {
			t.Errorf("%s missing from catalog", code)
			continue
		}
		if e.Status != want.status || e.Section != want.section {
			t.Errorf("%s: status %d section %q, want %d %q", code, e.Status, e.Section, want.status, want.section)
		}
		if e.DescriptionZH == "" || e.Description == "" || e.Action == "" {
			t.Errorf("%s: empty description or action: %+v", code, e)
		}
		if e.Module == "" || e.Resource == "" || e.Reason == "" {
			t.Errorf("%s: empty module/resource/reason: %+v", code, e)
		}
	}
	entries := c.Entries()
	if !sort.SliceIsSorted(entries, func(i, j int) bool { return entries[i].Code < entries[j].Code }) {
		t.Error("Entries not sorted by code")
	}
}

// referenceFile is a copy of the SecondMe error reference (错误码参考) that
// catalog.yaml was written from, committed so that a clone checks on its own.
const referenceFile = "testdata/reference.txt"

// TestSeedReference cross-checks catalog.yaml against the reference text itself,
// including the Chinese descriptions.
func TestSeedReference(t *testing.T) {
	files := []string{referenceFile}
	row := regexp.MustCompile(`^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+?)([1-5][0-9][0-9])(\S.*)$`)
	seen := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			m := row.FindStringSubmatch(strings.TrimSpace(line))
			if m == nil {
				continue
			}
			seen++
			status, _ := strconv.Atoi(m[2])
			e, ok := Default().Lookup(m[1])
			if !ok {
				t.Errorf("reference code %s not in catalog", m[1])
				continue
			}
			if e.Status != status || e.DescriptionZH != m[3] {
				t.Errorf("%s: catalog %d %q, reference %d %q", m[1], e.Status, e.DescriptionZH, status, m[3])
			}
		}
	}
	if seen != 44 {
		t.Errorf("found %d code rows in the reference, want 44", seen)
	}
}

func TestHasResource(t *testing.T) {
	c := Default()
	for mr, want := range map[string]bool{
		"oauth2.token": true, "oauth2.refresh_token": true, "apikey.permission": true,
		"resource.fetch": true, "secondme.session": true,
		"internal.error": false, "internal.general": false, "invalid.param": false,
		"oauth2": false, "oauth2.refresh": false, "secondme.token": false,
	} {
		if got := c.HasResource([]byte(mr)); got != want {
			t.Errorf("HasResource(%q) = %v, want %v", mr, got, want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	type check func(t *testing.T, c *Catalog)
	good := map[string]check{
		"add": func(t *testing.T, c *Catalog) {
			e, ok := c.Lookup("secondme.voice.unavailable")
			if !ok || e.Status != 503 || e.Section != "secondme" || e.Resource != "voice" || e.Action != "Retry with exponential backoff" {
				t.Errorf("new code: %+v", e)
			}
			e, _ = c.Lookup("oauth2.refresh_token.invalid")
			if e.Status != 401 || e.DescriptionZH != "Refresh Token 无效" {
				t.Errorf("override must change status and keep the rest: %+v", e)
			}
			if d, _ := Default().Lookup("oauth2.refresh_token.invalid"); d.Status != 400 {
				t.Errorf("override leaked into Default(): %+v", d)
			}
			if c.Len() != 45 {
				t.Errorf("Len = %d, want 45", c.Len())
			}
		},
		"full": func(t *testing.T, c *Catalog) {
			e, _ := c.Lookup("partner.webhook.signature_invalid")
			if e == nil || e.Section != "partner" || e.DescriptionZH != "Webhook 签名无效" {
				t.Errorf("new code: %+v", e)
			}
			e, _ = c.Lookup("internal.error")
			if e.Action != "Page the SecondMe on-call" || e.Status != 500 || e.Resource != "general" {
				t.Errorf("override: %+v", e)
			}
			if !c.HasModule([]byte("partner")) {
				t.Error("module of a user code unknown")
			}
			if !c.HasResource([]byte("partner.webhook")) {
				t.Error("resource of a user code unknown")
			}
		},
		"empty":     func(t *testing.T, c *Catalog) { checkLen(t, c, 44) },
		"emptylist": func(t *testing.T, c *Catalog) { checkLen(t, c, 44) },
	}
	for name, fn := range good {
		t.Run(name+".good", func(t *testing.T) {
			c, err := LoadFile(filepath.Join("testdata", name+".good.yml"))
			if err != nil {
				t.Fatal(err)
			}
			fn(t, c)
		})
	}

	bad := map[string]string{
		"unknown_field":      `testdata/unknown_field.bad.yml:4: unknown field "severity"`,
		"duplicate":          `testdata/duplicate.bad.yml:4: duplicate code "secondme.voice.unavailable" (first defined at line 2)`,
		"status_range":       `testdata/status_range.bad.yml:3: status 600 of "secondme.voice.unavailable" is outside 100..599`,
		"status_type":        `testdata/status_type.bad.yml:3: status "503" is not an integer`,
		"grammar":            `testdata/grammar.bad.yml:2: invalid code "Secondme.Voice.Unavailable": error code segment must match [a-z][a-z0-9_]*`,
		"segments":           `testdata/segments.bad.yml:2: invalid code "secondme.voice.tts.engine.down": error code needs 2 to 4 dot-separated segments`,
		"new_without_status": `testdata/new_without_status.bad.yml:2: new code "secondme.voice.unavailable" needs a "status"`,
		"top_level":          `testdata/top_level.bad.yml:1: unknown top-level field "version" (want "codes")`,
		"not_a_list":         `testdata/not_a_list.bad.yml:2: "codes" must be a list of entries`,
		"syntax":             `testdata/syntax.bad.yml: yaml: line 1: did not find expected '-' indicator`,
		"duplicate_field":    `testdata/duplicate_field.bad.yml:4: duplicate field "status" (first at line 3)`,
		"no_code":            `testdata/no_code.bad.yml:2: entry has no "code"`,
		"two_docs":           `testdata/two_docs.bad.yml:2: more than one YAML document`,
		"many": "testdata/many.bad.yml:2: invalid code \"a\": error code needs 2 to 4 dot-separated segments\n" +
			"testdata/many.bad.yml:3: status 99 of \"a\" is outside 100..599\n" +
			"testdata/many.bad.yml:6: unknown field \"colour\"",
	}
	for name, want := range bad {
		t.Run(name+".bad", func(t *testing.T) {
			c, err := LoadFile(filepath.Join("testdata", name+".bad.yml"))
			if err == nil {
				t.Fatalf("no error; catalog of %d codes", c.Len())
			}
			if err.Error() != want {
				t.Errorf("error\n got: %s\nwant: %s", err, want)
			}
		})
	}
	// Every testdata file is covered by the tables above.
	files, _ := filepath.Glob("testdata/*.yml")
	for _, f := range files {
		base := filepath.Base(f)
		name := strings.TrimSuffix(strings.TrimSuffix(base, ".good.yml"), ".bad.yml")
		if _, ok := good[name]; ok && strings.HasSuffix(base, ".good.yml") {
			continue
		}
		if _, ok := bad[name]; ok && strings.HasSuffix(base, ".bad.yml") {
			continue
		}
		t.Errorf("%s has no test case", f)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/does-not-exist.yml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want a wrapped os.ErrNotExist", err)
	}
}

func TestGrammarErrorsWrapSentinels(t *testing.T) {
	_, err := LoadFile("testdata/grammar.bad.yml")
	if !errors.Is(err, ErrSegment) {
		t.Errorf("err = %v, want it to wrap ErrSegment", err)
	}
}

func TestEmbeddedIsValidUserFile(t *testing.T) {
	c, err := Load("embedded", EmbeddedYAML())
	if err != nil {
		t.Fatal(err)
	}
	checkLen(t, c, 44)
}

func checkLen(t *testing.T, c *Catalog, n int) {
	t.Helper()
	if c.Len() != n {
		t.Errorf("Len = %d, want %d", c.Len(), n)
	}
}

func TestValidate(t *testing.T) {
	cases := map[string]error{
		"oauth2.token.expired":                 nil,
		"internal.error":                       nil,
		"a.b":                                  nil,
		"oauth2.refresh_token.invalid":         nil,
		"mod.res.sub.reason":                   nil,
		"x1_.y2_":                              nil,
		"":                                     ErrEmpty,
		"single":                               ErrSegmentCount,
		"a.b.c.d.e":                            ErrSegmentCount,
		"OAuth2.token.expired":                 ErrSegment,
		"oauth2..token":                        ErrSegment,
		".oauth2.token":                        ErrSegment,
		"oauth2.token.":                        ErrSegment,
		"oauth2.1token.x":                      ErrSegment,
		"oauth2._token.x":                      ErrSegment,
		"oauth2-token.expired":                 ErrSegment,
		"oauth2.token expired":                 ErrSegment,
		"oauth2.token.expired\x00":             ErrSegment,
		"oauth2.tökén.expired":                 ErrSegment,
		"a." + strings.Repeat("b", 126):        nil,
		"a." + strings.Repeat("b", 127):        ErrTooLong,
		strings.Repeat("a.", 200) + "b":        ErrTooLong,
		"secondme.context.build_failed":        nil,
		"oauth2.application.invalid_status_x9": nil,
	}
	for code, want := range cases {
		if got := Validate([]byte(code)); got != want {
			t.Errorf("Validate(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestSplit(t *testing.T) {
	cases := map[string][3]string{
		"oauth2.token.expired":     {"oauth2", "token", "expired"},
		"internal.error":           {"internal", "general", "error"},
		"connection.error":         {"connection", "general", "error"},
		"invalid.param":            {"invalid", "general", "param"},
		"mod.res.sub.reason":       {"mod", "res.sub", "reason"},
		"OAuth2.Token.Expired":     {"", "", ""},
		"single":                   {"", "", ""},
		"secondme.user.invalid_id": {"secondme", "user", "invalid_id"},
	}
	for code, want := range cases {
		m, r, rs := Split(code)
		if [3]string{m, r, rs} != want {
			t.Errorf("Split(%q) = %q %q %q, want %v", code, m, r, rs, want)
		}
	}
}

func TestStatusClass(t *testing.T) {
	cases := map[int]string{0: "unknown", 99: "unknown", 100: "1xx", 199: "1xx", 200: "2xx", 301: "3xx",
		401: "4xx", 499: "4xx", 500: "5xx", 599: "5xx", 600: "unknown", -1: "unknown", 40101: "unknown"}
	for code, want := range cases {
		if got := StatusClass(code); got != want {
			t.Errorf("StatusClass(%d) = %q, want %q", code, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	type in struct {
		code   string
		status int
	}
	cases := map[string]struct {
		in   in
		want Class
	}{
		"known, logged status equals catalog": {in{"oauth2.token.expired", 401},
			Class{"oauth2", "token", "expired", "4xx", 401, true, 401, false}},
		"known, no logged status": {in{"oauth2.token.expired", 0},
			Class{"oauth2", "token", "expired", "4xx", 401, true, 401, false}},
		"known, gateway sends another status": {in{"oauth2.refresh_token.invalid", 401},
			Class{"oauth2", "refresh_token", "invalid", "4xx", 401, true, 400, true}},
		"known, 5xx": {in{"connection.error", 503},
			Class{"connection", "general", "error", "5xx", 503, true, 503, false}},
		"known, business code is no HTTP status": {in{"internal.error", 50001},
			Class{"internal", "general", "error", "5xx", 500, true, 500, false}},
		"known, negative code": {in{"invalid.param", -1},
			Class{"invalid", "general", "param", "4xx", 400, true, 400, false}},
		"unknown with status": {in{"secondme.voice.unavailable", 503},
			Class{"secondme", "voice", "unavailable", "5xx", 503, false, 0, false}},
		"unknown without status": {in{"secondme.voice.unavailable", 0},
			Class{"secondme", "voice", "unavailable", "unknown", 0, false, 0, false}},
		"unknown four segments": {in{"partner.webhook.sig.invalid", 401},
			Class{"partner", "webhook.sig", "invalid", "4xx", 401, false, 0, false}},
		"known, 2xx logged": {in{"oauth2.token.expired", 200},
			Class{"oauth2", "token", "expired", "2xx", 200, true, 401, true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Default().Classify(tc.in.code, tc.in.status); got != tc.want {
				t.Errorf("Classify(%q, %d)\n got %+v\nwant %+v", tc.in.code, tc.in.status, got, tc.want)
			}
		})
	}
}

func TestLookupBytesDoesNotAllocate(t *testing.T) {
	c := Default()
	key := []byte("oauth2.token.expired")
	var e *Entry
	allocs := testing.AllocsPerRun(100, func() {
		e, _ = c.LookupBytes(key)
		_ = Validate(key)
		_, _, _ = Split(e.Code)
		_ = c.Classify(e.Code, 401)
	})
	if allocs != 0 {
		t.Errorf("LookupBytes/Validate/Split/Classify allocate %.1f times", allocs)
	}
	if e == nil || e.Code != "oauth2.token.expired" {
		t.Errorf("LookupBytes = %+v", e)
	}
}

// TestREADMETable fails when README.md's catalog table drifts from catalog.yaml.
func TestREADMETable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	got, err := READMETable(readme)
	if err != nil {
		t.Fatal(err)
	}
	if want := Default().MarkdownTable(); got != want {
		t.Errorf("README.md catalog table is out of date: run go run ./catalog/cmd/gencatalogdoc\n got:\n%s\nwant:\n%s", got, want)
	}
	spliced, err := SpliceREADME(readme, Default().MarkdownTable())
	if err != nil || string(spliced) != string(readme) {
		t.Errorf("SpliceREADME is not idempotent on an up-to-date README (err %v)", err)
	}
}

// TestReferenceCopyIsCurrent: where the project's shared seed sits beside the
// repository (the development machine), the committed copy must match it.
func TestReferenceCopyIsCurrent(t *testing.T) {
	seeds, _ := filepath.Glob("../../shared/seed/*.txt")
	if len(seeds) == 0 {
		t.Skip("no shared/seed beside the repository: TestSeedReference checks the committed copy")
	}
	want, err := os.ReadFile(referenceFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range seeds {
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) == string(want) {
			return
		}
	}
	t.Errorf("%s differs from every file of shared/seed: copy the reference again", referenceFile)
}
