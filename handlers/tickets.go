package handlers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// ticketsPage is Обращения в ТП: the company's tickets and the form that
// opens a new one.
type ticketsPage struct {
	*Page
	Tickets    []ticketRow
	Chips      []navLink // the status filter's links
	Priorities []string
	Services   []db.CompanyService
	Form       ticketForm
	OpenForm   bool
	Files      filesField
}

// ticketForm is a new ticket as typed; files are chosen again after an error.
type ticketForm struct {
	Subject   string
	Priority  string
	ServiceID int64
	Body      string
	Errors    Errors
}

// attachmentLimits are shown next to a file input and read by app.js.
type attachmentLimits struct{ Size, Count int }

var limits = attachmentLimits{Size: maxAttachmentSize, Count: maxAttachments}

// filesField is the file input of a ticket form (tickets/files_field).
type filesField struct {
	*Page
	Limits attachmentLimits
	Err    string // translation key
	Again  bool   // the form came back with errors, and a browser forgets chosen files
}

func newFilesField(p *Page, errs Errors) filesField {
	return filesField{Page: p, Limits: limits, Err: errs[attachmentField], Again: len(errs) > 0}
}

// ticketPage is one ticket with its thread and the reply form, for the
// client and for staff.
type ticketPage struct {
	*Page
	Ticket db.Ticket
	Thread threadPart
	Form   replyForm
	Files  filesField
	// Staff only.
	Assignees []db.User
	Statuses  []string
	CanAnswer bool
}

// replyForm is a reply as typed.
type replyForm struct {
	Body   string
	Kind   string // staff: a reply or an internal note
	Status string // staff: the status after a reply
	Errors Errors
	Files  []db.Attachment // as received, to be stored
}

func (s *Server) listTickets(c *fiber.Ctx) error {
	return s.renderTickets(c, fiber.StatusOK, ticketForm{Priority: "normal", Errors: Errors{}}, c.Query("new") != "")
}

func (s *Server) renderTickets(c *fiber.Ctx, status int, form ticketForm, open bool) error {
	ctx := c.UserContext()
	st := state(c)
	p := s.page(c, "tickets", "tickets.title")
	p.Path = "/tickets"
	data := ticketsPage{Page: p, Priorities: db.TicketPriorities, Form: form,
		OpenForm: open || len(form.Errors) > 0, Files: newFilesField(p, form.Errors)}
	filter := ""
	if v := c.Query("status"); slices.Contains(db.TicketStatuses, v) {
		filter = v
	}
	data.Chips = filterLinks(p, "tickets.all", db.TicketStatuses, filter, "tickets.status_", func(v string) string {
		if v == "" {
			return "/tickets"
		}
		return "/tickets?status=" + v
	})
	tickets, err := s.store.CompanyTickets(ctx, st.company.ID, filter)
	if err != nil {
		return err
	}
	data.Tickets = ticketRows(p, tickets)
	if data.Services, err = s.store.CompanyServiceChoices(ctx, st.company.ID); err != nil {
		return err
	}
	return s.render(c, status, "tickets/list", p, data)
}

// ticketRow is a ticket in the list, ready to print.
type ticketRow struct {
	ID            int64
	Subject       string
	Service       string // the service it is about, named; "" for none
	Status        string
	StatusClass   string
	Priority      string
	PriorityClass string
	Updated       string
}

// ticketRows are a company's tickets as the rows of its list.
func ticketRows(p *Page, tickets []db.Ticket) []ticketRow {
	rows := make([]ticketRow, len(tickets))
	for i, t := range tickets {
		rows[i] = ticketRow{ID: t.ID, Subject: t.Subject, Status: p.T("tickets.status_" + t.Status), StatusClass: "badge t-" + t.Status,
			Priority: p.T("tickets.priority_" + t.Priority), PriorityClass: "prio-" + t.Priority, Updated: p.DateTime(t.UpdatedAt)}
		if t.ServiceCode != "" {
			rows[i].Service = p.T("service." + t.ServiceCode)
		}
	}
	return rows
}

// openTicket records a client's new ticket with its files.
func (s *Server) openTicket(c *fiber.Ctx) error {
	form, err := s.readUpload(c, ticketUploads)
	if err != nil {
		return err
	}
	defer form.close()
	in := form.input()
	f := ticketForm{Subject: in.text("subject"), Priority: form.Value("priority"), Body: in.longText("body"), Errors: in.Errors}
	f.ServiceID, _ = strconv.ParseInt(form.Value("service_id"), 10, 64)
	f.Errors.checkText("subject", f.Subject, true, 200)
	f.Errors.checkText("body", f.Body, true, maxMessageLength)
	if !slices.Contains(db.TicketPriorities, f.Priority) {
		f.Errors["priority"] = "tickets.bad_priority"
	}
	if form.problem != "" {
		f.Errors[attachmentField] = form.problem
	}
	files, err := form.attachments()
	if err != nil {
		return err
	}
	if len(f.Errors) > 0 {
		return s.renderTickets(c, fiber.StatusUnprocessableEntity, f, true)
	}
	id, err := s.store.OpenTicket(c.UserContext(), s.actor(c), state(c).company.ID, db.NewTicket{Subject: f.Subject,
		Priority: f.Priority, ServiceID: f.ServiceID, Body: f.Body, Attachments: files})
	if errors.Is(err, db.ErrNotFound) {
		f.Errors["service_id"] = "tickets.bad_service"
		return s.renderTickets(c, fiber.StatusUnprocessableEntity, f, true)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "tickets.opened")
	return c.Redirect(fmt.Sprintf("/tickets/%d", id), fiber.StatusSeeOther)
}

// maxMessageLength bounds a ticket message, in characters.
const maxMessageLength = 20000

func (s *Server) showTicket(c *fiber.Ctx) error {
	return s.renderTicket(c, fiber.StatusOK, replyForm{Errors: Errors{}})
}

func (s *Server) renderTicket(c *fiber.Ctx, status int, form replyForm) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	t, err := s.store.CompanyTicket(ctx, state(c).company.ID, id)
	if err != nil {
		return err
	}
	p := s.page(c, "tickets", "tickets.title")
	p.Title = fmt.Sprintf("№ %d · %s", t.ID, t.Subject)
	p.Path = fmt.Sprintf("/tickets/%d", t.ID)
	data := ticketPage{Page: p, Ticket: t, Form: form, Files: newFilesField(p, form.Errors)}
	if data.Thread, err = s.readThread(c, p, p.Path, t.ID, false, "/tickets/files/"); err != nil {
		return err
	}
	whole := func() error { return s.render(c, status, "tickets/show", p, data) }
	return s.partOrPage(c, whole, pagePart{"thread-earlier", "tickets/thread_entries", data.Thread})
}

// parseReply reads a reply's text and files; a reply needs one or the
// other. The caller closes the form once its files are stored.
func (s *Server) parseReply(c *fiber.Ctx) (replyForm, *uploadForm, error) {
	form, err := s.readUpload(c, ticketUploads)
	if err != nil {
		return replyForm{}, nil, err
	}
	in := form.input()
	f := replyForm{Body: in.longText("body"), Kind: form.Value("kind"), Status: form.Value("status"), Errors: in.Errors}
	if form.problem != "" {
		f.Errors[attachmentField] = form.problem
	}
	if f.Files, err = form.attachments(); err != nil {
		form.close()
		return f, nil, err
	}
	f.Errors.checkText("body", f.Body, len(f.Files) == 0, maxMessageLength)
	return f, form, nil
}

// replyTicket adds the client's message to its ticket.
func (s *Server) replyTicket(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	f, form, err := s.parseReply(c)
	if err != nil {
		return err
	}
	defer form.close()
	if len(f.Errors) > 0 {
		return s.renderTicket(c, fiber.StatusUnprocessableEntity, f)
	}
	if err := s.store.ClientReply(c.UserContext(), s.actor(c), state(c).company.ID, id, f.Body, f.Files); err != nil {
		return err
	}
	s.setFlash(c, "tickets.sent")
	return c.Redirect(fmt.Sprintf("/tickets/%d#reply", id), fiber.StatusSeeOther)
}

// closeTicket and reopenTicket let the client end its ticket or bring it back.
func (s *Server) closeTicket(c *fiber.Ctx) error {
	return s.setClientTicketStatus(c, db.TicketClosed, "tickets.closed_now")
}
func (s *Server) reopenTicket(c *fiber.Ctx) error {
	return s.setClientTicketStatus(c, db.TicketOpen, "tickets.reopened")
}

func (s *Server) setClientTicketStatus(c *fiber.Ctx, status, flash string) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if err := s.store.SetTicketStatus(c.UserContext(), s.actor(c), state(c).company.ID, id, status); err != nil {
		return err
	}
	s.setFlash(c, flash)
	return c.Redirect(fmt.Sprintf("/tickets/%d", id), fiber.StatusSeeOther)
}

// ticketFile sends a file of the company's own ticket.
func (s *Server) ticketFile(c *fiber.Ctx) error {
	companyID := state(c).company.ID
	return s.sendTicketFile(c, func(ctx context.Context, id int64) (db.Attachment, error) {
		return s.store.TicketAttachment(ctx, companyID, id)
	})
}
