#!/usr/bin/env bash
# bench.sh: seed the scale data into a fresh SQLite file, serve it with rate
# limits off, drive the branch roster and person lookup queries with
# bin/loadgen, and write the table to $BENCH_OUT. make bench runs it from
# the repository's root after building bin/registry and bin/loadgen.
#
# Environment: BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_CONNS (32),
# BENCH_OUT (cmd/loadgen/results.md).
set -euo pipefail

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
conns=${BENCH_CONNS:-32}
out=${BENCH_OUT:-cmd/loadgen/results.md}

tmp=$(mktemp -d)
server=
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

db=$tmp/bench.db
echo "bench: seeding the scale data into $db"
bin/registry seed scale -db "$db" >/dev/null
token=$(bin/registry token create -db "$db" -account bench -role ADMIN -label bench)

# The academic branches' global IDs: base64url of "Organization:<id>",
# unpadded, as graph.GlobalID writes them.
branches=$(sqlite3 "$db" "SELECT id FROM organizations WHERE kind = 'ACADEMIC_BRANCH' ORDER BY id" |
	while read -r id; do printf 'Organization:%s' "$id" | base64 | tr '+/' '-_' | tr -d '=\n'; printf ','; done)
if [ -z "$branches" ]; then echo "bench: the seed has no academic branch" >&2; exit 1; fi
# Member numbers spread over the 20,000 people.
numbers=$(seq 37 97 20000 | xargs printf 'M%06d,')

# A free local port: the first one nothing answers on.
port=18080
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
url=http://127.0.0.1:$port

REGISTRY_RATE_LIMIT=false bin/registry serve -db "$db" -addr "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
	if curl -fsS "$url/healthz" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/server.log" >&2; exit 1; fi
	sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null || { echo "bench: the server never became healthy" >&2; cat "$tmp/server.log" >&2; exit 1; }

load() { # name query-file vars [loadgen flags...]
	local name=$1 query=$2 vars=$3
	shift 3
	bin/loadgen -url "$url/graphql" -token "$token" -c "$conns" -d "$duration" -warmup "$warmup" \
		-database sqlite -name "$name" -query-file "$query" -vars "$vars" "$@"
}

echo "bench: driving 127.0.0.1:$port, $conns connections, ${duration} per query after ${warmup} warm-up"
roster=$(load "branch roster" graph/testdata/branch-roster.graphql '{"id":"$branch","n":100}' -branches "$branches" -header)
person=$(load "person by member number" cmd/loadgen/person.graphql '{"number":"$number"}' -numbers "$numbers")
rss=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$server/status" 2>/dev/null || echo unknown)

mkdir -p "$(dirname "$out")"
{
	echo "# make bench"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sm), $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)), $(go version | cut -d' ' -f3)."
	echo "Scale data (registry seed scale), fresh SQLite file, rate limits off; ${conns} connections, ${duration} measured per query after ${warmup} warm-up."
	echo
	echo "$roster"
	echo "$person"
	echo
	echo "Server peak resident memory (VmHWM): $rss."
} >"$out"
cat "$out"
echo "bench: table written to $out"
