-- +goose Up

-- Whether a tariff is in use is asked with every tariff read (the back
-- office's list, a service's page, the invoice form): without these, each
-- question read every connected service, subscription and invoice.
CREATE INDEX company_services_tariff ON company_services (tariff_id);
CREATE INDEX subscriptions_tariff ON subscriptions (tariff_id);
CREATE INDEX invoices_tariff ON invoices (tariff_id);

-- +goose Down
DROP INDEX invoices_tariff;
DROP INDEX subscriptions_tariff;
DROP INDEX company_services_tariff;
