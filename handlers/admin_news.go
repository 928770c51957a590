package handlers

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// adminNewsPage is the back office's news: the list and the form.
type adminNewsPage struct {
	*Page
	News      []db.News
	Form      newsForm
	Companies []db.Company
	CanEdit   bool
	Now       time.Time
}

// Chosen reports whether the form's audience includes the company.
func (p adminNewsPage) Chosen(id int64) bool { return slices.Contains(p.Form.CompanyIDs, id) }

// newsForm is a news item as typed.
type newsForm struct {
	ID          int64
	Title       string
	Body        string
	Publish     bool
	PublishedAt string // datetime-local, Moscow
	Pinned      bool
	Audience    string
	CompanyIDs  []int64
	Errors      Errors
}

const newsTimeLayout = "2006-01-02T15:04"

func (s *Server) listAdminNews(c *fiber.Ctx) error {
	form := newsForm{Publish: true, PublishedAt: s.store.Now().In(db.VendorLocation).Format(newsTimeLayout), Audience: db.AudienceAll, Errors: Errors{}}
	if id := int64(c.QueryInt("edit")); id > 0 {
		n, err := s.store.NewsByID(c.UserContext(), id)
		if err != nil {
			return err
		}
		form = newsForm{ID: n.ID, Title: n.Title, Body: n.Body, Publish: n.PublishedAt != nil, Pinned: n.Pinned,
			Audience: n.Audience, CompanyIDs: n.CompanyIDs, Errors: Errors{}, PublishedAt: form.PublishedAt}
		if n.PublishedAt != nil {
			form.PublishedAt = n.PublishedAt.In(db.VendorLocation).Format(newsTimeLayout)
		}
	}
	return s.renderAdminNews(c, fiber.StatusOK, form)
}

func (s *Server) renderAdminNews(c *fiber.Ctx, status int, form newsForm) error {
	ctx := c.UserContext()
	p := s.page(c, "news", "news.title")
	data := adminNewsPage{Page: p, Form: form, CanEdit: canEdit(state(c).user), Now: s.store.Now()}
	var err error
	if data.News, err = s.store.AllNews(ctx); err != nil {
		return err
	}
	if data.Companies, err = s.store.ListCompanies(ctx, ""); err != nil {
		return err
	}
	return s.render(c, status, "admin/news", p, data)
}

// saveNews creates or changes a news item.
func (s *Server) saveNews(c *fiber.Ctx) error {
	in := readForm(c)
	f := newsForm{Title: in.text("title"), Body: in.longText("body"), Publish: c.FormValue("publish") == "1",
		PublishedAt: clone(c.FormValue("published_at")), Pinned: c.FormValue("pinned") == "1", Audience: clone(c.FormValue("audience")),
		Errors: in.Errors}
	f.ID, _ = strconv.ParseInt(c.FormValue("id"), 10, 64)
	f.Errors.checkText("title", f.Title, true, 200)
	f.Errors.checkText("body", f.Body, true, 20000)
	companies, err := s.store.ListCompanies(c.UserContext(), "")
	if err != nil {
		return err
	}
	for _, raw := range formValues(c, "company_ids") {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !slices.ContainsFunc(companies, func(co db.Company) bool { return co.ID == id }) {
			f.Errors["audience"] = "news.bad_company"
			continue
		}
		f.CompanyIDs = append(f.CompanyIDs, id)
	}
	switch {
	case f.Audience != db.AudienceAll && f.Audience != db.AudienceCompanies:
		f.Errors["audience"] = "news.bad_audience"
	case f.Audience == db.AudienceCompanies && len(f.CompanyIDs) == 0:
		f.Errors["audience"] = "news.need_company"
	}
	var published *time.Time
	if f.Publish {
		t, err := time.ParseInLocation(newsTimeLayout, f.PublishedAt, db.VendorLocation)
		if err != nil {
			f.Errors["published_at"] = "news.bad_time"
		}
		published = &t
	}
	if len(f.Errors) > 0 {
		return s.renderAdminNews(c, fiber.StatusUnprocessableEntity, f)
	}
	id, err := s.store.SaveNews(c.UserContext(), s.actor(c), db.News{ID: f.ID, Title: f.Title, Body: f.Body, PublishedAt: published,
		Pinned: f.Pinned, Audience: f.Audience, CompanyIDs: f.CompanyIDs})
	if err != nil {
		return err
	}
	s.setFlash(c, "news.saved")
	return c.Redirect(fmt.Sprintf("/admin/news?edit=%d#news-form", id), fiber.StatusSeeOther)
}
