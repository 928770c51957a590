package handlers

import "testing"

// A stored phone keeps its plus in Excel without a visible quote; anything
// else that starts like a formula is still guarded.
func TestCSVPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+79119124385":      `"=""+79119124385"""`,
		"+7=HYPERLINK(1)":   `"'+7=HYPERLINK(1)"`,
		"=1+1":              `"'=1+1"`,
		"+":                 `"'+"`,
		"89119124385":       "89119124385",
		"+7 911 912-43-85;": `"'+7 911 912-43-85;"`,
	} {
		if got := csvPhone(in); got != want {
			t.Errorf("csvPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
