package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elk/db"
	"elk/views"
)

// Page is the data every page shares; each handler embeds it in its own
// struct and adds its fields. Translation goes through the page (.T), never
// through a shared template function, so one request never renders in
// another's language. The layout around the page shows only what is here.
type Page struct {
	cat       *views.Catalog
	loc       *time.Location
	access    clientAccess // for May
	Lang      string
	Languages []string
	Title     string
	CSRF      string
	User      db.User
	Company   db.Company
	Staff     bool
	Active    string // ID of the current tab
	Tabs      []navLink
	Home      string
	Flash     flash
	Path      string // the page's own URL, pushed to the address bar after a form post
	Unread    int    // news the client user has not opened: for the bell, read for whole pages and the bell's refresh
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.cat.T(key, args...) }

// N translates key in the plural form for n.
func (p *Page) N(key string, n int) string { return p.cat.N(key, n) }

// Count writes a whole number the page's language's way: "24 792", "24,792".
// Templates print counts through it: {{ $.Count .Total }}.
func (p *Page) Count(n int) string { return p.cat.Count(int64(n)) }

// Compact writes a count short for a chart's scale: "125 тыс.", "1,2 млн".
func (p *Page) Compact(n int64) string { return p.cat.Compact(n) }

// Decimal writes x with up to places decimals: "1,2", "1.2".
func (p *Page) Decimal(x float64, places int) string { return p.cat.Decimal(x, places) }

// Percent writes a percentage with up to places decimals: "99,7 %", "99.7%".
func (p *Page) Percent(x float64, places int) string { return p.cat.Percent(x, places) }

// DateTime shows an instant as 27.11.2026 14:05 in the company's time zone.
func (p *Page) DateTime(t time.Time) string {
	t = t.In(p.loc)
	var buf [16]byte
	b := appendDay(buf[:0], t)
	hour, minute, _ := t.Clock()
	b = append(b, ' ', byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10))
	return string(b)
}

// appendDay writes a day as 27.11.2026. By hand, not time.Format: every row
// of the long tables and every bar of a chart has a date, and Format costs
// several times more.
func appendDay(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	b = append(b, byte('0'+day/10), byte('0'+day%10), '.', byte('0'+month/10), byte('0'+month%10), '.')
	if year < 1000 || year > 9999 {
		return t.AppendFormat(b, "2006") // as Format would, outside the four digits
	}
	return strconv.AppendInt(b, int64(year), 10)
}

// Duration formats a span the way people say it: «30 с», «3 мин», «2 ч 05 мин», «4 д 6 ч».
func (p *Page) Duration(d time.Duration) string {
	minutes := int(d.Round(time.Minute) / time.Minute)
	switch {
	case d < time.Minute:
		return p.cat.T("duration.s", int(d.Round(time.Second)/time.Second))
	case minutes < 60:
		return p.cat.T("duration.m", minutes)
	case minutes < 24*60:
		return p.cat.T("duration.hm", minutes/60, minutes%60)
	}
	return p.cat.T("duration.dh", minutes/(24*60), minutes%(24*60)/60)
}

// Day shows a calendar day (a tariff's or a subscription's date) as 27.11.2026.
func (p *Page) Day(t time.Time) string {
	var buf [16]byte
	return string(appendDay(buf[:0], t))
}

// Month names a calendar month: «ноябрь 2026».
func (p *Page) Month(t time.Time) string {
	return p.T("month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}

// page builds the shared data for a page under the tab active, titled by the key title.
func (s *Server) page(c *fiber.Ctx, active, title string) *Page {
	st := state(c)
	p := &Page{Languages: views.Languages, CSRF: s.csrfToken(c), Active: active, Path: c.Path(), Home: "/login", access: s.clientAccess}
	p.Lang = s.language(c)
	p.cat = s.catalogs.Get(p.Lang)
	p.loc = db.VendorLocation // the back office's pages
	if st.user != nil {
		p.User = *st.user
		p.Staff = st.user.IsStaff()
		p.Home = "/company"
		if p.Staff {
			p.Home = "/admin"
		} else {
			p.Company = *st.company
			p.loc = st.company.Location()
		}
	}
	p.Title = p.T(title)
	return p
}

// fillLayout reads what only the layout around a whole page shows: the
// tabs, the bell's count and the flash, which is cleared only by a page
// that shows it, never by a fragment.
func (s *Server) fillLayout(c *fiber.Ctx, p *Page) {
	p.Tabs = p.tabLinks()
	if p.User.ID != 0 && !p.Staff {
		p.Unread = s.unreadNews(c)
	}
	if f := s.takeFlash(c); p.cat.Has(f.Key) {
		p.Flash = f
	}
}

// tabLinks are the tabs the page's user sees, labelled in its language.
func (p *Page) tabLinks() []navLink {
	if p.User.ID == 0 {
		return nil
	}
	tabs := clientTabs
	if p.Staff {
		tabs = staffTabs
	}
	var links []navLink
	for _, t := range tabs {
		if p.Staff && (len(t.Roles) == 0 || slices.Contains(t.Roles, p.User.Role)) || !p.Staff && p.may("GET "+t.Path) {
			links = append(links, navLink{Label: p.T(t.Label), Href: t.Path, Current: t.ID == p.Active})
		}
	}
	return links
}

// language is the user's stored choice, or the login page's cookie, or Russian.
func (s *Server) language(c *fiber.Ctx) string {
	if u := state(c).user; u != nil {
		return u.Lang
	}
	// The catalog's own string: the cookie's lives in a buffer the next request reuses.
	if i := slices.Index(views.Languages, c.Cookies(langCookie)); i >= 0 {
		return views.Languages[i]
	}
	return views.Languages[0]
}

// render writes a whole page in the application layout. When a form post
// answers with a page (a validation error, a one-time password), htmx is
// told the page's own URL, so a reload does not repeat the post.
func (s *Server) render(c *fiber.Ctx, status int, name string, p *Page, data any) error {
	if c.Method() != fiber.MethodGet && c.Get("HX-Request") != "" {
		c.Set("HX-Push-Url", p.Path)
	}
	return s.renderIn(c.Status(status), "layouts/main", name, p, data)
}

// renderIn writes a page inside a layout: the layout's "top" template,
// the page's own, then the layout's "bottom", all over the page's data. The
// whole page is rendered before any of it is sent, so an error in it fails
// the request instead of going out inside a 200 page.
func (s *Server) renderIn(c *fiber.Ctx, layout, name string, p *Page, data any) error {
	if layout == "layouts/main" {
		s.fillLayout(c, p)
	}
	out := getRenderBuffer()
	defer putRenderBuffer(out)
	for _, part := range [...]struct {
		name string
		data any
	}{{layout + ".top", p}, {name, data}, {layout + ".bottom", p}} {
		if err := s.templates.Render(out, part.name, part.data); err != nil {
			return fmt.Errorf("render %s: %w", part.name, err)
		}
	}
	return sendHTML(c, out)
}

// fragment writes only a part of a page, for htmx requests aimed at it.
func (s *Server) fragment(c *fiber.Ctx, name string, data any) error {
	out := getRenderBuffer()
	defer putRenderBuffer(out)
	if err := s.templates.Render(out, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return sendHTML(c, out)
}

// sendHTML answers with a copy of the rendered markup: the buffer goes back
// to the pool.
func sendHTML(c *fiber.Ctx, out *bytes.Buffer) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Response().SetBody(out.Bytes())
	return nil
}

// renderBuffers keep the buffers pages are rendered into: a page is tens of
// kilobytes, and growing a new buffer to that for every request was a
// tenth of a page's cost.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getRenderBuffer() *bytes.Buffer {
	b := renderBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putRenderBuffer keeps a buffer unless a rare huge page grew it.
func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		renderBuffers.Put(b)
	}
}

// isPartRequest reports whether htmx asks for a part of a page: a boosted
// navigation wants a whole page, whatever element it targets.
func isPartRequest(c *fiber.Ctx) bool {
	return c.Get("HX-Request") != "" && c.Get("HX-Boosted") == ""
}

// pagePart is a part of a page that an htmx request may ask for alone, by
// the id of the element it replaces: the template that writes it and its
// data.
type pagePart struct {
	target, template string
	data             any
}

// partOrPage answers an htmx request aimed at one of a page's parts with
// that part alone; any other request gets whole, which reads and renders
// what only the whole page shows. The parts' data is read before, as the
// whole page shows it too.
func (s *Server) partOrPage(c *fiber.Ctx, whole func() error, parts ...pagePart) error {
	if isPartRequest(c) {
		for _, part := range parts {
			if part.target == c.Get("HX-Target") {
				return s.fragment(c, part.template, part.data)
			}
		}
	}
	return whole()
}

// errorPage is the page for any refused or failed request.
type errorPage struct {
	*Page
	Code      int
	Message   string
	RequestID string // to quote to support
}

// handleError turns every error a handler returns into the error page in the
// user's language. Server errors are logged with their details, which the
// user never sees.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if strings.HasPrefix(strings.ToLower(c.Path()), "/api/") {
		return s.handleAPIError(c, err)
	}
	code, message := fiber.StatusInternalServerError, "error.internal"
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		code, message = fe.Code, messageFor(fe)
	case errors.Is(err, db.ErrNotFound):
		code, message = fiber.StatusNotFound, "error.not_found"
	}
	if code >= 500 {
		s.log(c).Error("request failed", "method", c.Method(), "path", loggedPath(c), "err", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(code)
	if c.Locals(stateKey) == nil {
		c.Locals(stateKey, &requestState{}) // the error came before the session was read
	}
	p := s.page(c, "", message)
	data := errorPage{Page: p, Code: code, Message: message, RequestID: requestID(c)}
	if isPartRequest(c) {
		// A part of a page failed: the page stays, the error shows in the
		// layout's one place for it, in view and replacing any before.
		c.Set("HX-Retarget", "#part-error")
		c.Set("HX-Reswap", "innerHTML")
		return s.fragment(c, "errors/fragment", data)
	}
	if p.User.ID == 0 {
		return s.renderIn(c, "layouts/bare", "errors/bare", p, data)
	}
	return s.renderIn(c, "layouts/main", "errors/error", p, data)
}

// handleAPIError answers an API request's error as JSON {"error", "field"}.
func (s *Server) handleAPIError(c *fiber.Ctx, err error) error {
	ae := &apiError{Status: fiber.StatusInternalServerError, Message: "internal error"}
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &fe):
		ae = &apiError{Status: fe.Code, Message: strings.ToLower(utils.StatusMessage(fe.Code))}
		if fe.Code == fiber.StatusRequestEntityTooLarge {
			ae.Message = "request body too large: at most 1 MiB with a live token, 32 KiB without"
		}
	}
	if ae.Status >= 500 {
		s.log(c).Error("api request failed", "method", c.Method(), "path", loggedPath(c), "err", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(ae.Status).JSON(ae)
}

func messageFor(fe *fiber.Error) string {
	if strings.HasPrefix(fe.Message, "error.") {
		return fe.Message
	}
	switch fe.Code {
	case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
		return "error.not_found"
	case fiber.StatusForbidden:
		return "error.forbidden"
	case fiber.StatusRequestEntityTooLarge:
		return "error.too_large"
	case fiber.StatusTooManyRequests:
		return "error.too_many"
	}
	if fe.Code < 500 {
		return "error.bad_request"
	}
	return "error.internal"
}

// assetURL is a static file's address, versioned by its content so that
// browsers may keep it for a year.
func (s *Server) assetURL(name string) string { return "/static/" + name + "?v=" + s.assets[name] }

// templateFuncs are the functions every template may call; none depends on the request.
func (s *Server) templateFuncs() template.FuncMap {
	funcs := template.FuncMap{
		"asset":    s.assetURL,
		"markdown": views.Markdown,
		"inc":      func(i int) int { return i + 1 },
		"phone":    formatPhone,
		// recipient is an outbox notice's address as shown: a phone
		// formatted, a Telegram chat masked.
		"recipient": recipientText,
	}
	maps.Copy(funcs, fieldOptions)
	return funcs
}
