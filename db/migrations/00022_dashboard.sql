-- +goose Up

-- payment_term_days is how many days after its date an invoice is to be
-- paid (срок оплаты счёта); unpaid past it, the back office marks it overdue.
ALTER TABLE vendor ADD COLUMN payment_term_days INTEGER NOT NULL DEFAULT 5
    CHECK (payment_term_days BETWEEN 1 AND 365);

-- The back office's home sums the payments received by month.
CREATE INDEX payments_paid_on ON payments (paid_on);
-- …and times the first answer to the tickets opened in the last 30 days.
CREATE INDEX tickets_created ON tickets (created_at);

-- sms_manager_days sums sms_day_totals over each manager's companies (0:
-- those without a manager), so that the home's chart of SMS a day reads a
-- row a day for one manager, and a row a manager and day for all,
-- whatever the number of companies. Triggers keep it in the transaction of
-- every change to sms_day_totals, and move a company's days when it passes
-- to another manager.
CREATE TABLE sms_manager_days (
    manager_id INTEGER NOT NULL,
    day        TEXT NOT NULL,
    queued     INTEGER NOT NULL DEFAULT 0,
    sent       INTEGER NOT NULL DEFAULT 0,
    delivered  INTEGER NOT NULL DEFAULT 0,
    failed     INTEGER NOT NULL DEFAULT 0,
    expired    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (manager_id, day)
) STRICT, WITHOUT ROWID;

INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
SELECT coalesce(c.manager_id, 0), t.day, sum(t.queued), sum(t.sent), sum(t.delivered), sum(t.failed), sum(t.expired)
FROM sms_day_totals t JOIN companies c ON c.id = t.company_id GROUP BY 1, 2;

-- +goose StatementBegin
CREATE TRIGGER sms_manager_days_insert AFTER INSERT ON sms_day_totals BEGIN
    INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
    VALUES ((SELECT coalesce(manager_id, 0) FROM companies WHERE id = NEW.company_id), NEW.day,
        NEW.queued, NEW.sent, NEW.delivered, NEW.failed, NEW.expired)
    ON CONFLICT (manager_id, day) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, failed = failed + excluded.failed, expired = expired + excluded.expired;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sms_manager_days_update AFTER UPDATE ON sms_day_totals BEGIN
    INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
    VALUES ((SELECT coalesce(manager_id, 0) FROM companies WHERE id = OLD.company_id), OLD.day,
        -OLD.queued, -OLD.sent, -OLD.delivered, -OLD.failed, -OLD.expired)
    ON CONFLICT (manager_id, day) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, failed = failed + excluded.failed, expired = expired + excluded.expired;
    INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
    VALUES ((SELECT coalesce(manager_id, 0) FROM companies WHERE id = NEW.company_id), NEW.day,
        NEW.queued, NEW.sent, NEW.delivered, NEW.failed, NEW.expired)
    ON CONFLICT (manager_id, day) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, failed = failed + excluded.failed, expired = expired + excluded.expired;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sms_manager_days_delete AFTER DELETE ON sms_day_totals BEGIN
    INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
    VALUES ((SELECT coalesce(manager_id, 0) FROM companies WHERE id = OLD.company_id), OLD.day,
        -OLD.queued, -OLD.sent, -OLD.delivered, -OLD.failed, -OLD.expired)
    ON CONFLICT (manager_id, day) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, failed = failed + excluded.failed, expired = expired + excluded.expired;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sms_manager_days_reassign AFTER UPDATE OF manager_id ON companies
WHEN coalesce(OLD.manager_id, 0) <> coalesce(NEW.manager_id, 0) BEGIN
    INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
    SELECT coalesce(OLD.manager_id, 0), day, -queued, -sent, -delivered, -failed, -expired
    FROM sms_day_totals WHERE company_id = NEW.id AND true
    ON CONFLICT (manager_id, day) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, failed = failed + excluded.failed, expired = expired + excluded.expired;
    INSERT INTO sms_manager_days (manager_id, day, queued, sent, delivered, failed, expired)
    SELECT coalesce(NEW.manager_id, 0), day, queued, sent, delivered, failed, expired
    FROM sms_day_totals WHERE company_id = NEW.id AND true
    ON CONFLICT (manager_id, day) DO UPDATE SET queued = queued + excluded.queued, sent = sent + excluded.sent,
        delivered = delivered + excluded.delivered, failed = failed + excluded.failed, expired = expired + excluded.expired;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sms_manager_days_reassign;
DROP TRIGGER sms_manager_days_delete;
DROP TRIGGER sms_manager_days_update;
DROP TRIGGER sms_manager_days_insert;
DROP TABLE sms_manager_days;
DROP INDEX tickets_created;
DROP INDEX payments_paid_on;
ALTER TABLE vendor DROP COLUMN payment_term_days;
