package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"elk/db/money"
)

// VAT modes of a company: the vendor's rate, a rate of its own, or none.
const (
	VATVendor = "vendor"
	VATRate   = "rate"
	VATNone   = "none"
)

// VATModes lists every mode in the order forms offer them.
var VATModes = []string{VATVendor, VATRate, VATNone}

// VATMode is how a company is charged VAT.
type VATMode struct {
	Mode   string // VATVendor, VATRate or VATNone
	Rate   int    // percent, with VATRate
	Reason string // why none is charged, printed with «Без НДС»
}

// rate is the VAT rate the company is charged when the vendor charges vendorRate.
func (m VATMode) rate(vendorRate int) int {
	switch m.Mode {
	case VATRate:
		return m.Rate
	case VATNone:
		return money.NoVAT
	}
	return vendorRate
}

// modeToDB is the stored mode: the vendor's when none was chosen.
func (m VATMode) modeToDB() string { return or(m.Mode, VATVendor) }

// rateToDB is the stored rate: only a rate of its own has one.
func (m VATMode) rateToDB() any {
	if m.Mode != VATRate {
		return nil
	}
	return m.Rate
}

// Contract is the contract a company works with the vendor under.
type Contract struct {
	Number string     `json:"number,omitempty"`
	Date   *time.Time `json:"date,omitempty"`
}

// Signer is a person who signs documents for a party.
type Signer struct {
	Name     string `json:"name,omitempty"`
	Position string `json:"position,omitempty"`
}

// Proxy is a person who signs for the vendor by a power of attorney.
type Proxy struct {
	Signer
	Number string     `json:"number,omitempty"` // the power of attorney's
	Date   *time.Time `json:"date,omitempty"`
}

// Requisites are a party's details as a document prints them, kept with the
// document as they were on its day.
type Requisites struct {
	Name        string `json:"name"` // the full legal name
	Country     string `json:"country,omitempty"`
	INN         string `json:"inn"` // the country's taxpayer number: ИНН, БИН…
	KPP         string `json:"kpp,omitempty"`
	OGRN        string `json:"ogrn,omitempty"`
	Address     string `json:"address,omitempty"`
	BankName    string `json:"bank_name,omitempty"`
	BIK         string `json:"bik,omitempty"`
	BankAccount string `json:"bank_account,omitempty"`
	CorrAccount string `json:"corr_account,omitempty"`
	// Director is the head who signs: the vendor's director, the buyer's signer.
	Director         string `json:"director,omitempty"`
	DirectorPosition string `json:"director_position,omitempty"`
	Accountant       string `json:"accountant,omitempty"` // the vendor's chief accountant
	Proxy            *Proxy `json:"proxy,omitempty"`      // the vendor's signer by a power of attorney
	// The buyer's side only: its contract, and why it pays no VAT.
	Contract  *Contract `json:"contract,omitempty"`
	VATReason string    `json:"vat_reason,omitempty"`
}

func vendorRequisites(v Vendor) Requisites {
	r := Requisites{Name: or(v.LegalName, v.Name), Country: "RU", INN: v.INN, KPP: v.KPP, OGRN: v.OGRN, Address: v.Address,
		BankName: v.BankName, BIK: v.BIK, BankAccount: v.BankAccount, CorrAccount: v.CorrAccount,
		Director: v.Director, DirectorPosition: v.DirectorPosition, Accountant: v.Accountant}
	if v.Proxy.Name != "" {
		p := v.Proxy
		r.Proxy = &p
	}
	return r
}

func companyRequisites(c Company) Requisites {
	r := Requisites{Name: or(c.LegalName, c.Name), Country: c.Country, INN: c.INN, KPP: c.KPP, OGRN: c.OGRN,
		Address: c.Address, Director: c.Signer.Name, DirectorPosition: c.Signer.Position}
	if c.Contract.Number != "" {
		contract := c.Contract
		r.Contract = &contract
	}
	if c.VAT.Mode == VATNone {
		r.VATReason = c.VAT.Reason
	}
	return r
}

func or(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// partiesOn returns the vendor's and the company's requisites as they are
// now, as JSON, and the VAT rate the company is charged.
func partiesOn(ctx context.Context, tx *sql.Tx, companyID int64) (supplier, buyer string, vat int, err error) {
	v, err := vendorOf(ctx, tx)
	if err != nil {
		return "", "", 0, err
	}
	co, err := queryOne(ctx, tx, scanCompanyRow, fmt.Sprintf("company %d", companyID),
		`SELECT `+companyColumns+` FROM companies co WHERE co.id = ?`, companyID)
	if err != nil {
		return "", "", 0, err
	}
	s, _ := json.Marshal(vendorRequisites(v))
	b, _ := json.Marshal(companyRequisites(co))
	return string(s), string(b), co.VAT.rate(v.VATRate), nil
}
