-- +goose Up

-- The VAT rate printed on documents, in percent; NULL means «Без НДС».
ALTER TABLE vendor ADD COLUMN vat_rate INTEGER DEFAULT 22 CHECK (vat_rate IS NULL OR vat_rate BETWEEN 0 AND 99);

-- document_numbers hands out each kind's numbers per calendar year, in the
-- transaction that issues the document, so they have no gaps.
CREATE TABLE document_numbers (
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'act')),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (kind, year)
) STRICT, WITHOUT ROWID;

-- invoices (счета на оплату) top up a connected service when paid. The
-- parties' requisites are kept as they were on the day, as JSON, so a
-- document reads the same for ever.
CREATE TABLE invoices (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    company_service_id INTEGER NOT NULL REFERENCES company_services (id),
    tariff_id          INTEGER REFERENCES tariffs (id),
    number             TEXT NOT NULL UNIQUE,
    issued_on          TEXT NOT NULL, -- YYYY-MM-DD, the vendor's calendar
    item               TEXT NOT NULL, -- what is paid for, as printed
    amount             INTEGER NOT NULL CHECK (amount > 0), -- kopecks, VAT included
    vat_rate           INTEGER,       -- percent; NULL without VAT
    paid               INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
    status             TEXT NOT NULL CHECK (status IN ('issued', 'partially_paid', 'paid', 'cancelled')),
    supplier           TEXT NOT NULL,
    buyer              TEXT NOT NULL,
    created_by         TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    paid_at            TEXT,
    cancelled_at       TEXT,
    cancel_reason      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX invoices_company ON invoices (company_id, issued_on DESC, id DESC);
CREATE INDEX invoices_status ON invoices (status, id DESC);

-- payments are the money received against invoices, one row per bank
-- payment: its reference is unique, so recording it twice credits once.
CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    invoice_id     INTEGER NOT NULL REFERENCES invoices (id),
    reference      TEXT NOT NULL UNIQUE,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    paid_on        TEXT NOT NULL,
    transaction_id INTEGER NOT NULL REFERENCES transactions (id),
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX payments_invoice ON payments (invoice_id);

-- acts (акты оказанных услуг) are issued for each payment received.
CREATE TABLE acts (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    number     TEXT NOT NULL UNIQUE,
    issued_on  TEXT NOT NULL,
    item       TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    vat_rate   INTEGER,
    supplier   TEXT NOT NULL,
    buyer      TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX acts_company ON acts (company_id, issued_on DESC, id DESC);
CREATE INDEX acts_invoice ON acts (invoice_id);

-- +goose Down
DROP TABLE acts;
DROP TABLE payments;
DROP TABLE invoices;
DROP TABLE document_numbers;
ALTER TABLE vendor DROP COLUMN vat_rate;
