#!/usr/bin/env node
'use strict';
// `serve --edit` in a real browser (Debian Chromium), as a clerk uses it:
//
//   node edit.js [--artifacts DIR]
//
// Copies the sample data into a scratch git repository, runs
// `generator serve --edit` on it, and, with the keyboard only:
//   1. opens a problem page, picks a new status, types a date that does not
//      exist and submits: the error must show beside the date field (Chinese,
//      FILE:LINE:COL), the field marked invalid and focused, nothing written;
//   2. types a real date and a note and submits: the page must come back with
//      the new status in its history, and the YAML file changed;
//   3. presses 提交: `git log` must show the commit listing the problem;
//   4. axe-core (WCAG 2.1 A/AA) on the forms, with errors shown.
// Exit status 1 when any step fails.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROME_FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-default-apps', '--disable-sync', '--metrics-recording-only'];
const ROUND = 'shili/2024-r2';
const PROBLEM = 'laojiu-xiaoqu-gaizao';

let failed = false;
function report(name, ok, detail) {
  if (!ok) failed = true;
  console.log(`${ok ? 'ok  ' : 'FAIL'} edit: ${name}${detail ? ': ' + detail : ''}`);
}

function git(dir, ...args) {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

async function main() {
  let artifacts = null;
  for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === '--artifacts') artifacts = path.resolve(process.argv[++i]);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'edit-check-'));
  const repo = path.join(tmp, 'repo');
  fs.cpSync(path.join(ROOT, 'data'), path.join(repo, 'data'), { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', '巡察办文员');
  git(repo, 'config', 'user.email', 'clerk@example.org');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'records');
  const bin = path.join(tmp, 'generator');
  execFileSync('go', ['build', '-o', bin, './generator'], { cwd: ROOT, stdio: 'inherit' });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(bin, ['serve', '--edit', '--data', path.join(repo, 'data'), '--port', String(port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => { log += d; });
  server.stderr.on('data', (d) => { log += d; });
  const base = `http://localhost:${port}`;
  const deadline = Date.now() + 180000;
  while (!/serving /.test(log)) {
    if (Date.now() > deadline || server.exitCode !== null) {
      console.log(log);
      throw new Error('serve --edit did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_FLAGS });
  const file = path.join(repo, 'data', 'shili', 'rounds', '2024-r2.yaml');
  const before = fs.readFileSync(file, 'utf8');
  try {
    const page = await browser.newPage();
    const url = `${base}/${ROUND}/${PROBLEM}/`;
    await page.goto(url);

    // 1. A date that does not exist, with the keyboard only.
    await page.focus('#status-status');
    await page.keyboard.press('End'); // the last status: 已销号
    await page.selectOption('#status-status', 'rectified');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2024-13-45');
    await page.keyboard.press('Tab');
    await page.keyboard.type('报送整改情况报告');
    await page.keyboard.press('Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const err = await page.textContent('#status-date-err').catch(() => '');
    report('a bad date is shown beside the date field', /日期有误/.test(err) && /2024-r2\.yaml:\d+:\d+/.test(err) && /2024-13-45/.test(err), err.trim());
    const invalid = await page.getAttribute('#status-date', 'aria-invalid');
    const described = await page.getAttribute('#status-date', 'aria-describedby');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    report('the bad field is marked for screen readers and focused', invalid === 'true' && described === 'status-date-err' && focused === 'status-date', `aria-invalid=${invalid} aria-describedby=${described} focus=${focused}`);
    report('nothing is written after an error', fs.readFileSync(file, 'utf8') === before);
    if (artifacts) {
      fs.mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, 'edit-error.png'), fullPage: true });
    }
    // axe on the forms, errors showing.
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const axe = await page.evaluate(async () => {
      const r = await window.axe.run('.edit', { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
      return r.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help}`);
    });
    report('axe-core finds nothing in the forms', axe.length === 0, axe.join('; '));

    // 2. The date corrected: the field keeps what was typed.
    await page.fill('#status-date', '2024-12-01');
    await page.focus('#status-date');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const history = await page.textContent('main');
    const flash = await page.textContent('.edit .flash').catch(() => '');
    const after = fs.readFileSync(file, 'utf8');
    report('the status change is saved and the page shows it',
      /已保存/.test(flash) && /2024-12-01\s*已完成整改/.test(history.replace(/\s+/g, ' ')) && /- date: 2024-12-01\n\s+status: rectified\n\s+note: 报送整改情况报告/.test(after), flash.trim());
    report('the YAML file keeps its comments and layout', after.split('\n').length === before.split('\n').length + 3 && after.startsWith(before.split('\n')[0]));

    // 3. 提交, with the keyboard.
    await page.focus('form[action="/_edit/commit"] button');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const committed = await page.textContent('.edit .flash').catch(() => '');
    const msg = git(repo, 'log', '-1', '--format=%an|%s|%b');
    report('提交 commits the change with git', /已提交/.test(committed) && msg.startsWith('巡察办文员|网页编辑') && msg.includes(`${ROUND}/${PROBLEM}`), msg.replace(/\n/g, ' '));
    report('the working tree is clean after the commit', git(repo, 'status', '--porcelain') === '');
    if (artifacts) await page.screenshot({ path: path.join(artifacts, 'edit-committed.png'), fullPage: true });
  } finally {
    await browser.close();
    server.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
