package handlers

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// field writes a labelled form input, as {{ field (dict ...) }} in a
// template. It is markup in Go because nearly every page has a form and a
// field has some twenty values to print. The keys: P (the page), Name, Label
// (a translation key), Value, Err (a translation key), and optional Type,
// Hint (a translation key), Req, Auto, Max, Focus, Wide (spans both columns
// of a grid) and Prefix (keeps ids apart when two forms on a page share a
// field name).
func field(args map[string]any) (template.HTML, error) {
	p, err := dictPage(args, "field")
	if err != nil {
		return "", err
	}
	text := func(key string) string {
		if v := args[key]; v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	set := func(key string) bool {
		truth, _ := template.IsTrue(args[key])
		return truth
	}
	id := html.EscapeString(text("Prefix") + text("Name"))
	var b strings.Builder
	b.WriteString(`<div class="field`)
	if set("Wide") {
		b.WriteString(" wide")
	}
	if set("Err") {
		b.WriteString(" has-error")
	}
	b.WriteString(`"><label for="f-` + id + `">` + html.EscapeString(p.T(text("Label"))))
	if set("Req") {
		b.WriteString(` <span class="req" aria-hidden="true">*</span>`)
	}
	kind := text("Type")
	if kind == "" {
		kind = "text"
	}
	b.WriteString(`</label><input id="f-` + id + `" name="` + html.EscapeString(text("Name")) + `" type="` + html.EscapeString(kind) +
		`" value="` + html.EscapeString(text("Value")) + `"`)
	if set("Req") {
		b.WriteString(" required")
	}
	if set("Auto") {
		b.WriteString(` autocomplete="` + html.EscapeString(text("Auto")) + `"`)
	}
	if set("Max") {
		b.WriteString(` maxlength="` + html.EscapeString(text("Max")) + `"`)
	}
	if set("Focus") {
		b.WriteString(" autofocus")
	}
	if set("Err") {
		b.WriteString(` aria-invalid="true" aria-describedby="e-` + id + `"`)
	}
	b.WriteString(">")
	if set("Hint") {
		b.WriteString(`<p class="hint">` + html.EscapeString(p.T(text("Hint"))) + "</p>")
	}
	if set("Err") {
		b.WriteString(`<p class="error" id="e-` + id + `">` + html.EscapeString(p.T(text("Err"))) + "</p>")
	}
	b.WriteString("</div>")
	return template.HTML(b.String()), nil
}
