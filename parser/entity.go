package parser

import "bytes"

// HTML and XML entities: the escaped quotes, apostrophes, ampersands and angle
// brackets of a JSON body written into an HTML page or an XML document
// (&quot;, &#34;, &#x22;, &apos;, &#39;, &#x27;, &amp;, &lt;, &gt;). Other
// entities stay as they are.

// entityAt returns the byte the entity at b[i] stands for and its length, or
// 0, 0 if b[i:] starts no entity of those.
func entityAt(b []byte, i int) (c byte, n int) {
	rest := b[i:]
	if len(rest) < 4 || rest[0] != '&' {
		return 0, 0
	}
	semi := bytes.IndexByte(rest[:min(len(rest), 7)], ';')
	if semi < 0 {
		return 0, 0
	}
	switch string(rest[1:semi]) {
	case "quot", "#34", "#x22", "#X22":
		return '"', semi + 1
	case "apos", "#39", "#x27", "#X27":
		return '\'', semi + 1
	case "amp", "#38", "#x26", "#X26":
		return '&', semi + 1
	case "lt", "#60", "#x3c", "#x3C", "#X3C", "#X3c":
		return '<', semi + 1
	case "gt", "#62", "#x3e", "#x3E", "#X3E", "#X3e":
		return '>', semi + 1
	}
	return 0, 0
}

// quoteEntityAt reports whether b[i:] starts with an entity for a quote or
// an apostrophe.
func quoteEntityAt(b []byte, i int) bool {
	c, n := entityAt(b, i)
	return n > 0 && (c == '"' || c == '\'')
}

// hasQuoteEntity reports whether b holds an entity for a quote or an
// apostrophe: a body escaped for HTML or XML.
func hasQuoteEntity(b []byte) bool {
	for i := 0; ; i++ {
		k := bytes.IndexByte(b[i:], '&')
		if k < 0 {
			return false
		}
		i += k
		if quoteEntityAt(b, i) {
			return true
		}
	}
}

// decodeEntities appends b with the entities entityAt knows decoded to dst; a
// quote as an escaped one (\") when esc is set, for a body inside a JSON
// string or a quoted value, whose quotes a bare '"' would end.
func decodeEntities(dst, b []byte, esc bool) []byte {
	for i := 0; i < len(b); {
		k := bytes.IndexByte(b[i:], '&')
		if k < 0 {
			return append(dst, b[i:]...)
		}
		dst = append(dst, b[i:i+k]...)
		i += k
		if c, n := entityAt(b, i); n > 0 {
			if c == '"' && esc {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
			i += n
			continue
		}
		dst = append(dst, '&')
		i++
	}
	return dst
}
