package parser

// fastJSON switches the JSON fast path on; tests switch it off to check that
// both paths give the same results.
var fastJSON = true

// fastObject reads the members of a JSON object whose "{" (already pushed as
// the top frame) is just before i: `"key": value` pairs separated by commas,
// with string, number, literal and nested-object values. It does exactly what
// the generic loop would do for such text, with less dispatching per byte. At
// anything else — an array value, a single quote, a bare key, a missing comma —
// it stops before the member it cannot read, with no side effect for that
// member, and the generic loop carries on from there with the frames as they
// are. done reports that the object was closed.
func (p *Parser) fastObject(b []byte, i, lvl, base int) (next int, done bool) {
	n := len(b)
	x := &p.idx[lvl]
	for {
		// Compact JSON has no blanks: each skipBlank below runs only when the
		// byte at hand is not the expected one.
		if i >= n {
			return i, false
		}
		if b[i] != '"' {
			i = skipBlank(b, i)
			if i >= n {
				return i, false
			}
			if b[i] == '}' {
				p.closeBy('}', base)
				return i + 1, true
			}
			if b[i] != '"' {
				return i, false
			}
		}
		start := i
		// The key: up to its quote, with no escape in it.
		ks := i + 1
		ke := nextBit(x.dq, ks)
		if ke >= n || b[ke] != '"' {
			return start, false
		}
		i = ke + 1
		if i >= n {
			return start, false
		}
		if b[i] != ':' {
			i = skipBlank(b, i)
			if i >= n || b[i] != ':' {
				return start, false
			}
		}
		j := i + 1
		if j >= n || b[j] == ':' || b[j] == '=' {
			return start, false
		}
		if blank[b[j]] {
			j = skipBlank(b, j)
			if j >= n {
				return start, false
			}
		}
		key := b[ks:ke]
		// The value.
		switch c := b[j]; {
		case c == '"':
			vs, ve, after, trunc := x.scanString(b, j)
			if trunc {
				return start, false
			}
			end := after
			if end < n && blank[b[end]] {
				end = skipBlank(b, end)
			}
			if end >= n || (b[end] != ',' && b[end] != '}') {
				return start, false
			}
			val := b[vs:ve]
			kind := kNone
			if mayClassify(key) { // inlined: most keys stop here, without a call
				kind = classifyName(key)
			}
			if kind != kNone {
				p.keyOf(kind, key, vString, val, true, false)
			}
			if kind != kErr && kind != kCode && x.mayNest(b, vs, ve) && !queryKey(key, val) {
				p.recurse(val, lvl)
			}
			if kind == kNone {
				p.requestValue(val)
			}
			i = end
		case c == '{':
			if j+2 < n && b[j+1] == '\\' && b[j+2] == '"' || filterKey(key) {
				return start, false // {\"code\":…}: an escaped body, or a rule's filter, which the generic loop reads (skips)
			}
			if mayClassify(key) {
				if kind := classifyName(key); kind != kNone {
					p.keyOf(kind, key, vContainer, nil, false, false)
				}
			}
			p.push('{')
			if p.overflow > 0 {
				return j + 1, false
			}
			var closed bool
			if i, closed = p.fastObject(b, j+1, lvl, base); !closed {
				return i, false
			}
			if i < n && blank[b[i]] {
				i = skipBlank(b, i)
			}
			if i >= n || (b[i] != ',' && b[i] != '}') {
				return i, false // after a whole member: nothing to undo
			}
		case c == '-' || isDigit(c) || c == 't' || c == 'f' || c == 'n':
			ve := x.wordEnd(j)
			end := ve
			if end < n && blank[b[end]] {
				end = skipBlank(b, end)
			}
			if end >= n || (b[end] != ',' && b[end] != '}') {
				return start, false
			}
			if mayClassify(key) {
				if kind := classifyName(key); kind != kNone {
					if ve-j > 3 && kind <= kStatus && escapedBlankIn(b, j, ve, true) < ve { // 401 needs no look
						return start, false // "code": 401\n}: the generic loop ends the value there
					}
					p.keyOf(kind, key, vBare, b[j:ve], false, false)
				}
			}
			i = end
		default: // an array, a Python string, something else: the generic loop
			return start, false
		}
		if b[i] == ',' {
			i++
		} else { // '}'
			p.closeBy('}', base)
			return i + 1, true
		}
	}
}

func skipBlank(b []byte, i int) int {
	for i < len(b) && blank[b[i]] {
		i++
	}
	return i
}

var blank = func() (t [256]bool) {
	for c := range t {
		t[c] = class[c] == clSpace
	}
	return t
}()
