// Package config is the strict YAML configuration of the daemon: which log
// files to tail under which source name, the limits that bound memory and
// cardinality, and the catalog extension file.
//
// The shape follows prometheus/blackbox_exporter and alertmanager: LoadFile
// reads, Load decodes strictly (an unknown field is an error, a typo must not
// silently disable an input), defaults are set inside UnmarshalYAML, and the
// cross-field checks run before a Config is ever handed out, so a reload that
// returns an error leaves the running configuration untouched.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/alecthomas/units"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v2"

	"github.com/secondme/secondme_error_exporter/catalog"
	"github.com/secondme/secondme_error_exporter/containerlog"
)

// DefaultSource is the source label of the inputs given with --tail.path.
const DefaultSource = "default"

// Start is where a file that has no saved position is first read from.
type Start string

// The start positions. StartInherit (the empty value) on an input means
// "use global.start".
const (
	StartInherit   Start = ""
	StartEnd       Start = "end"
	StartBeginning Start = "beginning"
)

// ParseStart parses a --tail.start / start: value.
func ParseStart(s string) (Start, error) {
	switch Start(s) {
	case StartEnd, StartBeginning:
		return Start(s), nil
	}
	return "", fmt.Errorf("unknown start position %q (want %q or %q)", s, StartEnd, StartBeginning)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (s *Start) UnmarshalYAML(unmarshal func(any) error) error {
	var str string
	if err := unmarshal(&str); err != nil {
		return err
	}
	v, err := ParseStart(str)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ByteSize is a size in bytes that YAML may spell as an integer or with a
// base-2 unit ("64KiB", "1MiB").
type ByteSize int64

// UnmarshalYAML implements yaml.Unmarshaler.
func (b *ByteSize) UnmarshalYAML(unmarshal func(any) error) error {
	var n int64
	if err := unmarshal(&n); err == nil {
		*b = ByteSize(n)
		return nil
	}
	var s string
	if err := unmarshal(&s); err != nil {
		return err
	}
	v, err := units.ParseBase2Bytes(s)
	if err != nil {
		return fmt.Errorf("invalid size %q: %w", s, err)
	}
	*b = ByteSize(v)
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (b ByteSize) MarshalYAML() (any, error) { return units.Base2Bytes(b).String(), nil }

// Limits of the configuration values: outside them a typo (a missing unit,
// an extra zero) would hurt the process rather than configure it.
const (
	MinRecordBytes = 1 << 10
	MaxRecordBytes = 64 << 20
)

// GlobalConfig holds the settings shared by every input.
type GlobalConfig struct {
	// Start is the start position of inputs that do not set their own.
	Start Start `yaml:"start"`
	// Poll makes the tailer stat files on a timer instead of using inotify
	// (needed on NFS, some overlay filesystems, and when inotify instances
	// run out).
	Poll         bool           `yaml:"poll"`
	PollInterval model.Duration `yaml:"poll_interval"`
	// PositionsFile, when set, persists the read offset of every file so
	// that a restart neither re-counts nor skips records.
	PositionsFile     string         `yaml:"positions_file,omitempty"`
	PositionsInterval model.Duration `yaml:"positions_interval"`
	// RescanInterval is how often globs are expanded again to find new files.
	RescanInterval model.Duration `yaml:"rescan_interval"`
	// MaxRecordBytes bounds one record; longer ones are skipped and counted.
	MaxRecordBytes ByteSize `yaml:"max_record_bytes"`
	// MaxUnknownCodes is the number of distinct error codes outside the
	// catalog each source may create series for; further ones are counted
	// under error_code="other".
	MaxUnknownCodes int `yaml:"max_unknown_codes"`
	// Multi-line assembly bounds (for inputs with multiline: true).
	MultilineMaxLines int            `yaml:"multiline_max_lines"`
	MultilineMaxBytes ByteSize       `yaml:"multiline_max_bytes"`
	MultilineTimeout  model.Duration `yaml:"multiline_timeout"`
}

// DefaultGlobalConfig is the global section a configuration starts from;
// the daemon's flags replace it (see LoadWithDefaults).
var DefaultGlobalConfig = GlobalConfig{
	Start:             StartEnd,
	PollInterval:      model.Duration(250 * time.Millisecond),
	PositionsInterval: model.Duration(5 * time.Second),
	RescanInterval:    model.Duration(time.Second),
	MaxRecordBytes:    1 << 20,
	MaxUnknownCodes:   100,
	MultilineMaxLines: 1000,
	MultilineMaxBytes: 1 << 20,
	MultilineTimeout:  model.Duration(time.Second),
}

// UnmarshalYAML implements yaml.Unmarshaler. The receiver already holds the
// defaults (LoadWithDefaults sets them), so fields absent from the file
// keep the value of the corresponding flag.
func (g *GlobalConfig) UnmarshalYAML(unmarshal func(any) error) error {
	type plain GlobalConfig
	return unmarshal((*plain)(g))
}

func (g *GlobalConfig) validate() error {
	if g.Start == StartInherit {
		return errors.New("start must be set")
	}
	if g.Poll && g.PollInterval <= 0 {
		return fmt.Errorf("poll_interval must be positive, got %s", g.PollInterval)
	}
	if g.PositionsInterval <= 0 {
		return fmt.Errorf("positions_interval must be positive, got %s", g.PositionsInterval)
	}
	if g.RescanInterval <= 0 {
		return fmt.Errorf("rescan_interval must be positive, got %s", g.RescanInterval)
	}
	if g.MaxRecordBytes < MinRecordBytes || g.MaxRecordBytes > MaxRecordBytes {
		return fmt.Errorf("max_record_bytes must be between 1KiB and 64MiB, got %d", int64(g.MaxRecordBytes))
	}
	if g.MaxUnknownCodes < 0 {
		return fmt.Errorf("max_unknown_codes must not be negative, got %d", g.MaxUnknownCodes)
	}
	if g.MultilineMaxLines < 2 {
		return fmt.Errorf("multiline_max_lines must be at least 2, got %d", g.MultilineMaxLines)
	}
	if g.MultilineMaxBytes < MinRecordBytes || g.MultilineMaxBytes > MaxRecordBytes {
		return fmt.Errorf("multiline_max_bytes must be between 1KiB and 64MiB, got %d", int64(g.MultilineMaxBytes))
	}
	if g.MultilineTimeout <= 0 {
		return fmt.Errorf("multiline_timeout must be positive, got %s", g.MultilineTimeout)
	}
	return nil
}

// Input is one named group of files. Its name is the `source` label of every
// series it produces: file paths never become label values, so rotation and
// new files under a glob do not create new series.
type Input struct {
	Name  string   `yaml:"name"`
	Paths []string `yaml:"paths"`
	// Start overrides global.start for this input.
	Start Start `yaml:"start,omitempty"`
	// Multiline joins pretty-printed JSON spread over several lines into
	// one record before it is parsed.
	Multiline bool `yaml:"multiline"`
	// Format is how the files wrap the application's lines: raw (the
	// default), cri (Kubernetes' /var/log/pods) or docker (Docker's json-file
	// driver). cri and docker lines are unwrapped and their partial pieces
	// joined before anything else reads them.
	Format string `yaml:"format,omitempty"`
}

// DefaultInput is the zero input: every field is explicit or inherited.
var DefaultInput = Input{}

// sourceNameRE keeps source names short, printable and unmistakable for a
// path (no '/').
var sourceNameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`)

// UnmarshalYAML implements yaml.Unmarshaler.
func (in *Input) UnmarshalYAML(unmarshal func(any) error) error {
	*in = DefaultInput
	type plain Input
	if err := unmarshal((*plain)(in)); err != nil {
		return err
	}
	return in.validate()
}

func (in *Input) validate() error {
	if in.Name == "" {
		return errors.New("input without a name")
	}
	if !sourceNameRE.MatchString(in.Name) {
		return fmt.Errorf("input name %q is invalid: it must match %s", in.Name, sourceNameRE)
	}
	if len(in.Paths) == 0 {
		return fmt.Errorf("input %q: no paths", in.Name)
	}
	if _, err := containerlog.ParseFormat(in.Format); err != nil {
		return fmt.Errorf("input %q: %w", in.Name, err)
	}
	seen := map[string]bool{}
	for _, p := range in.Paths {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("input %q: empty path", in.Name)
		}
		if _, err := filepath.Match(p, ""); err != nil {
			return fmt.Errorf("input %q: bad glob %q: %w", in.Name, p, err)
		}
		if seen[p] {
			return fmt.Errorf("input %q: path %q listed twice", in.Name, p)
		}
		seen[p] = true
	}
	return nil
}

// Config is the whole configuration file.
type Config struct {
	Global GlobalConfig `yaml:"global"`
	// CatalogFile extends or overrides the embedded SecondMe catalog
	// (see catalog.LoadFile). Relative to the configuration file.
	CatalogFile string  `yaml:"catalog_file,omitempty"`
	Inputs      []Input `yaml:"inputs"`

	// Catalog is the catalog the configuration resolves to: the embedded
	// one, extended by CatalogFile. It is loaded with the configuration so
	// that a bad catalog file fails --config.check and reloads.
	Catalog *catalog.Catalog `yaml:"-"`
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (c *Config) UnmarshalYAML(unmarshal func(any) error) error {
	type plain Config
	return unmarshal((*plain)(c))
}

// validate runs the cross-field checks and resolves inherited values.
func (c *Config) validate() error {
	if err := c.Global.validate(); err != nil {
		return fmt.Errorf("global: %w", err)
	}
	if len(c.Inputs) == 0 {
		return errors.New("no inputs configured")
	}
	names := map[string]bool{}
	owner := map[string]string{}
	for i := range c.Inputs {
		in := &c.Inputs[i]
		// Inputs built in Go (FromFlags) did not pass through UnmarshalYAML.
		if err := in.validate(); err != nil {
			return err
		}
		if names[in.Name] {
			return fmt.Errorf("duplicate input name %q", in.Name)
		}
		names[in.Name] = true
		for _, p := range in.Paths {
			if o, ok := owner[p]; ok {
				// The same file counted under two sources would double
				// every total that sums over sources.
				return fmt.Errorf("path %q is in inputs %q and %q", p, o, in.Name)
			}
			owner[p] = in.Name
		}
		if in.Start == StartInherit {
			in.Start = c.Global.Start
		}
		if f, _ := containerlog.ParseFormat(in.Format); f == containerlog.Docker && c.Global.MaxRecordBytes < containerlog.MinDockerRecordBytes {
			return fmt.Errorf("input %q: format docker needs max_record_bytes of at least 128KiB (the json-file driver's escaped pieces), got %d", in.Name, int64(c.Global.MaxRecordBytes))
		}
	}
	return nil
}

// setDirectory makes relative file names relative to dir, as Prometheus does
// for the files its configuration names.
func (c *Config) setDirectory(dir string) {
	join := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.CatalogFile = join(c.CatalogFile)
	c.Global.PositionsFile = join(c.Global.PositionsFile)
	for i := range c.Inputs {
		for j, p := range c.Inputs[i].Paths {
			c.Inputs[i].Paths[j] = join(p)
		}
	}
}

// loadCatalog resolves CatalogFile.
func (c *Config) loadCatalog() error {
	if c.CatalogFile == "" {
		c.Catalog = catalog.Default()
		return nil
	}
	cat, err := catalog.LoadFile(c.CatalogFile)
	if err != nil {
		return fmt.Errorf("catalog_file: %w", err)
	}
	c.Catalog = cat
	return nil
}

// Load parses a configuration with DefaultGlobalConfig as the defaults.
// Relative file names stay relative to the working directory.
func Load(s string) (*Config, error) {
	return LoadWithDefaults(s, DefaultGlobalConfig)
}

// LoadWithDefaults parses a configuration whose global section starts from
// g (the daemon passes the values of its flags, so a file that does not set
// a limit keeps the flag's value).
func LoadWithDefaults(s string, g GlobalConfig) (*Config, error) {
	cfg, err := decode(s, g)
	if err != nil {
		return nil, err
	}
	if err := cfg.loadCatalog(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func decode(s string, g GlobalConfig) (*Config, error) {
	cfg := &Config{Global: g}
	if err := yaml.UnmarshalStrict([]byte(s), cfg); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// LoadFile reads and parses a configuration file with DefaultGlobalConfig
// as the defaults.
func LoadFile(path string) (*Config, error) {
	return LoadFileWithDefaults(path, DefaultGlobalConfig)
}

// LoadFileWithDefaults reads and parses a configuration file; see
// LoadWithDefaults. Relative paths in it (catalog_file, positions_file,
// input globs) are resolved against the file's directory.
func LoadFileWithDefaults(path string, g GlobalConfig) (*Config, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := decode(string(content), g)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	cfg.setDirectory(dir)
	if err := cfg.loadCatalog(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// FromFlags builds the configuration of the simple case: every --tail.path
// glob in one input named DefaultSource, joining pretty-printed records if
// multiline (--tail.multiline), its lines wrapped in format (--tail.format).
func FromFlags(paths []string, catalogFile string, multiline bool, format string, g GlobalConfig) (*Config, error) {
	if len(paths) == 0 {
		return nil, errors.New("no inputs: give --tail.path or --config.file")
	}
	cfg := &Config{
		Global:      g,
		CatalogFile: catalogFile,
		Inputs:      []Input{{Name: DefaultSource, Paths: append([]string(nil), paths...), Multiline: multiline, Format: format}},
	}
	if err := cfg.Resolve(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Resolve checks a configuration built in Go (rather than loaded) exactly as
// Load would, fills inherited values and loads its catalog.
func (c *Config) Resolve() error {
	if err := c.validate(); err != nil {
		return err
	}
	return c.loadCatalog()
}

// String renders the configuration as YAML (for logs at debug level and
// --config.check output).
func (c *Config) String() string {
	b, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Sprintf("<error creating config string: %s>", err)
	}
	return string(b)
}
