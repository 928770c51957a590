-- +goose Up
-- An act keeps its own VAT: the VAT of the invoice's total paid so far less
-- the VAT of what earlier acts covered, so that the acts of an invoice paid
-- in parts add up exactly to the invoice's VAT. Acts issued before get the
-- same, in the order they were issued.
ALTER TABLE acts ADD COLUMN vat INTEGER NOT NULL DEFAULT 0;
WITH running AS (
    SELECT id, vat_rate AS rate,
           SUM(amount) OVER (PARTITION BY invoice_id ORDER BY id) AS upto,
           SUM(amount) OVER (PARTITION BY invoice_id ORDER BY id) - amount AS before
    FROM acts
)
UPDATE acts SET vat = (
    SELECT CASE WHEN r.rate IS NULL OR r.rate <= 0 THEN 0
           ELSE (2 * r.upto * r.rate + 100 + r.rate) / (2 * (100 + r.rate))
              - (2 * r.before * r.rate + 100 + r.rate) / (2 * (100 + r.rate)) END
    FROM running r WHERE r.id = acts.id);

-- +goose Down
ALTER TABLE acts DROP COLUMN vat;
