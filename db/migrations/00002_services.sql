-- +goose Up

-- services is the vendor's catalog; names are translated by code.
CREATE TABLE services (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE CHECK (code IN ('sms', 'support', 'tmdrive')),
    position INTEGER NOT NULL
) STRICT;
INSERT INTO services (id, code, position) VALUES (1, 'sms', 1), (2, 'support', 2), (3, 'tmdrive', 3);

-- tariffs are prices of a service per unit, valid over dates (inclusive);
-- a tariff in use is archived, never deleted.
CREATE TABLE tariffs (
    id          INTEGER PRIMARY KEY,
    service_id  INTEGER NOT NULL REFERENCES services (id),
    name        TEXT NOT NULL,
    price       INTEGER NOT NULL CHECK (price >= 0), -- kopecks per unit
    unit        TEXT NOT NULL CHECK (unit IN ('sms_part', 'month', 'request')),
    valid_from  TEXT NOT NULL,                       -- YYYY-MM-DD
    valid_to    TEXT,                                -- YYYY-MM-DD, NULL when open-ended
    archived_at TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX tariffs_service ON tariffs (service_id);

-- company_services are the services connected to a company, each with its
-- balance, which always equals the sum of its transactions.
CREATE TABLE company_services (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    service_id  INTEGER NOT NULL REFERENCES services (id),
    tariff_id   INTEGER NOT NULL REFERENCES tariffs (id),
    balance     INTEGER NOT NULL DEFAULT 0, -- kopecks
    period_from TEXT NOT NULL,
    period_to   TEXT,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    UNIQUE (company_id, service_id)
) STRICT;

CREATE TABLE subscriptions (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    company_service_id INTEGER NOT NULL REFERENCES company_services (id),
    tariff_id          INTEGER NOT NULL REFERENCES tariffs (id),
    kind               TEXT NOT NULL CHECK (kind IN ('periodic', 'one_off')),
    status             TEXT NOT NULL CHECK (status IN ('active', 'pending', 'expired', 'cancelled')),
    price              INTEGER NOT NULL CHECK (price >= 0),
    period_from        TEXT NOT NULL,
    period_to          TEXT NOT NULL,
    idempotency_key    TEXT NOT NULL UNIQUE, -- the same purchase posted twice subscribes once
    created_at         TEXT NOT NULL,
    cancelled_at       TEXT
) STRICT;
CREATE INDEX subscriptions_service ON subscriptions (company_service_id, period_from DESC, id DESC);
CREATE INDEX subscriptions_status ON subscriptions (status, period_to);

-- transactions is the ledger: every balance change, never updated or deleted.
CREATE TABLE transactions (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    company_service_id INTEGER NOT NULL REFERENCES company_services (id),
    amount             INTEGER NOT NULL CHECK (amount <> 0), -- kopecks, signed
    source             TEXT NOT NULL CHECK (source IN ('payment', 'sms', 'subscription', 'correction', 'refund')),
    description        TEXT NOT NULL DEFAULT '',
    ref                TEXT NOT NULL DEFAULT '', -- what caused it: "subscription:12"
    idempotency_key    TEXT NOT NULL UNIQUE,
    created_at         TEXT NOT NULL
) STRICT;
CREATE INDEX transactions_company ON transactions (company_id, created_at DESC, id DESC);
CREATE INDEX transactions_service ON transactions (company_service_id, created_at DESC, id DESC);
CREATE INDEX transactions_source ON transactions (company_id, source, created_at DESC, id DESC);

-- ledger_months rolls transactions up by the company's calendar month, so
-- statistics stay fast whatever the ledger's size.
CREATE TABLE ledger_months (
    company_service_id INTEGER NOT NULL REFERENCES company_services (id),
    month              TEXT NOT NULL, -- YYYY-MM in the company's time zone
    debits             INTEGER NOT NULL DEFAULT 0, -- kopecks, as a positive sum
    credits            INTEGER NOT NULL DEFAULT 0,
    count              INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (company_service_id, month)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE ledger_months;
DROP TABLE transactions;
DROP TABLE subscriptions;
DROP TABLE company_services;
DROP TABLE tariffs;
DROP TABLE services;
