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
    '"error_code":"CANCEL"' \
    '"type":"UNKNOWN","type_code":10' \
    '"promised_stream_id":2,"headers":[[":status","200"]]' \
    '"opaque":"70696e67706f6e67"' \
    '"increment":65535' \
    '"last_stream_id":3,"error_code":"NO_ERROR","debug_data":"646f6e65"'
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
    '["date","Mon, 21 Oct 2013 20:13:21 GMT"]' '"error_code":"REFUSED_STREAM"' '"pad_length":10'

"$H2DUMP" --json "$FRAMES/ping-goaway.bin" >"$tmp/pg.json"
status ping-goaway 0 $?
check ping-goaway "$tmp/pg.json" '"type":"PING","flags":1' '"error_code":"ENHANCE_YOUR_CALM"' \
    '"debug_data":"63616c6d20646f776e"' '"type_code":240'

"$H2DUMP" --json "$FRAMES/push-continuation.bin" >"$tmp/pp.json"
status push-continuation 0 $?
check push-continuation "$tmp/pp.json" '"pad_length":5,"promised_stream_id":2' \
    '"type":"CONTINUATION","flags":4' '[":path","/style.css"]' '"weight":256'

# text mode works on every file
for f in "$FRAMES"/*.bin; do
    case $f in *preface*) opt=--preface ;; *) opt= ;; esac
    if "$H2DUMP" $opt "$f" >/dev/null; then ok; else bad "text mode on $f"; fi
done

# --- errors ---
# PING on stream 1: connection PROTOCOL_ERROR
printf '\000\000\010\006\000\000\000\000\001abcdefgh' >"$tmp/e1"
"$H2DUMP" --json "$tmp/e1" >"$tmp/e1.json"
status ping-stream 1 $?
check ping-stream "$tmp/e1.json" '{"error":"PROTOCOL_ERROR","scope":"connection","stream_id":1}'
# PRIORITY of length 4: stream FRAME_SIZE_ERROR
printf '\000\000\004\002\000\000\000\000\003\000\000\000\001' >"$tmp/e2"
"$H2DUMP" --json "$tmp/e2" >"$tmp/e2.json"
status priority-length 1 $?
check priority-length "$tmp/e2.json" '{"error":"FRAME_SIZE_ERROR","scope":"stream","stream_id":3}'
# WINDOW_UPDATE increment 0 on stream 5 after a good PING
printf '\000\000\010\006\000\000\000\000\000abcdefgh\000\000\004\010\000\000\000\000\005\000\000\000\000' >"$tmp/e3"
"$H2DUMP" --json "$tmp/e3" >"$tmp/e3.json"
status window-zero 1 $?
check window-zero "$tmp/e3.json" '"type":"PING"' '{"error":"PROTOCOL_ERROR","scope":"stream","stream_id":5}'
# CONTINUATION without HEADERS
printf '\000\000\001\011\004\000\000\000\001\202' >"$tmp/e4"
"$H2DUMP" --json "$tmp/e4" >"$tmp/e4.json"
status lone-continuation 1 $?
check lone-continuation "$tmp/e4.json" '{"error":"PROTOCOL_ERROR","scope":"connection","stream_id":1}'
# bad HPACK index: COMPRESSION_ERROR
printf '\000\000\001\001\004\000\000\000\001\376' >"$tmp/e5"
"$H2DUMP" --json "$tmp/e5" >"$tmp/e5.json"
status hpack-index 1 $?
check hpack-index "$tmp/e5.json" '{"error":"COMPRESSION_ERROR","scope":"connection","stream_id":1}'
# truncated frame
printf '\000\000\010\006\000\000\000\000\000abc' >"$tmp/e6"
"$H2DUMP" --json "$tmp/e6" >"$tmp/e6.json" 2>/dev/null
status truncated 1 $?

# --- JSON escaping: a header value with " \ 0x01 0xff ---
printf '\000\000\010\001\004\000\000\000\001\000\001a\004"\\\001\377' >"$tmp/esc"
"$H2DUMP" --json "$tmp/esc" >"$tmp/esc.json"
status escaping 0 $?
check escaping "$tmp/esc.json" '"headers":[["a","\"\\\u0001\u00ff"]]'
if command -v python3 >/dev/null 2>&1; then
    if cat "$tmp"/*.json | python3 -c 'import sys, json
for line in sys.stdin: json.loads(line)' 2>/dev/null; then ok; else bad "invalid JSON line"; fi
fi

# --- usage ---
"$H2DUMP" --bogus </dev/null >/dev/null 2>&1
status usage 2 $?
"$H2DUMP" "$tmp/does-not-exist" >/dev/null 2>&1
status missing-file 2 $?
"$H2DUMP" a b >/dev/null 2>&1
status two-files 2 $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
