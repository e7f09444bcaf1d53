package markdown

import "testing"

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"SecondMeRefreshTokenRevokedSpike":         "secondmerefreshtokenrevokedspike",
		"The catalog at a glance":                  "the-catalog-at-a-glance",
		"Runbooks: secondme_error_exporter alerts": "runbooks-secondme_error_exporter-alerts",
		"`up` is 0 (why?)":                         "up-is-0-why",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
