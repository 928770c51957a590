-- +goose Up

-- bank_imports are the bank statements staff load: pending while staff
-- look at the preview (the file kept until then), done once recorded.
CREATE TABLE bank_imports (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    file        BLOB, -- the statement as loaded; cleared once recorded
    status      TEXT NOT NULL CHECK (status IN ('pending', 'done')),
    period_from TEXT,
    period_to   TEXT,
    documents   INTEGER NOT NULL DEFAULT 0, -- payment documents in the file
    recorded    INTEGER NOT NULL DEFAULT 0, -- of them recorded by this import
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    recorded_at TEXT
) STRICT;
CREATE INDEX bank_imports_created ON bank_imports (id DESC);

-- bank_payments are the payments received from bank statements, one per
-- payment order: its payer's ИНН, number, date and amount are unique, so
-- the same payment in two statements is recorded once; each links to the
-- payment it became.
CREATE TABLE bank_payments (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL REFERENCES bank_imports (id),
    payer_inn  TEXT NOT NULL,
    number     TEXT NOT NULL,
    paid_on    TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    payer_name TEXT NOT NULL DEFAULT '',
    purpose    TEXT NOT NULL DEFAULT '',
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    UNIQUE (payer_inn, number, paid_on, amount)
) STRICT;
CREATE INDEX bank_payments_import ON bank_payments (import_id);
CREATE INDEX bank_payments_payment ON bank_payments (payment_id);

-- +goose Down
DROP TABLE bank_payments;
DROP TABLE bank_imports;
