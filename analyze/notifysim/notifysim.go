// Package notifysim estimates the notifications Alertmanager would have sent
// for a list of alert episodes: the pager load of a set of rules and a
// routing configuration, before they ship.
//
// The one idea: replay Alertmanager's dispatch and notification pipeline in
// virtual time, deterministically. What Alertmanager decides from its
// configuration is taken from its own packages — config.LoadFile, the route
// tree and its RouteOpts from dispatch.NewRoute / Route.Match, the inhibition
// matchers from inhibit.NewInhibitRule, time intervals from
// timeinterval.Intervener. What Alertmanager does with goroutines and wall
// clock timers is re-stated here as an event loop, following v0.35.0:
//
//   - dispatch.aggrGroup: a group is created by its first alert and flushes
//     group_wait later, then every group_interval; after a flush its resolved
//     alerts are deleted and an empty group is destroyed (the next alert
//     creates a new one, with a new group_wait).
//   - the pipeline per flush: inhibited alerts are removed (MuteStage; a
//     source alert inhibits while it is firing, and an alert matching both
//     sides never inhibits one that does too), then active/mute time
//     intervals of the route; when nothing is left nothing is sent.
//   - notify.DedupStage.needsUpdate, per integration, against the
//     notification log of the group key (which outlives the group): first
//     notification, new firing alerts, all alerts resolved, new resolved
//     alerts (send_resolved only), repeat_interval elapsed.
//   - notify.RetryStage: an integration without send_resolved logs but does
//     not deliver a notification that has no firing alert.
//
// Simplifications, all documented in the README: one Alertmanager (no
// cluster gossip), no silences, every notification succeeds at once, alert
// updates at an instant are applied before the flushes due at that instant.
package notifysim

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/alertmanager/config"
	"github.com/prometheus/alertmanager/dispatch"
	"github.com/prometheus/alertmanager/inhibit"
	"github.com/prometheus/alertmanager/timeinterval"
	"github.com/prometheus/common/model"
)

// Alert is one firing episode as Prometheus sends it: firing from Start
// (its startsAt, the time the rule started firing) until End (its endsAt
// once resolved); End zero means still firing at the end of the simulation.
type Alert struct {
	Labels     model.LabelSet
	Start, End time.Time
}

// Notification is one message to one receiver.
type Notification struct {
	At          time.Time
	Receiver    string
	Route       string // the route's matcher path (dispatch.Route.Key)
	GroupKey    string
	GroupLabels model.LabelSet
	Reason      string
	// Integrations are the receiver's integrations that delivered it.
	Integrations []string
	Firing       []model.LabelSet
	Resolved     []model.LabelSet
}

// Receiver describes a receiver of the configuration.
type Receiver struct {
	Name         string
	Integrations []Integration
}

// Integration is one notifier of a receiver.
type Integration struct {
	// Name is "<type>[<index>]", e.g. "webhook[0]", as Alertmanager names
	// integrations in its notification log.
	Name         string
	SendResolved bool
}

// SendResolved is true when any integration sends resolved notifications.
func (r Receiver) SendResolved() bool {
	for _, in := range r.Integrations {
		if in.SendResolved {
			return true
		}
	}
	return false
}

// IntegrationNames lists the integrations' names.
func (r Receiver) IntegrationNames() []string {
	out := make([]string, 0, len(r.Integrations))
	for _, in := range r.Integrations {
		out = append(out, in.Name)
	}
	return out
}

// Inhibited counts the flushes at which an alert was muted by inhibition.
type Inhibited struct {
	Labels  model.LabelSet
	Flushes int
}

// Result is the outcome of a simulation.
type Result struct {
	Receivers     []Receiver
	Notifications []Notification
	Inhibited     []Inhibited
}

// Simulate runs the alerts through cfg's routing until end. Alerts must have
// an alertname label; episodes of the same label set must not overlap.
func Simulate(cfg *config.Config, alerts []Alert, end time.Time) (*Result, error) {
	if cfg == nil || cfg.Route == nil {
		return nil, errors.New("alertmanager configuration has no route")
	}
	s := &sim{
		root:      dispatch.NewRoute(cfg.Route, nil),
		store:     map[model.Fingerprint]*amAlert{},
		groups:    map[string]*group{},
		nflog:     map[string]*entry{},
		inhibited: map[model.Fingerprint]*Inhibited{},
	}
	for _, ir := range cfg.InhibitRules {
		s.inhibit = append(s.inhibit, inhibit.NewInhibitRule(ir))
	}
	intervals := map[string][]timeinterval.TimeInterval{}
	for _, ti := range cfg.MuteTimeIntervals {
		intervals[ti.Name] = ti.TimeIntervals
	}
	for _, ti := range cfg.TimeIntervals {
		intervals[ti.Name] = ti.TimeIntervals
	}
	s.intervener = timeinterval.NewIntervener(intervals)
	s.receivers = map[string]Receiver{}
	res := &Result{}
	for _, rc := range cfg.Receivers {
		r := describeReceiver(rc)
		s.receivers[r.Name] = r
		res.Receivers = append(res.Receivers, r)
	}

	events, err := buildEvents(alerts)
	if err != nil {
		return nil, err
	}
	for {
		tf, ok := s.nextFlush()
		if len(events) == 0 && !ok {
			break
		}
		if len(events) > 0 && (!ok || !events[0].at.After(tf)) {
			at := events[0].at
			if at.After(end) {
				events = nil
				continue
			}
			for len(events) > 0 && events[0].at.Equal(at) {
				s.receive(events[0])
				events = events[1:]
			}
			continue
		}
		if tf.After(end) {
			break
		}
		if err := s.flushAt(tf, res); err != nil {
			return nil, err
		}
	}
	for _, in := range s.inhibited {
		res.Inhibited = append(res.Inhibited, *in)
	}
	sort.Slice(res.Inhibited, func(i, j int) bool {
		return res.Inhibited[i].Labels.String() < res.Inhibited[j].Labels.String()
	})
	return res, nil
}

type event struct {
	at       time.Time
	labels   model.LabelSet
	startsAt time.Time
	endsAt   time.Time // zero: firing
}

// buildEvents turns episodes into Alertmanager receptions: one when the
// alert starts firing, one when Prometheus sends it resolved.
func buildEvents(alerts []Alert) ([]event, error) {
	var ev []event
	for _, a := range alerts {
		if _, ok := a.Labels[model.AlertNameLabel]; !ok {
			return nil, fmt.Errorf("alert %s has no alertname", a.Labels)
		}
		ev = append(ev, event{at: a.Start, labels: a.Labels, startsAt: a.Start})
		if !a.End.IsZero() {
			if a.End.Before(a.Start) {
				return nil, fmt.Errorf("alert %s ends before it starts", a.Labels)
			}
			ev = append(ev, event{at: a.End, labels: a.Labels, startsAt: a.Start, endsAt: a.End})
		}
	}
	sort.SliceStable(ev, func(i, j int) bool {
		if !ev[i].at.Equal(ev[j].at) {
			return ev[i].at.Before(ev[j].at)
		}
		return ev[i].labels.Fingerprint() < ev[j].labels.Fingerprint()
	})
	return ev, nil
}

type amAlert struct {
	labels   model.LabelSet
	fp       model.Fingerprint
	startsAt time.Time
	endsAt   time.Time
}

// resolvedAt is alert.Alert.ResolvedAt: resolved once endsAt is not after t.
func (a *amAlert) resolvedAt(t time.Time) bool { return !a.endsAt.IsZero() && !a.endsAt.After(t) }

type group struct {
	key    string
	seq    int // creation order, to break ties deterministically
	route  *dispatch.Route
	labels model.LabelSet
	alerts map[model.Fingerprint]*amAlert
	next   time.Time
}

// entry is a notification log entry: what an integration was last told
// about a group key.
type entry struct {
	firing, resolved map[model.Fingerprint]bool
	at               time.Time
}

type sim struct {
	root       *dispatch.Route
	inhibit    []*inhibit.InhibitRule
	intervener *timeinterval.Intervener
	receivers  map[string]Receiver
	store      map[model.Fingerprint]*amAlert
	groups     map[string]*group
	seq        int
	nflog      map[string]*entry
	inhibited  map[model.Fingerprint]*Inhibited
}

// receive is Dispatcher.processAlert for every route the alert matches.
func (s *sim) receive(e event) {
	fp := e.labels.Fingerprint()
	a := &amAlert{labels: e.labels, fp: fp, startsAt: e.startsAt, endsAt: e.endsAt}
	s.store[fp] = a
	for _, r := range s.root.Match(e.labels) {
		gl := groupLabels(e.labels, r)
		key := fmt.Sprintf("%s:%s", r.Key(), gl)
		gid := r.ID() + "\x00" + gl.String()
		g := s.groups[gid]
		if g == nil {
			s.seq++
			g = &group{key: key, seq: s.seq, route: r, labels: gl, alerts: map[model.Fingerprint]*amAlert{},
				next: e.at.Add(r.RouteOpts.GroupWait)}
			// An alert that started longer than group_wait ago is flushed at
			// once (dispatch.go: "old enough for immediate flush").
			if a.startsAt.Add(r.RouteOpts.GroupWait).Before(e.at) {
				g.next = e.at
			}
			s.groups[gid] = g
		}
		g.alerts[fp] = a
	}
}

func groupLabels(ls model.LabelSet, r *dispatch.Route) model.LabelSet {
	gl := model.LabelSet{}
	for ln, lv := range ls {
		if _, ok := r.RouteOpts.GroupBy[ln]; ok || r.RouteOpts.GroupByAll {
			gl[ln] = lv
		}
	}
	return gl
}

func (s *sim) nextFlush() (time.Time, bool) {
	var t time.Time
	ok := false
	for _, g := range s.groups {
		if !ok || g.next.Before(t) {
			t, ok = g.next, true
		}
	}
	return t, ok
}

// flushAt flushes every group due at t, in creation order.
func (s *sim) flushAt(t time.Time, res *Result) error {
	var due []string
	for id, g := range s.groups {
		if g.next.Equal(t) {
			due = append(due, id)
		}
	}
	sort.Slice(due, func(i, j int) bool { return s.groups[due[i]].seq < s.groups[due[j]].seq })
	for _, id := range due {
		g := s.groups[id]
		g.next = t.Add(g.route.RouteOpts.GroupInterval)
		if err := s.flush(g, t, res); err != nil {
			return err
		}
		// Delete the resolved alerts just flushed; an empty group is
		// destroyed.
		for fp, a := range g.alerts {
			if a.resolvedAt(t) {
				delete(g.alerts, fp)
			}
		}
		if len(g.alerts) == 0 {
			delete(s.groups, id)
		}
	}
	return nil
}

func (s *sim) flush(g *group, now time.Time, res *Result) error {
	var firing, resolved []*amAlert
	for _, a := range g.alerts {
		if s.muted(a, now) {
			in := s.inhibited[a.fp]
			if in == nil {
				in = &Inhibited{Labels: a.labels}
				s.inhibited[a.fp] = in
			}
			in.Flushes++
			continue
		}
		if a.resolvedAt(now) {
			resolved = append(resolved, a)
		} else {
			firing = append(firing, a)
		}
	}
	if len(firing)+len(resolved) == 0 {
		return nil
	}
	opts := g.route.RouteOpts
	if len(opts.ActiveTimeIntervals) > 0 {
		active, err := s.intervener.ContainsTime(opts.ActiveTimeIntervals, now)
		if err != nil {
			return fmt.Errorf("route %s: %w", g.route.Key(), err)
		}
		if !active {
			return nil
		}
	}
	if len(opts.MuteTimeIntervals) > 0 {
		muted, err := s.intervener.ContainsTime(opts.MuteTimeIntervals, now)
		if err != nil {
			return fmt.Errorf("route %s: %w", g.route.Key(), err)
		}
		if muted {
			return nil
		}
	}
	sortAlerts(firing)
	sortAlerts(resolved)
	rcv, ok := s.receivers[opts.Receiver]
	if !ok {
		return fmt.Errorf("route %s: receiver %q not in configuration", g.route.Key(), opts.Receiver)
	}
	var sent *Notification
	for _, integ := range rcv.Integrations {
		nkey := g.key + "\x00" + opts.Receiver + "\x00" + integ.Name
		prev := s.nflog[nkey]
		reason := needsUpdate(prev, firing, resolved, integ.SendResolved, opts.RepeatInterval, now)
		if reason == "" {
			continue
		}
		s.nflog[nkey] = logEntry(firing, resolved, now)
		if !integ.SendResolved && len(firing) == 0 {
			continue // RetryStage: logged, not delivered
		}
		if sent == nil {
			sent = &Notification{At: now, Receiver: opts.Receiver, Route: g.route.Key(), GroupKey: g.key,
				GroupLabels: g.labels, Reason: reason}
			for _, a := range firing {
				sent.Firing = append(sent.Firing, a.labels)
			}
		}
		sent.Integrations = append(sent.Integrations, integ.Name)
		if integ.SendResolved && len(sent.Resolved) == 0 {
			for _, a := range resolved {
				sent.Resolved = append(sent.Resolved, a.labels)
			}
		}
	}
	if sent != nil {
		res.Notifications = append(res.Notifications, *sent)
	}
	return nil
}

func sortAlerts(as []*amAlert) {
	sort.Slice(as, func(i, j int) bool { return as[i].labels.String() < as[j].labels.String() })
}

func logEntry(firing, resolved []*amAlert, now time.Time) *entry {
	e := &entry{firing: map[model.Fingerprint]bool{}, resolved: map[model.Fingerprint]bool{}, at: now}
	for _, a := range firing {
		e.firing[a.fp] = true
	}
	for _, a := range resolved {
		e.resolved[a.fp] = true
	}
	return e
}

// needsUpdate is notify.DedupStage.needsUpdate; "" means do not notify.
func needsUpdate(prev *entry, firing, resolved []*amAlert, sendResolved bool, repeat time.Duration, now time.Time) string {
	if prev == nil {
		if len(firing) > 0 {
			return "first notification"
		}
		return ""
	}
	for _, a := range firing {
		if !prev.firing[a.fp] {
			if len(prev.firing) == 0 {
				return "first notification"
			}
			return "new alerts added"
		}
	}
	if len(firing) == 0 {
		if len(prev.firing) > 0 {
			return "all alerts resolved"
		}
		return ""
	}
	if sendResolved {
		for _, a := range resolved {
			if !prev.resolved[a.fp] {
				return "new resolved alerts"
			}
		}
	}
	if prev.at.Before(now.Add(-repeat)) {
		return "repeat interval elapsed"
	}
	return ""
}

// muted is inhibit.Inhibitor.Mutes at time now over the alerts received so
// far.
func (s *sim) muted(target *amAlert, now time.Time) bool {
	for _, r := range s.inhibit {
		if !r.TargetMatchers.Matches(target.labels) {
			continue
		}
		excludeTwoSided := r.SourceMatchers.Matches(target.labels)
		for _, src := range s.store {
			if src.resolvedAt(now) || !r.SourceMatchers.Matches(src.labels) {
				continue
			}
			if excludeTwoSided && r.TargetMatchers.Matches(src.labels) {
				continue
			}
			equal := true
			for ln := range r.Equal {
				if target.labels[ln] != src.labels[ln] {
					equal = false
					break
				}
			}
			if equal {
				return true
			}
		}
	}
	return false
}

// describeReceiver lists a receiver's integrations. Every *_configs field of
// config.Receiver is a slice of configs that implement SendResolved(); using
// reflection keeps this correct as Alertmanager adds integrations.
func describeReceiver(rc config.Receiver) Receiver {
	r := Receiver{Name: rc.Name}
	v := reflect.ValueOf(rc)
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Slice || !strings.HasSuffix(f.Name, "Configs") {
			continue
		}
		kind := strings.TrimSuffix(strings.Split(f.Tag.Get("yaml"), ",")[0], "_configs")
		sl := v.Field(i)
		for j := 0; j < sl.Len(); j++ {
			in := Integration{Name: fmt.Sprintf("%s[%d]", kind, j)}
			if sr, ok := sl.Index(j).Interface().(interface{ SendResolved() bool }); ok {
				in.SendResolved = sr.SendResolved()
			}
			r.Integrations = append(r.Integrations, in)
		}
	}
	return r
}
