package handlers

// formField is one labelled input of a form, as partials/field shows it.
// Pages build it with Page.Field and options in the template:
//
//	{{ template "partials/field" ($.Field "inn" "company.inn" .Form.INN .Form.Errors (maxLength 12) (hint "company.inn_hint")) }}
type formField struct {
	ID, ErrorID  string // the input's and its error's; the label and aria point at them
	Name, Value  string
	Type         string
	Label        string // translated, as are Hint and Error
	Hint, Error  string
	Required     bool
	Autocomplete string
	MaxLength    int
	Autofocus    bool
	Wide         bool // spans both columns of a grid
	idPrefix     string
	hintKey      string
}

// fieldOption sets one of a field's optional attributes.
type fieldOption func(*formField)

// Field is a text input named name, labelled by the translation key label,
// showing value as typed and the error errs holds for the name, if any.
func (p *Page) Field(name, label, value string, errs Errors, opts ...fieldOption) formField {
	f := formField{Name: name, Value: value, Type: "text", Label: p.T(label)}
	for _, opt := range opts {
		opt(&f)
	}
	f.ID, f.ErrorID = "f-"+f.idPrefix+name, "e-"+f.idPrefix+name
	if f.hintKey != "" {
		f.Hint = p.T(f.hintKey)
	}
	if key := errs[name]; key != "" {
		f.Error = p.T(key)
	}
	return f
}

// fieldOptions are the options templates may pass to Page.Field.
var fieldOptions = map[string]any{
	"required":     func() fieldOption { return func(f *formField) { f.Required = true } },
	"autofocus":    func(on bool) fieldOption { return func(f *formField) { f.Autofocus = on } },
	"wide":         func() fieldOption { return func(f *formField) { f.Wide = true } },
	"maxLength":    func(n int) fieldOption { return func(f *formField) { f.MaxLength = n } },
	"inputType":    func(t string) fieldOption { return func(f *formField) { f.Type = t } },
	"autocomplete": func(v string) fieldOption { return func(f *formField) { f.Autocomplete = v } },
	"hint":         func(key string) fieldOption { return func(f *formField) { f.hintKey = key } },
	// idPrefix keeps ids apart when two forms on a page share a field name.
	"idPrefix": func(prefix string) fieldOption { return func(f *formField) { f.idPrefix = prefix } },
}
