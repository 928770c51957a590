package handlers_test

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"elk/db"
	"elk/db/money"
	"elk/testutil"
	"elk/views"
)

// ruCount is a count as a Russian page prints it: «24 792».
func ruCount(n int) string { return views.Count("ru", int64(n)) }

func TestSMSStatisticsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	path := "/services/" + itoa(sms.ID) + "/sms"
	c := e.loggedIn("taxi", "taxi123")
	r := c.get(path)
	all := e.sqlInt(`SELECT count(*) FROM sms WHERE company_id = 1`)
	if r.Status != http.StatusOK || r.Text("#sms-total") != ruCount(all) {
		t.Fatalf("total %q, %d SMS in the demo", r.Text("#sms-total"), all)
	}
	// Counts group thousands as amounts do: «24 792», not «24792».
	if all < 1000 || !strings.Contains(r.Text("#sms-total"), "\u00a0") {
		t.Errorf("total %q of %d SMS is not grouped by thousands", r.Text("#sms-total"), all)
	}
	if spent := money.Kopecks(e.sqlInt(`SELECT sum(cost) FROM sms WHERE company_id = 1`)); r.Text("#sms-spent") != spent.String() {
		t.Errorf("spent %q, want %s", r.Text("#sms-spent"), spent)
	}
	if r.Find("#sms-chart rect.bar").Length() == 0 || r.Find("#sms-chart title").Length() != 30 {
		t.Errorf("chart: %d bars, %d days", r.Find("#sms-chart rect.bar").Length(), r.Find("#sms-chart title").Length())
	}
	failed := e.sqlInt(`SELECT count(*) FROM ` + smsAsText + ` WHERE company_id = 1 AND status = 'failed'`)
	if !strings.Contains(r.Text("#sms-counts"), "Не доставлено: "+ruCount(failed)) {
		t.Errorf("counts: %s (want %d failed)", r.Text("#sms-counts"), failed)
	}

	// Only failed ones: the list, the totals and the chart all narrow.
	r = c.get(path + "?status=failed")
	r.Find("#sms-rows .badge").Each(func(_ int, b *goquery.Selection) {
		if b.Text() != "Не доставлено" {
			t.Errorf("a %q SMS among the failed", b.Text())
		}
	})
	spent := money.Kopecks(e.sqlInt(`SELECT coalesce(sum(cost), 0) FROM ` + smsAsText + ` WHERE company_id = 1 AND status = 'failed'`))
	if r.Text("#sms-spent") != spent.String() {
		t.Errorf("failed only: spent %q, want %s", r.Text("#sms-spent"), spent)
	}
	if r.Text("#sms-total") != ruCount(failed) || r.Find("#sms-chart rect.bar").Length() != r.Find("#sms-chart rect.st-failed").Length() {
		t.Errorf("failed only: total %q (want %d), %d bars of which %d failed", r.Text("#sms-total"), failed,
			r.Find("#sms-chart rect.bar").Length(), r.Find("#sms-chart rect.st-failed").Length())
	}
	phone := c.get(path).Find("#sms-rows tr td").Eq(1).Text() // "+7 9xx xxx-xx-xx"
	digits := strings.NewReplacer(" ", "", "-", "", "+7", "8").Replace(phone)
	r = c.get(path + "?phone=" + digits)
	rows := r.Find("#sms-rows tr:not(#sms-more)")
	if rows.Length() == 0 {
		t.Fatalf("no SMS to %s found by %q", phone, digits)
	}
	rows.Each(func(_ int, row *goquery.Selection) {
		if got := row.Find("td").Eq(1).Text(); got != phone {
			t.Errorf("search %q found %q", digits, got)
		}
	})

	// Narrowing the period to a day narrows the numbers and the chart:
	// yesterday, which the demo filled from morning to night.
	day := db.Today(e.Clock.Now(), testutil.Moscow)
	today, yesterday := day.Format("2006-01-02"), day.AddDate(0, 0, -1).Format("2006-01-02")
	r = c.get(path + "?from=" + yesterday + "&to=" + yesterday)
	n := e.sqlInt(`SELECT count(*) FROM `+smsAsText+` WHERE company_id = 1 AND day = ?`, yesterday)
	if n == 0 || r.Text("#sms-total") != ruCount(n) || r.Find("#sms-chart title").Length() != 1 {
		t.Errorf("yesterday: total %q (want %d > 0), %d chart days", r.Text("#sms-total"), n, r.Find("#sms-chart title").Length())
	}
	csv := c.get(path + ".csv?from=" + yesterday + "&to=" + yesterday + "&status=delivered")
	delivered := e.sqlInt(`SELECT count(*) FROM `+smsAsText+` WHERE company_id = 1 AND day = ? AND status = 'delivered'`, yesterday)
	if lines := strings.Count(csv.Body, "\r\n") - 1; csv.Status != http.StatusOK || lines != delivered {
		t.Errorf("CSV: %d, %d rows, want %d", csv.Status, lines, delivered)
	}
	// A phone shows as stored, with its plus and without a quote before it.
	if lines := strings.Split(csv.Body, "\r\n"); delivered > 0 && len(lines) > 1 {
		if phone := strings.Split(lines[1], ";")[1]; !strings.HasPrefix(phone, `"=""+7`) || !strings.HasSuffix(phone, `"""`) {
			t.Errorf("CSV phone %q, want \"=\"\"+7…\"\"\"", phone)
		}
	}
	// Each row ends with the status's time and the id the client's server gave.
	if lines := strings.Split(csv.Body, "\r\n"); delivered > 0 && len(lines) > 1 {
		cells := strings.Split(lines[1], ";")
		statusAt, senderID := cells[len(cells)-3], strings.Trim(cells[len(cells)-1], `"`)
		if _, err := time.Parse("02.01.2006 15:04:05", statusAt); err != nil ||
			e.sqlInt(`SELECT count(*) FROM sms WHERE company_id = 1 AND sender_id = ?`, senderID) != 1 {
			t.Errorf("CSV row %q: status at %q, sender id %q", lines[1], statusAt, senderID)
		}
	}
	// A period without SMS draws no chart and says so.
	r = c.get(path + "?from=2001-01-01&to=2001-01-05")
	if r.Text("#sms-total") != "0" || r.Find("#sms-chart").Length() != 0 || !strings.Contains(r.Text(".chart-card"), "За этот период СМС нет") {
		t.Errorf("no SMS: total %q, chart %d, %q", r.Text("#sms-total"), r.Find("#sms-chart").Length(), r.Text(".chart-card"))
	}
	// An end alone means the 30 days up to it; more than a year is refused.
	r = c.get(path + "?to=" + today)
	if r.Text("#sms-total") != ruCount(all) || r.Find("#f-from").AttrOr("value", "") == "" {
		t.Errorf("only the end: total %q, from %q", r.Text("#sms-total"), r.Find("#f-from").AttrOr("value", ""))
	}
	if r = c.get(path + "?from=2000-01-01"); r.Text("#period-error") == "" || r.Find("#sms-chart title").Length() > 366 {
		t.Errorf("26 years: error %q, %d chart days", r.Text("#period-error"), r.Find("#sms-chart title").Length())
	}
	support := serviceOf(t, e, 1, db.ServiceSupport)
	if r := c.get("/services/" + itoa(support.ID) + "/sms"); r.Status != http.StatusNotFound {
		t.Errorf("SMS statistics of the support service: %d", r.Status)
	}
}

// Each day's bar tells that day's SMS by status, counted from the messages
// themselves, and stacks a rectangle for each status it had.
func TestSMSChartTellsEachDay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	r := e.loggedIn("taxi", "taxi123").get("/services/" + itoa(sms.ID) + "/sms")
	days := r.Find("#sms-chart g")
	if days.Length() != 30 {
		t.Fatalf("%d days in the chart", days.Length())
	}
	names := map[string]string{db.SMSDelivered: "Доставлено", db.SMSFailed: "Не доставлено"}
	days.Each(func(_ int, g *goquery.Selection) {
		title := g.Find("title").Text()
		shown, err := time.Parse("02.01.2006", title[:len("02.01.2006")])
		if err != nil {
			t.Fatalf("day title %q: %v", title, err)
		}
		day := shown.Format("2006-01-02")
		total := e.sqlInt(`SELECT count(*) FROM `+smsAsText+` WHERE company_id = 1 AND day = ?`, day)
		if !strings.HasPrefix(title, shown.Format("02.01.2006")+": "+strconv.Itoa(total)+" СМС") {
			t.Errorf("%s: title %q, want %d SMS", day, title, total)
		}
		for st, name := range names {
			n := e.sqlInt(`SELECT count(*) FROM `+smsAsText+` WHERE company_id = 1 AND day = ? AND status = ?`, day, st)
			if n > 0 && !strings.Contains(title, ", "+name+" "+ruCount(n)) {
				t.Errorf("%s: title %q lacks %s %d", day, title, name, n)
			}
		}
		statuses := e.sqlInt(`SELECT count(DISTINCT status) FROM `+smsAsText+` WHERE company_id = 1 AND day = ?`, day)
		if bars := g.Find("rect.bar").Length(); bars != statuses {
			t.Errorf("%s: %d rectangles for %d statuses", day, bars, statuses)
		}
	})
}

// The stacks stand on the axis, each bar on the one below, as tall against
// the plot as its count against the busiest day's, whose stack reaches the top.
func TestSMSChartStacksOnTheAxis(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sms := serviceOf(t, e, 1, db.ServiceSMS)
	r := e.loggedIn("taxi", "taxi123").get("/services/" + itoa(sms.ID) + "/sms")
	num := func(s *goquery.Selection, attr string) float64 {
		v, err := strconv.ParseFloat(s.AttrOr(attr, ""), 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", attr, s.AttrOr(attr, ""), err)
		}
		return v
	}
	axis := r.Find("#sms-chart line.axis")
	bottom := num(axis, "y1")
	peak, err := strconv.Atoi(r.Find("#sms-chart text.tick").First().Text())
	if err != nil || peak == 0 {
		t.Fatalf("the scale's top %q", r.Find("#sms-chart text.tick").First().Text())
	}
	const top, near = 8.0, 0.35 // the plot's top; rounding to a tenth, up to five bars a stack
	reached := false
	r.Find("#sms-chart g").Each(func(_ int, g *goquery.Selection) {
		title := g.Find("title").Text()
		total, _ := strconv.Atoi(strings.Fields(title)[1])
		y := bottom
		g.Find("rect.bar").Each(func(_ int, bar *goquery.Selection) {
			if got := num(bar, "y") + num(bar, "height"); math.Abs(got-y) > near {
				t.Errorf("%s: a bar ends at %.1f, the one below starts at %.1f", title, got, y)
			}
			y = num(bar, "y")
			if x := num(bar, "x"); x < num(axis, "x1") || x+num(bar, "width") > num(axis, "x2") {
				t.Errorf("%s: a bar at %.1f off the axis", title, x)
			}
		})
		if want := bottom - (bottom-top)*float64(total)/float64(peak); math.Abs(y-want) > near {
			t.Errorf("%s: the stack's top at %.1f, want %.1f", title, y, want)
		}
		reached = reached || (total == peak && math.Abs(y-top) <= near)
	})
	if !reached {
		t.Errorf("no stack reaches the top for the busiest day's %d SMS", peak)
	}
}
