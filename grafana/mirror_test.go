package grafana

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/storage"

	"github.com/secondme/secondme_error_exporter/grafana/builder"
)

const revokedAlert = "SecondMeRefreshTokenRevokedSpike"

// TestRevokedThresholdMirrorsAlert evaluates the alert's expression from
// rules/*.rules.yml and the overview's revoked-token panels on the same
// series, and requires them to agree: the dashed line is crossed exactly
// where the alert condition holds, and the stat reaches 100% exactly when
// some source is above its threshold. Comparing behaviour rather than
// strings lets either side be rewritten, but not changed alone.
func TestRevokedThresholdMirrorsAlert(t *testing.T) {
	var alertExprs []string
	for _, r := range loadRules(t) {
		if r.alert == revokedAlert {
			alertExprs = append(alertExprs, r.expr)
		}
	}
	if len(alertExprs) != 1 {
		t.Fatalf("want exactly one alert %s in %s/*.rules.yml, found %d: the panels mirror one threshold", revokedAlert, rulesDir, len(alertExprs))
	}

	queries, err := PanelQueries(dashboardsDir)
	if err != nil {
		t.Fatal(err)
	}
	find := func(title, refID string) string {
		t.Helper()
		for _, q := range queries {
			if q.Dashboard == builder.OverviewUID && q.Panel == title && q.RefID == refID {
				return q.Expr
			}
		}
		t.Fatalf("overview has no panel %q with query %s", title, refID)
		return ""
	}
	rateExpr := find("Revoked refresh tokens vs spike threshold", "A")
	thresholdExpr := find("Revoked refresh tokens vs spike threshold", "B")
	statExpr := find("Revoked refresh tokens vs alert threshold", "A")

	// One source per (current rate, 6h baseline) pair, held constant.
	rates := []float64{0, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.08, 0.1, 0.2, 0.5, 2}
	baselines := []float64{0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5}
	const labels = `job="app", module="oauth2", resource="refresh_token", reason="revoked", error_code="oauth2.refresh_token.revoked", status_class="4xx"`
	var load strings.Builder
	load.WriteString("load 1m\n")
	type pair struct{ rate, base float64 }
	pairs := map[string]pair{}
	for i, r := range rates {
		for j, b := range baselines {
			// Skip the boundary: the alert's `>` and `>=` and the panel's
			// "line above line" may differ exactly on it, by definition.
			if math.Abs(r-3*b) < 1e-9 || math.Abs(r*300-10) < 1e-9 {
				continue
			}
			src := fmt.Sprintf("s%d_%d", i, j)
			pairs[src] = pair{r, b}
			fmt.Fprintf(&load, "  job_source_error_code:secondme_api_errors:rate5m{%s, source=%q} %g+0x10\n", labels, src, r)
			fmt.Fprintf(&load, "  job_source_error_code:secondme_api_errors:rate6h{%s, source=%q} %g+0x10\n", labels, src, b)
		}
	}
	// Another code far above any threshold: neither side may count it.
	fmt.Fprintf(&load, "  job_source_error_code:secondme_api_errors:rate5m{job=\"app\", source=\"other\", module=\"oauth2\", resource=\"token\", reason=\"expired\", error_code=\"oauth2.token.expired\", status_class=\"4xx\"} 100+0x10\n")
	fmt.Fprintf(&load, "  job_source_error_code:secondme_api_errors:rate6h{job=\"app\", source=\"other\", module=\"oauth2\", resource=\"token\", reason=\"expired\", error_code=\"oauth2.token.expired\", status_class=\"4xx\"} 0+0x10\n")

	st := promqltest.LoadedStorage(t, load.String())
	engine := promqltest.NewTestEngine(t, false, 5*time.Minute, 1_000_000)
	at := time.Unix(0, 0).Add(5 * time.Minute)
	bySource := func(expr string) map[string]float64 {
		t.Helper()
		v := instant(t, engine, st, expr, at)
		out := map[string]float64{}
		for _, s := range v {
			out[s.Metric.Get("source")] = s.F
		}
		return out
	}

	firing := bySource(alertExprs[0])
	rate := bySource(rateExpr)
	threshold := bySource(thresholdExpr)
	if _, ok := rate["other"]; ok {
		t.Errorf("the rate panel counts another error code")
	}
	fired, quiet := 0, 0
	maxShare := 0.0
	for src, p := range pairs {
		r, okR := rate[src]
		th, okT := threshold[src]
		if !okR || !okT {
			t.Errorf("source %s (rate %g, baseline %g): panel series missing (rate %v, threshold %v)", src, p.rate, p.base, okR, okT)
			continue
		}
		_, alert := firing[src]
		if panel := r > th; panel != alert {
			t.Errorf("rate %g, 6h baseline %g: alert condition %v, but the panel shows rate %g %s threshold %g",
				p.rate, p.base, alert, r, map[bool]string{true: "above", false: "not above"}[panel], th)
		}
		if alert {
			fired++
		} else {
			quiet++
		}
		maxShare = math.Max(maxShare, r/th)
	}
	if fired == 0 || quiet == 0 {
		t.Fatalf("grid does not exercise both sides: %d firing, %d quiet", fired, quiet)
	}

	stat := instant(t, engine, st, statExpr, at)
	if len(stat) != 1 || math.Abs(stat[0].F-maxShare) > 1e-9 {
		t.Errorf("stat = %v, want the highest rate/threshold share %g", stat, maxShare)
	}
	if len(stat) == 1 && (stat[0].F >= 1) != (fired > 0) {
		t.Errorf("stat %g vs %d sources firing: 100%% must mean the alert condition holds", stat[0].F, fired)
	}
}

func instant(t *testing.T, engine *promql.Engine, st storage.Queryable, expr string, at time.Time) promql.Vector {
	t.Helper()
	q, err := engine.NewInstantQuery(context.Background(), st, nil, expr, at)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	defer q.Close()
	res := q.Exec(context.Background())
	if res.Err != nil {
		t.Fatalf("%s: %v", expr, res.Err)
	}
	v, err := res.Vector()
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
