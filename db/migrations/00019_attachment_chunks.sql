-- +goose Up
-- A ticket's file is kept in pieces of at most 256 KiB, so that storing or
-- sending a 10 MB file never holds it whole in memory.
CREATE TABLE ticket_attachment_chunks (
    attachment_id INTEGER NOT NULL REFERENCES ticket_attachments (id),
    seq           INTEGER NOT NULL CHECK (seq >= 0),
    data          BLOB NOT NULL,
    PRIMARY KEY (attachment_id, seq)
) STRICT;

INSERT INTO ticket_attachment_chunks (attachment_id, seq, data)
WITH RECURSIVE pieces (attachment_id, seq) AS (
    SELECT id, 0 FROM ticket_attachments
    UNION ALL
    SELECT p.attachment_id, p.seq + 1 FROM pieces p JOIN ticket_attachments f ON f.id = p.attachment_id
    WHERE (p.seq + 1) * 262144 < length(f.data)
)
SELECT p.attachment_id, p.seq, substr(f.data, p.seq * 262144 + 1, 262144)
FROM pieces p JOIN ticket_attachments f ON f.id = p.attachment_id;

ALTER TABLE ticket_attachments DROP COLUMN data;

-- +goose Down
ALTER TABLE ticket_attachments ADD COLUMN data BLOB NOT NULL DEFAULT x'';
UPDATE ticket_attachments SET data = (
    SELECT CAST(group_concat(c.data, '') AS BLOB) FROM (
        SELECT data FROM ticket_attachment_chunks WHERE attachment_id = ticket_attachments.id ORDER BY seq) c);
DROP TABLE ticket_attachment_chunks;
