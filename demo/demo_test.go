package demo

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/parser"
)

func fixedClock() func() time.Time {
	t := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(7 * time.Millisecond); return t }
}

func generate(opts Options, n int) ([]byte, Counts) {
	g := NewGenerator(opts)
	var buf []byte
	for i := 0; i < n; i++ {
		buf = g.Next(buf)
	}
	return buf, g.Counts()
}

func TestDeterministic(t *testing.T) {
	opts := Options{Seed: 9, SpikeStart: 100, SpikeEvery: 500, SpikeLength: 50, UnknownCodes: true}
	opts.Now = fixedClock()
	a, ca := generate(opts, 3000)
	opts.Now = fixedClock()
	b, cb := generate(opts, 3000)
	if !bytes.Equal(a, b) || !reflect.DeepEqual(ca, cb) {
		t.Fatal("the same seed and clock produced different output")
	}
	opts.Seed = 10
	opts.Now = fixedClock()
	c, _ := generate(opts, 3000)
	if bytes.Equal(a, c) {
		t.Fatal("different seeds produced the same output")
	}
}

// TestCountsMatchParser runs every generated record through the real
// parser: the counts the generator reports are exactly what the parser
// finds, record by record.
func TestCountsMatchParser(t *testing.T) {
	cat := catalog.Default()
	g := NewGenerator(Options{Seed: 3, SpikeStart: 2000, SpikeEvery: 5000, SpikeLength: 500, UnknownCodes: true})
	p := parser.New(cat)
	got := newCounts()
	var buf []byte
	const n = 20000
	for i := 0; i < n; i++ {
		buf = g.Next(buf[:0])
		rec := bytes.TrimSuffix(buf, []byte("\n"))
		env := p.Parse(rec)
		got.Records++
		switch env.Kind {
		case parser.None:
			got.Noise++
		case parser.Success:
			got.Successes++
			got.Responses["2xx"]++
		case parser.Response:
			got.Gateway++
			got.Responses[catalog.StatusClass(env.Code)]++
		case parser.Error:
			got.Errors[env.ErrorCode]++
			if got.ErrorsByStatus[env.ErrorCode] == nil {
				got.ErrorsByStatus[env.ErrorCode] = map[string]int64{}
			}
			got.ErrorsByStatus[env.ErrorCode][strconv.Itoa(env.Code)]++
			cls := cat.Classify(env.ErrorCode, env.Code)
			got.Responses[cls.StatusClass]++
			if !cls.Known {
				got.Unknown++
			}
			if cls.Mismatch {
				got.Mismatches[env.ErrorCode]++
			}
		case parser.Malformed:
			t.Fatalf("record %d is malformed (%s): %s", i, env.Reason, rec)
		}
	}
	want := g.Counts()
	got.Spike = want.Spike // not observable in a record
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parser found\n%+v\nthe generator counted\n%+v", got, want)
	}
	for _, e := range cat.Entries() {
		if want.Errors[e.Code] == 0 {
			t.Errorf("%s never generated in %d records: the demo should cover the whole catalog", e.Code, n)
		}
	}
	if want.Unknown == 0 || len(want.Mismatches) == 0 || want.Gateway == 0 || want.Noise == 0 {
		t.Errorf("some record kinds are missing: %+v", want)
	}
}

// TestPagingCodes: the codes that page at their first occurrence come only
// as the scheduled incidents, one record each per pagingEvery records; every
// other weighted code shows up in the background traffic.
func TestPagingCodes(t *testing.T) {
	for _, code := range pagingCodes {
		if w, ok := weights[code]; !ok || w != 0 {
			t.Errorf("%s has weight %d (listed: %v), want 0", code, w, ok)
		}
	}
	g := NewGenerator(Options{Seed: 5})
	var buf []byte
	for i := int64(0); i < 2*pagingEvery; i++ {
		buf = g.Next(buf[:0])
		k := i%pagingEvery - pagingAt
		for j, code := range pagingCodes {
			if has := bytes.Contains(buf, []byte(code)); has != (k == int64(j)) {
				t.Fatalf("record %d: holds %s: %v, scheduled: %v\n%s", i, code, has, k == int64(j), buf)
			}
		}
	}
	c := g.Counts()
	for code, w := range weights {
		if w > 0 && c.Errors[code] == 0 {
			t.Errorf("%s: no record in %d", code, 2*pagingEvery)
		}
	}
	for _, code := range pagingCodes {
		if c.Errors[code] != 2 {
			t.Errorf("%s: %d records, want 2 (one per period)", code, c.Errors[code])
		}
	}
}

func TestSpikes(t *testing.T) {
	g := NewGenerator(Options{Seed: 1, SpikeStart: 100, SpikeEvery: 1000, SpikeLength: 200, SpikeShare: 1})
	for i := int64(0); i < 3000; i++ {
		in := g.InSpike(i)
		want := (i >= 100 && i < 300) || (i >= 1100 && i < 1300) || (i >= 2100 && i < 2300)
		if in != want {
			t.Fatalf("InSpike(%d) = %v", i, in)
		}
	}
	var buf []byte
	for i := 0; i < 3000; i++ {
		buf = g.Next(buf)
	}
	c := g.Counts()
	if c.Spike != 600 || c.Errors[DefaultSpikeCode] < 600 {
		t.Fatalf("spike = %d, %s = %d; want 600 spike records", c.Spike, DefaultSpikeCode, c.Errors[DefaultSpikeCode])
	}
}

func TestSpikeSchedule(t *testing.T) {
	start, every, length, err := SpikeSchedule(50, 30*time.Second, 2*time.Minute, 20*time.Second)
	if err != nil || start != 1500 || every != 6000 || length != 1000 {
		t.Fatalf("got %d %d %d %v", start, every, length, err)
	}
	if _, _, _, err := SpikeSchedule(0, time.Second, time.Minute, time.Second); err == nil {
		t.Error("spikes in time without a rate accepted")
	}
	if _, _, _, err := SpikeSchedule(10, 0, time.Minute, 2*time.Minute); err == nil {
		t.Error("a spike longer than its period accepted")
	}
	if s, e, l, err := SpikeSchedule(0, 0, 0, 0); err != nil || s+e+l != 0 {
		t.Error("no spikes must be accepted without a rate")
	}
}

func TestWriteCountAndRate(t *testing.T) {
	var a, b bytes.Buffer
	c, err := Write(context.Background(), []io.Writer{&a, &b}, WriterOptions{Options: Options{Seed: 1}, Count: 1001})
	if err != nil {
		t.Fatal(err)
	}
	if c.Records != 1001 || bytes.Count(a.Bytes(), []byte("\n")) != 501 || bytes.Count(b.Bytes(), []byte("\n")) != 500 {
		t.Fatalf("records=%d a=%d b=%d", c.Records, bytes.Count(a.Bytes(), []byte("\n")), bytes.Count(b.Bytes(), []byte("\n")))
	}

	// Paced: 200 records at 2000/s take about 100ms, not 0 and not forever.
	var p bytes.Buffer
	start := time.Now()
	c, err = Write(context.Background(), []io.Writer{&p}, WriterOptions{Options: Options{Seed: 1}, Rate: 2000, Count: 200, Tick: 10 * time.Millisecond})
	if err != nil || c.Records != 200 {
		t.Fatalf("paced: %v %d", err, c.Records)
	}
	if el := time.Since(start); el < 80*time.Millisecond {
		t.Errorf("200 records at 2000/s took %s: not paced", el)
	}

	// Duration limit.
	c, err = Write(context.Background(), []io.Writer{io.Discard}, WriterOptions{Options: Options{Seed: 1}, Rate: 100, Duration: 50 * time.Millisecond})
	if err != nil || c.Records > 10 {
		t.Fatalf("duration: %v %d records", err, c.Records)
	}
}

type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(p), nil
}

// TestWriteCountsOnlyWritten: a failed write is not counted.
func TestWriteCountsOnlyWritten(t *testing.T) {
	c, err := Write(context.Background(), []io.Writer{&failAfter{n: 2}}, WriterOptions{Options: Options{Seed: 1}})
	if err == nil {
		t.Fatal("no error")
	}
	if c.Records != 2000 {
		t.Fatalf("counted %d records, 2 batches of 1000 were written", c.Records)
	}
}

func TestCountsFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	counts, err := WriteFiles(context.Background(), FileOptions{
		Paths:         []string{filepath.Join(dir, "a.log")},
		CountsFile:    filepath.Join(dir, "counts.json"),
		WriterOptions: WriterOptions{Options: Options{Seed: 4, UnknownCodes: true}, Count: 500},
	})
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadCounts(filepath.Join(dir, "counts.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, counts) {
		t.Fatalf("round trip:\n%+v\n%+v", back, counts)
	}
}
