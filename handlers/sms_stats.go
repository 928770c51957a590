package handlers

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// smsStatsPage is the SMS statistics of the SMS service: counts by status,
// a per-day chart, spending, and every message with its status.
type smsStatsPage struct {
	*Page
	Service  db.CompanyService
	Period   period
	Total    int
	Spent    db.Kopecks
	Statuses []string
	Legend   template.HTML // the count of each status
	Chart    template.HTML // the per-day chart, or a word that there is nothing to draw
	Status   string
	Phone    string
	Messages template.HTML // the table's rows
	Empty    bool
	NextURL  string
	CSVURL   string
}

// chartStatuses are stacked in the chart bottom up, as indexes into
// db.SMSStatuses (the order of db.SMSCounts), with their bars' classes.
var chartStatuses = func() (out []chartStatus) {
	for _, st := range []string{db.SMSDelivered, db.SMSSent, db.SMSQueued, db.SMSExpired, db.SMSFailed} {
		out = append(out, chartStatus{slices.Index(db.SMSStatuses, st), st, "bar st-" + st})
	}
	return out
}()

type chartStatus struct {
	index       int
	name, class string
}

const (
	chartWidth  = 720
	chartHeight = 200
	chartLeft   = 44
	chartBottom = 22
)

// showSMSStats shows the statistics page of the company's SMS service.
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
	days, err := s.store.SMSDays(ctx, co.ID, firstDay, lastDay, data.Status)
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
	data.Chart = buildSMSChart(p, days, firstDay, lastDay)
	after, err := cursorParam(c)
	if err != nil {
		return err
	}
	rows, next, err := s.store.ListSMS(ctx, co.ID, f, after, txPageSize)
	if err != nil {
		return err
	}
	table := newTableRows(len(rows), p.T("sms.sent_at"), p.T("sms.phone"), p.T("sms.parts"), p.T("sms.status"), p.T("sms.cost"))
	for _, m := range rows {
		table.row(cell{text: p.DateTime(m.SentAt)}, cell{text: formatPhone(m.Phone)}, cell{text: strconv.Itoa(m.Parts), class: "num"},
			cell{text: p.T("sms.status." + m.Status), span: "badge sms-" + m.Status}, cell{text: m.Cost.String(), class: "num"})
	}
	data.Messages, data.Empty = table.HTML(), len(rows) == 0
	if next != nil {
		data.NextURL = p.Path + "?" + smsQueryString(c, next.String())
	}
	data.CSVURL = p.Path + ".csv?" + smsQueryString(c, "")
	if wantsFragment(c, "sms-more") {
		return s.fragment(c, "services/sms_rows", data)
	}
	return s.render(c, fiber.StatusOK, "services/sms", p, data)
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
	if lastDay.Sub(firstDay) > 366*24*time.Hour {
		data.Period.Error, firstDay = "period.too_long", lastDay.AddDate(-1, 0, 1)
	}
	data.Period.From, data.Period.To = firstDay.Format("2006-01-02"), lastDay.Format("2006-01-02")
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

// civilDay is a calendar day, comparable across time zones.
type civilDay struct {
	year  int
	month time.Month
	day   int
}

func dayOf(t time.Time) civilDay {
	y, m, d := t.Date()
	return civilDay{y, m, d}
}

// smsLegend writes the count of each status, each with its colour in the chart.
func smsLegend(p *Page, counts db.SMSCounts) template.HTML {
	var m markup
	for i, st := range db.SMSStatuses {
		m.open("li")
		m.open("span", "class", "dot st-"+st)
		m.close("span")
		m.text(p.T("sms.status."+st) + ": ")
		m.elem("strong", strconv.Itoa(counts[i]))
		m.close("li")
	}
	return m.HTML()
}

// buildSMSChart draws the days as server-side SVG, so that it reads without
// any script: stacked bars, one per calendar day of the period, empty days
// included, so that gaps show. Without any SMS there is only a word.
func buildSMSChart(p *Page, days []db.SMSDay, first, last time.Time) template.HTML {
	peak := 0
	for _, d := range days {
		peak = max(peak, d.Total)
	}
	if peak == 0 {
		var m markup
		m.elem("p", p.T("sms.none"), "class", "muted")
		return m.HTML()
	}
	var statusNames [len(db.SMSCounts{})]string
	for _, st := range chartStatuses {
		statusNames[st.index] = p.T("sms.status." + st.name)
	}
	n := int(last.Sub(first).Hours()/24) + 1
	plotH := float64(chartHeight - chartBottom - 8)
	slot := float64(chartWidth-chartLeft) / float64(n)
	var shapes svgShapes
	shapes.b.Grow(n*600 + 1024) // a day's tooltip and bars take up to about 500 bytes
	shapes.b.WriteString(`<svg class="chart" id="sms-chart" viewBox="0 0 ` + strconv.Itoa(chartWidth) + " " + strconv.Itoa(chartHeight) + `" role="img" aria-label="`)
	escapeTo(&shapes.b, p.T("sms.per_day"))
	shapes.b.WriteString(`">`)
	shapes.line("axis", chartLeft, chartHeight-chartBottom, chartWidth, chartHeight-chartBottom)
	shapes.text("tick", chartLeft-4, 16, true, strconv.Itoa(peak))
	shapes.text("tick", chartLeft-4, chartHeight-chartBottom, true, "0")
	var title [3 + 4*len(db.SMSCounts{})]string
	for i := range n {
		// days holds only days with SMS, oldest first.
		day := first.AddDate(0, 0, i)
		var d db.SMSDay
		if len(days) > 0 && dayOf(days[0].Day) == dayOf(day) {
			d, days = days[0], days[1:]
		}
		parts := append(title[:0], p.Day(day), ": ", p.N("sms.count", d.Total))
		for _, st := range chartStatuses {
			if count := d.Counts[st.index]; count > 0 {
				parts = append(parts, ", ", statusNames[st.index], " ", strconv.Itoa(count))
			}
		}
		shapes.group(parts...)
		y := float64(chartHeight - chartBottom)
		for _, st := range chartStatuses {
			count := d.Counts[st.index]
			if count == 0 {
				continue
			}
			h := plotH * float64(count) / float64(peak)
			y -= h
			shapes.rect(st.class, chartLeft+float64(i)*slot+slot*0.1, y, slot*0.8, h, "")
		}
		shapes.end()
	}
	shapes.text("tick", chartLeft, chartHeight-4, false, p.Day(first))
	shapes.text("tick", chartWidth, chartHeight-4, true, p.Day(last))
	shapes.b.WriteString("</svg>")
	return shapes.HTML()
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
			return row([]string{m.SentAt.In(loc).Format("02.01.2006 15:04:05"), csvText(m.Phone), strconv.Itoa(m.Parts),
				statusNames[m.Status], m.StatusAt.In(loc).Format("02.01.2006 15:04:05"), csvAmount(m.Cost), csvText(m.SenderID)})
		})
	})
}

// smsServiceParam is the :id service when it is the company's SMS service.
func (s *Server) smsServiceParam(c *fiber.Ctx) (db.CompanyService, error) {
	cs, err := s.companyServiceParam(c)
	if err == nil && cs.ServiceCode != db.ServiceSMS {
		return cs, fiber.ErrNotFound
	}
	return cs, err
}
