package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
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
// another's language.
type Page struct {
	cat       *views.Catalog
	loc       *time.Location
	Lang      string
	Languages []string
	Title     string
	CSRF      string
	User      db.User
	Company   db.Company
	Staff     bool
	Active    string // ID of the current tab
	Home      string
	Flash     string // translation key
	FlashErr  bool
	Path      string // the page's own URL, pushed to the address bar after a form post
	Unread    int    // news the client user has not opened, for the bell
}

// T translates key into the page's language.
func (p *Page) T(key string, args ...any) string { return p.cat.T(key, args...) }

// N translates key in the plural form for n.
func (p *Page) N(key string, n int) string { return p.cat.N(key, n) }

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

// base lets request-independent template functions reach the page inside a
// handler's data.
func (p *Page) base() *Page { return p }

type withPage interface{ base() *Page }

// page builds the shared data for a page under the tab active, titled by the key title.
func (s *Server) page(c *fiber.Ctx, active, title string) *Page {
	st := state(c)
	p := &Page{Languages: views.Languages, CSRF: s.csrfToken(c), Active: active, Path: c.Path(), Home: "/login"}
	p.Lang = s.language(c)
	p.cat = s.catalogs.Get(p.Lang)
	p.loc = vendorLocation
	if st.user != nil {
		p.User = *st.user
		p.Staff = st.user.IsStaff()
		p.Home = "/company"
		if p.Staff {
			p.Home = "/admin/companies"
		} else {
			p.Company = *st.company
			p.loc = st.company.Location()
			p.Unread = s.unreadNews(c)
		}
	}
	if flash := s.takeFlash(c); flash != "" {
		key := strings.TrimPrefix(flash, "!")
		if p.cat.Has(key) {
			p.Flash, p.FlashErr = key, key != flash
		}
	}
	p.Title = p.T(title)
	return p
}

// vendorLocation is the time zone of the back office's pages.
var vendorLocation = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err) // the binary embeds the time zone database
	}
	return loc
}()

// tabLinks are the links to the tabs the frame's user sees, labelled in
// its language, the active one marked.
func (s *Server) tabLinks(f frame) template.HTML {
	if f.Role == "" {
		return ""
	}
	tabs, role, active, cat := clientTabs, f.Role, f.Active, s.catalogs.Get(f.Lang)
	if f.Staff {
		tabs = staffTabs
	}
	var b strings.Builder
	for _, t := range tabs {
		if len(t.Roles) > 0 && !slices.Contains(t.Roles, role) {
			continue
		}
		b.WriteString(`<a href="` + html.EscapeString(t.Path) + `"`)
		if t.ID == active {
			b.WriteString(` class="active" aria-current="page"`)
		}
		b.WriteString(">" + html.EscapeString(cat.T(t.Label)) + "</a>")
	}
	return template.HTML(b.String())
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

// renderIn writes a page inside a layout, in the page's language. The
// page's part is rendered first, so an error in it fails the request
// instead of going out inside a 200 page; the layout around it is
// remembered for its frame.
func (s *Server) renderIn(c *fiber.Ctx, layout, name string, p *Page, data any) error {
	engine := s.pages[p.Lang]
	body := getRenderBuffer()
	defer putRenderBuffer(body)
	if err := engine.Render(body, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	f := p.frame(layout)
	before, after, err := s.frames.around(engine, f, s.dress)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	resp := c.Response()
	resp.ResetBody()
	resp.AppendBodyString(before)
	resp.AppendBody(body.Bytes())
	resp.AppendBodyString(after)
	return nil
}

// fragment writes only a part of a page, for htmx requests aimed at it.
func (s *Server) fragment(c *fiber.Ctx, name string, data any) error {
	body := getRenderBuffer()
	defer putRenderBuffer(body)
	if err := s.pages[s.language(c)].Render(body, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Response().SetBody(body.Bytes()) // a copy: the buffer goes back to the pool
	return nil
}

// renderBuffers keep the buffers pages are rendered into: a page is tens of
// kilobytes, and growing a new buffer to that for every request was a
// tenth of a page's cost. The response gets a copy, so a buffer goes back
// as soon as the page is written.
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

// wantsFragment reports whether an htmx request (not a boosted navigation)
// targets the element with the given id.
func wantsFragment(c *fiber.Ctx, target string) bool {
	return c.Get("HX-Request") != "" && c.Get("HX-Boosted") == "" && c.Get("HX-Target") == target
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
			ae.Message = "request body too large: at most 1 MiB"
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
	return template.FuncMap{
		"asset":          s.assetURL,
		"dict":           dict,
		"field":          field,
		"periodFields":   periodFields,
		"serviceSummary": serviceSummary,
		"inc":            func(i int) int { return i + 1 },
		"phone":          formatPhone,
	}
}

// dictPage is the page a partial's dict holds as P, for the template
// functions that take the dict (fn names the function in the error).
func dictPage(args map[string]any, fn string) (*Page, error) {
	d, ok := args["P"].(withPage)
	if !ok {
		return nil, fmt.Errorf("%s: P is not a page", fn)
	}
	return d.base(), nil
}

// dict builds a map from key-value pairs, to pass several values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
