package sftp

import (
	"fmt"
	"mime"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/dealerhub/dealerhub/connectors"
)

// placeholders are the names a file-name template may use.
var placeholders = map[string]bool{
	"doctype": true, "external_id": true, "delivery_id": true, "document_id": true,
	"version": true, "sender": true, "receiver": true, "format": true, "ext": true,
}

// checkTemplate reports a template that names an unknown placeholder, has an
// unclosed brace, or cannot tell two deliveries apart.
func checkTemplate(tmpl string) error {
	_, err := render(tmpl, func(name string) (string, bool) { return name, placeholders[name] })
	if err != nil {
		return err
	}
	if !strings.Contains(tmpl, "{delivery_id}") && !strings.Contains(tmpl, "{document_id}") {
		return fmt.Errorf("%q must contain {delivery_id} or {document_id}, or deliveries would overwrite each other", tmpl)
	}
	if strings.Contains(tmpl, "/") {
		return fmt.Errorf("%q must be a file name, without /", tmpl)
	}
	return nil
}

// render replaces each {name} in tmpl with value(name).
func render(tmpl string, value func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for rest := tmpl; rest != ""; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:open])
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("%q has a { without its }", tmpl)
		}
		name := rest[open+1 : open+end]
		v, ok := value(name)
		if !ok {
			return "", fmt.Errorf("%q names {%s}, which is not one of {doctype}, {external_id}, {delivery_id}, {document_id}, {version}, {sender}, {receiver}, {format}, {ext}", tmpl, name)
		}
		b.WriteString(v)
		rest = rest[open+end+1:]
	}
	return b.String(), nil
}

// FileName renders an upload template for one outbound document. Values are
// made safe for a file name (no /, \, control or shell-special characters),
// and a leading dot is replaced, so the file is never hidden from a poller.
func FileName(tmpl string, out connectors.Outbound) (string, error) {
	if tmpl == "" {
		tmpl = DefaultNameTemplate
	}
	values := map[string]string{
		"doctype": out.Doctype, "external_id": out.ExternalID, "delivery_id": out.DeliveryID,
		"document_id": out.DocumentID, "version": strconv.Itoa(out.Version), "sender": out.Sender,
		"receiver": out.Receiver, "format": out.Format, "ext": Extension(out.Format, out.ContentType),
	}
	name, err := render(tmpl, func(k string) (string, bool) {
		v, ok := values[k]
		return safeName(v), ok
	})
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(name, ".") {
		name = "_" + name[1:]
	}
	if name == "" || path.Base(name) != name {
		return "", fmt.Errorf("template %q gives the unusable file name %q", tmpl, name)
	}
	return name, nil
}

// safeName replaces the characters a file name must not hold.
func safeName(v string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, v)
}

// Extension returns the file extension for a route format ("x12-850" →
// "x12", "edifact-orders" → "edi"), falling back to the content type.
func Extension(format, contentType string) string {
	family, _, _ := strings.Cut(strings.ToLower(format), "-")
	switch family {
	case "json", "csv", "xlsx", "x12", "xml":
		return family
	case "edifact":
		return "edi"
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			return "json"
		case mt == "text/csv":
			return "csv"
		case strings.HasSuffix(mt, "spreadsheetml.sheet"):
			return "xlsx"
		}
	}
	return "dat"
}

// FormatOf guesses a decoder from a file name: .xlsx/.xlsm → xlsx,
// .csv/.txt → csv, .json → json, .edi/.x12 → x12; "" when unknown.
func FormatOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx", ".xlsm":
		return "xlsx"
	case ".csv", ".txt":
		return "csv"
	case ".json":
		return "json"
	case ".edi", ".x12":
		return "x12"
	}
	return ""
}
