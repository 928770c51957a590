package handlers_test

import (
	"strconv"
	"strings"
	"testing"

	"elk/db"
	"elk/testutil"
)

// A period whose end comes before its start says so once, beside its
// inputs, and shows no list rather than one for another period; a filter's
// htmx answer brings the message, or takes it away, with the rows.
func TestReversedPeriodSaysSoOnceAndShowsNoList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	today := db.Today(e.Clock.Now(), testutil.Moscow)
	reversed := "?from=" + today.Format("2006-01-02") + "&to=" + today.AddDate(0, 0, -7).Format("2006-01-02")

	r := c.get("/transactions" + reversed)
	if n := strings.Count(r.Find("main").Text(), "Конец периода раньше его начала."); n != 1 {
		t.Errorf("the message is shown %d times", n)
	}
	if r.Text("#period-error") != "Конец периода раньше его начала." {
		t.Errorf("beside the inputs: %q", r.Text("#period-error"))
	}
	if r.Find("#tx-rows").Length() != 0 || r.Find("#csv-link").Length() != 0 {
		t.Error("a list is shown for a period that cannot be")
	}
	if r.Text("#period-fix") != "Исправьте период, и список покажется. Сбросить фильтр" ||
		r.Find(`#period-fix a[href="/transactions"]`).Length() != 1 {
		t.Errorf("in place of the list: %q", r.Text("#period-fix"))
	}

	part := c.getWith("/transactions"+reversed, map[string]string{"HX-Request": "true", "HX-Target": "tx-results"})
	if oob := part.Find(`#period-error[hx-swap-oob]`); oob.Length() != 1 || strings.TrimSpace(oob.Text()) != "Конец периода раньше его начала." {
		t.Errorf("the htmx answer does not bring the message beside the inputs: %q", part.Find("body").Text())
	}
	fixed := c.getWith("/transactions?from="+today.AddDate(0, 0, -7).Format("2006-01-02"), map[string]string{"HX-Request": "true", "HX-Target": "tx-results"})
	if oob := fixed.Find(`#period-error[hx-swap-oob]`); oob.Length() != 1 || oob.AttrOr("hidden", "no") == "no" || fixed.Find("#tx-rows tr").Length() == 0 {
		t.Error("a corrected period does not hide the message or bring the rows")
	}
}

// Transactions filtered to nothing say so, with a link that takes the filter
// off; without a filter the list says there are none.
func TestEmptyTransactionsSayTheFilterMatchesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	future := db.Today(e.Clock.Now(), testutil.Moscow).AddDate(1, 0, 0).Format("2006-01-02")
	r := c.get("/transactions?from=" + future)
	if r.Text("#tx-empty") != "По этому фильтру ничего не нашлось. Сбросить фильтр" || r.Find(`#tx-empty a[href="/transactions"]`).Length() != 1 {
		t.Errorf("filtered to nothing: %q", r.Text("#tx-empty"))
	}
}

// Документы filtered to nothing (acts are never «Оплачен») say the filter
// matches nothing, with a link that takes it off, not how to issue an invoice;
// a reversed period shows no documents of another period.
func TestEmptyDocumentsSayTheFilterMatchesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.loggedIn("taxi", "taxi123")
	r := c.get("/documents?kind=act&status=paid")
	if r.Text("#documents-empty") != "По этому фильтру ничего не нашлось. Сбросить фильтр" ||
		r.Find(`#documents-empty a[href="/documents"]`).Length() != 1 {
		t.Errorf("Акт + Оплачен: %q", r.Text("#documents-empty"))
	}
	part := c.getWith("/documents?kind=act&status=paid", map[string]string{"HX-Request": "true", "HX-Target": "documents"})
	if part.Text("#documents-empty") != "По этому фильтру ничего не нашлось. Сбросить фильтр" {
		t.Errorf("the htmx answer: %q", part.Text("#documents-empty"))
	}

	today := db.Today(e.Clock.Now(), testutil.Moscow)
	r = c.get("/documents?from=" + today.Format("2006-01-02") + "&to=" + today.AddDate(0, 0, -30).Format("2006-01-02"))
	if n := strings.Count(r.Find("main").Text(), "Конец периода раньше его начала."); n != 1 || r.Text("#period-error") == "" {
		t.Errorf("the message is shown %d times, beside the inputs %q", n, r.Text("#period-error"))
	}
	if r.Find("#documents tbody tr").Length() != 1 || r.Text("#documents-empty") != "Исправьте период, и список покажется. Сбросить фильтр" {
		t.Errorf("a reversed period lists: %q", r.Text("#documents tbody"))
	}
}

// SMS statistics filtered by a phone number count that number's SMS in the
// cards, as in the list; a number without SMS says the filter matches
// nothing; a reversed period shows no statistics of another period.
func TestSMSStatisticsFollowThePhoneFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	path := "/services/" + itoa(serviceOf(t, e, 1, db.ServiceSMS).ID) + "/sms"
	c := e.loggedIn("taxi", "taxi123")
	today := db.Today(e.Clock.Now(), testutil.Moscow)
	from := today.AddDate(0, 0, -29).Format("2006-01-02")
	phone := strings.NewReplacer(" ", "", "-", "").Replace(c.get(path).Find("#sms-rows tr td").Eq(1).Text()) // "+79…"
	want := e.sqlInt(`SELECT count(*) FROM `+smsAsText+` WHERE company_id = 1 AND phone = ? AND day >= ?`, phone, from)
	r := c.get(path + "?phone=" + strings.TrimPrefix(phone, "+"))
	if want == 0 {
		t.Fatalf("no SMS to %q in the last 30 days", phone)
	}
	if r.Text("#sms-total") != strconv.Itoa(want) || r.Find("#sms-chart").Length() != 1 {
		t.Errorf("SMS to %s: the card says %q, want %d", phone, r.Text("#sms-total"), want)
	}

	r = c.get(path + "?phone=%2B10000")
	if r.Text("#sms-total") != "0" || r.Text("#sms-empty") != "По этому фильтру ничего не нашлось. Сбросить фильтр" ||
		r.Find(`#sms-empty a[href="`+path+`"]`).Length() != 1 {
		t.Errorf("a number without SMS: total %q, %q", r.Text("#sms-total"), r.Text("#sms-empty"))
	}

	r = c.get(path + "?from=" + today.Format("2006-01-02") + "&to=" + from)
	if n := strings.Count(r.Find("main").Text(), "Конец периода раньше его начала."); n != 1 || r.Text("#period-error") == "" {
		t.Errorf("the message is shown %d times, beside the inputs %q", n, r.Text("#period-error"))
	}
	if r.Find("#sms-total, #sms-rows").Length() != 0 || r.Find("#f-to").AttrOr("value", "") != from ||
		r.Text("#period-fix") != "Исправьте период, и список покажется. Сбросить фильтр" {
		t.Errorf("a reversed period: statistics shown or the typed end lost (%q)", r.Find("#f-to").AttrOr("value", ""))
	}
}
