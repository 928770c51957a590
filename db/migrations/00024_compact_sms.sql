-- +goose Up

-- sms keeps a message in about a quarter of the bytes: clustered by
-- company and time of sending (the list's order, so its index is gone),
-- times as unix seconds, the status as a number, the day and the paying
-- transaction left out (the day follows from the time and the company's
-- zone; the transaction was never read). The phone index goes: the list
-- filtered by a phone read the period through the time index anyway. Only
-- messages not delivered are indexed by status (their numbers are
-- SMSStatuses' places): a delivered list is most of the messages and
-- reads the table in order.
ALTER TABLE sms RENAME TO sms_text;

CREATE TABLE sms (
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    sent_at      INTEGER NOT NULL, -- unix seconds
    seq          INTEGER NOT NULL, -- 1, 2, … among the company's SMS sent in the same second
    sender_id    TEXT NOT NULL, -- the sender's own id, unique within the company
    phone        TEXT NOT NULL,
    parts        INTEGER NOT NULL CHECK (parts BETWEEN 1 AND 255),
    status       INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4), -- 0 queued, 1 sent, 2 delivered, 3 failed, 4 expired
    status_after INTEGER NOT NULL, -- seconds from sending to its last status
    cost         INTEGER NOT NULL, -- kopecks charged for it
    PRIMARY KEY (company_id, sent_at, seq)
) STRICT, WITHOUT ROWID;

INSERT INTO sms (company_id, sent_at, seq, sender_id, phone, parts, status, status_after, cost)
SELECT company_id, sec, row_number() OVER (PARTITION BY company_id, sec ORDER BY id), sender_id, phone, parts,
    CASE status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 3 ELSE 4 END,
    unixepoch(status_at) - sec, cost
FROM (SELECT *, unixepoch(sent_at) AS sec FROM sms_text);

DROP TABLE sms_text;

CREATE UNIQUE INDEX sms_company_sender ON sms (company_id, sender_id);
CREATE INDEX sms_company_undelivered ON sms (company_id, status) WHERE status = 0 OR status = 1 OR status = 3 OR status = 4;

-- +goose Down
ALTER TABLE sms RENAME TO sms_compact;

CREATE TABLE sms (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL REFERENCES companies (id),
    sender_id          TEXT NOT NULL,
    phone              TEXT NOT NULL,
    parts              INTEGER NOT NULL CHECK (parts BETWEEN 1 AND 255),
    status             TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'expired')),
    sent_at            TEXT NOT NULL,
    status_at          TEXT NOT NULL,
    day                TEXT NOT NULL, -- YYYY-MM-DD of sent_at in the company's time zone
    cost               INTEGER NOT NULL, -- kopecks charged for it
    transaction_id     INTEGER REFERENCES transactions (id), -- the debit that paid for it; NULL when free
    UNIQUE (company_id, sender_id)
) STRICT;

-- The day by the offsets of the zones a company can choose (none of them
-- moves its clocks any more but Chisinau's, taken at its winter time). The
-- paying transaction was not kept: it comes back empty.
INSERT INTO sms (company_id, sender_id, phone, parts, status, sent_at, status_at, day, cost, transaction_id)
SELECT s.company_id, s.sender_id, s.phone, s.parts,
    CASE s.status WHEN 0 THEN 'queued' WHEN 1 THEN 'sent' WHEN 2 THEN 'delivered' WHEN 3 THEN 'failed' ELSE 'expired' END,
    strftime('%Y-%m-%dT%H:%M:%S.000Z', s.sent_at, 'unixepoch'),
    strftime('%Y-%m-%dT%H:%M:%S.000Z', s.sent_at + s.status_after, 'unixepoch'),
    date(s.sent_at, 'unixepoch', CASE c.timezone
        WHEN 'Europe/Kaliningrad' THEN '+2 hours' WHEN 'Europe/Chisinau' THEN '+2 hours'
        WHEN 'Europe/Samara' THEN '+4 hours' WHEN 'Asia/Yerevan' THEN '+4 hours' WHEN 'Asia/Baku' THEN '+4 hours'
        WHEN 'Asia/Tbilisi' THEN '+4 hours' WHEN 'Asia/Yekaterinburg' THEN '+5 hours' WHEN 'Asia/Almaty' THEN '+5 hours'
        WHEN 'Asia/Tashkent' THEN '+5 hours' WHEN 'Asia/Dushanbe' THEN '+5 hours' WHEN 'Asia/Omsk' THEN '+6 hours'
        WHEN 'Asia/Bishkek' THEN '+6 hours' WHEN 'Asia/Novosibirsk' THEN '+7 hours' WHEN 'Asia/Krasnoyarsk' THEN '+7 hours'
        WHEN 'Asia/Irkutsk' THEN '+8 hours' WHEN 'Asia/Yakutsk' THEN '+9 hours' WHEN 'Asia/Vladivostok' THEN '+10 hours'
        WHEN 'Asia/Magadan' THEN '+11 hours' WHEN 'Asia/Kamchatka' THEN '+12 hours' ELSE '+3 hours' END),
    s.cost, NULL
FROM sms_compact s JOIN companies c ON c.id = s.company_id
ORDER BY s.company_id, s.sent_at, s.seq;

DROP TABLE sms_compact;

CREATE INDEX sms_company_sent ON sms (company_id, sent_at DESC, id DESC);
CREATE INDEX sms_company_status ON sms (company_id, status, sent_at DESC, id DESC);
CREATE INDEX sms_company_phone ON sms (company_id, phone, sent_at DESC, id DESC);
