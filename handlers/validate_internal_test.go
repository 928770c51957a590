package handlers

import "testing"

// The control key holds for real requisites (Сбербанк's correspondent
// account) and the demo's, and catches any one digit typed wrong.
func TestValidAccountCatchesAnyMistypedDigit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ prefix, account string }{
		{"0" + "044525225"[4:6], "30101810400000000225"},
		{"0" + "044525999"[4:6], "30101810600000000999"},
		{"044525999"[6:], "40702810600000012345"},
	} {
		if !validAccount(c.prefix, c.account) {
			t.Errorf("%s at %s refused", c.account, c.prefix)
		}
		for i := range len(c.account) {
			for d := byte('0'); d <= '9'; d++ {
				if d == c.account[i] {
					continue
				}
				typo := c.account[:i] + string(d) + c.account[i+1:]
				if validAccount(c.prefix, typo) {
					t.Errorf("%s (digit %d mistyped) accepted", typo, i+1)
				}
			}
		}
	}
	for _, bad := range []string{"", "3010181040000000022", "301018104000000002250", "3010181040000000022x"} {
		if validAccount("025", bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Real requisites pass whatever kind of bank keeps the account: a
// commercial bank, an office of the Bank of Russia, a treasury office with
// its single treasury account; another bank's accounts do not.
func TestBankAccountsOfEveryKindOfBank(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		bik, account, corr string
		ok                 bool
	}{
		{"044525999", "40702810600000012345", "30101810600000000999", true},
		{"044525000", "40101810045250010041", "", true},                     // РКЦ
		{"044583001", "40101810800000010041", "", true},                     // ГРКЦ
		{"004525988", "03100643000000017300", "40102810545370000003", true}, // ТОФК
		{"014206212", "03100643000000014600", "40102810945370000039", true}, // ТОФК
		{"044525225", "40702810600000012345", "", false},                    // the account of another bank
		{"044525225", "", "30101810600000000999", false},                    // the corr. account of another bank
		{"044525999", "", "40101810600000000999", false},                    // not a corr. account
	} {
		e := Errors{}
		e.checkBankAccounts(c.bik, c.account, c.corr)
		if (len(e) == 0) != c.ok {
			t.Errorf("%s %s %s: %v", c.bik, c.account, c.corr, e)
		}
	}
}
