#!/usr/bin/env bash
# The replica at scale: a copy of the load test's database (bench/run.sh,
# 1.8 GB) served with a file replica, stopped, and restored from it. Prints
# the start with the first replication, the sizes (database, Litestream's
# staging folder, replica), the time of `elk restore` and of `elk check`
# on the restored file.
#
#   bash bench/replica.sh             # after bench/run.sh has filled its database
#
# SOURCE (default /tmp/elk-bench/bench.db) is only read: it is copied into
# WORK (default /tmp/elk-replica), where everything is written.
set -euo pipefail
cd "$(dirname "$0")/.."
source_db=${SOURCE:-/tmp/elk-bench/bench.db}
work=${WORK:-/tmp/elk-replica}
elk_addr=127.0.0.1:18081

mkdir -p "$work"
go build -o "$work/elk" .
rm -rf "$work/bench.db" "$work/bench.db-wal" "$work/bench.db-shm" "$work/bench.db.key" \
	"$work/.bench.db-litestream" "$work/replica" "$work/restored.db" "$work/restored.db.key"
cp "$source_db" "$work/bench.db"
# The copy adopts a key of its own (the load test's database may predate the key check).
"$work/elk" -db "$work/bench.db" reset-2fa >/dev/null
rm -f "$work"/bench.db.before-*.bak   # the copy of its upgrade, if any

start=$(date +%s.%N)
"$work/elk" -db "$work/bench.db" -addr "$elk_addr" -replica "$work/replica" >"$work/elk.log" 2>&1 &
elk_pid=$!
trap 'kill $elk_pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do curl -fs "http://$elk_addr/healthz" >/dev/null && break; sleep 0.2; done
echo "started with the replica in $(echo "$(date +%s.%N) - $start" | bc) s"
# SIGTERM: the server stops and ships everything left to the replica.
kill -TERM $elk_pid
wait $elk_pid
trap - EXIT
echo "database $(du -sm "$work/bench.db" | cut -f1) MB, staging $(du -sm "$work/.bench.db-litestream" | cut -f1) MB, replica $(du -sm "$work/replica" | cut -f1) MB"

/usr/bin/time -f "elk restore: %e s, %M KB peak memory" "$work/elk" restore -replica "$work/replica" -db "$work/restored.db" >/dev/null
cp "$work/bench.db.key" "$work/restored.db.key"
/usr/bin/time -f "elk check: %e s" "$work/elk" -db "$work/restored.db" check >/dev/null
