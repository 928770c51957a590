package handlers

import "math"

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
// end there, for labels on the right or left of their place.
type chartLabel struct {
	X, Y float64
	End  bool
	Text string
}

// chartLine is a line of a chart between two points.
type chartLine struct{ X1, Y1, X2, Y2 float64 }

// tenth rounds a coordinate to a tenth: finer is invisible, and longer to print.
func tenth(v float64) float64 { return math.Round(v*10) / 10 }
