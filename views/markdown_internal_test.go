package views

import (
	"strconv"
	"strings"
	"testing"
)

// Remembered renderings read the same as fresh ones, and the memo keeps to
// its size however many texts pass through it.
func TestRenderedMemoStaysBounded(t *testing.T) {
	first := Markdown("**раз** и [два](https://example.ru)")
	if again := Markdown("**раз** и [два](https://example.ru)"); again != first || !strings.Contains(string(first), "<strong>раз</strong>") {
		t.Fatalf("%q then %q", first, again)
	}
	page := strings.Repeat("текст ", 2000)
	for i := range 2000 {
		Markdown(strconv.Itoa(i) + page)
		if rendered.bytes > memoBytes {
			t.Fatalf("after %d texts the memo holds %d bytes", i+1, rendered.bytes)
		}
	}
	huge := strings.Repeat("x", memoLongest+1)
	Markdown(huge)
	if _, kept := rendered.get(huge); kept {
		t.Error("a text over the longest kept was remembered")
	}
}
