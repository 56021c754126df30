// The JSON API (/api/v1) against its OpenAPI document: the document served by `shindan serve` is
// checked by a real validator (@apidevtools/swagger-parser), then a respondent's whole way is
// made through the API, and every response is checked against the document's schema for its
// path, method and status (ajv). Every operation of the document is called at least once.
//
//   node api.test.mjs SHINDAN_BINARY DATA_DIR OUT_DIR
//
// Starts `shindan serve` on a free port of 18070–18079 on a new SQLite database in OUT_DIR.
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, finish, startServer, testArgs } from './harness.mjs';

const { shindan, dataDir, outDir } = testArgs('api.test.mjs');
const db = join(outDir, 'api.db');

execFileSync(shindan, ['--data-dir', dataDir, 'demo', '-o', join(outDir, 'peers.csv')]);
execFileSync(shindan, ['--data-dir', dataDir, 'import', '--db', db, '--survey', 'api', join(outDir, 'peers.csv')]);
execFileSync(shindan, ['--data-dir', dataDir, 'frame', 'attach', '--db', db, '--survey', 'api',
  join(dataDir, 'data/frames/teikoku-2009-corrected.csv')]);
const server = await startServer({ shindan, dataDir, db, outDir, ports: [18070, 18079] });
const invite = () => execFileSync(shindan, ['invite', '--db', db, '--survey', 'api', '--new', '1', '--base-url', server.url])
  .toString().trim().split('/').pop();

try {
  const docResponse = await fetch(`${server.url}/api/openapi.json`);
  const doc = await docResponse.json();
  check(docResponse.status === 200, 'GET /api/openapi.json answers 200');
  let api;
  try {
    api = await SwaggerParser.validate(structuredClone(doc));
    check(true, `the document is valid OpenAPI ${api.openapi}`);
  } catch (e) {
    check(false, `the document is valid OpenAPI: ${e.message}`);
    throw e;
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  const called = new Set();

  // Calls the API and checks the answer against the document's schema for (path, method, status).
  async function call(method, pattern, params, { body, json = true, status } = {}) {
    const path = pattern.replace(/\{(\w+)\}/g, (_, name) => params[name]);
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
    const r = await fetch(server.url + path, {
      method, headers, redirect: 'manual',
      body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    });
    const what = `${method} ${pattern} → ${r.status}`;
    const text = await r.text();
    let value;
    try { value = JSON.parse(text); } catch { check(false, `${what}: a JSON body (${text.slice(0, 80)})`); return { status: r.status }; }
    if (status !== undefined) check(r.status === status, `${what}: status ${status} expected`);
    const operation = api.paths[pattern]?.[method.toLowerCase()];
    const response = operation?.responses?.[String(r.status)] ?? operation?.responses?.default;
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) {
      check(false, `${what}: the document describes this answer`);
    } else {
      const validate = ajv.compile(schema);
      check(validate(value), `${what}: matches its schema${validate.errors ? ' ' + ajv.errorsText(validate.errors) : ''}`);
    }
    check(r.headers.get('content-type')?.startsWith('application/json'), `${what}: application/json`);
    called.add(`${method} ${pattern}`);
    return { status: r.status, body: value, headers: r.headers };
  }

  const token = invite();
  const t = { token };
  const items = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`sc${String(i + 1).padStart(2, '0')}`, i === 2 ? 'no' : 'yes']));
  const profile = { employees: 15, industry: 'mfg', prefecture: '13', it_core: false };

  let r = await call('GET', '/api/v1/r/{token}', t, { status: 200 });
  check(r.body.step === 'profile' && r.body.answered === 0, 'a new link starts at the profile with nothing answered');
  check(r.headers.get('cache-control') === 'no-store', 'a respondent\'s answer is not cached');

  r = await call('POST', '/api/v1/r/{token}/answers', t, { body: { profile: { ...profile, employees: -3 }, answers: { sc01: 'yes' } }, status: 422 });
  check(r.body.error.field === 'employees', `an employee count of -3 is refused naming the field (${r.body.error.field})`);
  r = await call('GET', '/api/v1/r/{token}', t, { status: 200 });
  check(Object.keys(r.body.profile).length === 0 && r.body.answered === 0, 'a refused request saved nothing');
  r = await call('POST', '/api/v1/r/{token}/answers', t, { body: { answers: { sc99: 'yes' } }, status: 422 });
  check(r.body.error.field === 'sc99', 'an unknown item is refused naming it');
  r = await call('POST', '/api/v1/r/{token}/answers', t, { body: { answers: { sc01: 'maybe' } }, status: 422 });
  check(r.body.error.field === 'sc01', 'an answer the item does not take is refused naming it');
  await call('POST', '/api/v1/r/{token}/answers', t, { body: '{"answers": {"sc01": "yes", "sc01": "no"}}', status: 400 });
  await call('POST', '/api/v1/r/{token}/answers', t, { body: '{"answers": ', status: 400 });
  await call('POST', '/api/v1/r/{token}/answers', t, { body: 'sc01=yes', json: false, status: 415 });
  r = await call('GET', '/api/v1/r/{token}/result', t, { status: 409 });
  check(r.body.error.code === 'incomplete', 'no result before the profile and the items');

  r = await call('POST', '/api/v1/r/{token}/answers', t, { body: { profile, answers: items }, status: 200 });
  check(r.body.step === 'result' && r.body.answered === 25 && r.body.saved === 29, `profile and 25 items saved (step ${r.body.step}, ${r.body.saved} values)`);
  r = await call('GET', '/api/v1/r/{token}/result', t, { status: 200 });
  check(r.body.diagnosis.total === 96 && r.body.diagnosis.passed === true, `the result: 96 points, passed (${r.body.diagnosis.total})`);
  check(r.body.peers && r.body.peers.percentile > 50 && r.body.peers.bands.reduce((a, b) => a + b, 0) === r.body.peers.companies,
    `the percentile among peers from the survey's 66 companies (${JSON.stringify(r.body.peers)})`);
  check(r.body.peers.weighted === true && r.body.peers.frame === 'teikoku-2009-corrected.csv' && r.body.peers.not_weighted === null &&
    r.body.peers.ci_low <= r.body.peers.percentile && r.body.peers.percentile <= r.body.peers.ci_high,
  'the percentile weighted by the survey\'s frame, within its interval');
  execFileSync(shindan, ['--data-dir', dataDir, 'frame', 'detach', '--db', db, '--survey', 'api']);
  r = await call('GET', '/api/v1/r/{token}/result', t, { status: 200 });
  check(r.body.peers.weighted === false && r.body.peers.ci_low === null && r.body.peers.frame === null &&
    r.body.peers.not_weighted?.code === 'no_frame' && /population frame/.test(r.body.peers.not_weighted.message),
  `without a frame, unweighted and saying why (${JSON.stringify(r.body.peers.not_weighted)})`);
  check(r.body.diagnosis.unmet.some((u) => u.item === 'sc03') && r.body.diagnosis.plan.length > 0, 'the item not met and the plan');

  r = await call('POST', '/api/v1/r/{token}/submit', t, { body: {}, status: 422 });
  check(r.body.error.field && Object.keys(r.body.error.errors).length >= 5, 'recording waits for the survey\'s other profile questions');
  const rest = { sites: 1, it_staff: 2, it_uses: ['core', 'info'], servers: 1, qualified_staff: false, knows_ipa: true, knows_benchmark: false };
  await call('POST', '/api/v1/r/{token}/answers', t, { body: { profile: rest }, status: 200 });
  r = await call('POST', '/api/v1/r/{token}/submit', t, { body: {}, status: 200 });
  check(r.body.recorded === 'self-check-2009' && r.body.step === 'org', `the self-check recorded; the org checklist next (${r.body.step})`);
  r = await call('GET', '/api/v1/r/{token}', t, { status: 200 });
  check(r.body.recorded && r.body.instrument === 'org-checklist-2009' && r.body.answered === 0, 'now answering the org checklist');
  const org = Object.fromEntries(r.body.items ? Array.from({ length: 7 }, (_, i) => [`oc1_${i + 1}`, 'yes']) : []);
  await call('POST', '/api/v1/r/{token}/answers', t, { body: { answers: org }, status: 200 });
  r = await call('POST', '/api/v1/r/{token}/submit', t, { body: {}, status: 422 });
  check(r.body.error.code === 'invalid', 'the org checklist is recorded only when whole');
  const orgIds = ['oc2_1', 'oc2_2', 'oc2_3', 'oc3_1', 'oc3_2', 'oc3_3', 'oc3_4', 'oc3_5', 'oc4_1', 'oc4_2', 'oc4_3', 'oc4_4', 'oc4_5', 'oc5_1', 'oc5_2'];
  await call('POST', '/api/v1/r/{token}/answers', t, { body: { answers: Object.fromEntries(orgIds.map((id) => [id, 'no'])) }, status: 200 });
  r = await call('POST', '/api/v1/r/{token}/submit', t, { body: {}, status: 200 });
  check(r.body.recorded === 'org-checklist-2009' && r.body.step === 'org-result', 'the org checklist recorded');
  r = await call('POST', '/api/v1/r/{token}/submit', t, { body: {}, status: 409 });
  check(r.body.error.code === 'already_recorded', 'a third submission is refused');
  const page = await fetch(`${server.url}/r/${token}`, { redirect: 'manual' });
  check(page.status === 303 && page.headers.get('location').endsWith('/org-result'), 'the pages continue where the API left off');
  execFileSync(shindan, ['export', '--db', db, '--survey', 'api', '--format', 'json', '-o', join(outDir, 'export.json')]);
  const exported = readFileSync(join(outDir, 'export.json'), 'utf8');
  check(exported.includes(`web-`) && exported.includes('"oc5_2"'), 'the response is in the survey\'s export');

  // A one-item link for a colleague: item 3 (answered "no") asked again, answered "yes".
  r = await call('POST', '/api/v1/r/{token}/ask', t, { body: { item: 'sc03' }, status: 201 });
  check(r.body.link.startsWith(`${server.url}/q/`), 'the colleague\'s link');
  const q = { token: r.body.link.slice(r.body.link.lastIndexOf('/') + 1) };
  await call('POST', '/api/v1/r/{token}/ask', t, { body: { item: 'sc99' }, status: 422 });
  await call('POST', '/api/v1/r/{token}/ask', t, { body: {}, status: 400 });
  r = await call('GET', '/api/v1/q/{token}', q, { status: 200 });
  check(r.body.item.id === 'sc03' && r.body.answer === null, 'the colleague sees the one item, not yet answered');
  await call('POST', '/api/v1/q/{token}', q, { body: { answer: 'maybe' }, status: 422 });
  await call('POST', '/api/v1/q/{token}', q, { body: {}, status: 400 });
  r = await call('POST', '/api/v1/q/{token}', q, { body: { answer: 'yes' }, status: 200 });
  check(r.body.answer === 'yes' && r.body.answered_at !== null, 'the colleague\'s answer saved');
  r = await call('GET', '/api/v1/r/{token}/result', t, { status: 200 });
  check(r.body.diagnosis.total === 100, `the result follows the colleague's answer (${r.body.diagnosis.total})`);
  await call('GET', '/api/v1/q/{token}', t, { status: 404 });

  r = await call('GET', '/api/v1/r/{token}', { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { status: 404 });
  check(r.body.error.code === 'invalid_link', 'an unknown token: invalid_link');
  r = await call('GET', '/api/v1/r/{token}/result', { token: 'x' }, { status: 404 });

  const sheet = readFileSync(join(dataDir, 'tests/fixtures/sheets/all-yes.json'), 'utf8');
  r = await call('POST', '/api/v1/score', {}, { body: sheet, status: 200 });
  const cli = JSON.parse(execFileSync(shindan, ['--data-dir', dataDir, 'score', '--json', join(dataDir, 'tests/fixtures/sheets/all-yes.json')]).toString());
  check(JSON.stringify(r.body) === JSON.stringify(cli), 'POST /api/v1/score answers what `shindan score --json` prints');
  r = await call('POST', '/api/v1/score', {}, { body: { answers: { sc01: 'yes' } }, status: 422 });
  check(/sc02/.test(r.body.error.message), 'an incomplete sheet is refused naming what is missing');
  await call('POST', '/api/v1/score', {}, { body: [], status: 400 });

  await call('GET', '/api/openapi.json', {}, { status: 200 });
  for (const [path, item] of Object.entries(api.paths)) {
    for (const method of Object.keys(item).filter((m) => m !== 'parameters')) {
      check(called.has(`${method.toUpperCase()} ${path}`), `${method.toUpperCase()} ${path} was called`);
    }
  }
} finally {
  server.child.kill('SIGTERM');
}
finish();
console.log('api test: all checks passed');
