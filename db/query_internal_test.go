package db

import "testing"

func TestIntIntoScan(t *testing.T) {
	var n int
	if err := (intInto{&n}).Scan(int64(-42)); err != nil || n != -42 {
		t.Errorf("Scan(-42) = %d, %v", n, err)
	}
	for _, src := range []any{nil, "7", 7.0} {
		if err := (intInto{&n}).Scan(src); err == nil {
			t.Errorf("Scan(%#v) took it as %d", src, n)
		}
	}
}
