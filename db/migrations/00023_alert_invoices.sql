-- +goose Up
-- A company may have its low-balance alert carry an invoice for its usual
-- top-up (the manager's switch, off by default); such an invoice is marked
-- as issued automatically, and a company has at most one of them unpaid
-- per service at a time.
ALTER TABLE companies ADD COLUMN alert_invoice INTEGER NOT NULL DEFAULT 0 CHECK (alert_invoice IN (0, 1));
ALTER TABLE invoices ADD COLUMN auto INTEGER NOT NULL DEFAULT 0 CHECK (auto IN (0, 1));
CREATE UNIQUE INDEX invoices_one_open_auto ON invoices (company_service_id)
    WHERE auto = 1 AND status IN ('issued', 'partially_paid');

-- +goose Down
DROP INDEX invoices_one_open_auto;
ALTER TABLE invoices DROP COLUMN auto;
ALTER TABLE companies DROP COLUMN alert_invoice;
