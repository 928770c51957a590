-- +goose Up

-- spending_days rolls a service's per-unit spending (SMS today; not
-- subscriptions, which charge a period at once) up by the company's
-- calendar day, so that a balance forecast reads two weeks of rows for a
-- service, and the back office's list of who runs out reads them for all
-- companies, whatever the ledger's size. Kept in the transaction of each
-- ledger entry, like ledger_months.
CREATE TABLE spending_days (
    company_service_id INTEGER NOT NULL REFERENCES company_services (id),
    day                TEXT NOT NULL, -- YYYY-MM-DD in the company's time zone
    spent              INTEGER NOT NULL, -- kopecks, as a positive sum
    PRIMARY KEY (company_service_id, day)
) STRICT, WITHOUT ROWID;

-- The ledger's earlier SMS charges, by their UTC day: SQL knows no time
-- zones, and over the two weeks a forecast averages, the few hours that
-- move across a day's edge change nothing a client would see. Entries from
-- now on count by the company's day.
INSERT INTO spending_days (company_service_id, day, spent)
SELECT t.company_service_id, substr(t.created_at, 1, 10), -sum(t.amount)
FROM transactions t
WHERE t.source = 'sms' AND t.amount < 0
GROUP BY t.company_service_id, substr(t.created_at, 1, 10);

-- +goose Down
DROP TABLE spending_days;
