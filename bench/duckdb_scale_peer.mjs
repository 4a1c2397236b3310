// The scale benchmark's peer (`gridaudit bench scale`): DuckDB (npm @duckdb/node-api) answering
// the question `gridaudit loss --level area --period MONTH` answers, over a database file holding
// the same daily registers, meters, customers and network as the GridAudit store.
// Usage:
//   node duckdb_scale_peer.mjs prepare EXPORT_DIR DB_FILE [THREADS]   (not timed: read the CSVs once)
//   node duckdb_scale_peer.mjs balance DB_FILE YYYY-MM [THREADS]      (timed, from a cold process)
// balance: each meter's daily usage is its import register's advance over the day before times
// its multiplier; an area's supply is its gateway meter's, its sales the sum of its customers'
// meters' known usage; the month's supply and sales are the sums over the days where the supply
// is known (no gap sharing, coverage or classes: less work than GridAudit's balance). Prints one JSON
// line: {"engine":"duckdb","version":...,"areas":N,"supply_kwh":S,"sales_kwh":S,
// "query_seconds":S,"max_rss_bytes":B,"threads":T}
import { DuckDBInstance, version } from '@duckdb/node-api';

const [mode, first, second, threads = '2'] = process.argv.slice(2);
if ((mode !== 'prepare' && mode !== 'balance') || !first || !second) {
  console.error('usage: node duckdb_scale_peer.mjs prepare EXPORT_DIR DB_FILE [THREADS] | balance DB_FILE YYYY-MM [THREADS]');
  process.exit(2);
}

if (mode === 'prepare') {
  const dir = first;
  const instance = await DuckDBInstance.create(second, { threads: String(threads) });
  const connection = await instance.connect();
  const run = async (sql) => connection.run(sql);
  await run(`CREATE OR REPLACE TABLE daily AS
    SELECT * FROM read_csv('${dir}/ami_daily.csv', header = true,
      columns = {'meter_id': 'VARCHAR', 'day': 'DATE', 'import_register': 'DOUBLE', 'export_register': 'DOUBLE'})
    ORDER BY day, meter_id`);  // by day: a month's rows are a few row groups (zone maps)
  await run(`CREATE OR REPLACE TABLE meters AS
    SELECT meter_id, customer_id, node_id, multiplier::DOUBLE AS multiplier, installed_on::DATE AS installed_on,
           removed_on::DATE AS removed_on
    FROM read_csv('${dir}/meters.csv', header = true, all_varchar = true)`);
  await run(`CREATE OR REPLACE TABLE customers AS
    SELECT customer_id, node_id FROM read_csv('${dir}/customers.csv', header = true, all_varchar = true)`);
  await run(`CREATE OR REPLACE TABLE network AS
    SELECT node_id, parent_id, kind, gateway_meter_id FROM read_csv('${dir}/network.csv', header = true, all_varchar = true)`);
  await run('CHECKPOINT');
  console.log(JSON.stringify({ engine: 'duckdb', version: version(), prepared: second }));
  process.exit(0);
}

const month = second;
if (!/^\d{4}-\d{2}$/.test(month)) {
  console.error(`not a month (YYYY-MM): ${month}`);
  process.exit(2);
}
const started = performance.now();
const instance = await DuckDBInstance.create(first, { threads: String(threads), access_mode: 'READ_ONLY' });
const connection = await instance.connect();
const from = `DATE '${month}-01'`;
const to = `(${from} + INTERVAL 1 MONTH)::DATE`;
const reader = await connection.runAndReadAll(`
  WITH usage AS (
    SELECT meter_id, day,
           import_register - lag(import_register) OVER (PARTITION BY meter_id ORDER BY day) AS advance
    FROM daily WHERE day >= ${from} - 1 AND day < ${to}),
  metered AS (
    SELECT u.day, coalesce(c.node_id, m.node_id) AS node, m.customer_id IS NULL AS gateway,
           u.advance * m.multiplier AS kwh
    FROM usage u JOIN meters m USING (meter_id) LEFT JOIN customers c USING (customer_id)
    WHERE u.day >= ${from}),
  area_daily AS (
    SELECT n.node_id AS area, d.day,
           sum(d.kwh) FILTER (WHERE d.gateway AND d.kwh IS NOT NULL) AS supply,
           sum(d.kwh) FILTER (WHERE NOT d.gateway) AS sales
    FROM metered d JOIN network n ON n.node_id = d.node AND n.kind = 'area'
    GROUP BY ALL),
  area_monthly AS (
    SELECT area, sum(supply) AS supply, sum(sales) AS sales FROM area_daily
    WHERE supply IS NOT NULL AND sales IS NOT NULL GROUP BY area)
  SELECT count(*), sum(supply), sum(sales) FROM area_monthly`);
const [areas, supply, sales] = reader.getRows()[0].map(Number);
const querySeconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ engine: 'duckdb', version: version(), areas, supply_kwh: supply, sales_kwh: sales,
  query_seconds: querySeconds, max_rss_bytes: process.resourceUsage().maxRSS * 1024, threads: Number(threads) }));
