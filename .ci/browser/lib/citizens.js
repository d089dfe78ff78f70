'use strict';
// Older readers (MIIT 《互联网网站适老化通用设计规范》, GB/T 37668-2019), measured in
// Chromium on every page type, at 375 and 1280 px, in two modes:
//
//   normal  JavaScript off: every text >= 16 px, line height >= 1.3, paragraph
//           spacing >= 1.3 x the line height, contrast >= 4.5:1, every link and
//           button >= 44 x 44 px; the 长辈版 switch says it needs JavaScript.
//   elder   JavaScript on, 长辈版 switched on (and remembered from the page
//           before): every text >= 24 px, contrast >= 7:1, targets >= 60 x 60,
//           line height and paragraph spacing as above, no chart that needs a
//           legend, no grid of more than one column, a large cursor, no page
//           wider than the window.
//
// Paragraph spacing is read strictly: the gap between two consecutive
// paragraphs is at least 1.3 times their line height. Contrast is computed
// for every visible text node (SVG text by its fill) against the colours
// behind it, composited up the ancestors. Every visible link, button, input,
// select and summary counts as a target (its border box).
//
// Also: a keyboard-only walk (Tab and Enter) from the home page to a problem
// page and back, with a visible focus indicator at every stop, in both
// modes; 朗读 with a recording speechSynthesis (main content in order,
// zh-CN, pause, resume, stop); and axe in elder mode.

const MODES = {
  normal: { js: false, font: 16, lineHeight: 1.3, paragraph: 1.3, contrast: 4.5, target: 44 },
  elder: { js: true, font: 24, lineHeight: 1.3, paragraph: 1.3, contrast: 7, target: 60 },
};
const STORAGE_KEY = 'bulletin-elder';

// Runs in the page: every measurement, and the failures against limits.
function measureInPage(limits) {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat(a);
  };
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let c = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) c = over(layers[i], c);
    return c;
  };
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const hidden = (el) =>
    !el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) ||
    el.closest('.visually-hidden, title, desc, script, style, noscript, template');
  const out = { texts: 0, targets: 0, paragraphs: 0, font: Infinity, lineHeight: Infinity, contrast: Infinity, targetW: Infinity, targetH: Infinity, paragraph: Infinity, fails: [], where: {} };
  const fail = (s) => out.fails.length < 40 && out.fails.push(s);
  const snippet = (t) => JSON.stringify(t.trim().slice(0, 24));

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    if (!n.nodeValue.trim()) continue;
    const el = n.parentElement;
    if (!el || hidden(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    out.texts++;
    const cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize);
    if (size < out.font) (out.font = size), (out.where.font = `${describe(el)} ${snippet(n.nodeValue)}`);
    if (size < limits.font - 0.01) fail(`font ${size}px < ${limits.font}px: ${describe(el)} ${snippet(n.nodeValue)}`);
    const inSvg = el instanceof SVGElement;
    if (!inSvg) {
      const lh = cs.lineHeight === 'normal' ? NaN : parseFloat(cs.lineHeight) / size;
      if (!(lh >= out.lineHeight)) (out.lineHeight = lh), (out.where.lineHeight = `${describe(el)} ${snippet(n.nodeValue)}`);
      if (!(lh >= limits.lineHeight - 0.005)) fail(`line height ${cs.lineHeight} (${lh.toFixed(2)}) < ${limits.lineHeight}: ${describe(el)} ${snippet(n.nodeValue)}`);
    }
    const fg = over(parse(inSvg ? cs.fill : cs.color), background(el));
    const bg = background(el);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    if (ratio < out.contrast) (out.contrast = ratio), (out.where.contrast = `${describe(el)} ${snippet(n.nodeValue)} rgb(${fg.slice(0, 3).map(Math.round)}) on rgb(${bg.slice(0, 3).map(Math.round)})`);
    if (ratio < limits.contrast - 0.005) fail(`contrast ${ratio.toFixed(2)} < ${limits.contrast}: ${describe(el)} ${snippet(n.nodeValue)}`);
  }

  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    out.targets++;
    const w = Math.round(r.width * 10) / 10, h = Math.round(r.height * 10) / 10;
    const what = `${describe(el)} ${snippet(el.textContent || el.getAttribute('aria-label') || '')}`;
    if (w < out.targetW) (out.targetW = w), (out.where.targetW = what);
    if (h < out.targetH) (out.targetH = h), (out.where.targetH = what);
    if (w < limits.target - 0.05 || h < limits.target - 0.05) fail(`target ${w}x${h} < ${limits.target}x${limits.target}: ${what}`);
  }

  for (const p of document.querySelectorAll('p')) {
    const next = p.nextElementSibling;
    if (!next || next.tagName !== 'P' || hidden(p) || hidden(next)) continue;
    const a = p.getBoundingClientRect(), b = next.getBoundingClientRect();
    if (!a.height || !b.height) continue;
    out.paragraphs++;
    const lh = parseFloat(getComputedStyle(p).lineHeight);
    const ratio = (b.top - a.bottom) / lh;
    if (ratio < out.paragraph) (out.paragraph = ratio), (out.where.paragraph = `${describe(p)} ${snippet(p.textContent)}`);
    if (ratio < limits.paragraph - 0.01) fail(`paragraph spacing ${(b.top - a.bottom).toFixed(1)}px = ${ratio.toFixed(2)} x line height < ${limits.paragraph}: ${describe(p)} ${snippet(p.textContent)}`);
  }
  return out;
}

// Runs in the page in elder mode: the simplified layout.
function layoutInPage() {
  const fails = [];
  const root = document.documentElement;
  if (!root.classList.contains('elder')) fails.push('html has no class "elder"');
  const sw = document.getElementById('elder-toggle');
  if (!sw || sw.disabled || sw.getAttribute('aria-pressed') !== 'true') fails.push('the 长辈版 switch is not enabled and pressed');
  for (const c of document.querySelectorAll('main .chart svg, main .legend .swatch')) {
    if (c.checkVisibility()) fails.push(`a chart that needs a legend is shown: ${c.tagName.toLowerCase()}.${c.getAttribute('class')}`);
  }
  for (const el of document.querySelectorAll('main *, header *, footer *')) {
    const cs = getComputedStyle(el);
    if (!el.checkVisibility()) continue;
    if (cs.display.includes('grid')) {
      const cols = cs.gridTemplateColumns.split(' ').filter((x) => x && x !== 'none').length;
      if (cols > 1) fails.push(`grid of ${cols} columns: ${el.tagName.toLowerCase()}.${el.getAttribute('class')}`);
    }
  }
  const wide = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (wide > 0) fails.push(`the page scrolls sideways by ${wide}px (a wide table must scroll in its own box)`);
  const cursor = getComputedStyle(document.body).cursor;
  if (!/url\(/.test(cursor)) fails.push(`no large cursor (body cursor: ${cursor})`);
  return { fails, cursor: /url\(/.test(cursor) };
}

// A stand-in for speechSynthesis that records what it is asked to do.
function fakeSpeech() {
  const log = (window.__speech = { spoken: [], calls: [] });
  let current = null;
  const synth = {
    speaking: false,
    paused: false,
    pending: false,
    speak(u) {
      log.spoken.push({ text: u.text, lang: u.lang });
      this.speaking = true;
      current = u;
      if (window.__speechAutoEnd) setTimeout(() => current === u && (this.speaking = false, u.onend && u.onend({})), 0);
    },
    cancel() {
      log.calls.push('cancel');
      const u = current;
      current = null;
      this.speaking = false;
      this.paused = false;
      if (u && u.onend) u.onend({});
    },
    pause() {
      log.calls.push('pause');
      this.paused = true;
    },
    resume() {
      log.calls.push('resume');
      this.paused = false;
    },
    getVoices: () => [],
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) {
    this.text = text;
    this.lang = '';
  };
  window.__speechAutoEnd = true;
}

async function elderOn(page) {
  await page.evaluate((k) => localStorage.setItem(k, '1'), STORAGE_KEY);
}

// The keyboard walk: Tab to the link whose path is `to`, Enter. Every
// focused element must show a focus indicator.
async function tabTo(page, to, maxTabs, log) {
  for (let i = 1; i <= maxTabs; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow && cs.boxShadow !== 'none');
      const onScreen = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
      return { path: el.getAttribute('href') ? new URL(el.href, location.href).pathname : null, tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim().slice(0, 20), ring, onScreen };
    });
    if (!f) continue;
    if (!f.ring) log.fails.push(`${log.at}: focus not visible on ${f.tag} "${f.text}"`);
    if (!f.onScreen) log.fails.push(`${log.at}: focused ${f.tag} "${f.text}" is off screen`);
    log.tabs++;
    if (f.path === to) {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
      return true;
    }
  }
  log.fails.push(`${log.at}: no link to ${to} within ${maxTabs} Tab presses`);
  return false;
}

async function keyboardWalk(browser, origin, vp, mode, route) {
  const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const log = { fails: [], tabs: 0, at: '' };
  await page.goto(origin + route[0], { waitUntil: 'load' });
  if (mode === 'elder') {
    // Switch 长辈版 on with the keyboard: Tab to it, Space.
    let on = false;
    for (let i = 0; i < 10 && !on; i++) {
      await page.keyboard.press('Tab');
      on = await page.evaluate(() => document.activeElement && document.activeElement.id === 'elder-toggle');
    }
    if (!on) log.fails.push('the 长辈版 switch is not reachable within 10 Tab presses');
    else await page.keyboard.press('Space');
    if (!(await page.evaluate(() => document.documentElement.classList.contains('elder')))) log.fails.push('Space on the 长辈版 switch did not turn it on');
  }
  for (let i = 1; i < route.length; i++) {
    log.at = `${mode} @${vp.width}px ${route[i - 1]} -> ${route[i]}`;
    if (!(await tabTo(page, route[i], 400, log))) break;
    const now = new URL(page.url()).pathname;
    if (now !== route[i]) log.fails.push(`${log.at}: arrived at ${now}`);
    if (mode === 'elder' && !(await page.evaluate(() => document.documentElement.classList.contains('elder')))) log.fails.push(`${log.at}: 长辈版 was not remembered`);
  }
  await context.close();
  return log;
}

async function checkSpeech(browser, origin, path, vp) {
  const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
  await context.addInitScript(fakeSpeech);
  const page = await context.newPage();
  const fails = [];
  await page.goto(origin + path, { waitUntil: 'load' });
  const btn = page.locator('#read-toggle');
  if (!(await btn.count()) || (await btn.isDisabled())) {
    await context.close();
    return { fails: ['no enabled 朗读 button'], chunks: 0 };
  }
  // A whole reading: every chunk in the order of the page, in zh-CN.
  await btn.click();
  await page.waitForFunction(() => document.getElementById('read-toggle').textContent === document.getElementById('read-toggle').dataset.read, null, { timeout: 10000 }).catch(() => fails.push('reading did not come to an end'));
  const r = await page.evaluate(() => {
    const main = document.getElementById('main').innerText.replace(/\s+/g, '');
    let at = 0;
    const order = [];
    for (const s of window.__speech.spoken) {
      const t = s.text.replace(/\s+/g, '');
      const i = main.indexOf(t, at);
      if (i < 0) order.push(s.text.slice(0, 30));
      else at = i + t.length;
    }
    return { spoken: window.__speech.spoken, outOfOrder: order, h1: document.querySelector('main h1').innerText.trim(), mainLength: main.length, covered: at };
  });
  if (!r.spoken.length) fails.push('朗读 spoke nothing');
  else {
    if (r.spoken[0].text.trim() !== r.h1) fails.push(`朗读 starts with ${JSON.stringify(r.spoken[0].text.slice(0, 30))}, not the page's h1`);
    if (r.outOfOrder.length) fails.push(`朗读 spoke text not in the main content's order: ${r.outOfOrder.slice(0, 3).join(' | ')}`);
    const langs = [...new Set(r.spoken.filter((s) => /[\u4e00-\u9fff]/.test(s.text)).map((s) => s.lang))];
    if (langs.join() !== 'zh-CN') fails.push(`Chinese text spoken as ${langs.join(', ')}, not zh-CN`);
    if (r.covered < r.mainLength * 0.8) fails.push(`朗读 reached ${r.covered} of ${r.mainLength} characters of the main content`);
  }
  // Pause, resume, stop.
  await page.evaluate(() => {
    window.__speechAutoEnd = false;
    window.__speech.calls = [];
  });
  await btn.click(); // start
  await btn.click(); // pause
  const paused = await page.evaluate(() => ({ calls: window.__speech.calls.slice(), label: document.getElementById('read-toggle').textContent, stop: !document.getElementById('read-stop').hidden }));
  if (!paused.calls.includes('pause')) fails.push('暂停 did not pause the speech');
  if (!paused.stop) fails.push('no 停止 button while reading');
  await btn.click(); // resume
  await page.locator('#read-stop').click();
  const stopped = await page.evaluate(() => ({ calls: window.__speech.calls.slice(), stop: !document.getElementById('read-stop').hidden }));
  if (!stopped.calls.includes('resume')) fails.push('继续 did not resume the speech');
  if (!stopped.calls.includes('cancel')) fails.push('停止 did not cancel the speech');
  if (stopped.stop) fails.push('停止 is still shown after stopping');
  await context.close();
  return { fails, chunks: r.spoken.length };
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

async function checkCitizens(browser, origin, pages, widths, runAxe, report, notice) {
  const fails = [];
  const lines = [];
  const min = { normal: {}, elder: {} };
  const keep = (m, k, v, where) => {
    if (!(k in m) || v < m[k].v) m[k] = { v, where };
  };
  const axeViolations = [];
  for (const mode of ['normal', 'elder']) {
    const limits = MODES[mode];
    for (const vp of widths) {
      const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1, javaScriptEnabled: limits.js });
      const page = await context.newPage();
      if (mode === 'elder') {
        await page.goto(origin + '/', { waitUntil: 'load' });
        await elderOn(page);
      }
      for (const pg of pages) {
        const resp = await page.goto(origin + pg.path, { waitUntil: 'load' });
        if (!resp || resp.status() !== 200) {
          if (!(pg.optional && resp && resp.status() === 404)) fails.push(`${pg.path} answers ${resp ? resp.status() : 0}`);
          continue;
        }
        await page.evaluate(() => document.fonts.ready);
        const where = `${mode} ${pg.path} @${vp.width}px`;
        const m = await page.evaluate(measureInPage, limits);
        for (const f of m.fails) fails.push(`${where}: ${f}`);
        keep(min[mode], 'font', m.font, `${where} ${m.where.font}`);
        keep(min[mode], 'lineHeight', m.lineHeight, `${where} ${m.where.lineHeight}`);
        keep(min[mode], 'contrast', m.contrast, `${where} ${m.where.contrast}`);
        keep(min[mode], 'targetW', m.targetW, `${where} ${m.where.targetW}`);
        keep(min[mode], 'targetH', m.targetH, `${where} ${m.where.targetH}`);
        if (m.paragraphs) keep(min[mode], 'paragraph', m.paragraph, `${where} ${m.where.paragraph}`);
        min[mode].texts = (min[mode].texts || 0) + m.texts;
        min[mode].targets = (min[mode].targets || 0) + m.targets;
        min[mode].loads = (min[mode].loads || 0) + 1;
        if (mode === 'normal') {
          const note = await page.evaluate(() => {
            const n = document.querySelector('.a11y-nojs');
            const sw = document.getElementById('elder-toggle');
            return { note: n && n.checkVisibility() ? n.textContent.trim() : '', sw: !!sw && sw.checkVisibility() };
          });
          if (!note.sw) fails.push(`${where}: no visible 长辈版 switch`);
          if (!/JavaScript/.test(note.note)) fails.push(`${where}: the 长辈版 switch does not say it needs JavaScript`);
        } else {
          const l = await page.evaluate(layoutInPage);
          for (const f of l.fails) fails.push(`${where}: ${f}`);
          await runAxe(page, `${where} (长辈版)`, axeViolations);
        }
      }
      await context.close();
    }
  }
  for (const mode of ['normal', 'elder']) {
    const m = min[mode];
    if (!m.loads) continue;
    const L = MODES[mode];
    lines.push(`${mode} (${L.js ? 'JavaScript on, 长辈版' : 'JavaScript off'}): ${m.loads} page loads, ${m.texts} text nodes, ${m.targets} targets`);
    lines.push(`  smallest text ${fmt(m.font.v)} px (>= ${L.font}) at ${m.font.where}`);
    lines.push(`  smallest line height ${fmt(m.lineHeight.v, 2)} (>= ${L.lineHeight}) at ${m.lineHeight.where}`);
    if (m.paragraph) lines.push(`  smallest paragraph spacing ${fmt(m.paragraph.v, 2)} x line height (>= ${L.paragraph}) at ${m.paragraph.where}`);
    lines.push(`  lowest contrast ${fmt(m.contrast.v, 2)}:1 (>= ${L.contrast}) at ${m.contrast.where}`);
    lines.push(`  narrowest target ${fmt(m.targetW.v)} px at ${m.targetW.where}`);
    lines.push(`  lowest target ${fmt(m.targetH.v)} px (>= ${L.target}) at ${m.targetH.where}`);
  }

  // Keyboard only: home -> district -> round -> problem -> home.
  const route = ['/', '/shili/', '/shili/2024-r2/', '/shili/2024-r2/sanzi-hetong/', '/'];
  for (const mode of ['normal', 'elder']) {
    for (const vp of widths) {
      const k = await keyboardWalk(browser, origin, vp, mode, route);
      fails.push(...k.fails);
      lines.push(`keyboard ${mode} @${vp.width}px: ${route.join(' -> ')} in ${k.tabs} Tab presses, ${k.fails.length} problems`);
    }
  }
  // 朗读.
  for (const path of ['/shili/2024-r2/sanzi-hetong/', '/']) {
    const s = await checkSpeech(browser, origin, path, widths[0]);
    fails.push(...s.fails.map((f) => `朗读 ${path}: ${f}`));
    lines.push(`朗读 ${path}: ${s.chunks} utterances, pause/resume/stop ${s.fails.length ? 'FAILED' : 'ok'}`);
  }
  fails.push(...axeViolations);
  report('citizens', fails.length === 0, `长辈版 and general 适老化 rules, both modes at ${widths.map((w) => w.width + 'px').join(' and ')}, keyboard walk, 朗读, axe in 长辈版: ${fails.length} problems`, [...lines, ...fails]);
  return min;
}

module.exports = { checkCitizens, MODES };
