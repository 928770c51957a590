package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/testutil"
)

func TestTransactionsTabFiltersCombineAndPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	c := e.loggedIn("taxi", "taxi123")
	all := c.get("/transactions")
	if all.Find("#tx-rows tr").Length() != 51 { // 50 rows and the "more" row
		t.Fatalf("first page has %d rows", all.Find("#tx-rows tr").Length())
	}
	r := c.get("/transactions?service=" + itoa(sms.ID) + "&source=payment")
	rows := r.Find("#tx-rows tr")
	if rows.Length() == 0 || rows.Length() > 5 {
		t.Fatalf("SMS payments: %d rows", rows.Length())
	}
	rows.Each(func(_ int, row *goquery.Selection) {
		if text := row.Text(); !strings.Contains(text, "СМС") || !strings.Contains(text, "Оплата") {
			t.Errorf("row outside the filter: %s", text)
		}
	})
	if sel := r.Find(`#f-source option[selected]`).AttrOr("value", ""); sel != "payment" {
		t.Errorf("source filter not kept in the form: %q", sel)
	}
	csv := r.Find("#csv-link").AttrOr("href", "")
	if csv != "/transactions.csv?service="+itoa(sms.ID)+"&source=payment" {
		t.Errorf("CSV link %q", csv)
	}

	// Walk the SMS sending pages: every row once, newest first, filters kept.
	path := "/transactions?service=" + itoa(sms.ID) + "&source=sms"
	seen := map[string]bool{}
	for pages := 0; path != "" && pages < 100; pages++ {
		page := c.get(path)
		page.Find("#tx-rows tr:not(#tx-more)").Each(func(_ int, row *goquery.Selection) {
			key := row.Text()
			if seen[key] {
				t.Fatalf("row repeated across pages: %s", key)
			}
			seen[key] = true
		})
		path = page.Find("#tx-more a").AttrOr("href", "")
		if path != "" && (!strings.Contains(path, "source=sms") || !strings.Contains(path, "service=")) {
			t.Fatalf("next page lost the filters: %s", path)
		}
	}
	var want int
	e.Store.EachTransaction(context.Background(), 1, db.TxFilter{CompanyServiceID: sms.ID, Source: db.SourceSMS},
		func(db.Transaction) error { want++; return nil })
	if len(seen) != want || want < 100 {
		t.Errorf("%d rows over the pages, %d in the ledger", len(seen), want)
	}
}

func TestTransactionsCSVIsExactlyTheFilteredRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	support := serviceOf(t, e, 1, db.ServiceSupport)
	e.Store.Post(context.Background(), db.Entry{CompanyServiceID: support.ID, Amount: -500, Source: db.SourceCorrection,
		Description: `-2+3+cmd|' /C calc'!A0`, IdempotencyKey: "hostile-minus", At: e.Clock.Now().Add(-time.Minute)})
	e.Store.Post(context.Background(), db.Entry{CompanyServiceID: support.ID, Amount: 123456, Source: db.SourceCorrection,
		Description: `=HYPERLINK("x");"quoted"`, IdempotencyKey: "hostile"})
	c := e.loggedIn("taxi", "taxi123")
	from := e.Clock.Now().AddDate(0, 0, -30).Format("2006-01-02")
	r := c.get("/transactions.csv?service=" + itoa(support.ID) + "&from=" + from)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV: %d %v", r.Status, r.Header)
	}
	if !strings.HasPrefix(r.Body, "\ufeffДата;Услуга;Источник;Описание;Сумма\r\n") {
		t.Fatalf("CSV head: %q", r.Body[:min(80, len(r.Body))])
	}
	lines := strings.Split(strings.TrimSuffix(r.Body, "\r\n"), "\r\n")[1:]
	page := c.get("/transactions?service=" + itoa(support.ID) + "&from=" + from)
	if n := page.Find("#tx-rows tr").Length(); n != len(lines) {
		t.Errorf("CSV has %d rows, the page %d", len(lines), n)
	}
	if lines[0] != fmt.Sprintf("%s;Техническая поддержка;Корректировка;\"'=HYPERLINK(\"\"x\"\");\"\"quoted\"\"\";1234,56", e.Clock.Now().In(testutil.Moscow).Format("02.01.2006 15:04")) {
		t.Errorf("hostile row: %q", lines[0])
	}
	if !strings.HasSuffix(lines[1], `;"'-2+3+cmd|' /C calc'!A0";-5,00`) {
		t.Errorf("a leading minus in text is not defused, or the amount is not a number: %q", lines[1])
	}
	for _, l := range lines {
		if !strings.Contains(l, "Техническая поддержка") {
			t.Errorf("row of another service: %q", l)
		}
	}
	if r := c.get("/transactions.csv?from=2026-13-01"); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("export with a malformed period: %d (it must not export everything)", r.Status)
	}
}
