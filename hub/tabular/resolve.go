package tabular

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings"
)

// BuiltinMappingName is what a preview reports as its mapping when the
// message named none and the partner has no default for the doctype.
const BuiltinMappingName = "built-in"

// chosen is the mapping a message is read with.
type chosen struct {
	m *mappings.Mapping
	// name is the partner mapping's name, or BuiltinMappingName.
	name string
}

// rejectFile reports whether one bad row refuses the whole file.
func (c chosen) rejectFile() bool { return c.m.OnError == mappings.OnErrorRejectFile }

// onError is the mapping's policy, with the engine's default spelt out.
func (c chosen) onError() string {
	if c.m.OnError == "" {
		return mappings.OnErrorImportValid
	}
	return c.m.OnError
}

// mapping picks the mapping for msg: the partner mapping the message
// names, else the partner's default for the doctype, else the built-in
// one. Every refusal is a hub.DataErrors (the message cannot succeed as
// it is).
func (d *decoder) mapping(msg store.Message) (chosen, error) {
	if !slices.Contains(mappings.DocTypes, msg.Doctype) {
		return chosen{}, hub.DataErrors{{Code: "doctype", Reason: fmt.Sprintf(
			"a %s file can hold %s, not %s", d.format, strings.Join(mappings.DocTypes, ", "), msg.Doctype)}}
	}
	cfg := d.config()
	var c chosen
	switch pm, ok := cfg.Mapping(msg.Partner, msg.Mapping); {
	case msg.Mapping != "" && !ok:
		names := cfg.MappingNames(msg.Partner)
		has := "it has none; register one under the partner's mappings: in the hub config"
		if len(names) > 0 {
			has = "it has " + strings.Join(names, ", ")
		}
		return chosen{}, hub.DataErrors{{Code: "mapping", Reason: fmt.Sprintf(
			"partner %s has no mapping named %q: %s", msg.Partner, msg.Mapping, has)}}
	case msg.Mapping != "" && pm.Doctype() != msg.Doctype:
		return chosen{}, hub.DataErrors{{Code: "mapping", Reason: fmt.Sprintf(
			"mapping %q of partner %s builds %s documents, but the message is a %s", msg.Mapping, msg.Partner, pm.Doctype(), msg.Doctype)}}
	case msg.Mapping != "":
		c = chosen{m: pm.Mapping, name: pm.Name}
	default:
		if pm, ok := cfg.DefaultMapping(msg.Partner, msg.Doctype); ok {
			c = chosen{m: pm.Mapping, name: pm.Name}
		} else {
			c = chosen{m: BuiltinMapping(msg.Doctype), name: BuiltinMappingName}
		}
	}
	if d.format == FormatCSV && c.m.Sheet != "" {
		// A CSV file is one table: a mapping written for the workbook form
		// of a partner's file reads its CSV form too.
		m := *c.m
		m.Sheet = ""
		c.m = &m
	}
	return c, nil
}

// BuiltinMapping is the mapping engine's default mapping for doctype, with
// the columns the hub routes by (a stock level names the supplier that may
// see it). Like every mapping that says nothing else, it imports the valid
// rows and records the rejected ones (on_error: import_valid), so a
// supplier's first file goes in with no configuration and every bad row
// comes back located; a partner that wants all or nothing says
// on_error: reject_file in its mapping.
func BuiltinMapping(doctype string) *mappings.Mapping {
	m := mappings.DefaultMapping(doctype)
	m.OnError = mappings.OnErrorImportValid
	if doctype == "stock_level" {
		m.Fields = map[string]mappings.Field{
			"supplier": {Column: mappings.Strings{"供应商", "供应商编码", "供应商代码", "Supplier", "Supplier ID"}},
		}
	}
	return m
}
