package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

func TestBadConfigs(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	// The exact error text: it is what an operator reads after a failed
	// reload, so a change of wording is a change of interface.
	tests := map[string]string{
		"unknown_field.bad.yml":        "parsing testdata/unknown_field.bad.yml: yaml: unmarshal errors:\n  line 4: field multi_line not found in type config.plain",
		"unknown_global_field.bad.yml": "parsing testdata/unknown_global_field.bad.yml: yaml: unmarshal errors:\n  line 2: field max_unknown_code not found in type config.plain",
		"no_inputs.bad.yml":            "parsing testdata/no_inputs.bad.yml: no inputs configured",
		"duplicate_name.bad.yml":       `parsing testdata/duplicate_name.bad.yml: duplicate input name "app"`,
		"path_as_name.bad.yml":         `parsing testdata/path_as_name.bad.yml: input name "/var/log/app.log" is invalid: it must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`,
		"no_name.bad.yml":              "parsing testdata/no_name.bad.yml: input without a name",
		"no_paths.bad.yml":             `parsing testdata/no_paths.bad.yml: input "app": no paths`,
		"bad_glob.bad.yml":             `parsing testdata/bad_glob.bad.yml: input "app": bad glob "/var/log/[app.log": syntax error in pattern`,
		"shared_path.bad.yml":          `parsing testdata/shared_path.bad.yml: path "/var/log/app.log" is in inputs "app" and "other"`,
		"bad_start.bad.yml":            `parsing testdata/bad_start.bad.yml: unknown start position "middle" (want "end" or "beginning")`,
		"bad_format.bad.yml":           `parsing testdata/bad_format.bad.yml: input "pods": unknown log format "json-file" (want raw, cri or docker)`,
		"docker_small_record.bad.yml":  `parsing testdata/docker_small_record.bad.yml: input "docker": format docker needs max_record_bytes of at least 128KiB (the json-file driver's escaped pieces), got 65536`,
		"small_record.bad.yml":         "parsing testdata/small_record.bad.yml: global: max_record_bytes must be between 1KiB and 64MiB, got 100",
		"bad_size.bad.yml":             `parsing testdata/bad_size.bad.yml: invalid size "lots": units: invalid lots`,
		"negative_unknown.bad.yml":     "parsing testdata/negative_unknown.bad.yml: global: max_unknown_codes must not be negative, got -1",
		"zero_interval.bad.yml":        "parsing testdata/zero_interval.bad.yml: global: positions_interval must be positive, got 0s",
		"missing_catalog.bad.yml": fmt.Sprintf("testdata/missing_catalog.bad.yml: catalog_file: catalog: open %s: no such file or directory",
			abs("testdata/does-not-exist.yml")),
	}
	files, err := filepath.Glob("testdata/*.bad.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d bad configs in testdata, %d in the table: every file needs its expected error", len(files), len(tests))
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := LoadFile(filepath.Join("testdata", name))
			if err == nil {
				t.Fatal("expected an error")
			}
			if err.Error() != want {
				t.Fatalf("got  %q\nwant %q", err, want)
			}
		})
	}
}

func TestGoodConfigs(t *testing.T) {
	files, err := filepath.Glob("testdata/*.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no good configs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg, err := LoadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Catalog == nil || len(cfg.Catalog.Entries()) == 0 {
				t.Fatal("no catalog resolved")
			}
			// What String renders must load again to the same thing.
			again, err := Load(cfg.String())
			if err != nil {
				t.Fatalf("reloading the rendered config: %v\n%s", err, cfg)
			}
			if again.String() != cfg.String() {
				t.Fatalf("round trip differs:\n%s\n---\n%s", cfg, again)
			}
		})
	}
}

func TestDefaultsAndInheritance(t *testing.T) {
	cfg, err := LoadFile("testdata/minimal.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Global != DefaultGlobalConfig {
		t.Errorf("global = %+v, want the defaults %+v", cfg.Global, DefaultGlobalConfig)
	}
	if got := cfg.Inputs[0].Start; got != StartEnd {
		t.Errorf("input start = %q, want it inherited from global (%q)", got, StartEnd)
	}

	full, err := LoadFile("testdata/full.good.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := filepath.Abs("testdata")
	want := GlobalConfig{
		Start:             StartBeginning,
		Poll:              true,
		PollInterval:      model.Duration(500 * time.Millisecond),
		PositionsFile:     filepath.Join(dir, "positions.json"),
		PositionsInterval: model.Duration(2 * time.Second),
		RescanInterval:    model.Duration(5 * time.Second),
		MaxRecordBytes:    64 << 10,
		MaxUnknownCodes:   20,
		MultilineMaxLines: 200,
		MultilineMaxBytes: 256 << 10,
		MultilineTimeout:  model.Duration(2 * time.Second),
	}
	if full.Global != want {
		t.Errorf("global = %+v\nwant     %+v", full.Global, want)
	}
	if len(full.Inputs) != 2 {
		t.Fatalf("inputs = %d", len(full.Inputs))
	}
	app, gw := full.Inputs[0], full.Inputs[1]
	if app.Start != StartBeginning || !app.Multiline || len(app.Paths) != 2 {
		t.Errorf("app input = %+v", app)
	}
	if gw.Start != StartEnd || gw.Multiline {
		t.Errorf("gateway input = %+v", gw)
	}
	if got, want := gw.Paths[0], filepath.Join(dir, "logs/access.log"); got != want {
		t.Errorf("relative glob resolved to %q, want %q", got, want)
	}
}

// TestFlagDefaults: the flags are the defaults of the global section; what
// the file sets wins.
func TestFlagDefaults(t *testing.T) {
	flags := DefaultGlobalConfig
	flags.Start = StartBeginning
	flags.MaxUnknownCodes = 7
	flags.PositionsFile = "/var/lib/x/positions.json"
	cfg, err := LoadWithDefaults(`
global:
  max_unknown_codes: 3
inputs:
  - name: app
    paths: [/var/log/app.log]
`, flags)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Global.MaxUnknownCodes != 3 {
		t.Errorf("max_unknown_codes = %d, want the file's 3", cfg.Global.MaxUnknownCodes)
	}
	if cfg.Global.Start != StartBeginning || cfg.Inputs[0].Start != StartBeginning {
		t.Errorf("start = %q/%q, want the flag's beginning", cfg.Global.Start, cfg.Inputs[0].Start)
	}
	if cfg.Global.PositionsFile != flags.PositionsFile {
		t.Errorf("positions_file = %q, want the flag's", cfg.Global.PositionsFile)
	}
}

func TestFromFlags(t *testing.T) {
	cfg, err := FromFlags([]string{"/var/log/a/*.log", "/var/log/b.log"}, "", true, "cri", DefaultGlobalConfig)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Inputs) != 1 || cfg.Inputs[0].Name != DefaultSource || len(cfg.Inputs[0].Paths) != 2 || !cfg.Inputs[0].Multiline || cfg.Inputs[0].Format != "cri" {
		t.Fatalf("inputs = %+v", cfg.Inputs)
	}
	if _, err := FromFlags(nil, "", false, "", DefaultGlobalConfig); err == nil || err.Error() != "no inputs: give --tail.path or --config.file" {
		t.Fatalf("no paths: err = %v", err)
	}
	if _, err := FromFlags([]string{"/a/[x"}, "", false, "", DefaultGlobalConfig); err == nil {
		t.Fatal("bad glob accepted")
	}
	if _, err := FromFlags([]string{"/a/x"}, "", false, "json-file", DefaultGlobalConfig); err == nil || err.Error() != `input "default": unknown log format "json-file" (want raw, cri or docker)` {
		t.Fatalf("bad format: err = %v", err)
	}
}

func TestCatalogFile(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "extra.yml")
	if err := os.WriteFile(cat, []byte(`codes:
  - code: secondme.quota.exceeded
    status: 429
    section: secondme
    description_zh: 配额已用完
    description: The quota is exhausted
    action: "Back off: retry after the quota resets"
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte("catalog_file: extra.yml\ninputs:\n  - name: app\n    paths: [app.log]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := cfg.Catalog.Lookup("secondme.quota.exceeded")
	if !ok || e.Status != 429 {
		t.Fatalf("extension code not loaded: %+v %v", e, ok)
	}
	if _, ok := cfg.Catalog.Lookup("oauth2.token.expired"); !ok {
		t.Fatal("the extension replaced the embedded catalog instead of extending it")
	}
	if cfg.CatalogFile != cat {
		t.Errorf("catalog_file = %q, want it resolved against the config directory (%q)", cfg.CatalogFile, cat)
	}

	// A broken catalog file fails the configuration (and so --config.check
	// and a reload).
	if err := os.WriteFile(cat, []byte("codes:\n  - code: NOT A CODE\n    status: 400\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(cfgPath); err == nil || !strings.Contains(err.Error(), "catalog_file: ") {
		t.Fatalf("broken catalog accepted: %v", err)
	}
}
