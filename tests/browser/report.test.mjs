// Opens the HTML report in a real browser (Debian's Chromium, never a downloaded one) and checks
// what a reader would see: the title, every table and chart laid out with a size, the charts'
// marks drawn, nothing fetched from outside the file, no script run, and that it prints on A4.
//
//   node report.test.mjs REPORT.html [SCREENSHOT.png [REPORT.pdf]]
//
// REPORT.html may also come from SHINDAN_REPORT_HTML. SHINDAN_EXPECT_CHARTS lists the chart kinds
// that must be present (default "bars,histogram,heatmap"; empty for none). Exits nonzero on failure.
import { chromium } from 'playwright-core';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const htmlPath = process.argv[2] || process.env.SHINDAN_REPORT_HTML;
if (!htmlPath || !existsSync(htmlPath)) {
  console.error(`usage: node report.test.mjs REPORT.html [SCREENSHOT.png [REPORT.pdf]] (got ${htmlPath})`);
  process.exit(2);
}
const screenshotPath = process.argv[3] || join(tmpdir(), 'shindan-report.png');
const pdfPath = process.argv[4] || join(tmpdir(), 'shindan-report.pdf');
const expectCharts = (process.env.SHINDAN_EXPECT_CHARTS ?? 'bars,histogram,heatmap')
  .split(',').map((s) => s.trim()).filter(Boolean);
const url = pathToFileURL(resolve(htmlPath)).href;

const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) outside.push(request.url());
  });
  const dialogs = [];
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  const consoleErrors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });

  await page.goto(url, { waitUntil: 'load' });

  // Title: the page's <title> begins with the report title shown in <h1>.
  const title = await page.title();
  const h1 = (await page.locator('h1').first().evaluate((el) => el.firstChild?.textContent ?? '')).trim();
  check(title.length > 0 && h1.length > 0 && title.startsWith(h1), `title "${title}" starts with h1 "${h1}"`);
  const lang = await page.locator('html').getAttribute('lang');
  check(lang === 'ja' || lang === 'en', `html lang="${lang}"`);

  // Every table and chart is laid out and visible, with a size.
  const boxes = await page.evaluate(() => {
    const box = (el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      return { w: r.width, h: r.height, visible: style.visibility !== 'hidden' && style.display !== 'none',
        label: el.closest('figure')?.id ?? el.tagName };
    };
    return {
      tables: [...document.querySelectorAll('table')].map(box),
      svgs: [...document.querySelectorAll('svg')].map(box),
    };
  });
  check(boxes.tables.length > 0, `${boxes.tables.length} tables`);
  for (const t of boxes.tables) check(t.visible && t.w > 0 && t.h > 0, `table ${t.label} ${t.w.toFixed(0)}×${t.h.toFixed(0)}`);
  check(boxes.svgs.length > 0, `${boxes.svgs.length} charts`);
  for (const s of boxes.svgs) check(s.visible && s.w > 0 && s.h > 0, `chart ${s.label} ${s.w.toFixed(0)}×${s.h.toFixed(0)}`);
  for (const el of await page.locator('table, svg').all()) {
    if (!(await el.isVisible())) check(false, 'a table or chart is not visible');
  }

  // The charts' marks are drawn with a size: bars, bins, heat-map cells.
  const marks = await page.evaluate(() => {
    const out = {};
    for (const svg of document.querySelectorAll('svg[data-chart]')) {
      const kind = svg.dataset.chart;
      const rects = [...svg.querySelectorAll('rect')].filter((r) => {
        const b = r.getBoundingClientRect();
        return b.width > 0 && b.height > 0;
      });
      const o = (out[kind] ??= { charts: 0, rects: 0, accessible: true });
      o.charts += 1;
      o.rects += rects.length;
      o.accessible &&= svg.getAttribute('role') === 'img' && !!svg.getAttribute('aria-label') &&
        svg.firstElementChild?.tagName.toLowerCase() === 'title';
    }
    return out;
  });
  for (const kind of expectCharts) {
    const m = marks[kind];
    check(!!m && m.rects > 0, `${kind}: ${m?.charts ?? 0} chart(s), ${m?.rects ?? 0} drawn rects`);
  }
  for (const [kind, m] of Object.entries(marks)) check(m.accessible, `${kind}: role="img", aria-label and <title>`);

  // Heat-map colours really differ (a broken scale paints every cell alike).
  if (expectCharts.includes('heatmap')) {
    const fills = await page.evaluate(() => new Set([...document.querySelectorAll('svg[data-chart="heatmap"] rect.cell')]
      .map((r) => getComputedStyle(r).fill)).size);
    check(fills >= 3, `heat map uses ${fills} distinct fills`);
  }

  // Japanese text is drawn with a Japanese font, not as empty boxes: ask Chromium which platform
  // fonts drew the Japanese heading (scripts/install-deps.sh installs IPAexGothic).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector',
    { nodeId: root.nodeId, selector: 'html[lang="ja"] h1, h1 .alt[lang="ja"]' });
  if (nodeId) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const names = fonts.map((f) => `${f.familyName} (${f.glyphCount})`).join(', ');
    check(fonts.some((f) => /CJK|JP|IPA|Gothic|Mincho|Hiragino|Meiryo|Takao|Sans Fallback/i.test(f.familyName)),
      `Japanese heading drawn with a Japanese font: ${names}`);
  } else {
    check(false, 'a Japanese heading to check the font of');
  }

  check(outside.length === 0, `no request outside file:// (${outside.length}${outside.length ? ': ' + outside.slice(0, 3).join(' ') : ''})`);
  check(dialogs.length === 0, `no script ran a dialog (${dialogs.join(' | ')})`);
  check(pageErrors.length === 0, `no page errors (${pageErrors.join(' | ')})`);
  check(consoleErrors.length === 0, `no console errors (${consoleErrors.join(' | ')})`);

  // Screenshot of the whole page: a real picture is tens of kilobytes at least.
  const png = await page.screenshot({ path: screenshotPath, fullPage: true });
  const pngW = png.readUInt32BE(16), pngH = png.readUInt32BE(20);
  check(png.length > 20_000 && pngW >= 800 && pngH >= 900,
    `screenshot ${screenshotPath}: ${pngW}×${pngH}, ${(png.length / 1024).toFixed(0)} KB`);

  // Printing: A4 PDF with at least one page (count the /Type /Page objects).
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  writeFileSync(pdfPath, pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  check(pdf.subarray(0, 5).toString() === '%PDF-' && pages > 0, `PDF ${pdfPath}: ${pages} A4 page(s), ${(pdf.length / 1024).toFixed(0)} KB`);
  const mediaBox = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
  check(!!mediaBox && Math.abs(Number(mediaBox[1]) - 595) < 2 && Math.abs(Number(mediaBox[2]) - 842) < 2,
    `PDF page size ${mediaBox ? mediaBox[1] + '×' + mediaBox[2] : '?'} pt (A4 is 595×842)`);
} finally {
  await browser.close();
}

if (failures.length) {
  console.error(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('\nall browser checks passed');
