package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func bell(r *response) string { return r.Text("#bell-count") }

func TestBellCountsPerUserAndAudience(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	taxi, dispatcher, vostok := e.loggedIn("taxi", "taxi123"), e.loggedIn("dispatcher", "dispatcher123"), e.loggedIn("vostok", "vostok123")
	// The demo: three news for all (one read by taxi and vostok), one for «Такси Пример» only, one draft.
	for who, want := range map[*client]string{taxi: "3", dispatcher: "4", vostok: "2"} {
		if got := bell(who.get("/company")); got != want {
			t.Errorf("bell %q, want %s", got, want)
		}
	}
	list := vostok.get("/news")
	if strings.Contains(list.Body, "онлайн-оплата") || strings.Contains(list.Body, "Праздничный график") {
		t.Error("«Такси Восток» sees another company's news or a draft")
	}
	own := strconv.Itoa(e.sqlInt(`SELECT news_id FROM news_companies WHERE company_id = 1 LIMIT 1`))
	draft := strconv.Itoa(e.sqlInt(`SELECT id FROM news WHERE published_at IS NULL`))
	if r := vostok.get("/news/" + own); r.Status != http.StatusNotFound {
		t.Errorf("another company's news: %d", r.Status)
	}
	if r := taxi.get("/news/" + draft); r.Status != http.StatusNotFound {
		t.Errorf("a draft: %d", r.Status)
	}

	// Opening one counts for that user only.
	r := taxi.get("/news/" + own)
	if r.Status != http.StatusOK || bell(r) != "2" || !strings.Contains(r.Text(".prose"), "онлайн-оплаты") {
		t.Errorf("opened: %d, bell %q", r.Status, bell(r))
	}
	taxi.get("/news/" + own)
	if got := bell(taxi.get("/news/bell")); got != "2" {
		t.Errorf("opening twice: %q", got)
	}
	if got := bell(dispatcher.get("/company")); got != "4" {
		t.Errorf("the dispatcher's bell changed: %q", got)
	}
	if r := taxi.post("/news/read-all", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("read all: %d", r.Status)
	}
	if r := taxi.get("/news"); r.Find("#bell-count").Length() != 0 || r.Find(".news-item.unread").Length() != 0 {
		t.Errorf("after reading all: bell %q", bell(r))
	}
	// A scheduled item counts from its time.
	e.sqlExec(`UPDATE news SET published_at = '2999-01-01T00:00:00.000Z' WHERE id = ` + own)
	if got := bell(dispatcher.get("/company")); got != "3" {
		t.Errorf("a scheduled item counted: %q", got)
	}
}

func TestNewsMarkdownAndTheBackOfficeForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	manager := e.loggedIn("manager", "manager123")
	for _, tc := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"title": {""}, "body": {"x"}, "audience": {"all"}}, "title"},
		{url.Values{"title": {"x"}, "body": {""}, "audience": {"all"}}, "body"},
		{url.Values{"title": {"x"}, "body": {"x"}, "audience": {"companies"}}, "audience"},
		{url.Values{"title": {"x"}, "body": {"x"}, "audience": {"companies"}, "company_ids": {"999"}}, "audience"},
		{url.Values{"title": {"x"}, "body": {"x"}, "audience": {"all"}, "publish": {"1"}, "published_at": {"вчера"}}, "published_at"},
		{url.Values{"title": {"x"}, "body": {strings.Repeat("я", 20001)}, "audience": {"all"}}, "body"},
	} {
		if r := manager.post("/admin/news", tc.form); r.Status != http.StatusUnprocessableEntity || r.Find("#f-"+tc.field+" .error, #f-"+tc.field+" ~ .error").Length() == 0 {
			t.Errorf("%v: %d %q", tc.form["title"], r.Status, r.Text(".error"))
		}
	}
	hostile := "Новость <script>alert(1)</script>\n\n[нажми](javascript:alert(2)) <img src=x onerror=alert(3)>"
	now := e.Store.Now().In(time.FixedZone("MSK", 3*3600)).Add(-time.Minute).Format("2006-01-02T15:04")
	r := manager.post("/admin/news", url.Values{"title": {"<b>Заголовок</b>"}, "body": {hostile}, "audience": {"companies"},
		"company_ids": {"2"}, "publish": {"1"}, "published_at": {now}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.Status, r.Text(".error"))
	}
	id := strconv.Itoa(e.sqlInt(`SELECT max(id) FROM news`))
	vostok := e.loggedIn("vostok", "vostok123")
	page := vostok.get("/news/" + id)
	if page.Status != http.StatusOK || strings.Contains(page.Body, "<script>alert") || strings.Contains(page.Body, "onerror") ||
		strings.Contains(page.Body, "javascript:") || !strings.Contains(page.Body, "&lt;b&gt;Заголовок&lt;/b&gt;") {
		t.Errorf("the item as shown: %d\n%s", page.Status, page.Text(".news-body"))
	}
	if r := e.loggedIn("taxi", "taxi123").get("/news/" + id); r.Status != http.StatusNotFound {
		t.Errorf("a company outside the audience: %d", r.Status)
	}
}
