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
