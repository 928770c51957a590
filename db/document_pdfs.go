package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// KeptPDF returns the PDF kept for a document (DocInvoice or DocClosing) when it
// was drawn from what fingerprint names; ok is false when none was kept or
// the document has changed since.
func (s *Store) KeptPDF(ctx context.Context, kind string, id int64, fingerprint []byte) (pdf []byte, ok bool, err error) {
	var kept []byte
	err = s.r.QueryRowContext(ctx, `SELECT fingerprint, pdf FROM document_pdfs WHERE kind = ? AND document_id = ?`, kind, id).
		Scan(&kept, &pdf)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("db: kept PDF of %s %d: %w", kind, id, err)
	}
	return pdf, bytes.Equal(kept, fingerprint), nil
}

// KeepPDF keeps a document's PDF, drawn from what fingerprint names, in
// place of any kept before.
func (s *Store) KeepPDF(ctx context.Context, kind string, id int64, fingerprint, pdf []byte) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO document_pdfs (kind, document_id, fingerprint, pdf, rendered_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (kind, document_id) DO UPDATE SET fingerprint = excluded.fingerprint, pdf = excluded.pdf,
			rendered_at = excluded.rendered_at`, kind, id, fingerprint, pdf, formatTime(s.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("db: keep PDF of %s %d: %w", kind, id, err)
	}
	return nil
}
