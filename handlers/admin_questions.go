package handlers

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// adminQuestionsPage is the back office's questions: the list, one being
// answered, and the sections.
type adminQuestionsPage struct {
	*Page
	Questions     []db.Question
	Sections      []db.Section
	Editing       *db.Question
	Form          answerForm
	Section       string // a new section's title as typed
	SectionErrors Errors
	CanEdit       bool
}

// answerForm is staff's edit of a question as typed.
type answerForm struct {
	SectionID  int64
	Subject    string
	Body       string
	Answer     string
	Published  bool
	MergedInto string
	Errors     Errors
}

func (s *Server) listAdminQuestions(c *fiber.Ctx) error {
	var form answerForm
	var editing *db.Question
	if id := int64(c.QueryInt("edit")); id > 0 {
		q, err := s.store.QuestionByID(c.UserContext(), id)
		if err != nil {
			return err
		}
		editing = &q
		form = answerForm{SectionID: q.SectionID, Subject: q.Subject, Body: q.Body, Answer: q.Answer, Published: q.Published, Errors: Errors{}}
		if q.MergedInto != 0 {
			form.MergedInto = strconv.FormatInt(q.MergedInto, 10)
		}
	}
	return s.renderAdminQuestions(c, fiber.StatusOK, editing, form, "", "")
}

func (s *Server) renderAdminQuestions(c *fiber.Ctx, status int, editing *db.Question, form answerForm, section, sectionErr string) error {
	ctx := c.UserContext()
	p := s.page(c, "questions", "questions.title")
	data := adminQuestionsPage{Page: p, Editing: editing, Form: form, Section: section, SectionErrors: Errors{"title": sectionErr}, CanEdit: isAnswerer(state(c).user)}
	var err error
	if data.Questions, err = s.store.AllQuestions(ctx); err != nil {
		return err
	}
	if data.Sections, err = s.store.Sections(ctx); err != nil {
		return err
	}
	return s.render(c, status, "admin/questions", p, data)
}

// answerQuestion saves staff's edit of a question and its answer.
func (s *Server) answerQuestion(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	q, err := s.store.QuestionByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	qf, err := s.parseQuestion(c)
	if err != nil {
		return err
	}
	in := readFormInto(c, qf.Errors)
	f := answerForm{SectionID: qf.SectionID, Subject: qf.Subject, Body: qf.Body, Answer: in.longText("answer"),
		Published: c.FormValue("published") == "1", MergedInto: in.text("merged_into"), Errors: in.Errors}
	f.Errors.checkText("answer", f.Answer, false, 20000)
	var merged int64
	if f.MergedInto != "" && f.Errors["merged_into"] == "" {
		merged, err = strconv.ParseInt(f.MergedInto, 10, 64)
		// Into a published answer, never a chain: the asker is sent to it.
		target, lookup := s.store.QuestionByID(c.UserContext(), merged)
		pointedAt, countErr := s.store.DuplicatesOf(c.UserContext(), q.ID)
		if err != nil || lookup != nil || countErr != nil || merged == q.ID || target.MergedInto != 0 ||
			target.Status != db.QuestionAnswered || !target.Published || pointedAt > 0 {
			f.Errors["merged_into"] = "questions.bad_merge"
		}
	}
	if f.Published && f.Answer == "" && merged == 0 {
		f.Errors["answer"] = "questions.need_answer"
	}
	if len(f.Errors) > 0 {
		return s.renderAdminQuestions(c, fiber.StatusUnprocessableEntity, &q, f, "", "")
	}
	err = s.store.AnswerQuestion(c.UserContext(), s.actor(c), db.Question{ID: q.ID, SectionID: f.SectionID, Subject: f.Subject,
		Body: f.Body, Answer: f.Answer, Published: f.Published, MergedInto: merged})
	if err != nil {
		return err
	}
	s.setFlash(c, "questions.saved")
	return c.Redirect(fmt.Sprintf("/admin/questions?edit=%d#answer-form", q.ID), fiber.StatusSeeOther)
}

// addSection adds a heading.
func (s *Server) addSection(c *fiber.Ctx) error {
	in := readForm(c)
	title, e := in.text("title"), in.Errors
	e.checkText("title", title, true, 100)
	if len(e) == 0 {
		err := s.store.AddSection(c.UserContext(), s.actor(c), title)
		if errors.Is(err, db.ErrSectionTaken) {
			e["title"] = "questions.section_taken"
		} else if err != nil {
			return err
		}
	}
	if len(e) > 0 {
		return s.renderAdminQuestions(c, fiber.StatusUnprocessableEntity, nil, answerForm{Errors: Errors{}}, title, e["title"])
	}
	s.setFlash(c, "questions.section_added")
	return c.Redirect("/admin/questions#sections", fiber.StatusSeeOther)
}
