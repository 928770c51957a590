package handlers

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// questionsPage is Вопросы и ответы: the published answers by section, the
// search, the «Задайте вопрос» form and the user's own questions.
type questionsPage struct {
	*Page
	Query    string
	Groups   []questionGroup
	Sections []db.Section
	Mine     []db.Question
	Form     questionForm
	OpenForm bool
}

type questionGroup struct {
	Title     string
	Questions []db.Question
}

// questionForm is a question as typed.
type questionForm struct {
	SectionID int64
	Subject   string
	Body      string
	Errors    Errors
}

func (s *Server) listQuestions(c *fiber.Ctx) error {
	return s.renderQuestions(c, fiber.StatusOK, questionForm{Errors: Errors{}}, c.Query("ask") != "")
}

func (s *Server) renderQuestions(c *fiber.Ctx, status int, form questionForm, open bool) error {
	ctx := c.UserContext()
	st := state(c)
	p := s.page(c, "questions", "questions.title")
	p.Path = "/questions"
	data := questionsPage{Page: p, Query: clone(cleanText(c.Query("q"))), Form: form, OpenForm: open || len(form.Errors) > 0}
	published, err := s.store.PublishedQuestions(ctx, data.Query)
	if err != nil {
		return err
	}
	for _, q := range published {
		if n := len(data.Groups); n == 0 || data.Groups[n-1].Title != q.SectionTitle {
			data.Groups = append(data.Groups, questionGroup{Title: q.SectionTitle})
		}
		g := &data.Groups[len(data.Groups)-1]
		g.Questions = append(g.Questions, q)
	}
	whole := func() error {
		if data.Sections, err = s.store.Sections(ctx); err != nil {
			return err
		}
		asked, err := s.store.CompanyQuestions(ctx, st.company.ID)
		if err != nil {
			return err
		}
		for _, q := range asked {
			if q.UserID == st.user.ID {
				data.Mine = append(data.Mine, q)
			}
		}
		return s.render(c, status, "questions/list", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"answers", "questions/answers", data})
}

// parseQuestion reads and checks a question's section, subject and body,
// as the client asks it and as staff edit it.
func (s *Server) parseQuestion(c *fiber.Ctx) (questionForm, error) {
	in := readForm(c)
	f := questionForm{Subject: in.text("subject"), Body: in.longText("body"), Errors: in.Errors}
	f.SectionID, _ = strconv.ParseInt(c.FormValue("section_id"), 10, 64)
	sections, err := s.store.Sections(c.UserContext())
	if err != nil {
		return f, err
	}
	if !slices.ContainsFunc(sections, func(sc db.Section) bool { return sc.ID == f.SectionID }) {
		f.Errors["section_id"] = "questions.bad_section"
	}
	f.Errors.checkText("subject", f.Subject, true, 200)
	f.Errors.checkText("body", f.Body, true, 5000)
	return f, nil
}

// askQuestion records the user's question.
func (s *Server) askQuestion(c *fiber.Ctx) error {
	f, err := s.parseQuestion(c)
	if err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		return s.renderQuestions(c, fiber.StatusUnprocessableEntity, f, true)
	}
	if _, err := s.store.Ask(c.UserContext(), s.actor(c), state(c).company.ID,
		db.Question{SectionID: f.SectionID, Subject: f.Subject, Body: f.Body}); err != nil {
		return err
	}
	s.setFlash(c, askedFlash(state(c).user, state(c).company))
	return c.Redirect("/questions#mine", fiber.StatusSeeOther)
}

// askedFlash promises an answer by e-mail only when one will be sent: the
// asker has an address and the company's notifications are on.
func askedFlash(u *db.User, co *db.Company) string {
	switch {
	case u.Email != "" && co.NotifyEnabled:
		return "questions.asked"
	case u.Email == "":
		return "questions.asked_no_email"
	default:
		return "questions.asked_here"
	}
}
