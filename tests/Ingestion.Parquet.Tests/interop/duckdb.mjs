// Runs each SQL statement given on the command line in one in-memory DuckDB database.
// The Parquet interop tests use it to read our files (and rewrite them) and to write reference files.
import { DuckDBInstance } from '@duckdb/node-api';

const statements = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const sql of statements) {
  const reader = await connection.runAndReadAll(sql);
  const rows = reader.getRowsJson();
  if (rows.length > 0) {
    process.stdout.write(JSON.stringify(rows) + '\n');
  }
}
