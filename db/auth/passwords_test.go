package auth_test

import (
	"errors"
	"strings"
	"testing"

	"elk/db/auth"
)

func TestPasswordHashing(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry OWASP argon2id parameters", h)
	}
	if !auth.VerifyPassword(h, "correct horse battery staple") {
		t.Error("right password refused")
	}
	for _, wrong := range []string{"", "correct horse battery stapler", "Correct horse battery staple"} {
		if auth.VerifyPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	for _, broken := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA"} {
		if auth.VerifyPassword(broken, "x") {
			t.Errorf("broken hash %q accepted", broken)
		}
	}
	h2, _ := auth.HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		password, login string
		want            error
	}{
		{"1234567", "", auth.ErrPasswordTooShort},
		{"пароль7", "", auth.ErrPasswordTooShort},
		{"пароль78", "", nil}, // eight letters, whatever their bytes
		{strings.Repeat("x", 128) + "y", "", auth.ErrPasswordTooLong},
		{"Password1", "", auth.ErrPasswordCommon},
		{"ЙЦУКЕНГШ", "", auth.ErrPasswordCommon},
		{"dispatcher", "Dispatcher", auth.ErrPasswordIsLogin},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", "", auth.ErrPasswordWrongFormat},
		{"all lowercase words", "", nil},
	}
	for _, tc := range cases {
		if got := auth.CheckPasswordPolicy(tc.password, tc.login); !errors.Is(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.password, got, tc.want)
		}
	}
}

func TestGeneratedPasswordsPassThePolicy(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p := auth.GeneratePassword()
		if err := auth.CheckPasswordPolicy(p, ""); err != nil || seen[p] {
			t.Fatalf("generated %q: %v, repeated %v", p, err, seen[p])
		}
		seen[p] = true
	}
}
