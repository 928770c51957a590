package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tool is the path of a poppler or zbar command. CI installs them; elsewhere
// the test is skipped without one.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (apt-get install poppler-utils zbar-tools)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// pdfFile writes a PDF where the tools can read it.
func pdfFile(t testing.TB, b []byte) string {
	t.Helper()
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %.200q", b)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// PDFText is a PDF's text as pdftotext reads it, its spaces (no-break ones
// too) and lines folded into single spaces.
func PDFText(t testing.TB, b []byte) string {
	t.Helper()
	return pdftotext(t, pdfFile(t, b))
}

// PDFPageText is the text of one page of a PDF, as PDFText reads it.
func PDFPageText(t testing.TB, b []byte, page int) string {
	t.Helper()
	n := fmt.Sprint(page)
	return pdftotext(t, pdfFile(t, b), "-f", n, "-l", n)
}

func pdftotext(t testing.TB, path string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), append(append([]string{"-layout"}, args...), path, "-")...).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// PDFQR is the QR code printed on a PDF's first page, read from the page
// printed at 300 dpi as a banking app reads it; "" when it has none.
func PDFQR(t testing.TB, b []byte) string {
	t.Helper()
	path := pdfFile(t, b)
	page := filepath.Join(filepath.Dir(path), "page")
	if out, err := exec.Command(tool(t, "pdftoppm"), "-r", "300", "-png", "-singlefile", path, page).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	out, _ := exec.Command(tool(t, "zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", page+".png").Output()
	return strings.TrimSpace(string(out))
}
