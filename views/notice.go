package views

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"elk/db"
)

//go:embed mail/*.html
var mailTemplates embed.FS

// Message is a notification composed in its recipient's language.
type Message struct {
	Subject string
	Text    string // the plain-text part of the e-mail
	HTML    string // the HTML part of the e-mail
	SMS     string // the text sent to a phone
	// Attachments are files the e-mail carries; the outbox adds them when
	// it sends (see jobs.Outbox), as the notice keeps only what names them.
	Attachments []Attachment
	Chat        string // the plain text sent to a Telegram chat
}

// noticeKind is what composing one kind of notification needs beyond its
// catalog texts ("notice.<kind>.subject", ".body", ".sms").
type noticeKind struct {
	args func(p db.NoticeParams) []any  // what the texts format in
	link func(p db.NoticeParams) string // the portal page it leads to
	// more is what the e-mail says after the body's first paragraph
	// when the notice knows it; nil for nothing.
	more func(c *Catalog, p db.NoticeParams) []string
}

func balanceArgs(p db.NoticeParams) []any {
	return []any{p.Company, p.Balance.String(), p.Threshold.String()}
}

// balanceForecast says how long the balance lasts, when the alert knew.
func balanceForecast(c *Catalog, p db.NoticeParams) []string {
	lasts := c.Lasts(p.Balance > 0, db.Forecast{DaysLeft: p.DaysLeft})
	if lasts == "" {
		return nil
	}
	return []string{c.T("notice.forecast", lasts, p.DailySpend.String())}
}

func serviceLink(p db.NoticeParams) string { return fmt.Sprintf("/services/%d", p.ServiceID) }

func invoiceArgs(p db.NoticeParams) []any { return []any{p.Number, p.Amount.String(), p.Act} }

func documentsLink(db.NoticeParams) string { return "/documents" }

func closingArgs(p db.NoticeParams) []any { return []any{p.Act, p.Amount.String(), p.Subject} }

// serverArgs name why the server is down in the recipient's language (see localized).
func serverArgs(p db.NoticeParams) []any { return []any{p.Server, CheckFailure(p.Error)} }

// localized puts each Failure and chatTopics among args in the catalog's language.
func localized(c *Catalog, args []any) []any {
	for i, a := range args {
		switch a := a.(type) {
		case Failure:
			args[i] = a.In(c)
		case chatTopics:
			args[i] = a.In(c)
		}
	}
	return args
}

func monitoringLink(db.NoticeParams) string { return "/monitoring" }

func licenseArgs(p db.NoticeParams) []any {
	expires := p.Expires
	if t, err := time.Parse(time.DateOnly, p.Expires); err == nil {
		expires = t.Format("02.01.2006")
	}
	return []any{p.Product, p.Key, expires, p.Days}
}

// ticketArgs quote the message; one of files alone shows as «…». The
// ticket's number is text, as a number would group its thousands.
func ticketArgs(p db.NoticeParams) []any {
	return []any{strconv.FormatInt(p.TicketID, 10), p.Subject, cmp.Or(p.Text, "…"), p.Company}
}

var noticeKinds = map[string]noticeKind{
	db.NoticeQuestionAnswered:    {args: func(p db.NoticeParams) []any { return []any{p.Subject} }, link: func(db.NoticeParams) string { return "/questions#mine" }},
	db.NoticeLicenseExpiring:     {args: licenseArgs, link: monitoringLink},
	db.NoticeServerDown:          {args: serverArgs, link: monitoringLink},
	db.NoticeServerUp:            {args: serverArgs, link: monitoringLink},
	db.NoticeInvoiceIssued:       {args: invoiceArgs, link: documentsLink},
	db.NoticeInvoicePaid:         {args: invoiceArgs, link: documentsLink},
	db.NoticeClosingIssued:       {args: closingArgs, link: documentsLink},
	db.NoticeSMSLow:              {args: balanceArgs, link: serviceLink, more: balanceForecast},
	db.NoticeSMSNegative:         {args: balanceArgs, link: serviceLink, more: balanceForecast},
	db.NoticeTicketReply:         {args: ticketArgs, link: func(p db.NoticeParams) string { return fmt.Sprintf("/tickets/%d", p.TicketID) }},
	db.NoticeTicketClientMessage: {args: ticketArgs, link: func(p db.NoticeParams) string { return fmt.Sprintf("/admin/tickets/%d", p.TicketID) }},
	db.NoticeTest:                {args: noArgs, link: func(db.NoticeParams) string { return "/admin/outbox" }},
	db.NoticeTelegramLinked:      {args: func(p db.NoticeParams) []any { return []any{p.Company, chatTopicsOf(p.Kinds)} }, link: companyLink},
	db.NoticeTelegramRefused:     {args: noArgs, link: companyLink},
	db.NoticeTelegramUnlinked:    {args: noArgs, link: companyLink},
	db.NoticeTelegramHelp:        {args: noArgs, link: companyLink},
}

func noArgs(db.NoticeParams) []any { return nil }

func companyLink(db.NoticeParams) string { return "/company" }

// Composer writes notifications from their outbox rows.
type Composer struct {
	catalogs Catalogs
	baseURL  string
	html     *template.Template
}

// NewComposer returns a composer whose links lead to the portal at baseURL
// ("https://lk.example.ru").
func NewComposer(cs Catalogs, baseURL string) (*Composer, error) {
	t, err := template.ParseFS(mailTemplates, "mail/notice.html")
	if err != nil {
		return nil, fmt.Errorf("views: mail template: %w", err)
	}
	return &Composer{catalogs: cs, baseURL: strings.TrimRight(baseURL, "/"), html: t}, nil
}

// Subject is the notice's subject in its recipient's language, for lists.
func (c *Composer) Subject(n db.Notice) string {
	k, ok := noticeKinds[n.Kind]
	if !ok {
		return n.Kind
	}
	cat := c.catalogs.Get(n.Lang)
	return cat.T("notice."+n.Kind+".subject", localized(cat, k.args(n.Params))...)
}

// Compose writes the whole message: subject, plain text, HTML and SMS text.
func (c *Composer) Compose(n db.Notice) (Message, error) {
	k, ok := noticeKinds[n.Kind]
	if !ok {
		return Message{}, fmt.Errorf("views: unknown notice kind %q", n.Kind)
	}
	cat := c.catalogs.Get(n.Lang)
	args := localized(cat, k.args(n.Params))
	link := c.baseURL + k.link(n.Params)
	m := Message{
		Subject: cat.T("notice."+n.Kind+".subject", args...),
		SMS:     cat.T("notice."+n.Kind+".sms", args...),
	}
	paragraphs := strings.Split(cat.T("notice."+n.Kind+".body", args...), "\n\n")
	if k.more != nil {
		paragraphs = slices.Insert(paragraphs, 1, k.more(cat, n.Params)...)
	}
	footer := cat.T("notice.footer", c.baseURL+"/company")
	var text strings.Builder
	text.WriteString(cat.T("notice.greeting") + "\n\n")
	for _, p := range paragraphs {
		text.WriteString(p + "\n\n")
	}
	pay, hasPay := c.payOfferOf(cat, n)
	if hasPay {
		fmt.Fprintf(&text, "%s\n%s\n\n", pay.Text, pay.Link)
	}
	fmt.Fprintf(&text, "%s: %s\n\n-- \n%s\n", cat.T("notice.open"), link, footer)
	m.Text = text.String()
	chat := paragraphs
	if hasPay {
		chat = append(slices.Clip(paragraphs), pay.Chat+"\n"+pay.Link)
	}
	m.Chat = chatText(m.Subject, chat, cat.T("notice.open")+": "+link)
	var html bytes.Buffer
	err := c.html.Execute(&html, map[string]any{
		"Lang": cat.Lang, "Subject": m.Subject, "Greeting": cat.T("notice.greeting"), "Paragraphs": paragraphs,
		"Link": link, "Open": cat.T("notice.open"), "Footer": footer, "Portal": cat.T("app.name"),
		"Pay": pay, "HasPay": hasPay,
	})
	if err != nil {
		return Message{}, fmt.Errorf("views: compose notice %d: %w", n.ID, err)
	}
	m.HTML = html.String()
	return m, nil
}
