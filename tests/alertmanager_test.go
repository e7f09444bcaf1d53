package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	amconfig "github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"
)

// shippedAlertmanagerConfig is the routing the project ships.
var shippedAlertmanagerConfig = filepath.Join(repoRoot, "deploy", "alertmanager", "alertmanager.yml")

// Alertmanager in the suite runs the shipped routing with two kinds of change, both
// outside the routing decisions:
//
//   - timers: group_wait and group_interval become 1s (repeat_interval 1m) wherever
//     they are set, and on the root route, so a notification leaves within seconds;
//   - endpoints: the integrations of each receiver that has any (Slack, PagerDuty,
//     e-mail, webhooks...) are replaced by one webhook to a loopback sink of the test,
//     at /<receiver name>, so nothing leaves the machine and the test sees which
//     receiver each notification went to. A receiver without integrations (a
//     blackhole) stays without.
//
// Routes, matchers, grouping, inhibition and time intervals are untouched.
const (
	testGroupWait      = "1s"
	testGroupInterval  = "1s"
	testRepeatInterval = "1m"
)

// timerKeys are the route keys the rewrite shortens.
var timerKeys = map[string]string{
	"group_wait":      testGroupWait,
	"group_interval":  testGroupInterval,
	"repeat_interval": testRepeatInterval,
}

func setMapValue(m *yaml.Node, key, value string) {
	if v := mapValue(m, key); v != nil {
		v.Kind, v.Tag, v.Value, v.Style = yaml.ScalarNode, "!!str", value, 0
		return
	}
	m.Content = append(m.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}

func rewriteRouteTimers(route *yaml.Node, root bool) {
	for key, v := range timerKeys {
		if root || mapValue(route, key) != nil {
			setMapValue(route, key, v)
		}
	}
	if routes := mapValue(route, "routes"); routes != nil {
		for _, r := range routes.Content {
			rewriteRouteTimers(r, false)
		}
	}
}

// testAlertmanagerConfig rewrites the shipped configuration as described above and
// returns the new file's content.
func testAlertmanagerConfig(src []byte, srcDir, webhookBase string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a YAML mapping")
	}
	top := doc.Content[0]
	route := mapValue(top, "route")
	if route == nil {
		return nil, fmt.Errorf("no route")
	}
	rewriteRouteTimers(route, true)
	receivers := mapValue(top, "receivers")
	if receivers == nil {
		return nil, fmt.Errorf("no receivers")
	}
	for _, r := range receivers.Content {
		name := mapValue(r, "name")
		if name == nil {
			return nil, fmt.Errorf("receiver without a name")
		}
		kept := []*yaml.Node{}
		integrations := 0
		for i := 0; i+1 < len(r.Content); i += 2 {
			if strings.HasSuffix(r.Content[i].Value, "_configs") {
				integrations++
				continue
			}
			kept = append(kept, r.Content[i], r.Content[i+1])
		}
		r.Content = kept
		if integrations == 0 {
			continue
		}
		hook := &yaml.Node{Kind: yaml.MappingNode}
		setMapValue(hook, "url", webhookBase+"/"+name.Value)
		setMapValue(hook, "send_resolved", "true")
		mapValue(hook, "send_resolved").Tag = "!!bool"
		r.Content = append(r.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "webhook_configs"},
			&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{hook}})
	}
	// Templates are relative to the shipped file's directory.
	if tpl := mapValue(top, "templates"); tpl != nil {
		for _, n := range tpl.Content {
			if !filepath.IsAbs(n.Value) {
				n.Value = filepath.Join(srcDir, n.Value)
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// expectedReceivers routes labels through the shipped configuration with Alertmanager's
// own routing code: the truth the running Alertmanager is compared with.
func expectedReceivers(t *testing.T, labels map[string]string) []string {
	t.Helper()
	cfg, err := amconfig.LoadFile(shippedAlertmanagerConfig)
	if err != nil {
		t.Fatal(err)
	}
	ls := model.LabelSet{}
	for k, v := range labels {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	var out []string
	for _, r := range dispatch.NewRoute(cfg.Route, nil).Match(ls) {
		out = append(out, r.RouteOpts.Receiver)
	}
	sort.Strings(out)
	return out
}

// webhookMessage is Alertmanager's webhook payload (the parts the test reads).
type webhookMessage struct {
	Receiver string `json:"receiver"`
	Status   string `json:"status"`
	Alerts   []struct {
		Status string            `json:"status"`
		Labels map[string]string `json:"labels"`
	} `json:"alerts"`
	Path string `json:"-"`
}

// webhookSink records every notification Alertmanager sends.
type webhookSink struct {
	srv  *httptest.Server
	mu   sync.Mutex
	msgs []webhookMessage
	errs []error
}

func newWebhookSink(t *testing.T) *webhookSink {
	t.Helper()
	s := &webhookSink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		var m webhookMessage
		if err == nil {
			err = json.Unmarshal(body, &m)
		}
		m.Path = strings.TrimPrefix(r.URL.Path, "/")
		s.mu.Lock()
		if err != nil {
			s.errs = append(s.errs, err)
		} else {
			s.msgs = append(s.msgs, m)
		}
		s.mu.Unlock()
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *webhookSink) messages() ([]webhookMessage, []error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]webhookMessage(nil), s.msgs...), append([]error(nil), s.errs...)
}

// startShippedAlertmanager starts Alertmanager on the rewritten shipped configuration,
// after amtool has accepted it.
func startShippedAlertmanager(t *testing.T, sink *webhookSink) (*proc, string) {
	t.Helper()
	src, err := os.ReadFile(shippedAlertmanagerConfig)
	if err != nil {
		t.Fatalf("the shipped Alertmanager configuration: %v", err)
	}
	absDir, err := filepath.Abs(filepath.Dir(shippedAlertmanagerConfig))
	if err != nil {
		t.Fatal(err)
	}
	b, err := testAlertmanagerConfig(src, absDir, sink.srv.URL)
	if err != nil {
		t.Fatalf("rewriting %s: %v", shippedAlertmanagerConfig, err)
	}
	cfgFile := writeFile(t, t.TempDir(), "alertmanager.yml", string(b))
	amtool := lookTool(t, "amtool")
	if out, err := runCmd(amtool, "check-config", cfgFile); err != nil {
		t.Fatalf("amtool check-config of the test copy: %v\n%s\n%s", err, out, b)
	}
	return startAlertmanager(t, cfgFile)
}

func TestTestAlertmanagerConfig(t *testing.T) {
	in := `global:
  resolve_timeout: 5m
route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      group_wait: 10s
      continue: true
    - matchers: ['severity="info"']
      receiver: blackhole
receivers:
  - name: default
    slack_configs:
      - api_url: https://hooks.example.invalid/x
        channel: '#alerts'
  - name: pager
    pagerduty_configs:
      - routing_key: abc
    email_configs:
      - to: x@example.invalid
        from: y@example.invalid
        smarthost: mail.example.invalid:25
  - name: blackhole
templates:
  - templates/*.tmpl
`
	out, err := testAlertmanagerConfig([]byte(in), "/etc/am", "http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := amconfig.Load(string(out))
	if err != nil {
		t.Fatalf("rewritten config does not load: %v\n%s", err, out)
	}
	if got := cfg.Route.GroupWait; got == nil || got.String() != "1s" {
		t.Errorf("root group_wait %v", got)
	}
	if got := cfg.Route.Routes[0].GroupWait; got == nil || got.String() != "1s" {
		t.Errorf("child group_wait %v", got)
	}
	if cfg.Route.Routes[1].GroupWait != nil {
		t.Error("a child route without group_wait got one (it must keep inheriting)")
	}
	if !cfg.Route.Routes[0].Continue || cfg.Route.Routes[0].Receiver != "pager" || len(cfg.Route.Routes[0].Matchers) != 1 {
		t.Errorf("routing changed: %+v", cfg.Route.Routes[0])
	}
	for _, r := range cfg.Receivers {
		n := len(r.SlackConfigs) + len(r.PagerdutyConfigs) + len(r.EmailConfigs)
		switch r.Name {
		case "blackhole":
			if len(r.WebhookConfigs) != 0 || n != 0 {
				t.Errorf("blackhole got integrations: %+v", r)
			}
		default:
			if n != 0 || len(r.WebhookConfigs) != 1 || string(r.WebhookConfigs[0].URL) != "http://127.0.0.1:1/"+r.Name {
				t.Errorf("receiver %s not rewritten to one loopback webhook: %+v", r.Name, r)
			}
		}
	}
	if cfg.Templates[0] != "/etc/am/templates/*.tmpl" {
		t.Errorf("templates %v", cfg.Templates)
	}
}
