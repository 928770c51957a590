package handlers

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// bankRow is a statement's payment in the preview, ready to print.
type bankRow struct {
	Index    int
	Number   string
	Date     string
	Amount   string
	Payer    string // name and ИНН
	Purpose  string
	Status   badge
	Warnings []string
	Invoice  string // the invoice matched: «Счёт № … (Компания)»
	// Choices are where the payment may go, the proposed one selected; none
	// for a payment recorded before or not money in.
	Choices []choiceGroup
}

// choiceGroup is an optgroup of a payment's choices.
type choiceGroup struct {
	Label   string
	Options []selectOption
}

// unknownPayersOffered bounds the payments of unknown payers offered every
// company's services, so that a statement of thousands stays a page; the
// rest are left for the next load, once their payers' ИНН are on file.
const unknownPayersOffered = 100

// bankRows prints the matched payments. The services to top up are those
// of the payer's company when the ИНН names one, else every company's,
// read once.
func (s *Server) bankRows(c *fiber.Ctx, p *Page, matches []db.BankMatch) ([]bankRow, error) {
	ctx := c.UserContext()
	services := map[int64][]db.CompanyService{}
	servicesOf := func(companyID int64) ([]db.CompanyService, error) {
		if cs, ok := services[companyID]; ok {
			return cs, nil
		}
		cs, err := s.store.CompanyServices(ctx, companyID, true)
		services[companyID] = cs
		return cs, err
	}
	var everyone []db.Company
	unknown := 0
	rows := make([]bankRow, len(matches))
	for i, m := range matches {
		d := m.Doc
		r := bankRow{Index: m.Index, Number: d.Number, Date: p.Day(d.Date), Amount: d.Amount.String(),
			Payer: d.PayerName + ", ИНН " + d.PayerINN, Purpose: d.Purpose,
			Status: badge{Class: "badge bank-" + m.Kind, Text: p.T("bank.kind_" + m.Kind)}}
		for _, w := range m.Warnings {
			r.Warnings = append(r.Warnings, p.T("bank.warn_"+w))
		}
		if m.Kind == db.MatchRecorded || m.Kind == db.MatchOutgoing {
			rows[i] = r
			continue
		}
		skip := choiceGroup{Options: []selectOption{{Value: "", Label: p.T("bank.skip")}}}
		r.Choices = append(r.Choices, skip)
		if inv := m.Invoice; inv != nil {
			r.Invoice = p.T("documents.invoice_no", inv.Number) + " (" + inv.CompanyName + ")"
			if inv.Due() > 0 {
				// Another company's invoice is offered, not proposed.
				r.Choices = append(r.Choices, choiceGroup{Label: inv.CompanyName, Options: []selectOption{{
					Value: "invoice:" + strconv.FormatInt(inv.ID, 10), Label: r.Invoice, Selected: !slices.Contains(m.Warnings, db.WarnINNDiffers)}}})
			}
		}
		companies := []db.Company{}
		switch {
		case m.Company != nil:
			companies = append(companies, *m.Company)
			if m.Payer != nil && m.Payer.ID != m.Company.ID {
				companies = append(companies, *m.Payer)
			}
		case unknown >= unknownPayersOffered:
			r.Warnings = append(r.Warnings, p.T("bank.warn_unknown_later"))
		default:
			unknown++
			if everyone == nil {
				var err error
				if everyone, err = s.store.ListCompanies(ctx, ""); err != nil {
					return nil, err
				}
			}
			companies = everyone
		}
		for _, co := range companies {
			cs, err := servicesOf(co.ID)
			if err != nil {
				return nil, err
			}
			g := choiceGroup{Label: co.Name}
			for _, sv := range cs {
				// A closed invoice's money tops its own service up.
				chosen := m.Invoice != nil && m.Invoice.Due() == 0 && m.Invoice.CompanyServiceID == sv.ID
				g.Options = append(g.Options, selectOption{Value: "service:" + strconv.FormatInt(sv.ID, 10),
					Label: p.T("bank.top_up", p.T("service."+sv.ServiceCode)), Selected: chosen})
			}
			if len(g.Options) > 0 {
				r.Choices = append(r.Choices, g)
			}
		}
		rows[i] = r
	}
	return rows, nil
}
