package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// formInput reads what a user typed into a form that saves it. Every such
// form reads its text fields here, so that each value is trimmed, copied
// out of Fiber's reusable buffers and checked the same way.
type formInput struct {
	value  func(name string) string // the field as sent
	Errors Errors                   // the fields refused while reading; the form adds its own
}

func readForm(c *fiber.Ctx) formInput { return readFormInto(c, Errors{}) }

// readFormInto reads a form whose errors are already being collected.
func readFormInto(c *fiber.Ctx, errs Errors) formInput {
	return formInput{value: func(name string) string { return c.FormValue(name) }, Errors: errs}
}

// input reads a form with files' text the same way.
func (f *uploadForm) input() formInput { return formInput{value: f.Value, Errors: Errors{}} }

// text is a one-line value.
func (in formInput) text(name string) string {
	return in.Errors.typedText(name, in.value(name), false)
}

// longText is a value of several lines (Markdown): line feeds and tabs
// stay, and a browser's CRLF becomes LF.
func (in formInput) longText(name string) string {
	return in.Errors.typedText(name, in.value(name), true)
}

// typedText is the one check of typed text: trimmed, invalid UTF-8
// dropped, and a control character refused under field ("form.control_chars").
// The value comes back copied, with each control character shown as "�",
// so the form shows what was typed and where the invisible character was.
func (e Errors) typedText(field, raw string, lines bool) string {
	s := strings.TrimSpace(strings.ToValidUTF8(raw, ""))
	if lines {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if hasControl(s, lines) {
		e[field] = "form.control_chars"
		s = strings.Map(func(r rune) rune {
			if refusedControl(r, lines) {
				return '\uFFFD'
			}
			return r
		}, s)
	}
	return clone(s)
}
