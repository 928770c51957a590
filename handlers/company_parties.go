package handlers

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"elk/db"
)

// companyParties is the part of the company form that documents print:
// the contract every document names as its basis, the buyer's signer and
// the VAT the company is charged, as typed.
type companyParties struct {
	ContractNumber string
	ContractDate   string // YYYY-MM-DD, as a date input sends it
	SignerName     string
	SignerPosition string
	VATMode        string // db.VATVendor, db.VATRate or db.VATNone
	VATRate        string // percent as typed
	VATReason      string
	contractDate   *time.Time
	vatRate        int
}

// maxVATReason bounds the reason printed under «Без НДС»: two lines of a document.
const maxVATReason = 300

func companyPartiesOf(co db.Company) companyParties {
	p := companyParties{ContractNumber: co.Contract.Number, SignerName: co.Signer.Name,
		SignerPosition: co.Signer.Position, VATMode: co.VAT.Mode, VATReason: co.VAT.Reason,
		contractDate: co.Contract.Date, vatRate: co.VAT.Rate}
	if p.VATMode == "" {
		p.VATMode = db.VATVendor
	}
	if co.Contract.Date != nil {
		p.ContractDate = co.Contract.Date.Format(time.DateOnly)
	}
	if co.VAT.Mode == db.VATRate {
		p.VATRate = strconv.Itoa(co.VAT.Rate)
	}
	return p
}

// parseCompanyParties reads and checks the contract, the signer and the VAT
// mode: a contract has both a number and a date, not after today; a
// signer's position needs a name; a rate of its own is a whole percent
// below 100; «Без НДС» needs the reason the documents print.
func parseCompanyParties(in formInput, today time.Time) companyParties {
	e := in.Errors
	p := companyParties{
		ContractNumber: in.text("contract_number"),
		ContractDate:   in.text("contract_date"),
		SignerName:     in.text("signer_name"),
		SignerPosition: in.text("signer_position"),
		VATMode:        clone(in.value("vat_mode")),
		VATRate:        in.text("vat_rate"),
		VATReason:      in.text("vat_reason"),
	}
	e.checkText("contract_number", p.ContractNumber, p.ContractDate != "", 50)
	if p.ContractDate != "" {
		switch d, ok := dateOf(p.ContractDate); {
		case !ok:
			e["contract_date"] = "company.bad_contract_date"
		case d.After(today):
			e["contract_date"] = "company.contract_in_future"
		default:
			p.contractDate = &d
		}
	} else if p.ContractNumber != "" {
		e["contract_date"] = "form.required"
	}
	e.checkText("signer_name", p.SignerName, p.SignerPosition != "", 200)
	e.checkText("signer_position", p.SignerPosition, false, 200)
	switch p.VATMode {
	case "":
		p.VATMode = db.VATVendor // a form from before the field existed
	case db.VATRate:
		rate, err := strconv.Atoi(p.VATRate)
		if err != nil || rate < 0 || rate > 99 {
			e["vat_rate"] = "company.bad_vat_rate"
		}
		p.vatRate = rate
	case db.VATNone:
		if p.VATReason == "" {
			e["vat_reason"] = "company.need_vat_reason"
		}
		e.checkText("vat_reason", p.VATReason, false, maxVATReason)
	}
	if !slices.Contains(db.VATModes, p.VATMode) {
		e["vat_mode"] = "company.bad_vat_mode"
		p.VATMode = db.VATVendor
	}
	return p
}

func (p companyParties) contract() db.Contract {
	return db.Contract{Number: p.ContractNumber, Date: p.contractDate}
}

func (p companyParties) signer() db.Signer {
	return db.Signer{Name: p.SignerName, Position: p.SignerPosition}
}

// vatMode keeps a rate only with a rate of its own, a reason only with none.
func (p companyParties) vatMode() db.VATMode {
	m := db.VATMode{Mode: p.VATMode}
	switch p.VATMode {
	case db.VATRate:
		m.Rate = p.vatRate
	case db.VATNone:
		m.Reason = p.VATReason
	}
	return m
}

// VATModes are the choices of the VAT mode's select.
func (companyParties) VATModes() []string { return db.VATModes }

// Hidden tells whether a part of the form marked data-when=rule starts
// hidden, as static/app.js decides when a select changes: "country=RU"
// shows it for those values, "country!=RU,KZ" for any other.
func (f companyForm) Hidden(rule string) bool {
	name, values, _ := strings.Cut(rule, "=")
	other := strings.HasSuffix(name, "!")
	chosen := map[string]string{"country": f.Country, "vat_mode": f.VATMode}[strings.TrimSuffix(name, "!")]
	return slices.Contains(strings.Split(values, ","), chosen) == other
}
