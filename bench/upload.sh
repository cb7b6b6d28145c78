#!/usr/bin/env bash
# File upload to a standalone emulator on loopback: Ingestion's client beside curl sending the same bytes, in one run, with ratios.
#   bench/upload.sh [sizes in MiB=200,1024] [work dir=/tmp/ingestion-upload-bench]
#   ROUNDS=3 (default): each measurement repeated, in alternating order, medians reported
#   OURS_ONLY=1 bench/upload.sh 16384   skips curl (to show peak memory does not grow with file size)
# Files up to the small-file limit (256 MiB) go as one PUT (curl: one PUT); larger ones in 64 MiB chunks
# (curl: INITIALIZE, the same Content-Range PATCHes one at a time and with xargs -P 4, COMPLETE; the chunks are
# split into files before the clock starts so curl streams them with -T, as it streams the PUT).
# Our client sends a 32 MiB file untimed first (--warm-up), so it is timed on compiled code as in a PowerShell session
# that has sent a file before; curl needs no warm-up. The first upload of a fresh session also pays for the JIT.
# Needs the .NET SDK, curl and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sizes="${1:-200,1024}"
work="${2:-/tmp/ingestion-upload-bench}"
chunk=$((64 * 1024 * 1024))
rounds="${ROUNDS:-3}"
threshold=268435456
mkdir -p "$work"

dotnet build -c Release "$root/src/Ingestion.Emulator" --nologo -v quiet >/dev/null
dotnet build -c Release "$root/bench/Ingestion.Bench" --nologo -v quiet >/dev/null
bench="dotnet $root/bench/Ingestion.Bench/bin/Release/net10.0/Ingestion.Bench.dll"

data="$(mktemp -d "$work/emulator.XXXXXX")"
emulator_out="$work/emulator.out"
dotnet "$root/src/Ingestion.Emulator/bin/Release/net8.0/Ingestion.Emulator.dll" --port 0 --data-dir "$data" --detached >"$emulator_out" 2>&1 &
emulator_pid=$!
cleanup() { kill -TERM "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  grep -q '"event":"ready"' "$emulator_out" && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$emulator_out" >&2; exit 1; }
  sleep 0.1
done
ready=$(grep -m1 '"event":"ready"' "$emulator_out")
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$ready" "$1"; }
endpoint=$(field endpoint); endpoint="${endpoint%/}"
client_id=$(field clientId); client_secret=$(field clientSecret); org=$(field organizationId); sandbox=$(field sandbox)
token=$(curl -sS --fail -X POST "$endpoint/ims/token/v3" -d grant_type=client_credentials \
  --data-urlencode "client_id=$client_id" --data-urlencode "client_secret=$client_secret" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
headers=(-H "Authorization: Bearer $token" -H "x-api-key: $client_id" -H "x-gw-ims-org-id: $org" -H "x-sandbox-name: $sandbox")
import="$endpoint/data/foundation/import"

new_batch() {
  curl -sS --fail "${headers[@]}" -H 'Content-Type: application/json' -X POST "$import/batches" \
    -d "{\"datasetId\":\"$1\",\"inputFormat\":{\"format\":\"parquet\"}}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
now() { date +%s.%N; }
mbps() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2])) / 1e6:.1f}")' "$@"; }
# One chunk: PATCH the chunk's file (split off before the clock starts, so curl streams it as it does the PUT).
patch_chunk() {
  local dir=$1 url=$2 size=$3 index=$4
  local start=$((10#$index * chunk))
  local end=$((start + chunk - 1)); [ "$end" -lt "$size" ] || end=$((size - 1))
  curl -sS --fail -o /dev/null -H "Authorization: Bearer $token" -H "x-api-key: $client_id" -H "x-gw-ims-org-id: $org" \
    -H "x-sandbox-name: $sandbox" -X PATCH "$url" -H 'Content-Type: application/octet-stream' \
    -H "Content-Range: bytes $start-$end/$size" -H 'Expect:' -T "$dir/$index"
}
export -f patch_chunk
export chunk token client_id org sandbox

echo "$(nproc) cores; emulator $endpoint (data $data); chunk $chunk bytes; $rounds rounds, medians reported"
results=()
dataset=""
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.1f}")' "$@"; }
maximum() { python3 -c 'import sys; print(max(map(int, sys.argv[1:])))' "$@"; }
# Before each measurement: earlier runs' output flushed and deleted, so no run pays for another's writeback.
settle() { rm -rf "$data/batches"/*/files 2>/dev/null || true; sync; sleep 1; }
for mib in ${sizes//,/ }; do
  file="$work/upload-$mib.bin"
  size=$((mib * 1024 * 1024))
  [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" = "$size" ] || head -c "$size" /dev/urandom >"$file"
  cat "$file" >/dev/null  # in the page cache for both sides

  # Prints "MB/s peak-MiB" for our client at the given -ThrottleLimit.
  ours_run() {
    local line
    settle
    cat "$file" >/dev/null  # what this run reads, in the page cache, as curl's chunks are for its runs
    line=$($bench upload "$file" --endpoint "$endpoint" --client-id "$client_id" --client-secret "$client_secret" --org "$org" --sandbox "$sandbox" \
      --chunk-size "$chunk" --throttle "$1" --warm-up ${dataset:+--dataset "$dataset"})
    echo "ingestion x$1 $mib MiB: $line" >&2
    echo "$line" >"$work/ours.last"
    echo "$(sed -E 's/.* = ([0-9.]+) MB\/s.*/\1/' <<<"$line") $(sed -E 's/.*peak working set ([0-9]+) MiB.*/\1/' <<<"$line")"
  }
  # The first run of ours creates the dataset (a warm-up, not counted); the rest reuse it.
  if [ -z "$dataset" ]; then
    ours_run 4 >/dev/null
    dataset=$(sed -E 's/^dataset ([^ ]+) .*/\1/' "$work/ours.last")
  fi

  if [ "${OURS_ONLY:-}" = 1 ]; then
    read -r o4 p4 < <(ours_run 4)
    results+=("$mib|x4 only|$o4|$p4|-|-|-|-")
    continue
  fi

  o1s=(); p1s=(); o4s=(); p4s=(); c1s=(); c4s=()
  if [ "$size" -le "$threshold" ]; then
    for round in $(seq 1 "$rounds"); do
      read -r o p < <(ours_run 4); o4s+=("$o"); p4s+=("$p")
      settle
      batch=$(new_batch "$dataset")
      t0=$(now)
      curl -sS --fail -o /dev/null "${headers[@]}" -X PUT "$import/batches/$batch/datasets/$dataset/files/data.parquet" \
        -H 'Content-Type: application/octet-stream' -H 'Expect:' -T "$file"
      t1=$(now)
      put=$(mbps "$size" "$t0" "$t1"); c1s+=("$put")
      echo "curl PUT $mib MiB: $put MB/s"
    done
    results+=("$mib|single PUT|$(median "${o4s[@]}")|$(maximum "${p4s[@]}")|-|-|$(median "${c1s[@]}")|-")
  else
    parts="$work/chunks-$mib"
    rm -rf "$parts"; mkdir -p "$parts"
    split -b "$chunk" -d -a 4 "$file" "$parts/"
    indexes=$(ls "$parts")
    run_curl() {
      local parallel=$1 batch url
      settle
      cat "$parts"/* >/dev/null
      batch=$(new_batch "$dataset")
      url="$import/batches/$batch/datasets/$dataset/files/data.parquet"
      local t0 t1
      t0=$(now)
      curl -sS --fail -o /dev/null "${headers[@]}" -X POST "$url?action=INITIALIZE"
      xargs -P "$parallel" -I{} bash -c 'patch_chunk "$@"' _ "$parts" "$url" "$size" {} <<<"$indexes"
      curl -sS --fail -o /dev/null "${headers[@]}" -X POST "$url?action=COMPLETE"
      t1=$(now)
      mbps "$size" "$t0" "$t1"
    }
    # A discarded round first: the first large upload after the page cache filled up with other files pays for
    # evicting them, whichever client runs it.
    ours_run 4 >/dev/null; run_curl 4 >/dev/null
    for round in $(seq 1 "$rounds"); do
      # Alternating order, so neither client always runs on the heels of the other's writes.
      if [ $((round % 2)) = 1 ]; then
        read -r o p < <(ours_run 1); o1s+=("$o"); p1s+=("$p")
        c=$(run_curl 1); c1s+=("$c"); echo "curl PATCH x1 $mib MiB: $c MB/s"
        read -r o p < <(ours_run 4); o4s+=("$o"); p4s+=("$p")
        c=$(run_curl 4); c4s+=("$c"); echo "curl PATCH x4 $mib MiB: $c MB/s"
      else
        c=$(run_curl 4); c4s+=("$c"); echo "curl PATCH x4 $mib MiB: $c MB/s"
        read -r o p < <(ours_run 4); o4s+=("$o"); p4s+=("$p")
        c=$(run_curl 1); c1s+=("$c"); echo "curl PATCH x1 $mib MiB: $c MB/s"
        read -r o p < <(ours_run 1); o1s+=("$o"); p1s+=("$p")
      fi
    done
    results+=("$mib|chunked|$(median "${o4s[@]}")|$(maximum "${p4s[@]}")|$(median "${o1s[@]}")|$(maximum "${p1s[@]}")|$(median "${c1s[@]}")|$(median "${c4s[@]}")")
    rm -rf "$parts"
  fi
  settle
done

python3 - "${results[@]}" <<'PY'
import sys
print()
# Single-stream ratio: our PUT against curl's PUT, or our -ThrottleLimit 1 against curl's PATCHes one at a time.
# Parallel ratio: our -ThrottleLimit 4 against curl's PATCHes with xargs -P 4.
print("| MiB | mode | ours x4 MB/s | peak MiB | ours x1 MB/s | peak MiB | curl x1 MB/s | curl x4 MB/s | single stream ours/curl | x4 ours/curl |")
print("|---|---|---|---|---|---|---|---|---|---|")
ratio = lambda a, b: f"{float(a)/float(b):.2f}x" if "-" not in (a, b) else "-"
for row in sys.argv[1:]:
    mib, mode, o4, p4, o1, p1, c1, c4 = row.split("|")
    single = ratio(o4, c1) if mode == "single PUT" else ratio(o1, c1)
    print(f"| {mib} | {mode} | {o4} | {p4} | {o1} | {p1} | {c1} | {c4} | {single} | {ratio(o4, c4) if mode != 'single PUT' else '-'} |")
PY
