package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkJSONContentType accepts application/json with an optional UTF-8
// charset and nothing else.
func checkJSONContentType(header string) error {
	unsupported := &Error{
		Status:  http.StatusUnsupportedMediaType,
		Code:    CodeUnsupportedMediaType,
		Message: "Content-Type must be application/json (optionally with charset=utf-8)",
	}
	if header == "" {
		return unsupported
	}
	mediaType, params, err := mime.ParseMediaType(header)
	if err != nil || mediaType != "application/json" {
		return unsupported
	}
	for k, v := range params {
		utf8Charset := strings.EqualFold(v, "utf-8") || strings.EqualFold(v, "utf8")
		if k != "charset" || !utf8Charset {
			return unsupported
		}
	}
	return nil
}

// readBody reads the whole request body within the limit NewAPI set.
func (a *api) readBody(r *http.Request) ([]byte, error) {
	tooLarge := &Error{
		Status:  http.StatusRequestEntityTooLarge,
		Code:    CodeBodyTooLarge,
		Message: "the body exceeds the limit of " + strconv.FormatInt(a.maxBody, 10) + " bytes",
	}
	if r.ContentLength > a.maxBody {
		return nil, tooLarge
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return nil, tooLarge
		}
		// The client stopped sending: its problem, not ours.
		return nil, badRequest("reading the request body: %v", err)
	}
	return body, nil
}

// splitDocuments checks that body is one JSON object or a non-empty array
// of objects and returns the objects' bytes. Errors say where the problem
// is: line, column and byte offset for malformed JSON, the element's index
// for a non-object.
func splitDocuments(body []byte) ([]json.RawMessage, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a UTF-8 BOM some tools write
	if !utf8.Valid(body) {
		off := invalidUTF8Offset(body)
		line, col := position(body, off)
		return nil, badRequest("the body is not valid UTF-8 at line %d, column %d (byte offset %d)", line, col, off)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, badRequest("the body is empty; send a JSON object or an array of objects")
	}
	var raw json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset counts the bytes read, the bad one included.
			at := max(int(syn.Offset)-1, 0)
			line, col := position(body, at)
			return nil, badRequest("malformed JSON at line %d, column %d (byte offset %d): %v", line, col, at, syn)
		}
		return nil, badRequest("malformed JSON: %v", err)
	}
	switch trimmed[0] {
	case '{':
		return []json.RawMessage{json.RawMessage(trimmed)}, nil
	case '[':
		var docs []json.RawMessage
		if err := json.Unmarshal(trimmed, &docs); err != nil {
			return nil, badRequest("malformed JSON array: %v", err)
		}
		if len(docs) == 0 {
			return nil, badRequest("the array is empty; send at least one document")
		}
		var details []ErrorDetail
		for i, d := range docs {
			if len(d) == 0 || d[0] != '{' {
				details = append(details, ErrorDetail{Pointer: "/" + strconv.Itoa(i), Reason: "must be a JSON object"})
			}
		}
		if len(details) > 0 {
			e := badRequest("every element of the array must be a JSON object")
			e.Details = details
			return nil, e
		}
		return docs, nil
	default:
		return nil, badRequest("the body must be a JSON object or an array of objects")
	}
}

// position returns the 1-based line and column (in bytes) of offset in b.
func position(b []byte, offset int) (line, col int) {
	offset = min(offset, len(b))
	before := b[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = offset - bytes.LastIndexByte(before, '\n')
	return line, col
}

// invalidUTF8Offset returns the offset of the first byte that is not part of
// a valid UTF-8 sequence.
func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
