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
	// What an attacker knows about the owner of «Такси Подсолнух».
	owner := []string{"taxi", "Павел Орлов", "director@taxi-primer.example", "Такси Подсолнух"}
	cases := []struct {
		password string
		personal []string
		want     error
	}{
		{"1234567", nil, auth.ErrPasswordTooShort},
		{"пароль7", nil, auth.ErrPasswordTooShort},
		{strings.Repeat("x", 128) + "y", nil, auth.ErrPasswordTooLong},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", nil, auth.ErrPasswordWrongFormat},
		{"Password1", nil, auth.ErrPasswordCommon},
		{"ЙЦУКЕНГШ", nil, auth.ErrPasswordCommon},
		{"superman2", nil, auth.ErrPasswordCommon},
		{"aaaaaaaaaaaa", nil, auth.ErrPasswordRepeat},
		{"abcabcabcabc", nil, auth.ErrPasswordRepeat},
		{"abcdefgh1234", nil, auth.ErrPasswordSequence},
		{"asdfghjkl;'", nil, auth.ErrPasswordKeyboard},
		{"19850412", nil, auth.ErrPasswordDate},
		{"elizabeth1", nil, auth.ErrPasswordWords},
		{"пароль78", nil, auth.ErrPasswordCommon}, // eight letters, whatever their bytes; «gfhjkm» typed in Russian
		{"поддержка всегда рядом", nil, nil},
		{"ЖёЛтЫй КиТ", nil, nil},
		{"Ёж-123", nil, auth.ErrPasswordTooShort},
		{"qwe🦊🦊🦊🦊🦊🦊", nil, auth.ErrPasswordRepeat},
		{"dispatcher1", []string{"Dispatcher"}, auth.ErrPasswordPersonal},
		{"taxi-podsolnukh2024", owner, auth.ErrPasswordPersonal},
		{"Podsolnuh-2024!", owner, auth.ErrPasswordPersonal},
		{"gjlcjkye[2024", owner, auth.ErrPasswordPersonal}, // подсолнух on the English layout
		{"orlov.pavel.1985", owner, auth.ErrPasswordPersonal},
		{"taxi-podsolnukh2024", nil, nil}, // strong for anyone who knows nothing of the owner
		{"all lowercase words", owner, nil},
		{"ёжик в тумане ночью", owner, nil},
		{"correct horse battery staple", owner, nil},
		{"taxi: correct horse battery staple", owner, nil},                       // personal words among unknown ones
		{strings.Repeat("a", 100) + "Kq7#vX2!mZ9$", nil, auth.ErrPasswordRepeat}, // only the first 64 characters are read
	}
	for _, tc := range cases {
		if got := auth.CheckPasswordPolicy(tc.password, tc.personal...); !errors.Is(got, tc.want) {
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

// The estimator's matching grows with the square of the length: the
// longest password allowed, of the widest characters, stays cheap.
func BenchmarkPasswordPolicyLongest(b *testing.B) {
	password := strings.Repeat("жёлтый🦊", 16)
	owner := []string{"taxi", "Павел Орлов", "director@taxi-primer.example", "Такси Подсолнух"}
	for b.Loop() {
		auth.CheckPasswordPolicy(password, owner...)
	}
}
