package handlers

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// telegramCard is the Telegram part of О компании: the bot's state, the
// code just issued (only on the page that issued it), the linked chats.
type telegramCard struct {
	Configured bool
	Code       *telegramCode
	Chats      []telegramChatRow
	Error      string // why a code could not be issued
}

// telegramCode is a fresh one-time code with the ways to send it to the bot.
type telegramCode struct {
	Bot     string // "@elk_bot"
	Link    string // https://t.me/elk_bot?start=CODE
	Command string // "/start CODE"
	Expires string
}

// telegramChatRow is a linked chat as a row of the table.
type telegramChatRow struct {
	ID           int64
	Chat         string // masked
	LinkedBy     string
	LinkedAt     string
	Blocked      bool
	UserDisabled bool // who linked it is disabled: it gets nothing
	MayUnlink    bool
}

func (s *Server) telegramCard(c *fiber.Ctx, p *Page, code *telegramCode) (telegramCard, error) {
	card := telegramCard{Configured: s.cfg.Telegram != nil, Code: code}
	links, err := s.store.TelegramLinks(c.UserContext(), state(c).company.ID)
	if err != nil {
		return card, err
	}
	u := state(c).user
	card.Chats = telegramChatRows(p, links, func(l db.TelegramLink) bool { return l.UserID == u.ID || u.Role == db.RoleOwner })
	return card, nil
}

// telegramChatRows are the company's linked chats as shown, to the client
// with «Отключить» where mayUnlink says, and to staff without.
func telegramChatRows(p *Page, links []db.TelegramLink, mayUnlink func(db.TelegramLink) bool) []telegramChatRow {
	rows := make([]telegramChatRow, len(links))
	for i, l := range links {
		rows[i] = telegramChatRow{ID: l.ID, Chat: db.MaskChatID(strconv.FormatInt(l.ChatID, 10)), LinkedBy: l.UserName,
			LinkedAt: p.DateTime(l.LinkedAt), Blocked: l.BlockedAt != nil, UserDisabled: l.UserDisabled, MayUnlink: mayUnlink(l)}
	}
	return rows
}

// createTelegramCode issues a one-time code and shows the page with the
// link that sends it to the bot. The code is shown only here: the
// database keeps its hash.
func (s *Server) createTelegramCode(c *fiber.Ctx) error {
	if s.cfg.Telegram == nil {
		s.setFailedFlash(c, "company.telegram_off")
		return c.Redirect("/company#telegram", fiber.StatusSeeOther)
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 10*time.Second)
	defer cancel()
	bot, err := s.cfg.Telegram.Username(ctx)
	if err != nil {
		s.log(c).Warn("telegram getMe failed", "err", err)
		return s.showCompanyWith(c, fiber.StatusServiceUnavailable, nil, "company.telegram_unavailable")
	}
	u := state(c).user
	code, expires, err := s.store.NewTelegramCode(c.UserContext(), state(c).company.ID, u.ID)
	if err != nil {
		return err
	}
	p := s.page(c, "company", "company.title")
	tc := &telegramCode{Bot: "@" + bot, Link: "https://t.me/" + url.PathEscape(bot) + "?start=" + url.QueryEscape(code),
		Command: "/start " + code, Expires: p.DateTime(expires)}
	return s.showCompanyWith(c, fiber.StatusOK, tc, "")
}

// removeTelegramLink unlinks a chat of the company: the user's own, or
// any for the owner. Another company's link is a 404.
func (s *Server) removeTelegramLink(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	owner := state(c).user.Role == db.RoleOwner
	err = s.store.RemoveTelegramLink(c.UserContext(), s.actor(c), state(c).company.ID, id, owner)
	if errors.Is(err, db.ErrNotYourLink) {
		return fiber.NewError(fiber.StatusForbidden, db.ErrNotYourLink.Error())
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "company.telegram_unlinked")
	return c.Redirect("/company#telegram", fiber.StatusSeeOther)
}
