#!/usr/bin/env node
'use strict';
// What a search costs a reader, measured in Debian Chromium: for each query,
// the bytes the browser fetches (each response gzip-compressed, as a
// server would send it) to show the first page of results, and every page
// the query finds. Run by the Go benchmark BenchmarkSearch
// (generator/internal/sitetest), which judges the pages found.
//
//   node search-bench.js --site DIR --queries FILE.json [--pagefind]
//
// Engines, each in a fresh browser context (empty cache), on DIR/search/:
//   ours           the site's search page: type the query, press Enter, wait
//                  for the results; counted: search.js and everything fetched
//                  after Enter. Pages found: the engine the page runs
//                  (window.bulletinSearch), read back through search/docs/.
//   pagefind       (with --pagefind, DIR/pagefind/ made by Pagefind) the
//                  query as typed, through pagefind.js, and the data of the
//                  first 20 results, as its UI shows them
//   pagefind-exact the query in quotes (Pagefind's exact phrase search)
// Prints one JSON object: {query: {engine: {bytes, requests, found, urls}}}.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { start } = require('./lib/server');

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const SHOWN = 20;

function parseArgs(argv) {
  const a = { pagefind: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--site') a.site = path.resolve(argv[++i]);
    else if (argv[i] === '--queries') a.queries = JSON.parse(fs.readFileSync(argv[++i], 'utf8'));
    else if (argv[i] === '--pagefind') a.pagefind = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!a.site || !a.queries) throw new Error('usage: search-bench.js --site DIR --queries FILE.json [--pagefind]');
  return a;
}

// gz: the bytes a response costs over the wire with gzip.
function gz(body) {
  if (body.length > 2 && body[0] === 0x1f && body[1] === 0x8b) return body.length; // already gzip (Pagefind's files)
  return zlib.gzipSync(body).length;
}

async function measure(browser, origin, run) {
  const context = await browser.newContext();
  await context.route('**/*', (r) => (r.request().url().startsWith(origin) ? r.continue() : r.abort()));
  const page = await context.newPage();
  const responses = [];
  let recording = false;
  let script = 0;
  page.on('response', (r) => {
    if (recording) responses.push(r);
    else if (/\/js\/search\.min\.[0-9a-f]+\.js$/.test(r.url())) script = r;
  });
  await page.goto(origin + '/search/', { waitUntil: 'load' });
  recording = true;
  const out = await run(page);
  await page.waitForLoadState('networkidle');
  recording = false;
  let bytes = 0;
  for (const r of responses) {
    try {
      bytes += gz(await r.body());
    } catch {
      // a redirect or an aborted request has no body
    }
  }
  if (out.countScript && script) bytes += gz(await script.body());
  await context.close();
  return { bytes, requests: responses.length, found: out.ids.length, ids: out.ids };
}

async function ours(browser, origin, q) {
  return measure(browser, origin, async (page) => {
    await page.fill('#search-q', q);
    await page.press('#search-q', 'Enter');
    await page.waitForFunction(() => {
      const s = document.getElementById('search-status').textContent;
      return s && !/…$/.test(s);
    });
    const ids = await page.evaluate((q) => window.bulletinSearch.search(q), q);
    return { ids, countScript: true };
  });
}

async function pagefind(browser, origin, q) {
  return measure(browser, origin, async (page) => {
    const ids = await page.evaluate(async ({ q, shown }) => {
      const pf = await import('/pagefind/pagefind.js');
      const r = await pf.search(q);
      await Promise.all(r.results.slice(0, shown).map((x) => x.data()));
      return r.results.map((x) => x.id);
    }, { q, shown: SHOWN });
    return { ids };
  });
}

// Pages found, as site paths without the leading slash.
function ourURLs(site, ids) {
  const chunks = {};
  const meta = JSON.parse(fs.readFileSync(path.join(site, 'search', 'meta.json'), 'utf8'));
  return ids.map((id) => {
    const c = Math.floor(id / meta.chunk);
    chunks[c] ??= JSON.parse(fs.readFileSync(path.join(site, 'search', 'docs', `${c}.json`), 'utf8'));
    return chunks[c][id % meta.chunk][1];
  });
}

function pagefindURLs(site, ids) {
  return ids.map((id) => {
    const raw = zlib.gunzipSync(fs.readFileSync(path.join(site, 'pagefind', 'fragment', `${id}.pf_fragment`))).toString('utf8');
    const json = JSON.parse(raw.slice(raw.indexOf('{')));
    return json.url.replace(/^\//, '');
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const server = await start(args.site);
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const result = {};
  try {
    for (const q of args.queries) {
      const r = {};
      const o = await ours(browser, server.origin, q);
      r.ours = { bytes: o.bytes, requests: o.requests, found: o.found, urls: ourURLs(args.site, o.ids) };
      if (args.pagefind) {
        for (const [name, query] of [['pagefind', q], ['pagefind-exact', `"${q}"`]]) {
          const p = await pagefind(browser, server.origin, query);
          r[name] = { bytes: p.bytes, requests: p.requests, found: p.found, urls: pagefindURLs(args.site, p.ids) };
        }
      }
      result[q] = r;
    }
  } finally {
    await browser.close();
    await server.close();
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
