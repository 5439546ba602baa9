#!/bin/sh
# test_h2dump.sh: runs h2dump --json over corpora/h2/frames/ and a few crafted
# inputs and checks key fields. Run from the repository root; the binary is
# $H2DUMP (default build/bin/h2dump). Prints "N passed, N failed".
H2DUMP=${H2DUMP:-build/bin/h2dump}
FRAMES=${FRAMES:-corpora/h2/frames}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# check NAME FILE PATTERN...: every fixed-string PATTERN occurs in FILE
check() {
    name=$1; file=$2; shift 2
    for pat in "$@"; do
        if grep -qF -- "$pat" "$file"; then ok; else bad "$name: missing $pat"; fi
    done
}

# status NAME WANT GOT
status() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: exit $3, want $2"; fi
}

if [ ! -x "$H2DUMP" ]; then
    echo "FAIL: $H2DUMP not built" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# --- the corpus ---
"$H2DUMP" --json "$FRAMES/all-types.bin" >"$tmp/all.json"
status all-types 0 $?
for t in DATA HEADERS PRIORITY RST_STREAM SETTINGS PUSH_PROMISE PING GOAWAY WINDOW_UPDATE CONTINUATION; do
    check all-types "$tmp/all.json" "{\"type\":\"$t\""
done
check all-types "$tmp/all.json" \
    '"settings":[[1,4096],[2,1],[5,16384]]' \
    '"pad_length":3,"exclusive":true,"stream_dependency":0,"weight":32' \
    '"headers":[[":method","GET"],[":scheme","https"],[":path","/index.html"],[":authority","www.example.com"],["custom-key","custom-value"]]' \
    '"pad_length":7,"data":"68656c6c6f20776f726c64"' \
    '"error_code":8,"error_name":"CANCEL"' \
    '"type":"UNKNOWN","type_code":10' \
    '"promised_stream_id":2,"headers":[[":status","200"]]' \
    '"opaque":"70696e67706f6e67"' \
    '"increment":65535' \
    '"last_stream_id":3,"error_code":0,"error_name":"NO_ERROR","debug_data":"646f6e65"'
n=$(wc -l <"$tmp/all.json")
status all-types-lines 15 "$n"

"$H2DUMP" --json --preface "$FRAMES/preface-get.bin" >"$tmp/pre.json"
status preface 0 $?
check preface "$tmp/pre.json" '"settings":[[2,0],[4,1048576]]' '"increment":983041' \
    '"type":"HEADERS","flags":5,"stream_id":1' '[":authority","example.org"]'
# without --preface the preface is garbage
"$H2DUMP" --json "$FRAMES/preface-get.bin" >"$tmp/nopre.json"
status no-preface 1 $?
check no-preface "$tmp/nopre.json" '"error":'

"$H2DUMP" --json "$FRAMES/requests-c3.bin" >"$tmp/c3.json"
status requests-c3 0 $?
check requests-c3 "$tmp/c3.json" '["cache-control","no-cache"]' '[":method","POST"]' \
    '"data":"613d3126623d223222"'

"$H2DUMP" --json <"$FRAMES/responses-c6.bin" >"$tmp/c6.json"
status responses-c6-stdin 0 $?
check responses-c6 "$tmp/c6.json" \
    '["set-cookie","foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"]' \
    '["date","Mon, 21 Oct 2013 20:13:21 GMT"]' '"error_code":7,"error_name":"REFUSED_STREAM"' '"pad_length":10'

"$H2DUMP" --json "$FRAMES/ping-goaway.bin" >"$tmp/pg.json"
status ping-goaway 0 $?
check ping-goaway "$tmp/pg.json" '"type":"PING","flags":1' '"error_code":11,"error_name":"ENHANCE_YOUR_CALM"' \
    '"debug_data":"63616c6d20646f776e"' '"type_code":240,"flags":0,"stream_id":0,"length":3,"payload":"78797a"'

"$H2DUMP" --json "$FRAMES/push-continuation.bin" >"$tmp/pp.json"
status push-continuation 0 $?
check push-continuation "$tmp/pp.json" '"pad_length":5,"promised_stream_id":2' \
    '"type":"CONTINUATION","flags":4' '[":path","/style.css"]' '"weight":256'

# text mode works on every file
for f in "$FRAMES"/*.bin; do
    case $f in *preface*) opt=--preface ;; *) opt= ;; esac
    if "$H2DUMP" $opt "$f" >/dev/null; then ok; else bad "text mode on $f"; fi
done

# --- errors: one object each, with the RFC section as "reason" ---
# PING on stream 1: connection PROTOCOL_ERROR (§6.7)
printf '\000\000\010\006\000\000\000\000\001abcdefgh' >"$tmp/e1"
"$H2DUMP" --json "$tmp/e1" >"$tmp/e1.json"
status ping-stream 1 $?
check ping-stream "$tmp/e1.json" \
    '{"error":"PROTOCOL_ERROR","error_code":1,"scope":"connection","stream_id":1,"reason":"RFC 9113 §6.7: '
"$H2DUMP" "$tmp/e1" >"$tmp/e1.txt"
check ping-stream-text "$tmp/e1.txt" 'error PROTOCOL_ERROR scope=connection stream_id=1 (RFC 9113 §6.7: '
# CONTINUATION without HEADERS
printf '\000\000\001\011\004\000\000\000\001\202' >"$tmp/e4"
"$H2DUMP" --json "$tmp/e4" >"$tmp/e4.json"
status lone-continuation 1 $?
check lone-continuation "$tmp/e4.json" '{"error":"PROTOCOL_ERROR","error_code":1,"scope":"connection","stream_id":1,"reason":"RFC 9113 §6.10: '
# bad HPACK index: COMPRESSION_ERROR
printf '\000\000\001\001\004\000\000\000\001\376' >"$tmp/e5"
"$H2DUMP" --json "$tmp/e5" >"$tmp/e5.json"
status hpack-index 1 $?
check hpack-index "$tmp/e5.json" '{"error":"COMPRESSION_ERROR","error_code":9,"scope":"connection","stream_id":1,"reason":"RFC 9113 §4.3: '

# --- stream errors (§5.4.2) are reported and the dump goes on ---
# PRIORITY of length 4 on stream 3, WINDOW_UPDATE of 0 on stream 5, then a PING
printf '\000\000\004\002\000\000\000\000\003\000\000\000\001' >"$tmp/se"
printf '\000\000\004\010\000\000\000\000\005\000\000\000\000' >>"$tmp/se"
printf '\000\000\010\006\000\000\000\000\000abcdefgh' >>"$tmp/se"
"$H2DUMP" --json "$tmp/se" >"$tmp/se.json"
status stream-errors 1 $?
check stream-errors "$tmp/se.json" \
    '{"error":"FRAME_SIZE_ERROR","error_code":6,"scope":"stream","stream_id":3,"reason":"RFC 9113 §6.3: ' \
    '{"error":"PROTOCOL_ERROR","error_code":1,"scope":"stream","stream_id":5,"reason":"RFC 9113 §6.9: ' \
    '{"type":"PING","flags":0,"stream_id":0,"length":8,"opaque":"6162636465666768"}'
status stream-errors-lines 3 "$(wc -l <"$tmp/se.json")"
# a connection error ends it: WINDOW_UPDATE of 0 on stream 0, then the PING
printf '\000\000\004\010\000\000\000\000\000\000\000\000\000\000\000\010\006\000\000\000\000\000abcdefgh' >"$tmp/ce"
"$H2DUMP" --json "$tmp/ce" >"$tmp/ce.json"
status connection-error-final 1 $?
status connection-error-lines 1 "$(wc -l <"$tmp/ce.json")"

# --- input that ends early: a TRUNCATED object, exit 1 ---
# truncate NAME WANT-REASON OPTS: feeds $tmp/t
truncated() {
    name=$1; want=$2; shift 2
    "$H2DUMP" --json "$@" "$tmp/t" >"$tmp/$name.json" 2>"$tmp/$name.err"
    status "$name" 1 $?
    check "$name" "$tmp/$name.json" "{\"error\":\"TRUNCATED\",\"scope\":\"input\",\"reason\":\"$want\"}"
    if [ -s "$tmp/$name.err" ]; then bad "$name: wrote to stderr"; else ok; fi
}
printf '\000\000\010\006\000\000\000\000\000abc' >"$tmp/t"
truncated trunc-payload 'input ends inside the payload of a PING frame on stream 0 (3 of 8 octets)'
printf '\000\000\010\006\000' >"$tmp/t"
truncated trunc-header 'input ends inside a frame header (5 of 9 octets)'
printf '\000\000\001\001\000\000\000\000\001\202' >"$tmp/t"
truncated trunc-block 'input ends inside the field block HEADERS began on stream 1: no CONTINUATION with END_HEADERS (RFC 9113 §4.3)'
printf '\000\000\005\360\000\000\000\000\000ab' >"$tmp/t"
truncated trunc-unknown 'input ends inside the payload of a frame of unknown type 0xf0 on stream 0 (2 of 5 octets)'
printf 'PRI * HTTP/2.0\r\n' >"$tmp/t"
truncated trunc-preface 'input ends inside the client connection preface (16 of 24 octets)' --preface
: >"$tmp/t"
truncated empty-preface 'no client connection preface (RFC 9113 §3.4): the input is empty' --preface
printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' >"$tmp/t"
truncated preface-no-settings 'input ends after the preface octets, before the SETTINGS frame that completes the client connection preface (RFC 9113 §3.4)' --preface
: >"$tmp/t"
"$H2DUMP" --preface "$tmp/t" >"$tmp/empty.txt"
status empty-preface-text 1 $?
check empty-preface-text "$tmp/empty.txt" 'error TRUNCATED scope=input (no client connection preface'
"$H2DUMP" --json "$tmp/t" >"$tmp/empty.json"
status empty-no-preface 0 $?
status empty-no-preface-lines 0 "$(wc -l <"$tmp/empty.json")"

# --- roles: --preface means a client sent it, so h2dump is the server ---
# a request (HEADERS on stream 1), then a PUSH_PROMISE on it
printf '\000\000\000\004\000\000\000\000\000' >"$tmp/cframes"
printf '\000\000\001\001\005\000\000\000\001\202' >>"$tmp/cframes"
printf '\000\000\005\005\004\000\000\000\001\000\000\000\002\202' >>"$tmp/cframes"
{ printf 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'; cat "$tmp/cframes"; } >"$tmp/push"
"$H2DUMP" --json --preface "$tmp/push" >"$tmp/push.json"
status preface-push 1 $?
check preface-push "$tmp/push.json" '"type":"HEADERS","flags":5,"stream_id":1' \
    '{"error":"PROTOCOL_ERROR","error_code":1,"scope":"connection","stream_id":1,"reason":"RFC 9113 §8.4: a server received PUSH_PROMISE"}'
"$H2DUMP" --json --role server "$tmp/cframes" >"$tmp/push2.json"
status role-server-push 1 $?
check role-server-push "$tmp/push2.json" '"reason":"RFC 9113 §8.4: '
# with no role the same frames are decoded (the direction is unknown)
"$H2DUMP" --json "$tmp/cframes" >"$tmp/push3.json"
status role-any-push 0 $?
check role-any-push "$tmp/push3.json" '"type":"PUSH_PROMISE","flags":4,"stream_id":1,"length":5,"promised_stream_id":2'
# a client sending HEADERS on an even stream (§5.1.1)
printf '\000\000\001\001\005\000\000\000\002\202' >"$tmp/even"
"$H2DUMP" --json --role server "$tmp/even" >"$tmp/even.json"
status role-server-even 1 $?
check role-server-even "$tmp/even.json" '"scope":"connection","stream_id":2,"reason":"RFC 9113 §5.1.1: '
# the other direction: a server must not send SETTINGS_ENABLE_PUSH 1 (§6.5.2)
printf '\000\000\006\004\000\000\000\000\000\000\002\000\000\000\001' >"$tmp/sp"
"$H2DUMP" --json --role client "$tmp/sp" >"$tmp/sp.json"
status role-client-enable-push 1 $?
check role-client-enable-push "$tmp/sp.json" '"stream_id":0,"reason":"RFC 9113 §6.5.2: a server sent SETTINGS_ENABLE_PUSH 1"'
"$H2DUMP" --json --role server "$tmp/sp" >/dev/null
status role-server-enable-push 0 $?
# ... nor promise an odd stream (§6.6); push to a client is fine otherwise
printf '\000\000\005\005\004\000\000\000\001\000\000\000\003\202' >"$tmp/odd"
"$H2DUMP" --json --role client "$tmp/odd" >"$tmp/odd.json"
status role-client-odd-promise 1 $?
check role-client-odd-promise "$tmp/odd.json" '"reason":"RFC 9113 §6.6, §5.1.1: '
"$H2DUMP" --json --role client "$tmp/cframes" >/dev/null
status role-client-push 0 $?
# --no-push: our SETTINGS_ENABLE_PUSH 0 (§6.6)
"$H2DUMP" --json --role client --no-push "$tmp/cframes" >"$tmp/np.json"
status no-push 1 $?
check no-push "$tmp/np.json" '"reason":"RFC 9113 §6.6: PUSH_PROMISE with SETTINGS_ENABLE_PUSH 0"'
# usage_error ARGS...: exit 2 with one line on stderr
usage_error() {
    "$H2DUMP" "$@" "$tmp/push" >/dev/null 2>"$tmp/usage.err"
    status "usage: $*" 2 $?
    status "usage: $*, one line" 1 "$(wc -l <"$tmp/usage.err")"
}
usage_error --preface --role client
usage_error --preface --role any
usage_error --role nobody
usage_error --role
"$H2DUMP" --preface --role server "$tmp/push" >/dev/null
status preface-role-server 1 $?

# --- the receiver's own settings ---
# dump NAME STATUS ARGS...: h2dump --json ARGS into $tmp/NAME.json, exit STATUS
dump() {
    name=$1; want=$2; shift 2
    "$H2DUMP" --json "$@" >"$tmp/$name.json"
    status "$name" "$want" $?
}
# DATA of 16385 octets: above the default SETTINGS_MAX_FRAME_SIZE (§4.2)
{ printf '\000\100\001\000\000\000\000\000\001'; head -c 16385 /dev/zero; } >"$tmp/big"
dump max-frame-default 1 "$tmp/big"
check max-frame-default "$tmp/max-frame-default.json" '{"error":"FRAME_SIZE_ERROR","error_code":6,"scope":"connection","stream_id":1,"reason":"RFC 9113 §4.2: '
dump max-frame-raised 0 --max-frame-size 16385 "$tmp/big"
check max-frame-raised "$tmp/max-frame-raised.json" '{"type":"DATA","flags":0,"stream_id":1,"length":16385,"data":"0000'
# HPACK table size update to 8192 (RFC 7541 §6.3): above the default 4096
printf '\000\000\004\001\005\000\000\000\001\077\341\077\202' >"$tmp/tsu"
dump table-size-default 1 "$tmp/tsu"
check table-size-default "$tmp/table-size-default.json" '"error":"COMPRESSION_ERROR"'
dump table-size-raised 0 --header-table-size 8192 "$tmp/tsu"
check table-size-raised "$tmp/table-size-raised.json" '"headers":[[":method","GET"]]'
usage_error --max-frame-size 16383
usage_error --max-frame-size 16777216
usage_error --max-frame-size x
usage_error --max-frame-size
usage_error --header-table-size 4294967296
usage_error --header-table-size -1

# --- error codes: always a number, plus a name ("UNKNOWN" off the RFC's list) ---
printf '\000\000\004\003\000\000\000\000\001\000\000\000\037' >"$tmp/rst"
"$H2DUMP" --json "$tmp/rst" >"$tmp/rst.json"
status rst-unknown 0 $?
check rst-unknown "$tmp/rst.json" '"error_code":31,"error_name":"UNKNOWN"'
"$H2DUMP" "$tmp/rst" >"$tmp/rst.txt"
check rst-unknown-text "$tmp/rst.txt" 'error_code=0x1f'

# --- header strings: UTF-8 passed through, other bytes as \udc80..\udcff ---
# one literal field (RFC 7541 §6.2.2, new name) whose value holds
# " \ 0x01, then é (UTF-8), then 0xff, then a lone 0xc3, then "(" ; a second
# whose name is "ü" and value is an overlong "/" (c0 af) and a surrogate (ed a0 80)
printf '\000\000\027\001\004\000\000\000\001' >"$tmp/esc"
printf '\000\001a\011"\\\001\303\251\377\303(x' >>"$tmp/esc"
printf '\000\002\303\274\005\300\257\355\240\200' >>"$tmp/esc"
printf 'a' >"$tmp/esc.n1"; printf '"\\\001\303\251\377\303(x' >"$tmp/esc.v1"
printf '\303\274' >"$tmp/esc.n2"; printf '\300\257\355\240\200' >"$tmp/esc.v2"
"$H2DUMP" --json "$tmp/esc" >"$tmp/esc.json"
status escaping 0 $?
check escaping "$tmp/esc.json" \
    '"headers":[["a","\"\\\u0001é\udcff\udcc3(x"],["ü","\udcc0\udcaf\udced\udca0\udc80"]]'
"$H2DUMP" "$tmp/esc" >"$tmp/esc.txt"
check escaping-text "$tmp/esc.txt" 'a: "\x5c\x01é\xff\xc3(x; ü: \xc0\xaf\xed\xa0\x80;'
# lossless: Python's surrogateescape gives back the octets
if python3 - "$tmp" <<'PY'; then ok; else bad "surrogateescape round trip"; fi
import json, sys
d = sys.argv[1]
h = json.loads(open(d + "/esc.json").readline())["headers"]
want = [open(d + "/esc." + k, "rb").read() for k in ("n1", "v1", "n2", "v2")]
got = [s.encode("utf-8", "surrogateescape") for pair in h for s in pair]
sys.exit(0 if got == want else 1)
PY

# every JSON line parses, and error_code is always an integer
if cat "$tmp"/*.json | python3 -c 'import sys, json
for line in sys.stdin:
    o = json.loads(line)
    assert not isinstance(o.get("error_code", 0), str) and isinstance(o.get("error_code", 0), int)' 2>/dev/null; then ok; else bad "invalid JSON line or error_code type"; fi

# --- usage ---
"$H2DUMP" --bogus </dev/null >/dev/null 2>&1
status usage 2 $?
"$H2DUMP" "$tmp/does-not-exist" >/dev/null 2>&1
status missing-file 2 $?
"$H2DUMP" a b >/dev/null 2>&1
status two-files 2 $?
"$H2DUMP" --help >"$tmp/help.txt"
status help 0 $?
check help "$tmp/help.txt" 'usage: h2dump [--json] [--preface] [--role client|server|any]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
