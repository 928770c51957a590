package db

import (
	"context"
	"fmt"
)

// Attachment is a file attached to a ticket message; Data is filled only
// when the file itself is fetched.
type Attachment struct {
	ID          int64
	MessageID   int64
	Name        string
	ContentType string
	Size        int64
	Data        []byte
}

// TicketAttachment returns a file of the company's own tickets with its
// contents, never one of staff's internal notes.
func (s *Store) TicketAttachment(ctx context.Context, companyID, id int64) (Attachment, error) {
	return queryOne(ctx, s.r, scanAttachmentFile, fmt.Sprintf("attachment %d", id), `SELECT `+attachmentFileColumns+`
		FROM ticket_attachments f JOIN ticket_messages m ON m.id = f.message_id JOIN tickets t ON t.id = m.ticket_id
		WHERE f.id = ? AND t.company_id = ? AND m.kind <> 'note'`, id, companyID)
}

// TicketAttachmentByID returns any ticket's file with its contents, notes'
// included (back office).
func (s *Store) TicketAttachmentByID(ctx context.Context, id int64) (Attachment, error) {
	return queryOne(ctx, s.r, scanAttachmentFile, fmt.Sprintf("attachment %d", id), `SELECT `+attachmentFileColumns+`
		FROM ticket_attachments f WHERE f.id = ?`, id)
}

const attachmentFileColumns = `f.id, f.message_id, f.name, f.content_type, f.size, f.data`

// scanAttachmentFile scans a file with its contents.
func scanAttachmentFile(row scanner) (Attachment, error) {
	var f Attachment
	return f, row.Scan(&f.ID, &f.MessageID, &f.Name, &f.ContentType, &f.Size, &f.Data)
}
