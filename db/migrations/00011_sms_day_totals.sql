-- +goose Up

-- sms_day_totals replaces sms_days: a row a company and day, with a count
-- and a cost for each status, so that a month's chart reads thirty rows
-- and sums nothing (one row a status took twice the time). Parts were never
-- shown; the messages keep them.
CREATE TABLE sms_day_totals (
    company_id     INTEGER NOT NULL REFERENCES companies (id),
    day            TEXT NOT NULL,
    queued         INTEGER NOT NULL DEFAULT 0,
    sent           INTEGER NOT NULL DEFAULT 0,
    delivered      INTEGER NOT NULL DEFAULT 0,
    failed         INTEGER NOT NULL DEFAULT 0,
    expired        INTEGER NOT NULL DEFAULT 0,
    queued_cost    INTEGER NOT NULL DEFAULT 0,
    sent_cost      INTEGER NOT NULL DEFAULT 0,
    delivered_cost INTEGER NOT NULL DEFAULT 0,
    failed_cost    INTEGER NOT NULL DEFAULT 0,
    expired_cost   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, day)
) STRICT, WITHOUT ROWID;

INSERT INTO sms_day_totals
SELECT company_id, day,
    coalesce(sum(count) FILTER (WHERE status = 'queued'), 0), coalesce(sum(count) FILTER (WHERE status = 'sent'), 0),
    coalesce(sum(count) FILTER (WHERE status = 'delivered'), 0), coalesce(sum(count) FILTER (WHERE status = 'failed'), 0),
    coalesce(sum(count) FILTER (WHERE status = 'expired'), 0),
    coalesce(sum(cost) FILTER (WHERE status = 'queued'), 0), coalesce(sum(cost) FILTER (WHERE status = 'sent'), 0),
    coalesce(sum(cost) FILTER (WHERE status = 'delivered'), 0), coalesce(sum(cost) FILTER (WHERE status = 'failed'), 0),
    coalesce(sum(cost) FILTER (WHERE status = 'expired'), 0)
FROM sms_days GROUP BY company_id, day;

DROP TABLE sms_days;

-- +goose Down
CREATE TABLE sms_days (
    company_id INTEGER NOT NULL REFERENCES companies (id),
    day        TEXT NOT NULL,
    status     TEXT NOT NULL,
    count      INTEGER NOT NULL DEFAULT 0,
    parts      INTEGER NOT NULL DEFAULT 0,
    cost       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, day, status)
) STRICT, WITHOUT ROWID;
-- Rebuilt from the messages themselves, which hold the parts too.
INSERT INTO sms_days (company_id, day, status, count, parts, cost)
SELECT company_id, day, status, count(*), sum(parts), sum(cost) FROM sms GROUP BY company_id, day, status;
DROP TABLE sms_day_totals;
