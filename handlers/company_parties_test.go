package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/testutil"
)

// shownForm is a form's values as the page shows them, as a browser would send them.
func shownForm(r *response, sel string) url.Values {
	form := url.Values{}
	r.Find(sel + " input[name]").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("type", "") != "checkbox" || s.Is("[checked]") {
			form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
		}
	})
	r.Find(sel + " select[name]").Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.Find("option[selected]").AttrOr("value", s.Find("option").First().AttrOr("value", "")))
	})
	form.Del("_csrf")
	return form
}

// The demo's companies, Russian and Kazakh, pass their own form as they are.
func TestDemoCompaniesPassTheirForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	for _, id := range []string{"1", "2", "3"} {
		form := shownForm(admin.get("/admin/companies/"+id), `form[action="/admin/companies/`+id+`"]`)
		if r := admin.post("/admin/companies/"+id, form); r.Status != http.StatusSeeOther {
			t.Errorf("company %s as it is: %d %s", id, r.Status, r.Text(".error"))
		}
	}
	co, _ := e.Store.Company(context.Background(), 3)
	if co.INN != "150440012344" || co.Contract.Date == nil || co.VAT.Mode != db.VATNone || co.VAT.Reason == "" || co.Signer.Name == "" {
		t.Errorf("Алма Такси after saving: %+v", co)
	}
}

func TestCompanyFormContractSignerAndVAT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.loggedIn("admin", "admin123")
	today := db.Today(e.Clock.Now(), testutil.Moscow)
	tomorrow := today.AddDate(0, 0, 1).Format("2006-01-02")
	valid := map[string]string{"contract_number": "ЕЛК-21/2026", "contract_date": today.Format("2006-01-02"),
		"signer_name": "Северов Олег Иванович", "signer_position": "Генеральный директор", "vat_mode": "vendor"}
	with := func(changes map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range valid {
			out[k] = v
		}
		for k, v := range changes {
			out[k] = v
		}
		return out
	}
	const incomplete = "Заполните это поле."
	cases := []struct {
		form           map[string]string
		field, message string
	}{
		{with(map[string]string{"contract_date": "2026-13-40"}), "contract_date", "Введите дату договора, например 15.01.2025."},
		{with(map[string]string{"contract_date": "15.01.2025"}), "contract_date", "Введите дату договора, например 15.01.2025."},
		{with(map[string]string{"contract_date": "0001-01-01"}), "contract_date", "Введите дату договора, например 15.01.2025."},
		{with(map[string]string{"contract_date": tomorrow}), "contract_date", "Дата договора не может быть позже сегодняшней."},
		{with(map[string]string{"contract_date": ""}), "contract_date", incomplete},
		{with(map[string]string{"contract_number": ""}), "contract_number", incomplete},
		{with(map[string]string{"contract_number": strings.Repeat("7", 51)}), "contract_number", "Слишком длинное значение."},
		{with(map[string]string{"signer_name": ""}), "signer_name", incomplete},
		{with(map[string]string{"vat_mode": "rate", "vat_rate": ""}), "vat_rate", "Укажите ставку — целое число процентов от 0 до 99."},
		{with(map[string]string{"vat_mode": "rate", "vat_rate": "100"}), "vat_rate", "Укажите ставку — целое число процентов от 0 до 99."},
		{with(map[string]string{"vat_mode": "rate", "vat_rate": "-1"}), "vat_rate", "Укажите ставку — целое число процентов от 0 до 99."},
		{with(map[string]string{"vat_mode": "rate", "vat_rate": "12,5"}), "vat_rate", "Укажите ставку — целое число процентов от 0 до 99."},
		{with(map[string]string{"vat_mode": "rate", "vat_rate": "1; DROP TABLE companies"}), "vat_rate", "Укажите ставку — целое число процентов от 0 до 99."},
		{with(map[string]string{"vat_mode": "none", "vat_reason": ""}), "vat_reason", "Укажите, почему НДС не начисляется: это основание печатается в документах."},
		{with(map[string]string{"vat_mode": "none", "vat_reason": strings.Repeat("я", 301)}), "vat_reason", "Слишком длинное значение."},
		{with(map[string]string{"vat_mode": "<script>"}), "vat_mode", "Выберите режим НДС из списка."},
		{with(map[string]string{"country": "KZ", "inn": "150440012345"}), "inn", "БИН — 12 цифр с верным контрольным разрядом."},
		{with(map[string]string{"country": "KZ", "inn": "7728123459"}), "inn", "БИН — 12 цифр с верным контрольным разрядом."},
		{with(map[string]string{"country": "KZ", "inn": "БИН"}), "inn", "БИН — 12 цифр с верным контрольным разрядом."},
		{with(map[string]string{"country": "BY", "inn": strings.Repeat("1", 21)}), "inn", "Слишком длинное значение."},
	}
	for _, tc := range cases {
		r := admin.post("/admin/companies", companyForm(tc.form))
		sel := "#f-" + tc.field + " ~ .error"
		if tc.field == "vat_mode" {
			sel = "#f-vat_mode ~ .error"
		}
		if r.Status != http.StatusUnprocessableEntity || r.Text(sel) != tc.message {
			t.Errorf("%v: %d %q, want %q", tc.form, r.Status, r.Text(sel), tc.message)
			continue
		}
		// What was typed comes back: the inputs, the VAT mode chosen.
		for _, field := range []string{"contract_number", "contract_date", "signer_name", "signer_position", "vat_rate", "vat_reason"} {
			if got := r.Find("#f-"+field).AttrOr("value", ""); got != tc.form[field] && field != tc.field {
				t.Errorf("%v: %s came back as %q", tc.form, field, got)
			}
		}
		if tc.field != "vat_mode" && r.Find("#f-vat_mode option[selected]").AttrOr("value", "") != tc.form["vat_mode"] {
			t.Errorf("%v: the VAT mode is lost", tc.form)
		}
	}
	if cs, _ := e.Store.ListCompanies(context.Background(), "Север"); len(cs) != 0 {
		t.Fatal("an invalid company was created")
	}

	// A Kazakh company: its БИН, no VAT with the reason, its signer and a
	// contract; hostile text is kept as text. КПП and ОГРН are not Kazakh.
	hostile := `"><img src=x onerror=alert(1)>`
	r := admin.post("/admin/companies", companyForm(with(map[string]string{"country": "KZ", "inn": "150440012344",
		"timezone": "Asia/Almaty", "vat_mode": "none", "vat_reason": "НДС не облагается: место реализации — Республика Казахстан",
		"vat_rate": "10", "signer_name": hostile, "contract_number": "ЕЛК-22/2026"})))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, r.Text(".error"))
	}
	page := admin.get(r.Location())
	id := strings.TrimPrefix(r.Location(), "/admin/companies/")
	co, _ := e.Store.Company(context.Background(), int64(e.sqlInt(`SELECT max(id) FROM companies`)))
	if co.INN != "150440012344" || co.KPP != "" || co.OGRN != "" || co.VAT.Mode != db.VATNone || co.VAT.Rate != 0 ||
		!strings.HasPrefix(co.VAT.Reason, "НДС не облагается") || co.Signer.Name != hostile || co.Contract.Number != "ЕЛК-22/2026" ||
		co.Contract.Date == nil || !co.Contract.Date.Equal(today) {
		t.Errorf("saved %+v", co)
	}
	if label := page.Text(`label[for="f-inn"] span:not([hidden])`); label != "БИН" {
		t.Errorf("the tax number is labelled %q for Kazakhstan", label)
	}
	if !page.Find(`[data-when="country=RU"]`).Is("[hidden]") || page.Find(`[data-when="vat_mode=none"]`).Is("[hidden]") ||
		!page.Find(`[data-when="vat_mode=rate"]`).Is("[hidden]") {
		t.Error("the parts of the form shown do not follow the country and the VAT mode")
	}
	if page.Find("img[onerror]").Length() != 0 || page.Find("#f-signer_name").AttrOr("value", "") != hostile {
		t.Error("the signer's name is not kept as text")
	}

	// A rate of its own; a Russian company's tax number is its ИНН.
	form := shownForm(page, `form[action="/admin/companies/`+id+`"]`)
	form.Set("country", "RU")
	form.Set("vat_mode", "rate")
	form.Set("vat_rate", "10")
	form.Set("inn", "7728123459")
	if r := admin.post("/admin/companies/"+id, form); r.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", r.Status, r.Text(".error"))
	}
	co, _ = e.Store.Company(context.Background(), co.ID)
	if co.VAT.Mode != db.VATRate || co.VAT.Rate != 10 || co.VAT.Reason != "" {
		t.Errorf("VAT %+v", co.VAT)
	}
	if label := admin.get("/admin/companies/" + id).Text(`label[for="f-inn"] span:not([hidden])`); label != "ИНН" {
		t.Errorf("the tax number is labelled %q for Russia", label)
	}
}

// The client sees its contract and signer, read-only, and its tax number
// named as its country names it.
func TestClientSeesContractAndSigner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	co, _ := e.Store.Company(context.Background(), 3)
	page := e.loggedIn("almaty", "almaty123").get("/company")
	if got := page.Text("#company-contract"); got != "№ "+co.Contract.Number+" от "+co.Contract.Date.Format("02.01.2006") {
		t.Errorf("contract %q", got)
	}
	if got := page.Text("#company-signer"); got != "Серикова Айгуль Маратовна, Директор" {
		t.Errorf("signer %q", got)
	}
	if !strings.Contains(page.Text("#company-vat"), "Республика Казахстан") {
		t.Errorf("VAT %q", page.Text("#company-vat"))
	}
	if text := page.Text("main"); !strings.Contains(text, "БИН150440012344") || strings.Contains(text, "ИНН") {
		t.Errorf("requisites %q", text)
	}
	if page.Find("#f-contract_number, input[name=signer_name]").Length() != 0 {
		t.Error("the client can edit its contract")
	}
}
