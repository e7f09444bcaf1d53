package rules

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/alert"
	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/eventrecorder"
	"github.com/prometheus/alertmanager/inhibit"
	"github.com/prometheus/alertmanager/labelset"
	"github.com/prometheus/alertmanager/provider/mem"
	"github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"gopkg.in/yaml.v3"
)

const alertmanagerFile = "../deploy/alertmanager/alertmanager.yml"

// intendedTeam is the ownership spec the routing is tested against: which
// team each alert must reach. "" means "the owner of the error code".
// A new alert fails TestRouting until it is added here.
var intendedTeam = map[string]string{
	"SecondMeRefreshTokenRevokedSpike":   "login",
	"SecondMeApplicationBlocked":         "login",
	"SecondMeClientSecretMismatch":       "login",
	"SecondMeAuthFailureStorm":           "login",
	"SecondMePermissionRegression":       "login",
	"SecondMeServerErrorSurge":           "api",
	"SecondMeUpstreamUnreachable":        "api",
	"SecondMeHighServerErrorRatio":       "api",
	"SecondMeErrorCodeSpike":             "",
	"SecondMeUnknownErrorCodes":          "platform",
	"SecondMeErrorStatusMismatch":        "platform",
	"SecondMeExporterDown":               "platform",
	"SecondMeExporterAbsent":             "platform",
	"SecondMeExporterStalled":            "platform",
	"SecondMeExporterLagGrowing":         "platform",
	"SecondMeExporterMalformedRecords":   "platform",
	"SecondMeExporterLabelOverflow":      "platform",
	"SecondMeExporterConfigReloadFailed": "platform",
	"SecondMeExporterNoFilesWatched":     "platform",
}

// receiverKind is where each severity goes.
var receiverKind = map[string]string{"critical": "pager", "warning": "chat", "info": "ticket"}

// intendedGrouping per team: login and api group per application source
// (all spiking codes of an app in one notification), platform per job
// (a fleet of failing sidecars is one notification).
var intendedGrouping = map[string][]string{
	"login":    {"alertname", "job", "source"},
	"api":      {"alertname", "job", "source"},
	"platform": {"alertname", "job"},
}

func loadAlertmanagerConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.LoadFile(alertmanagerFile)
	if err != nil {
		t.Fatalf("%s: %v", alertmanagerFile, err)
	}
	return cfg
}

func TestAmtoolCheckConfig(t *testing.T) {
	amtool := requireTool(t, "amtool")
	out, err := exec.Command(amtool, "check-config", alertmanagerFile).CombinedOutput()
	if err != nil {
		t.Fatalf("amtool check-config: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "SUCCESS") {
		t.Fatalf("amtool check-config did not report SUCCESS:\n%s", out)
	}
}

// Receivers are loopback webhooks only: nothing leaves the machine until an
// operator points them at real integrations, and e2e tests can rewrite them.
// Every receiver is reachable from some route.
func TestReceiversAreLoopbackWebhooks(t *testing.T) {
	b, err := os.ReadFile(alertmanagerFile)
	if err != nil {
		t.Fatal(err)
	}
	var raw struct {
		Receivers []map[string]any `yaml:"receivers"`
	}
	if err := yaml.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	dispatch.NewRoute(loadAlertmanagerConfig(t).Route, nil).Walk(func(r *dispatch.Route) {
		used[r.RouteOpts.Receiver] = true
	})
	for _, r := range raw.Receivers {
		name, _ := r["name"].(string)
		for k := range r {
			if k != "name" && k != "webhook_configs" {
				t.Errorf("receiver %s: %s (only loopback webhooks ship)", name, k)
			}
		}
		hooks, _ := r["webhook_configs"].([]any)
		if len(hooks) != 1 {
			t.Errorf("receiver %s: %d webhook configs, want 1", name, len(hooks))
		}
		for _, h := range hooks {
			raw, _ := h.(map[string]any)["url"].(string)
			u, err := url.Parse(raw)
			if err != nil || u.Hostname() != "127.0.0.1" || u.Path != "/"+name {
				t.Errorf("receiver %s: url %q, want http://127.0.0.1:<port>/%s", name, raw, name)
			}
		}
		if !used[name] {
			t.Errorf("receiver %s: no route uses it", name)
		}
	}
}

// producedAlerts collects, per alert rule (name and severity), the label
// sets the unit tests proved the rule produces.
func producedAlerts(t *testing.T) map[string][]model.LabelSet {
	t.Helper()
	out := map[string][]model.LabelSet{}
	for _, file := range unitTestFiles(t) {
		utf, err := loadUnitTestFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range utf.Tests {
			for _, at := range tg.AlertRuleTests {
				for _, ea := range at.ExpAlerts {
					ls := model.LabelSet{model.AlertNameLabel: model.LabelValue(at.Alertname)}
					for k, v := range ea.ExpLabels {
						ls[model.LabelName(k)] = model.LabelValue(v)
					}
					out[at.Alertname] = append(out[at.Alertname], ls)
				}
			}
		}
	}
	return out
}

func groupLabels(r *dispatch.Route, ls model.LabelSet) model.LabelSet {
	g := model.LabelSet{}
	for ln := range r.RouteOpts.GroupBy {
		if v, ok := ls[ln]; ok {
			g[ln] = v
		}
	}
	return g
}

// checkRoute asserts that ls reaches exactly the receiver of team and
// severity, with that team's grouping and the severity's timers.
func checkRoute(t *testing.T, root *dispatch.Route, ls model.LabelSet, team string) {
	t.Helper()
	sev := string(ls["severity"])
	want := team + "-" + receiverKind[sev]
	routes := root.Match(ls)
	if len(routes) != 1 {
		t.Errorf("%v: matched %d routes, want exactly 1", ls, len(routes))
		return
	}
	r := routes[0]
	if r.RouteOpts.Receiver != want {
		t.Errorf("%v: routed to %s, want %s", ls, r.RouteOpts.Receiver, want)
	}
	var gb []string
	for ln := range r.RouteOpts.GroupBy {
		gb = append(gb, string(ln))
	}
	sort.Strings(gb)
	wantGB := slices.Clone(intendedGrouping[team])
	sort.Strings(wantGB)
	if !slices.Equal(gb, wantGB) || r.RouteOpts.GroupByAll {
		t.Errorf("%v: grouped by %v, want %v", ls, gb, wantGB)
	}
	// Pages repeat hourly, chat twice a day, tickets every three days: the
	// louder the channel, the sooner and more often.
	timers := map[string][2]time.Duration{
		"critical": {30 * time.Second, time.Hour},
		"warning":  {time.Minute, 12 * time.Hour},
		"info":     {10 * time.Minute, 72 * time.Hour},
	}[sev]
	if r.RouteOpts.GroupWait != timers[0] || r.RouteOpts.RepeatInterval != timers[1] {
		t.Errorf("%v: group_wait %s repeat_interval %s, want %s %s", ls, r.RouteOpts.GroupWait,
			r.RouteOpts.RepeatInterval, timers[0], timers[1])
	}
}

// TestRouting enumerates the alerts from the rule files and routes every
// label set the unit tests proved they produce.
func TestRouting(t *testing.T) {
	root := dispatch.NewRoute(loadAlertmanagerConfig(t).Route, nil)
	_, all := loadShippedRules(t)
	produced := producedAlerts(t)
	for _, r := range alertRules(all) {
		team, ok := intendedTeam[r.Alert]
		if !ok {
			t.Errorf("%s: not in intendedTeam, the ownership spec of this test", r.Alert)
			continue
		}
		if static := r.Labels["team"]; team != "" && static != team {
			t.Errorf("%s: rule labels team=%q, owner is %s", r.Alert, static, team)
		}
		n := 0
		for _, ls := range produced[r.Alert] {
			if string(ls["severity"]) != r.Labels["severity"] {
				continue
			}
			n++
			want := team
			if want == "" {
				want = owner(string(ls["error_code"]))
			}
			if string(ls["team"]) != want {
				t.Errorf("%v: team label %q, owner is %s", ls, ls["team"], want)
			}
			checkRoute(t, root, ls, want)
		}
		if n == 0 {
			t.Errorf("%s (%s): no label set from the unit tests to route", r.Alert, r.Labels["severity"])
		}
	}

	// Grouping: two codes spiking in one application are one notification;
	// the same code in another source is another.
	spikes := produced["SecondMeErrorCodeSpike"]
	var login []model.LabelSet
	for _, ls := range spikes {
		if ls["team"] == "login" {
			login = append(login, ls)
		}
	}
	if len(login) < 2 {
		t.Fatalf("need two login ErrorCodeSpike alerts from the unit tests, have %d", len(login))
	}
	a, b := login[0], login[1]
	if a["error_code"] == b["error_code"] {
		t.Fatalf("the two ErrorCodeSpike alerts share error_code %s", a["error_code"])
	}
	ra, rb := root.Match(a)[0], root.Match(b)[0]
	if !groupLabels(ra, a).Equal(groupLabels(rb, b)) || ra != rb {
		t.Errorf("%s and %s of one source land in different groups", a["error_code"], b["error_code"])
	}
	c := a.Clone()
	c["source"] = "another-source"
	if groupLabels(ra, a).Equal(groupLabels(root.Match(c)[0], c)) {
		t.Errorf("ErrorCodeSpike of two sources share a group")
	}
}

// Alerts of users' own rules carry no team: they fall back on the module
// of the error code, with the same split as the shipped rules.
func TestRoutingFallbackOnModule(t *testing.T) {
	root := dispatch.NewRoute(loadAlertmanagerConfig(t).Route, nil)
	for _, tc := range []struct {
		ls   model.LabelSet
		want string
	}{
		{model.LabelSet{"alertname": "MyOAuth", "module": "oauth2", "severity": "critical"}, "login-pager"},
		{model.LabelSet{"alertname": "MyKeys", "module": "apikey", "severity": "warning"}, "login-chat"},
		{model.LabelSet{"alertname": "MyAuth", "module": "resource", "resource": "auth", "severity": "info"}, "login-ticket"},
		{model.LabelSet{"alertname": "MyFetch", "module": "resource", "resource": "fetch", "severity": "warning"}, "api-chat"},
		{model.LabelSet{"alertname": "MyStream", "module": "secondme", "severity": "critical"}, "api-pager"},
		{model.LabelSet{"alertname": "MyOther", "module": "other", "severity": "info"}, "api-ticket"},
		{model.LabelSet{"alertname": "Watchdog", "severity": "none"}, "unrouted"},
		{model.LabelSet{"alertname": "NoSeverity", "team": "login"}, "login-chat"},
	} {
		routes := root.Match(tc.ls)
		if len(routes) != 1 || routes[0].RouteOpts.Receiver != tc.want {
			var got []string
			for _, r := range routes {
				got = append(got, r.RouteOpts.Receiver)
			}
			t.Errorf("%v: routed to %v, want %s", tc.ls, got, tc.want)
		}
	}
}

// TestErrorCodeSpikeTeamForEveryCode evaluates the team computation of the
// shipped SecondMeErrorCodeSpike expression (its label_replace chain, on
// the Prometheus 3.x engine) for every catalog code and an unknown one,
// and routes the result: each code must reach its owner.
func TestErrorCodeSpikeTeamForEveryCode(t *testing.T) {
	_, all := loadShippedRules(t)
	var expr string
	for _, r := range alertRules(all) {
		if r.Alert == "SecondMeErrorCodeSpike" {
			expr = r.Expr
		}
	}
	if expr == "" {
		t.Fatal("no SecondMeErrorCodeSpike rule")
	}
	e, err := promqlParser().ParseExpr(expr)
	if err != nil {
		t.Fatal(err)
	}
	// Swap the spike condition under the label_replace chain for a plain
	// selector, keeping the chain itself byte for byte.
	var inner *parser.Call
	for cur := e; ; {
		c, ok := cur.(*parser.Call)
		if !ok || c.Func.Name != "label_replace" {
			break
		}
		inner, cur = c, c.Args[0]
	}
	if inner == nil {
		t.Fatal("SecondMeErrorCodeSpike: team is not computed by label_replace any more; update this test")
	}
	sel, err := promqlParser().ParseExpr("spike_input")
	if err != nil {
		t.Fatal(err)
	}
	inner.Args[0] = sel

	codes := []string{"vendor.widget.exploded"} // outside the catalog
	for _, c := range loadCatalog(t) {
		codes = append(codes, c.Code)
	}
	var load strings.Builder
	load.WriteString("load 1m\n")
	for _, code := range codes {
		seg := strings.Split(code, ".")
		module, resource, reason := seg[0], "general", seg[len(seg)-1]
		if len(seg) > 2 {
			resource = strings.Join(seg[1:len(seg)-1], ".")
		}
		fmt.Fprintf(&load, "  spike_input{job=\"j\",source=\"s\",module=%q,resource=%q,reason=%q,error_code=%q,status_class=\"4xx\"} 1\n",
			module, resource, reason, code)
	}
	storage := promqltest.LoadedStorage(t, load.String())
	engine := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: time.Minute})
	q, err := engine.NewInstantQuery(context.Background(), storage, nil, e.String(), time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	res := q.Exec(context.Background())
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	vec, err := res.Vector()
	if err != nil {
		t.Fatal(err)
	}
	if len(vec) != len(codes) {
		t.Fatalf("evaluated %d series, want %d", len(vec), len(codes))
	}
	root := dispatch.NewRoute(loadAlertmanagerConfig(t).Route, nil)
	for _, s := range vec {
		code := s.Metric.Get("error_code")
		if got, want := s.Metric.Get("team"), owner(code); got != want {
			t.Errorf("%s: team %q, owner %s", code, got, want)
		}
		ls := model.LabelSet{"alertname": "SecondMeErrorCodeSpike", "severity": "warning"}
		s.Metric.Range(func(l labels.Label) { ls[model.LabelName(l.Name)] = model.LabelValue(l.Value) })
		delete(ls, "__name__")
		checkRoute(t, root, ls, owner(code))
	}
}

// inhibitorWith runs Alertmanager's real inhibitor over the shipped
// inhibit_rules with the given source alerts firing.
func inhibitorWith(t *testing.T, sources ...model.LabelSet) *inhibit.Inhibitor {
	t.Helper()
	cfg := loadAlertmanagerConfig(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logger := promslog.NewNopLogger()
	alerts, err := mem.NewAlerts(ctx, 30*time.Minute, 0, nil, logger, eventrecorder.NopRecorder(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(alerts.Close)
	now := time.Now()
	for _, ls := range sources {
		a := alert.New(model.Alert{Labels: ls, StartsAt: now.Add(-time.Minute), EndsAt: now.Add(time.Hour)}, now, false)
		if err := alerts.Put(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	ih := inhibit.NewInhibitor(alerts, cfg.InhibitRules, logger, eventrecorder.NopRecorder())
	done := make(chan struct{})
	go func() { ih.Run(); close(done) }()
	t.Cleanup(func() { ih.Stop(); <-done })
	// The sources were stored before Run: loading them is the initial
	// slurp, which WaitForLoading waits for. No polling needed.
	ih.WaitForLoading()
	return ih
}

// firstProduced returns a label set the unit tests proved alertname (with
// severity) produces, optionally with some labels changed.
func firstProduced(t *testing.T, produced map[string][]model.LabelSet, alertname, severity string, set model.LabelSet) model.LabelSet {
	t.Helper()
	for _, ls := range produced[alertname] {
		if string(ls["severity"]) == severity {
			out := ls.Clone()
			for k, v := range set {
				out[k] = v
			}
			return out
		}
	}
	t.Fatalf("no %s (%s) alert in the unit tests", alertname, severity)
	return nil
}

func TestInhibitions(t *testing.T) {
	produced := producedAlerts(t)
	p := func(name, sev string, set model.LabelSet) model.LabelSet {
		return firstProduced(t, produced, name, sev, set)
	}
	const inst = "app-0:9948"
	exporterDown := p("SecondMeExporterDown", "warning", model.LabelSet{"instance": inst})
	stalled := p("SecondMeExporterStalled", "warning", model.LabelSet{"instance": inst})
	surgeCrit := p("SecondMeServerErrorSurge", "critical", nil)
	blocked := p("SecondMeApplicationBlocked", "critical", nil)
	secret := p("SecondMeClientSecretMismatch", "critical", nil)
	absent := p("SecondMeExporterAbsent", "critical", nil)

	for _, tc := range []struct {
		name    string
		sources []model.LabelSet
		target  model.LabelSet
		muted   bool
	}{
		// Exporter down: the other exporter alerts of the same target wait.
		{"down mutes stalled of the same target", []model.LabelSet{exporterDown}, stalled, true},
		{"down mutes every exporter alert of the target", []model.LabelSet{exporterDown},
			p("SecondMeExporterNoFilesWatched", "warning", model.LabelSet{"instance": inst}), true},
		{"down mutes reload-failed of the target", []model.LabelSet{exporterDown},
			p("SecondMeExporterConfigReloadFailed", "warning", model.LabelSet{"instance": inst}), true},
		{"down does not mute another instance", []model.LabelSet{exporterDown},
			p("SecondMeExporterStalled", "warning", model.LabelSet{"instance": "app-1:9948"}), false},
		{"down does not mute another job", []model.LabelSet{exporterDown},
			p("SecondMeExporterStalled", "warning", model.LabelSet{"instance": inst, "job": "other-secondme"}), false},
		{"down does not mute itself", []model.LabelSet{exporterDown}, exporterDown, false},
		{"down does not mute down of another instance", []model.LabelSet{exporterDown},
			p("SecondMeExporterDown", "warning", model.LabelSet{"instance": "app-1:9948"}), false},
		{"down does not mute catalog tickets", []model.LabelSet{exporterDown},
			p("SecondMeUnknownErrorCodes", "info", nil), false},

		// A critical alert holds back its warning twin...
		{"critical surge mutes its warning twin", []model.LabelSet{surgeCrit},
			p("SecondMeServerErrorSurge", "warning", model.LabelSet{"error_code": surgeCrit["error_code"],
				"module": surgeCrit["module"], "resource": surgeCrit["resource"], "reason": surgeCrit["reason"]}), true},
		{"critical upstream mutes its warning twin",
			[]model.LabelSet{p("SecondMeUpstreamUnreachable", "critical", nil)},
			p("SecondMeUpstreamUnreachable", "warning", nil), true},
		{"critical ratio mutes its warning twin",
			[]model.LabelSet{p("SecondMeHighServerErrorRatio", "critical", nil)},
			p("SecondMeHighServerErrorRatio", "warning", nil), true},
		{"critical surge does not mute the twin of another source", []model.LabelSet{surgeCrit},
			p("SecondMeServerErrorSurge", "warning", model.LabelSet{"source": "gateway"}), false},
		// ...and the same team's other warnings about the same application.
		{"blocked app mutes the 403 regression", []model.LabelSet{blocked},
			p("SecondMePermissionRegression", "warning", nil), true},
		{"secret mismatch mutes the 401 storm", []model.LabelSet{secret},
			p("SecondMeAuthFailureStorm", "warning", nil), true},
		{"refresh spike mutes the login code spike", []model.LabelSet{p("SecondMeRefreshTokenRevokedSpike", "critical", nil)},
			p("SecondMeErrorCodeSpike", "warning", model.LabelSet{"team": "login"}), true},
		{"login page does not mute api warnings", []model.LabelSet{blocked},
			p("SecondMeUpstreamUnreachable", "warning", nil), false},
		{"login page does not mute another source", []model.LabelSet{blocked},
			p("SecondMePermissionRegression", "warning", model.LabelSet{"source": "gateway"}), false},
		{"critical does not mute info", []model.LabelSet{surgeCrit},
			p("SecondMeErrorStatusMismatch", "info", model.LabelSet{"team": "api"}), false},
		{"absent (no job) does not mute a down target", []model.LabelSet{absent}, exporterDown, false},
		{"no source, no muting", nil, stalled, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ih := inhibitorWith(t, tc.sources...)
			if got := ih.Mutes(context.Background(), labelset.FromModel(tc.target)); got != tc.muted {
				t.Errorf("Mutes(%v) = %v, want %v (sources %v)", tc.target, got, tc.muted, tc.sources)
			}
		})
	}
}
