package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"elk/db/money"
)

// numberStyle is how a language writes numbers: what groups thousands,
// what separates decimals, and what stands before a percent sign.
type numberStyle struct{ group, point, percent string }

// Russian groups by a no-break space, as amounts are ("153 542,50 ₽"), and
// puts a no-break space before "%"; English writes "24,792" and "99.7%".
var numberStyles = map[string]numberStyle{
	"ru": {group: "\u00a0", point: ",", percent: "\u00a0%"},
	"en": {group: ",", point: ".", percent: "%"},
}

func styleOf(lang string) numberStyle {
	if s, ok := numberStyles[lang]; ok {
		return s
	}
	return numberStyles[Languages[0]]
}

// Count writes a whole number for people reading lang: "24 792", "24,792".
func Count(lang string, n int64) string {
	var buf [32]byte
	return string(appendCount(buf[:0], styleOf(lang), n))
}

func appendCount(dst []byte, st numberStyle, n int64) []byte {
	if n < 0 {
		dst = append(dst, "−"...) // the minus sign amounts print
		return money.AppendGrouped(dst, uint64(-n), st.group)
	}
	return money.AppendGrouped(dst, uint64(n), st.group)
}

// Decimal writes x rounded to places decimals, trailing zeros dropped:
// "99,7" in Russian, "99.7" in English, "1 234" for a whole number.
func Decimal(lang string, x float64, places int) string {
	st := styleOf(lang)
	s := strconv.FormatFloat(math.Abs(x), 'f', places, 64)
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	n, _ := strconv.ParseUint(whole, 10, 64)
	var buf [40]byte
	out := buf[:0]
	if x < 0 && (n > 0 || frac != "") {
		out = append(out, "−"...)
	}
	out = money.AppendGrouped(out, n, st.group)
	if frac != "" {
		out = append(append(out, st.point...), frac...)
	}
	return string(out)
}

// Percent writes x percent like Decimal, with the sign: "99,7 %", "99.7%".
func Percent(lang string, x float64, places int) string {
	return Decimal(lang, x, places) + styleOf(lang).percent
}

// Count, Decimal and Percent write numbers in the catalog's language.
func (c *Catalog) Count(n int64) string { return Count(c.Lang, n) }

// Decimal writes x in the catalog's language; see Decimal.
func (c *Catalog) Decimal(x float64, places int) string { return Decimal(c.Lang, x, places) }

// Percent writes x percent in the catalog's language; see Percent.
func (c *Catalog) Percent(x float64, places int) string { return Percent(c.Lang, x, places) }

// Compact writes a count short, for a chart's scale: as Count below 10 000,
// then "125 тыс.", "1,2 млн", "3,4 млрд" ("125K", "1.2M", "3.4B").
func (c *Catalog) Compact(n int64) string {
	switch a := math.Abs(float64(n)); {
	case a < 10_000:
		return c.Count(n)
	case a < 999_500:
		return c.T("number.thousands", c.Decimal(float64(n)/1e3, 0))
	case a < 999_950_000:
		return c.T("number.millions", c.Decimal(float64(n)/1e6, 1))
	default:
		return c.T("number.billions", c.Decimal(float64(n)/1e9, 1))
	}
}

// groupedInt prints an integer argument of a translation grouped the
// language's way under a plain %d; with a width or flag ("%02d") it prints
// as fmt would, for zero-padded minutes and the like.
type groupedInt struct {
	n  int64
	st numberStyle
}

func (g groupedInt) Format(f fmt.State, verb rune) {
	_, hasWidth := f.Width()
	if verb != 'd' || hasWidth || f.Flag('+') || f.Flag('0') || f.Flag('-') || f.Flag(' ') {
		fmt.Fprintf(f, fmt.FormatString(f, verb), g.n)
		return
	}
	var buf [32]byte
	f.Write(appendCount(buf[:0], g.st, g.n))
}

// localizeArgs wraps the integer arguments of a translation so they group.
func localizeArgs(lang string, args []any) []any {
	var out []any
	for i, a := range args {
		var n int64
		switch v := a.(type) {
		case int:
			n = int64(v)
		case int64:
			n = v
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = groupedInt{n: n, st: styleOf(lang)}
	}
	if out == nil {
		return args
	}
	return out
}
