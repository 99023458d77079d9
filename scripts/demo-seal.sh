#!/usr/bin/env bash
# demo-seal.sh BUILD — the sealed ledger, run by demo.sh before the final
# ledger check with SETTLE_CONFIG pointing at var/demo.conf: every entry the
# demo wrote carries its hash; ledger-seal seals them into the chain (as the
# check role), prints the head digest for an auditor, and ledger-check
# proves the ledger extends it; a digest from elsewhere is refused.
set -euo pipefail

. "$(dirname "$0")/demo-lib.sh" "$@"

step "sealed ledger: every entry's hash, sealed into a chain of blocks (ledger-seal)"
show "SELECT id, entry_key, LEFT(hash, 16) AS hash FROM journal_entries ORDER BY id DESC LIMIT 3"
run "$bin/ledger-seal"
run "$bin/ledger-seal"
show "SELECT height, entries, first_entry_id, last_entry_id, LEFT(prev_hash, 12) AS prev, LEFT(merkle_root, 12) AS root, LEFT(hash, 12) AS hash FROM seal_blocks ORDER BY height"
printf '$ %s\n' "$bin/ledger-seal --digest"
digest=$("$bin/ledger-seal" --digest)
echo "$digest"
run "$bin/ledger-check" --seals --digest "$digest"
step "a digest the ledger does not extend is named (exit 65)"
expect 65 "$bin/ledger-check" -q --digest "${digest%%:*}:$(printf 'f%.0s' $(seq 64))"
