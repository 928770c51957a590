package handlers

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

const outboxPageSize = 50

// outboxPage is the back office's view of every notification.
type outboxPage struct {
	*Page
	Notices   []noticeView
	Counts    db.OutboxCounts
	Filter    db.NoticeFilter
	Companies []db.Company
	Statuses  []string
	Channels  []string
	Kinds     []string
	Highlight int64  // the notice just sent or resent
	TestTo    string // the test e-mail's address as typed
	TestErr   string // why it cannot be sent
	CanEdit   bool
	NextURL   string
}

func (s *Server) listOutbox(c *fiber.Ctx) error {
	f := db.NoticeFilter{
		Status:    pick(c.Query("status"), db.NoticeStatuses),
		Channel:   pick(c.Query("channel"), db.Channels),
		Kind:      pick(c.Query("kind"), db.NoticeKinds),
		CompanyID: int64(max(c.QueryInt("company"), 0)),
		Recipient: clone(cleanText(c.Query("to"))),
		BeforeID:  int64(max(c.QueryInt("before"), 0)),
	}
	return s.renderOutbox(c, fiber.StatusOK, f, "", "")
}

// pick returns v when it is one of the choices, and "" (any) otherwise.
func pick(v string, choices []string) string {
	if slices.Contains(choices, v) {
		return clone(v)
	}
	return ""
}

func (s *Server) renderOutbox(c *fiber.Ctx, status int, f db.NoticeFilter, testTo, testErr string) error {
	ctx := c.UserContext()
	f.Limit = outboxPageSize + 1
	notices, err := s.store.ListNotices(ctx, f)
	if err != nil {
		return err
	}
	p := s.page(c, "outbox", "outbox.title")
	data := outboxPage{Page: p, Filter: f, Statuses: db.NoticeStatuses, Channels: db.Channels,
		Kinds: db.NoticeKinds, Highlight: int64(max(c.QueryInt("sent"), 0)), TestTo: testTo, TestErr: testErr,
		CanEdit: canEdit(state(c).user)}
	if len(notices) > outboxPageSize {
		notices = notices[:outboxPageSize]
		q := outboxQuery(f)
		q.Set("before", strconv.FormatInt(notices[len(notices)-1].ID, 10))
		data.NextURL = "/admin/outbox?" + q.Encode()
	}
	data.Notices = s.noticeViews(notices)
	whole := func() error {
		if data.Counts, err = s.store.CountOutbox(ctx); err != nil {
			return err
		}
		if data.Companies, err = s.store.ListCompanies(ctx, ""); err != nil {
			return err
		}
		if testErr == "" {
			data.TestTo = state(c).user.Email
		}
		return s.render(c, status, "admin/outbox", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"outbox-more", "admin/outbox_rows", data})
}

// outboxQuery is the filter as URL parameters, without the page.
func outboxQuery(f db.NoticeFilter) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "channel": f.Channel, "kind": f.Kind, "to": f.Recipient} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.CompanyID != 0 {
		q.Set("company", strconv.FormatInt(f.CompanyID, 10))
	}
	return q
}

// sendTestEmail sends a test message to the address given, at once, to
// check the SMTP settings; the outbox row shows how it went.
func (s *Server) sendTestEmail(c *fiber.Ctx) error {
	in := readForm(c)
	typed := in.text("email")
	to, ok := normalizeEmail(typed)
	if problem := in.Errors["email"]; problem != "" || !ok {
		return s.renderOutbox(c, fiber.StatusUnprocessableEntity, db.NoticeFilter{}, typed, cmp.Or(problem, "company.bad_email"))
	}
	id, err := s.store.EnqueueTestEmail(c.UserContext(), s.actor(c), to, state(c).user.Lang)
	if err != nil {
		return err
	}
	return s.deliverAndShow(c, id, "outbox.test_sent", "outbox.test_failed")
}

// resendNotice puts a failed notice back in the queue and tries it at once.
func (s *Server) resendNotice(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	err = s.store.ResendNotice(c.UserContext(), s.actor(c), id)
	if errors.Is(err, db.ErrNoticeNotFailed) || errors.Is(err, db.ErrNoticeChatGone) {
		key := "outbox.not_failed"
		if errors.Is(err, db.ErrNoticeChatGone) {
			key = "outbox.chat_gone"
		}
		s.setFailedFlash(c, key)
		return c.Redirect("/admin/outbox", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	return s.deliverAndShow(c, id, "outbox.resent", "outbox.resend_failed")
}

// deliverAndShow makes one attempt at the notice when a deliverer is set and
// shows the outbox with the notice marked and the outcome in the flash.
func (s *Server) deliverAndShow(c *fiber.Ctx, id int64, sentKey, failedKey string) error {
	if s.cfg.Outbox != nil {
		ctx, cancel := context.WithTimeout(c.UserContext(), 45*time.Second)
		defer cancel()
		_ = s.cfg.Outbox.Deliver(ctx, id) // the notice records how it went
	}
	n, err := s.store.Notice(c.UserContext(), id)
	if err != nil {
		return err
	}
	switch {
	case n.Status == db.NoticeSent:
		s.setFlash(c, sentKey)
	case n.Status == db.NoticePending && n.LastError == "":
		s.setFlash(c, "outbox.queued")
	default:
		s.setFailedFlash(c, failedKey)
	}
	return c.Redirect("/admin/outbox?sent="+strconv.FormatInt(id, 10)+"#notice-"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}
