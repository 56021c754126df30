import { DuckDBInstance } from '@duckdb/node-api';
import { performance } from 'node:perf_hooks';
const i = await DuckDBInstance.create(':memory:', { threads: '2' });
const c = await i.connect();
const q = async (label, sql) => { const t = performance.now(); const r = await c.runAndReadAll(sql); console.log(label, ((performance.now() - t)/1000).toFixed(3), r.getRowObjectsJson().length); };
const src = "read_csv('/tmp/co12.csv', header=true, all_varchar=true)";
const cell = "size_type || region || industry";
for (let k = 0; k < 2; k++) {
await q('scan only', `SELECT count(*) FROM ${src}`);
await q('row_number', `SELECT * FROM (SELECT *, ${cell} AS cell FROM ${src}) QUALIFY row_number() OVER (PARTITION BY cell ORDER BY random()) <= 8`);
await q('min_by n', `SELECT cell, unnest(min_by(company_id, random(), 8)) FROM (SELECT *, ${cell} AS cell FROM ${src}) GROUP BY cell`);
}
