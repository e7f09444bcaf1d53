package deploy

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/secondme/secondme_error_exporter/config"
)

var systemdDir = filepath.Join(repoRoot, "deploy", "systemd")

// unitFile is a parsed systemd unit: section -> key -> values in order (a key may be
// given several times, e.g. SystemCallFilter).
type unitFile map[string]map[string][]string

func parseUnit(t *testing.T, path string) unitFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unitFile{}
	section := ""
	var cont strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if cont.Len() == 0 && (line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";")) {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cont.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		if cont.Len() > 0 {
			cont.WriteString(line)
			line = cont.String()
			cont.Reset()
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.Trim(line, "[]")
			u[section] = map[string][]string{}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			t.Fatalf("%s:%d: not a key=value line in a section: %q", path, n, line)
		}
		u[section][strings.TrimSpace(k)] = append(u[section][strings.TrimSpace(k)], strings.TrimSpace(v))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return u
}

func (u unitFile) last(section, key string) (string, bool) {
	v := u[section][key]
	if len(v) == 0 {
		return "", false
	}
	return v[len(v)-1], true
}

var unitPath = filepath.Join(systemdDir, "secondme_error_exporter.service")

func TestSystemdUnitHardening(t *testing.T) {
	u := parseUnit(t, unitPath)
	svc := u["Service"]
	if svc == nil {
		t.Fatal("no [Service] section")
	}
	for key, want := range map[string]string{
		"DynamicUser":             "yes",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"PrivateDevices":          "yes",
		"NoNewPrivileges":         "yes",
		"CapabilityBoundingSet":   "",
		"AmbientCapabilities":     "",
		"RestrictSUIDSGID":        "yes",
		"MemoryDenyWriteExecute":  "yes",
		"LockPersonality":         "yes",
		"ProtectKernelTunables":   "yes",
		"ProtectKernelModules":    "yes",
		"ProtectControlGroups":    "yes",
		"RestrictNamespaces":      "yes",
		"SystemCallArchitectures": "native",
		"StateDirectory":          "secondme_error_exporter",
	} {
		if got, ok := u.last("Service", key); !ok || got != want {
			t.Errorf("%s=%q, want %q", key, got, want)
		}
	}
	filters := strings.Join(svc["SystemCallFilter"], " ")
	if !strings.Contains(filters, "@system-service") || !strings.Contains(filters, "~@privileged") {
		t.Errorf("SystemCallFilter %q must allow @system-service and deny @privileged", filters)
	}
	if got, _ := u.last("Service", "RestrictAddressFamilies"); got != "AF_INET AF_INET6" {
		t.Errorf("RestrictAddressFamilies=%q: the exporter only serves TCP", got)
	}

	// ExecStart: the flags exist, the positions file is in the state directory, the
	// configuration in the configuration directory, the port is the default one.
	execStart, _ := u.last("Service", "ExecStart")
	argv := strings.Fields(execStart)
	if len(argv) == 0 || argv[0] != "/usr/local/bin/secondme_error_exporter" {
		t.Fatalf("ExecStart %q", execStart)
	}
	checkFlags(t, "systemd ExecStart", argv[1:])
	state, _ := u.last("Service", "StateDirectory")
	if pos, ok := argValue(argv, "--tail.positions-file"); !ok || filepath.Dir(pos) != "/var/lib/"+state {
		t.Errorf("positions file %q is not in the StateDirectory /var/lib/%s", pos, state)
	}
	confDir, _ := u.last("Service", "ConfigurationDirectory")
	cfgPath, ok := argValue(argv, "--config.file")
	if !ok || filepath.Dir(cfgPath) != "/etc/"+confDir {
		t.Errorf("configuration %q is not in the ConfigurationDirectory /etc/%s", cfgPath, confDir)
	}
	if listen, _ := argValue(argv, "--web.listen-address"); listen != ":"+defaultPort(t) {
		t.Errorf("--web.listen-address %q, the default port is %s", listen, defaultPort(t))
	}

	// The example configuration loads, and every log it reads is under ReadOnlyPaths.
	cfg, err := config.Load(string(readFile(t, filepath.Join(systemdDir, filepath.Base(cfgPath)))))
	if err != nil {
		t.Fatalf("deploy/systemd/%s: %v", filepath.Base(cfgPath), err)
	}
	var roots []string
	for _, v := range svc["ReadOnlyPaths"] {
		for _, p := range strings.Fields(v) {
			roots = append(roots, strings.TrimPrefix(strings.TrimPrefix(p, "-"), "+"))
		}
	}
	for _, in := range cfg.Inputs {
		for _, p := range in.Paths {
			covered := false
			for _, r := range roots {
				if strings.HasPrefix(p, strings.TrimSuffix(r, "/")+"/") {
					covered = true
				}
			}
			if !covered {
				t.Errorf("input %s reads %s, which is under none of ReadOnlyPaths %v", in.Name, p, roots)
			}
		}
	}
}

// TestSystemdAnalyze runs systemd-analyze (scripts/install-tools.sh makes sure it is
// there). `verify` needs the ExecStart binary to exist, so the unit is checked with the
// real exporter binary at that path; every other line is the shipped unit.
// `security --offline` rates the sandboxing.
func TestSystemdAnalyze(t *testing.T) {
	analyze := lookTool(t, "systemd-analyze")
	unit := string(readFile(t, unitPath))
	unit = strings.ReplaceAll(unit, "/usr/local/bin/secondme_error_exporter", exporterBinary(t))
	dir := t.TempDir()
	path := filepath.Join(dir, "secondme_error_exporter.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runTool(analyze, "verify", path)
	if err != nil || strings.Contains(out, path) || strings.Contains(out, "secondme_error_exporter.service") {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = runTool(analyze, "security", "--offline=yes", path)
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: (\d+\.\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	level, _ := strconv.ParseFloat(m[1], 64)
	t.Logf("systemd-analyze security: exposure %.1f", level)
	// 0-10 scale; up to 2.0 is the best band ("OK"). A looser unit fails here.
	if level > 1.5 {
		t.Errorf("exposure level %.1f > 1.5:\n%s", level, out)
	}
}

// TestLogrotateExample checks the rotation method the tailer follows best: rename and
// create with a reopen (postrotate), never copytruncate, and delaycompress so the
// renamed file stays readable until it has been drained.
func TestLogrotateExample(t *testing.T) {
	b := string(readFile(t, filepath.Join(systemdDir, "logrotate-nginx")))
	var directives []string
	inScript := false
	for _, l := range strings.Split(b, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case l == "postrotate" || l == "prerotate":
			inScript = true
			directives = append(directives, l)
		case l == "endscript":
			inScript = false
			directives = append(directives, l)
		case !inScript:
			directives = append(directives, strings.Fields(l)[0])
		}
	}
	has := func(d string) bool { return contains(directives, d) }
	for _, d := range []string{"create", "delaycompress", "postrotate", "endscript"} {
		if !has(d) {
			t.Errorf("logrotate example lacks %s", d)
		}
	}
	if has("copytruncate") {
		t.Error("logrotate example uses copytruncate, which loses lines for the tailer")
	}
	if !strings.Contains(b, "/var/log/nginx/") {
		t.Error("logrotate example does not rotate the nginx logs the unit reads")
	}
}
