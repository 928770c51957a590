package handlers

import "testing"

func TestValidBIN(t *testing.T) {
	for bin, want := range map[string]bool{
		"150440012344":  true,  // the demo's: the first weights give the check digit
		"100000000205":  true,  // the first weights give 10, the second 5
		"150440012345":  false, // a wrong check digit
		"100000000200":  false, // the second weights' digit is not the first's 10
		"100000000280":  false, // both weights give 10: no check digit is right
		"15044001234":   false, // 11 digits
		"1504400123444": false, // 13
		"15044001234a":  false,
		"":              false,
	} {
		if got := validBIN(bin); got != want {
			t.Errorf("validBIN(%q) = %v", bin, got)
		}
	}
}

func TestFormPartsShownByChoice(t *testing.T) {
	for _, tc := range []struct {
		country, vat, rule string
		hidden             bool
	}{
		{"RU", "vendor", "country=RU", false},
		{"KZ", "vendor", "country=RU", true},
		{"KZ", "vendor", "country=KZ", false},
		{"BY", "vendor", "country!=RU,KZ", false},
		{"KZ", "vendor", "country!=RU,KZ", true},
		{"RU", "rate", "vat_mode=rate", false},
		{"RU", "none", "vat_mode=rate", true},
	} {
		f := companyForm{Country: tc.country, companyParties: companyParties{VATMode: tc.vat}}
		if got := f.Hidden(tc.rule); got != tc.hidden {
			t.Errorf("%s, %s: Hidden(%q) = %v", tc.country, tc.vat, tc.rule, got)
		}
	}
}
