#!/usr/bin/env bash
# galera.sh — a 3-node MariaDB Galera cluster on loopback under var/galera/,
# for `make galera-up/galera-down/galera-check` and `make bench-galera`
# (DESIGN.md §12). Nothing listens beyond 127.0.0.1.
#
#   scripts/galera.sh up      install galera-4 and what the state transfer
#                             needs (as root, like `make deps`), start node 1
#                             with --wsrep-new-cluster, nodes 2 and 3 joining
#                             by state transfer; wait until every node is
#                             Synced and wsrep_cluster_size = 3; create the
#                             database `settle` and the `settle` user (the
#                             password of var/secrets/db-password); write
#                             var/galera/node{1,2,3}.conf for the programs
#   scripts/galera.sh down    stop the nodes (3, 2, then 1: the last to leave
#                             is the one safe to bootstrap from next time)
#   scripts/galera.sh status  one line per node; exit 0 when all three are Synced
#   scripts/galera.sh wipe    down, then remove var/galera/
#   scripts/galera.sh start N / kill N   one node (the rejoin test)
#
# Node N: data var/galera/nodeN/data, socket var/galera/nodeN/run/mysqld.sock,
# SQL port BASE+10N, group communication BASE+10N+1, IST BASE+10N+2, SST
# (rsync) BASE+10N+3, all on 127.0.0.1; BASE is $GALERA_PORT_BASE (23300).
# --log-bin-trust-function-creators: Galera counts as binary logging, so the
# schema owner may create the ledger's triggers only with it (no SUPER).
# Small on purpose (2 shared cores): 64 MiB buffer pool, one applier thread.
#
# Why the nodes run as `mysql` when started by root: the rsync state
# transfer started as root serves the data directory as `nobody` and fails
# ("cannot stat destination"); run as the directory's owner it needs no
# uid switch (DESIGN.md §12).
#
# A node that cannot join is named with the reason, and `up` exits 69
# (a port in use, a node that exits or never becomes Synced: the last
# [ERROR] of its log) or 65 (a stale data directory: node 1 was not the last
# to leave the cluster, or a joiner's datadir is left from a crash).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
gdir=${GALERA_DIR:-$top/var/galera} # another place only for the bad-input tests
secrets="$top/var/secrets"
base=${GALERA_PORT_BASE:-23300}
provider=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
me=$(id -un)
if [ "$(id -u)" = 0 ]; then runas=mysql; else runas=$me; fi

# A failed `up` stops the nodes it started, so it leaves nothing running.
started=""
die() {
	echo "galera.sh: $1" >&2
	local n p
	for n in $started; do p=$(pid_of "$n") && kill -9 "$p" 2>/dev/null && rm -f "$(sock "$n")"; done
	exit "${2:-1}"
}

ndir() { echo "$gdir/node$1"; }
sock() { echo "$gdir/node$1/run/mysqld.sock"; }
sqlport() { echo $((base + 10 * $1)); }
gport() { echo $((base + 10 * $1 + 1)); }
istport() { echo $((base + 10 * $1 + 2)); }
sstport() { echo $((base + 10 * $1 + 3)); }

client() { mariadb --no-defaults --protocol=socket --socket="$(sock "$1")" -u root "${@:2}"; }
answers() { [ -S "$(sock "$1")" ] && client "$1" -N -e 'SELECT 1' >/dev/null 2>&1; }
wsrep() { client "$1" -N -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{ print $2 }'; }
# The pid as started (mariadbd writes its own pid file only after the state transfer).
pid_of() { local f; f="$(ndir "$1")/run/started.pid"; [ -s "$f" ] && cat "$f"; }
alive() { local p; p=$(pid_of "$1") && kill -0 "$p" 2>/dev/null; }
last_error() {
	local log; log="$(ndir "$1")/log/mariadb.err"
	grep -E '\[ERROR\]' "$log" 2>/dev/null | grep -v 'Aborting' | tail -1 | sed 's/^.*\[ERROR\] //' || true
}

[ ${#gdir} -lt 80 ] || die "var/galera path $gdir is too long for the nodes' Unix sockets; clone to a shorter path" 78

deps() {
	local p missing=""
	# rsync for the state transfer, socat and iproute2 (ss) for the wsrep_sst scripts.
	for p in galera-4 rsync socat iproute2 mariadb-server mariadb-client; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "galera.sh: installing$missing" >&2
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
			die "apt-get install$missing failed" 69
	else
		die "missing Debian packages; run: sudo apt-get update && sudo apt-get install -y$missing" 69
	fi
}

# port_free N PORT WHAT: refuse a port someone else listens on.
port_free() {
	local who
	who=$(ss -Htlnp "sport = :$2" 2>/dev/null | head -1)
	[ -z "$who" ] || die "node$1 cannot join: 127.0.0.1:$2 ($3) is already in use ($(echo "$who" |
		sed -n 's/.*users:((\("[^"]*"\).*/\1/p' | tr -d '"')); set GALERA_PORT_BASE to move the cluster" 69
}

# stale N: a data directory that cannot be started the way `up` is about to.
stale() {
	local n=$1 d; d="$(ndir "$1")/data"
	[ -f "$d/grastate.dat" ] || return 0
	if [ "$n" = 1 ] && [ -d "$d/mysql" ] && grep -q '^safe_to_bootstrap: *0' "$d/grastate.dat"; then
		die "node1 cannot bootstrap: its data directory $d is stale (grastate.dat safe_to_bootstrap: 0 — it was not the last node to leave the cluster, another may hold newer commits); start from the node that left last, or \`scripts/galera.sh wipe\`" 65
	fi
	if [ -f "$d/wsrep_recovery.fail" ] || { [ -d "$d/mysql" ] && ! [ -f "$d/ibdata1" ]; }; then
		die "node$n cannot join: its data directory $d is stale (left half-written by an interrupted state transfer); \`scripts/galera.sh wipe\`" 65
	fi
}

start_node() {
	local n=$1 d log cluster opts extra=()
	d=$(ndir "$n")
	log="$d/log/mariadb.err"
	port_free "$n" "$(sqlport "$n")" "SQL port"
	port_free "$n" "$(gport "$n")" "wsrep group communication"
	port_free "$n" "$(istport "$n")" "IST receive"
	port_free "$n" "$(sstport "$n")" "SST receive"
	stale "$n"
	mkdir -p "$d/data" "$d/run" "$d/log" "$d/tmp"
	if [ "$n" = 1 ] && [ ! -d "$d/data/mysql" ]; then
		chown -R "$runas" "$d"
		mariadb-install-db --no-defaults --datadir="$d/data" --user="$runas" \
			--auth-root-authentication-method=socket --skip-test-db >"$d/log/install-db.log" 2>&1 ||
			die "node1: mariadb-install-db failed; see $d/log/install-db.log" 70
	fi
	chown -R "$runas" "$d"
	[ "$n" = 1 ] && extra+=(--wsrep-new-cluster)
	cluster="gcomm://127.0.0.1:$(gport 1),127.0.0.1:$(gport 2),127.0.0.1:$(gport 3)"
	opts="gmcast.listen_addr=tcp://127.0.0.1:$(gport "$n");ist.recv_addr=127.0.0.1:$(istport "$n")"
	opts="$opts;gcache.size=${GALERA_GCACHE:-256M};gcs.fc_limit=64;evs.suspect_timeout=PT5S;evs.inactive_timeout=PT10S"
	: >"$log.start"
	# Appended, not truncated: an earlier attempt's reason stays readable.
	echo "--- galera.sh up node$n $(date -u +%FT%TZ)" >>"$log"
	chown "$runas" "$log" "$log.start"
	nohup mariadbd --no-defaults --datadir="$d/data" --socket="$(sock "$n")" \
		--pid-file="$d/run/mysqld.pid" --user="$runas" --tmpdir="$d/tmp" --log-error="$log" \
		--bind-address=127.0.0.1 --port="$(sqlport "$n")" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci --default-time-zone=+00:00 \
		--innodb-buffer-pool-size=64M --innodb-log-file-size=64M --innodb-flush-log-at-trx-commit=2 \
		--innodb-lock-wait-timeout=10 --max-connections=200 --performance-schema=OFF \
		--binlog-format=ROW --innodb-autoinc-lock-mode=2 --log-bin-trust-function-creators=1 --default-storage-engine=InnoDB \
		--wsrep-on=ON --wsrep-provider="$provider" --wsrep-cluster-name=settle-galera \
		--wsrep-cluster-address="$cluster" --wsrep-node-name="node$n" \
		--wsrep-node-address="127.0.0.1:$(gport "$n")" --wsrep-node-incoming-address="127.0.0.1:$(sqlport "$n")" \
		--wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$(sstport "$n")" \
		--wsrep-provider-options="$opts" --wsrep-slave-threads=1 \
		"${extra[@]}" </dev/null >/dev/null 2>&1 &
	echo $! >"$d/run/started.pid"
	started="$started $n"
}

# wait_synced N SECONDS: the node answers and is Synced (it counts in the
# cluster size before its state transfer has finished, so the size alone
# says nothing).
wait_synced() {
	local n=$1 i state=""
	for i in $(seq 1 $((${2:-120} * 4))); do
		if answers "$n"; then
			state=$(wsrep "$n" wsrep_local_state_comment)
			[ "$state" = Synced ] && return 0
		elif [ "$i" -gt 8 ] && ! alive "$n"; then
			die "node$n cannot join: mariadbd exited: $(last_error "$n") (see $(ndir "$n")/log/mariadb.err)" 69
		fi
		sleep 0.25
	done
	die "node$n cannot join: not Synced after ${2:-120} s (state ${state:-not answering}): $(last_error "$n") (see $(ndir "$n")/log/mariadb.err)" 69
}

write_conf() {
	local n=$1 f="$gdir/node$1.conf"
	cat >"$f.tmp" <<-CONF
		; written by scripts/galera.sh: node $n of the loopback Galera cluster
		[database]
		socket = $(sock "$n")
		user = settle
		password_file = $secrets/db-password
		name = settle

		[crypto]
		data_key_file = $secrets/data-key
	CONF
	mv "$f.tmp" "$f"
}

up() {
	local n pw
	deps
	mkdir -p "$gdir" "$secrets"
	chmod 700 "$secrets"
	for f in db-password data-key; do
		[ -s "$secrets/$f" ] && continue
		(umask 077; head -c $([ "$f" = data-key ] && echo 32 || echo 24) /dev/urandom | od -An -tx1 |
			tr -d ' \n' >"$secrets/$f")
	done
	if ! answers 1; then
		start_node 1
		wait_synced 1 60
	fi
	for n in 2 3; do
		answers "$n" && continue
		start_node "$n"
		wait_synced "$n" 180
	done
	for n in 1 2 3; do wait_synced "$n" 60; done
	n=$(wsrep 1 wsrep_cluster_size)
	[ "$n" = 3 ] || die "wsrep_cluster_size is ${n:-unknown} on node1, not 3: a node joined another cluster" 69
	pw=$(cat "$secrets/db-password")
	client 1 <<-SQL
		CREATE DATABASE IF NOT EXISTS settle CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'settle'@'localhost' IDENTIFIED BY '$pw';
		ALTER USER 'settle'@'localhost' IDENTIFIED BY '$pw';
		GRANT ALL PRIVILEGES ON \`settle%\`.* TO 'settle'@'localhost' WITH GRANT OPTION;
		GRANT CREATE USER ON *.* TO 'settle'@'localhost';
	SQL
	for n in 1 2 3; do write_conf "$n"; done
	echo "galera: 3 nodes Synced, wsrep_cluster_size 3 (sockets var/galera/node{1,2,3}/run/mysqld.sock, configs var/galera/node{1,2,3}.conf)"
}

stop_node() {
	local n=$1 p
	p=$(pid_of "$n") || return 0
	kill "$p" 2>/dev/null || return 0
	for _ in $(seq 1 600); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.1
	done
	die "node$n (pid $p) did not stop within 60 s"
}

down() {
	local n
	for n in 3 2 1; do stop_node "$n"; done
}

status() {
	local n ok=0
	for n in 1 2 3; do
		if answers "$n"; then
			echo "node$n: $(wsrep "$n" wsrep_local_state_comment), cluster size $(wsrep "$n" wsrep_cluster_size)"
			[ "$(wsrep "$n" wsrep_local_state_comment)" = Synced ] || ok=1
		else
			echo "node$n: down"
			ok=1
		fi
	done
	return $ok
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
wipe) down; rm -rf "$gdir" ;;
start) [[ "${2:-}" =~ ^[1-3]$ ]] || die "usage: galera.sh start 1|2|3" 64
	answers "$2" || { start_node "$2"; wait_synced "$2" 300; } ;;
kill) [[ "${2:-}" =~ ^[1-3]$ ]] || die "usage: galera.sh kill 1|2|3" 64
	if p=$(pid_of "$2"); then
		kill -9 "$p" 2>/dev/null || true
		while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
		rm -f "$(sock "$2")"
	fi ;;
*) die "usage: galera.sh up|down|status|wipe|start N|kill N" 64 ;;
esac
