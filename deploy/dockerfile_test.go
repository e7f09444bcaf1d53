package deploy

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// No Docker engine runs where the tests run, so the Dockerfile is checked in two ways
// that need none: structurally (stages, users, entrypoints) and by replaying its build
// command — the exact `go build` of the RUN instruction, with its environment, flags
// and ldflags — on the host, in a copy of the build context filtered by .dockerignore.

// dfInstr is one Dockerfile instruction with its continuation lines joined.
type dfInstr struct {
	Cmd  string // upper case: FROM, RUN, USER...
	Args string
	Line int
}

// dfStage is a FROM and the instructions up to the next FROM.
type dfStage struct {
	Name, Base string
	Instrs     []dfInstr
}

func (s dfStage) last(cmd string) (dfInstr, bool) {
	for i := len(s.Instrs) - 1; i >= 0; i-- {
		if s.Instrs[i].Cmd == cmd {
			return s.Instrs[i], true
		}
	}
	return dfInstr{}, false
}

func (s dfStage) all(cmd string) []dfInstr {
	var out []dfInstr
	for _, in := range s.Instrs {
		if in.Cmd == cmd {
			out = append(out, in)
		}
	}
	return out
}

// parseDockerfile splits a Dockerfile into the global ARGs (before the first FROM) and
// its stages. It supports what the Dockerfile reference defines for the default escape
// character: comment lines (also inside continuations), trailing-backslash line
// continuations and `FROM [--platform=...] image [AS name]`.
func parseDockerfile(src string) (global []dfInstr, stages []dfStage, err error) {
	var (
		cur      strings.Builder
		curLine  int
		instrs   []dfInstr
		pending  bool
		lines    = strings.Split(src, "\n")
		instrRE  = regexp.MustCompile(`^([A-Za-z]+)\s*(.*)$`)
		emitLine = func() error {
			text := strings.TrimSpace(cur.String())
			cur.Reset()
			if text == "" {
				return nil
			}
			m := instrRE.FindStringSubmatch(text)
			if m == nil {
				return fmt.Errorf("line %d: cannot parse %q", curLine, text)
			}
			instrs = append(instrs, dfInstr{Cmd: strings.ToUpper(m[1]), Args: m[2], Line: curLine})
			return nil
		}
	)
	for i, raw := range lines {
		trimmed := strings.TrimSpace(raw)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && pending) {
			continue // comments and empty lines never end an instruction
		}
		if !pending {
			curLine = i + 1
		}
		if strings.HasSuffix(trimmed, `\`) {
			cur.WriteString(strings.TrimSuffix(trimmed, `\`))
			cur.WriteByte(' ')
			pending = true
			continue
		}
		cur.WriteString(trimmed)
		pending = false
		if err := emitLine(); err != nil {
			return nil, nil, err
		}
	}
	if pending {
		return nil, nil, errors.New("file ends inside a line continuation")
	}
	fromRE := regexp.MustCompile(`^(?:--platform=\S+\s+)?(\S+)(?:\s+(?i:AS)\s+(\S+))?$`)
	for _, in := range instrs {
		if in.Cmd == "FROM" {
			m := fromRE.FindStringSubmatch(in.Args)
			if m == nil {
				return nil, nil, fmt.Errorf("line %d: bad FROM %q", in.Line, in.Args)
			}
			stages = append(stages, dfStage{Base: m[1], Name: m[2]})
			continue
		}
		if len(stages) == 0 {
			if in.Cmd != "ARG" {
				return nil, nil, fmt.Errorf("line %d: %s before the first FROM", in.Line, in.Cmd)
			}
			global = append(global, in)
			continue
		}
		stages[len(stages)-1].Instrs = append(stages[len(stages)-1].Instrs, in)
	}
	if len(stages) == 0 {
		return nil, nil, errors.New("no FROM")
	}
	return global, stages, nil
}

// shellWords splits a shell command line into words, honouring single and double quotes
// (enough for the RUN lines of our Dockerfile; it rejects what it does not understand).
func shellWords(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
		quote rune
	)
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case strings.ContainsRune("|&;<>`()", r):
			return nil, fmt.Errorf("shell metacharacter %q not supported in %q", r, s)
		default:
			cur.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// argDefaults collects `ARG NAME=default` declarations.
func argDefaults(instrs []dfInstr) map[string]string {
	out := map[string]string{}
	for _, in := range instrs {
		if in.Cmd != "ARG" {
			continue
		}
		for _, decl := range strings.Fields(in.Args) {
			name, def, _ := strings.Cut(decl, "=")
			out[name] = def
		}
	}
	return out
}

func loadDockerfile(t *testing.T) ([]dfInstr, []dfStage) {
	t.Helper()
	global, stages, err := parseDockerfile(string(readFile(t, filepath.Join(repoRoot, "Dockerfile"))))
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	return global, stages
}

// goBuild is the `go build` command of the build stage, split into its environment
// assignments and its arguments.
type goBuild struct {
	Env  map[string]string
	Args []string // after "go build"
}

func findGoBuild(t *testing.T, stages []dfStage) (dfStage, goBuild) {
	t.Helper()
	for _, st := range stages {
		for _, run := range st.all("RUN") {
			if !strings.Contains(run.Args, "go build") {
				continue
			}
			words, err := shellWords(run.Args)
			if err != nil {
				t.Fatalf("line %d: %v", run.Line, err)
			}
			// RUN's own flags (--mount=...) come first.
			for len(words) > 0 && strings.HasPrefix(words[0], "--") {
				words = words[1:]
			}
			gb := goBuild{Env: map[string]string{}}
			for len(words) > 0 && strings.Contains(words[0], "=") {
				k, v, _ := strings.Cut(words[0], "=")
				gb.Env[k] = v
				words = words[1:]
			}
			if len(words) < 2 || words[0] != "go" || words[1] != "build" {
				t.Fatalf("line %d: the build RUN must be `[VAR=value...] go build ...`, got %q", run.Line, run.Args)
			}
			gb.Args = words[2:]
			return st, gb
		}
	}
	t.Fatal("no RUN with `go build` in the Dockerfile")
	return dfStage{}, goBuild{}
}

func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// stampedVars are the build metadata variables of prometheus/common/version that the
// image must stamp, with the build ARG that feeds each.
var stampedVars = map[string]string{
	"Version":   "VERSION",
	"Revision":  "REVISION",
	"Branch":    "BRANCH",
	"BuildUser": "BUILD_USER",
	"BuildDate": "BUILD_DATE",
}

func TestDockerfileStructure(t *testing.T) {
	global, stages := loadDockerfile(t)
	buildStage, gb := findGoBuild(t, stages)

	if gb.Env["CGO_ENABLED"] != "0" {
		t.Errorf("build must set CGO_ENABLED=0 for a static binary, env is %v", gb.Env)
	}
	if !contains(gb.Args, "-trimpath") {
		t.Errorf("go build lacks -trimpath: %q", gb.Args)
	}
	ldflags, ok := flagValue(gb.Args, "-ldflags")
	if !ok {
		t.Fatalf("go build lacks -ldflags: %q", gb.Args)
	}
	declared := argDefaults(buildStage.Instrs)
	for v, arg := range stampedVars {
		want := fmt.Sprintf("-X github.com/prometheus/common/version.%s=${%s}", v, arg)
		if !strings.Contains(ldflags, want) {
			t.Errorf("ldflags do not stamp %s from build arg %s (want %q in %q)", v, arg, want, ldflags)
		}
		if _, ok := declared[arg]; !ok {
			t.Errorf("build arg %s is used in ldflags but not declared (ARG) in stage %q", arg, buildStage.Name)
		}
	}

	// The Go toolchain of the image is the one go.mod asks for.
	goMod := string(readFile(t, filepath.Join(repoRoot, "go.mod")))
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(goMod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	if got := argDefaults(global)["GO_VERSION"]; got != m[1] {
		t.Errorf("ARG GO_VERSION=%q, go.mod says go %s", got, m[1])
	}
	if !strings.Contains(buildStage.Base, "golang:${GO_VERSION}") {
		t.Errorf("build stage base %q does not use GO_VERSION", buildStage.Base)
	}

	runtimeStages := 0
	names := map[string]bool{}
	for _, st := range stages {
		names[st.Name] = true
		if st.Name == buildStage.Name {
			continue
		}
		runtimeStages++
		t.Run("stage "+st.Name, func(t *testing.T) {
			if !strings.HasPrefix(st.Base, "gcr.io/distroless/static") && st.Base != "scratch" {
				t.Errorf("runtime base %q is neither distroless static nor scratch", st.Base)
			}
			user, ok := st.last("USER")
			if !ok {
				t.Fatal("no USER: the image would run as root")
			}
			uid, gid, _ := strings.Cut(user.Args, ":")
			for _, id := range []string{uid, gid} {
				if id == "" {
					continue
				}
				n, err := strconv.Atoi(id)
				if err != nil {
					t.Errorf("USER %q is not numeric: Kubernetes' runAsNonRoot cannot verify a name", user.Args)
				} else if n == 0 {
					t.Errorf("USER %q is root", user.Args)
				}
			}
			ep, ok := st.last("ENTRYPOINT")
			if !ok {
				t.Fatal("no ENTRYPOINT")
			}
			bin := entrypointBinary(t, ep)
			if _, err := os.Stat(filepath.Join(repoRoot, "cmd", path.Base(bin))); err != nil {
				t.Errorf("ENTRYPOINT %s: no cmd/%s in the repository", bin, path.Base(bin))
			}
			for _, cp := range st.all("COPY") {
				words := strings.Fields(cp.Args)
				if !contains(words, "--from="+buildStage.Name) {
					t.Errorf("line %d: runtime stage copies %q from outside the build stage", cp.Line, cp.Args)
				}
				for _, w := range words {
					if owner, ok := strings.CutPrefix(w, "--chown="); ok && owner != user.Args {
						t.Errorf("line %d: files owned by %s, the process runs as %s", cp.Line, owner, user.Args)
					}
				}
			}
		})
	}
	if runtimeStages == 0 {
		t.Fatal("no runtime stage")
	}
	// The image exposes the exporter's default port.
	if expose, ok := stages[len(stages)-1].last("EXPOSE"); !ok || expose.Args != defaultPort(t) {
		t.Errorf("EXPOSE %q, the exporter's default port is %s", expose.Args, defaultPort(t))
	}
	// The default target (the last stage) is the exporter.
	lastEP, _ := stages[len(stages)-1].last("ENTRYPOINT")
	if got := entrypointBinary(t, lastEP); path.Base(got) != "secondme_error_exporter" {
		t.Errorf("default (last) stage runs %s, want secondme_error_exporter", got)
	}
	for _, dep := range []string{"build", "exporter"} {
		if !names[dep] {
			t.Errorf("no stage named %q (docker-compose and the README build it)", dep)
		}
	}
}

func entrypointBinary(t *testing.T, ep dfInstr) string {
	t.Helper()
	m := regexp.MustCompile(`^\[\s*"([^"]+)"`).FindStringSubmatch(ep.Args)
	if m == nil {
		t.Fatalf("line %d: ENTRYPOINT must use the exec form, got %q", ep.Line, ep.Args)
	}
	return m[1]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// dockerignore is the subset of .dockerignore syntax the file uses: path.Match patterns
// relative to the context root, `**` for any number of directories, trailing '/'
// ignored, and a pattern that matches a directory excluding everything below it. An
// exception (!) is rejected rather than half-implemented.
type dockerignore []*regexp.Regexp

func parseDockerignore(src string) (dockerignore, error) {
	var d dockerignore
	for i, line := range strings.Split(src, "\n") {
		p := strings.TrimSpace(line)
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		if strings.HasPrefix(p, "!") {
			return nil, fmt.Errorf("line %d: exceptions are not supported by this check", i+1)
		}
		p = strings.TrimSuffix(path.Clean(strings.TrimPrefix(p, "/")), "/")
		var re strings.Builder
		re.WriteString("^")
		for j := 0; j < len(p); j++ {
			switch c := p[j]; {
			case strings.HasPrefix(p[j:], "**/"):
				re.WriteString("(?:.*/)?")
				j += 2
			case strings.HasPrefix(p[j:], "**"):
				re.WriteString(".*")
				j++
			case c == '*':
				re.WriteString("[^/]*")
			case c == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString("(?:/.*)?$") // a matched directory excludes its contents
		rx, err := regexp.Compile(re.String())
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		d = append(d, rx)
	}
	return d, nil
}

func (d dockerignore) excluded(rel string) bool {
	for _, rx := range d {
		if rx.MatchString(rel) {
			return true
		}
	}
	return false
}

func TestDockerignore(t *testing.T) {
	d, err := parseDockerignore(string(readFile(t, filepath.Join(repoRoot, ".dockerignore"))))
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		"go.mod":                       false,
		"go.sum":                       false,
		"cmd/secondme_error_exporter":  false,
		".git/HEAD":                    true,
		"bin/secondme_error_exporter":  true,
		"parser/parser.test":           true,
		"deploy/kubernetes/x.yaml":     true,
		"parser/testdata/fuzz/FuzzX/1": true,
	} {
		if got := d.excluded(rel); got != want {
			t.Errorf("excluded(%q) = %v, want %v", rel, got, want)
		}
	}
}

// copyContext copies the repository into dst as `docker build` would send it.
func copyContext(t *testing.T, src, dst string, ign dockerignore) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if ign.excluded(rel) {
			if de.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if de.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !de.Type().IsRegular() {
			return nil // symlinks and sockets are not part of a Go build
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copy build context: %v", err)
	}
}

// TestDockerfileBuildReplay runs the Dockerfile's own go build command — its flags,
// ldflags and environment, with build args substituted — in a .dockerignore-filtered copy
// of the repository, then checks that the binary is static and reports the stamped
// version.
func TestDockerfileBuildReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every command: skipped with -short")
	}
	global, stages := loadDockerfile(t)
	buildStage, gb := findGoBuild(t, stages)
	ign, err := parseDockerignore(string(readFile(t, filepath.Join(repoRoot, ".dockerignore"))))
	if err != nil {
		t.Fatal(err)
	}

	args := argDefaults(global)
	for k, v := range argDefaults(buildStage.Instrs) {
		args[k] = v
	}
	buildArgs := map[string]string{
		"VERSION":    "9.8.7-e2e",
		"REVISION":   "0123456789abcdef",
		"BRANCH":     "deploy-test",
		"BUILD_USER": "tester@deploy",
		"BUILD_DATE": "20260102-03:04:05",
		// Build for the host so the result can be executed here.
		"TARGETOS":   runtime.GOOS,
		"TARGETARCH": runtime.GOARCH,
	}
	for k, v := range buildArgs {
		if _, ok := args[k]; !ok {
			t.Fatalf("build arg %s is not declared in the Dockerfile", k)
		}
		args[k] = v
	}
	expand := func(s string) string {
		return os.Expand(s, func(k string) string {
			v, ok := args[k]
			if !ok {
				t.Fatalf("undeclared variable $%s in the build command", k)
			}
			return v
		})
	}

	ctx := t.TempDir()
	copyContext(t, repoRoot, ctx, ign)
	out := t.TempDir()
	var cmdArgs []string
	for i := 0; i < len(gb.Args); i++ {
		a := expand(gb.Args[i])
		if a == "-o" && i+1 < len(gb.Args) {
			// The image writes to /out/; keep the trailing slash (a directory for ./...).
			cmdArgs = append(cmdArgs, "-o", out+string(filepath.Separator))
			i++
			continue
		}
		cmdArgs = append(cmdArgs, a)
	}
	cmd := exec.Command("go", append([]string{"build"}, cmdArgs...)...)
	cmd.Dir = ctx
	cmd.Env = os.Environ()
	for k, v := range gb.Env {
		cmd.Env = append(cmd.Env, k+"="+expand(v))
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", strings.Join(cmdArgs, " "), err, b)
	}

	exporter := filepath.Join(out, "secondme_error_exporter")
	assertStatic(t, exporter)
	b, err := exec.Command(exporter, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --version: %v\n%s", exporter, err, b)
	}
	version := string(b)
	for _, want := range []string{
		"version 9.8.7-e2e", "branch: deploy-test", "revision: 0123456789abcdef",
		"tester@deploy", "20260102-03:04:05",
	} {
		if !strings.Contains(version, want) {
			t.Errorf("--version output lacks %q:\n%s", want, version)
		}
	}
	// Everything the runtime stages copy and run was built.
	for _, st := range stages {
		if ep, ok := st.last("ENTRYPOINT"); ok {
			if _, err := os.Stat(filepath.Join(out, path.Base(entrypointBinary(t, ep)))); err != nil {
				t.Errorf("stage %s runs a binary the build does not produce: %v", st.Name, err)
			}
		}
	}
}

// assertStatic fails unless the ELF file has no interpreter and no shared libraries:
// it must run on distroless/static and scratch.
func assertStatic(t *testing.T, file string) {
	t.Helper()
	f, err := elf.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s has an ELF interpreter: not a static binary", file)
		}
	}
	if libs, err := f.ImportedLibraries(); err == nil && len(libs) > 0 {
		t.Errorf("%s links shared libraries %v", file, libs)
	}
}

func TestParseDockerfileErrors(t *testing.T) {
	for name, src := range map[string]string{
		"no FROM":                 "ARG X=1\n",
		"instruction before FROM": "RUN true\nFROM scratch\n",
		"dangling continuation":   "FROM scratch\nRUN true \\\n",
		"bad FROM":                "FROM a b c d\n",
	} {
		if _, _, err := parseDockerfile(src); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, st, err := parseDockerfile("# c\nFROM --platform=$X golang AS b\nRUN a \\\n  # inner comment\n  b\nFROM scratch\nUSER 1:1\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[0].Name != "b" || st[0].Base != "golang" || st[0].Instrs[0].Args != "a  b" || st[1].Instrs[0].Args != "1:1" {
		t.Errorf("parsed %+v", st)
	}
}
