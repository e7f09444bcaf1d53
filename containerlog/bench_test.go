package containerlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// benchLines is 1 000 lines of 100–400 bytes, each wrapped in format; every
// tenth is split in two pieces.
func benchLines(format Format) [][]byte {
	var lines [][]byte
	for i := range 1000 {
		text := fmt.Sprintf(`{"time":"2026-11-24T10:00:%02dZ","level":"info","msg":"request %d done","path":"/api/secondme/chat/stream"}`, i%60, i) +
			string(bytes.Repeat([]byte(" padding"), i%38))
		pieces := []string{text}
		if i%10 == 0 {
			pieces = []string{text[:len(text)/2], text[len(text)/2:]}
		}
		for k, p := range pieces {
			last := k == len(pieces)-1
			switch format {
			case CRI:
				tag := "P"
				if last {
					tag = "F"
				}
				lines = append(lines, []byte("2026-11-24T10:00:00.123456789Z stdout "+tag+" "+p))
			case Docker:
				if last {
					p += "\n"
				}
				b, _ := json.Marshal(map[string]string{"log": p, "stream": "stdout", "time": "2026-11-24T10:00:00.123456789Z"})
				lines = append(lines, b)
			}
		}
	}
	return lines
}

func BenchmarkDecoder(b *testing.B) {
	for _, format := range []Format{CRI, Docker} {
		b.Run(format.String(), func(b *testing.B) {
			lines := benchLines(format)
			n := 0
			for _, l := range lines {
				n += len(l) + 1
			}
			d := NewDecoder(format, 1<<20)
			out := 0
			emit := func(c []byte, _ int64) { out += len(c) }
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					d.Add(l, 0, emit)
				}
			}
			if out == 0 {
				b.Fatal("nothing decoded")
			}
		})
	}
}
