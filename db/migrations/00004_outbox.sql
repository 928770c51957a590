-- +goose Up

-- The SMS balance alert: the manager's threshold (kopecks), what the company
-- has been told since the balance was last above it (0 nothing, 1 below the
-- threshold, 2 below zero), and a counter that names each alert.
ALTER TABLE companies ADD COLUMN sms_alert_threshold INTEGER NOT NULL DEFAULT 50000 CHECK (sms_alert_threshold >= 0);
ALTER TABLE companies ADD COLUMN sms_alert_level INTEGER NOT NULL DEFAULT 0 CHECK (sms_alert_level IN (0, 1, 2));
ALTER TABLE companies ADD COLUMN sms_alert_seq INTEGER NOT NULL DEFAULT 0;

-- outbox holds every notification, written in the transaction of the event
-- that causes it and delivered by a worker; dedupe_key names the event and
-- the recipient, so one event never makes two messages.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER REFERENCES companies (id), -- NULL for staff's own messages
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       TEXT NOT NULL,
    lang            TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
    kind            TEXT NOT NULL,
    params          TEXT NOT NULL DEFAULT '{}', -- JSON, what the message says
    dedupe_key      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_company ON outbox (company_id, id);
CREATE INDEX outbox_status ON outbox (status, id);

-- +goose Down
DROP TABLE outbox;
ALTER TABLE companies DROP COLUMN sms_alert_seq;
ALTER TABLE companies DROP COLUMN sms_alert_level;
ALTER TABLE companies DROP COLUMN sms_alert_threshold;
