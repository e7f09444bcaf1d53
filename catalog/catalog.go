// Package catalog is the SecondMe error catalog: the 44 codes of the SecondMe API
// error reference embedded as catalog.yaml, optionally extended or overridden by a
// strict user file, the error_code grammar, and the classification of a logged
// (error_code, code) pair into module / resource / reason / status class / mismatch.
package catalog

import (
	_ "embed"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
)

//go:embed catalog.yaml
var embedded []byte

// EmbeddedYAML returns the embedded catalog file, the format a user file follows.
func EmbeddedYAML() []byte { return slices.Clone(embedded) }

// Entry is one error code of the catalog. Entries are shared: callers must not modify them.
type Entry struct {
	Code          string // "oauth2.token.expired"
	Status        int    // HTTP status from the reference, 100..599
	Section       string // section of the reference: generic, apikey, oauth2.token, ..., secondme, system
	DescriptionZH string // the reference's (Chinese) description
	Description   string // English description
	Action        string // recommended client action, human readable

	// Derived by Split, not stored in YAML.
	Module, Resource, Reason string
}

// Catalog is an immutable set of entries keyed by code. It is safe for concurrent use.
type Catalog struct {
	byCode  map[string]*Entry
	sorted  []*Entry
	modules map[string]struct{}
	// resources: "module.resource" of every code with a resource of its own
	// (three or more segments), the resource's dots as underscores.
	resources map[string]struct{}
}

var defaultCatalog = sync.OnceValue(func() *Catalog {
	entries, err := decode("catalog.yaml", embedded, nil)
	if err != nil {
		// The embedded file is program data checked by the tests, not input.
		panic(fmt.Sprintf("catalog: embedded catalog.yaml is invalid: %v", err))
	}
	return build(nil, entries)
})

// Default returns the embedded catalog (the SecondMe error reference).
func Default() *Catalog { return defaultCatalog() }

// LoadFile returns Default() extended and overridden by the user catalog file at path.
// Loading is strict: unknown fields, duplicate codes, a status outside 100..599 and
// a code that breaks the grammar are errors naming the file and line.
func LoadFile(path string) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return Load(path, data)
}

// Load is LoadFile on data already read; name is used in error messages.
func Load(name string, data []byte) (*Catalog, error) {
	base := Default()
	entries, err := decode(name, data, base)
	if err != nil {
		return nil, err
	}
	return build(base, entries), nil
}

// build merges user entries over base (nil for none). A user entry for a code that
// exists in base keeps base's values for the fields the user left out.
func build(base *Catalog, user []*userEntry) *Catalog {
	c := &Catalog{byCode: make(map[string]*Entry, 64), modules: make(map[string]struct{}), resources: make(map[string]struct{})}
	if base != nil {
		for code, e := range base.byCode {
			c.byCode[code] = e
		}
	}
	for _, u := range user {
		e := &Entry{}
		if old, ok := c.byCode[u.Code]; ok {
			*e = *old
		}
		e.Code = u.Code
		if u.set&setStatus != 0 {
			e.Status = u.Status
		}
		if u.set&setSection != 0 {
			e.Section = u.Section
		}
		if u.set&setDescriptionZH != 0 {
			e.DescriptionZH = u.DescriptionZH
		}
		if u.set&setDescription != 0 {
			e.Description = u.Description
		}
		if u.set&setAction != 0 {
			e.Action = u.Action
		}
		e.Module, e.Resource, e.Reason = Split(e.Code)
		if e.Section == "" {
			// A new code whose section the user did not name: its module is the best guess.
			e.Section = e.Module
		}
		c.byCode[e.Code] = e
	}
	c.sorted = make([]*Entry, 0, len(c.byCode))
	for _, e := range c.byCode {
		c.sorted = append(c.sorted, e)
		c.modules[e.Module] = struct{}{}
		if e.Resource != GeneralResource {
			c.resources[e.Module+"."+strings.ReplaceAll(e.Resource, ".", "_")] = struct{}{}
		}
	}
	slices.SortFunc(c.sorted, func(a, b *Entry) int { return strings.Compare(a.Code, b.Code) })
	return c
}

// Lookup returns the entry for code.
func (c *Catalog) Lookup(code string) (*Entry, bool) {
	e, ok := c.byCode[code]
	return e, ok
}

// LookupBytes is Lookup without allocating: the returned Entry.Code is the interned
// string a caller should use instead of converting code.
func (c *Catalog) LookupBytes(code []byte) (*Entry, bool) {
	e, ok := c.byCode[string(code)] // the compiler does not allocate for a map index
	return e, ok
}

// HasModule reports whether some catalog code has module as its first segment.
func (c *Catalog) HasModule(module []byte) bool {
	_, ok := c.modules[string(module)]
	return ok
}

// HasResource reports whether some catalog code of three or more segments has
// the module and resource of moduleResource, "module.resource" with the
// resource's own dots written as underscores ("oauth2.token",
// "oauth2.refresh_token"; not "internal.error", whose code has no resource of
// its own): what a code in constant style (OAUTH2_REFRESH_TOKEN_REVOKED)
// starts with.
func (c *Catalog) HasResource(moduleResource []byte) bool {
	_, ok := c.resources[string(moduleResource)]
	return ok
}

// Entries returns all entries sorted by Code. The slice is a copy; the entries are shared.
func (c *Catalog) Entries() []*Entry { return slices.Clone(c.sorted) }

// Len is the number of codes in the catalog.
func (c *Catalog) Len() int { return len(c.sorted) }
