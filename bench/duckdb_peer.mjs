// The benchmarks' peer: DuckDB (npm @duckdb/node-api) doing the same work in the same run.
// Usage: node duckdb_peer.mjs read_csv FILE [THREADS]
// Prints one JSON line: {"engine":"duckdb","version":...,"task":...,"rows":N,"seconds":S}.
import { DuckDBInstance, version } from '@duckdb/node-api';

const [task, file, threads = '2'] = process.argv.slice(2);
if (task !== 'read_csv' || !file) {
  console.error('usage: node duckdb_peer.mjs read_csv FILE [THREADS]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const quoted = file.replaceAll("'", "''");
const started = performance.now();
// Materialise the whole file in DuckDB's columnar memory, typed like GridAudit's contract.
await connection.run(
  `CREATE TABLE ami_daily AS SELECT * FROM read_csv('${quoted}', header = true, ` +
  `columns = {'meter_id': 'VARCHAR', 'day': 'DATE', 'import_register': 'DOUBLE', 'export_register': 'DOUBLE'})`);
const seconds = (performance.now() - started) / 1000;
const reader = await connection.runAndReadAll('SELECT count(*) FROM ami_daily');
const rows = Number(reader.getRows()[0][0]);
console.log(JSON.stringify({ engine: 'duckdb', version: version(), task, rows, seconds, threads: Number(threads) }));
