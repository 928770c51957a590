package handlers

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors maps a form field to the translation key of what is wrong with it.
type Errors map[string]string

// cleanText trims a search or filter value, or an uploaded file's name,
// and drops control characters and invalid UTF-8 rather than refusing
// them. A form that saves what is typed reads it through formInput instead.
func cleanText(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// hasControl tells whether s holds a control character (Unicode category
// Cc: NUL, bell, escape…), allowing tab and line feed in text of several
// lines. Such characters are invisible, end C strings early and break
// documents and CSV files, so neither the forms nor the API take them.
func hasControl(s string, lines bool) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return refusedControl(r, lines) })
}

func refusedControl(r rune, lines bool) bool {
	return unicode.IsControl(r) && !(lines && (r == '\n' || r == '\t'))
}

// checkText records an error for an empty required value or one longer
// than max characters, unless the field already has one.
func (e Errors) checkText(field, value string, required bool, max int) {
	switch {
	case e[field] != "":
	case required && value == "":
		e[field] = "form.required"
	case utf8.RuneCountInString(value) > max:
		e[field] = "form.too_long"
	}
}

// normalizeEmail returns the address in canonical form, or false if it is not a plain address.
func normalizeEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 254 {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return s[:at] + "@" + strings.ToLower(domain), true
}

var phoneSeparators = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "", "\u00a0", "")

// normalizePhone returns a phone number in international form (+79001234567),
// accepting the usual ways of typing one (8 900 123-45-67, +7 (900) 123 45 67).
func normalizePhone(s string) (string, bool) {
	s = phoneSeparators.Replace(strings.TrimSpace(s))
	if len(s) == 11 && s[0] == '8' {
		s = "+7" + s[1:] // the Russian trunk prefix
	}
	if !strings.HasPrefix(s, "+") {
		return "", false
	}
	digits := s[1:]
	if len(digits) < 10 || len(digits) > 15 || digits[0] == '0' || !allDigits(digits) {
		return "", false
	}
	return s, true
}

// formatPhone shows a stored Russian or Kazakh number as +7 900 123-45-67.
func formatPhone(s string) string {
	if len(s) == 12 && strings.HasPrefix(s, "+7") {
		return s[:2] + " " + s[2:5] + " " + s[5:8] + "-" + s[8:10] + "-" + s[10:]
	}
	return s
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// validINN checks a Russian taxpayer number: 10 digits for an organisation,
// 12 for a person, with its check digits.
func validINN(s string) bool {
	check := func(weights []int) int {
		sum := 0
		for i, w := range weights {
			sum += int(s[i]-'0') * w
		}
		return sum % 11 % 10
	}
	if !allDigits(s) {
		return false
	}
	switch len(s) {
	case 10:
		return check([]int{2, 4, 10, 3, 5, 9, 4, 6, 8}) == int(s[9]-'0')
	case 12:
		return check([]int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == int(s[10]-'0') &&
			check([]int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}) == int(s[11]-'0')
	}
	return false
}

// validBIN checks a Kazakh business identification number (БИН, or the
// ИИН of a sole trader): 12 digits, the last a check digit. The first
// eleven weighted 1…11 give it modulo 11; a remainder of 10 weighs them
// again 3…11, 1, 2, and a second 10 makes the number invalid (Закон РК от
// 12.01.2007 № 223 «О национальных реестрах идентификационных номеров»;
// Правила формирования идентификационного номера, постановление
// Правительства РК от 22.05.2007 № 406).
func validBIN(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	check := func(first int) int {
		sum := 0
		for i := range 11 {
			sum += int(s[i]-'0') * ((first+i-1)%11 + 1)
		}
		return sum % 11
	}
	c := check(1)
	if c == 10 {
		c = check(3)
	}
	return c != 10 && c == int(s[11]-'0')
}

// validOGRN checks a Russian state registration number: 13 digits (ОГРН) or
// 15 (ОГРНИП), the last being a check digit.
func validOGRN(s string) bool {
	if !allDigits(s) || (len(s) != 13 && len(s) != 15) {
		return false
	}
	mod := int64(11)
	if len(s) == 15 {
		mod = 13
	}
	var rem int64
	for _, r := range s[:len(s)-1] {
		rem = (rem*10 + int64(r-'0')) % mod
	}
	return rem%10 == int64(s[len(s)-1]-'0')
}

// validAccount checks a 20-digit account against its bank's БИК by the
// Bank of Russia's control key: the 23 digits of prefix and account,
// weighted 7, 1, 3 in turn, sum to a multiple of ten («Порядок расчета
// контрольного ключа в номере лицевого счета», Банк России, 08.09.1997
// № 515-У). The prefix is the БИК's last three digits for a settlement
// account, "0" and its fifth and sixth for the correspondent account.
func validAccount(prefix, account string) bool {
	digits := prefix + account
	if len(account) != 20 || !allDigits(digits) {
		return false
	}
	sum := 0
	for i := range len(digits) {
		sum += int(digits[i]-'0') * [3]int{7, 1, 3}[i%3]
	}
	return sum%10 == 0
}

// checkBankAccounts checks a БИК and the accounts at that bank: the
// settlement and correspondent accounts must carry the key the БИК gives
// them, which a digit typed wrong or an account of another bank does not.
func (e Errors) checkBankAccounts(bik, account, corr string) {
	e.checkDigits("bik", bik, 9, "vendor.bad_bik")
	e.checkDigits("bank_account", account, 20, "vendor.bad_bank_account")
	e.checkDigits("corr_account", corr, 20, "vendor.bad_corr_account")
	if bik == "" || e["bik"] != "" {
		return
	}
	rkc, own := "0"+bik[4:6], bik[6:]
	if own <= "002" {
		own = rkc // an account at an office of the Bank of Russia (РКЦ, ГРКЦ)
	}
	// A treasury account (03…) carries no control key.
	if account != "" && e["bank_account"] == "" && !strings.HasPrefix(account, "03") && !validAccount(own, account) {
		e["bank_account"] = "vendor.account_not_of_bik"
	}
	// A bank's correspondent account is 30101… ending in its БИК's last
	// three digits; a treasury office's is the single treasury account 40102….
	if corr != "" && e["corr_account"] == "" && (!validAccount(rkc, corr) ||
		!strings.HasPrefix(corr, "40102") && (!strings.HasPrefix(corr, "30101") || corr[17:] != bik[6:])) {
		e["corr_account"] = "vendor.corr_not_of_bik"
	}
}

var kppPattern = regexp.MustCompile(`^\d{4}[\dA-Z]{2}\d{3}$`)

// checkRequisites validates a company's numbers by its country: the
// Russian ИНН, КПП and ОГРН by their check digits, the Kazakh БИН by its
// own; elsewhere the registration number is the local one and only its
// length is checked. КПП and ОГРН exist in Russia only.
func (e Errors) checkRequisites(country, inn, kpp, ogrn string) {
	switch country {
	case "RU":
		if inn != "" && !validINN(inn) {
			e["inn"] = "company.bad_inn"
		}
		if kpp != "" && !kppPattern.MatchString(kpp) {
			e["kpp"] = "company.bad_kpp"
		}
		if ogrn != "" && !validOGRN(ogrn) {
			e["ogrn"] = "company.bad_ogrn"
		}
	case "KZ":
		if inn != "" && !validBIN(inn) {
			e["inn"] = "company.bad_bin"
		}
	default:
		e.checkText("inn", inn, false, 20)
	}
}

// optionalContacts checks an e-mail and a phone that may be left empty, and
// returns them normalised (as typed when invalid, to show them again); a
// value already refused keeps its error.
func (e Errors) optionalContacts(email, phone string) (string, string) {
	if email != "" && e["email"] == "" {
		if v, ok := normalizeEmail(email); ok {
			email = v
		} else {
			e["email"] = "company.bad_email"
		}
	}
	if phone != "" && e["phone"] == "" {
		if v, ok := normalizePhone(phone); ok {
			phone = v
		} else {
			e["phone"] = "company.bad_phone"
		}
	}
	return email, phone
}

// checkDigits records message for a value that is given but is not exactly n digits.
func (e Errors) checkDigits(field, value string, n int, message string) {
	if value != "" && (len(value) != n || !allDigits(value)) {
		e[field] = message
	}
}

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$`)
