// Package money holds amounts of money: whole kopecks, parsed as people
// type them and written as Russian documents print them.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kopecks is an amount of money in kopecks (hundredths of a ruble). Money is
// never a float: parsing, arithmetic and storage all stay in whole kopecks.
type Kopecks int64

// Scan reads an amount from the database. database/sql would get there
// too, by reflection and an allocation a column; amounts fill the hot pages.
func (k *Kopecks) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("money: %T is not an amount in kopecks", src)
	}
	*k = Kopecks(v)
	return nil
}

// MaxKopecks bounds any single amount a person types: a billion rubles.
const MaxKopecks Kopecks = 100_000_000_000

// Errors of ParseKopecks; their text is a translation key.
var (
	ErrMoneyEmpty    = errors.New("money.empty")
	ErrMoneyFormat   = errors.New("money.format")
	ErrMoneyTooLarge = errors.New("money.too_large")
)

// ParseKopecks reads an amount as people type it: "1234,56", "1 234,56",
// "1234.5", "-5", "0". A comma or a dot separates at most two decimals;
// spaces (also non-breaking) may group thousands, and only thousands.
// Anything else ("12,345", "1e3", "1.2.3", "1 23") is refused rather than
// guessed at.
func ParseKopecks(s string) (Kopecks, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "₽"), "руб."))
	if s == "" {
		return 0, ErrMoneyEmpty
	}
	if !groupedByThousands(s) {
		return 0, ErrMoneyFormat
	}
	s = thousandSeparators.Replace(s)
	negative := false
	switch {
	case strings.HasPrefix(s, "-"):
		negative, s = true, s[1:]
	case strings.HasPrefix(s, "−"): // the minus sign Format writes
		negative, s = true, strings.TrimPrefix(s, "−")
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" || !allASCIIDigits(whole) || (hasFrac && (len(frac) == 0 || len(frac) > 2 || !allASCIIDigits(frac))) {
		return 0, ErrMoneyFormat
	}
	if len(whole) > 12 {
		return 0, ErrMoneyTooLarge
	}
	rubles, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrMoneyFormat
	}
	var kop int64
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		kop, _ = strconv.ParseInt(frac, 10, 64)
	}
	k := Kopecks(rubles*100 + kop)
	if k > MaxKopecks {
		return 0, ErrMoneyTooLarge
	}
	if negative {
		k = -k
	}
	return k, nil
}

var thousandSeparators = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "")

// groupedByThousands reports whether the spaces in an amount, if any, stand
// only between groups of three digits of its whole part: "1 234 567,89".
func groupedByThousands(s string) bool {
	isSpace := func(r rune) bool { return r == ' ' || r == '\u00a0' || r == '\u202f' }
	if !strings.ContainsFunc(s, isSpace) {
		return true
	}
	whole := strings.TrimLeft(s, "+-−")
	if i := strings.IndexAny(whole, ",."); i >= 0 {
		if strings.ContainsFunc(whole[i:], isSpace) {
			return false // spaces among the decimals
		}
		whole = whole[:i]
	}
	groups := strings.Split(strings.Map(func(r rune) rune {
		if isSpace(r) {
			return ' '
		}
		return r
	}, whole), " ")
	for i, g := range groups {
		if (i == 0 && (len(g) == 0 || len(g) > 3)) || (i > 0 && len(g) != 3) {
			return false
		}
	}
	return true
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats the amount the Russian way: "1 234,56 ₽", "−5,00 ₽".
func (k Kopecks) String() string {
	var buf [48]byte
	return string(append(k.appendFormat(buf[:0]), " ₽"...))
}

// Format formats the amount without the currency sign: "1 234,56", "−5,00".
func (k Kopecks) Format() string {
	var buf [48]byte
	return string(k.appendFormat(buf[:0]))
}

// appendFormat appends the amount with a minus sign, no-break spaces
// between thousands and a decimal comma. Every page and export prints
// amounts, so it builds them in place.
func (k Kopecks) appendFormat(dst []byte) []byte {
	v := int64(k)
	if v < 0 {
		dst, v = append(dst, "−"...), -v
	}
	dst = AppendGrouped(dst, uint64(v/100), "\u00a0")
	cents := v % 100
	return append(dst, ',', byte('0'+cents/10), byte('0'+cents%10))
}

// AppendGrouped appends n with sep between groups of three digits:
// "24 792". Amounts and the counts printed beside them group alike.
func AppendGrouped(dst []byte, n uint64, sep string) []byte {
	var digits [20]byte
	ds := strconv.AppendUint(digits[:0], n, 10)
	for i, d := range ds {
		if i > 0 && (len(ds)-i)%3 == 0 {
			dst = append(dst, sep...)
		}
		dst = append(dst, d)
	}
	return dst
}

// Plain formats the amount for files read by programs: "-1234.56".
func (k Kopecks) Plain() string {
	sign := ""
	v := int64(k)
	if v < 0 {
		sign, v = "-", -v
	}
	c := v % 100
	return sign + strconv.FormatInt(v/100, 10) + "." + string(rune('0'+c/10)) + string(rune('0'+c%10))
}
