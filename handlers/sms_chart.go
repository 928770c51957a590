package handlers

import (
	"slices"
	"strings"
	"time"

	"elk/db"
)

// smsChart is the SMS statistics' chart (services/sms_chart): stacked bars,
// one per calendar day of the period, empty days included so that gaps
// show. It is drawn on the server as SVG, so it reads without any script.
type smsChart struct {
	Label         string // what it shows, for screen readers
	Width, Height float64
	Axis          chartLine
	Scale         []chartLabel // the peak and zero, left of the bars
	Days          []smsChartDay
	Dates         []chartLabel // the first and last day, under the bars
}

// smsChartDay is a day's stack, bottom up, with the day's SMS by status as its tooltip.
type smsChartDay struct {
	Title string
	Bars  []chartBar
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

// newSMSChart lays out the days from first to last; days holds only the
// days with SMS, oldest first. Without any SMS there is nothing to draw: nil.
func newSMSChart(p *Page, days []db.SMSDay, first, last time.Time) *smsChart {
	peak := 0
	for _, d := range days {
		peak = max(peak, d.Total)
	}
	if peak == 0 {
		return nil
	}
	var statusNames [len(db.SMSCounts{})]string
	for _, st := range chartStatuses {
		statusNames[st.index] = p.T("sms.status." + st.name)
	}
	n := int(last.Sub(first).Hours()/24) + 1
	axis := float64(chartHeight - chartBottom)
	plotH := axis - 8
	top := p.Compact(int64(peak))
	left := scaleLeft(top)
	slot := (chartWidth - left) / float64(n)
	chart := &smsChart{
		Label: p.T("sms.per_day"), Width: chartWidth, Height: chartHeight,
		Axis:  chartLine{X1: left, Y1: axis, X2: chartWidth, Y2: axis},
		Scale: []chartLabel{{X: left - 4, Y: 16, End: true, Text: top}, {X: left - 4, Y: axis, End: true, Text: "0"}},
		Days:  make([]smsChartDay, n),
		Dates: []chartLabel{{X: left, Y: chartHeight - 4, Text: p.Day(first)}, {X: chartWidth, Y: chartHeight - 4, End: true, Text: p.Day(last)}},
	}
	for i := range n {
		day := first.AddDate(0, 0, i)
		var d db.SMSDay
		if len(days) > 0 && dayOf(days[0].Day) == dayOf(day) {
			d, days = days[0], days[1:]
		}
		var title strings.Builder
		title.WriteString(p.Day(day) + ": " + p.N("sms.count", d.Total))
		y := axis
		for _, st := range chartStatuses {
			count := d.Counts[st.index]
			if count == 0 {
				continue
			}
			title.WriteString(", " + statusNames[st.index] + " " + p.Count(count))
			h := plotH * float64(count) / float64(peak)
			y -= h
			chart.Days[i].Bars = append(chart.Days[i].Bars, newChartBar(st.class, left+float64(i)*slot+slot*0.1, y, slot*0.8, h, ""))
		}
		chart.Days[i].Title = title.String()
	}
	return chart
}
