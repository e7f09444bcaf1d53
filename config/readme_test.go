package config

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEExample: the configuration shown in the README's daemon section
// is valid and sets every global field to a documented value.
func TestREADMEExample(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "<!-- daemon:begin -->")
	end := strings.Index(s, "<!-- daemon:end -->")
	if start < 0 || end < start {
		t.Fatal("no daemon section in the README")
	}
	section := s[start:end]
	i := strings.Index(section, "```yaml\nglobal:")
	if i < 0 {
		t.Fatal("no configuration example in the daemon section")
	}
	example := section[i+len("```yaml\n"):]
	example = example[:strings.Index(example, "```")]
	// decode: everything but loading the example's catalog file, which
	// does not exist here.
	cfg, err := decode(example, DefaultGlobalConfig)
	if err != nil {
		t.Fatalf("the README example does not load: %v\n%s", err, example)
	}
	want := DefaultGlobalConfig
	want.PositionsFile = "/var/lib/secondme/positions.json"
	if cfg.Global != want {
		t.Errorf("the README example's global section should show the defaults:\n got  %+v\n want %+v", cfg.Global, want)
	}
	if len(cfg.Inputs) != 3 || cfg.Inputs[1].Start != StartBeginning || !cfg.Inputs[0].Multiline || cfg.Inputs[2].Format != "cri" {
		t.Errorf("inputs = %+v", cfg.Inputs)
	}
}
