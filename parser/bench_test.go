package parser

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// benchCorpus is the committed corpus split into lines, and into the lines with
// and without an envelope (as judged by Parse, once, outside the timed loops).
type benchCorpus struct {
	all, none, envelope, errors [][]byte
}

func loadBenchCorpus(tb testing.TB) *benchCorpus {
	data, err := os.ReadFile("testdata/corpus.log")
	if err != nil {
		tb.Fatal(err)
	}
	c := &benchCorpus{}
	p := New(nil)
	for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		c.all = append(c.all, line)
		switch p.Parse(line).Kind {
		case None:
			c.none = append(c.none, line)
		case Error:
			c.errors = append(c.errors, line)
			c.envelope = append(c.envelope, line)
		default:
			c.envelope = append(c.envelope, line)
		}
	}
	return c
}

func size(lines [][]byte) (n int64) {
	for _, l := range lines {
		n += int64(len(l)) + 1
	}
	return n
}

var sink Envelope

// cpuTime is the CPU time this process has used. Other agents load the shared
// machine, so wall-clock MB/s understate what a core does; bytes per CPU second
// (reported as cpu-MB/s) is the per-core throughput.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchLines times passes over lines. pass parses every line once, calling
// the parser directly as the sidecar does: a function value per line would
// add a call frame (and, for a method value, a wrapper) to what is timed.
func benchLines(b *testing.B, lines [][]byte, pass func(lines [][]byte)) {
	n := size(lines)
	b.SetBytes(n)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		pass(lines)
	}
	reportCPU(b, n, cpu0)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}

// parsePass is benchLines' pass for p.
func parsePass(p *Parser) func([][]byte) {
	return func(lines [][]byte) {
		for _, l := range lines {
			sink = p.Parse(l)
		}
	}
}

func reportCPU(b *testing.B, n int64, cpu0 time.Duration) {
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	}
}

// BenchmarkParse measures the parser on the committed corpus: the lines without
// an envelope, the lines with one (errors, successes, responses, malformed), the
// errors alone, and the whole mix — beside two baselines doing equivalent work
// on the whole mix: encoding/json decoding every line, and regexp extraction.
func BenchmarkParse(b *testing.B) {
	c := loadBenchCorpus(b)
	p := New(nil)
	b.Run("none", func(b *testing.B) { benchLines(b, c.none, parsePass(p)) })
	b.Run("envelope", func(b *testing.B) { benchLines(b, c.envelope, parsePass(p)) })
	b.Run("errors", func(b *testing.B) { benchLines(b, c.errors, parsePass(p)) })
	b.Run("mixed", func(b *testing.B) { benchLines(b, c.all, parsePass(p)) })
	b.Run("mixed_assembled", func(b *testing.B) {
		a := NewAssembler(64, 64<<10)
		emit := func(r []byte) { sink = p.Parse(r) }
		b.SetBytes(size(c.all))
		b.ReportAllocs()
		cpu0 := cpuTime()
		for b.Loop() {
			for _, l := range c.all {
				a.Add(l, emit)
			}
			a.Flush(emit)
		}
		reportCPU(b, size(c.all), cpu0)
	})
	b.Run("baseline_encoding_json", func(b *testing.B) {
		benchLines(b, c.all, func(lines [][]byte) {
			for _, l := range lines {
				sink = jsonBaseline(l)
			}
		})
	})
	b.Run("baseline_regexp", func(b *testing.B) {
		benchLines(b, c.all, func(lines [][]byte) {
			for _, l := range lines {
				sink = regexpBaseline(l)
			}
		})
	})
}

// jsonBaseline is the obvious implementation: decode the JSON object of every
// line (after any text prefix) with encoding/json and walk it, decoding JSON
// found inside strings too.
func jsonBaseline(line []byte) Envelope {
	i := bytes.IndexByte(line, '{')
	if i < 0 {
		return Envelope{}
	}
	var v any
	if err := json.NewDecoder(bytes.NewReader(line[i:])).Decode(&v); err != nil {
		return Envelope{}
	}
	e, _ := walkJSON(v, 0)
	return e
}

func walkJSON(v any, depth int) (Envelope, bool) {
	if depth > 64 {
		return Envelope{}, false
	}
	switch x := v.(type) {
	case map[string]any:
		ec, _ := x["error_code"].(string)
		if ec == "" {
			ec, _ = x["subCode"].(string)
		}
		if ec != "" {
			env := Envelope{Kind: Error, ErrorCode: ec}
			switch c := x["code"].(type) {
			case float64:
				env.Code = int(c)
			case string:
				env.Code, _ = strconv.Atoi(c)
			}
			return env, true
		}
		if c, ok := x["code"].(float64); ok && c == 0 {
			return Envelope{Kind: Success}, true
		}
		for _, child := range x {
			if e, ok := walkJSON(child, depth+1); ok {
				return e, true
			}
		}
	case []any:
		for _, child := range x {
			if e, ok := walkJSON(child, depth+1); ok {
				return e, true
			}
		}
	case string:
		if len(x) > 1 && x[0] == '{' {
			var inner any
			if json.Unmarshal([]byte(x), &inner) == nil {
				return walkJSON(inner, depth+1)
			}
		}
	}
	return Envelope{}, false
}

var (
	reErrorCode = regexp.MustCompile(`(?:error_code|subCode|sub_code|errorCode)\\*["']?\s*[:=]\s*\\*["']?([a-z][a-z0-9_.]*)`)
	reCode      = regexp.MustCompile(`\bcode\\*["']?\s*[:=]\s*\\*["']?(\d+)`)
)

// regexpBaseline extracts error_code and code with Go regexps.
func regexpBaseline(line []byte) Envelope {
	m := reErrorCode.FindSubmatchIndex(line)
	if m == nil {
		return Envelope{}
	}
	e := Envelope{Kind: Error, ErrorCode: string(line[m[2]:m[3]])}
	if c := reCode.FindSubmatch(line); c != nil {
		e.Code, _ = strconv.Atoi(string(c[1]))
	}
	return e
}

// BenchmarkShapeWarmth measures what the envelope set's mix of shapes costs on
// a CPU whose instruction cache the parser's hot code outgrows (see
// docs/parser-benchmarks.md, eighth session): its JSON lines and its other
// lines as two streams, and every line parsed sixteen times in a row, which
// keeps the code and the branch history of its shape warm.
func BenchmarkShapeWarmth(b *testing.B) {
	c := loadBenchCorpus(b)
	p := New(nil)
	var json, text, repeated [][]byte
	for _, l := range c.envelope {
		if l[0] == '{' {
			json = append(json, l)
		} else {
			text = append(text, l)
		}
		for range 16 {
			repeated = append(repeated, l)
		}
	}
	b.Run("envelope_json", func(b *testing.B) { benchLines(b, json, parsePass(p)) })
	b.Run("envelope_text", func(b *testing.B) { benchLines(b, text, parsePass(p)) })
	b.Run("envelope_repeated", func(b *testing.B) { benchLines(b, repeated, parsePass(p)) })
}
