package builder

import (
	"fmt"
	"strings"
)

// Recording rules of rules/secondme.rules.yml (the first seven are fixed by
// docs/architecture.md). Dashboards read them rather than raw counters
// wherever the 5m window fits: the panels then show exactly what the alerts
// evaluate, and a 30-day view stays cheap.
const (
	ruleErrors            = "job_source:secondme_api_errors:rate5m"
	ruleErrorsByClass     = "job_source_status_class:secondme_api_errors:rate5m"
	ruleErrorsByModule    = "job_source_module:secondme_api_errors:rate5m"
	ruleErrorsByCode      = "job_source_error_code:secondme_api_errors:rate5m"
	ruleResponses         = "job_source:secondme_api_responses:rate5m"
	ruleErrorRatio        = "job_source:secondme_api_errors:ratio_rate5m"
	ruleErrorRatioByClass = "job_source_status_class:secondme_api_errors:ratio_rate5m"
	ruleErrorsByCode6h    = "job_source_error_code:secondme_api_errors:rate6h"
)

// catalogJoin appends the catalog meaning and recommended action to a
// vector that has an error_code label. max by () collapses the identical
// info series of several exporters (docs/architecture.md).
const catalogJoin = ` * on (error_code) group_left (description, action) max by (error_code, description, action) (secondme_api_error_catalog_info)`

// RevokedCode is the error code of a revoked refresh token: a burst signs
// users out (a mass revocation, or a client reusing a rotated token).
const RevokedCode = "oauth2.refresh_token.revoked"

// The spike condition of the alert SecondMeRefreshTokenRevokedSpike in
// rules/secondme-alerts.rules.yml:
//
//	rate5m > 3 * rate6h  and  rate5m * 300 >= 10
//
// that is, rate5m above max(3 × the 6h baseline, 10 errors in 5 minutes).
// TestRevokedThresholdMirrorsAlert evaluates the rule and the panels on the
// same series and fails when they disagree, so these cannot drift.
const (
	RevokedSpikeFactor  = 3   // × the 6h baseline rate
	RevokedFloorCount   = 10  // errors …
	RevokedFloorSeconds = 300 // … in this many seconds
)

// ServerErrorRatioWarning and ServerErrorRatioCritical are the thresholds
// of the twin alerts SecondMeHighServerErrorRatio (5xx / responses).
const (
	ServerErrorRatioWarning  = 0.05
	ServerErrorRatioCritical = 0.2
)

// sel is the label matcher list that follows the job and source variables,
// plus any extra matchers. Regex matchers throughout: multi-value variables
// expand to an alternation.
func sel(extra ...string) string {
	parts := append([]string{`job=~"$job"`, `source=~"$source"`}, extra...)
	return "{" + strings.Join(parts, ", ") + "}"
}

// RevokedRateExpr is the current rate of revoked refresh tokens, one
// series per recording-rule series as in the alert: the left-hand side of
// the spike condition.
func RevokedRateExpr(selector string) string {
	return ruleErrorsByCode + withMatcher(selector, `error_code="`+RevokedCode+`"`)
}

// RevokedThresholdExpr is the spike threshold with the same labels as
// RevokedRateExpr: the baseline times the factor, never below the floor.
func RevokedThresholdExpr(selector string) string {
	return fmt.Sprintf(`clamp_min(%d * %s%s, %d / %d)`,
		RevokedSpikeFactor, ruleErrorsByCode6h, withMatcher(selector, `error_code="`+RevokedCode+`"`),
		RevokedFloorCount, RevokedFloorSeconds)
}

// withMatcher adds one matcher in front of the ones of a {…} selector.
func withMatcher(selector, matcher string) string {
	inner := strings.TrimSuffix(strings.TrimPrefix(selector, "{"), "}")
	if inner == "" {
		return "{" + matcher + "}"
	}
	return "{" + matcher + ", " + inner + "}"
}
