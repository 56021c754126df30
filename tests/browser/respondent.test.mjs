// The respondent's way in a real browser (Debian's Chromium, never a downloaded one): a fresh
// invitation link → profile → the 25 items → result → survey profile, in Japanese and English, on
// a 360-px phone and a desktop, with JavaScript on and off. Counts the interactions (taps, choices,
// page changes) and the bytes each page transfers, checks nothing comes from another host, and
// keeps a screenshot of each result page. With JavaScript on, axe-core (npm) checks every page of
// the way, an answer refused and an unusable link for accessibility: no serious or critical
// violation (the markup is the same with JavaScript off: the server renders it).
//
//   node respondent.test.mjs SHINDAN_BINARY DATA_DIR OUT_DIR
//
// Starts `shindan serve` on a free port of 18080–18099 on a new SQLite database in OUT_DIR.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { check, finish, startServer, testArgs } from './harness.mjs';

const { shindan, dataDir, outDir } = testArgs('respondent.test.mjs');
const db = join(outDir, 'respondent.db');

// axe-core runs in the page through the DevTools protocol, which the page's Content-Security-Policy
// (no inline script) does not govern, so the server's real headers stay in force.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const axeChecked = [];
async function checkAxe(page, label, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `${label}: axe-core finds no serious or critical violation on ${what}` +
    bad.map((v) => ` [${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}]`).join(''));
  axeChecked.push(what);
}

// The survey holds the demo's 66 companies first, so that each result has peers to stand among,
// and 表1 as its population frame, so that the percentile is weighted.
execFileSync(shindan, ['--data-dir', dataDir, 'demo', '-o', join(outDir, 'peers.csv')]);
execFileSync(shindan, ['--data-dir', dataDir, 'import', '--db', db, '--survey', 'browser', join(outDir, 'peers.csv')]);
execFileSync(shindan, ['--data-dir', dataDir, 'frame', 'attach', '--db', db, '--survey', 'browser',
  join(dataDir, 'data/frames/teikoku-2009-corrected.csv')]);
const server = await startServer({ shindan, dataDir, db, outDir, ports: [18090, 18099] });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const summary = [];
try {
  {
    // The check itself must be able to fail: a page with an image without text and an unlabelled
    // field has critical violations.
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"><input></main></html>');
    await page.evaluate(axeSource);
    const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const ids = r.violations.filter((v) => v.impact === 'critical').map((v) => v.id).sort().join(',');
    check(ids === 'image-alt,label', `axe-core finds the critical violations of a bad page (${ids})`);
    await page.close();
  }
  for (const lang of ['ja', 'en']) {
    for (const device of [{ name: 'phone', width: 360, height: 740 }, { name: 'desktop', width: 1200, height: 900 }]) {
      for (const js of [true, false]) {
        const label = `${lang} ${device.name} js-${js ? 'on' : 'off'}`;
        const link = execFileSync(shindan, ['invite', '--db', db, '--survey', 'browser', '--new', '1', '--base-url', server.url])
          .toString().trim();
        const context = await browser.newContext({
          viewport: { width: device.width, height: device.height }, javaScriptEnabled: js,
          locale: lang === 'ja' ? 'ja-JP' : 'en-GB', extraHTTPHeaders: { 'Accept-Language': lang },
        });
        const page = await context.newPage();
        const outside = [];
        const pageBytes = {};
        page.on('request', (r) => { if (!r.url().startsWith(server.url)) outside.push(r.url()); });
        page.on('response', async (r) => {
          const body = await r.body().catch(() => Buffer.alloc(0));
          pageBytes[r.url()] = Math.max(pageBytes[r.url()] ?? 0, body.length);
        });
        let interactions = 0;
        await page.goto(link);  // 1: opening the link
        interactions++;
        check(await page.locator('html').getAttribute('lang') === lang, `${label}: html lang=${lang}`);
        check(await page.locator('main[data-step="profile"]').count() === 1, `${label}: profile first`);
        if (js) {
          await checkAxe(page, label, 'the profile page');
          // An answer refused: the page comes back with the message beside the field.
          await page.fill('#i-employees', '-3');
          await page.click('[data-action="next"]');
          await page.waitForSelector('[role="alert"]');
          await checkAxe(page, label, 'the profile page with an error');
          await page.goto(`${server.url}/r/not-a-token`);
          await checkAxe(page, label, 'the page of an unusable link');
          await page.goto(link);
        }
        await page.fill('#i-employees', lang === 'ja' ? '１５' : '15'); interactions++;
        await page.locator('input[name="industry"][value="mfg"]').check(); interactions++;
        await page.selectOption('#i-prefecture', '13'); interactions++;
        await page.locator('input[name="it_core"][value="no"]').check(); interactions++;
        await page.click('[data-action="next"]'); interactions++;
        await page.waitForSelector('main[data-step="items"]');
        const items = await page.locator('fieldset.item').count();
        check(items === 25, `${label}: ${items} items`);
        if (js) await checkAxe(page, label, 'the items page');
        for (let i = 1; i <= 25; i++) {
          const name = `sc${String(i).padStart(2, '0')}`;
          await page.locator(`label.option:has(input[name="${name}"][value="${i === 3 ? 'no' : 'yes'}"])`).click();
          interactions++;
        }
        if (js) {
          check((await page.locator('[data-answered]').textContent()) === '25', `${label}: 25 / 25 answered shown`);
        }
        const small = await page.evaluate(() => Math.min(...[...document.querySelectorAll('label.option')]
          .map((l) => l.getBoundingClientRect().height)));
        check(small >= 44, `${label}: every option at least 44 px high (${small.toFixed(0)})`);
        await page.click('[data-action="next"]'); interactions++;
        await page.waitForSelector('main[data-step="result"]');
        const total = await page.locator('[data-total]').getAttribute('data-total');
        check(total === '96', `${label}: total ${total} (24 yes, 1 no)`);
        check(await page.locator('svg.radar polygon.company').count() === 1, `${label}: radar chart`);
        check(await page.locator('svg.radar polygon.peers').count() === 1, `${label}: the peers' means on the radar`);
        const standing = page.locator('[data-percentile]');
        const percentile = await standing.getAttribute('data-percentile');
        check(Number(percentile) > 50 && Number(percentile) <= 100, `${label}: percentile among peers ${percentile} (96 points)`);
        const [weighted, low, high] = await Promise.all(['data-weighted', 'data-ci-low', 'data-ci-high'].map((a) => standing.getAttribute(a)));
        check(weighted === 'true' && Number(low) <= Number(percentile) && Number(percentile) <= Number(high),
          `${label}: weighted to the population, ${percentile} within its interval ${low}–${high}`);
        const said = await standing.textContent();
        check(said.includes(lang === 'ja' ? `母集団で重み付け。95% 区間 ${low}〜${high}` : `weighted to the population; 95% interval ${low}–${high}`),
          `${label}: the interval said in words (${said})`);
        check((await page.locator('.peers .note.weighting').textContent()).includes('teikoku-2009-corrected.csv'),
          `${label}: the frame named`);
        check(await page.locator('svg.peers-histogram').isVisible() && await page.locator('svg.peers-histogram line.mark').count() === 1,
          `${label}: the peers' histogram, own total marked`);
        if (js) await checkAxe(page, label, 'the result page');
        await page.screenshot({ path: join(outDir, `result-${lang}-${device.name}-js-${js ? 'on' : 'off'}.png`), fullPage: true });
        check(interactions <= 35, `${label}: ${interactions} interactions from the link to the result (at most 35)`);
        await page.click('[data-action="next"]');
        await page.waitForSelector('main[data-step="survey-profile"]');
        if (js) await checkAxe(page, label, 'the survey-profile page');
        check(outside.length === 0, `${label}: nothing from another host ${outside.join(' ')}`);
        const biggest = Math.max(...Object.values(pageBytes));
        check(biggest < 100 * 1024, `${label}: largest response ${biggest} bytes (under 100 KB)`);
        summary.push({ label, interactions, biggest_response_bytes: biggest });
        await context.close();
      }
    }
  }
  // わからない sent to a colleague: the respondent makes a one-item link on the result page, the
  // colleague (another browser, a phone) answers that one item, the respondent's result follows.
  for (const [lang, js] of [['ja', true], ['en', false]]) {
    const label = `colleague ${lang} js-${js ? 'on' : 'off'}`;
    const link = execFileSync(shindan, ['invite', '--db', db, '--survey', 'browser', '--new', '1', '--base-url', server.url])
      .toString().trim();
    const token = link.slice(link.lastIndexOf('/') + 1);
    const answers = {};
    for (let i = 1; i <= 25; i++) answers[`sc${String(i).padStart(2, '0')}`] = i === 7 ? 'unknown' : 'yes';
    const saved = await fetch(`${server.url}/api/v1/r/${token}/answers`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { employees: '15', industry: 'mfg', prefecture: '13', it_core: 'no' }, answers }),
    });
    check(saved.status === 200, `${label}: the sheet saved through the API (${saved.status})`);
    const options = { viewport: { width: 360, height: 740 }, javaScriptEnabled: js, extraHTTPHeaders: { 'Accept-Language': lang } };
    const respondent = await browser.newContext(options);
    const page = await respondent.newPage();
    await page.goto(`${link}/result`);
    check(await page.locator('[data-total]').getAttribute('data-total') === '95', `${label}: 24 yes and one わからない: 95`);
    await page.click('#u-sc07 [data-action="ask"]');
    await page.waitForSelector('main[data-step="ask"]');
    const itemLink = await page.locator('[data-ask-link]').inputValue();
    check(itemLink.startsWith(`${server.url}/q/`), `${label}: the page shows the colleague's link`);
    if (js) await checkAxe(page, label, 'the page of a colleague\'s link');
    const colleague = await browser.newContext(options);
    const other = await colleague.newPage();
    await other.goto(itemLink);
    check(await other.locator('main[data-step="colleague"]').count() === 1, `${label}: the colleague's page`);
    check(await other.locator('fieldset.item').count() === 1, `${label}: the colleague sees one item`);
    check(await other.locator('[data-total]').count() === 0, `${label}: and not the result`);
    if (js) await checkAxe(other, label, 'the colleague\'s page');
    await other.locator('label.option:has(input[name="sc07"][value="yes"])').click();
    await other.click('[data-action="next"]');
    await other.waitForSelector('[data-answered-by-colleague]');
    await other.screenshot({ path: join(outDir, `colleague-${lang}-js-${js ? 'on' : 'off'}.png`), fullPage: true });
    await page.goto(`${link}/result`);
    check(await page.locator('[data-total]').getAttribute('data-total') === '100', `${label}: the result follows the colleague's answer`);
    check(await page.locator('[data-colleague-answer="sc07"]').count() === 1, `${label}: the result names the colleague's answer`);
    await colleague.close();
    await respondent.close();
  }
} finally {
  await browser.close();
  server.child.kill('SIGTERM');
}
writeFileSync(join(outDir, 'respondent-summary.json'), JSON.stringify({ runs: summary, axe_checked: axeChecked }, null, 2));
console.log(JSON.stringify(summary));
finish();
