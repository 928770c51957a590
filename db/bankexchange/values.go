package bankexchange

import (
	"time"

	"elk/db/money"
)

// parseSum reads a sum as the format writes it: rubles, then kopecks after
// a dot («12345.67»); a comma («12345,67», as some banks write) and no
// kopecks at all («12345») are taken too. Nothing else is: no sign, no
// spaces, no more than two decimals, so a sum is never guessed at. It
// allows thirteen digits of rubles, far beyond any account and safe from
// overflow.
func parseSum(s string) (money.Kopecks, bool) {
	var rubles, kopecks int64
	digits, decimals := 0, -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' && decimals < 0:
			rubles = rubles*10 + int64(c-'0')
			digits++
		case c >= '0' && c <= '9':
			kopecks = kopecks*10 + int64(c-'0')
			decimals++
		case (c == '.' || c == ',') && decimals < 0 && digits > 0:
			decimals = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 13 || decimals == 0 || decimals > 2 {
		return 0, false
	}
	if decimals == 1 {
		kopecks *= 10
	}
	return money.Kopecks(rubles*100 + kopecks), true
}

// parseBalance reads a balance, which an overdraft makes negative.
func parseBalance(s string) (money.Kopecks, bool) {
	if len(s) > 1 && s[0] == '-' {
		k, ok := parseSum(s[1:])
		return -k, ok
	}
	return parseSum(s)
}

// dateLayout is how the format writes dates: ДД.ММ.ГГГГ.
const dateLayout = "02.01.2006"

// parseDate reads a date as midnight UTC; the layout insists on two digits
// of day and month and four of year, and the day must exist.
func parseDate(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}
