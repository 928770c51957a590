package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// PDFText is a PDF's text as pdftotext (poppler-utils) reads it, its spaces
// and lines folded into single spaces. CI installs the tool; elsewhere the
// test is skipped without it.
func PDFText(t testing.TB, b []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is required in CI (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is not installed")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
