package views_test

import (
	"os"
	"regexp"
	"strconv"

	"elk/db"
	"elk/views"
)

// keyCompletions are what completes each key prefix the code builds keys
// from ("outbox.kind_" + a notice kind): a new prefix fails the catalog
// test until it is listed here, a new value until both catalogs have it.
var keyCompletions = map[string][]string{
	"audit.":             auditActions(),
	"bank.kind_":         {db.MatchInvoice, db.MatchWarning, db.MatchNone, db.MatchRecorded, db.MatchOutgoing},
	"bank.warn_":         {db.WarnINNDiffers, db.WarnExceedsDue, db.WarnInvoiceClosed},
	"company.vat_mode_":  db.VATModes,
	"country.":           {"RU", "BY", "KZ", "UZ", "KG", "AM", "AZ", "GE", "TJ", "MD"},
	"documents.":         suffixed([]string{db.FormAct, db.FormUPD, db.FormAdvance}, "_no"),
	"documents.form_":    {db.FormAct, db.FormUPD, db.FormAdvance},
	"documents.kind_":    {"invoice", "act"},
	"error.":             nil, // messages that already are keys pass through
	"invoice.status_":    db.InvoiceStatuses,
	"kind.":              {db.KindPeriodic, db.KindOneOff},
	"lang.":              views.Languages,
	"monitoring.bad_":    {"interval", "timeout", "retries", "status_min", "status_max"},
	"monitoring.kind_":   db.MonitorKinds,
	"monitoring.limit_":  nil, // optional: a limit without a name prints as sent
	"monitoring.source_": {db.LicenseByStaff, db.LicenseByHeartbeat},
	"monitoring.state_":  {db.MonitorPending, db.MonitorUp, db.MonitorDown},
	"monitoring.type_":   db.CheckTypes,
	"month.":             months(),
	"news.audience_":     {db.AudienceAll, db.AudienceCompanies},
	"notice.":            noticeTexts(),
	"notices.channel_":   db.Channels,
	"notices.status_":    db.NoticeStatuses,
	"notices.unsent_":    db.Channels,
	"outbox.kind_":       db.NoticeKinds,
	"questions.status_":  {db.QuestionNew, db.QuestionAnswered},
	"registry.basis_":    {db.BasisPayment, db.BasisMonth, db.BasisBalance},
	"role.":              append(append([]string{}, db.StaffRoles...), db.ClientRoles...),
	"service.":           db.ServiceCodes,
	"sms.status.":        db.SMSStatuses,
	"source.":            db.Sources,
	"status.":            db.Statuses,
	"tickets.priority_":  db.TicketPriorities,
	"tickets.status_":    db.TicketStatuses,
	"unit.":              db.Units,
	"vendor.policy_":     db.ClosingPolicies,
}

func suffixed(values []string, suffix string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v + suffix
	}
	return out
}

func months() []string {
	out := make([]string, 12)
	for i := range out {
		out[i] = strconv.Itoa(i + 1)
	}
	return out
}

// noticeTexts are each notice kind's subject, body and SMS.
func noticeTexts() []string {
	var out []string
	for _, kind := range db.NoticeKinds {
		out = append(out, kind+".subject", kind+".body", kind+".sms")
	}
	return out
}

// auditActions are the values of db's Audit… constants, read from their source.
func auditActions() []string {
	b, err := os.ReadFile("../db/audit.go")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`\bAudit[A-Za-z]+\s*=\s*"([a-z_]+)"`).FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}
