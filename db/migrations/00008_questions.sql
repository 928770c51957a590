-- +goose Up

-- question_sections are the headings of Вопросы и ответы, managed by staff.
CREATE TABLE question_sections (
    id       INTEGER PRIMARY KEY,
    title    TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
) STRICT;

-- questions are asked by clients (or written by staff) and answered by
-- staff; a published answered one is shown to every company.
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY,
    section_id  INTEGER NOT NULL REFERENCES question_sections (id),
    company_id  INTEGER REFERENCES companies (id),
    user_id     INTEGER REFERENCES users (id),
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    answer      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'answered')),
    published   INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    merged_into INTEGER REFERENCES questions (id), -- a duplicate, answered by that one
    answered_by TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX questions_company ON questions (company_id, id DESC);
CREATE INDEX questions_status ON questions (status, id);

-- questions_fts indexes the text for search; unicode61 folds Cyrillic case.
CREATE VIRTUAL TABLE questions_fts USING fts5(subject, body, answer, content = 'questions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2');

-- +goose StatementBegin
CREATE TRIGGER questions_ai AFTER INSERT ON questions BEGIN
    INSERT INTO questions_fts (rowid, subject, body, answer) VALUES (new.id, new.subject, new.body, new.answer);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER questions_ad AFTER DELETE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, subject, body, answer) VALUES ('delete', old.id, old.subject, old.body, old.answer);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER questions_au AFTER UPDATE ON questions BEGIN
    INSERT INTO questions_fts (questions_fts, rowid, subject, body, answer) VALUES ('delete', old.id, old.subject, old.body, old.answer);
    INSERT INTO questions_fts (rowid, subject, body, answer) VALUES (new.id, new.subject, new.body, new.answer);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE questions_fts;
DROP TABLE questions;
DROP TABLE question_sections;
