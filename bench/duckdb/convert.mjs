// DuckDB's CSV-to-Parquet conversion, timed, for bench/csv-to-parquet.sh:
//   node convert.mjs <csv> <parquet> <threads|default>
// Prints one JSON line: seconds, output bytes, rows, and the process's peak resident memory.
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';

const [csv, parquet, threads] = process.argv.slice(2);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (threads && threads !== 'default') {
  await connection.run(`SET threads = ${Number(threads)}`);
}
const started = process.hrtime.bigint();
await connection.run(`COPY (SELECT * FROM read_csv(${quote(csv)})) TO ${quote(parquet)} (FORMAT parquet, COMPRESSION snappy)`);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const rows = (await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet(${quote(parquet)})`)).getRowsJson()[0][0];
process.stdout.write(JSON.stringify({
  seconds,
  bytes: statSync(parquet).size,
  rows: Number(rows),
  peakMiB: process.resourceUsage().maxRSS / 1024,
}) + '\n');
