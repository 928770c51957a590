-- +goose Up

-- A company's contract with the vendor, which every document names as its
-- basis; who signs for it; and its VAT mode: the vendor's ('vendor'), a rate
-- of its own ('rate'), or none ('none', with the reason printed).
ALTER TABLE companies ADD COLUMN contract_number TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN contract_date TEXT; -- YYYY-MM-DD
ALTER TABLE companies ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN signer_position TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN vat_mode TEXT NOT NULL DEFAULT 'vendor' CHECK (vat_mode IN ('vendor', 'rate', 'none'));
ALTER TABLE companies ADD COLUMN vat_rate INTEGER CHECK (vat_rate IS NULL OR vat_rate BETWEEN 0 AND 99);
ALTER TABLE companies ADD COLUMN vat_reason TEXT NOT NULL DEFAULT '';

-- The vendor's signers: the director, the chief accountant, and a person who
-- signs instead of the director by a power of attorney. closing_policy says
-- when closing documents are made: for every payment, or monthly for what
-- was spent; a new policy takes effect on closing_policy_from (the first of
-- a month), the other one holding before it, since closing_policy_before
-- (NULL: always). A month's closing offsets what closing by payment sold
-- ahead, so it needs the day monthly closing began.
ALTER TABLE vendor ADD COLUMN director_position TEXT NOT NULL DEFAULT 'Генеральный директор';
ALTER TABLE vendor ADD COLUMN accountant TEXT NOT NULL DEFAULT '';
ALTER TABLE vendor ADD COLUMN proxy_name TEXT NOT NULL DEFAULT '';
ALTER TABLE vendor ADD COLUMN proxy_position TEXT NOT NULL DEFAULT '';
ALTER TABLE vendor ADD COLUMN proxy_number TEXT NOT NULL DEFAULT '';
ALTER TABLE vendor ADD COLUMN proxy_date TEXT;
ALTER TABLE vendor ADD COLUMN closing_policy TEXT NOT NULL DEFAULT 'payment' CHECK (closing_policy IN ('payment', 'monthly'));
ALTER TABLE vendor ADD COLUMN closing_policy_from TEXT;
ALTER TABLE vendor ADD COLUMN closing_policy_before TEXT;

-- units is how many units a debit charges (SMS parts, subscriptions), so
-- that a month's closing document can print quantity × price; NULL for
-- entries made before it was kept.
ALTER TABLE transactions ADD COLUMN units INTEGER CHECK (units IS NULL OR units > 0);

-- acts become every document the vendor issues after an invoice, in one
-- numbering that never goes back:
--   form 'act'     — the акт оказанных услуг issued before УПД (kept as issued);
--   form 'upd'     — the УПД, status 1 (счёт-фактура and act) or 2 (act only);
--   form 'advance' — the счёт-фактура on a payment received in advance.
-- basis says what it covers: a payment (invoice_id, payment_id), a month's
-- spending (period_from..period_to, no invoice), or, when closing by payment
-- follows monthly closing, the balance paid and not yet closed on the day
-- it began (period_from). lines are the table's rows
-- as JSON, each with its name, unit, quantity, price, amount and VAT. A
-- month's УПД names the advance счета-фактуры it offsets (advances, JSON),
-- and an advance счёт-фактура keeps how much of it has been offset (settled).
-- A month's УПД after closing by payment leaves out what payments' УПД sold
-- ahead (sold_ahead), so elk check can tell it from the ledger.
CREATE TABLE closing_documents (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    form        TEXT NOT NULL CHECK (form IN ('act', 'upd', 'advance')),
    upd_status  INTEGER CHECK (upd_status IN (1, 2)),
    basis       TEXT NOT NULL CHECK (basis IN ('payment', 'month', 'balance')),
    invoice_id  INTEGER REFERENCES invoices (id),
    payment_id  INTEGER REFERENCES payments (id),
    number      TEXT NOT NULL UNIQUE,
    issued_on   TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    item        TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    vat_rate    INTEGER,
    vat         INTEGER NOT NULL DEFAULT 0,
    lines       TEXT NOT NULL,
    advances    TEXT NOT NULL DEFAULT '[]',
    settled     INTEGER NOT NULL DEFAULT 0 CHECK (settled >= 0 AND settled <= amount),
    sold_ahead  INTEGER NOT NULL DEFAULT 0 CHECK (sold_ahead >= 0),
    supplier    TEXT NOT NULL,
    buyer       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK ((form = 'upd') = (upd_status IS NOT NULL)),
    CHECK ((basis = 'payment') = (payment_id IS NOT NULL AND invoice_id IS NOT NULL))
) STRICT;
INSERT INTO closing_documents (id, company_id, form, basis, invoice_id, payment_id, number, issued_on, period_from,
    period_to, item, amount, vat_rate, vat, lines, supplier, buyer, created_at)
SELECT a.id, a.company_id, 'act', 'payment', a.invoice_id, a.payment_id, a.number, a.issued_on, p.paid_on, p.paid_on,
       a.item, a.amount, a.vat_rate, a.vat,
       json_array(json_object('name', a.item, 'unit', '', 'qty', 1, 'price', a.amount, 'amount', a.amount, 'vat', a.vat)),
       a.supplier, a.buyer, a.created_at
FROM acts a JOIN payments p ON p.id = a.payment_id;
DROP TABLE acts;
-- Kept PDFs were drawn in the layouts before contracts and signers; they
-- are drawn again.
DELETE FROM document_pdfs;
CREATE INDEX closing_documents_company ON closing_documents (company_id, issued_on DESC, id DESC);
CREATE INDEX closing_documents_invoice ON closing_documents (invoice_id);
-- A payment gets one closing document and at most one advance invoice; a
-- company one document per month, and one per balance closed.
CREATE UNIQUE INDEX closing_documents_payment ON closing_documents (payment_id, form = 'advance') WHERE payment_id IS NOT NULL;
CREATE UNIQUE INDEX closing_documents_month ON closing_documents (company_id, basis, period_from) WHERE basis <> 'payment';

-- +goose Down
CREATE TABLE acts (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    payment_id INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    number     TEXT NOT NULL UNIQUE,
    issued_on  TEXT NOT NULL,
    item       TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    vat_rate   INTEGER,
    supplier   TEXT NOT NULL,
    buyer      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    vat        INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO acts SELECT id, company_id, invoice_id, payment_id, number, issued_on, item, amount, vat_rate, supplier,
    buyer, created_at, vat FROM closing_documents WHERE basis = 'payment' AND form <> 'advance';
DROP TABLE closing_documents;
CREATE INDEX acts_company ON acts (company_id, issued_on DESC, id DESC);
CREATE INDEX acts_invoice ON acts (invoice_id);
ALTER TABLE transactions DROP COLUMN units;
ALTER TABLE vendor DROP COLUMN closing_policy_before;
ALTER TABLE vendor DROP COLUMN closing_policy_from;
ALTER TABLE vendor DROP COLUMN closing_policy;
ALTER TABLE vendor DROP COLUMN proxy_date;
ALTER TABLE vendor DROP COLUMN proxy_number;
ALTER TABLE vendor DROP COLUMN proxy_position;
ALTER TABLE vendor DROP COLUMN proxy_name;
ALTER TABLE vendor DROP COLUMN accountant;
ALTER TABLE vendor DROP COLUMN director_position;
ALTER TABLE companies DROP COLUMN vat_reason;
ALTER TABLE companies DROP COLUMN vat_rate;
ALTER TABLE companies DROP COLUMN vat_mode;
ALTER TABLE companies DROP COLUMN signer_position;
ALTER TABLE companies DROP COLUMN signer_name;
ALTER TABLE companies DROP COLUMN contract_date;
ALTER TABLE companies DROP COLUMN contract_number;
