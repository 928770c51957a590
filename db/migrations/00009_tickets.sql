-- +goose Up

-- tickets are a company's requests to the vendor's support (Обращения в ТП).
CREATE TABLE tickets (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    user_id       INTEGER REFERENCES users (id), -- who opened it
    service_id    INTEGER REFERENCES company_services (id),
    subject       TEXT NOT NULL,
    priority      TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting', 'closed')),
    assignee_id   INTEGER REFERENCES users (id), -- the staff member working it
    -- waiting_since is when the client's oldest unanswered message came;
    -- NULL while staff have the last word. The queue serves it oldest first.
    waiting_since TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    closed_at     TEXT
) STRICT;
CREATE INDEX tickets_company ON tickets (company_id, id DESC);
CREATE INDEX tickets_queue ON tickets (status, waiting_since);

-- ticket_messages are a ticket's thread: the client's and staff's replies,
-- staff's internal notes (never shown to the client) and status changes.
CREATE TABLE ticket_messages (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    user_id    INTEGER REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('client', 'staff', 'note', 'status')),
    body       TEXT NOT NULL, -- for 'status', the new status
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_messages_ticket ON ticket_messages (ticket_id, id);

-- ticket_attachments keep the files in the database itself, so that a
-- backup of the one file holds them too.
CREATE TABLE ticket_attachments (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES ticket_messages (id),
    name         TEXT NOT NULL, -- cleaned: no directories, no control characters
    content_type TEXT NOT NULL, -- chosen by ELK from the allowed kinds, never the sender's
    size         INTEGER NOT NULL CHECK (size > 0),
    data         BLOB NOT NULL
) STRICT;
CREATE INDEX ticket_attachments_message ON ticket_attachments (message_id);

-- +goose Down
DROP TABLE ticket_attachments;
DROP TABLE ticket_messages;
DROP TABLE tickets;
