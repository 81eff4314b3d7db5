package portal

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

// schemaBuilder turns the Go types the handlers write into JSON Schemas
// (2020-12, as OpenAPI 3.1 uses them), following encoding/json's rules:
// json tags name the fields, omitempty fields are optional, an embedded
// struct's fields are inlined unless an outer field has the same name, nil
// slices, maps and pointers are null. Named structs become components, so
// the document describes exactly what the API sends.
type schemaBuilder struct {
	components map[string]any
	names      map[reflect.Type]string
}

func newSchemaBuilder() *schemaBuilder {
	return &schemaBuilder{components: map[string]any{}, names: map[reflect.Type]string{}}
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
)

// ref returns the schema of v's type.
func (b *schemaBuilder) ref(v any) map[string]any { return b.schema(reflect.TypeOf(v)) }

// list returns the schema of a ListResponse of v's type.
func (b *schemaBuilder) list(v any) map[string]any {
	return map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"items", "next_cursor"},
		"properties": map[string]any{
			"items":       map[string]any{"type": "array", "items": b.ref(v)},
			"next_cursor": map[string]any{"type": "string", "description": "The cursor of the next page; empty on the last page."},
		},
	}
}

func nullable(s map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

func (b *schemaBuilder) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawJSONType:
		return map[string]any{"description": "Any JSON value (a canonical document body)."}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(b.schema(t.Elem()))
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return nullable(map[string]any{"type": "string", "contentEncoding": "base64"})
		}
		return nullable(map[string]any{"type": "array", "items": b.schema(t.Elem())})
	case reflect.Map:
		return nullable(map[string]any{"type": "object", "additionalProperties": b.schema(t.Elem())})
	case reflect.Struct:
		return b.structRef(t)
	}
	return map[string]any{} // interfaces: any JSON value
}

// structRef registers a named struct as a component and refers to it;
// anonymous structs are inlined.
func (b *schemaBuilder) structRef(t reflect.Type) map[string]any {
	if t.Name() == "" {
		return b.object(t)
	}
	name, ok := b.names[t]
	if !ok {
		name = t.Name()
		if i := strings.IndexByte(name, '['); i >= 0 {
			name = name[:i]
		}
		for taken := true; taken; {
			taken = false
			for other, n := range b.names {
				if n == name && other != t {
					name = strings.ReplaceAll(t.PkgPath()[strings.LastIndexByte(t.PkgPath(), '/')+1:], ".", "_") + "_" + name
					taken = true
					break
				}
			}
		}
		b.names[t] = name
		b.components[name] = map[string]any{} // placeholder for recursion
		b.components[name] = b.object(t)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// object describes a struct's JSON object.
func (b *schemaBuilder) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	b.fields(t, props, &required)
	return map[string]any{"type": "object", "additionalProperties": false, "properties": props, "required": required}
}

// fields adds t's fields: its own first, then those of embedded structs
// whose names no outer field took (encoding/json's rule for the usual
// cases).
func (b *schemaBuilder) fields(t reflect.Type, props map[string]any, required *[]string) {
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := props[name]; taken {
			continue
		}
		props[name] = b.schema(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
	for _, et := range embedded {
		b.fields(et, props, required)
	}
}
