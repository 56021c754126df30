// The DuckDB peer of bench/report_bench.sh: the survey report's figures from a demo survey CSV.
//
//   node report.mjs SURVEY.csv ROOT [RUNS]
//
// ROOT is the shindan source folder (instruments/ and data/ are read from it, so the points and the
// prefecture regions are the ones shindan uses). Prints one JSON object: the load time, every query
// time, the best, and a few figures the bench script checks against shindan's report.
//
// Load (timed apart from the query): the CSV into one table, with what a DuckDB user would compute
// once per row rather than in every report — the size × industry × region classification (a type-S
// company in S / net / net, as the seed counts it), the profile bands of tables 7–10, the flags, the
// self-check total (sum of item points) — and the answers as a 1-byte ENUM.
//
// Query: DuckDB's fastest formulation we found. One GROUP BY into the cells size × industry ×
// region × total (a few thousand groups), with per-item answer counts, band and flag counts; then
// GROUPING SETS over the cells give the whole survey, each dimension (the 採点表: n, mean total,
// passed, item means) and the totals histogram — the same figures shindan's aggregate states hold.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [csv, root, runsArg] = process.argv.slice(2);
if (!csv || !root) {
  console.error('usage: node report.mjs SURVEY.csv ROOT [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;

const instrument = JSON.parse(readFileSync(`${root}/instruments/self-check-2009.json`, 'utf8'));
const org = JSON.parse(readFileSync(`${root}/instruments/org-checklist-2009.json`, 'utf8'));
const prefectures = JSON.parse(readFileSync(`${root}/data/prefectures.json`, 'utf8')).prefectures;
const passMark = instrument.scoring.pass_mark;
const codes = ['yes', 'partial', 'no', 'unknown', 'na'];
// Points per item and answer code, from the instrument (na: the not_applicable answer).
const points = instrument.items.map((item) => {
  const p = { [instrument.not_applicable.code]: instrument.not_applicable.points ?? 0 };
  for (const a of instrument.answer_sets[item.answers]) p[a.code] = a.points ?? 0;
  return { id: item.id, p };
});
const orgItems = org.items.map((i) => i.id);

const load = `
SET threads = 2;
CREATE TYPE answer AS ENUM (${codes.map(quote).join(', ')});
CREATE TYPE size_type AS ENUM ('A', 'B', 'C', 'S', 'unknown');
CREATE TYPE industry_type AS ENUM ('mfg', 'dist', 'svc', 'net', 'unknown');
CREATE TYPE region_type AS ENUM ('capital', 'regional1', 'regional2', 'other', 'net', 'unknown');
CREATE TABLE prefecture (name VARCHAR, region region_type);
INSERT INTO prefecture VALUES ${prefectures.map((p) => `(${quote(p.name)}, ${quote(p.region)})`).join(', ')};
CREATE TABLE responses AS
WITH raw AS (
  SELECT * REPLACE (TRY_CAST(employees AS INTEGER) AS employees, TRY_CAST(sites AS INTEGER) AS sites,
                    TRY_CAST(it_staff AS INTEGER) AS it_staff, TRY_CAST(servers AS INTEGER) AS servers),
         it_core = 'yes' OR industry = 'net' AS s
  FROM read_csv(${quote(csv)}, header = true, all_varchar = true)
)
SELECT
  (CASE WHEN s THEN 'S' WHEN employees BETWEEN 0 AND 19 THEN 'A' WHEN employees BETWEEN 20 AND 99 THEN 'B'
        WHEN employees BETWEEN 100 AND 300 THEN 'C' ELSE 'unknown' END)::size_type AS size,
  (CASE WHEN s THEN 'net' WHEN industry IN ('mfg', 'dist', 'svc') THEN industry ELSE 'unknown' END)::industry_type AS industry,
  CASE WHEN s THEN 'net'::region_type ELSE coalesce(p.region, 'unknown') END AS region,
  (CASE WHEN sites IS NULL OR sites < 1 THEN 3 WHEN sites = 1 THEN 0 WHEN sites <= 3 THEN 1 ELSE 2 END)::UTINYINT AS sites_band,
  (CASE WHEN it_staff IS NULL THEN 4 WHEN it_staff <= 0 THEN 0 WHEN it_staff = 1 THEN 1 WHEN it_staff <= 3 THEN 2 ELSE 3 END)::UTINYINT AS it_staff_band,
  (CASE WHEN servers IS NULL THEN 4 WHEN servers <= 0 THEN 0 WHEN servers = 1 THEN 1 WHEN servers <= 3 THEN 2 ELSE 3 END)::UTINYINT AS servers_band,
  ${['core', 'info', 'front', 'other'].map((u) => `list_contains(string_split(coalesce(it_uses, ''), ';'), '${u}') AS use_${u}`).join(',\n  ')},
  coalesce(certifications, '') <> '' AS certified,
  qualified_staff = 'yes' AS qualified, knows_ipa = 'yes' AS knows_ipa, knows_benchmark = 'yes' AS knows_benchmark,
  (${points.map(({ id, p }) => `CASE ${id} ${Object.entries(p).map(([c, v]) => `WHEN '${c}' THEN ${v}`).join(' ')} ELSE 0 END`).join('\n   + ')})::SMALLINT AS total,
  (${orgItems.map((id) => `${id} IS NOT NULL`).join(' OR ')}) AS org_answered,
  ${points.map(({ id }) => `${id}::answer AS ${id}`).join(', ')},
  ${orgItems.map((id) => `${id}::answer AS ${id}`).join(', ')}
FROM raw LEFT JOIN prefecture p ON p.name = raw.prefecture;
`;

const cellCounts = [
  'count(*) AS n',
  ...['certified', 'qualified', 'knows_ipa', 'knows_benchmark', 'use_core', 'use_info', 'use_front', 'use_other',
      'org_answered'].map((c) => `count_if(${c}) AS ${c}`),
  ...[0, 1, 2, 3].map((b) => `count_if(sites_band = ${b}) AS sites_${b}`),
  ...['it_staff', 'servers'].flatMap((c) => [0, 1, 2, 3, 4].map((b) => `count_if(${c}_band = ${b}) AS ${c}_${b}`)),
  ...points.flatMap(({ id }) => codes.map((c) => `count_if(${id} = '${c}') AS ${id}_${c}`)),
  ...orgItems.flatMap((id) => ['yes', 'no'].map((c) => `count_if(${id} = '${c}') AS ${id}_${c}`)),
];
const summed = (name) => `sum(${name})::BIGINT AS ${name}`;
const rollup = [
  'sum(n)::BIGINT AS n',
  'sum(n * total)::BIGINT AS total_sum',
  `coalesce(sum(n) FILTER (WHERE total >= ${passMark}), 0)::BIGINT AS passed`,
  `coalesce(sum(certified) FILTER (WHERE total < ${passMark}), 0)::BIGINT AS certified_under_pass`,
  ...cellCounts.slice(1).map((c) => summed(c.split(' AS ')[1])),
  // The 採点表: each item's mean points over those who answered it.
  ...points.map(({ id, p }) => `(${codes.map((c) => `${p[c] ?? 0} * sum(${id}_${c})`).join(' + ')}) / ` +
    `nullif(${codes.map((c) => `sum(${id}_${c})`).join(' + ')}, 0) AS ${id}_mean`),
];
const query = `
WITH cells AS (
  SELECT size, industry, region, total,
    ${cellCounts.join(',\n    ')}
  FROM responses
  GROUP BY size, industry, region, total
)
SELECT grouping(size, industry, region, total) AS grouping_id, size::VARCHAR AS size, industry::VARCHAR AS industry,
  region::VARCHAR AS region, total,
  ${rollup.join(',\n  ')}
FROM cells
GROUP BY GROUPING SETS ((), (size), (industry), (region), (total))
ORDER BY grouping_id, size, industry, region, total`;

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const db = await instance.connect();
let t = performance.now();
await db.run(load);
const loadSeconds = (performance.now() - t) / 1000;
const times = [];
let rows;
for (let i = 0; i < runs; i++) {
  t = performance.now();
  const reader = await db.runAndReadAll(query);
  rows = reader.getRowObjectsJson();
  times.push((performance.now() - t) / 1000);
}

// Figures to check against shindan's report (grouping_id: 15 = the whole survey, 7 by size, 11 by industry, 13 by region, 14 by total).
const whole = rows.find((r) => Number(r.grouping_id) === 15);
const bySize = Object.fromEntries(rows.filter((r) => Number(r.grouping_id) === 7).map((r) => [r.size, Number(r.n)]));
const totals = rows.filter((r) => Number(r.grouping_id) === 14).length;
const threads = (await db.runAndReadAll("SELECT current_setting('threads') AS t")).getRowObjectsJson()[0].t;
console.log(JSON.stringify({
  duckdb: (await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0].v,
  threads: Number(threads),
  load_s: loadSeconds,
  query_s: Math.min(...times),
  runs: times,
  result_rows: rows.length,
  figures: {
    respondents: Number(whole.n),
    passed: Number(whole.passed),
    size_type: bySize,
    sc25_no: Number(whole.sc25_no),
    certified: Number(whole.certified),
    certified_under_pass: Number(whole.certified_under_pass),
    org_respondents: Number(whole.org_answered),
    distinct_totals: totals,
    sc01_mean: Number(whole.sc01_mean),
  },
}));
