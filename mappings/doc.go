// Package mappings turns the neutral records that formats produce
// (connectors.Record: spreadsheet rows, EDI segment groups, partners' own
// JSON) into canonical documents, and canonical documents back into records
// for outbound formats. Canonical JSON needs no mapping: the hub validates it
// against schemas directly. The declarative per-partner mapping engine and
// the built-in X12/EDIFACT mappings live here.
package mappings
