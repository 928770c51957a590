package db

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"
)

// Attachment is a file attached to a ticket message. A new file's bytes
// come from Content, read once while its message is stored; a stored
// file's are read with AttachmentContent.
type Attachment struct {
	ID          int64
	MessageID   int64
	Name        string
	ContentType string
	Size        int64
	Content     io.Reader
}

// attachmentChunk is the most of a file kept in one row, and so the most
// of it held in memory while it is stored or sent.
const attachmentChunk = 256 << 10

// addAttachment stores a message's file piece by piece; its size must be
// what Content holds.
func addAttachment(ctx context.Context, tx *sql.Tx, messageID int64, f Attachment) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO ticket_attachments (message_id, name, content_type, size)
		VALUES (?, ?, ?, ?) RETURNING id`, messageID, f.Name, f.ContentType, f.Size).Scan(&id); err != nil {
		return err
	}
	buf := make([]byte, attachmentChunk)
	var stored int64
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(f.Content, buf)
		if n > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_attachment_chunks (attachment_id, seq, data)
				VALUES (?, ?, ?)`, id, seq, buf[:n]); err != nil {
				return err
			}
			stored += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return fmt.Errorf("db: reading file %q: %w", f.Name, err)
		}
	}
	if stored != f.Size {
		return fmt.Errorf("db: file %q holds %d bytes, not the %d announced", f.Name, stored, f.Size)
	}
	return nil
}

// TicketAttachment returns a file of the company's own tickets, never one
// of staff's internal notes.
func (s *Store) TicketAttachment(ctx context.Context, companyID, id int64) (Attachment, error) {
	return queryOne(ctx, s.r, scanAttachment, fmt.Sprintf("attachment %d", id), `SELECT `+attachmentColumns+`
		FROM ticket_attachments f JOIN ticket_messages m ON m.id = f.message_id JOIN tickets t ON t.id = m.ticket_id
		WHERE f.id = ? AND t.company_id = ? AND m.kind <> 'note'`, id, companyID)
}

// TicketAttachmentByID returns any ticket's file, notes' included (back office).
func (s *Store) TicketAttachmentByID(ctx context.Context, id int64) (Attachment, error) {
	return queryOne(ctx, s.r, scanAttachment, fmt.Sprintf("attachment %d", id), `SELECT `+attachmentColumns+`
		FROM ticket_attachments f WHERE f.id = ?`, id)
}

const attachmentColumns = `f.id, f.message_id, f.name, f.content_type, f.size`

func scanAttachment(row scanner) (Attachment, error) {
	var f Attachment
	return f, row.Scan(&f.ID, &f.MessageID, &f.Name, &f.ContentType, &f.Size)
}

// AttachmentContent reads a stored file's bytes one piece at a time, as
// they are sent: a slow download holds one piece, never the file.
func (s *Store) AttachmentContent(id int64) io.Reader {
	return &chunkReader{s: s, id: id}
}

type chunkReader struct {
	s    *Store
	id   int64
	seq  int
	left []byte
	done bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.left) == 0 && !r.done {
		// Each piece has its own short deadline: the download as a whole
		// may take as long as the client's link needs.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := r.s.r.QueryRowContext(ctx, `SELECT data FROM ticket_attachment_chunks WHERE attachment_id = ? AND seq = ?`,
			r.id, r.seq).Scan(&r.left)
		switch {
		case err == sql.ErrNoRows:
			r.done = true
		case err != nil:
			return 0, fmt.Errorf("db: piece %d of file %d: %w", r.seq, r.id, err)
		}
		r.seq++
	}
	if len(r.left) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.left)
	r.left = r.left[n:]
	return n, nil
}
