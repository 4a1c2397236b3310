// The loss benchmark's peer: DuckDB (npm @duckdb/node-api) doing the balance and the correlation.
// Usage: node duckdb_loss_peer.mjs CUSTOMERS DAYS [THREADS]
// Builds the same data set as bench/loss_benchmark.cpp from the same formula (not timed), then
// times (1) the daily balance of every area, the feeder/bus/substation roll-up and the monthly
// table, and (2) the correlation of every customer of an abnormal area with its area's daily
// loss. Prints one JSON line:
// {"engine":"duckdb","version":...,"grand_total":...,"abnormal_areas":N,"balance_seconds":S,
//  "correlation_seconds":S,"correlation_all_seconds":S,"threads":T}
import { DuckDBInstance, version } from '@duckdb/node-api';

const [customers, days, threads = '2'] = process.argv.slice(2);
if (!customers || !days) {
  console.error('usage: node duckdb_loss_peer.mjs CUSTOMERS DAYS [THREADS]');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const run = async (sql) => connection.runAndReadAll(sql);
const scalar = async (sql) => Number((await run(sql)).getRows()[0][0]);
async function timed(sql) {
  const started = performance.now();
  await run(sql);
  return (performance.now() - started) / 1000;
}

const n = Number(customers), d = Number(days);
// The formula of loss_benchmark.cpp, operation for operation (doubles, then float).
const thief = `(c % 100 = 0 AND (c // 100) % 20 = 0)`;
const truth = `(CASE WHEN ${thief} THEN 150.0::DOUBLE ELSE 2.0::DOUBLE + ((c * 37) % 101)::DOUBLE / 10.0::DOUBLE END)
  * (1.0::DOUBLE + 0.3::DOUBLE * ((d % 60)::DOUBLE / 60.0::DOUBLE))
  * (0.8::DOUBLE + ((c * 7919 + d * 104729) % 1009)::DOUBLE / 1009.0::DOUBLE * 0.4::DOUBLE)`;
const cells = `(SELECT r // ${d} AS c, r % ${d} AS d FROM range(${n * d}) t(r))`;
await run(`CREATE TABLE usage AS SELECT c::INTEGER AS c, d::SMALLINT AS d,
  (CASE WHEN ${thief} AND d >= 200 THEN ${truth} * 0.4::DOUBLE ELSE ${truth} END)::FLOAT AS v FROM ${cells}`);
await run(`CREATE TABLE gateway AS SELECT (c // 100)::INTEGER AS area, d::SMALLINT AS d,
  (sum(${truth}) / 0.96)::FLOAT AS supply FROM ${cells} GROUP BY ALL`);
const grandTotal = await scalar(`SELECT sum(v::DOUBLE) FROM usage`);

const balanceSeconds = await timed(`
  CREATE TABLE area_daily AS
    SELECT s.area, s.d, g.supply, s.sales, g.supply - s.sales AS loss
    FROM (SELECT c // 100 AS area, d, sum(v::DOUBLE) AS sales FROM usage GROUP BY ALL) s
    JOIN gateway g ON g.area = s.area AND g.d = s.d;
  CREATE TABLE feeder_daily AS SELECT area // 5 AS feeder, d, sum(supply::DOUBLE) AS sales FROM gateway GROUP BY ALL;
  CREATE TABLE bus_daily AS SELECT feeder // 10 AS bus, d, sum(sales) AS sales FROM feeder_daily GROUP BY ALL;
  CREATE TABLE substation_daily AS SELECT bus // 2 AS substation, d, sum(sales) AS sales FROM bus_daily GROUP BY ALL;
  CREATE TABLE area_monthly AS
    SELECT area, date_trunc('month', DATE '2025-11-01' + d::INTEGER) AS month, sum(supply::DOUBLE) AS supply,
           sum(sales) AS sales, (sum(supply::DOUBLE) - sum(sales)) / sum(supply::DOUBLE) AS rate
    FROM area_daily GROUP BY ALL;`);
const lastMonth = `(SELECT max(month) FROM area_monthly)`;
await run(`CREATE TABLE abnormal AS SELECT area FROM area_monthly WHERE month = ${lastMonth} AND rate > 0.07`);
const abnormalAreas = await scalar(`SELECT count(*) FROM abnormal`);
const correlationSeconds = await timed(`
  CREATE TABLE suspects AS
    SELECT u.c, corr(u.v::DOUBLE, a.loss) AS r
    FROM usage u JOIN area_daily a ON a.area = u.c // 100 AND a.d = u.d
    WHERE u.c // 100 IN (SELECT area FROM abnormal)
    GROUP BY u.c`);
const correlationAllSeconds = await timed(`
  CREATE TABLE correlations AS
    SELECT u.c, corr(u.v::DOUBLE, a.loss) AS r
    FROM usage u JOIN area_daily a ON a.area = u.c // 100 AND a.d = u.d
    GROUP BY u.c`);
console.log(JSON.stringify({ engine: 'duckdb', version: version(), grand_total: grandTotal,
  abnormal_areas: abnormalAreas, balance_seconds: balanceSeconds, correlation_seconds: correlationSeconds,
  correlation_all_seconds: correlationAllSeconds, threads: Number(threads) }));
