-- +goose Up

-- monitors are the client's servers the vendor watches: checked by TCP
-- connect or HTTP GET on an interval, or told about by the server's own
-- heartbeats (push).
CREATE TABLE monitors (
    id                  INTEGER PRIMARY KEY,
    company_id          INTEGER NOT NULL REFERENCES companies (id),
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('tmserver', 'message_server', 'other')),
    check_type          TEXT NOT NULL CHECK (check_type IN ('tcp', 'http', 'push')),
    target              TEXT NOT NULL DEFAULT '', -- host:port or URL; empty for push
    interval_s          INTEGER NOT NULL CHECK (interval_s BETWEEN 10 AND 3600),
    timeout_ms          INTEGER NOT NULL CHECK (timeout_ms BETWEEN 100 AND 60000),
    retries             INTEGER NOT NULL DEFAULT 1 CHECK (retries BETWEEN 0 AND 10),
    expect_status_min   INTEGER NOT NULL DEFAULT 200,
    expect_status_max   INTEGER NOT NULL DEFAULT 399,
    expect_word         TEXT NOT NULL DEFAULT '',
    push_secret         TEXT NOT NULL UNIQUE, -- the per-monitor heartbeat URL's secret
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'up', 'down')),
    state_since         TEXT NOT NULL,
    failures            INTEGER NOT NULL DEFAULT 0, -- consecutive failed checks
    last_checked_at     TEXT,
    last_latency_ms     INTEGER,
    last_error          TEXT NOT NULL DEFAULT '',
    last_heartbeat_at   TEXT,
    version             TEXT NOT NULL DEFAULT '', -- as the server's heartbeat says
    cert_expires_at     TEXT,
    alerted_state       TEXT NOT NULL DEFAULT 'up', -- what the company was last told
    alerted_at          TEXT,
    created_at          TEXT NOT NULL,
    UNIQUE (company_id, name)
) STRICT;

-- monitor_checks are the raw results, kept for days.
CREATE TABLE monitor_checks (
    id         INTEGER PRIMARY KEY,
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    ok         INTEGER NOT NULL CHECK (ok IN (0, 1)),
    latency_ms INTEGER NOT NULL,
    error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX monitor_checks_monitor ON monitor_checks (monitor_id, at);
CREATE INDEX monitor_checks_at ON monitor_checks (at);

-- monitor_hours roll the checks up per hour, kept for more than a year:
-- uptime and charts read only these.
CREATE TABLE monitor_hours (
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    hour       TEXT NOT NULL, -- YYYY-MM-DDTHH, UTC
    checks     INTEGER NOT NULL,
    ups        INTEGER NOT NULL,
    latency_sum INTEGER NOT NULL, -- of the successful checks, ms
    latency_max INTEGER NOT NULL,
    PRIMARY KEY (monitor_id, hour)
) STRICT, WITHOUT ROWID;

-- incidents are the times a monitor was down.
CREATE TABLE incidents (
    id         INTEGER PRIMARY KEY,
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX incidents_monitor ON incidents (monitor_id, started_at DESC);

-- license_keys are the companies' TMServer licenses, set by staff or by the
-- server's heartbeats.
CREATE TABLE license_keys (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    license_key TEXT NOT NULL,
    product     TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    expires_on  TEXT NOT NULL,
    limits      TEXT NOT NULL DEFAULT '{}', -- JSON: {"operators": 20, "drivers": 300}
    modules     TEXT NOT NULL DEFAULT '',   -- comma-separated
    source      TEXT NOT NULL CHECK (source IN ('staff', 'heartbeat')),
    warned_30   INTEGER NOT NULL DEFAULT 0, -- the e-mail 30 days before expiry went
    warned_7    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    UNIQUE (company_id, license_key)
) STRICT;

-- +goose Down
DROP TABLE license_keys;
DROP TABLE incidents;
DROP TABLE monitor_hours;
DROP TABLE monitor_checks;
DROP TABLE monitors;
