package views_test

import (
	"strings"
	"testing"

	"elk/views"
)

func TestMarkdownIsRenderedInert(t *testing.T) {
	for src, forbidden := range map[string]string{
		`<script>alert(1)</script>`:                        "<script",
		`<img src=x onerror=alert(1)>`:                     "onerror",
		`[нажми](javascript:alert(1))`:                     "javascript:",
		`[нажми](JaVaScRiPt:alert(1))`:                     "avascript:",
		`![x](javascript:alert(1))`:                        "javascript:",
		"<a href=\"https://x\" onclick=\"alert(1)\">x</a>": "onclick",
		`[x](data:text/html;base64,PHNjcmlwdD4=)`:          "data:text/html",
	} {
		got := string(views.Markdown(src))
		if strings.Contains(strings.ToLower(got), strings.ToLower(forbidden)) {
			t.Errorf("%s → %s", src, got)
		}
	}
	got := string(views.Markdown("**Важно:** оплата по [счёту](https://lk.example.ru/documents)\n\n- раз\n- два"))
	for _, want := range []string{"<strong>Важно:</strong>", `<a href="https://lk.example.ru/documents">счёту</a>`, "<li>раз</li>"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s: %s", want, got)
		}
	}
}

// A table header thousands of cells wide over thousands of short lines
// would render to a hundred megabytes; such a text is read without tables.
func TestMarkdownTableBombStaysSmall(t *testing.T) {
	bomb := strings.Repeat("|a", 2500) + "|\n" + strings.Repeat("|-", 2500) + "|\n" + strings.Repeat("x\n", 5000)
	if out := views.Markdown(bomb); len(out) > 1<<20 {
		t.Errorf("%d bytes of source rendered to %d", len(bomb), len(out))
	}
	table := "| Тариф | Цена |\n| --- | --- |\n| Старт | 1,20 ₽ |\n"
	if out := string(views.Markdown(table)); !strings.Contains(out, "<td>Старт</td>") {
		t.Errorf("an ordinary table: %s", out)
	}
}

// Nesting no one writes, a text that would render huge, or links and
// emphasis left open that the parser would look for the end of over and
// over, is shown as the plain text it is, at its own size; ordinary
// nesting and a long text with links still render.
func TestMarkdownNestingBombIsShownPlain(t *testing.T) {
	for name, bomb := range map[string]string{
		"quotes":          strings.Repeat(">", 19_999),
		"lists":           strings.Repeat("- a\n", 1) + strings.Repeat(" ", 80) + "- b <script>",
		"huge":            strings.Repeat("**a** ", 60_000),
		"open links":      strings.Repeat("[](", 6_666),
		"open emphasis":   strings.Repeat("*a_ ", 4_999),
		"nested brackets": strings.Repeat("[", 9_999) + "a" + strings.Repeat("]", 9_999),
		// Markers one after another on one line nest as deep as indents.
		"bullets on a line":          strings.Repeat("+ ", 9_999),
		"stars on a line":            strings.Repeat("*\t", 9_999),
		"numbers on a line":          strings.Repeat("1. ", 6_666),
		"numbers) on a line":         strings.Repeat("12) ", 4_999),
		"quotes and lists on a line": strings.Repeat("> - ", 4_999),
		"every marker on a line":     strings.Repeat("- 1. > + ", 2_222),
		"one past the bound":         strings.Repeat("- ", 17) + "<script>",
		"indents and markers":        "- a\n  - b\n    - c\n      " + strings.Repeat("- ", 14) + "<script>",
	} {
		out := string(views.Markdown(bomb))
		if !strings.HasPrefix(out, `<p class="plain">`) || len(out) > 5*len(bomb)+100 || strings.Contains(out, "<script>") {
			t.Errorf("%s: %d bytes of source rendered to %d: %.80s", name, len(bomb), len(out), out)
		}
	}
	links := strings.Repeat("Счёт [№ 12](https://lk.example.ru/documents/12) оплачен, *спасибо*. ", 150)
	if out := string(views.Markdown(links)); strings.Count(out, "<a href=") != 150 || strings.Count(out, "<em>") != 150 {
		t.Errorf("a long paragraph with links: %.200s", out)
	}
}

// What people write nests a few levels and renders, and so does nesting
// sixteen levels deep, by indents or by markers on one line.
func TestMarkdownOrdinaryNestingRenders(t *testing.T) {
	var deep strings.Builder
	for d := range 16 {
		deep.WriteString(strings.Repeat("  ", d) + "- пункт\n")
	}
	for src, want := range map[string]map[string]int{
		"> Цитата\n>> ответ\n>>> и ещё\n\n- пункт\n  - подпункт\n":                {"<blockquote>": 3, "<ul>": 2},
		"- раз\n  - два\n    - три\n      1. четыре\n":                            {"<ul>": 3, "<ol>": 1},
		"> Вы писали:\n> - счёт\n>   - акт\n":                                     {"<blockquote>": 1, "<ul>": 2},
		"1. Откройте меню - пункт «Настройки»\n2. Нажмите «Сохранить»\n3. Готово": {"<ol>": 1, "<li>": 3, "меню - пункт": 1},
		"Цена - 1,20 ₽, срок - 3 дня; * * * и 1. не список":                       {"<p>": 1, "<ul>": 0, "<ol>": 0},
		deep.String():                  {"<ul>": 16, "<li>": 16},
		strings.Repeat("- ", 16) + "a": {"<ul>": 16},
		strings.Repeat("> ", 8) + strings.Repeat("1. ", 8) + "a": {"<blockquote>": 8, "<ol>": 8},
	} {
		out := string(views.Markdown(src))
		for tag, n := range want {
			if strings.Count(out, tag) != n {
				t.Errorf("%q: %d × %s, want %d: %s", src, strings.Count(out, tag), tag, n, out)
			}
		}
	}
}
