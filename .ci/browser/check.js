#!/usr/bin/env node
'use strict';
// Citizens' experience, judged in a real browser (Debian Chromium).
//
//   node check.js --site DIR --artifacts DIR [--base-url URL] [--only axe,vnu,...]
//
// Checks, each pass or fail:
//   axe        axe-core, WCAG 2.0/2.1 A and AA, every page type at 1280 and 375 px
//              (the search page also with results for a query, when it exists)
//   offline    no request to any host but 127.0.0.1 (and no script error) on those loads
//   shots      full-page screenshots of those loads into ARTIFACTS/screenshots/;
//              no page wider than the window
//   vnu        Nu HTML checker, --errors-only, every .html file in one call
//   links      linkinator over every page (fragments and CSS included), plus the
//              sitemap's and the feed's own-site URLs
//   weight     home page HTML + CSS + JS, each gzip-compressed, summed: <= 30 KB
//   print      the district page in print media to ARTIFACTS/print-district.pdf: the
//              ledger's header row on every page with its rows; each of its
//              problem pages on one A4 page (ARTIFACTS/print-problems/)
//   lighthouse performance (>= 95) and accessibility (100) of home, district,
//              round and problem, mobile and desktop; scores in ARTIFACTS/lighthouse.json
//   citizens   older readers (lib/citizens.js): font sizes, line heights, paragraph
//              spacing, contrast of every text node and size of every link and
//              button, without JavaScript and in 长辈版, at 375 and 1280 px; a
//              keyboard-only walk home -> problem -> home; 朗读; axe in 长辈版
//   search     the search page's own script, as a reader uses it: each query of
//              SEARCH_CASES typed and submitted, "more" pressed until every
//              result shows; the pages listed must be exactly those written there
// Exit status 1 when any check fails.
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { spawn, execFileSync } = require('child_process');
const { start } = require('./lib/server');
const { checkCitizens } = require('./lib/citizens');

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
// Flags that keep Chromium from reaching for hosts it cannot reach here.
const CHROME_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
];
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WEIGHT_LIMIT = 30 * 1024;
const LIGHTHOUSE_MIN = { performance: 95, accessibility: 100 };

// One page of each type, from the sample data. `optional` pages are skipped
// with a notice when they answer 404 (they may not exist yet).
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'district', path: '/shili/' },
  { name: 'round', path: '/shili/2024-r2/' },
  { name: 'problem', path: '/shili/2024-r2/sanzi-hetong/' },
  { name: 'commons', path: '/shili/common/' },
  { name: 'common', path: '/shili/common/cunji-sanzi/' },
  { name: 'about', path: '/about/' },
  { name: 'search', path: '/search/', optional: true },
  { name: 'units', path: '/shili/units/', optional: true },
  { name: 'unit', path: '/shili/units/chengguan/', optional: true },
  { name: 'notice', path: '/notices/2024-12-31/', optional: true },
  { name: 'notice-compare', path: '/notices/2024-12-31/compare/', optional: true },
  { name: 'notice-en', path: '/en/notices/2024-12-31/', optional: true },
  { name: 'home-en', path: '/en/', optional: true },
  { name: 'district-en', path: '/en/shili/', optional: true },
  { name: 'search-en', path: '/en/search/', optional: true },
];
const LIGHTHOUSE_PAGES = ['home', 'district', 'round', 'problem', 'unit'];
const ALL_CHECKS = ['axe', 'offline', 'shots', 'vnu', 'links', 'weight', 'print', 'lighthouse', 'citizens', 'search'];

function parseArgs(argv) {
  const args = { only: ALL_CHECKS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i];
    if (a === '--site') args.site = path.resolve(v());
    else if (a === '--artifacts') args.artifacts = path.resolve(v());
    else if (a === '--base-url') args.baseUrl = v();
    else if (a === '--only') args.only = v().split(',');
    else {
      console.error(`unknown argument ${a}`);
      process.exit(2);
    }
  }
  if (!args.site || !args.artifacts) {
    console.error('usage: check.js --site DIR --artifacts DIR [--base-url URL] [--only a,b]');
    process.exit(2);
  }
  for (const c of args.only) {
    if (!ALL_CHECKS.includes(c)) {
      console.error(`unknown check ${c}; known: ${ALL_CHECKS.join(',')}`);
      process.exit(2);
    }
  }
  return args;
}

const results = [];
function report(name, ok, summary, details = []) {
  results.push({ name, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${summary}`);
  for (const d of details) console.log(`       ${d}`);
}
function notice(msg) {
  console.log(`     ${msg}`);
}

function htmlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

function isLocal(url, origin) {
  return url.startsWith(origin + '/') || url === origin || /^(data|blob|about):/.test(url);
}

async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_FLAGS });
}

// A context that refuses, and records, every request to another host.
async function newContext(browser, origin, viewport, external) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url, origin)) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  return context;
}

const SEARCH_QUERY = '整改';

async function runAxe(page, where, violations) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE() });
  const r = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS,
  );
  for (const v of r.violations) {
    for (const n of v.nodes) {
      violations.push(
        `${where} [${v.impact}] ${v.id}: ${v.help}\n         target: ${n.target.join(' ')}\n         ${(n.failureSummary || '').replace(/\n/g, '\n         ')}`,
      );
    }
  }
}
let axeSource;
const AXE_SOURCE = () => (axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));

// ---- a, d, e (second half): axe, screenshots, no other host -------------
async function checkPages(browser, origin, args, checks) {
  const shotDir = path.join(args.artifacts, 'screenshots');
  if (checks.has('shots')) {
    fs.rmSync(shotDir, { recursive: true, force: true });
    fs.mkdirSync(shotDir, { recursive: true });
  }
  const violations = [];
  const offline = [];
  const pageErrors = [];
  const missing = [];
  const overflow = [];
  let loads = 0;
  let shots = 0;
  const skipped = new Set();
  for (const vp of WIDTHS) {
    const external = [];
    const context = await newContext(browser, origin, vp, external);
    // One tab per width, reused: a new tab costs seconds on two cores.
    const page = await context.newPage();
    let errors = [];
    page.on('pageerror', (e) => errors.push(String(e.message || e)));
    for (const pg of PAGES) {
      if (skipped.has(pg.name)) continue;
      errors = [];
      const before = external.length;
      const resp = await page.goto(origin + pg.path, { waitUntil: 'load' });
      const status = resp ? resp.status() : 0;
      if (status !== 200) {
        if (pg.optional && status === 404) {
          skipped.add(pg.name);
          notice(`${pg.path} (${pg.name}) answers 404: skipped`);
          continue;
        }
        missing.push(`${pg.path} (${pg.name}) answers ${status}`);
        continue;
      }
      loads++;
      await page.evaluate(() => document.fonts.ready);
      const where = `${pg.path} @${vp.width}px`;
      if (checks.has('axe')) await runAxe(page, where, violations);
      if (checks.has('shots')) {
        // The page itself must not scroll sideways (a wide table scrolls in its own box).
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (wide > 0) overflow.push(`${where} scrolls sideways by ${wide}px`);
        await page.screenshot({ path: path.join(shotDir, `${pg.name}-${vp.width}.png`), fullPage: true });
        shots++;
      }
      // The search page once more, with results: they are made by script.
      const box = pg.name.startsWith('search') ? await page.$('input[type=search]') : null;
      if (box) {
        await box.fill(SEARCH_QUERY);
        await box.press('Enter');
        await page.waitForLoadState('networkidle');
        // The results come from index shards fetched by script: on a busy
        // machine later than the network settles. Wait for them, so that
        // axe and the screenshot see the results, not an empty list.
        await page.waitForFunction(() => document.querySelectorAll('main li').length > 0, null, { timeout: 20000 }).catch(() => {});
        const n = await page.evaluate(() => document.querySelectorAll('main li').length);
        notice(`${where}: searched "${SEARCH_QUERY}", ${n} list items on the page`);
        if (n === 0) pageErrors.push(`${where}: searching "${SEARCH_QUERY}" showed no results within 20 s`);
        if (checks.has('axe')) await runAxe(page, `${where} (results for "${SEARCH_QUERY}")`, violations);
        if (checks.has('shots')) {
          await page.screenshot({ path: path.join(shotDir, `${pg.name}-results-${vp.width}.png`), fullPage: true });
          shots++;
        }
      }
      for (const u of external.slice(before)) offline.push(`${where} requested ${u}`);
      for (const e of errors) pageErrors.push(`${where} script error: ${e}`);
    }
    await context.close();
  }
  if (checks.has('axe')) {
    report(
      'axe',
      violations.length === 0 && missing.length === 0,
      `${loads} page loads (${WIDTHS.map((w) => w.width + 'px').join(', ')}), ${violations.length} violations (${WCAG_TAGS.join(' ')})`,
      [...missing, ...violations],
    );
  }
  if (checks.has('offline')) {
    report(
      'offline',
      offline.length === 0 && pageErrors.length === 0 && missing.length === 0,
      `${offline.length} requests to other hosts, ${pageErrors.length} script errors in ${loads} page loads`,
      [...missing, ...offline, ...pageErrors],
    );
  }
  if (checks.has('shots')) {
    report(
      'shots',
      missing.length === 0 && overflow.length === 0 && shots > 0,
      `${shots} full-page screenshots in ${path.relative(process.cwd(), shotDir) || shotDir}, ${overflow.length} pages wider than the window`,
      [...missing, ...overflow],
    );
  }
}

// ---- search: the engine the browser runs, on the sample records -------
// Each query with the pages that hold it, found by reading the records
// (data/), not by running any search. A page matches when it holds the
// query's characters adjacent and in order; the district and round pages
// are searched by their own notes and names, not their lists of problems.
const SEARCH_CASES = [
  { q: '污水', want: ['chancheng/', 'chancheng/r1-r7/cunji-wushui-guanwang/'] },
  { q: '调休', want: ['shili/2024-r2/'] },
  { q: '断头路', want: ['guangming/qiansilun/duantoulu/', 'guangming/common/gongcheng-jianguan/'] },
  { q: '日间照料', want: ['guangming/qiansilun/rijian-zhaoliao-zhongxin/', 'guangming/common/bianmin-fuwu/'] },
  // The record reads 日间照料（残疾人康复）中心: not adjacent, so not found.
  { q: '日间照料中心', want: [] },
  // chancheng/'s note holds 本区 and 区委, never 本区委.
  { q: '本区委', want: [] },
  // 扶贫 and 专项资金 are both elsewhere, but together only here.
  { q: '扶贫专项资金', want: ['yunan/qijie-quwei/', 'yunan/qijie-quwei/fupin-zijin-weigui-jiechu/'] },
  { q: '专项资金', want: ['shili/2024-r2/yingyangcan-zijin/', 'yunan/qijie-quwei/', 'yunan/qijie-quwei/fupin-zijin-weigui-jiechu/'] },
  { q: '“三会一课”', want: ['shili/2023-r1/cunji-dangzuzhi/', 'shili/2024-r2/sanhui-yike/'] },
  // Full-width digits are digits; a number is a word.
  { q: '２０１９', want: ['chancheng/r1-r7/cunji-wushui-guanwang/', 'guangming/', 'guangming/qiansilun/', 'guangming/qiansilun/duantoulu/', 'guangming/qiansilun/rijian-zhaoliao-zhongxin/', 'guangming/common/bianmin-fuwu/', 'guangming/common/gongcheng-jianguan/', 'guangming/common/qingchai-canzhi/', 'guangming/common/zhengfu-hetong/'] },
  // An internal problem's title and internal field: not in the public index.
  { q: '收受医药企业礼金', want: [] },
  { q: '审查调查室', want: [] },
  // Nearly every page of the sample holds 整改: more than 20, shown 20 at a
  // time until all are; a title that starts with it comes first.
  { q: '整改', paged: true, first: 'shili/2024-huifang/zhenggai-taizhang/' },
  // In English: the district's page in English, the problem's in Chinese
  // (problem pages exist in the records' language only).
  // Its status is named in English after the record text.
  { page: '/en/search/', q: '污水', want: ['en/chancheng/', 'chancheng/r1-r7/cunji-wushui-guanwang/'], meta: '禅城区 · 区委第一轮至第七轮巡察（汇总） · 原区国土城建和水务局水务分党组 · Rectified' },
];

async function checkSearch(browser, origin) {
  const external = [];
  const context = await newContext(browser, origin, WIDTHS[0], external);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e.message || e)));
  const fails = [];
  const lines = [];
  let at = null;
  for (const c of SEARCH_CASES) {
    const where = c.page || '/search/';
    if (where !== at) {
      const resp = await page.goto(origin + where, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) {
        fails.push(`${where} answers ${resp ? resp.status() : 'nothing'}`);
        continue;
      }
      at = where;
    }
    await page.fill('#search-q', c.q);
    await page.press('#search-q', 'Enter');
    const settled = () => page.waitForFunction(() => {
      const s = document.getElementById('search-status').textContent;
      return s && !/…$/.test(s);
    });
    await settled();
    let clicks = 0;
    while (await page.isVisible('#search-more')) {
      const before = await page.locator('#search-results li').count();
      await page.click('#search-more');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, before);
      // The first new result has the focus, for keyboard readers.
      const focused = await page.evaluate((n) => document.activeElement === document.querySelectorAll('#search-results li a')[n], before);
      if (!focused) fails.push(`"${c.q}": after "more", the focus is not on the first new result`);
      clicks++;
    }
    const got = await page.$$eval('#search-results li a', (as) => as.map((a) => new URL(a.href).pathname.replace(/^\//, '')));
    const status = await page.textContent('#search-status');
    lines.push(`${where} "${c.q}": ${got.length} results${clicks ? ` (${clicks} × more)` : ''}; status "${status}"`);
    if (c.want) {
      const missing = c.want.filter((u) => !got.includes(u));
      const extra = got.filter((u) => !c.want.includes(u));
      if (missing.length || extra.length) fails.push(`"${c.q}": missing [${missing.join(' ')}], unexpected [${extra.join(' ')}]`);
    }
    if (c.paged) {
      const said = Number((status.match(/\d+/) || [])[0]);
      if (!(said > 20) || clicks === 0 || got.length !== said || new Set(got).size !== got.length) {
        fails.push(`"${c.q}": status says ${said}, ${got.length} results shown (${new Set(got).size} different) after ${clicks} × more; want more than 20, all shown once`);
      }
    }
    if (c.meta) {
      const metas = await page.$$eval('#search-results li .meta', (ms) => ms.map((m) => m.textContent));
      if (!metas.includes(c.meta)) fails.push(`"${c.q}": no result's meta reads "${c.meta}" (${metas.join(' | ')})`);
    }
    if (c.first && got[0] !== c.first) fails.push(`"${c.q}": first result ${got[0]}, want ${c.first}`);
  }
  await context.close();
  for (const e of errors) fails.push(`script error: ${e}`);
  for (const u of external) fails.push(`requested ${u}`);
  report('search', fails.length === 0, `${SEARCH_CASES.length} queries on /search/ and /en/search/, ${fails.length} wrong`, [...fails, ...lines]);
}

// ---- e (first half): home page weight ---------------------------------
// A search index is excluded: pagefind's index files, wasm, and data that
// scripts fetch.
function isSearchIndex(url, type) {
  const p = new URL(url).pathname;
  if (type === 'fetch' || type === 'xhr') return true;
  if (/\.(pf_meta|pf_index|pf_fragment|pf_filter|wasm)$/.test(p)) return true;
  if (/search[-_]?index|\/pagefind\/(index|fragment|filter)\//.test(p)) return true;
  return false;
}

async function checkWeight(browser, origin) {
  const external = [];
  const context = await newContext(browser, origin, WIDTHS[0], external);
  const page = await context.newPage();
  const responses = [];
  page.on('response', (r) => responses.push(r));
  await page.goto(origin + '/', { waitUntil: 'networkidle' });
  const counted = [];
  const other = [];
  for (const r of responses) {
    const type = r.request().resourceType();
    const url = r.url();
    if (!url.startsWith(origin)) continue;
    let body;
    try {
      body = await r.body();
    } catch {
      continue;
    }
    const gz = zlib.gzipSync(body) /* level 6, as plain gzip */.length;
    const row = { url: url.slice(origin.length), type, raw: body.length, gz };
    if (['document', 'stylesheet', 'script'].includes(type) && !isSearchIndex(url, type)) counted.push(row);
    else other.push(row);
  }
  await context.close();
  const total = counted.reduce((s, r) => s + r.gz, 0);
  const kb = (n) => (n / 1024).toFixed(1) + ' KB';
  const details = counted.map((r) => `${r.type.padEnd(10)} ${kb(r.gz).padStart(9)} gz  (${kb(r.raw)} raw)  ${r.url}`);
  for (const r of other) details.push(`not counted: ${r.type} ${kb(r.gz)} gz ${r.url}`);
  report('weight', total <= WEIGHT_LIMIT, `home page HTML+CSS+JS ${kb(total)} gzip (limit ${kb(WEIGHT_LIMIT)}), ${counted.length} files`, details);
}

// ---- f: print ---------------------------------------------------------
// The district page prints as a ledger: every PDF page that holds a row of
// its list of problems also holds the list's header row. Every problem page
// of the district prints on one A4 page. Text is read back with pdftotext
// (poppler-utils); without it only the page counts are checked.
function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

function pdfText(file, page) {
  try {
    return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } catch {
    return null;
  }
}

async function printPDF(page, url, out) {
  const resp = await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ path: out, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  return { ok: !!resp && resp.status() === 200 && pdf.subarray(0, 5).toString() === '%PDF-', pages: pdfPages(pdf) };
}

async function checkPrint(browser, origin, args) {
  const external = [];
  const context = await newContext(browser, origin, WIDTHS[0], external);
  const page = await context.newPage();
  const pg = PAGES.find((p) => p.name === 'district');
  const fails = [];
  const lines = [];
  // What the ledger's rows and header say, from the page itself.
  await page.goto(origin + pg.path, { waitUntil: 'load' });
  const ledger = await page.evaluate(() => ({
    head: [...document.querySelectorAll('ul.problems .ledger-head')].map((h) => h.textContent.replace(/\s+/g, ''))[0] || '',
    rows: [...document.querySelectorAll('ul.problems li.problem > a')].map((a) => a.textContent.replace(/\s+/g, '').slice(0, 6)),
    problems: [...new Set([...document.querySelectorAll('ul.problems li.problem > a')].map((a) => new URL(a.href).pathname))],
  }));
  const out = path.join(args.artifacts, 'print-district.pdf');
  const d = await printPDF(page, origin + pg.path, out);
  if (!d.ok || d.pages === 0) fails.push(`${pg.path}: no PDF`);
  let withRows = 0;
  let withHead = 0;
  let readable = true;
  for (let i = 1; i <= d.pages; i++) {
    const text = pdfText(out, i);
    if (text === null) {
      readable = false;
      break;
    }
    const first = Math.min(...ledger.rows.map((r) => text.indexOf(r)).filter((x) => x >= 0));
    if (!Number.isFinite(first)) continue;
    withRows++;
    // The header comes before the page's first row: a table that runs on from the page before repeats it.
    const h = ledger.head ? text.indexOf(ledger.head) : -1;
    if (h >= 0 && h < first) withHead++;
    else fails.push(`${pg.path}: PDF page ${i} has ledger rows without a header row above them ("${ledger.head}")`);
  }
  if (!ledger.head) fails.push(`${pg.path}: the list of problems has no ledger header row`);
  lines.push(readable
    ? `${pg.path}: ${d.pages} A4 pages, ${withRows} with ledger rows, ${withHead} of them with the header row above the first -> ${path.relative(process.cwd(), out)}`
    : `${pg.path}: ${d.pages} A4 pages (pdftotext missing: header rows not checked)`);
  // Every problem page of the district: one A4 page each.
  const dir = path.join(args.artifacts, 'print-problems');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let one = 0;
  let most = 0;
  for (const p of ledger.problems) {
    const file = path.join(dir, p.replace(/^\/|\/$/g, '').replace(/\//g, '_') + '.pdf');
    const r = await printPDF(page, origin + p, file);
    most = Math.max(most, r.pages);
    if (r.ok && r.pages === 1) one++;
    else fails.push(`${p}: prints on ${r.pages} A4 pages, not one`);
  }
  lines.push(`${one} of ${ledger.problems.length} problem pages print on one A4 page (most: ${most}) -> ${path.relative(process.cwd(), dir)}/`);
  await context.close();
  report('print', fails.length === 0, `the district ledger and its problem pages in print media`, [...lines, ...fails]);
}

// ---- b: Nu HTML checker ------------------------------------------------
function checkVnu(args) {
  const files = htmlFiles(args.site);
  const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
  return new Promise((resolve) => {
    const p = spawn('java', ['-jar', jar, '--errors-only', '--format', 'gnu', ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => {
      const lines = out
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => l.split(args.site + '/').join('').replace(/^"file:\/\//, '"'));
      const errors = lines.filter((l) => /error/.test(l)).length;
      resolve(() => report('vnu', code === 0 && lines.length === 0, `${files.length} HTML files, ${errors} errors`, lines));
    });
  });
}

// ---- c: links ----------------------------------------------------------
function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function checkLinks(origin, args) {
  const { LinkChecker } = await import('linkinator');
  const pages = htmlFiles(args.site)
    .filter((f) => path.basename(f) !== '404.html')
    .map((f) => origin + '/' + path.relative(args.site, f).replace(/index\.html$/, ''));
  const rewrite = args.baseUrl ? [{ pattern: new RegExp('^' + escapeRe(args.baseUrl)), replacement: origin + '/' }] : [];
  const checker = new LinkChecker();
  const res = await checker.check({
    path: pages,
    recurse: true,
    concurrency: 8,
    timeout: 10000,
    checkFragments: false, // racy across start pages: checked below, from the files
    checkCss: true,
    urlRewriteExpressions: rewrite,
    linksToSkip: async (link) => !link.startsWith(origin + '/') && link !== origin,
  });
  const local = (u) => (u || '').split(origin).join('');
  const broken = res.links.filter((l) => l.state === 'BROKEN');
  const checked = res.links.filter((l) => l.state !== 'SKIPPED');
  const skippedHosts = new Set(res.links.filter((l) => l.state === 'SKIPPED').map((l) => {
    try {
      return new URL(l.url).host;
    } catch {
      return l.url;
    }
  }));
  const details = broken.map((l) => `${l.status || 'ERR'} ${local(l.url)}  (on ${local(l.parent)})${l.failureDetails && l.failureDetails[0] && l.failureDetails[0].message ? ' ' + l.failureDetails[0].message : ''}`);

  // Fragments: every own-site link with #id must find that id on its page.
  const fragments = checkFragments(args);
  details.push(...fragments.broken);

  // The sitemap's and the feed's own-site URLs, mapped onto the local server.
  let extra = 0;
  const toLocal = (u) => (args.baseUrl && u.startsWith(args.baseUrl) ? origin + '/' + u.slice(args.baseUrl.length) : null);
  const seen = new Set();
  const queue = ['/sitemap.xml', '/feed.xml'].map((p) => ({ url: origin + p, from: null }));
  while (queue.length) {
    const { url, from } = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const r = await fetch(url, { redirect: 'follow' });
    if (from) extra++;
    if (r.status !== 200) {
      if (from || !url.endsWith('/feed.xml')) details.push(`${r.status} ${local(url)}  (listed in ${local(from) || 'site root'})`);
      continue;
    }
    if (!/\.xml$/.test(new URL(url).pathname)) continue;
    const text = await r.text();
    const urls = [...text.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>|<link\b[^>]*\bhref="([^"]+)"/g)].map((m) => (m[1] || m[2]).replace(/&amp;/g, '&'));
    for (const u of urls) {
      const l = toLocal(u);
      if (l) queue.push({ url: l, from: url });
    }
  }
  report(
    'links',
    broken.length === 0 && details.length === 0,
    `${checked.length} own-site links checked on ${pages.length} pages (CSS included) + ${fragments.count} #fragments + ${extra} sitemap/feed URLs, ${details.length} broken; other hosts skipped: ${[...skippedHosts].sort().join(' ') || 'none'}`,
    details,
  );
}

function decodeEntities(s) {
  return s.replace(/&(amp|quot|#39|lt|gt);/g, (m, e) => ({ amp: '&', quot: '"', '#39': "'", lt: '<', gt: '>' })[e]);
}

function checkFragments(args) {
  const base = 'http://site.invalid/';
  const pages = new Map(); // URL path -> { file, html }
  for (const f of htmlFiles(args.site)) {
    const rel = path.relative(args.site, f).split(path.sep).join('/');
    const html = fs.readFileSync(f, 'utf8');
    pages.set('/' + rel, html);
    if (rel === 'index.html' || rel.endsWith('/index.html')) pages.set('/' + rel.slice(0, -'index.html'.length), html);
  }
  const ids = new Map();
  const idsOf = (p) => {
    if (!ids.has(p)) {
      const html = pages.get(p);
      const set = new Set();
      for (const m of html.matchAll(/<[a-zA-Z][^>]*?\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) set.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
      for (const m of html.matchAll(/<a\b[^>]*?\sname\s*=\s*"([^"]*)"/g)) set.add(decodeEntities(m[1]));
      ids.set(p, set);
    }
    return ids.get(p);
  };
  const broken = [];
  let count = 0;
  for (const [p, html] of pages) {
    if (p.endsWith('/index.html')) continue; // same page as its folder
    for (const m of html.matchAll(/\shref\s*=\s*"([^"]*#[^"]*)"/g)) {
      let href = decodeEntities(m[1]);
      if (args.baseUrl && href.startsWith(args.baseUrl)) href = '/' + href.slice(args.baseUrl.length);
      const u = new URL(href, base + p.slice(1));
      if (u.origin + '/' !== base) continue;
      const frag = decodeURIComponent(u.hash.slice(1));
      if (frag === '' || frag.toLowerCase() === 'top') continue;
      if (!pages.has(u.pathname)) continue; // not a page (or a missing one: linkinator says so)
      count++;
      if (!idsOf(u.pathname).has(frag)) broken.push(`no id "${frag}" on ${u.pathname}  (linked from ${p} as ${m[1]})`);
    }
  }
  return { count, broken };
}

// ---- g: Lighthouse -----------------------------------------------------
function runLighthouse(url, preset, outFile) {
  const cli = path.join(path.dirname(require.resolve('lighthouse/package.json')), 'cli', 'index.js');
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-profile-'));
  const flags = ['--headless=new', ...CHROME_FLAGS, `--user-data-dir=${userDir}`].join(' ');
  const argv = [cli, url, '--only-categories=performance,accessibility', '--output=json', `--output-path=${outFile}`, '--quiet', `--chrome-flags=${flags}`];
  if (preset === 'desktop') argv.push('--preset=desktop');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, argv, { env: { ...process.env, CHROME_PATH: CHROMIUM }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      fs.rmSync(userDir, { recursive: true, force: true });
      resolve({ code, err });
    });
  });
}

// One Lighthouse run: its scores, metrics and, below the threshold, the
// audits that cost points.
async function lighthouseOnce(url, preset, file) {
  fs.rmSync(file, { force: true });
  const { code, err } = await runLighthouse(url, preset, file);
  if (code !== 0 || !fs.existsSync(file)) return { error: `lighthouse exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}` };
  const lhr = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (lhr.runtimeError) return { error: `${lhr.runtimeError.code} ${lhr.runtimeError.message}` };
  const run = { benchmark_index: lhr.environment && lhr.environment.benchmarkIndex, costs: [] };
  for (const cat of ['performance', 'accessibility']) {
    const c = lhr.categories[cat];
    run[cat] = c && c.score != null ? Math.round(c.score * 100) : null;
    if (run[cat] == null || run[cat] < LIGHTHOUSE_MIN[cat]) {
      for (const ref of c ? c.auditRefs : []) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a && a.score !== null && a.score < 1) run.costs.push(`${cat}: ${a.id} (${a.score}) ${a.title}${a.displayValue ? ' — ' + a.displayValue : ''}`);
      }
    }
  }
  const m = (id) => lhr.audits[id] && lhr.audits[id].displayValue;
  run.metrics = { fcp: m('first-contentful-paint'), lcp: m('largest-contentful-paint'), tbt: m('total-blocking-time'), cls: m('cumulative-layout-shift'), si: m('speed-index') };
  return run;
}

function median(xs) {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
}

// Lighthouse's default mobile run (simulated slow 4G, 4x CPU slowdown) and its
// desktop preset. Performance depends on how busy the host CPU is: when a
// first run misses a threshold, two more are made and the median counts, as
// Lighthouse CI does.
async function checkLighthouse(origin, args) {
  const dir = path.join(args.artifacts, 'lighthouse');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const version = require('lighthouse/package.json').version;
  const out = {
    lighthouse: version,
    chromium: chromiumVersion(),
    thresholds: LIGHTHOUSE_MIN,
    scoring: 'one run; when it misses a threshold, the median of three',
    host: { cpus: os.cpus().length, load_average_1m: Number(os.loadavg()[0].toFixed(2)) },
    pages: {},
  };
  if (os.loadavg()[0] > os.cpus().length) notice(`host busy (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs): performance scores will be low`);
  const fails = [];
  const lines = [];
  for (const name of LIGHTHOUSE_PAGES) {
    const pg = PAGES.find((p) => p.name === name);
    if (!pg) {
      notice(`lighthouse: no ${name} page in PAGES yet: skipped`);
      continue;
    }
    out.pages[name] = { path: pg.path };
    for (const preset of ['mobile', 'desktop']) {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const r = await lighthouseOnce(origin + pg.path, preset, path.join(dir, `${name}-${preset}${i ? '-' + (i + 1) : ''}.json`));
        runs.push(r);
        if (r.error) break;
        if (i === 0 && r.performance >= LIGHTHOUSE_MIN.performance && r.accessibility >= LIGHTHOUSE_MIN.accessibility) break;
      }
      const bad = runs.find((r) => r.error);
      if (bad) {
        fails.push(`${pg.path} ${preset}: ${bad.error}`);
        continue;
      }
      const scores = {
        performance: median(runs.map((r) => r.performance)),
        accessibility: median(runs.map((r) => r.accessibility)),
        runs: runs.map((r) => ({ performance: r.performance, accessibility: r.accessibility, benchmark_index: r.benchmark_index, metrics: r.metrics })),
      };
      out.pages[name][preset] = scores;
      const last = runs[runs.length - 1];
      const each = runs.length > 1 ? ` [runs: ${runs.map((r) => r.performance + '/' + r.accessibility).join(', ')}]` : '';
      lines.push(`${pg.path} ${preset}: performance ${scores.performance}, accessibility ${scores.accessibility} (FCP ${last.metrics.fcp}, LCP ${last.metrics.lcp}, TBT ${last.metrics.tbt}, CLS ${last.metrics.cls}, SI ${last.metrics.si})${each}`);
      for (const cat of ['performance', 'accessibility']) {
        if (scores[cat] == null || scores[cat] < LIGHTHOUSE_MIN[cat]) {
          fails.push(`${pg.path} ${preset}: ${cat} ${scores[cat]} < ${LIGHTHOUSE_MIN[cat]}`);
          for (const c of last.costs.filter((c) => c.startsWith(cat))) fails.push(`    ${c}`);
        }
      }
    }
  }
  fs.writeFileSync(path.join(args.artifacts, 'lighthouse.json'), JSON.stringify(out, null, 2) + '\n');
  report('lighthouse', fails.length === 0, `lighthouse ${version}, scores in ${path.relative(process.cwd(), path.join(args.artifacts, 'lighthouse.json'))} (min performance ${LIGHTHOUSE_MIN.performance}, accessibility ${LIGHTHOUSE_MIN.accessibility})`, [...lines, ...fails]);
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const checks = new Set(args.only);
  if (args.baseUrl && !args.baseUrl.endsWith('/')) args.baseUrl += '/';
  fs.mkdirSync(args.artifacts, { recursive: true });
  const server = await start(args.site);
  const origin = server.origin;
  // The JVM starts while the browser works.
  const vnu = checks.has('vnu') ? checkVnu(args) : null;
  let browser;
  try {
    if (['axe', 'offline', 'shots', 'weight', 'print', 'citizens', 'search'].some((c) => checks.has(c))) {
      browser = await launch();
      if (['axe', 'offline', 'shots'].some((c) => checks.has(c))) await checkPages(browser, origin, args, checks);
      if (checks.has('weight')) await checkWeight(browser, origin);
      if (checks.has('print')) await checkPrint(browser, origin, args);
      if (checks.has('citizens')) await checkCitizens(browser, origin, PAGES.filter((p) => !p.name.startsWith('search')), WIDTHS, runAxe, report, notice);
      if (checks.has('search')) await checkSearch(browser, origin);
      await browser.close();
      browser = null;
    }
    if (vnu) (await vnu)();
    if (checks.has('links')) await checkLinks(origin, args);
    if (checks.has('lighthouse')) await checkLighthouse(origin, args);
  } catch (e) {
    report('internal', false, String((e && e.stack) || e));
  } finally {
    if (browser) await browser.close();
    await server.close();
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`browser-check: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
