package views

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// The count made on the text is never below the depth the parser builds,
// whatever the text, so nothing deeper than the bound reaches the parser
// unseen; for what people write it is the depth itself.
func FuzzNestingBoundsTheParsedDepth(f *testing.F) {
	for _, src := range []string{
		"+ + + a", "1. 2) 3. a", "> - > + a", "- 1. > + a", ">>>- a", "-\t*\t+\ta",
		"- a\n  - b\n    - c\n      - d", "> цитата\n> - пункт\n>   - подпункт",
		"1. Откройте меню - пункт «Настройки»", "- * * *", "* * * a", "- - -\n- - - a",
		"1. a\n\n   > b\n   > - c", "-\n  -\n    - a", " - a\n   - b\n\t- c", "123456789. a\n 1234567890. b",
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 400 {
			return
		}
		if got, parsed := nesting(src), parsedDepth(src); got < parsed {
			t.Errorf("%q: counted %d, parsed %d deep", src, got, parsed)
		}
	})
}

func TestNestingOfWhatPeopleWrite(t *testing.T) {
	for src, want := range map[string]int{
		"1. Откройте меню - пункт «Настройки»": 1,
		"1. раз\n2. два\n3. три":               1,
		"> цитата\n> - пункт\n>   - подпункт":  3,
		"- a\n  - b\n    - c\n      - d":       4,
		"* * *":                                0,
		"- * * *":                              1,
		strings.Repeat("- ", 16) + "a":         16,
		"Цена - 1,20 ₽, срок - 3 дня":          0,
		"-1 градус, +2 градуса":                0,
		"2024. Год, когда":                     1,
		"> > > ответ на ответ":                 3,
	} {
		if got, parsed := nesting(src), parsedDepth(src); got != want || parsed != want {
			t.Errorf("%q: counted %d, parsed %d deep, want %d", src, got, parsed, want)
		}
	}
}

// parsedDepth is how deep goldmark nests quotes and lists in src.
func parsedDepth(src string) int {
	doc := markdown.Parser().Parse(text.NewReader([]byte(src)))
	depth, deepest := 0, 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if n.Kind() != ast.KindBlockquote && n.Kind() != ast.KindList {
			return ast.WalkContinue, nil
		}
		if entering {
			depth++
			deepest = max(deepest, depth)
		} else {
			depth--
		}
		return ast.WalkContinue, nil
	})
	return deepest
}
