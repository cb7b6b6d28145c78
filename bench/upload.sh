#!/usr/bin/env bash
# File upload to a standalone emulator on loopback: Ingestion's client beside curl sending the same bytes, in one run, with ratios.
#   bench/upload.sh [sizes in MiB=200,1024] [work dir=/tmp/ingestion-upload-bench]
# Files up to the small-file limit (256 MiB) go as one PUT (curl: one PUT); larger ones in 64 MiB chunks
# (curl: INITIALIZE, the same Content-Range PATCHes one at a time and with xargs -P 4, COMPLETE; the chunks are
# split into files before the clock starts so curl streams them with -T, as it streams the PUT).
# Needs the .NET SDK, curl and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sizes="${1:-200,1024}"
work="${2:-/tmp/ingestion-upload-bench}"
chunk=$((64 * 1024 * 1024))
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

echo "$(nproc) cores; emulator $endpoint (data $data); chunk $chunk bytes"
results=()
dataset=""
for mib in ${sizes//,/ }; do
  file="$work/upload-$mib.bin"
  size=$((mib * 1024 * 1024))
  [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" = "$size" ] || head -c "$size" /dev/urandom >"$file"
  cat "$file" >/dev/null  # in the page cache for both sides

  ours=$($bench upload "$file" --endpoint "$endpoint" --client-id "$client_id" --client-secret "$client_secret" --org "$org" --sandbox "$sandbox" \
    --chunk-size "$chunk" --throttle 4 ${dataset:+--dataset "$dataset"})
  echo "ingestion $mib MiB: $ours"
  dataset=$(sed -E 's/^dataset ([^ ]+) .*/\1/' <<<"$ours")
  ours_mbps=$(sed -E 's/.* = ([0-9.]+) MB\/s.*/\1/' <<<"$ours")
  ours_peak=$(sed -E 's/.*peak working set ([0-9]+) MiB.*/\1/' <<<"$ours")

  if [ "$size" -le "$threshold" ]; then
    batch=$(new_batch "$dataset")
    t0=$(now)
    curl -sS --fail -o /dev/null "${headers[@]}" -X PUT "$import/batches/$batch/datasets/$dataset/files/data.parquet" \
      -H 'Content-Type: application/octet-stream' -H 'Expect:' -T "$file"
    t1=$(now)
    put=$(mbps "$size" "$t0" "$t1")
    echo "curl PUT $mib MiB: $put MB/s"
    results+=("$mib|single PUT|$ours_mbps|$ours_peak|$put|-")
  else
    parts="$work/chunks-$mib"
    rm -rf "$parts"; mkdir -p "$parts"
    split -b "$chunk" -d -a 4 "$file" "$parts/"
    indexes=$(ls "$parts")
    run_curl() {
      local parallel=$1 batch url
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
    seq1=$(run_curl 1); echo "curl PATCH x1 $mib MiB: $seq1 MB/s"
    par4=$(run_curl 4); echo "curl PATCH x4 $mib MiB: $par4 MB/s"
    results+=("$mib|chunked x4|$ours_mbps|$ours_peak|$seq1|$par4")
    rm -rf "$parts"
  fi
  rm -rf "$data/batches"/*/files 2>/dev/null || true
done

python3 - "${results[@]}" <<'PY'
import sys
print()
print("| MiB | ours | ours MB/s | ours peak MiB | curl x1 MB/s | curl x4 MB/s | ours / curl x1 | ours / curl x4 |")
print("|---|---|---|---|---|---|---|---|")
for row in sys.argv[1:]:
    mib, mode, ours, peak, c1, c4 = row.split("|")
    r1 = f"{float(ours)/float(c1):.2f}x"
    r4 = f"{float(ours)/float(c4):.2f}x" if c4 != "-" else "-"
    print(f"| {mib} | {mode} | {ours} | {peak} | {c1} | {c4} | {r1} | {r4} |")
PY
