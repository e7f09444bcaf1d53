// Package markdown holds what the repository's documentation tests need to know
// of GitHub-flavoured Markdown: the anchor GitHub gives a heading.
package markdown

import (
	"strings"
	"unicode"
)

// Slug is the anchor GitHub gives a markdown heading: lower case, punctuation
// dropped except '-' and '_', spaces to '-'. (Duplicates get -1, -2... in order
// of appearance: the caller counts them.)
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == '-':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}
