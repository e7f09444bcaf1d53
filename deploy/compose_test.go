package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var composeDir = filepath.Join(repoRoot, "deploy", "docker-compose")

// composeFile is the subset of the Compose specification the demo stack uses, decoded
// strictly: a key outside it is a typo or a feature this test must learn first.
type composeFile struct {
	Name     string                    `yaml:"name"`
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]*struct{}      `yaml:"volumes"`
}

type composeService struct {
	Build *struct {
		Context    string `yaml:"context"`
		Dockerfile string `yaml:"dockerfile"`
		Target     string `yaml:"target"`
	} `yaml:"build"`
	Image       string            `yaml:"image"`
	Command     []string          `yaml:"command"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	DependsOn   []string          `yaml:"depends_on"`
	ReadOnly    bool              `yaml:"read_only"`
	User        string            `yaml:"user"`
	CapDrop     []string          `yaml:"cap_drop"`
	SecurityOpt []string          `yaml:"security_opt"`
	Restart     string            `yaml:"restart"`
}

// mount is one short-syntax volume entry: source:target[:ro].
type mount struct {
	Source, Target string
	ReadOnly       bool
	Bind           bool // source is a host path (relative to the compose file)
}

func parseMount(s string) (mount, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return mount{}, fmt.Errorf("volume %q is not source:target[:mode]", s)
	}
	m := mount{Source: parts[0], Target: parts[1]}
	if len(parts) == 3 {
		if parts[2] != "ro" && parts[2] != "rw" {
			return mount{}, fmt.Errorf("volume %q: mode %q", s, parts[2])
		}
		m.ReadOnly = parts[2] == "ro"
	}
	m.Bind = strings.HasPrefix(m.Source, ".") || strings.HasPrefix(m.Source, "/")
	return m, nil
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	f, err := os.Open(filepath.Join(composeDir, "compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c composeFile
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("compose.yml: %v", err)
	}
	return c
}

func (c composeFile) service(t *testing.T, name string) composeService {
	t.Helper()
	s, ok := c.Services[name]
	if !ok {
		t.Fatalf("compose.yml has no service %q", name)
	}
	return s
}

func (s composeService) mounts(t *testing.T) []mount {
	t.Helper()
	var out []mount
	for _, v := range s.Volumes {
		m, err := parseMount(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestComposeStack(t *testing.T) {
	c := loadCompose(t)
	for _, name := range []string{"demo-writer", "exporter", "prometheus", "alertmanager", "grafana"} {
		c.service(t, name)
	}
	_, stages := loadDockerfile(t)
	stageNames := map[string]bool{}
	for _, st := range stages {
		stageNames[st.Name] = true
	}
	built := map[string]bool{}
	for name, s := range c.Services {
		if s.Build != nil {
			ctx := filepath.Join(composeDir, s.Build.Context)
			if _, err := os.Stat(filepath.Join(ctx, s.Build.Dockerfile)); err != nil {
				t.Errorf("service %s: build %v", name, err)
			}
			if !stageNames[s.Build.Target] {
				t.Errorf("service %s: build target %q is not a Dockerfile stage", name, s.Build.Target)
			}
			built[s.Image] = true
		}
	}
	for name, s := range c.Services {
		if s.Image == "" {
			t.Errorf("service %s has no image", name)
		}
		if strings.HasSuffix(s.Image, ":latest") || (!built[s.Image] && !strings.Contains(s.Image, ":")) {
			t.Errorf("service %s: image %s is not pinned to a version", name, s.Image)
		}
		for _, d := range s.DependsOn {
			if _, ok := c.Services[d]; !ok {
				t.Errorf("service %s depends on unknown service %s", name, d)
			}
		}
		for _, m := range s.mounts(t) {
			if m.Bind {
				if _, err := os.Stat(filepath.Join(composeDir, m.Source)); err != nil {
					t.Errorf("service %s mounts %s: %v", name, m.Source, err)
				}
			} else if _, ok := c.Volumes[m.Source]; !ok {
				t.Errorf("service %s mounts undeclared volume %s", name, m.Source)
			}
		}
	}

	// Our own services run the image read-only, without capabilities, with the flags the
	// binary defines, sharing the log volume (written by the writer, read by the exporter).
	writer, exp := c.service(t, "demo-writer"), c.service(t, "exporter")
	for name, s := range map[string]composeService{"demo-writer": writer, "exporter": exp} {
		if !built[s.Image] {
			t.Errorf("%s does not run the image built from the Dockerfile", name)
		}
		if !s.ReadOnly || len(s.CapDrop) != 1 || s.CapDrop[0] != "ALL" {
			t.Errorf("%s: read_only %v, cap_drop %v", name, s.ReadOnly, s.CapDrop)
		}
		checkFlags(t, "compose "+name, s.Command)
	}
	if len(writer.Command) == 0 || writer.Command[0] != "demo-writer" {
		t.Fatalf("demo-writer does not run the demo-writer subcommand: %v", writer.Command)
	}
	out, _ := argValue(writer.Command, "--out")
	glob, _ := argValue(exp.Command, "--tail.path")
	if ok, err := filepath.Match(glob, out); err != nil || !ok {
		t.Errorf("the exporter tails %q, the writer writes %q", glob, out)
	}
	wm, em := mountOf(t, writer, out), mountOf(t, exp, out)
	if wm.Source != em.Source || wm.ReadOnly || !em.ReadOnly {
		t.Errorf("log volume: writer mounts %+v, exporter %+v; want the same volume, read-write and read-only", wm, em)
	}
	pos, ok := argValue(exp.Command, "--tail.positions-file")
	if !ok {
		t.Error("the exporter has no positions file")
	} else if pm := mountOf(t, exp, pos); pm.ReadOnly || pm.Bind {
		t.Errorf("positions file %s is not on a writable named volume: %+v", pos, pm)
	}
	listen, _ := argValue(exp.Command, "--web.listen-address")
	if !strings.HasSuffix(listen, ":"+defaultPort(t)) {
		t.Errorf("exporter listens on %q, the default port is %s", listen, defaultPort(t))
	}
}

// mountOf returns the mount of s that contains path.
func mountOf(t *testing.T, s composeService, path string) mount {
	t.Helper()
	var best mount
	for _, m := range s.mounts(t) {
		if (path == m.Target || strings.HasPrefix(path, strings.TrimSuffix(m.Target, "/")+"/")) && len(m.Target) > len(best.Target) {
			best = m
		}
	}
	if best.Target == "" {
		t.Fatalf("%s is on no volume", path)
	}
	return best
}

// containerFS lays out the bind mounts of a service under a temporary root, as symlinks
// to the repository's files, so a tool can check the configuration at the very paths
// the container will see it.
func containerFS(t *testing.T, s composeService) string {
	t.Helper()
	root := t.TempDir()
	for _, m := range s.mounts(t) {
		if !m.Bind {
			continue
		}
		src, err := filepath.Abs(filepath.Join(composeDir, m.Source))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(root, m.Target)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, dst); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestComposePrometheusConfig(t *testing.T) {
	promtool := lookTool(t, "promtool")
	c := loadCompose(t)
	prom := c.service(t, "prometheus")
	cfgPath, ok := argValue(prom.Command, "--config.file")
	if !ok {
		t.Fatal("prometheus has no --config.file")
	}
	root := containerFS(t, prom)
	out, err := runTool(promtool, "check", "config", filepath.Join(root, cfgPath))
	if err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
	// Every shipped rule file is loaded (and checked by promtool with the config).
	rules, _ := filepath.Glob(filepath.Join(repoRoot, "rules", "*.rules.yml"))
	m := regexp.MustCompile(`SUCCESS: (\d+) rule files found`).FindStringSubmatch(out)
	if m == nil || m[1] != strconv.Itoa(len(rules)) {
		t.Errorf("promtool found %v rule files, rules/ has %d:\n%s", m, len(rules), out)
	}

	// The scrape and alerting targets are services of the stack, on the ports they serve.
	var cfg struct {
		Alerting struct {
			Alertmanagers []struct {
				StaticConfigs []struct {
					Targets []string `yaml:"targets"`
				} `yaml:"static_configs"`
			} `yaml:"alertmanagers"`
		} `yaml:"alerting"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(readFile(t, filepath.Join(composeDir, "prometheus.yml")), &cfg); err != nil {
		t.Fatal(err)
	}
	ports := map[string]string{"exporter": defaultPort(t), "alertmanager": "9093", "prometheus": "9090"}
	check := func(target string) {
		host, port, _ := strings.Cut(target, ":")
		if host == "localhost" {
			host = "prometheus"
		}
		if _, ok := c.Services[host]; !ok {
			t.Errorf("target %s is not a service of the stack", target)
		} else if ports[host] != port {
			t.Errorf("target %s: %s serves on port %s", target, host, ports[host])
		}
	}
	var exporterJob string
	for _, sc := range cfg.ScrapeConfigs {
		for _, st := range sc.StaticConfigs {
			for _, tg := range st.Targets {
				check(tg)
				if strings.HasPrefix(tg, "exporter:") {
					exporterJob = sc.JobName
				}
			}
		}
	}
	// The exporter's health alerts select up{job=~".*secondme.*"}.
	if !strings.Contains(exporterJob, "secondme") {
		t.Errorf("the exporter's scrape job %q does not match the alerts' job=~\".*secondme.*\"", exporterJob)
	}
	if len(cfg.Alerting.Alertmanagers) == 0 {
		t.Error("no Alertmanager configured")
	}
	for _, am := range cfg.Alerting.Alertmanagers {
		for _, st := range am.StaticConfigs {
			for _, tg := range st.Targets {
				check(tg)
			}
		}
	}
}

func TestComposeAlertmanagerConfig(t *testing.T) {
	amtool := lookTool(t, "amtool")
	c := loadCompose(t)
	am := c.service(t, "alertmanager")
	cfgPath, ok := argValue(am.Command, "--config.file")
	if !ok {
		t.Fatal("alertmanager has no --config.file")
	}
	root := containerFS(t, am)
	if out, err := runTool(amtool, "check-config", filepath.Join(root, cfgPath)); err != nil {
		t.Fatalf("amtool check-config: %v\n%s", err, out)
	}
}

func TestComposeGrafanaProvisioning(t *testing.T) {
	c := loadCompose(t)
	g := c.service(t, "grafana")
	root := containerFS(t, g)
	prov := filepath.Join(root, "etc", "grafana", "provisioning")

	var ds struct {
		Datasources []struct {
			URL string `yaml:"url"`
		} `yaml:"datasources"`
	}
	files, _ := filepath.Glob(filepath.Join(prov, "datasources", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no data source provisioning at /etc/grafana/provisioning/datasources")
	}
	for _, f := range files {
		if err := yaml.Unmarshal(readFile(t, f), &ds); err != nil {
			t.Fatal(err)
		}
		for _, d := range ds.Datasources {
			if d.URL != "http://prometheus:9090" {
				t.Errorf("%s: data source URL %s is not the stack's Prometheus", filepath.Base(f), d.URL)
			}
		}
	}

	var dp struct {
		Providers []struct {
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	files, _ = filepath.Glob(filepath.Join(prov, "dashboards", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no dashboard provisioning at /etc/grafana/provisioning/dashboards")
	}
	for _, f := range files {
		if err := yaml.Unmarshal(readFile(t, f), &dp); err != nil {
			t.Fatal(err)
		}
		for _, p := range dp.Providers {
			// The provider's path, seen inside the container, holds the dashboards.
			dash, _ := filepath.Glob(filepath.Join(root, p.Options.Path, "*.json"))
			want, _ := filepath.Glob(filepath.Join(repoRoot, "grafana", "dashboards", "*.json"))
			if len(dash) == 0 || len(dash) != len(want) {
				t.Errorf("provider path %s holds %d dashboards in the container, grafana/dashboards has %d", p.Options.Path, len(dash), len(want))
			}
		}
	}
	home := g.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	if _, err := os.Stat(filepath.Join(root, home)); home != "" && err != nil {
		t.Errorf("home dashboard %s: %v", home, err)
	}
}
