package pdf

import (
	"context"
	"crypto/sha256"
	"encoding/json"

	"elk/db"
)

// KeptStore keeps documents' PDFs once drawn (db.Store).
type KeptStore interface {
	KeptPDF(ctx context.Context, kind string, id int64, fingerprint []byte) (pdf []byte, ok bool, err error)
	KeepPDF(ctx context.Context, kind string, id int64, fingerprint, pdf []byte) error
}

// Kept is a document's PDF as first drawn: drawn and kept the first time,
// and again only once the document has changed (a payment, a cancellation)
// or another build draws it (whose layout may have changed; drawing is
// reproducible, so an unchanged layout gives the same bytes), so that the
// same document is always the same bytes, served without drawing it — on
// Документы and attached to an e-mail alike. doc is everything the document
// is drawn from.
func Kept(ctx context.Context, store KeptStore, kind string, id int64, doc any, draw func() ([]byte, error)) ([]byte, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	fingerprint := sha256.Sum256(append(raw, Build()...))
	b, ok, err := store.KeptPDF(ctx, kind, id, fingerprint[:])
	if err != nil || ok {
		return b, err
	}
	if b, err = draw(); err != nil {
		return nil, err
	}
	return b, store.KeepPDF(ctx, kind, id, fingerprint[:], b)
}

// KeptInvoice is Kept for an invoice.
func KeptInvoice(ctx context.Context, store KeptStore, inv db.Invoice) ([]byte, error) {
	return Kept(ctx, store, db.DocInvoice, inv.ID, inv, func() ([]byte, error) { return Invoice(inv) })
}
