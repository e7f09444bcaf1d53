package parser

import "testing"

func BenchmarkOneLine(b *testing.B) {
	line := []byte(`{"time_local":"2026-11-24T10:00:00.123Z","remote_addr":"10.1.2.3","request":"GET /api/secondme/chat/stream HTTP/1.1","status":200,"body_bytes_sent":1234,"request_time":0.123,"upstream_http_x_error_code":"-","http_user_agent":"Go-http-client/2.0"}`)
	p := New(nil)
	b.SetBytes(int64(len(line)))
	cpu0 := cpuTime()
	for b.Loop() {
		p.Parse(line)
	}
	reportCPU(b, int64(len(line)), cpu0)
}
