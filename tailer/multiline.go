package tailer

import "github.com/secondme/secondme_error_exporter/parser"

// assembler joins the lines of a pretty-printed multi-line JSON record into
// one record (parser.Assembler). One per follower, used by its goroutine
// only. The committed offset never passes a line it still holds.
type assembler interface {
	Add(line []byte, emit func(record []byte))
	Flush(emit func(record []byte))
	Pending() bool
}

// MultilineOverflowHooks may be implemented by a Hooks value: it is then
// told when a multi-line record exceeding MultilineMaxLines or
// MultilineMaxBytes was dropped (the parser's multiline_overflow). A Hooks
// without it gets such drops through Oversized, so they are counted anyway.
type MultilineOverflowHooks interface {
	MultilineOverflow(source string)
}

// newParserAssembler builds the per-file parser.Assembler and routes its
// overflow reports to the hooks.
func newParserAssembler(maxLines, maxBytes int, onOverflow func()) assembler {
	a := parser.NewAssembler(maxLines, maxBytes)
	a.OnOverflow = func(int, int) { onOverflow() }
	return a
}
