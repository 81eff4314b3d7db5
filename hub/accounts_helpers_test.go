package hub_test

import (
	"crypto/sha256"
	"fmt"
)

func sha(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}

func toString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}
