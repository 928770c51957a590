#!/usr/bin/env bash
# The load test: ELK over a database at scale (1 M transactions, 5 M SMS,
# 1,000 monitors checked every minute, of another company) under wrk. Prints
# each tab's (and a kept invoice PDF's) requests/s, p50/p99 latency and
# errors against the floor every page must keep (at least 1,000 requests/s,
# p99 at most 100 ms, no errors), and ELK's peak memory. Exits 1 when a page
# is under the floor.
#
#   bash bench/run.sh                 # about 12 minutes on 2 cores, the fill most of it
#
# WORK (default /tmp/elk-bench) keeps the filled database between runs;
# FILLER (fill) names the bench program that makes it (capacity: 1,500
# companies, see «Capacity» in the README); DURATION (10s), THREADS (2) and
# CONNECTIONS (32) shape each wrk run, STAFF_CONNECTIONS (4) those of the
# back office's home, opened by a few staff, which has no requests/s floor.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${WORK:-/tmp/elk-bench}
filler=${FILLER:-fill}
duration=${DURATION:-10s}
threads=${THREADS:-2}
conns=${CONNECTIONS:-32}
staff_conns=${STAFF_CONNECTIONS:-4}
elk_addr=127.0.0.1:18080

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
mkdir -p "$work"
go build -o "$work/elk" . && go build -o "$work/$filler" "./bench/$filler"
if [ ! -f "$work/filled" ]; then
	rm -f "$work"/bench.db*
	"$work/$filler" -db "$work/bench.db" -target "$elk_addr"
	touch "$work/filled"
fi

"$work/elk" -db "$work/bench.db" -addr "$elk_addr" >"$work/elk.log" 2>&1 &
elk_pid=$!
trap 'kill $elk_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://$elk_addr/healthz" >/dev/null && break; sleep 0.2; done

login() { # login password → the session, logged in as a browser does: the login page's token, then the form
	local jar="$work/cookies" token session
	rm -f "$jar"
	token=$(curl -s -c "$jar" "http://$elk_addr/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p')
	curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$token" -d login="$1" -d password="$2" "http://$elk_addr/login"
	session=$(awk '$6 == "elk_session" { print $7 }' "$jar")
	[ -n "$session" ] || { echo "login as $1 failed" >&2; exit 1; }
	echo "$session"
}
admin=$(login admin admin123)
manager=$(login manager manager123)
session=$(login taxi taxi123) # the last: bench/pages reads the owner's session from the jar
sms=$(curl -s -H "Cookie: elk_session=$session" "http://$elk_addr/services" | grep -o 'href="/services/[0-9]*"' | head -1 | grep -o '[0-9]*')
# An invoice's PDF, drawn here once so that wrk downloads the kept copy.
invoice=$(curl -s -H "Cookie: elk_session=$session" "http://$elk_addr/documents" | grep -o '/documents/invoices/[0-9]*/pdf' | head -1)
curl -fs -o /dev/null -H "Cookie: elk_session=$session" "http://$elk_addr$invoice"

measure() { # name url [session connections floor] → one line of the table
	local out
	out=$(wrk -t"$threads" -c"${4:-$conns}" -d"$duration" --latency -H "Cookie: elk_session=${3:-$session}" "$2")
	local rps p50 p99 bad
	rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
	p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
	p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
	bad=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")
	printf '%s %s %s %s %s %s\n' "$1" "$rps" "$p50" "$p99" "$bad" "${5:-1000}"
}

results=$(
	for tab in /company /news /services "/services/$sms" "/services/$sms/sms" /users /documents "$invoice" /transactions /monitoring /questions /tickets; do
		measure "$tab" "http://$elk_addr$tab"
	done
	measure "/admin (admin)" "http://$elk_addr/admin" "$admin" "$staff_conns" 0
	measure "/admin (manager)" "http://$elk_addr/admin" "$manager" "$staff_conns" 0
)
peak=$(awk '/VmHWM/ { printf "%d MB", $2 / 1024 }' "/proc/$elk_pid/status")
now=$(awk '/RssAnon|RssFile/ { printf "%s %d MB ", $1, $2 / 1024 }' "/proc/$elk_pid/status")

# The floor: 1,000 requests/s (none for staff pages), p99 within 100 ms (wrk prints us, ms or s), no errors.
printf '%-24s %10s %10s %10s %7s  %s\n' page "req/s" p50 p99 errors floor
awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
	{ ok = $(NF-4) >= $NF && ms($(NF-2)) <= 100 && $(NF-1) == 0; under += !ok
	  name = $1; for (i = 2; i <= NF - 5; i++) name = name " " $i
	  printf "%-24s %10.0f %10s %10s %7d  %s\n", name, $(NF-4), $(NF-3), $(NF-2), $(NF-1), ok ? "ok" : "UNDER" }
	END { exit under > 0 }' <<<"$results" || status=1
echo "ELK peak memory (RSS high-water mark): $peak; at the end $now; $(nproc) cores, wrk -t$threads -c$conns -d$duration (staff -c$staff_conns)"
exit "${status:-0}"
