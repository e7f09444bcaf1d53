package notifysim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/common/model"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func at(hhmmss string) time.Time {
	t, err := time.Parse("15:04:05", hhmmss)
	if err != nil {
		panic(err)
	}
	return t0.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
		time.Duration(t.Second())*time.Second - 10*time.Hour)
}

func load(t *testing.T, yml string) *config.Config {
	t.Helper()
	cfg, err := config.Load(yml)
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	return cfg
}

func alert(labels string, start, end string) Alert {
	ls := model.LabelSet{}
	for _, kv := range strings.Split(labels, ",") {
		k, v, _ := strings.Cut(kv, "=")
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	a := Alert{Labels: ls, Start: at(start)}
	if end != "" {
		a.End = at(end)
	}
	return a
}

// summary renders notifications as "HH:MM:SS receiver reason firing/resolved".
func summary(ns []Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s %s %s %d/%d", n.At.Format("15:04:05"), n.Receiver, n.Reason,
			len(n.Firing), len(n.Resolved)))
	}
	return out
}

func check(t *testing.T, got []Notification, want []string) {
	t.Helper()
	g := summary(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("notifications:\n got:\n  %s\nwant:\n  %s", strings.Join(g, "\n  "), strings.Join(want, "\n  "))
	}
}

const grouping = `
route:
  receiver: pager
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
receivers:
- name: pager
  webhook_configs:
  - url: http://127.0.0.1:1/hook
    send_resolved: %v
`

// Hand computation, group_wait 30s, group_interval 5m, repeat_interval 1h.
// A fires 10:00–12:10, B (same group) 10:02–10:20.
//
//	10:00:00 A arrives, the group is created, first flush due 10:00:30
//	10:00:30 flush {A}: first notification                       #1
//	10:05:30 flush {A,B}: B is new: new alerts added              #2
//	10:10:30, 10:15:30: nothing new, repeat not elapsed
//	10:20:00 B resolves
//	10:20:30 flush {A} + resolved {B}:
//	         send_resolved: new resolved alerts                  #3
//	         otherwise: nothing (B is deleted from the group)
//	repeat: the first flush strictly more than 1h after the last
//	         notification: 11:25:30 (after 10:20:30), or 11:10:30
//	         (after 10:05:30) without send_resolved               #4 / #3
//	12:10:00 A resolves
//	12:10:30 flush resolved {A}: all alerts resolved — delivered only
//	         with send_resolved                                  #5
func TestGroupingHandComputed(t *testing.T) {
	alerts := []Alert{
		alert("alertname=X,instance=a", "10:00:00", "12:10:00"),
		alert("alertname=X,instance=b", "10:02:00", "10:20:00"),
	}
	end := at("13:00:00")

	res, err := Simulate(load(t, fmt.Sprintf(grouping, true)), alerts, end)
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Notifications, []string{
		"10:00:30 pager first notification 1/0",
		"10:05:30 pager new alerts added 2/0",
		"10:20:30 pager new resolved alerts 1/1",
		"11:25:30 pager repeat interval elapsed 1/0",
		"12:10:30 pager all alerts resolved 0/1",
	})

	res, err = Simulate(load(t, fmt.Sprintf(grouping, false)), alerts, end)
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Notifications, []string{
		"10:00:30 pager first notification 1/0",
		"10:05:30 pager new alerts added 2/0",
		"11:10:30 pager repeat interval elapsed 1/0",
	})
}

// A group destroyed after its last alert resolved starts over: the next
// alert waits group_wait again, and the notification log (which outlives
// the group) holds no firing alert, so it is a first notification.
//
//	10:00:00 A fires → 10:00:30 #1;  10:03:00 A resolves → 10:05:30 #2
//	(all resolved), group destroyed
//	10:07:10 A fires again → new group, flush 10:07:40 #3 (first
//	notification), still firing at the end (10:30): no more (repeat 1h)
func TestGroupRecreated(t *testing.T) {
	alerts := []Alert{
		alert("alertname=X", "10:00:00", "10:03:00"),
		alert("alertname=X", "10:07:10", ""),
	}
	res, err := Simulate(load(t, fmt.Sprintf(grouping, true)), alerts, at("10:30:00"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Notifications, []string{
		"10:00:30 pager first notification 1/0",
		"10:05:30 pager all alerts resolved 0/1",
		"10:07:40 pager first notification 1/0",
	})
}

const routing = `
route:
  receiver: default
  group_by: [alertname, source]
  group_wait: 1m
  group_interval: 10m
  repeat_interval: 4h
  routes:
  - matchers: [severity="critical"]
    receiver: pager
    continue: true
  - matchers: [severity=~"critical|warning"]
    receiver: chat
    group_by: ['...']
inhibit_rules:
- source_matchers: [severity="critical"]
  target_matchers: [severity="warning"]
  equal: [source]
receivers:
- name: default
- name: pager
  pagerduty_configs:
  - routing_key: x
- name: chat
  webhook_configs:
  - url: http://127.0.0.1:1/chat
    send_resolved: false
`

// Routing, continue, per-route group_by and inhibition:
//
//	Crit{source=a} 10:00–10:40 matches pager (continue) and chat.
//	Warn{source=a} 10:05–11:00 matches chat only; inhibited while Crit
//	  (same source) fires, i.e. at the chat flushes up to 10:40.
//	Warn{source=b} 10:05–10:20 matches chat; not inhibited (other source).
//
// pager (group {alertname=Crit,source=a}): 10:01:00 first (#1); Crit
// resolves 10:40, the flush at 10:41:00 sends all-resolved (pagerduty
// sends resolved by default) (#2).
// chat groups by all labels, so each alert is its own group:
//
//	Crit: 10:01:00 first (#3); 10:41:00 all resolved, not delivered
//	      (send_resolved: false).
//	Warn a: flushes 10:06, 10:16, 10:26, 10:36 muted (Crit firing);
//	      10:46 Crit resolved → first notification (#4);
//	      11:00 resolves → 11:06 all resolved, not delivered.
//	Warn b: 10:06 first (#5); resolves 10:20 → 10:26 not delivered.
func TestRoutingAndInhibition(t *testing.T) {
	alerts := []Alert{
		alert("alertname=Crit,severity=critical,source=a", "10:00:00", "10:40:00"),
		alert("alertname=Warn,severity=warning,source=a", "10:05:00", "11:00:00"),
		alert("alertname=Warn,severity=warning,source=b", "10:05:00", "10:20:00"),
	}
	res, err := Simulate(load(t, routing), alerts, at("12:00:00"))
	if err != nil {
		t.Fatal(err)
	}
	check(t, res.Notifications, []string{
		"10:01:00 pager first notification 1/0",
		"10:01:00 chat first notification 1/0",
		"10:06:00 chat first notification 1/0",
		"10:41:00 pager all alerts resolved 0/1",
		"10:46:00 chat first notification 1/0",
	})
	var warnB, warnA bool
	for _, n := range res.Notifications {
		if n.Receiver == "chat" && n.At.Equal(at("10:06:00")) {
			warnB = n.Firing[0]["source"] == "b"
		}
		if n.Receiver == "chat" && n.At.Equal(at("10:46:00")) {
			warnA = n.Firing[0]["source"] == "a" && n.Firing[0]["alertname"] == "Warn"
		}
	}
	if !warnB || !warnA {
		t.Errorf("chat notifications carry the wrong alerts: %+v", res.Notifications)
	}
	if len(res.Inhibited) != 1 || res.Inhibited[0].Labels["source"] != "a" || res.Inhibited[0].Flushes != 4 {
		t.Errorf("inhibited = %+v, want Warn{source=a} muted at 4 flushes", res.Inhibited)
	}
	byName := map[string]Receiver{}
	for _, r := range res.Receivers {
		byName[r.Name] = r
	}
	if len(byName["default"].Integrations) != 0 || !byName["pager"].SendResolved() || byName["chat"].SendResolved() {
		t.Errorf("receivers = %+v", res.Receivers)
	}
	if got := byName["pager"].IntegrationNames(); len(got) != 1 || got[0] != "pagerduty[0]" {
		t.Errorf("pager integrations = %v", got)
	}
}

// Mute time intervals drop flushes without touching the notification log.
func TestMuteTimeInterval(t *testing.T) {
	cfg := load(t, `
route:
  receiver: pager
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 1h
  routes:
  - matchers: [alertname="X"]
    mute_time_intervals: [morning]
time_intervals:
- name: morning
  time_intervals:
  - times: [{start_time: "10:00", end_time: "10:10"}]
receivers:
- name: pager
  webhook_configs: [{url: "http://127.0.0.1:1/x"}]
`)
	res, err := Simulate(cfg, []Alert{alert("alertname=X", "10:00:00", "")}, at("10:30:00"))
	if err != nil {
		t.Fatal(err)
	}
	// Flushes at 10:00:30 and 10:05:30 are muted; 10:10:30 is the first.
	check(t, res.Notifications, []string{"10:10:30 pager first notification 1/0"})
}

func TestSimulateErrors(t *testing.T) {
	if _, err := Simulate(&config.Config{}, nil, t0); err == nil {
		t.Error("no route: want error")
	}
	cfg := load(t, fmt.Sprintf(grouping, true))
	if _, err := Simulate(cfg, []Alert{{Labels: model.LabelSet{"x": "y"}, Start: t0}}, t0); err == nil {
		t.Error("alert without alertname: want error")
	}
	bad := Alert{Labels: model.LabelSet{"alertname": "X"}, Start: t0, End: t0.Add(-time.Minute)}
	if _, err := Simulate(cfg, []Alert{bad}, t0); err == nil {
		t.Error("end before start: want error")
	}
}
