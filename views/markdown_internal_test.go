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
	huge := strings.Repeat("x", memoLimit+1)
	Markdown(huge)
	if _, kept := rendered.get(huge); kept {
		t.Error("a text over the longest kept was remembered")
	}
}

// A table header thousands of cells wide over thousands of short lines
// would render to a hundred megabytes; such a text is read without tables.
func TestMarkdownTableBombStaysSmall(t *testing.T) {
	bomb := strings.Repeat("|a", 2500) + "|\n" + strings.Repeat("|-", 2500) + "|\n" + strings.Repeat("x\n", 5000)
	if out := Markdown(bomb); len(out) > 1<<20 {
		t.Errorf("%d bytes of source rendered to %d", len(bomb), len(out))
	}
	table := "| Тариф | Цена |\n| --- | --- |\n| Старт | 1,20 ₽ |\n"
	if out := string(Markdown(table)); !strings.Contains(out, "<td>Старт</td>") {
		t.Errorf("an ordinary table: %s", out)
	}
}
