package handlers

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// vendorPage is the form of the vendor's own requisites.
type vendorPage struct {
	*Page
	Form     vendorForm
	VATRates []int
	Policies []string
	Policy   closingPolicyState
}

// vatRates are the rates the vendor may print: Russia's (22 % from 2026,
// the simplified system's 5 % and 7 %, the reduced 10 %, zero) and «Без НДС».
var vatRates = []int{22, 20, 10, 7, 5, 0, money.NoVAT}

type vendorForm struct {
	db.Vendor
	ProxyDate   string // YYYY-MM-DD as typed
	PaymentTerm string // days, as typed
	Errors      Errors
}

func vendorFormOf(v db.Vendor) vendorForm {
	f := vendorForm{Vendor: v, PaymentTerm: strconv.Itoa(v.PaymentTermDays), Errors: Errors{}}
	if v.Proxy.Date != nil {
		f.ProxyDate = v.Proxy.Date.Format(time.DateOnly)
	}
	return f
}

func (s *Server) showVendor(c *fiber.Ctx) error {
	v, err := s.store.Vendor(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderVendor(c, fiber.StatusOK, vendorFormOf(v))
}

func (s *Server) renderVendor(c *fiber.Ctx, status int, form vendorForm) error {
	stored, err := s.store.Vendor(c.UserContext())
	if err != nil {
		return err
	}
	if form.ClosingPolicy == "" {
		form.ClosingPolicy = stored.ClosingPolicy
	}
	p := s.page(c, "vendor", "admin.vendor")
	p.Path = "/admin/vendor"
	return s.render(c, status, "admin/vendor", p, vendorPage{Page: p, Form: form, VATRates: vatRates,
		Policies: db.ClosingPolicies, Policy: closingPolicyOf(p, stored, db.Today(s.store.Now(), db.VendorLocation))})
}

func (s *Server) updateVendor(c *fiber.Ctx) error {
	in := readForm(c)
	field := in.text
	f := vendorForm{Vendor: db.Vendor{
		Name: field("name"), LegalName: field("legal_name"), INN: field("inn"), KPP: field("kpp"),
		OGRN: field("ogrn"), Address: field("address"), BankName: field("bank_name"), BIK: field("bik"),
		BankAccount: field("bank_account"), CorrAccount: field("corr_account"), Director: field("director"),
		DirectorPosition: field("director_position"), Accountant: field("accountant"),
		Proxy: db.Proxy{Signer: db.Signer{Name: field("proxy_name"), Position: field("proxy_position")},
			Number: field("proxy_number")},
		Email: field("email"), Phone: field("phone"), ClosingPolicy: field("closing_policy"),
	}, ProxyDate: field("proxy_date"), PaymentTerm: field("payment_term"), Errors: in.Errors}
	e := f.Errors
	e.checkText("name", f.Name, true, 200)
	e.checkText("legal_name", f.LegalName, true, 300)
	e.checkText("address", f.Address, false, 500)
	e.checkText("bank_name", f.BankName, false, 300)
	e.checkText("director", f.Director, false, 200)
	e.checkText("director_position", f.DirectorPosition, false, 200)
	e.checkText("accountant", f.Accountant, false, 200)
	f.Proxy.Date = e.checkProxy(f.Proxy, f.ProxyDate, db.Today(s.store.Now(), db.VendorLocation))
	if f.INN == "" {
		e["inn"] = "form.required"
	}
	e.checkRequisites("RU", f.INN, f.KPP, f.OGRN)
	e.checkBankAccounts(f.BIK, f.BankAccount, f.CorrAccount)
	f.VATRate = money.NoVAT
	if rate, err := strconv.Atoi(c.FormValue("vat_rate")); err == nil && slices.Contains(vatRates, rate) {
		f.VATRate = rate
	} else {
		e["vat_rate"] = "vendor.bad_vat"
	}
	// An empty policy (a form without the select) keeps the one chosen.
	if f.ClosingPolicy != "" && !slices.Contains(db.ClosingPolicies, f.ClosingPolicy) {
		e["closing_policy"] = "vendor.bad_policy"
		f.ClosingPolicy = ""
	}
	// An empty term (a form without the field) keeps the one set.
	if f.PaymentTerm != "" {
		days, err := strconv.Atoi(f.PaymentTerm)
		if err != nil || days < 1 || days > db.MaxPaymentTerm {
			e["payment_term"] = "vendor.bad_payment_term"
		}
		f.PaymentTermDays = days
	}
	f.Email, _ = e.optionalContacts(f.Email, f.Phone) // the phone is printed as typed
	if len(e) > 0 {
		return s.renderVendor(c, fiber.StatusUnprocessableEntity, f)
	}
	if err := s.store.UpdateVendor(c.UserContext(), s.actor(c), f.Vendor); err != nil {
		return err
	}
	s.setFlash(c, "admin.vendor_saved")
	return c.Redirect("/admin/vendor", fiber.StatusSeeOther)
}
