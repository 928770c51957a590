-- +goose Up

-- news are the vendor's posts to its clients, in Markdown; a draft has no
-- publish time, a scheduled one a future time.
CREATE TABLE news (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_at TEXT,
    pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    audience     TEXT NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'companies')),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX news_published ON news (published_at);

-- news_companies are the companies a news item is for, when not for all.
CREATE TABLE news_companies (
    news_id    INTEGER NOT NULL REFERENCES news (id) ON DELETE CASCADE,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    PRIMARY KEY (news_id, company_id)
) STRICT, WITHOUT ROWID;

-- news_reads are the items each user has opened.
CREATE TABLE news_reads (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    news_id INTEGER NOT NULL REFERENCES news (id) ON DELETE CASCADE,
    read_at TEXT NOT NULL,
    PRIMARY KEY (user_id, news_id)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE news_reads;
DROP TABLE news_companies;
DROP TABLE news;
