package views

import (
	"math"
	"strings"
)

// nesting bounds how deep the text nests its blocks: the most containers
// (quotes, lists) any line opens or continues. Each quote marker and each
// list marker (-, + or * and 1. or 1) before a space) at the line's start,
// however many follow one another, opens one; every two columns of indent
// may continue a list item of the lines above. The space after a list
// marker is the item's own, as is one after a quote marker. The parser
// takes time that grows with the square of the depth, so the count is
// made on the text, before parsing it.
func nesting(src string) int {
	deepest := 0
	for line := range strings.Lines(src) {
		deepest = max(deepest, lineNesting(line))
	}
	return deepest
}

// lineNesting counts the containers a line's start may open or continue.
func lineNesting(line string) int {
	line = line[:ruleStart(line)] // a rule of dashes or stars opens no list
	depth, i := 0, 0
	own := 0 // columns of the next indent that belong to the marker before it
	for {
		cols := 0
		for ; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
			cols++
			if line[i] == '\t' {
				cols += 3 // to the next tab stop, at most four columns on
			}
		}
		depth += max(cols-own, 0) / 2
		if i < len(line) && line[i] == '>' {
			depth, own, i = depth+1, 1, i+1
		} else if n := listMarker(line[i:]); n > 0 {
			depth, own, i = depth+1, math.MaxInt, i+n
		} else {
			return depth
		}
	}
}

// listMarker is the length of the list marker that line starts with, or 0:
// -, + or *, or up to nine digits and . or ), before a space, a tab or the
// end of the line.
func listMarker(line string) int {
	n := 0
	switch {
	case line == "":
		return 0
	case strings.IndexByte("-+*", line[0]) >= 0:
		n = 1
	default:
		for n < len(line) && '0' <= line[n] && line[n] <= '9' {
			n++
		}
		if n == 0 || n > 9 || n == len(line) || (line[n] != '.' && line[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(line) && strings.IndexByte(" \t\r\n", line[n]) < 0 {
		return 0
	}
	return n
}

// ruleStart is where a thematic break (three or more of one of -, * and _
// with only spaces and tabs between) begins that fills the rest of line, or
// the line's length.
func ruleStart(line string) int {
	trimmed := strings.TrimRight(line, " \t\r\n")
	if trimmed == "" || strings.IndexByte("-*_", trimmed[len(trimmed)-1]) < 0 {
		return len(line)
	}
	mark, marks, i := trimmed[len(trimmed)-1], 0, len(trimmed)
	for ; i > 0 && (trimmed[i-1] == mark || trimmed[i-1] == ' ' || trimmed[i-1] == '\t'); i-- {
		if trimmed[i-1] == mark {
			marks++
		}
	}
	if marks < 3 {
		return len(line)
	}
	for trimmed[i] != mark {
		i++
	}
	return i
}
