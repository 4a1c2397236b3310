// The benchmarks' peer: DuckDB (npm @duckdb/node-api) doing the same work in the same run.
// Usage: node duckdb_peer.mjs read_csv FILE [THREADS]
// Reads an ami_daily.csv two ways and prints one JSON line per way:
//   scan         every column parsed and consumed by an aggregate (nothing kept)
//   materialize  the file parsed into an in-memory DuckDB table (what an import keeps)
// {"engine":"duckdb","version":...,"task":"read_csv","mode":...,"rows":N,"seconds":S,"threads":T}
import { DuckDBInstance, version } from '@duckdb/node-api';

const [task, file, threads = '2'] = process.argv.slice(2);
if (task !== 'read_csv' || !file) {
  console.error('usage: node duckdb_peer.mjs read_csv FILE [THREADS]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const quoted = file.replaceAll("'", "''");
const source = `read_csv('${quoted}', header = true, columns = {'meter_id': 'VARCHAR', 'day': 'DATE', ` +
  `'import_register': 'DOUBLE', 'export_register': 'DOUBLE'})`;

async function timed(mode, sql, countSql) {
  const started = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const seconds = (performance.now() - started) / 1000;
  const rows = countSql ? Number((await connection.runAndReadAll(countSql)).getRows()[0][0])
                        : Number(reader.getRows()[0][0]);
  console.log(JSON.stringify({ engine: 'duckdb', version: version(), task, mode, rows, seconds,
                               threads: Number(threads) }));
}

await timed('scan', `SELECT count(*), count(DISTINCT meter_id), min(day), max(day), sum(import_register), ` +
  `sum(export_register) FROM ${source}`);
await timed('materialize', `CREATE TABLE ami_daily AS SELECT * FROM ${source}`, 'SELECT count(*) FROM ami_daily');
