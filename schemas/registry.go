package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// files holds the schema sources: v1/<doctype>.json, v1/common.json,
// config/hub.json and config/mapping.json.
//
//go:embed v1/*.json config/*.json
var files embed.FS

// RootURL prefixes every schema's $id; the rest of the $id is the schema's
// path in Files.
const RootURL = "https://dealerhub.dev/schemas/"

// BaseURL prefixes every canonical document schema's $id:
// BaseURL + "order.json" is the order schema.
const BaseURL = RootURL + "v1/"

// ConfigURL is the $id of the hub config schema.
const ConfigURL = RootURL + "config/hub.json"

// MappingURL is the $id of the spreadsheet mapping file schema.
const MappingURL = RootURL + "config/mapping.json"

// ErrUnknownDocType is returned (wrapped) for a document type outside DocTypes.
var ErrUnknownDocType = errors.New("unknown document type")

// ErrMalformedJSON is returned (wrapped) when bytes to validate are not one
// JSON value.
var ErrMalformedJSON = errors.New("malformed JSON")

// Files returns the embedded schema sources, laid out as their $id paths
// below RootURL (v1/order.json, v1/common.json, config/hub.json), for
// serving or publishing them.
func Files() fs.FS { return files }

// Registry holds the canonical document schemas and the hub config schema,
// compiled once. It is immutable and safe for concurrent use.
type Registry struct {
	docs map[string]*jsonschema.Schema
	// priceLine is the price_list schema's line, compiled on its own so a
	// spreadsheet row can be checked without a document around it.
	priceLine *jsonschema.Schema
	config    *jsonschema.Schema
	mapping   *jsonschema.Schema
	hints     hints
}

// New compiles every embedded schema. Build one Registry at start and pass
// it to whoever validates.
func New() (*Registry, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	h := hints{expect: map[string]string{}, reason: map[string]string{}, props: map[string][]string{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return fmt.Errorf("reading schema %s: %w", p, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("decoding schema %s: %w", p, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if want := RootURL + p; id != want {
			return fmt.Errorf("schema %s has $id %q, want %q", p, id, want)
		}
		if err := c.AddResource(id, doc); err != nil {
			return fmt.Errorf("adding schema %s: %w", p, err)
		}
		h.collect(id+"#", doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading schemas: %w", err)
	}
	r := &Registry{docs: make(map[string]*jsonschema.Schema, len(DocTypes)), hints: h}
	for _, dt := range DocTypes {
		s, err := c.Compile(BaseURL + dt + ".json")
		if err != nil {
			return nil, fmt.Errorf("compiling %s schema: %w", dt, err)
		}
		r.docs[dt] = s
	}
	if r.priceLine, err = c.Compile(BaseURL + "price_list.json#/properties/lines/items"); err != nil {
		return nil, fmt.Errorf("compiling the price list line schema: %w", err)
	}
	if r.config, err = c.Compile(ConfigURL); err != nil {
		return nil, fmt.Errorf("compiling config schema: %w", err)
	}
	if r.mapping, err = c.Compile(MappingURL); err != nil {
		return nil, fmt.Errorf("compiling mapping schema: %w", err)
	}
	return r, nil
}

// Validate checks doc against the schema of doctype and returns every
// violation, sorted by pointer; nil means the document is valid. doc is a
// value decoded by encoding/json (with or without UseNumber); other Go
// values (structs such as Order, YAML trees) are converted through JSON
// first. doc is never modified. An unknown doctype is reported as a single
// violation at the root.
func (r *Registry) Validate(doctype string, doc any) []Violation {
	s, ok := r.docs[doctype]
	if !ok {
		return []Violation{{Pointer: "", Reason: fmt.Sprintf("unknown document type %q; want one of %s", doctype, strings.Join(DocTypes, ", "))}}
	}
	return r.validate(s, "document", doc)
}

// ValidatePriceLine checks one price-list line (an element of a
// price_list's "lines") on its own, as a spreadsheet row is mapped: the
// same rules and reasons as Validate gives under /lines/N, with pointers
// relative to the line. It costs a fraction of validating a document built
// around the line.
func (r *Registry) ValidatePriceLine(line any) []Violation {
	return r.validate(r.priceLine, "line", line)
}

// ValidateJSON decodes b and validates it as doctype. The error is
// ErrUnknownDocType or ErrMalformedJSON (wrapped, with the byte offset of
// the problem); violations of a well-formed document are not errors.
func (r *Registry) ValidateJSON(doctype string, b []byte) ([]Violation, error) {
	s, ok := r.docs[doctype]
	if !ok {
		return nil, fmt.Errorf("validating %q: %w", doctype, ErrUnknownDocType)
	}
	doc, err := decodeJSON(b)
	if err != nil {
		return nil, fmt.Errorf("validating %s: %w", doctype, err)
	}
	return r.validate(s, "document", doc), nil
}

// ValidateConfig checks a hub config tree (YAML or JSON decoded to generic
// values) against schemas/config/hub.json and returns every violation; an
// unknown key is reported with its own pointer and name.
func (r *Registry) ValidateConfig(doc any) []Violation {
	return r.validate(r.config, "config", doc)
}

// ValidateMapping checks a mapping file tree (YAML or JSON decoded to
// generic values) against schemas/config/mapping.json and returns every
// violation; an unknown key is reported with its own pointer and name.
func (r *Registry) ValidateMapping(doc any) []Violation {
	return r.validate(r.mapping, "mapping", doc)
}

func (r *Registry) validate(s *jsonschema.Schema, root string, doc any) []Violation {
	v, err := jsonValue(doc)
	if err != nil {
		return []Violation{{Pointer: "", Reason: fmt.Sprintf("%s cannot be read as JSON: %v", root, err)}}
	}
	err = s.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Violation{{Pointer: "", Reason: err.Error()}}
	}
	return r.hints.violations(ve, v, root)
}

// decodeJSON reads exactly one JSON value, numbers as json.Number.
func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%w at byte offset %d: %v", ErrMalformedJSON, se.Offset, se)
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w: empty input", ErrMalformedJSON)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, fmt.Errorf("%w at byte offset %d: unexpected end of input", ErrMalformedJSON, len(b))
		default:
			return nil, fmt.Errorf("%w at byte offset %d: %v", ErrMalformedJSON, dec.InputOffset(), err)
		}
	}
	off := dec.InputOffset()
	if rest := bytes.TrimLeft(b[off:], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("%w at byte offset %d: unexpected data after the JSON value", ErrMalformedJSON, len(b)-len(rest))
	}
	return v, nil
}
