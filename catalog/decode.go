package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"gopkg.in/yaml.v3"
)

// userEntry is one decoded entry plus which fields the file set, so that an
// override keeps the embedded values of the fields it leaves out.
type userEntry struct {
	Entry
	set  uint8
	line int
}

const (
	setStatus uint8 = 1 << iota
	setSection
	setDescriptionZH
	setDescription
	setAction
)

var entryFields = []struct {
	name string
	bit  uint8
}{
	{"code", 0},
	{"status", setStatus},
	{"section", setSection},
	{"description_zh", setDescriptionZH},
	{"description", setDescription},
	{"action", setAction},
}

// maxReportedErrors bounds the joined error of a badly broken file.
const maxReportedErrors = 10

type decodeErrors struct {
	name string
	errs []error
}

func (d *decodeErrors) addf(line int, format string, args ...any) {
	if len(d.errs) < maxReportedErrors {
		d.errs = append(d.errs, fmt.Errorf("%s:%d: %s", d.name, line, fmt.Sprintf(format, args...)))
	}
}

func (d *decodeErrors) wrapf(line int, err error, format string, args ...any) {
	if len(d.errs) < maxReportedErrors {
		d.errs = append(d.errs, fmt.Errorf("%s:%d: %s: %w", d.name, line, fmt.Sprintf(format, args...), err))
	}
}

// decode parses a catalog file strictly. With base nil (the embedded reference)
// every field of every entry is required; a user file needs only code, plus
// status for a code that is not in base.
func decode(name string, data []byte, base *Catalog) ([]*userEntry, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // an empty file adds nothing
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, fmt.Errorf("%s:%d: more than one YAML document", name, line)
	}
	d := &decodeErrors{name: name}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: top level must be a mapping with key \"codes\"", name, root.Line)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "codes" {
			d.addf(k.Line, "unknown top-level field %q (want \"codes\")", k.Value)
			continue
		}
		if list != nil {
			d.addf(k.Line, "duplicate top-level field \"codes\"")
			continue
		}
		list = v
	}
	var out []*userEntry
	if list != nil && !(list.Kind == yaml.ScalarNode && list.Tag == "!!null") {
		if list.Kind != yaml.SequenceNode {
			d.addf(list.Line, "\"codes\" must be a list of entries")
		} else {
			out = decodeList(d, list, base)
		}
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return out, nil
}

func decodeList(d *decodeErrors, list *yaml.Node, base *Catalog) []*userEntry {
	firstLine := make(map[string]int, len(list.Content))
	out := make([]*userEntry, 0, len(list.Content))
	for _, item := range list.Content {
		if item.Kind != yaml.MappingNode {
			d.addf(item.Line, "entry must be a mapping")
			continue
		}
		u, ok := decodeEntry(d, item, base)
		if !ok {
			continue
		}
		if first, dup := firstLine[u.Code]; dup {
			d.addf(u.line, "duplicate code %q (first defined at line %d)", u.Code, first)
			continue
		}
		firstLine[u.Code] = u.line
		out = append(out, u)
	}
	return out
}

func decodeEntry(d *decodeErrors, item *yaml.Node, base *Catalog) (*userEntry, bool) {
	u := &userEntry{line: item.Line}
	seen := map[string]int{}
	ok := true
	var codeNode, statusNode *yaml.Node
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		bit, known := uint8(0), false
		for _, f := range entryFields {
			if f.name == k.Value {
				bit, known = f.bit, true
			}
		}
		if !known {
			d.addf(k.Line, "unknown field %q", k.Value)
			ok = false
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.addf(k.Line, "duplicate field %q (first at line %d)", k.Value, first)
			ok = false
			continue
		}
		seen[k.Value] = k.Line
		if v.Kind != yaml.ScalarNode {
			d.addf(v.Line, "field %q must be a scalar", k.Value)
			ok = false
			continue
		}
		switch k.Value {
		case "code":
			codeNode = v
			u.Code = v.Value
		case "status":
			statusNode = v
			n, err := strconv.Atoi(v.Value)
			if v.Tag != "!!int" || err != nil {
				d.addf(v.Line, "status %q is not an integer", v.Value)
				ok = false
				continue
			}
			u.Status = n
		case "section":
			u.Section = v.Value
		case "description_zh":
			u.DescriptionZH = v.Value
		case "description":
			u.Description = v.Value
		case "action":
			u.Action = v.Value
		}
		u.set |= bit
	}
	if codeNode == nil {
		d.addf(item.Line, "entry has no \"code\"")
		return nil, false
	}
	if err := ValidateString(u.Code); err != nil {
		d.wrapf(codeNode.Line, err, "invalid code %q", u.Code)
		ok = false
	}
	if statusNode != nil && u.set&setStatus != 0 && !IsHTTPStatus(u.Status) {
		d.addf(statusNode.Line, "status %d of %q is outside 100..599", u.Status, u.Code)
		ok = false
	}
	if base == nil {
		for _, f := range entryFields {
			if _, has := seen[f.name]; !has {
				d.addf(item.Line, "code %q has no %q", u.Code, f.name)
				ok = false
			}
		}
	} else if statusNode == nil {
		if _, known := base.Lookup(u.Code); !known {
			d.addf(item.Line, "new code %q needs a \"status\"", u.Code)
			ok = false
		}
	}
	if u.set&setSection != 0 && u.Section == "" {
		d.addf(item.Line, "code %q has an empty \"section\"", u.Code)
		ok = false
	}
	return u, ok
}
