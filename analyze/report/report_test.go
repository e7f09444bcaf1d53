package report

import (
	"bytes"
	"strings"
	"testing"
)

// A document with nothing in it (no envelope, no time) renders in every
// format, and says so rather than drawing empty tables.
func TestRenderEmptyDocument(t *testing.T) {
	d := &Document{SchemaVersion: SchemaVersion, Source: "default", Inputs: []Input{{Name: "-", UnterminatedBytes: 3}},
		Timeline: Timeline{BucketSeconds: 60, SpikeRule: SpikeRule{Factor: 3, MinExcess: 10, Baseline: "median"}}}
	for _, f := range []Format{Text, JSON, Markdown, HTML} {
		var out bytes.Buffer
		if err := Render(&out, d, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		s := out.String()
		switch f {
		case Text:
			if !strings.Contains(s, "no event time found") || !strings.Contains(s, "no timed envelopes") ||
				!strings.Contains(s, "last line of 3 bytes without a newline") {
				t.Errorf("text:\n%s", s)
			}
		case HTML:
			if strings.Count(s, "<section") != strings.Count(s, "<svg") || !strings.Contains(s, "no timed envelopes") {
				t.Errorf("html: %d sections, %d charts", strings.Count(s, "<section"), strings.Count(s, "<svg"))
			}
		case JSON:
			if !strings.Contains(s, `"backtest": null`) || !strings.Contains(s, `"notifications": null`) {
				t.Errorf("json: absent sections must be null:\n%s", s)
			}
		}
	}
	if err := Render(&bytes.Buffer{}, d, "yaml"); err == nil {
		t.Error("unknown format: want an error")
	}
}

func TestEscaping(t *testing.T) {
	if got := md("a|b_c*<d>\ne"); got != `a\|b\_c\*&lt;d&gt; e` {
		t.Errorf("md = %q", got)
	}
	if got := esc(`<script>"x"&`); got != "&lt;script&gt;&#34;x&#34;&amp;" {
		t.Errorf("esc = %q", got)
	}
	if got := humanBytes(1536); got != "1.5 KiB" {
		t.Errorf("humanBytes = %q", got)
	}
	if got := bar(5, 10, 10); got != "█████" {
		t.Errorf("bar = %q", got)
	}
}
