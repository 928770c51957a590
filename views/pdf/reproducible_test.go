package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"elk/db"
	"elk/views/pdf"
)

// drawnKinds is every kind of document drawn, each in the states that draw
// it differently; a new kind adds its line.
var drawnKinds = []struct {
	name string
	date time.Time // the document's own
	draw func() ([]byte, error)
}{
	{"invoice", invoice.IssuedOn, func() ([]byte, error) { return pdf.Invoice(invoice) }},
	{"invoice-part-paid", invoice.IssuedOn, func() ([]byte, error) {
		inv := invoice
		inv.Status, inv.Paid = db.InvoicePartiallyPaid, 100000
		return pdf.Invoice(inv)
	}},
	{"invoice-paid", invoice.IssuedOn, func() ([]byte, error) {
		inv := invoice
		inv.Status, inv.Paid = db.InvoicePaid, inv.Amount
		return pdf.Invoice(inv)
	}},
	{"act", act.IssuedOn, func() ([]byte, error) { return pdf.Act(act) }},
	{"upd", paymentUPD().IssuedOn, func() ([]byte, error) { return pdf.ClosingDoc(paymentUPD()) }},
	{"upd-month", monthUPD().IssuedOn, func() ([]byte, error) {
		return pdf.ClosingDoc(monthUPD(monthLine("СМС, тариф «Стандарт»", db.UnitSMSPart, 12345, 250)))
	}},
	{"advance", advanceDoc().IssuedOn, func() ([]byte, error) { return pdf.ClosingDoc(advanceDoc()) }},
	{"reconciliation", statement().To, func() ([]byte, error) { return pdf.Reconciliation(statement()) }},
}

// bytesOut names the folder a child process writes its drawings to.
const bytesOut = "ELK_PDF_BYTES_OUT"

// The same document is the same bytes: drawn again, at once from several
// goroutines (run with -race) or in another process, whatever the time;
// and the PDF's dates are the document's own.
func TestSameDocumentSameBytes(t *testing.T) {
	if dir := os.Getenv(bytesOut); dir != "" {
		for _, k := range drawnKinds {
			b, err := k.draw()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, k.name+".pdf"), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run", "^TestSameDocumentSameBytes$")
	child.Env = append(os.Environ(), bytesOut+"="+dir)
	if out, err := child.CombinedOutput(); err != nil {
		t.Fatalf("the other process: %v\n%s", err, out)
	}
	for _, k := range drawnKinds {
		t.Run(k.name, func(t *testing.T) {
			drawings := make([][]byte, 4)
			var wg sync.WaitGroup
			for i := range drawings {
				wg.Go(func() {
					b, err := k.draw()
					if err != nil {
						t.Error(err)
					}
					drawings[i] = b
				})
			}
			wg.Wait()
			other, err := os.ReadFile(filepath.Join(dir, k.name+".pdf"))
			if err != nil {
				t.Fatal(err)
			}
			for i, b := range append(drawings[1:], other) {
				if !bytes.Equal(b, drawings[0]) {
					t.Errorf("drawing %d differs from the first at byte %d", i+1, firstDifference(b, drawings[0]))
				}
			}
			want := k.date.Format("20060102150405")
			for _, name := range []string{"CreationDate", "ModDate"} {
				got := "none"
				if m := regexp.MustCompile(`/` + name + ` \(D:(\d{14})\)`).FindSubmatch(drawings[0]); m != nil {
					got = string(m[1])
				}
				if got != want {
					t.Errorf("%s is %s, want the document's date %s", name, got, want)
				}
			}
		})
	}
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
