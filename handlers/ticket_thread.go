package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"elk/db"
)

// threadPageSize is how many entries of a ticket's thread a page shows: the
// newest, above the reply form; «Показать ранние сообщения» brings the ones
// before as many at a time, so a long or hostile thread costs a page of it.
const threadPageSize = 20

// threadPart is a page of a ticket's thread (tickets/thread_entries): in the
// ticket's page, or alone as the htmx fragment that puts the earlier
// entries above those shown.
type threadPart struct {
	*Page
	Messages   []db.TicketMessage
	FilesPath  string // where the entries' files are fetched
	EarlierURL string // the page before the first entry; "" at the thread's start
	LatestURL  string // the newest entries, from a page before them opened without htmx
}

// readThread reads the page of a ticket's thread a request asks for: the
// newest entries, or with ?before=ID those before an entry the reader sees
// in this ticket (any other id is a 404). path is the ticket's page.
func (s *Server) readThread(c *fiber.Ctx, p *Page, path string, ticketID int64, withNotes bool, filesPath string) (threadPart, error) {
	part := threadPart{Page: p, FilesPath: filesPath}
	var before int64
	if raw := c.Query("before"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return part, fiber.ErrNotFound
		}
		before, part.LatestURL = id, path
	}
	page, err := s.store.TicketThreadPage(c.UserContext(), ticketID, withNotes, before, threadPageSize)
	if err != nil {
		return part, err
	}
	part.Messages = page.Messages
	if page.Earlier {
		part.EarlierURL = path + "?before=" + strconv.FormatInt(page.Messages[0].ID, 10)
	}
	return part, nil
}

// FileSize writes a file's size as people read it: «350 КБ», «1,2 МБ».
func (p threadPart) FileSize(n int64) string {
	if n < 1<<20 {
		return p.T("tickets.kb", (n+1023)/1024)
	}
	return p.T("tickets.mb", p.Decimal(float64(n)/(1<<20), 1))
}
