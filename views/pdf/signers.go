package pdf

import (
	"strings"

	"elk/db"
)

// supplierSigner is who signs for the vendor and in what capacity: the
// person acting by a power of attorney when the vendor has one, his
// position followed by «по доверенности № … от …», else the head (or the
// sole trader himself).
func supplierSigner(r db.Requisites) (position, name string) {
	if p := r.Proxy; p != nil && p.Name != "" {
		return strings.TrimSpace(p.Position + " " + proxyNote(r)), p.Name
	}
	switch {
	case r.DirectorPosition != "" || r.Director == "":
		position = r.DirectorPosition
	case isSoleTrader(r):
		position = "Индивидуальный предприниматель"
	default:
		position = "Руководитель"
	}
	return position, r.Director
}

// proxyNote names the power of attorney the vendor's signer acts by, ""
// when the head signs himself.
func proxyNote(r db.Requisites) string {
	p := r.Proxy
	if p == nil || p.Name == "" {
		return ""
	}
	s := "по доверенности"
	if p.Number != "" {
		s += " № " + p.Number
	}
	if p.Date != nil {
		s += " от " + day(*p.Date)
	}
	return s
}

// buyerSigner is who signs for the buyer, as its company card names him;
// both are "" when it names nobody, leaving the lines to be filled by hand.
func buyerSigner(r db.Requisites) (position, name string) {
	return r.DirectorPosition, r.Director
}

// basisLine is the contract the buyer works under, «Договор № … от …», ""
// without one.
func basisLine(r db.Requisites) string {
	c := r.Contract
	if c == nil || c.Number == "" {
		return ""
	}
	s := "Договор № " + c.Number
	if c.Date != nil {
		s += " от " + day(*c.Date)
	}
	return s
}
