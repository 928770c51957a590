-- +goose Up

-- Foreign keys that pages filter by, or that a parent's delete must find
-- its children by: without these, each read every row of the table.
CREATE INDEX tickets_assignee ON tickets (assignee_id);             -- staff's «мои обращения»
CREATE INDEX invoices_service ON invoices (company_service_id);     -- Документы by service
CREATE INDEX companies_manager ON companies (manager_id);           -- a manager's companies
CREATE INDEX questions_section ON questions (section_id);           -- a section's questions
CREATE INDEX news_reads_news ON news_reads (news_id);               -- a news item's reads, deleted with it

-- +goose Down
DROP INDEX news_reads_news;
DROP INDEX questions_section;
DROP INDEX companies_manager;
DROP INDEX invoices_service;
DROP INDEX tickets_assignee;
