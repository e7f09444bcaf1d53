package analyze

import (
	"bytes"
	"context"
	"testing"

	"github.com/secondme/secondme_error_exporter/analyze/internal/corpusgen"
)

func scanBytes(t testing.TB, b []byte, opts Options) *Result {
	t.Helper()
	res, err := Scan(context.Background(), []Input{ReaderInput("mem", bytes.NewReader(b))}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestScanIncidentMatchesTruth(t *testing.T) {
	var buf bytes.Buffer
	truth, err := corpusgen.Incident(&buf, corpusgen.FullIncident)
	if err != nil {
		t.Fatal(err)
	}
	res := scanBytes(t, buf.Bytes(), DefaultOptions())
	doc, err := res.Summarize(DefaultSummaryOptions())
	if err != nil {
		t.Fatal(err)
	}
	for code, n := range truth.Errors {
		if doc.ByErrorCode[code] != n {
			t.Errorf("%s: got %d, want %d", code, doc.ByErrorCode[code], n)
		}
	}
	if len(doc.ByErrorCode) != len(truth.Errors) {
		t.Errorf("codes: got %v, want %v", doc.ByErrorCode, truth.Errors)
	}
	t.Logf("%+v %+v %+v", doc.Envelopes, doc.Time, doc.MalformedByReason)
}
