// What the browser and API tests share: their arguments, their checks, and starting `shindan serve`
// on the first free port of a range.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Resolves to { child, url } once the server says it listens; its standard error is kept in
// OUT_DIR/serve-PORT.err.
export async function startServer({ shindan, dataDir, db, outDir, ports: [first, last] }) {
  for (let port = first; port <= last; port++) {
    const errFile = join(outDir, `serve-${port}.err`);
    const child = spawn(shindan, ['--data-dir', dataDir, 'serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '8'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; writeFileSync(errFile, err); });
    const ready = await new Promise((done) => {
      child.on('exit', () => done(false));
      const poll = setInterval(() => { if (err.includes('listening on')) { clearInterval(poll); done(true); } }, 50);
    });
    if (ready) return { child, url: `http://127.0.0.1:${port}` };
  }
  throw new Error(`no free port in ${first}–${last}`);
}

// The test's arguments (SHINDAN_BINARY DATA_DIR OUT_DIR, made absolute; OUT_DIR created), or exit 2.
export function testArgs(script) {
  const [shindan, dataDir, outDir] = process.argv.slice(2).map((p) => p && resolve(p));
  if (!shindan || !dataDir || !outDir) {
    console.error(`usage: node ${script} SHINDAN_BINARY DATA_DIR OUT_DIR`);
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  return { shindan, dataDir, outDir };
}

// One line per check; the failures are kept for finish().
const failures = [];
export function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

// Exits 1 when a check failed.
export function finish() {
  if (failures.length) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }
}
