-- +goose Up

-- license_reports are the license keys each push monitor's heartbeats
-- brought in the last 24 hours. A server has one key, a renewal brings a
-- second; a stream of new keys is a fault or an attack that would fill
-- license_keys, so a key beyond a handful a day is refused. Each heartbeat
-- prunes its monitor's older rows, so the table stays that small.
CREATE TABLE license_reports (
    monitor_id  INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    license_key TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    PRIMARY KEY (monitor_id, license_key)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE license_reports;
