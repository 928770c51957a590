package pdf

import (
	"cmp"

	"elk/db"
)

// supplierSigner is who signs for the supplier, and as whom: the person
// acting by the vendor's power of attorney when there is one («Менеджер по
// доверенности № 12 от 09.01.2026»), else its head (or the sole trader
// himself). The name is in full; layouts print initials.
func supplierSigner(r db.Requisites) (position, name string) {
	if p := r.Proxy; p != nil && p.Name != "" {
		return cmp.Or(p.Position, "Представитель") + " " + proxyNote(r), p.Name
	}
	if r.DirectorPosition == "" && isSoleTrader(r) {
		return "Индивидуальный предприниматель", r.Director
	}
	return head(r)
}

// proxyNote names the power of attorney the vendor's signer acts by, ""
// when the head signs himself.
func proxyNote(r db.Requisites) string {
	if p := r.Proxy; p != nil && p.Name != "" {
		return "по доверенности " + numberAndDate(p.Number, p.Date)
	}
	return ""
}

// buyerSigner is who signs for the buyer, as the company card names them;
// the name is empty when none is set, and the document leaves a line.
func buyerSigner(r db.Requisites) (position, name string) { return head(r) }

// head is a party's head by position, «Руководитель» when none is set.
func head(r db.Requisites) (position, name string) {
	return cmp.Or(r.DirectorPosition, "Руководитель"), r.Director
}

// transcript is the name under a signature line: initials, or a line to
// write it on when no one is named.
func transcript(name string) string {
	return cmp.Or(initials(name), "____________________")
}
