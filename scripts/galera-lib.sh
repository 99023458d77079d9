# galera-lib.sh — what galera-check.sh and bench-galera.sh share: a SQL
# client, a config and a fresh database on a target (p: the private server of
# scripts/db.sh; 1, 2, 3: a node of scripts/galera.sh), the 100 k-style world
# of scripts/bench-settlement-gen.sql, and the digest the runs are compared by.
# Sourced with the build directory as $1.
build=${1:-build}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bin="$top/$build/bin"
run_dir="$top/var/galera/run"
mkdir -p "$run_dir"
pw() { cat "$top/var/secrets/db-password"; }

sock_of() { if [ "$1" = p ]; then echo "$top/var/run/mysqld.sock"; else echo "$top/var/galera/node$1/run/mysqld.sock"; fi; }
# tsql T [mariadb args…]: the schema owner on target T.
tsql() { MYSQL_PWD="$(pw)" mariadb --no-defaults -S "$(sock_of "$1")" -u settle "${@:2}"; }

# tconf T DB: a config for the programs on database DB of target T (the
# bulk-transfer outbox is per database: the files are the same wherever the
# payouts were claimed).
tconf() {
	local f="$run_dir/$1-$2.conf" src
	if [ "$1" = p ]; then src="$top/var/settle.conf"; else src="$top/var/galera/node$1.conf"; fi
	mkdir -p -m 700 "$run_dir/outbox-$2"
	sed "s/^name = .*/name = $2/" "$src" | sed '/^\[grants\]/,$d' >"$f"
	printf '\n[escrow]\nhold_days = 7\n\n[payout]\nchannel = bulk-file\n\n[bulk-file]\noutbox_dir = %s\n' \
		"$run_dir/outbox-$2" >>"$f"
	echo "$f"
}

# world T DB N: DB on target T migrated anew with N captured payments whose
# pods completed 10 days ago (the escrows ready to release).
world() {
	local t=$1 db=$2 n=$3 enc c
	tsql "$t" -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	rm -rf "$run_dir/outbox-$db"
	c=$(tconf "$t" "$db")
	SETTLE_CONFIG=$c "$bin/settle-db" -q migrate || return 1
	SETTLE_CONFIG=$c "$bin/settle-db" -q load-leaders fixtures/leaders.csv || return 1
	enc=$(tsql "$t" -N "$db" -e "SELECT HEX(account_enc) FROM leaders WHERE account_enc IS NOT NULL ORDER BY id LIMIT 1")
	tsql "$t" "$db" -e "DELETE FROM leaders"
	{ echo "SET @n = $n, @enc = UNHEX('$enc');"; cat scripts/bench-settlement-gen.sql; } | tsql "$t" "$db" || return 1
}

# digest T DB: what every run must agree on (scripts/settlement-digest.sql,
# shared with scripts/bench-settlement.sh).
digest() { tsql "$1" -N "$2" <"$top/scripts/settlement-digest.sql"; }

# same LABEL T1 DB1 T2 DB2: the two digests agree (prints them), else 1.
same() {
	if diff <(digest "$2" "$3") <(digest "$4" "$5") >"$run_dir/diff" 2>&1; then
		echo "  ok   $1: same ($(digest "$2" "$3" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }'))"
	else
		echo "  FAIL $1: DIFFERENT"
		sed 's/^/      /' "$run_dir/diff"
		return 1
	fi
}

# retries LOG…: the 1213/1205 retries the programs logged (db.retries).
retries() {
	cat "$@" 2>/dev/null | sed -n 's/.*event="\{0,1\}db\.retries"\{0,1\} count="\{0,1\}\([0-9]*\).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

secs() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }
