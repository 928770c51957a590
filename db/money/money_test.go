package money_test

import (
	"errors"
	"testing"

	"elk/db/money"
)

func TestParseKopecks(t *testing.T) {
	cases := []struct {
		in   string
		want money.Kopecks
		err  error
	}{
		{"1234,56", 123456, nil},
		{"1 234,56", 123456, nil},
		{"1\u00a0234,56 ₽", 123456, nil},
		{"1234.5", 123450, nil},
		{"1234", 123400, nil},
		{"0", 0, nil},
		{"-5", -500, nil},
		{"−5,10", -510, nil},
		{"+7", 700, nil},
		{"0,01", 1, nil},
		{"1000000000", 100_000_000_000, nil},
		{"12,345", 0, money.ErrMoneyFormat},
		{"1e3", 0, money.ErrMoneyFormat},
		{"", 0, money.ErrMoneyEmpty},
		{"  ", 0, money.ErrMoneyEmpty},
		{"1.2.3", 0, money.ErrMoneyFormat},
		{"1,2,3", 0, money.ErrMoneyFormat},
		{",5", 0, money.ErrMoneyFormat},
		{"5,", 0, money.ErrMoneyFormat},
		{"--5", 0, money.ErrMoneyFormat},
		{"abc", 0, money.ErrMoneyFormat},
		{"0x10", 0, money.ErrMoneyFormat},
		{"1000000000,01", 0, money.ErrMoneyTooLarge},
		{"99999999999999999999999", 0, money.ErrMoneyTooLarge},
		{"١٢٣", 0, money.ErrMoneyFormat},
		{"1 23", 0, money.ErrMoneyFormat},
		{"1 2 3 4", 0, money.ErrMoneyFormat},
		{"1234 567", 0, money.ErrMoneyFormat},
		{"1  234", 0, money.ErrMoneyFormat},
		{"1 234,5 6", 0, money.ErrMoneyFormat},
		{"- 5", 0, money.ErrMoneyFormat},
		{"12 345 678,90", 1234567890, nil},
		{"-1 234", -123400, nil},
	}
	for _, tc := range cases {
		got, err := money.ParseKopecks(tc.in)
		if !errors.Is(err, tc.err) || got != tc.want {
			t.Errorf("ParseKopecks(%q) = %d, %v; want %d, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestFormatKopecks(t *testing.T) {
	cases := map[money.Kopecks]string{
		0: "0,00 ₽", 1: "0,01 ₽", 123456: "1\u00a0234,56 ₽", -500: "−5,00 ₽", 100_000_000_000: "1\u00a0000\u00a0000\u00a0000,00 ₽",
	}
	for k, want := range cases {
		if got := k.String(); got != want {
			t.Errorf("%d: %q, want %q", k, got, want)
		}
	}
	if got := money.Kopecks(-123456).Plain(); got != "-1234.56" {
		t.Errorf("plain: %q", got)
	}
}

// Whatever is typed, parsing either refuses it or gives an amount that
// formats back to text that parses to the same amount.
func FuzzParseKopecks(f *testing.F) {
	for _, s := range []string{"1234,56", "1 234,56", "1234.5", "0", "-5", "12,345", "1e3", "", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := money.ParseKopecks(s)
		if err != nil {
			if k != 0 {
				t.Fatalf("%q: refused but returned %d", s, k)
			}
			return
		}
		if k > money.MaxKopecks || k < -money.MaxKopecks {
			t.Fatalf("%q: %d out of range", s, k)
		}
		back, err := money.ParseKopecks(k.Format())
		if err != nil || back != k {
			t.Fatalf("%q → %d → %q → %d, %v", s, k, k.Format(), back, err)
		}
	})
}

func TestKopecksScan(t *testing.T) {
	var k money.Kopecks
	if err := k.Scan(int64(-12345)); err != nil || k != -12345 {
		t.Errorf("Scan(-12345) = %d, %v", k, err)
	}
	for _, src := range []any{nil, "12", 1.5} {
		if err := k.Scan(src); err == nil {
			t.Errorf("Scan(%#v) took it as %d", src, k)
		}
	}
}
