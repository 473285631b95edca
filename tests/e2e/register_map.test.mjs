// The public register's map on a phone (390 × 844): a marker per listed complaint that has a
// place, at its ~200 m cell, titled with its tracking code, category and status; a tap on a
// marker brings the complaint's row into view. Nothing on the page carries the reporter's
// contact or the exact point. With JavaScript off the list is the register.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './harness.mjs';

const PHONE = '13912345678';
const EMAIL = 'resident.regmap@example.cn';
// Exact points (more digits than the register's ~200 m grid keeps) and one with an address only.
const FILED = [
  { category: 'air', lat: '34.26133', lon: '108.94712', contact: PHONE, description: '钟楼附近烟囱冒黑烟' },
  { category: 'noise', lat: '34.34421', lon: '108.93987', contact: EMAIL, description: '夜间施工噪声' },
  { category: 'water', lat: '', lon: '', address: '纺织城东边的河堤', contact: '', description: '河面漂浮垃圾' },
];

let server, browser;
const codes = [];
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  for (const f of FILED) codes.push(await file(f));
});
after(async () => { await browser?.close(); await server?.stop(); });

async function phone({ javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
    javaScriptEnabled, locale: 'zh-CN',
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  return { page, context, problems };
}

// Files a complaint through the form (script off: the plain form post) and returns its code.
async function file({ category, lat, lon, address = '', contact, description }) {
  const { page, context } = await phone({ javaScriptEnabled: false });
  await page.goto(server.base + '/report');
  await page.locator('select[name=category]').selectOption(category);
  await page.locator('textarea[name=description]').fill(description);
  await page.locator('input[name=lat]').fill(lat);
  await page.locator('input[name=lon]').fill(lon);
  await page.locator('input[name=address]').fill(address);
  await page.locator('input[name=contact]').fill(contact);
  await page.locator('input[name=consent]').check();
  await page.locator('button[type=submit]').tap();
  await page.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);
  const code = (await page.locator('.tracking-code').innerText()).trim();
  await context.close();
  return code;
}

function assertNothingPersonal(html) {
  for (const secret of [PHONE, EMAIL, ...FILED.flatMap(f => [f.lat, f.lon]).filter(Boolean)]) {
    assert.ok(!html.includes(secret), `the register shows ${secret}`);
  }
  // Not the description either.
  assert.ok(!html.includes(FILED[0].description));
}

test('a marker per located complaint, titled with its code; a tap brings its row into view', async () => {
  const { page, context, problems } = await phone();
  await page.goto(server.base + '/complaints');
  await page.waitForSelector('#register-map.map-ready');
  // The offline basemap: the district outlines are drawn.
  await page.waitForSelector('#register-map svg path');
  const box = await page.locator('#register-map').boundingBox();
  assert.ok(box.width >= 300 && box.height >= 200, `map ${JSON.stringify(box)}`);

  // Every listed complaint with an approximate place has one marker; the one without has none.
  const located = await page.$$eval('table.complaints tbody tr[id^="complaint-"]', rows => rows
    .filter(r => r.children[6].textContent.trim() !== '')
    .map(r => r.dataset.code));
  assert.ok(located.includes(codes[0]) && located.includes(codes[1]), `${located}`);
  assert.ok(!located.includes(codes[2]));
  const markers = page.locator('#register-map .leaflet-marker-icon[data-code]');
  assert.equal(await markers.count(), located.length);
  assert.deepEqual((await markers.evaluateAll(ms => ms.map(m => m.dataset.code))).sort(), [...located].sort());
  assert.equal(await page.locator(`#register-map [data-code="${codes[2]}"]`).count(), 0);

  // Title and accessible name: code, category, status (a new complaint is open).
  const marker = page.locator(`#register-map .leaflet-marker-icon[data-code="${codes[1]}"]`);
  const title = await marker.getAttribute('title');
  assert.match(title, new RegExp(`^${codes[1]} · 噪声.* · `), title);
  assert.equal(await marker.getAttribute('aria-label'), title);
  assert.equal(await marker.getAttribute('data-status'), 'open');
  assert.equal(await marker.locator('.register-open').innerText(), '!');

  // The marker leads to the complaint's row.
  const row = page.locator(`#complaint-${codes[1]}`);
  assert.equal(await row.isVisible(), true);
  assert.equal(await page.evaluate(() => scrollY), 0);
  await marker.tap();
  // Scrolled to the row: it is at the top of the view (or the page cannot scroll further).
  await page.waitForFunction(id => {
    const r = document.getElementById(id).getBoundingClientRect();
    const end = scrollY + innerHeight >= document.documentElement.scrollHeight - 1;
    return scrollY > 0 && r.top >= -1 && r.bottom <= innerHeight && (r.top < 2 || end);
  }, `complaint-${codes[1]}`);
  assert.equal(await row.getAttribute('data-selected'), 'true');

  // The coarse place in the list; nothing personal or exact anywhere on the page.
  assert.match(await row.innerText(), /34\.345, 108\.939/);
  assertNothingPersonal(await page.content());
  assertNothingPersonal(await (await page.request.get(server.base + '/complaints')).text());
  assert.deepEqual(problems, []);
  await context.close();
});

test('JavaScript off: no map, the list is the register', async () => {
  const { page, context } = await phone({ javaScriptEnabled: false });
  await page.goto(server.base + '/complaints');
  assert.equal(await page.locator('#register-map').isVisible(), false);
  for (const code of codes) {
    assert.equal(await page.locator(`tr#complaint-${code}`).isVisible(), true, code);
  }
  assert.match(await page.locator(`#complaint-${codes[0]}`).innerText(), /34\.261, 108\.947/);
  assertNothingPersonal(await page.content());
  await context.close();
});
