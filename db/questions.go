package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Question statuses.
const (
	QuestionNew      = "new"
	QuestionAnswered = "answered"
)

// Section is a heading of Вопросы и ответы.
type Section struct {
	ID       int64
	Title    string
	Position int
}

// Question is a question with its answer.
type Question struct {
	ID           int64
	SectionID    int64
	SectionTitle string
	CompanyID    int64 // 0 for one staff wrote
	CompanyName  string
	UserID       int64
	Subject      string
	Body         string
	Answer       string
	Status       string
	Published    bool
	MergedInto   int64
	AnsweredAt   *time.Time
	CreatedAt    time.Time
}

// Sections returns the headings in their order.
func (s *Store) Sections(ctx context.Context) ([]Section, error) {
	out, err := queryAll(ctx, s.r, func(row scanner) (Section, error) {
		var sc Section
		return sc, row.Scan(&sc.ID, &sc.Title, &sc.Position)
	}, `SELECT id, title, position FROM question_sections ORDER BY position, title`)
	if err != nil {
		return nil, fmt.Errorf("db: sections: %w", err)
	}
	return out, nil
}

// AddSection adds a heading at the end.
func (s *Store) AddSection(ctx context.Context, a Actor, title string) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO question_sections (title, position)
			VALUES (?, (SELECT COALESCE(max(position), 0) + 1 FROM question_sections))`, title); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return ErrSectionTaken
			}
			return err
		}
		return s.writeAudit(ctx, tx, a, 0, AuditQuestionSaved, "§ "+title)
	})
	if err != nil {
		return fmt.Errorf("db: add section: %w", err)
	}
	return nil
}

// ErrSectionTaken refuses a second heading of the same title.
var ErrSectionTaken = errors.New("questions.section_taken")

const questionColumns = `q.id, q.section_id, qs.title, COALESCE(q.company_id, 0), COALESCE(c.name, ''), COALESCE(q.user_id, 0),
	q.subject, q.body, q.answer, q.status, q.published, COALESCE(q.merged_into, 0), q.answered_at, q.created_at`

const questionFrom = ` FROM questions q JOIN question_sections qs ON qs.id = q.section_id LEFT JOIN companies c ON c.id = q.company_id`

func scanQuestion(row scanner) (Question, error) {
	var q Question
	var answered sql.NullString
	var created string
	err := row.Scan(&q.ID, &q.SectionID, &q.SectionTitle, &q.CompanyID, &q.CompanyName, &q.UserID, &q.Subject, &q.Body,
		&q.Answer, &q.Status, &q.Published, &q.MergedInto, &answered, &created)
	q.AnsweredAt, q.CreatedAt = parseNullTime(answered), parseTime(created)
	return q, err
}

// Ask records a client's question.
func (s *Store) Ask(ctx context.Context, a Actor, companyID int64, q Question) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO questions (section_id, company_id, user_id, subject, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, q.SectionID, nullIfZero(companyID), nullIfZero(a.UserID), q.Subject, q.Body, formatTime(s.Now())).Scan(&id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, a, companyID, AuditQuestionAsked, q.Subject)
	})
	if err != nil {
		return 0, fmt.Errorf("db: ask: %w", err)
	}
	return id, nil
}

// ImportQuestion records a question asked before ELK, as Ask does, with its
// answer when q has one: given by answerer as it was asked, and published
// as q says. Nobody is told.
func (s *Store) ImportQuestion(ctx context.Context, asker, answerer Actor, companyID int64, q Question) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.Now())
		status, answeredBy, answeredAt := QuestionNew, "", any(nil)
		if strings.TrimSpace(q.Answer) != "" {
			status, answeredBy, answeredAt = QuestionAnswered, answerer.Login, now
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO questions (section_id, company_id, user_id, subject, body, answer, status,
			published, answered_by, answered_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			q.SectionID, nullIfZero(companyID), nullIfZero(asker.UserID), q.Subject, q.Body, q.Answer, status,
			q.Published && status == QuestionAnswered, answeredBy, answeredAt, now).Scan(&id); err != nil {
			return err
		}
		return s.writeAudit(ctx, tx, asker, companyID, AuditQuestionAsked, q.Subject)
	})
	if err != nil {
		return 0, fmt.Errorf("db: import question: %w", err)
	}
	return id, nil
}

// PublishedQuestions returns the answered questions shown to everyone,
// by section; a query narrows them by full-text search of the words (each
// word by its stem, so «баланса» finds «баланс» and «балансе»).
func (s *Store) PublishedQuestions(ctx context.Context, query string) ([]Question, error) {
	where, args := ` WHERE q.published = 1 AND q.status = 'answered' AND q.merged_into IS NULL`, []any{}
	if m := ftsQuery(query); m != "" {
		where += ` AND q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)`
		args = append(args, m)
	} else if strings.TrimSpace(query) != "" {
		return nil, nil // nothing searchable in it
	}
	out, err := queryAll(ctx, s.r, scanQuestion, `SELECT `+questionColumns+questionFrom+where+` ORDER BY qs.position, qs.title, q.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("db: published questions: %w", err)
	}
	return out, nil
}

// CompanyQuestions returns the questions a company's users asked, newest first.
func (s *Store) CompanyQuestions(ctx context.Context, companyID int64) ([]Question, error) {
	out, err := queryAll(ctx, s.r, scanQuestion, `SELECT `+questionColumns+questionFrom+` WHERE q.company_id = ? ORDER BY q.id DESC`, companyID)
	if err != nil {
		return nil, fmt.Errorf("db: questions of company %d: %w", companyID, err)
	}
	return out, nil
}

// AllQuestions returns every question, unanswered first (back office).
func (s *Store) AllQuestions(ctx context.Context) ([]Question, error) {
	out, err := queryAll(ctx, s.r, scanQuestion, `SELECT `+questionColumns+questionFrom+` ORDER BY q.status = 'answered', q.id DESC LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("db: all questions: %w", err)
	}
	return out, nil
}

// QuestionByID returns any question (back office).
func (s *Store) QuestionByID(ctx context.Context, id int64) (Question, error) {
	return queryOne(ctx, s.r, scanQuestion, fmt.Sprintf("question %d", id), `SELECT `+questionColumns+questionFrom+` WHERE q.id = ?`, id)
}

// DuplicatesOf counts the questions merged into this one.
func (s *Store) DuplicatesOf(ctx context.Context, id int64) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM questions WHERE merged_into = ?`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("db: duplicates of question %d: %w", id, err)
	}
	return n, nil
}

// AnswerQuestion saves staff's edit and answer. A question answered for the
// first time, or merged into another, tells the asker by e-mail.
func (s *Store) AnswerQuestion(ctx context.Context, a Actor, q Question) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		was, err := queryOne(ctx, tx, scanQuestion, fmt.Sprintf("question %d", q.ID), `SELECT `+questionColumns+questionFrom+` WHERE q.id = ?`, q.ID)
		if err != nil {
			return err
		}
		status, answeredAt := QuestionNew, any(nil)
		if strings.TrimSpace(q.Answer) != "" || q.MergedInto != 0 {
			status, answeredAt = QuestionAnswered, formatTime(s.Now())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE questions SET section_id = ?, subject = ?, body = ?, answer = ?, status = ?,
			published = ?, merged_into = ?, answered_by = ?, answered_at = COALESCE(answered_at, ?) WHERE id = ?`,
			q.SectionID, q.Subject, q.Body, q.Answer, status, q.Published && q.MergedInto == 0, nullIfZero(q.MergedInto), a.Login,
			answeredAt, q.ID); err != nil {
			return err
		}
		if err := s.writeAudit(ctx, tx, a, was.CompanyID, AuditQuestionSaved, q.Subject); err != nil {
			return err
		}
		if was.Status == QuestionAnswered || status != QuestionAnswered || was.UserID == 0 {
			return nil
		}
		return s.notifyUser(ctx, tx, was.UserID, NoticeQuestionAnswered, fmt.Sprintf("question-%d", q.ID), NoticeParams{Subject: q.Subject})
	})
	if err != nil {
		return fmt.Errorf("db: answer question %d: %w", q.ID, err)
	}
	return nil
}

// notifyUser e-mails one user, in their language, if they have an address
// and their company's notifications are on.
func (s *Store) notifyUser(ctx context.Context, tx *sql.Tx, userID int64, kind, event string, p NoticeParams) error {
	var companyID sql.NullInt64
	var email, lang string
	var enabled sql.NullBool
	err := tx.QueryRowContext(ctx, `SELECT u.company_id, u.email, u.lang, c.notify_enabled FROM users u
		LEFT JOIN companies c ON c.id = u.company_id WHERE u.id = ?`, userID).Scan(&companyID, &email, &lang, &enabled)
	if err != nil {
		return err
	}
	if email == "" || !enabled.Bool {
		return nil
	}
	_, _, err = s.enqueue(ctx, tx, NewNotice{CompanyID: companyID.Int64, Channel: ChannelEmail, Recipient: email, Lang: lang,
		Kind: kind, Params: p, DedupeKey: kind + ":" + event + ":" + email})
	return err
}

// ftsQuery turns typed words into a full-text query: each word's stem as a
// prefix, all required. Russian words lose their case ending first.
func ftsQuery(typed string) string {
	var terms []string
	for _, w := range strings.FieldsFunc(strings.ToLower(typed), func(r rune) bool {
		return !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'а' && r <= 'я' || r == 'ё')
	}) {
		w = strings.Trim(strings.ReplaceAll(w, "ё", "е"), "-")
		if w = stem(w); w != "" {
			terms = append(terms, `"`+w+`"*`)
		}
	}
	if len(terms) > 10 {
		terms = terms[:10]
	}
	return strings.Join(terms, " AND ")
}

// russianEndings are the case and number endings stem cuts, longest first.
var russianEndings = []string{"ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ом", "ем", "ам", "ям",
	"ах", "ях", "ов", "ев", "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "а", "я", "ы", "и", "у", "ю", "е", "о", "ь"}

// stem cuts a Russian word's ending, keeping at least four letters.
func stem(w string) string {
	for _, e := range russianEndings {
		if strings.HasSuffix(w, e) && utf8.RuneCountInString(w)-utf8.RuneCountInString(e) >= 4 {
			return strings.TrimSuffix(w, e)
		}
	}
	return w
}
