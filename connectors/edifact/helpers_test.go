package edifact_test

import (
	"os"
	"path/filepath"
	"testing"
)

// samplesDir returns the shared EDI samples folder: it skips the test
// when the folder is absent, and fails it when CI=true.
func samplesDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "edi-samples")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the EDI samples folder %s is missing (CI=true): %v", dir, err)
		}
		t.Skipf("the EDI samples folder %s is missing: %v", dir, err)
	}
	return dir
}
