-- +goose Up

-- settings holds small instance-wide values, such as the secret that signs CSRF tokens.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- vendor is the single row of the vendor's own requisites, printed on documents.
CREATE TABLE vendor (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL DEFAULT '',
    legal_name    TEXT NOT NULL DEFAULT '',
    inn           TEXT NOT NULL DEFAULT '',
    kpp           TEXT NOT NULL DEFAULT '',
    ogrn          TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    bank_name     TEXT NOT NULL DEFAULT '',
    bik           TEXT NOT NULL DEFAULT '',
    bank_account  TEXT NOT NULL DEFAULT '',
    corr_account  TEXT NOT NULL DEFAULT '',
    director      TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
INSERT INTO vendor (id) VALUES (1);

-- users are both the vendor's staff (company_id IS NULL) and the clients' users.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    company_id          INTEGER REFERENCES companies (id),
    login               TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name                TEXT NOT NULL,
    role                TEXT NOT NULL,
    email               TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    lang                TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
    password_hash       TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_login_at       TEXT,
    disabled_at         TEXT,
    created_at          TEXT NOT NULL,
    CHECK ((company_id IS NULL AND role IN ('admin', 'manager', 'support', 'accountant'))
        OR (company_id IS NOT NULL AND role IN ('owner', 'accountant', 'dispatcher')))
) STRICT;
CREATE INDEX users_company ON users (company_id);

-- companies are the vendor's clients: the taxi services.
CREATE TABLE companies (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    legal_name     TEXT NOT NULL DEFAULT '',
    inn            TEXT NOT NULL DEFAULT '',
    kpp            TEXT NOT NULL DEFAULT '',
    ogrn           TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    country        TEXT NOT NULL DEFAULT 'RU',
    timezone       TEXT NOT NULL DEFAULT 'Europe/Moscow',
    manager_id     INTEGER REFERENCES users (id),
    notify_enabled INTEGER NOT NULL DEFAULT 0 CHECK (notify_enabled IN (0, 1)),
    created_at     TEXT NOT NULL
) STRICT;

-- notification_contacts are the e-mails and phones a company receives notifications on.
CREATE TABLE notification_contacts (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    value      TEXT NOT NULL,
    position   INTEGER NOT NULL,
    UNIQUE (company_id, kind, value)
) STRICT;

-- sessions are logged-in browsers; only the SHA-256 of the cookie value is kept.
CREATE TABLE sessions (
    id_hash      BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- login_failures feed the login throttle: one row per failed attempt, keyed by login and by IP.
CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TEXT NOT NULL
) STRICT;
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- audit_log records every change and every login, with who did it and from where.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    actor_login TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    company_id  INTEGER REFERENCES companies (id),
    action      TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_company ON audit_log (company_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE notification_contacts;
DROP TABLE companies;
DROP TABLE users;
DROP TABLE vendor;
DROP TABLE settings;
