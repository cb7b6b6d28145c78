#!/usr/bin/env bash
# CSV -> Parquet (snappy): Ingestion's converter beside DuckDB, in one run on one machine, with ratios.
#   bench/csv-to-parquet.sh [rows=1000000] [work dir=/tmp/ingestion-bench]
# Needs the .NET SDK and node/npm (DuckDB comes from the package feed into bench/duckdb/node_modules).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows="${1:-1000000}"
work="${2:-/tmp/ingestion-bench}"
mkdir -p "$work"
csv="$work/people-$rows.csv"

(cd "$root/bench/duckdb" && [ -d node_modules/@duckdb/node-api ] || npm ci --silent --no-audit --no-fund)
dotnet build -c Release "$root/bench/Ingestion.Bench" --nologo -v quiet >/dev/null
bench="dotnet $root/bench/Ingestion.Bench/bin/Release/net10.0/Ingestion.Bench.dll"

[ -f "$csv" ] || $bench generate "$csv" "$rows"

ours() {
  # A fresh process per run: the first conversion in a process includes JIT warm-up, as a user's would.
  $bench csv-to-parquet "$csv" "$work/ours.parquet" | tail -n 1
}
duck() {
  node "$root/bench/duckdb/convert.mjs" "$csv" "$work/duckdb-$1.parquet" "$1"
}

echo "input: $(stat -c %s "$csv") bytes, $rows rows; $(nproc) cores"
ours_line=$(ours)
duck1=$(duck 1)
duckn=$(duck default)
echo "ingestion: $ours_line"
echo "duckdb threads=1: $duck1"
echo "duckdb threads=default: $duckn"

python3 - "$ours_line" "$duck1" "$duckn" "$rows" <<'PY'
import json, re, sys
ours, d1, dn, rows = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
sec = float(re.search(r"in ([0-9.]+) s", ours).group(1))
size = int(re.search(r"([0-9,]+) bytes of Parquet", ours).group(1).replace(",", ""))
peak = float(re.search(r"peak working set ([0-9.]+) MiB", ours).group(1))
print()
print(f"| converter | seconds | rows/s | output bytes | peak MiB |")
print(f"|---|---|---|---|---|")
print(f"| Ingestion | {sec:.3f} | {rows/sec:,.0f} | {size:,} | {peak:.0f} |")
for name, d in (("DuckDB threads=1", d1), ("DuckDB default threads", dn)):
    print(f"| {name} | {d['seconds']:.3f} | {rows/d['seconds']:,.0f} | {d['bytes']:,} | {d['peakMiB']:.0f} |")
print()
print(f"speed vs DuckDB threads=1: {d1['seconds']/sec:.2f}x   vs default: {dn['seconds']/sec:.2f}x")
print(f"size vs DuckDB threads=1: {size/d1['bytes']:.3f}x   peak memory vs DuckDB threads=1: {peak/d1['peakMiB']:.2f}x")
PY
