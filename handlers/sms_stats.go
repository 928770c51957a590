package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
	"elk/db/money"
)

// smsStatsPage is the SMS statistics of the SMS service: counts by status,
// a per-day chart, spending, and every message with its status.
type smsStatsPage struct {
	*Page
	Service  db.CompanyService
	Period   period
	Total    int
	Spent    money.Kopecks
	Statuses []string
	Legend   []smsLegendItem
	Chart    *smsChart // nil when there is nothing to draw
	Status   string
	Phone    string
	Rows     smsRows
	CSVURL   string
	Kept     string      // how far back the list goes; "" while it keeps every SMS
	Pruned   string      // that the period starts before it; "" when it does not
	Empty    emptyState  // what the chart says when no SMS match
	Fix      *emptyState // instead of the statistics while the period is wrong
}

// smsLegendItem is the count of a status, with its colour in the chart.
type smsLegendItem struct {
	Class, Label, Count string
}

func smsLegend(p *Page, counts db.SMSCounts) []smsLegendItem {
	items := make([]smsLegendItem, len(db.SMSStatuses))
	for i, st := range db.SMSStatuses {
		items[i] = smsLegendItem{Class: "dot st-" + st, Label: p.T("sms.status." + st), Count: p.Count(counts[i])}
	}
	return items
}

// smsRows is a page of the messages' table (services/sms_rows) and the
// address of the next.
type smsRows struct {
	*Page
	Columns  smsColumns
	Messages []smsRow
	NextURL  string
	Empty    emptyState
}

// smsColumns name the table's columns, in its heads and before each value
// on a phone (data-label). Translated once for the table: a translation
// called from a template for each of fifty rows' five cells was a quarter
// of the page's cost.
type smsColumns struct{ SentAt, Phone, Parts, Status, Cost string }

type smsRow struct {
	SentAt, Phone       string
	Parts               int
	Status, StatusClass string
	Cost                string
}

// showSMSStats shows the statistics page of the company's SMS service, or
// only the next page of its messages, reading nothing else for them.
func (s *Server) showSMSStats(c *fiber.Ctx) error {
	cs, err := s.smsServiceParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	co := state(c).company
	p := s.page(c, "services", "sms.title")
	p.Path = "/services/" + strconv.FormatInt(cs.ID, 10) + "/sms"
	data := smsStatsPage{Page: p, Service: cs, Statuses: db.SMSStatuses}
	f, firstDay, lastDay := s.smsFilter(c, &data)
	if data.Fix != nil { // a wrong period shows no statistics, not those of another period
		return s.render(c, fiber.StatusOK, "services/sms", p, data)
	}
	if data.Rows, err = s.readSMSRows(c, p, f); err != nil {
		return err
	}
	data.Empty = emptyList(p, "sms.none", data.Status != "" || data.Phone != "", p.Path)
	data.Rows.Empty = data.Empty
	if keptFrom := db.SMSKeptFrom(s.store.Now(), s.cfg.SMSRawMonths, co.Location()); !keptFrom.IsZero() {
		data.Kept = p.T("sms.kept", p.N("sms.kept_months", s.cfg.SMSRawMonths), p.Day(keptFrom))
		switch {
		case lastDay.Before(keptFrom): // the list says it instead
			data.Rows.Empty = emptyState{Text: p.T("sms.list_gone")}
		case firstDay.Before(keptFrom):
			data.Pruned = p.T("sms.pruned")
		}
	}
	whole := func() error {
		// The cards and the chart count what the list shows: the roll-up
		// knows no phone numbers, so a number's SMS are counted themselves.
		var days []db.SMSDay
		if f.PhonePrefix != "" {
			days, err = s.store.SMSDaysMatching(ctx, co.ID, f, co.Location())
		} else {
			days, err = s.store.SMSDays(ctx, co.ID, firstDay, lastDay, data.Status)
		}
		if err != nil {
			return err
		}
		var counts db.SMSCounts
		for _, d := range days {
			data.Total += d.Total
			data.Spent += d.Cost
			for i, n := range d.Counts {
				counts[i] += n
			}
		}
		data.Legend = smsLegend(p, counts)
		data.Chart = newSMSChart(p, days, firstDay, lastDay)
		data.CSVURL = p.Path + ".csv?" + smsQueryString(c, "")
		return s.render(c, fiber.StatusOK, "services/sms", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"sms-more", "services/sms_rows", data.Rows})
}

// readSMSRows reads a page of the filtered messages, after the request's cursor.
func (s *Server) readSMSRows(c *fiber.Ctx, p *Page, f db.SMSFilter) (smsRows, error) {
	after, err := cursorParam(c)
	if err != nil {
		return smsRows{}, err
	}
	messages, next, err := s.store.ListSMS(c.UserContext(), state(c).company.ID, f, after, txPageSize)
	if err != nil {
		return smsRows{}, err
	}
	rows := smsRows{Page: p, Messages: make([]smsRow, len(messages)), Columns: smsColumns{SentAt: p.T("sms.sent_at"),
		Phone: p.T("sms.phone"), Parts: p.T("sms.parts"), Status: p.T("sms.status"), Cost: p.T("sms.cost")}}
	for i, m := range messages {
		rows.Messages[i] = smsRow{SentAt: p.DateTime(m.SentAt), Phone: formatPhone(m.Phone), Parts: m.Parts,
			Status: p.T("sms.status." + m.Status), StatusClass: "badge sms-" + m.Status, Cost: m.Cost.String()}
	}
	if next != nil {
		rows.NextURL = p.Path + "?" + smsQueryString(c, next.String())
	}
	return rows, nil
}

// smsFilter reads the page's filters: the period (the last 30 days unless
// chosen), the status and a phone number's beginning.
func (s *Server) smsFilter(c *fiber.Ctx, data *smsStatsPage) (db.SMSFilter, time.Time, time.Time) {
	co := state(c).company
	loc := co.Location()
	data.Period = parsePeriod(c, loc)
	// The last 30 days unless chosen; an end alone means the 30 days up to it;
	// at most a year, so the chart keeps one bar a day.
	lastDay := db.Today(s.store.Now(), loc)
	if data.Period.Error == "" && !data.Period.to.IsZero() {
		lastDay = db.Today(data.Period.to.Add(-time.Second), loc)
	}
	firstDay := lastDay.AddDate(0, 0, -29)
	if data.Period.Error == "" && !data.Period.from.IsZero() {
		firstDay = db.Today(data.Period.from, loc)
	}
	if data.Period.Error != "" {
		fix := periodFix(data.Page, data.Path) // the inputs keep what was typed
		data.Fix = &fix
	} else {
		if lastDay.Sub(firstDay) > 366*24*time.Hour {
			data.Period.Error, firstDay = "period.too_long", lastDay.AddDate(-1, 0, 1)
		}
		data.Period.From, data.Period.To = firstDay.Format("2006-01-02"), lastDay.Format("2006-01-02")
	}
	if i := slices.Index(db.SMSStatuses, c.Query("status")); i >= 0 {
		data.Status = db.SMSStatuses[i]
	}
	data.Phone = clone(strings.TrimSpace(c.Query("phone")))
	f := db.SMSFilter{Status: data.Status, PhonePrefix: phonePrefix(data.Phone),
		From: time.Date(firstDay.Year(), firstDay.Month(), firstDay.Day(), 0, 0, 0, 0, loc),
		To:   time.Date(lastDay.Year(), lastDay.Month(), lastDay.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)}
	return f, firstDay, lastDay
}

// phonePrefix turns what a person types to find a number into the beginning
// of stored numbers: "8 900 12" and "900 12" both mean "+790012".
func phonePrefix(typed string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, typed)
	switch {
	case digits == "":
		return ""
	case strings.HasPrefix(digits, "8") && len(digits) > 1 && !strings.HasPrefix(typed, "+"):
		return "+7" + digits[1:]
	case strings.HasPrefix(digits, "9") && !strings.HasPrefix(typed, "+"):
		return "+7" + digits
	}
	return "+" + digits
}

// smsQueryString is the page's filters as a query, with the page's cursor if any.
func smsQueryString(c *fiber.Ctx, after string) string {
	q := strings.Builder{}
	for _, k := range []string{"from", "to", "status", "phone"} {
		if v := c.Query(k); v != "" {
			fmt.Fprintf(&q, "%s=%s&", k, urlEscape(v))
		}
	}
	if after != "" {
		q.WriteString("after=" + after)
	}
	return strings.TrimSuffix(q.String(), "&")
}

// exportSMS streams exactly the filtered SMS as CSV for Excel in a Russian locale.
func (s *Server) exportSMS(c *fiber.Ctx) error {
	if _, err := s.smsServiceParam(c); err != nil {
		return err
	}
	co := *state(c).company
	p := s.page(c, "services", "sms.title")
	var data smsStatsPage
	data.Page = p
	f, _, _ := s.smsFilter(c, &data)
	if data.Period.Error != "" {
		return fiber.NewError(fiber.StatusUnprocessableEntity, data.Period.Error)
	}
	loc := co.Location()
	header := []string{p.T("sms.sent_at"), p.T("sms.phone"), p.T("sms.parts"), p.T("sms.status"), p.T("sms.status_at"), p.T("sms.cost"), p.T("sms.id")}
	statusNames := map[string]string{}
	for _, st := range db.SMSStatuses {
		statusNames[st] = csvText(p.T("sms.status." + st))
	}
	name := "sms-" + db.Today(s.store.Now(), loc).Format("2006-01-02")
	return s.streamCSV(c, name, header, func(row func([]string) error) error {
		return s.store.EachSMS(context.Background(), co.ID, f, func(m db.SMSMessage) error {
			return row([]string{m.SentAt.In(loc).Format("02.01.2006 15:04:05"), csvPhone(m.Phone), strconv.Itoa(m.Parts),
				statusNames[m.Status], m.StatusAt.In(loc).Format("02.01.2006 15:04:05"), csvAmount(m.Cost), csvText(m.SenderID)})
		})
	})
}

// csvPhone writes a phone so a spreadsheet shows it as stored. A bare
// "+79119124385" is the formula =+79119124385 to Excel, shown as the number
// 79119124385; csvText's guard, a quote before it, shows the quote.
// ="+79119124385" is a formula of one text constant: it calls nothing and
// shows +79119124385. Only a "+" and digits are written so, the form the
// API stores; anything else is text through csvText.
func csvPhone(phone string) string {
	if len(phone) > 1 && phone[0] == '+' && allDigits(phone[1:]) {
		return `"=""` + phone + `"""`
	}
	return csvText(phone)
}

// smsServiceParam is the :id service when it is the company's SMS service.
func (s *Server) smsServiceParam(c *fiber.Ctx) (db.CompanyService, error) {
	cs, err := s.companyServiceParam(c)
	if err == nil && cs.ServiceCode != db.ServiceSMS {
		return cs, fiber.ErrNotFound
	}
	return cs, err
}
