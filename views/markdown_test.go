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
	quote := "> Цитата\n>> ответ\n>>> и ещё\n\n- пункт\n  - подпункт\n"
	if out := string(views.Markdown(quote)); strings.Count(out, "<blockquote>") != 3 || strings.Count(out, "<ul>") != 2 {
		t.Errorf("ordinary nesting: %s", out)
	}
}
