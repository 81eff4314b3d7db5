package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxMetaPartSize bounds the small XML parts this package reads itself (the
// package and workbook relationships, workbook.xml).
const maxMetaPartSize = 16 << 20

// findPart returns the zip entry with the given name, compared without case
// and with backslashes as slashes, as Excel tolerates both.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			return f
		}
	}
	return nil
}

// decodePart unmarshals a small XML part.
func decodePart(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("opening %s: %w", f.Name, err)
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, maxMetaPartSize)).Decode(v); err != nil {
		return fmt.Errorf("decoding %s: %w", f.Name, err)
	}
	return nil
}

type xmlRelationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		// RID is r:id; encoding/xml matches the local name whatever the prefix.
		RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

// resolveTarget turns a relationship target into a zip part name.
func resolveTarget(baseDir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return path.Clean(path.Join(baseDir, target))
}

// worksheetParts maps each worksheet's name to its zip part, following
// _rels/.rels to the workbook and the workbook's relationships to the
// sheets. Chart sheets and dialog sheets have no entry.
func worksheetParts(zr *zip.Reader) (map[string]*zip.File, error) {
	wbName := "xl/workbook.xml"
	if f := findPart(zr, "_rels/.rels"); f != nil {
		var rels xmlRelationships
		if err := decodePart(f, &rels); err != nil {
			return nil, err
		}
		for _, r := range rels.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbName = resolveTarget("", r.Target)
			}
		}
	}
	wbFile := findPart(zr, wbName)
	if wbFile == nil {
		return nil, fmt.Errorf("%w: the zip archive holds no %s", ErrNotXLSX, wbName)
	}
	var wb xmlWorkbook
	if err := decodePart(wbFile, &wb); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotXLSX, err)
	}
	dir, file := path.Split(wbName)
	targets := map[string]string{}
	if f := findPart(zr, dir+"_rels/"+file+".rels"); f != nil {
		var rels xmlRelationships
		if err := decodePart(f, &rels); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotXLSX, err)
		}
		for _, r := range rels.Rels {
			if strings.HasSuffix(r.Type, "/worksheet") {
				targets[r.ID] = resolveTarget(dir, r.Target)
			}
		}
	}
	parts := make(map[string]*zip.File, len(wb.Sheets))
	for _, s := range wb.Sheets {
		if t, ok := targets[s.RID]; ok {
			if f := findPart(zr, t); f != nil {
				parts[s.Name] = f
			}
		}
	}
	return parts, nil
}
