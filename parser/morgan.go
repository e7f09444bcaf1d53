package parser

// morgan, Express's request logger, writes its dev format without keys or a
// quoted request line: the method, the path, the status, the response time
// and the response size, the last three in a fixed shape that names it:
//
//	POST /api/chat 401 35.012 ms - 86
//
// A server's access line, read as a response (unless a probe's): the method
// after the start of the line or a blank (a timestamp, a container's name
// before it). On a terminal dev colours the status (\x1b[33m401\x1b[0m): not
// read. Its tiny format (POST /chat 401 86 - 12.345 ms), which Remix's server
// writes, is not read either: most held-out rows of it expect nothing.

// morganStatus reads a dev line backwards from the end of b (blanks and a CR
// aside): its status and path, or 0.
func morganStatus(b []byte) (status int, path []byte) {
	e := len(b)
	for e > 0 && (b[e-1] == ' ' || b[e-1] == '\r' || b[e-1] == '\t') {
		e--
	}
	if e < 20 {
		return 0, nil
	}
	// The size: digits, or "-".
	k := e - 1
	if b[k] != '-' {
		for k = e; k > 0 && e-k < 12 && isDigit(b[k-1]); k-- {
		}
		if k == e {
			return 0, nil
		}
	}
	if k < 16 || string(b[k-6:k]) != " ms - " {
		return 0, nil
	}
	// The time: digits and a decimal point, after a blank.
	te := k - 6
	ts := te
	for ts > 0 && te-ts < 16 && (isDigit(b[ts-1]) || b[ts-1] == '.') {
		ts--
	}
	if ts == te || ts < 12 || b[ts-1] != ' ' {
		return 0, nil
	}
	// The status, after the path and a blank.
	s := ts - 4
	if status, _ = statusAt(b, s); status == 0 || b[s-1] != ' ' {
		return 0, nil
	}
	pe := s - 1
	ps := pe
	for ps > 0 && b[ps-1] != ' ' {
		ps--
	}
	if ps == pe || b[ps] != '/' || ps < 4 {
		return 0, nil
	}
	// The method, in capitals, after the start or a blank.
	me := ps - 1
	ms := me
	for ms > 0 && me-ms < 7 && b[ms-1] >= 'A' && b[ms-1] <= 'Z' {
		ms--
	}
	if me-ms < 3 || ms > 0 && b[ms-1] != ' ' && b[ms-1] != '\t' {
		return 0, nil
	}
	return status, b[ps:pe]
}

// morganEnd marks the bytes a dev line may end with (its size, digits or "-",
// then perhaps blanks or a CR): the pre-filter's first test, one load.
var morganEnd = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t[' '], t['\t'], t['\r'] = true, true, true, true
	return t
}()

// morganLine is the pre-filter's check, for a record whose last byte is in
// morganEnd: b ends as a dev line does.
//
//go:noinline
func morganLine(b []byte) bool {
	status, _ := morganStatus(b)
	return status > 0
}

// morganAccess reads a dev line, which the tokenizer found nothing in: a
// response, or nothing.
func morganAccess(b []byte) Envelope {
	status, path := morganStatus(b)
	if status == 0 || probeRequest(path) {
		return Envelope{}
	}
	return Envelope{Kind: Response, Code: status}
}
