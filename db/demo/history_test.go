package demo_test

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/db/demo"
	"elk/testutil"
)

// The full demo (a year of history) must read as real work would have left
// it, whatever the day it is seeded on. Its clock moves while it is written,
// as a real clock does.
func TestFullDemoHistoryIsConsistent(t *testing.T) {
	ctx := context.Background()
	clock := testutil.NewClock(t)
	s := testutil.Open(t, filepath.Join(t.TempDir(), "elk.db"), clock)
	s.SetClock(func() time.Time {
		clock.Advance(time.Millisecond)
		return clock.Now()
	})
	if _, err := demo.Seed(ctx, s, demo.Options{Addr: "127.0.0.1:8080"}); err != nil {
		t.Fatal(err)
	}
	now := s.Now()
	companies, err := s.ListCompanies(ctx, "")
	if err != nil || len(companies) != 3 {
		t.Fatalf("%d companies, %v", len(companies), err)
	}

	t.Run("nothing after now", func(t *testing.T) {
		for _, co := range companies {
			txs, _, err := s.Transactions(ctx, co.ID, db.TxFilter{From: now}, nil, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range txs {
				t.Errorf("%s: «%s» at %s, after now %s", co.Name, tx.Description, tx.CreatedAt, now)
			}
		}
	})

	t.Run("payments name the invoices they paid", func(t *testing.T) {
		var checked int
		for _, co := range companies {
			invoices, err := s.ListInvoices(ctx, db.InvoiceFilter{CompanyID: co.ID, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			byNumber := map[string]db.Invoice{}
			for _, inv := range invoices {
				byNumber[inv.Number] = inv
			}
			txs, _, err := s.Transactions(ctx, co.ID, db.TxFilter{Source: db.SourcePayment}, nil, 100000)
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range txs {
				ref := invoiceRef.FindStringSubmatch(tx.Description)
				if ref == nil {
					continue
				}
				checked++
				inv, ok := byNumber[ref[1]]
				switch {
				case !ok:
					t.Errorf("%s: «%s»: no invoice № %s", co.Name, tx.Description, ref[1])
				case inv.Status != db.InvoicePaid && inv.Status != db.InvoicePartiallyPaid:
					t.Errorf("%s: «%s»: the invoice is %s", co.Name, tx.Description, inv.Status)
				case ref[2] != "" && ref[2] != inv.IssuedOn.Format("02.01.2006"):
					t.Errorf("%s: «%s»: the invoice is of %s", co.Name, tx.Description, inv.IssuedOn.Format("02.01.2006"))
				case db.Today(tx.CreatedAt, db.VendorLocation).Before(inv.IssuedOn):
					t.Errorf("%s: «%s» on %s, before the invoice of %s", co.Name, tx.Description,
						tx.CreatedAt.Format("02.01.2006"), inv.IssuedOn.Format("02.01.2006"))
				}
			}
		}
		if checked == 0 {
			t.Error("no payment names an invoice")
		}
	})

	t.Run("news about a date come before it", func(t *testing.T) {
		all, err := s.AllNews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var checked int
		for _, n := range all {
			if n.PublishedAt == nil {
				continue
			}
			published := db.Today(*n.PublishedAt, db.VendorLocation)
			for _, day := range daysNamed(n.Title+"\n"+n.Body, published) {
				checked++
				if day.Before(published) {
					t.Errorf("«%s» published %s speaks of %s", n.Title, published.Format("02.01.2006"), day.Format("02.01.2006"))
				}
			}
		}
		if checked == 0 {
			t.Error("no news speaks of a date")
		}
	})
}

// invoiceRef is «по счёту № N» with its date, «от DD.MM.YYYY», if given.
var invoiceRef = regexp.MustCompile(`по счёту № (\S+?)(?: от (\d\d\.\d\d\.\d{4}))?(?:[ ,.;]|$)`)

var monthsOf = []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// dayInText is «1 января» with its year, «2027 года», if given.
var dayInText = regexp.MustCompile(`(\d{1,2}) (` + strings.Join(monthsOf, "|") + `)(?: (\d{4}))?`)

// daysNamed are the days a text speaks of; a day without a year is taken in
// the year that puts it nearest to the text's day.
func daysNamed(text string, near time.Time) []time.Time {
	var days []time.Time
	for _, m := range dayInText.FindAllStringSubmatch(text, -1) {
		day, _ := strconv.Atoi(m[1])
		month := time.Month(1 + slices.Index(monthsOf, m[2]))
		if m[3] != "" {
			year, _ := strconv.Atoi(m[3])
			days = append(days, time.Date(year, month, day, 0, 0, 0, 0, near.Location()))
			continue
		}
		best := time.Time{}
		for year := near.Year() - 1; year <= near.Year()+1; year++ {
			d := time.Date(year, month, day, 0, 0, 0, 0, near.Location())
			if best.IsZero() || d.Sub(near).Abs() < best.Sub(near).Abs() {
				best = d
			}
		}
		days = append(days, best)
	}
	return days
}
