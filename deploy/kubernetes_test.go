package deploy

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/secondme/secondme_error_exporter/config"
)

var k8sDir = filepath.Join(repoRoot, "deploy", "kubernetes")

// kustomization is the part of kustomize's Kustomization type these manifests use.
// Decoding is strict, so a field outside it (a typo, or a feature this check does not
// understand yet) fails the test instead of being ignored.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace,omitempty"`
	Resources  []string `json:"resources"`
	Labels     []struct {
		Pairs            map[string]string `json:"pairs"`
		IncludeSelectors bool              `json:"includeSelectors,omitempty"`
		IncludeTemplates bool              `json:"includeTemplates,omitempty"`
	} `json:"labels,omitempty"`
	Images []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
		Digest  string `json:"digest,omitempty"`
	} `json:"images,omitempty"`
}

// manifests holds the typed objects of every resource of the kustomization.
type manifests struct {
	kust            kustomization
	configMaps      []*corev1.ConfigMap
	deployments     []*appsv1.Deployment
	podMonitors     []*monitoringv1.PodMonitor
	prometheusRules []*monitoringv1.PrometheusRule
}

// splitDocs splits a multi-document YAML stream at its "---" lines; documents with
// nothing but comments are dropped.
func splitDocs(b []byte) [][]byte {
	var (
		docs [][]byte
		cur  []byte
		sep  = regexp.MustCompile(`^---\s*(#.*)?$`)
	)
	flush := func() {
		if len(bytes.TrimSpace(stripComments(cur))) > 0 {
			docs = append(docs, cur)
		}
		cur = nil
	}
	for _, l := range bytes.Split(b, []byte("\n")) {
		if sep.Match(l) {
			flush()
			continue
		}
		cur = append(append(cur, l...), '\n')
	}
	flush()
	return docs
}

func stripComments(b []byte) []byte {
	var out []byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			out = append(append(out, l...), '\n')
		}
	}
	return out
}

// decodeStrict decodes YAML into a Kubernetes API type, failing on unknown or duplicate
// fields (sigs.k8s.io/yaml converts to JSON and decodes with DisallowUnknownFields).
func decodeStrict(doc []byte, into any) error {
	return yaml.UnmarshalStrict(doc, into)
}

func loadManifests(t *testing.T) *manifests {
	t.Helper()
	m := &manifests{}
	if err := decodeStrict(readFile(t, filepath.Join(k8sDir, "kustomization.yaml")), &m.kust); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	if m.kust.APIVersion != "kustomize.config.k8s.io/v1beta1" || m.kust.Kind != "Kustomization" {
		t.Fatalf("kustomization.yaml: apiVersion/kind %s/%s", m.kust.APIVersion, m.kust.Kind)
	}
	if len(m.kust.Resources) == 0 {
		t.Fatal("kustomization.yaml lists no resources")
	}
	for _, res := range m.kust.Resources {
		p := filepath.Join(k8sDir, filepath.FromSlash(res))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("kustomization.yaml lists %s: %v", res, err)
		}
		for i, doc := range splitDocs(b) {
			if err := m.add(doc); err != nil {
				t.Fatalf("%s document %d: %v", res, i+1, err)
			}
		}
	}
	return m
}

// add decodes one document into the type its apiVersion and kind name.
func (m *manifests) add(doc []byte) error {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return err
	}
	var obj any
	switch gvk := tm.APIVersion + "/" + tm.Kind; gvk {
	case "v1/ConfigMap":
		o := &corev1.ConfigMap{}
		m.configMaps, obj = append(m.configMaps, o), o
	case "apps/v1/Deployment":
		o := &appsv1.Deployment{}
		m.deployments, obj = append(m.deployments, o), o
	case "monitoring.coreos.com/v1/PodMonitor":
		o := &monitoringv1.PodMonitor{}
		m.podMonitors, obj = append(m.podMonitors, o), o
	case "monitoring.coreos.com/v1/PrometheusRule":
		o := &monitoringv1.PrometheusRule{}
		m.prometheusRules, obj = append(m.prometheusRules, o), o
	default:
		return fmt.Errorf("unexpected kind %q: add it to this test with its API type", gvk)
	}
	if err := decodeStrict(doc, obj); err != nil {
		return fmt.Errorf("strict decoding %s %s: %w", tm.APIVersion, tm.Kind, err)
	}
	return nil
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	m := loadManifests(t)
	listed := map[string]bool{}
	for _, r := range m.kust.Resources {
		if listed[r] {
			t.Errorf("resource %s listed twice", r)
		}
		listed[r] = true
	}
	files, err := filepath.Glob(filepath.Join(k8sDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		base := filepath.Base(f)
		if base != "kustomization.yaml" && !listed[base] {
			t.Errorf("%s is in deploy/kubernetes but not in kustomization.yaml resources", base)
		}
	}
	if len(m.configMaps) != 1 || len(m.deployments) != 1 || len(m.podMonitors) != 1 || len(m.prometheusRules) != 1 {
		t.Errorf("want one ConfigMap, Deployment, PodMonitor and PrometheusRule, got %d, %d, %d, %d",
			len(m.configMaps), len(m.deployments), len(m.podMonitors), len(m.prometheusRules))
	}
	// Images the kustomization pins are images the manifests use.
	used := map[string]bool{}
	for _, d := range m.deployments {
		for _, c := range d.Spec.Template.Spec.Containers {
			used[c.Image] = true
		}
	}
	for _, img := range m.kust.Images {
		if !used[img.Name] {
			t.Errorf("kustomization images: %s is used by no container", img.Name)
		}
	}
}

func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	// The guard the whole file relies on: a misspelt field is an error, not a no-op.
	m := &manifests{}
	err := m.add([]byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\n  replica: 2\n"))
	if err == nil || !strings.Contains(err.Error(), "replica") {
		t.Fatalf("unknown field accepted: %v", err)
	}
	if err := m.add([]byte("apiVersion: v1\nkind: Secret\n")); err == nil {
		t.Fatal("unexpected kind accepted")
	}
}

// sidecar returns the Deployment and its exporter container.
func sidecar(t *testing.T, m *manifests) (*appsv1.Deployment, *corev1.Container) {
	t.Helper()
	if len(m.deployments) != 1 {
		t.Fatalf("want 1 Deployment, got %d", len(m.deployments))
	}
	d := m.deployments[0]
	for i := range d.Spec.Template.Spec.Containers {
		c := &d.Spec.Template.Spec.Containers[i]
		if c.Name == "secondme-error-exporter" {
			return d, c
		}
	}
	t.Fatal("no secondme-error-exporter container")
	return nil, nil
}

// argValue returns the value of a --flag=value argument.
func argValue(args []string, flag string) (string, bool) {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v, true
		}
	}
	return "", false
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mountFor returns the volume mount whose path contains p (the longest match).
func mountFor(c *corev1.Container, p string) (corev1.VolumeMount, bool) {
	var best corev1.VolumeMount
	found := false
	for _, vm := range c.VolumeMounts {
		if (p == vm.MountPath || strings.HasPrefix(p, strings.TrimSuffix(vm.MountPath, "/")+"/")) && len(vm.MountPath) > len(best.MountPath) {
			best, found = vm, true
		}
	}
	return best, found
}

func volume(d *appsv1.Deployment, name string) (corev1.Volume, bool) {
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Name == name {
			return v, true
		}
	}
	return corev1.Volume{}, false
}

func TestSidecarHardening(t *testing.T) {
	m := loadManifests(t)
	d, c := sidecar(t, m)
	pod := d.Spec.Template.Spec

	if pod.SecurityContext == nil || pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
		t.Error("pod securityContext.runAsNonRoot must be true")
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod does not talk to the API server: automountServiceAccountToken must be false")
	}
	for _, ctr := range append(append([]corev1.Container{}, pod.InitContainers...), pod.Containers...) {
		sc := ctr.SecurityContext
		if sc == nil {
			t.Errorf("container %s: no securityContext", ctr.Name)
			continue
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("container %s: allowPrivilegeEscalation must be false", ctr.Name)
		}
		if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
			t.Errorf("container %s: readOnlyRootFilesystem must be true", ctr.Name)
		}
		if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
			t.Errorf("container %s: runAsNonRoot must be true", ctr.Name)
		}
		if sc.Privileged != nil && *sc.Privileged {
			t.Errorf("container %s: privileged", ctr.Name)
		}
		if sc.Capabilities == nil || len(sc.Capabilities.Add) != 0 || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
			t.Errorf("container %s: capabilities must drop ALL and add none, got %+v", ctr.Name, sc.Capabilities)
		}
		if sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("container %s: seccompProfile must be RuntimeDefault", ctr.Name)
		}
		if ctr.Resources.Limits.Memory().IsZero() || ctr.Resources.Limits.Cpu().IsZero() {
			t.Errorf("container %s: no CPU or memory limit", ctr.Name)
		}
	}
	if c.SecurityContext != nil && c.SecurityContext.RunAsUser != nil && *c.SecurityContext.RunAsUser == 0 {
		t.Error("exporter runs as UID 0")
	}

	// Sized from the measured footprint (README): requests 10m/32Mi, limits 200m/64Mi.
	want := corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("10m"), corev1.ResourceMemory: resource.MustParse("32Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("200m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
	}
	for _, kind := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if got, w := c.Resources.Requests[kind], want.Requests[kind]; got.Cmp(w) != 0 {
			t.Errorf("exporter request %s = %s, want %s", kind, got.String(), w.String())
		}
		if got, w := c.Resources.Limits[kind], want.Limits[kind]; got.Cmp(w) != 0 {
			t.Errorf("exporter limit %s = %s, want %s", kind, got.String(), w.String())
		}
	}
	// GOMEMLIMIT follows the memory limit.
	gomem := false
	for _, e := range c.Env {
		if e.Name == "GOMEMLIMIT" && e.ValueFrom != nil && e.ValueFrom.ResourceFieldRef != nil &&
			e.ValueFrom.ResourceFieldRef.Resource == "limits.memory" && e.ValueFrom.ResourceFieldRef.ContainerName == c.Name {
			gomem = true
		}
	}
	if !gomem {
		t.Error("GOMEMLIMIT must come from the container's limits.memory")
	}
}

func TestSidecarWiring(t *testing.T) {
	m := loadManifests(t)
	d, c := sidecar(t, m)

	// Probes hit the exporter's health endpoints on a port the container declares.
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	for name, pr := range map[string]*corev1.Probe{"/-/healthy": c.LivenessProbe, "/-/ready": c.ReadinessProbe} {
		if pr == nil || pr.HTTPGet == nil {
			t.Errorf("no HTTP probe for %s", name)
			continue
		}
		if pr.HTTPGet.Path != name {
			t.Errorf("probe path %s, want %s", pr.HTTPGet.Path, name)
		}
		if _, ok := ports[pr.HTTPGet.Port.String()]; !ok {
			t.Errorf("probe %s uses port %s that the container does not declare", name, pr.HTTPGet.Port.String())
		}
	}
	for _, ctr := range d.Spec.Template.Spec.Containers {
		if strings.HasPrefix(ctr.Image, "ghcr.io/secondme/secondme_error_exporter") {
			checkFlags(t, "container "+ctr.Name, ctr.Args)
		}
	}
	if ports["http-metrics"] != int32(mustAtoi(t, defaultPort(t))) {
		t.Errorf("containerPort http-metrics %d, the exporter's default port is %s", ports["http-metrics"], defaultPort(t))
	}
	listen, ok := argValue(c.Args, "--web.listen-address")
	if !ok {
		t.Fatal("exporter has no --web.listen-address")
	}
	if _, port, _ := strings.Cut(listen, ":"); port != fmt.Sprint(ports["http-metrics"]) {
		t.Errorf("--web.listen-address %s does not match containerPort http-metrics %d", listen, ports["http-metrics"])
	}

	// The configuration file is the ConfigMap's key, mounted read-only.
	cfgPath, ok := argValue(c.Args, "--config.file")
	if !ok {
		t.Fatal("exporter has no --config.file")
	}
	vm, ok := mountFor(c, cfgPath)
	if !ok || !vm.ReadOnly {
		t.Fatalf("%s is not on a read-only mount", cfgPath)
	}
	v, ok := volume(d, vm.Name)
	if !ok || v.ConfigMap == nil {
		t.Fatalf("volume %s is not a ConfigMap", vm.Name)
	}
	var cm *corev1.ConfigMap
	for _, x := range m.configMaps {
		if x.Name == v.ConfigMap.Name {
			cm = x
		}
	}
	if cm == nil {
		t.Fatalf("ConfigMap %s is not among the manifests", v.ConfigMap.Name)
	}
	key := path.Base(cfgPath)
	content, ok := cm.Data[key]
	if !ok {
		t.Fatalf("ConfigMap %s has no key %s", cm.Name, key)
	}
	// The configuration loads with the exporter's own strict loader.
	cfg, err := config.Load(content)
	if err != nil {
		t.Fatalf("ConfigMap %s/%s does not load: %v", cm.Name, key, err)
	}

	// Every input glob lies on the shared log volume, which the app writes and the
	// exporter only reads. An application's log joins pretty-printed bodies.
	for _, in := range cfg.Inputs {
		if !in.Multiline {
			t.Errorf("input %s: multiline is off: an SDK's pretty-printed error body would count line by line", in.Name)
		}
		for _, p := range in.Paths {
			vm, ok := mountFor(c, p)
			if !ok {
				t.Errorf("input %s: %s is on no volume of the exporter", in.Name, p)
				continue
			}
			if !vm.ReadOnly {
				t.Errorf("input %s: the exporter mounts the log volume %s read-write", in.Name, vm.Name)
			}
			lv, _ := volume(d, vm.Name)
			if lv.EmptyDir == nil {
				t.Errorf("log volume %s is not an emptyDir", vm.Name)
			}
			shared := false
			for _, other := range d.Spec.Template.Spec.Containers {
				if other.Name == c.Name {
					continue
				}
				for _, om := range other.VolumeMounts {
					if om.Name == vm.Name && !om.ReadOnly {
						shared = true
					}
				}
			}
			if !shared {
				t.Errorf("log volume %s is not written by another container of the pod", vm.Name)
			}
		}
	}

	// The positions file is on a writable emptyDir (the root filesystem is read-only).
	pos, ok := argValue(c.Args, "--tail.positions-file")
	if !ok {
		pos = cfg.Global.PositionsFile
	}
	if pos == "" {
		t.Fatal("no positions file: a restarted sidecar would re-read or skip lines")
	}
	pm, ok := mountFor(c, pos)
	if !ok || pm.ReadOnly {
		t.Fatalf("positions file %s is not on a writable mount", pos)
	}
	if pv, _ := volume(d, pm.Name); pv.EmptyDir == nil {
		t.Errorf("positions volume %s is not an emptyDir", pm.Name)
	}
}

func TestPodMonitorSelectsTheSidecar(t *testing.T) {
	m := loadManifests(t)
	d, c := sidecar(t, m)
	if len(m.podMonitors) != 1 {
		t.Fatalf("want 1 PodMonitor, got %d", len(m.podMonitors))
	}
	pm := m.podMonitors[0]
	sel, err := metav1.LabelSelectorAsSelector(&pm.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	if sel.Empty() || !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("PodMonitor selector %s does not select the pod template labels %v", sel, d.Spec.Template.Labels)
	}
	if len(pm.Spec.PodMetricsEndpoints) == 0 {
		t.Fatal("PodMonitor has no endpoints")
	}
	for _, ep := range pm.Spec.PodMetricsEndpoints {
		if ep.Port == nil {
			t.Error("endpoint without a named port")
			continue
		}
		found := false
		for _, p := range c.Ports {
			if p.Name == *ep.Port {
				found = true
			}
		}
		if !found {
			t.Errorf("endpoint port %q is not a port of the exporter container", *ep.Port)
		}
		if ep.Path != "" && ep.Path != "/metrics" {
			t.Errorf("endpoint path %s, the exporter serves /metrics", ep.Path)
		}
	}
}

func TestPrometheusRuleCarriesEveryShippedRule(t *testing.T) {
	m := loadManifests(t)
	if len(m.prometheusRules) != 1 {
		t.Fatalf("want 1 PrometheusRule, got %d", len(m.prometheusRules))
	}
	pr := m.prometheusRules[0]
	var got []string
	for _, g := range pr.Spec.Groups {
		for _, r := range g.Rules {
			got = append(got, g.Name+"/"+r.Record+r.Alert)
		}
	}
	// The exact rules of rules/*.rules.yml, decoded independently of the generator.
	files, err := filepath.Glob(filepath.Join(repoRoot, "rules", "*.rules.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no rules/*.rules.yml (%v)", err)
	}
	sort.Strings(files)
	var want []string
	for _, f := range files {
		var rf struct {
			Groups []struct {
				Name  string `json:"name"`
				Rules []struct {
					Record string `json:"record"`
					Alert  string `json:"alert"`
				} `json:"rules"`
			} `json:"groups"`
		}
		if err := yaml.Unmarshal(readFile(t, f), &rf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				want = append(want, g.Name+"/"+r.Record+r.Alert)
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("PrometheusRule rules differ from rules/*.rules.yml; run `go run ./deploy/kubernetes/genrule`\n got: %v\nwant: %v", got, want)
	}
}

// TestKustomizeBuild renders the kustomization with kustomize (the version kubectl
// embeds, installed by scripts/install-tools.sh) and decodes the rendered objects
// strictly, as the API server would see them.
func TestKustomizeBuild(t *testing.T) {
	kustomize := lookTool(t, "kustomize")
	out, err := exec.Command(kustomize, "build", k8sDir).CombinedOutput()
	if err != nil {
		t.Fatalf("kustomize build: %v\n%s", err, out)
	}
	rendered := &manifests{}
	for i, doc := range splitDocs(out) {
		if err := rendered.add(doc); err != nil {
			t.Fatalf("rendered document %d: %v", i+1, err)
		}
	}
	d := rendered.deployments[0]
	if d.Labels["app.kubernetes.io/part-of"] != "secondme-error-exporter" {
		t.Errorf("kustomize labels not applied: %v", d.Labels)
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		if !strings.Contains(c.Image, ":") {
			t.Errorf("container %s image %s is not pinned by the kustomization", c.Name, c.Image)
		}
	}
}
