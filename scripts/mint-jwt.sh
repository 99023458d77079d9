#!/usr/bin/env bash
# mint-jwt.sh — bearer tokens for settle-apid's demo and benchmark, made
# with openssl alone (the platform's auth server makes the real ones).
#
#   scripts/mint-jwt.sh hs256 SECRET_FILE KID SUB ROLE ISS AUD [TTL_S]
#   scripts/mint-jwt.sh rs256 PRIVATE_KEY_FILE KID SUB ROLE ISS AUD [TTL_S]
#
# Prints one token. Sourced, it defines mint_jwt with the same arguments.
set -euo pipefail

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

mint_jwt() {
	local alg=$1 key=$2 kid=$3 sub=$4 role=$5 iss=$6 aud=$7 ttl=${8:-3600} now head body sig
	now=$(date +%s)
	case $alg in
	hs256) head=$(printf '{"alg":"HS256","typ":"JWT","kid":"%s"}' "$kid" | b64url) ;;
	rs256) head=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$kid" | b64url) ;;
	*) echo "mint-jwt: hs256 or rs256, not $alg" >&2; return 64 ;;
	esac
	body=$(printf '{"iss":"%s","aud":"%s","sub":"%s","role":"%s","iat":%d,"nbf":%d,"exp":%d}' \
		"$iss" "$aud" "$sub" "$role" "$now" "$((now - 5))" "$((now + ttl))" | b64url)
	if [ "$alg" = hs256 ]; then
		sig=$(printf '%s.%s' "$head" "$body" | openssl dgst -sha256 -mac HMAC -macopt "key:$(cat "$key")" -binary | b64url)
	else
		sig=$(printf '%s.%s' "$head" "$body" | openssl dgst -sha256 -sign "$key" -binary | b64url)
	fi
	printf '%s.%s.%s\n' "$head" "$body" "$sig"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	[ $# -ge 7 ] || { echo "usage: mint-jwt.sh hs256|rs256 KEY_FILE KID SUB ROLE ISS AUD [TTL_S]" >&2; exit 64; }
	mint_jwt "$@"
fi
