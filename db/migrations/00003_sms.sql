-- +goose Up

-- api_tokens let a company's servers call the API; only a hash of each is kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    prefix       TEXT NOT NULL, -- the first characters, to tell tokens apart
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE INDEX api_tokens_company ON api_tokens (company_id);

-- sms are the messages a company's server reports as sent, one row each,
-- unique by the sender's own id within the company.
CREATE TABLE sms (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    sender_id          TEXT NOT NULL,
    phone              TEXT NOT NULL,
    parts              INTEGER NOT NULL CHECK (parts BETWEEN 1 AND 255),
    status             TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'expired')),
    sent_at            TEXT NOT NULL,
    status_at          TEXT NOT NULL,
    day                TEXT NOT NULL, -- YYYY-MM-DD of sent_at in the company's time zone
    cost               INTEGER NOT NULL, -- kopecks charged for it
    transaction_id     INTEGER REFERENCES transactions (id), -- the debit that paid for it; NULL when free
    UNIQUE (company_id, sender_id)
) STRICT;
CREATE INDEX sms_company_sent ON sms (company_id, sent_at DESC, id DESC);
CREATE INDEX sms_company_status ON sms (company_id, status, sent_at DESC, id DESC);
CREATE INDEX sms_company_phone ON sms (company_id, phone, sent_at DESC, id DESC);

-- sms_days rolls SMS up by day and status, kept in the same transaction as
-- every batch and status update, so statistics cost the same at any size.
CREATE TABLE sms_days (
    company_id INTEGER NOT NULL REFERENCES companies (id),
    day        TEXT NOT NULL,
    status     TEXT NOT NULL,
    count      INTEGER NOT NULL DEFAULT 0,
    parts      INTEGER NOT NULL DEFAULT 0,
    cost       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, day, status)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE sms_days;
DROP TABLE sms;
DROP TABLE api_tokens;
