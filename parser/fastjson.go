package parser

import "bytes"

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
	for {
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
		start := i
		// The key.
		k := bytes.IndexByte(b[i+1:], '"')
		if k < 0 {
			return start, false
		}
		ks, ke := i+1, i+1+k
		if bytes.IndexByte(b[ks:ke], '\\') >= 0 {
			return start, false
		}
		i = skipBlank(b, ke+1)
		if i >= n || b[i] != ':' || (i+1 < n && (b[i+1] == ':' || b[i+1] == '=')) {
			return start, false
		}
		j := skipBlank(b, i+1)
		if j >= n {
			return start, false
		}
		key := b[ks:ke]
		// The value.
		switch c := b[j]; {
		case c == '"':
			vs, ve, after, trunc := scanString(b, j)
			if trunc {
				return start, false
			}
			end := skipBlank(b, after)
			if end >= n || (b[end] != ',' && b[end] != '}') {
				return start, false
			}
			val := b[vs:ve]
			kind := classifyKey(key)
			if kind != kNone {
				p.keyOf(kind, key, vString, val, true, false)
			}
			if kind != kErr && kind != kCode && mayNest(val) {
				p.recurse(val, lvl)
			}
			i = end
		case c == '{':
			if kind := classifyKey(key); kind != kNone {
				p.keyOf(kind, key, vContainer, nil, false, false)
			}
			p.push('{')
			if p.overflow > 0 {
				return j + 1, false
			}
			var closed bool
			if i, closed = p.fastObject(b, j+1, lvl, base); !closed {
				return i, false
			}
			i = skipBlank(b, i)
			if i >= n || (b[i] != ',' && b[i] != '}') {
				return i, false // after a whole member: nothing to undo
			}
		case c == '-' || isDigit(c) || c == 't' || c == 'f' || c == 'n':
			ve := wordEnd(b, j)
			end := skipBlank(b, ve)
			if end >= n || (b[end] != ',' && b[end] != '}') {
				return start, false
			}
			if kind := classifyKey(key); kind != kNone {
				p.keyOf(kind, key, vBare, b[j:ve], false, false)
			}
			i = end
		default: // an array, a Python string, something else: the generic loop
			return start, false
		}
		if b[i] == ',' {
			i++
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
