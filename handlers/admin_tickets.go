package handlers

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// adminTicketsPage is the back office's queue of tickets.
type adminTicketsPage struct {
	*Page
	Tickets    []db.Ticket
	Filter     db.TicketFilter
	Statuses   []string
	Priorities []string
	Companies  []db.Company
	Assignees  []db.User
	Scope      *managerScope
	// FirstResponse says the list is what the home's first-response figure
	// is of; AllTickets takes that off.
	FirstResponse string
	AllTickets    string
	Shown         string // «Показаны 500 из 512» when the queue is cut, else ""
}

// listAdminTickets shows the queue, by default the tickets not yet closed.
func (s *Server) listAdminTickets(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := s.page(c, "tickets", "tickets.queue")
	scope, err := s.managerScopeOf(c, p)
	if err != nil {
		return err
	}
	data := adminTicketsPage{Page: p, Statuses: db.TicketStatuses, Priorities: db.TicketPriorities, Scope: scope}
	f := &data.Filter
	switch v := c.Query("status", "active"); {
	case v == "active" || slices.Contains(db.TicketStatuses, v):
		f.Status = v
	}
	if v := c.Query("priority"); slices.Contains(db.TicketPriorities, v) {
		f.Priority = v
	}
	f.CompanyID, _ = strconv.ParseInt(c.Query("company"), 10, 64)
	f.AssigneeID, _ = strconv.ParseInt(c.Query("assignee"), 10, 64)
	f.Waiting, f.ManagerID = c.Query("waiting") == "1", scope.managerID()
	if c.Query("first_response") == "1" {
		f.AnsweredFrom, data.AllTickets = db.FirstResponseFrom(s.store.Now()), urlWithout(c, "first_response")
		data.FirstResponse = p.T("tickets.first_response_scope", db.FirstResponseDays)
	}
	if data.Tickets, err = s.store.TicketQueue(ctx, *f); err != nil {
		return err
	}
	if len(data.Tickets) == db.TicketQueueSize {
		total, err := s.store.CountTicketQueue(ctx, *f)
		if err != nil {
			return err
		}
		if total > len(data.Tickets) {
			data.Shown = p.T("lists.shown", p.Count(len(data.Tickets)), p.Count(total))
		}
	}
	if data.Companies, err = s.store.ListCompanies(ctx, ""); err != nil {
		return err
	}
	if data.Assignees, err = s.store.TicketAssignees(ctx); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin/tickets", p, data)
}

func (s *Server) showAdminTicket(c *fiber.Ctx) error {
	return s.renderAdminTicket(c, fiber.StatusOK, replyForm{Kind: db.MessageStaff, Status: db.TicketWaiting, Errors: Errors{}})
}

func (s *Server) renderAdminTicket(c *fiber.Ctx, status int, form replyForm) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	t, err := s.store.TicketByID(ctx, id)
	if err != nil {
		return err
	}
	p := s.page(c, "tickets", "tickets.queue")
	p.Title = fmt.Sprintf("№ %d · %s", t.ID, t.Subject)
	p.Path = fmt.Sprintf("/admin/tickets/%d", t.ID)
	data := ticketPage{Page: p, Ticket: t, Form: form, Files: newFilesField(p, form.Errors),
		Statuses: db.TicketStatuses, CanAnswer: isAnswerer(state(c).user)}
	if data.Thread, err = s.readThread(c, p, p.Path, t.ID, true, "/admin/tickets/files/"); err != nil {
		return err
	}
	whole := func() error {
		if data.Assignees, err = s.store.TicketAssignees(ctx); err != nil {
			return err
		}
		return s.render(c, status, "admin/ticket", p, data)
	}
	return s.partOrPage(c, whole, pagePart{"thread-earlier", "tickets/thread_entries", data.Thread})
}

// answerers are the staff who reply to questions and tickets.
var answererRoles = []string{db.RoleAdmin, db.RoleManager, db.RoleSupport}

func isAnswerer(u *db.User) bool { return slices.Contains(answererRoles, u.Role) }

// replyAdminTicket adds staff's reply to the client or an internal note.
func (s *Server) replyAdminTicket(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, form, err := s.parseReply(c)
	if err != nil {
		return err
	}
	defer form.close()
	if f.Kind != db.MessageNote {
		f.Kind = db.MessageStaff
	}
	if f.Kind == db.MessageStaff && (f.Status == db.TicketOpen || !slices.Contains(db.TicketStatuses, f.Status)) {
		f.Errors["status"] = "tickets.bad_status"
	}
	if len(f.Errors) > 0 {
		return s.renderAdminTicket(c, fiber.StatusUnprocessableEntity, f)
	}
	err = s.store.StaffReply(c.UserContext(), s.actor(c), id, f.Kind, f.Body, f.Files, f.Status)
	if errors.Is(err, db.ErrTicketClosed) {
		f.Errors["body"] = "tickets.reopen_first"
		return s.renderAdminTicket(c, fiber.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, map[string]string{db.MessageStaff: "tickets.sent", db.MessageNote: "tickets.noted"}[f.Kind])
	return c.Redirect(fmt.Sprintf("/admin/tickets/%d#reply", id), fiber.StatusSeeOther)
}

// setAdminTicketStatus sets any status.
func (s *Server) setAdminTicketStatus(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/admin/tickets/%d", id)
	status := c.FormValue("status")
	if !slices.Contains(db.TicketStatuses, status) {
		s.setFailedFlash(c, "tickets.bad_status")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	if err := s.store.SetTicketStatusByID(c.UserContext(), s.actor(c), id, status); err != nil {
		return err
	}
	s.setFlash(c, "tickets.status_saved")
	return c.Redirect(back, fiber.StatusSeeOther)
}

// assignTicket gives the ticket to a staff member, or to nobody.
func (s *Server) assignTicket(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	assignee, err := strconv.ParseInt(c.FormValue("assignee_id"), 10, 64)
	if err == nil {
		err = s.store.AssignTicket(c.UserContext(), s.actor(c), id, assignee)
	}
	var numErr *strconv.NumError
	switch {
	case errors.Is(err, db.ErrNotAssignable) || errors.As(err, &numErr):
		s.setFailedFlash(c, "tickets.bad_assignee")
	case err != nil:
		return err
	default:
		s.setFlash(c, "tickets.assigned")
	}
	return c.Redirect(fmt.Sprintf("/admin/tickets/%d", id), fiber.StatusSeeOther)
}

// adminTicketFile sends any ticket's file, internal notes' included.
func (s *Server) adminTicketFile(c *fiber.Ctx) error {
	return s.sendTicketFile(c, s.store.TicketAttachmentByID)
}
