package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"elk/testutil"
)

// The company form names the tax number by the country chosen and shows
// the rate or the reason of the VAT mode chosen, as soon as they change.
func TestCompanyFormFollowsCountryAndVATMode(t *testing.T) {
	browserTest(t)
	p := testutil.StartPortal(t)
	ctx := tab(t)
	logIn(t, ctx, p.URL, "admin", "admin123")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(".tabs")), chromedp.Navigate(p.URL+"/admin/companies/new"), chromedp.WaitVisible(chromedp.ID("f-inn")))
	state := func() map[string]string {
		return run(t, ctx, chromedp.Evaluate[map[string]string](`({
			label: document.querySelector('label[for="f-inn"]').innerText.trim(),
			kpp: String(document.getElementById("f-kpp").checkVisibility()),
			rate: String(document.getElementById("f-vat_rate").checkVisibility()),
			reason: String(document.getElementById("f-vat_reason").checkVisibility()),
		})`))
	}
	want := func(step string, label, kpp, rate, reason string) {
		t.Helper()
		got := state()
		if got["label"] != label || got["kpp"] != kpp || got["rate"] != rate || got["reason"] != reason {
			t.Errorf("%s: %v", step, got)
		}
	}
	// choose picks an option as a user would: the select's value changes and it says so.
	choose := func(id, value string) {
		run(t, ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById("`+id+`"); s.value = "`+value+`";
			return s.dispatchEvent(new Event("change", {bubbles: true})); })()`))
	}
	want("a new company", "ИНН", "true", "false", "false")
	choose("f-country", "KZ")
	want("Kazakhstan", "БИН", "false", "false", "false")
	choose("f-country", "BY")
	want("Belarus", "Регистрационный номер", "false", "false", "false")
	choose("f-vat_mode", "none")
	want("no VAT", "Регистрационный номер", "false", "false", "true")
	choose("f-vat_mode", "rate")
	want("a rate", "Регистрационный номер", "false", "true", "false")
	screenshot(t, ctx, "admin-company-new")
}
