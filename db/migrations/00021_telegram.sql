-- +goose Up

-- Telegram becomes an outbox channel: the table is rebuilt with the wider
-- CHECK (SQLite cannot alter one), keeping every notice and its id.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER REFERENCES companies (id), -- NULL for staff's own messages and unknown chats
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'telegram')),
    recipient       TEXT NOT NULL, -- an e-mail, a phone, or a Telegram chat id
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
INSERT INTO outbox_new SELECT id, company_id, channel, recipient, lang, kind, params, dedupe_key, status, attempts,
    next_attempt_at, last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_company ON outbox (company_id, id);
CREATE INDEX outbox_status ON outbox (status, id);

-- telegram_links are the chats that receive a company's notifications, each
-- linked by one of its users (whose language the chat is written in).
-- blocked_at is set when Telegram says the bot was blocked or removed there:
-- nothing more is written for the chat until it is linked again.
CREATE TABLE telegram_links (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    chat_id    INTEGER NOT NULL,
    linked_at  TEXT NOT NULL,
    blocked_at TEXT,
    UNIQUE (company_id, chat_id)
) STRICT;
CREATE INDEX telegram_links_user ON telegram_links (user_id);
CREATE INDEX telegram_links_chat ON telegram_links (chat_id);

-- telegram_codes are the one-time codes a user sends the bot to link a
-- chat: only their SHA-256 is kept, each valid until expires_at and once.
CREATE TABLE telegram_codes (
    code_hash  TEXT PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX telegram_codes_user ON telegram_codes (user_id);
CREATE INDEX telegram_codes_company ON telegram_codes (company_id);

-- +goose Down
DROP TABLE telegram_codes;
DROP TABLE telegram_links;
DELETE FROM settings WHERE key = 'telegram:update_offset';
CREATE TABLE outbox_old (
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
INSERT INTO outbox_old SELECT id, company_id, channel, recipient, lang, kind, params, dedupe_key, status, attempts,
    next_attempt_at, last_error, created_at, sent_at FROM outbox WHERE channel <> 'telegram';
DROP TABLE outbox;
ALTER TABLE outbox_old RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_company ON outbox (company_id, id);
CREATE INDEX outbox_status ON outbox (status, id);
