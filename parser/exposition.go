package parser

// expositionSample reports whether the "{" at i, right after a metric name,
// opens the labels of a Prometheus sample (name{error_code="…",code="401"} 17,
// as an exporter's /metrics page, a scrape or a log of one shows it): label
// names, "=", double-quoted values (\" escaped), separated by commas (one may
// end the list), then "}", blanks and a number. It returns the index after the
// number, or 0. A sample counts errors; it reports none. Micrometer's
// LoggingMeterRegistry writes its tags unquoted and a statistic after them
// (secondme.client.errors{error_code=oauth2.token.invalid,status=401} count=1):
// tag values without blanks, quotes, commas or braces, then blanks, a name,
// "=" and a number; a statistic may follow quoted labels too, and a colon may
// end the labels (Dropwizard's Slf4jReporter). Quoted labels may also end a
// PromQL selector (followed by "[" or ")": it returns the index of that byte)
// or go-ethereum's name{…}=1. A word the sample's last token runs into is
// skipped with it (name{a="b"} 0status=…): the pre-filter reads such a run as
// one word, and so must the tokenizer.
func expositionSample(b []byte, i int) int {
	j := sampleEnd(b, i)
	for j > 0 && j < len(b) && keyByte[b[j]] {
		j++
	}
	return j
}

// sampleEnd is expositionSample up to the end of the sample's number.
func sampleEnd(b []byte, i int) int {
	j := i + 1
	unquoted := false
	for j < len(b) && b[j] != '}' {
		k := j
		for k < len(b) && (isLetter(b[k]) || b[k] == '_' || (k > j && (isDigit(b[k]) || b[k] == '.'))) {
			k++
		}
		if k == j || k+1 >= len(b) || b[k] != '=' {
			return 0
		}
		if b[k+1] == '"' {
			for k += 2; k < len(b) && b[k] != '"'; k++ {
				if b[k] == '\\' {
					k++
				}
			}
			if k >= len(b) {
				return 0
			}
		} else {
			v := k + 1
			for k = v; k < len(b) && b[k] != ',' && b[k] != '}' && b[k] != '"' && b[k] != '{' && class[b[k]] != clSpace; k++ {
			}
			if k == v || k >= len(b) || b[k] == '"' || b[k] == '{' || class[b[k]] == clSpace {
				return 0
			}
			unquoted = true
			k-- // at the value's last byte, as at a quoted value's closing quote
		}
		j = k + 1
		if j < len(b) && b[j] == ',' {
			j++
		} else if j < len(b) && b[j] != '}' {
			return 0
		}
	}
	if j == i+1 || j >= len(b) {
		return 0 // no labels (a Java toString's name{}), or no closing brace
	}
	j++
	if !unquoted && j < len(b) {
		switch {
		case b[j] == '[' || b[j] == ')':
			// A PromQL selector (an alerting rule's expr, a query a log
			// shows): rate(name{error_code="…"}[5m]), sum(name{…}) — errors
			// asked about, none itself.
			return j
		case b[j] == '=' && j+1 < len(b) && isDigit(b[j+1]):
			// go-ethereum's metrics line: name{error_code="…"}=1.
			k := j + 1
			for k < len(b) && (isDigit(b[k]) || b[k] == '.') {
				k++
			}
			return k
		}
	}
	if j < len(b) && b[j] == ':' {
		j++ // Dropwizard's Slf4jReporter: name{tags}: count=1
	}
	k := j
	for k < len(b) && (b[k] == ' ' || b[k] == '\t') {
		k++
	}
	if k == j {
		return 0
	}
	if unquoted || (k < len(b) && isLetter(b[k])) {
		// A statistic: count=1, throughput=0.016667/s, mean=0.0207s (after
		// quoted tags too: name{status="401",route="/user"} count=12).
		n := k
		for k < len(b) && isLetter(b[k]) {
			k++
		}
		if k == n || k+1 >= len(b) || b[k] != '=' || !isDigit(b[k+1]) {
			return 0
		}
		return k + 2
	}
	v := k
	if k < len(b) && (b[k] == '-' || b[k] == '+') {
		k++
	}
	for k < len(b) && (isDigit(b[k]) || b[k] == '.' || b[k] == 'e' || b[k] == 'E' ||
		((b[k] == '-' || b[k] == '+') && (b[k-1] == 'e' || b[k-1] == 'E'))) {
		k++
	}
	if k == v || !isDigit(b[k-1]) && b[k-1] != '.' {
		if k+3 <= len(b) && (string(b[k:k+3]) == "NaN" || string(b[k:k+3]) == "Inf") {
			return k + 3
		}
		return 0
	}
	return k
}

// metricNameEnd marks the bytes a metric name may end in before its labels' "{".
var metricNameEnd = func() (t [256]bool) {
	for c := range t {
		t[c] = isLetter(byte(c)) || isDigit(byte(c)) || c == '_' || c == ':'
	}
	return t
}()
