package handlers

import (
	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// newsPage is the Новости tab, or one news item.
type newsPage struct {
	*Page
	News []db.News
	Item *db.News
}

const newsPageSize = 100

func (s *Server) listNews(c *fiber.Ctx) error {
	st := state(c)
	news, err := s.store.CompanyNews(c.UserContext(), st.company.ID, st.user.ID, newsPageSize)
	if err != nil {
		return err
	}
	p := s.page(c, "news", "news.title")
	return s.render(c, fiber.StatusOK, "news/list", p, newsPage{Page: p, News: news})
}

// showNews opens a news item, which marks it read; one the company does not
// see is a 404.
func (s *Server) showNews(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	st := state(c)
	n, err := s.store.OpenNews(c.UserContext(), st.company.ID, st.user.ID, id)
	if err != nil {
		return err
	}
	p := s.page(c, "news", "news.title")
	p.Title = n.Title
	return s.render(c, fiber.StatusOK, "news/show", p, newsPage{Page: p, Item: &n})
}

// readAllNews marks every news item read.
func (s *Server) readAllNews(c *fiber.Ctx) error {
	st := state(c)
	if err := s.store.ReadAllNews(c.UserContext(), st.company.ID, st.user.ID); err != nil {
		return err
	}
	return c.Redirect("/news", fiber.StatusSeeOther)
}

// showBell answers the bell's own refresh.
func (s *Server) showBell(c *fiber.Ctx) error {
	p := s.page(c, "news", "news.title")
	p.Unread = s.unreadNews(c)
	return s.fragment(c, "partials/bell", p)
}

// unreadNews is the bell's count; a failure shows no count rather than no page.
func (s *Server) unreadNews(c *fiber.Ctx) int {
	st := state(c)
	n, err := s.store.UnreadNews(c.UserContext(), st.company.ID, st.user.ID)
	if err != nil {
		s.log(c).Error("unread news", "err", err)
	}
	return n
}
