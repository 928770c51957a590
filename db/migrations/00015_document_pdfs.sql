-- +goose Up
-- document_pdfs keep each invoice's and act's PDF as first rendered, so the
-- same document always downloads as the same bytes and is not drawn again;
-- fingerprint names what it was drawn from, and a document that changed
-- (a payment, a cancellation) is drawn again.
CREATE TABLE document_pdfs (
    kind        TEXT NOT NULL CHECK (kind IN ('invoice', 'act')),
    document_id INTEGER NOT NULL,
    fingerprint BLOB NOT NULL,
    pdf         BLOB NOT NULL,
    rendered_at TEXT NOT NULL,
    PRIMARY KEY (kind, document_id)
) STRICT;

-- +goose Down
DROP TABLE document_pdfs;
