#!/usr/bin/env bash
# bench.sh: seed the scale data into a fresh SQLite file (and a fresh
# PostgreSQL database when BENCH_POSTGRES names a server), serve each with
# the registry (rate limits off) and with the floor (cmd/loadgen/floor: the
# same answers from hand-written SQL), optionally start the PostGraphile
# peer, and drive the branch roster and the person lookup with bin/loadgen,
# alternating the servers query by query. Writes the table, the ratios and
# each server's peak memory to $BENCH_OUT. make bench runs it from the
# repository's root after building bin/registry, bin/floor and bin/loadgen.
#
# Environment:
#   BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_CONNS (32), BENCH_ROUNDS (1)
#   BENCH_OUT (cmd/loadgen/results.md)
#   BENCH_POSTGRES  a postgres:// URL of a role allowed to CREATE DATABASE:
#                   the registry and the floor are measured on PostgreSQL too,
#                   in a database made for the run and dropped after it
#   BENCH_PEER=1    also measure the PostGraphile peer (needs BENCH_POSTGRES
#                   on this machine's PostgreSQL 15, node and npm, root):
#                   BENCH_PEER_DIR (../shared/peers/postgraphile) is copied to
#                   BENCH_PEER_WORK (${TMPDIR:-/tmp}/registry-bench-peer),
#                   whose run.sh installs PostGraphile from npm once and loads
#                   its database; this script serves and drives it
set -euo pipefail

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
conns=${BENCH_CONNS:-32}
rounds=${BENCH_ROUNDS:-1}
out=${BENCH_OUT:-cmd/loadgen/results.md}
postgres=${BENCH_POSTGRES:-}
peer=${BENCH_PEER:-0}
peer_dir=${BENCH_PEER_DIR:-../shared/peers/postgraphile}
peer_work=${BENCH_PEER_WORK:-${TMPDIR:-/tmp}/registry-bench-peer}

need() { # command why
	command -v "$1" >/dev/null || { echo "bench: $1 is missing ($2); nothing was installed" >&2; exit 1; }
}
need sqlite3 "apt-get install sqlite3"
need curl "apt-get install curl"
if [ -n "$postgres" ]; then need psql "apt-get install postgresql-client"; fi
if [ "$peer" = 1 ]; then
	[ -n "$postgres" ] || { echo "bench: BENCH_PEER=1 needs BENCH_POSTGRES (the peer runs on the same PostgreSQL)" >&2; exit 1; }
	[ -x "$peer_dir/run.sh" ] || { echo "bench: no peer at $peer_dir (set BENCH_PEER_DIR)" >&2; exit 1; }
	need node "apt-get install nodejs npm"
	need npm "apt-get install npm"
fi

tmp=$(mktemp -d)
servers=()     # "name|database|pid|url" of each server started
pgname=
cleanup() {
	local s pid
	for s in "${servers[@]}"; do
		pid=$(cut -d'|' -f3 <<<"$s")
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ -n "$pgname" ]; then psql "$postgres" -qXc "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null 2>&1 || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# A free local port: the first from $1 on that nothing answers on.
free_port() {
	local port=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
	echo "$port"
}

# start NAME DATABASE HEALTH-PATH COMMAND...: start a server on $port in the
# background and wait until HEALTH-PATH answers.
start() {
	local name=$1 database=$2 health=$3
	shift 3
	"$@" >"$tmp/$name-$database.log" 2>&1 &
	local pid=$!
	for _ in $(seq 1 600); do
		if curl -fsS "http://127.0.0.1:$port$health" >/dev/null 2>&1; then
			servers+=("$name|$database|$pid|http://127.0.0.1:$port")
			return
		fi
		if ! kill -0 "$pid" 2>/dev/null; then cat "$tmp/$name-$database.log" >&2; exit 1; fi
		sleep 0.1
	done
	echo "bench: $name on $database never became healthy" >&2
	cat "$tmp/$name-$database.log" >&2
	exit 1
}

# global_ids: the academic branches' global IDs, base64url of
# "Organization:<id>" unpadded as graph.GlobalID writes them, from ids on
# stdin.
global_ids() {
	while read -r id; do printf 'Organization:%s' "$id" | base64 | tr '+/' '-_' | tr -d '=\n'; printf ','; done
}
branch_sql="SELECT id FROM organizations WHERE kind = 'ACADEMIC_BRANCH' ORDER BY id"
# Member numbers spread over the 20,000 people.
numbers=$(seq 37 97 20000 | xargs printf 'M%06d,')

# serve_registry DATABASE DSN: seed, make a token, start the registry and
# the floor on DSN.
declare -A token branches
serve_registry() {
	local database=$1 dsn=$2
	echo "bench: seeding the scale data into $database"
	bin/registry seed scale -db "$dsn" >/dev/null
	# Statistics for the planner, as the peer's loader gathers them
	# (autovacuum would, some time after a load this size).
	if [ "$database" = postgres ]; then psql "$dsn" -qXc ANALYZE 2>/dev/null; fi
	token[$database]=$(bin/registry token create -db "$dsn" -account bench -role ADMIN -label bench)
	if [ "$database" = sqlite ]; then
		branches[$database]=$(sqlite3 "$dsn" "$branch_sql" | global_ids)
	else
		branches[$database]=$(psql "$dsn" -AtXc "$branch_sql" | global_ids)
	fi
	if [ -z "${branches[$database]}" ]; then echo "bench: the seed has no academic branch" >&2; exit 1; fi
	port=$(free_port 18080)
	start registry "$database" /healthz env REGISTRY_RATE_LIMIT=false bin/registry serve -db "$dsn" -addr "127.0.0.1:$port"
	port=$(free_port 18180)
	start floor "$database" /healthz bin/floor -db "$dsn" -addr "127.0.0.1:$port"
}

serve_registry sqlite "$tmp/bench.db"
if [ -n "$postgres" ]; then
	pgname=registry_bench_$$
	psql "$postgres" -qXc "CREATE DATABASE $pgname" >/dev/null
	base=${postgres%%\?*}
	serve_registry postgres "${base%/*}/$pgname${postgres#"$base"}"
fi
if [ "$peer" = 1 ]; then
	echo "bench: the peer: copying $peer_dir to $peer_work; its run.sh installs PostGraphile from npm if $peer_work/node_modules is missing, and loads its database"
	mkdir -p "$peer_work"
	cp -r "$peer_dir/." "$peer_work/"
	chmod -R u+w "$peer_work"
	# QUERIES="" makes run.sh install, start PostgreSQL and load, and
	# measure nothing: this script measures.
	(cd "$peer_work" && QUERIES="" RESULTS_DIR="$tmp/peer-results" ./run.sh >"$tmp/peer-load.log" 2>&1) ||
		{ cat "$tmp/peer-load.log" >&2; exit 1; }
	port=$(free_port 5055)
	# As run.sh starts it: production mode, no GraphiQL, no query log.
	(cd "$peer_work" && NODE_ENV=production exec node node_modules/postgraphile/cli.js \
		--append-plugins @graphile-contrib/pg-order-by-related \
		--connection postgres://peer_bench:peer_bench@127.0.0.1:5432/peer_registry --schema registry \
		--host 127.0.0.1 --port "$port" --disable-graphiql --disable-query-log --no-ignore-rbac) >"$tmp/peer.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 300); do
		curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"query":"{__typename}"}' "http://127.0.0.1:$port/graphql" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || { cat "$tmp/peer.log" >&2; exit 1; }
		sleep 0.2
	done
	servers+=("postgraphile|postgres|$pid|http://127.0.0.1:$port")
fi

# drive QUERY SERVER DATABASE PID URL [loadgen flags...]: one loadgen
# window, one table row.
drive() {
	local query=$1 name=$2 database=$3 pid=$4 url=$5
	shift 5
	local args=("$@" -url "$url/graphql" -c "$conns" -d "$duration" -warmup "$warmup"
		-name "$query" -server "$name" -database "$database" -pids "$pid")
	[ "$database" = postgres ] && args+=(-postgres)
	case $name in
	registry) args+=(-token "${token[$database]}" -metrics "$url/metrics") ;;
	floor) args+=(-metrics "$url/metrics") ;;
	esac
	case $name:$query in
	postgraphile:roster) args+=(-query-file "$peer_work/query.graphql" -vars '{"id":"$branch:int"}' -branches "$(seq -s, 4 43)") ;;
	postgraphile:person) args+=(-query-file "$peer_work/query-person.graphql" -vars '{"memberNo":"$number"}' -numbers "$numbers") ;;
	*:roster) args+=(-query-file graph/testdata/branch-roster.graphql -vars '{"id":"$branch","n":100}' -branches "${branches[$database]}") ;;
	*:person) args+=(-query-file cmd/loadgen/person.graphql -vars '{"number":"$number"}' -numbers "$numbers") ;;
	esac
	bin/loadgen "${args[@]}"
}

echo "bench: ${#servers[@]} servers, $conns connections, ${duration} per query and server after ${warmup} warm-up, $rounds round(s)"
rows=$tmp/rows
: >"$rows"
for round in $(seq 1 "$rounds"); do
	for query in roster person; do
		for s in "${servers[@]}"; do
			IFS='|' read -r name database pid url <<<"$s"
			if [ ! -s "$tmp/header" ]; then
				drive "$query" "$name" "$database" "$pid" "$url" -header >"$tmp/first"
				head -n2 "$tmp/first" >"$tmp/header"
				cat "$tmp/header"
				row=$(tail -n1 "$tmp/first")
			else
				row=$(drive "$query" "$name" "$database" "$pid" "$url")
			fi
			echo "$row"
			echo "$round $row" >>"$rows"
		done
	done
done

# ratios ROWS: per query and database, round by round, the registry's
# processor time per request over the floor's, and its throughput over
# the floor's and the peer's.
ratios() {
	awk -F'|' '
	{ split($1, f1, " "); round = f1[1]; q = $2; s = $3; d = $4; gsub(/ /, "", q); gsub(/ /, "", s); gsub(/ /, "", d)
	  rps[round, q, s, d] = $6 + 0; cpu[round, q, s, d] = $14 + 0; keys[q "|" d] = 1; if (round > last) last = round }
	END {
	  print "| query | database | CPU per request, registry ÷ floor (each round) | requests/s, registry ÷ floor | requests/s, registry ÷ PostGraphile |"
	  print "|---|---|---:|---:|---:|"
	  for (k in keys) {
	    split(k, a, "|"); q = a[1]; d = a[2]; c = ""; f = ""; p = ""
	    for (r = 1; r <= last; r++) {
	      if (cpu[r, q, "floor", d] > 0) c = c sep(c) sprintf("%.2f", cpu[r, q, "registry", d] / cpu[r, q, "floor", d])
	      if (rps[r, q, "registry", d] > 0) f = f sep(f) sprintf("%.2f", rps[r, q, "floor", d] ? rps[r, q, "registry", d] / rps[r, q, "floor", d] : 0)
	      if (rps[r, q, "postgraphile", d] > 0) p = p sep(p) sprintf("%.2f", rps[r, q, "registry", d] / rps[r, q, "postgraphile", d])
	    }
	    printf "| %s | %s | %s | %s | %s |\n", q, d, c == "" ? "n/a" : c, f == "" ? "n/a" : f, p == "" ? "n/a" : p
	  }
	}
	function sep(s) { return s == "" ? "" : ", " }' "$1" | { read -r h1; read -r h2; echo "$h1"; echo "$h2"; sort; }
}

mkdir -p "$(dirname "$out")"
{
	echo "# make bench"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -sm), $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)), $(go version | cut -d' ' -f3)."
	echo "Scale data (registry seed scale: 20,000 people, 40 branches, three terms each) in a fresh SQLite file$([ -n "$postgres" ] && echo " and a fresh PostgreSQL $(psql "$postgres" -AtXc 'SHOW server_version' | cut -d' ' -f1) database");"
	echo "rate limits off; ${conns} connections, ${duration} measured per query and server after ${warmup} warm-up; $rounds round(s), the servers alternating query by query."
	echo "The load generator runs on the same 2 cores. The machine is shared: compare ratios within one run."
	echo
	echo "registry: bin/registry serve. floor: bin/floor, the same answers from hand-written SQL (3 statements a roster, 1 a person) with the JSON written directly."
	[ "$peer" = 1 ] && echo "postgraphile: the peer ($peer_dir), PostGraphile $(node -p 'require(process.argv[1] + "/node_modules/postgraphile/package.json").version' "$peer_work") on its own copy of the data, its own spelling of the two queries."
	echo "SQL/request: from the server's sql_statements_total. CPU ms/request: the server process's processor time, plus every postgres process's on PostgreSQL."
	echo
	cat "$tmp/header"
	cut -d' ' -f2- "$rows"
	echo
	ratios "$rows"
	echo
	echo "Peak resident memory (VmHWM) over the whole run:"
	echo
	for s in "${servers[@]}"; do
		IFS='|' read -r name database pid url <<<"$s"
		echo "- $name on $database: $(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo unknown)"
	done
} >"$out"
cat "$out"
echo "bench: table written to $out"
