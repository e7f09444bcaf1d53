package exporter

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"access token": {
			`using lba_at_AbC123-_.xyz for the call`,
			`using lba_at_[REDACTED] for the call`,
		},
		"refresh token in JSON": {
			`{"refresh_token":"lba_rt_0011223344","expires_in":3600}`,
			`{"refresh_token":"[REDACTED]","expires_in":3600}`,
		},
		"bearer header": {
			`Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc`,
			`Authorization: Bearer [REDACTED]`,
		},
		"bearer with an lba token": {
			`authorization: bearer lba_at_deadbeefcafe`,
			`authorization: bearer lba_at_[REDACTED]`,
		},
		"basic credentials": {
			`Authorization: Basic dXNlcjpwYXNzd29yZA==`,
			`Authorization: Basic [REDACTED]`,
		},
		"client secret in a form": {
			`grant_type=authorization_code&client_secret=s3cr3t-value&code=abc`,
			`grant_type=authorization_code&client_secret=[REDACTED]&code=abc`,
		},
		"access_token field with other value": {
			`{"access_token": "opaque-123456"}`,
			`{"access_token": "[REDACTED]"}`,
		},
		"python dict": {
			`{'api_key': 'sk-live-1234'}`,
			`{'api_key': '[REDACTED]'}`,
		},
		"error codes are not secrets": {
			`{"code":401,"error_code":"oauth2.refresh_token.revoked","message":"Refresh Token revoked"}`,
			`{"code":401,"error_code":"oauth2.refresh_token.revoked","message":"Refresh Token revoked"}`,
		},
		"prose about basic auth": {
			`TLS and basic auth enabled`,
			`TLS and basic auth enabled`,
		},
		"ordinary line": {
			`INFO processed 12 jobs`,
			`INFO processed 12 jobs`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Fatalf("Redact(%q)\n got  %q\n want %q", tc.in, got, tc.want)
			}
			// Idempotent: redacting twice changes nothing more.
			if got := Redact(Redact(tc.in)); got != tc.want {
				t.Fatalf("not idempotent: %q", got)
			}
		})
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestRedactingHandler(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(NewRedactingHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	logger = logger.With("token", "Bearer abcdefgh12345678")
	logger.WithGroup("g").Info("got lba_at_secret1234 back",
		"err", errors.New("refresh with lba_rt_secret5678 failed"),
		"stringer", stringer("access_token=secret9999"),
		"bytes", []byte("lba_at_secretbytes"),
		slog.Group("nested", "x", "lba_rt_secretnested"),
		"n", 42,
	)
	out := buf.String()
	for _, secret := range []string{"abcdefgh12345678", "secret1234", "secret5678", "secret9999", "secretbytes", "secretnested"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q leaked: %s", secret, out)
		}
	}
	if !strings.Contains(out, `"n":42`) {
		t.Errorf("non-string attributes must pass unchanged: %s", out)
	}
	if strings.Count(out, Redacted) != 6 {
		t.Errorf("want 6 redactions: %s", out)
	}
}
