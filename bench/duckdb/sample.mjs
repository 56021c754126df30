// The DuckDB peer of bench/sample_bench.sh: the stratified draw of `shindan sample`.
//
//   node sample.mjs COMPANIES.csv DESIGN.json OUT.csv
//
// Reads the company list, puts each company in the first design cell that matches it (a CASE
// generated from the design, which DuckDB evaluates in the scan — faster than joining a cells
// table on list predicates), numbers the companies of each cell in random order and keeps the first
// target + reserve (ROW_NUMBER() OVER (PARTITION BY cell ORDER BY random()), the textbook SQL), and
// writes cell, role, rank and the list's columns as CSV, as shindan does. Prints one JSON object
// with the time inside DuckDB (read, draw and write: one statement) and the rows drawn.
//
// Not the same work as shindan: shindan also refuses repeated or missing ids and companies claimed
// by two cells, and its draw is reproducible from --seed (DuckDB's random() is not, across thread
// schedules); ORDER BY hash(seed, company_id) would be, at about the same cost.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [companies, designPath, out] = process.argv.slice(2);
if (!companies || !designPath || !out) {
  console.error('usage: node sample.mjs COMPANIES.csv DESIGN.json OUT.csv');
  process.exit(2);
}
const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

const design = JSON.parse(readFileSync(designPath, 'utf8'));
const ratio = design.reserve_ratio ?? 0;
const cells = design.cells.map((c, i) => ({
  no: i + 1,
  label: c.label,
  match: c.match,
  target: c.target,
  reserve: c.reserve ?? Math.ceil(c.target * ratio),
}));
const cellOf = `CASE ${cells.map((c) => `WHEN ${Object.entries(c.match).map(([col, values]) =>
  `${ident(col)} IN (${values.map(quote).join(', ')})`).join(' AND ') || 'true'} THEN ${c.no}`).join('\n    ')} END`;
const cellTable = cells.map((c) => `(${c.no}, ${quote(c.label)}, ${c.target}, ${c.reserve})`).join(', ');

const sql = `
COPY (
  WITH design(cell_no, label, target, reserve) AS (VALUES ${cellTable}),
  placed AS (
    SELECT ${cellOf} AS cell_no, *
    FROM read_csv(${quote(companies)}, header = true, all_varchar = true)
  ),
  drawn AS (
    SELECT placed.*, design.label, design.target,
           row_number() OVER (PARTITION BY placed.cell_no ORDER BY random()) AS n
    FROM placed JOIN design USING (cell_no)
    QUALIFY n <= design.target + design.reserve
  )
  SELECT label AS cell, CASE WHEN n <= target THEN 'main' ELSE 'reserve' END AS role,
         CASE WHEN n <= target THEN n ELSE n - target END AS rank,
         * EXCLUDE (cell_no, label, target, n)
  FROM drawn
  ORDER BY cell_no, n
) TO ${quote(out)} (HEADER, DELIMITER ',')`;

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();
const t = performance.now();
const result = await db.run(sql);
const seconds = (performance.now() - t) / 1000;
console.log(JSON.stringify({
  duckdb: (await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v,
  query_s: seconds,
  drawn: Number(result.rowsChanged),
  cells: cells.length,
  wanted: cells.reduce((s, c) => s + c.target + c.reserve, 0),
}));
