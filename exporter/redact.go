package exporter

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// Redacted replaces every secret that Redact removes.
const Redacted = "[REDACTED]"

var (
	// SecondMe access and refresh tokens: lba_at_…, lba_rt_… (and any other
	// two-letter lba_ kind).
	lbaTokenRE = regexp.MustCompile(`\b(lba_[a-z]{2}_)[A-Za-z0-9._~+/=-]+`)
	// Authorization: Bearer <token> / Basic <credentials>, any case.
	// The credential must be at least 8 characters so that prose such as
	// "basic auth" is left alone.
	authSchemeRE = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}`)
	// key=value, "key": "value", 'key': 'value' for the names that carry
	// credentials in OAuth2 requests and responses.
	secretFieldRE = regexp.MustCompile(`(?i)((?:access_token|refresh_token|id_token|client_secret|api_key|apikey|password|code_verifier)["']?\s*[:=]\s*["']?)([^"'&\s,}]+)`)
)

// Redact removes credentials from s: SecondMe tokens (lba_at_…, lba_rt_…),
// Bearer/Basic credentials, and the values of token, secret and password
// fields. The exporter logs record excerpts only at debug level, but even
// debug logs end up in log pipelines with wider access than the
// application's own, so every string that reaches the logger goes through
// here.
func Redact(s string) string {
	if !mayContainSecret(s) {
		return s
	}
	s = lbaTokenRE.ReplaceAllString(s, "${1}"+Redacted)
	// Keep the scheme so that the reader knows what was there.
	s = authSchemeRE.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = secretFieldRE.ReplaceAllString(s, "${1}"+Redacted)
	return s
}

// mayContainSecret is a cheap pre-filter so that ordinary log lines skip
// the regular expressions.
func mayContainSecret(s string) bool {
	l := strings.ToLower(s)
	for _, k := range []string{"lba_", "bearer", "basic", "token", "secret", "key", "password", "verifier"} {
		if strings.Contains(l, k) {
			return true
		}
	}
	return false
}

// redactingHandler applies Redact to the message and every string-valued
// attribute (including errors and fmt.Stringers) before passing a record on.
type redactingHandler struct{ next slog.Handler }

// NewRedactingHandler wraps h so that nothing logged through it carries a
// credential (see Redact).
func NewRedactingHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(*redactingHandler); ok {
		return h
	}
	return &redactingHandler{next: h}
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = redactAttr(a)
	}
	return &redactingHandler{next: h.next.WithAttrs(red)}
}

func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{next: h.next.WithGroup(name)}
}

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, ga := range g {
			red[i] = redactAttr(ga)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Redact(x.Error()))
		case fmt.Stringer:
			return slog.String(a.Key, Redact(x.String()))
		case []byte:
			return slog.String(a.Key, Redact(string(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
