package handlers

import (
	"time"

	"elk/db"
	"elk/db/money"
)

// barChart is a server-drawn SVG chart of one bar a period
// (admin/bar_chart), each bar with its tooltip, a label under each.
type barChart struct {
	ID, Label     string
	Width, Height float64
	Axis          chartLine
	Scale         []chartLabel // the peak and zero, left of the bars
	Bars          []chartBar
	Labels        []chartLabel // under the bars
}

// newPaymentsChart draws the money received in each of the last
// db.DashboardPaymentMonths months to today's, months without any included.
// Without any payment there is nothing to draw: nil.
func newPaymentsChart(p *Page, months []db.MonthPayment, today time.Time) *barChart {
	var peak money.Kopecks
	for _, m := range months {
		peak = max(peak, m.Amount)
	}
	if peak <= 0 {
		return nil
	}
	n := db.DashboardPaymentMonths
	axis := float64(chartHeight - chartBottom)
	plotH := axis - 8
	top := p.Compact(int64(peak/100)) + " ₽"
	left := scaleLeft(top)
	slot := (chartWidth - left) / float64(n)
	chart := &barChart{ID: "payments-chart", Label: p.T("home.payments"), Width: chartWidth, Height: chartHeight,
		Axis:  chartLine{X1: left, Y1: axis, X2: chartWidth, Y2: axis},
		Scale: []chartLabel{{X: left - 4, Y: 16, End: true, Text: top}, {X: left - 4, Y: axis, End: true, Text: "0"}}}
	first := time.Date(today.Year(), today.Month()-time.Month(n-1), 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		month := first.AddDate(0, i, 0)
		var amount money.Kopecks
		if len(months) > 0 && months[0].Month.Equal(month) {
			amount, months = months[0].Amount, months[1:]
		}
		h := plotH * float64(amount) / float64(peak)
		x := left + float64(i)*slot
		chart.Bars = append(chart.Bars, newChartBar("bar pay", x+slot*0.15, axis-h, slot*0.7, h, p.Month(month)+": "+amount.String()))
		// On a phone every other month is labelled, the current one always,
		// ending at the chart's edge where the larger text would pass it.
		label := chartLabel{X: tenth(x + slot/2), Y: chartHeight - 4, Text: month.Format("01.06"), Minor: (n-1-i)%2 == 1}
		if i == n-1 {
			label.X, label.End = chartWidth, true
		}
		chart.Labels = append(chart.Labels, label)
	}
	return chart
}
