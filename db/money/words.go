package money

import (
	"strconv"
	"strings"
)

// RublesInWords writes an amount as Russian documents do: the rubles in words
// with the right case of «рубль», the kopecks in digits, the first letter
// capital — «Три тысячи семьсот пятьдесят два рубля 00 копеек».
func RublesInWords(k Kopecks) string {
	v := uint64(k)
	minus := ""
	if k < 0 {
		minus, v = "минус ", uint64(-(k+1))+1 // the smallest int64 too
	}
	rubles, kopecks := v/100, v%100
	words := minus + integerInWords(rubles, false) + " " + plural(rubles, "рубль", "рубля", "рублей") + " " +
		twoDigits(kopecks) + " " + plural(kopecks, "копейка", "копейки", "копеек")
	r := []rune(words)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// scales are the named powers of a thousand, from the highest, with their
// grammatical gender (тысяча is feminine: одна, две) and plural forms.
var scales = []struct {
	value          uint64
	feminine       bool
	one, few, many string
}{
	{1_000_000_000_000_000_000, false, "квинтиллион", "квинтиллиона", "квинтиллионов"},
	{1_000_000_000_000_000, false, "квадриллион", "квадриллиона", "квадриллионов"},
	{1_000_000_000_000, false, "триллион", "триллиона", "триллионов"},
	{1_000_000_000, false, "миллиард", "миллиарда", "миллиардов"},
	{1_000_000, false, "миллион", "миллиона", "миллионов"},
	{1_000, true, "тысяча", "тысячи", "тысяч"},
}

// integerInWords writes a non-negative number in words; feminine picks
// «одна», «две» for the last group.
func integerInWords(n uint64, feminine bool) string {
	if n == 0 {
		return "ноль"
	}
	var parts []string
	for _, s := range scales {
		if group := n / s.value; group > 0 {
			parts = append(parts, hundredsInWords(group, s.feminine), plural(group, s.one, s.few, s.many))
			n %= s.value
		}
	}
	if n > 0 {
		parts = append(parts, hundredsInWords(n, feminine))
	}
	return strings.Join(parts, " ")
}

var (
	hundreds = []string{"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"}
	tens     = []string{"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"}
	teens    = []string{"десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
		"семнадцать", "восемнадцать", "девятнадцать"}
	units = []string{"", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"}
)

// hundredsInWords writes 1..999.
func hundredsInWords(n uint64, feminine bool) string {
	var parts []string
	if h := n / 100; h > 0 {
		parts = append(parts, hundreds[h])
	}
	switch t, u := n%100/10, n%10; {
	case t == 1:
		parts = append(parts, teens[u])
	default:
		if t > 1 {
			parts = append(parts, tens[t])
		}
		switch {
		case u == 1 && feminine:
			parts = append(parts, "одна")
		case u == 2 && feminine:
			parts = append(parts, "две")
		case u > 0:
			parts = append(parts, units[u])
		}
	}
	return strings.Join(parts, " ")
}

// plural picks the form of a noun after the number: 1 рубль, 2 рубля, 5 рублей.
func plural(n uint64, one, few, many string) string {
	switch n10, n100 := n%10, n%100; {
	case n100 >= 11 && n100 <= 14:
		return many
	case n10 == 1:
		return one
	case n10 >= 2 && n10 <= 4:
		return few
	}
	return many
}
