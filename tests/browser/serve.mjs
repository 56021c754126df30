// Starts `shindan serve` for a browser or API test on the first free port of a range, and stops it.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
