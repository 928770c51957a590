package handlers

import (
	"math"
	"unicode/utf8"
)

// chartBar is a rectangle of a server-drawn SVG chart, in the units of the
// chart's viewBox, with a tooltip where the chart gives each bar its own.
type chartBar struct {
	Class               string
	X, Y, Width, Height float64
	Title               string
}

// newChartBar places a bar, its numbers rounded to a tenth.
func newChartBar(class string, x, y, width, height float64, title string) chartBar {
	return chartBar{Class: class, X: tenth(x), Y: tenth(y), Width: tenth(width), Height: tenth(height), Title: title}
}

// chartLabel is a text of a chart at a point; End anchors the text by its
// end there, for labels on the right or left of their place. A Minor label
// is hidden on a phone, where the labels would overlap.
type chartLabel struct {
	X, Y  float64
	End   bool
	Minor bool
	Text  string
}

// chartLine is a line of a chart between two points.
type chartLine struct{ X1, Y1, X2, Y2 float64 }

// tenth rounds a coordinate to a tenth: finer is invisible, and longer to print.
func tenth(v float64) float64 { return math.Round(v*10) / 10 }

// chartTickChar is the widest a tick's character gets, in viewBox units: at
// the size app.css gives ticks on a phone (22 units), where they stay readable.
const chartTickChar = 0.6 * 22

// scaleLeft is where a chart's bars start: right of its widest scale label.
func scaleLeft(labels ...string) float64 {
	room := 0
	for _, l := range labels {
		room = max(room, utf8.RuneCountInString(l))
	}
	return max(chartLeft, tenth(float64(room)*chartTickChar+8))
}
