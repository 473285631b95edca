// Embeds in a newsroom's page: a page of another origin frames a station card (it shows,
// with or without JavaScript), and the same page cannot frame an ordinary Daylight page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

let server, browser, newsroom, newsroomBase;

/// A tiny "newsroom" site on another port (and another host name: `localhost` versus the
/// portal's `127.0.0.1`), so the frame is cross-origin and cross-site.
function startNewsroom(portal) {
  const pages = {
    '/article-with-card.html': `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Article</title></head>
      <body><h1>Smog over Xi'an</h1>
      <iframe id="card" src="${portal}/embed/station/1462A" width="360" height="220" style="border:0" title="Air quality card"></iframe>
      </body></html>`,
    '/article-with-map.html': `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Article</title></head>
      <body><h1>Smog over Xi'an</h1>
      <iframe id="map" src="${portal}/embed/map?layers=air&amp;center=34.26,108.94&amp;zoom=11&amp;lang=en" width="360" height="420" style="border:0" title="Live air quality map"></iframe>
      </body></html>`,
    '/article-with-page.html': `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Article</title></head>
      <body><h1>Smog over Xi'an</h1>
      <iframe id="page" src="${portal}/station/1462A" width="360" height="600"></iframe>
      </body></html>`,
  };
  const http = createServer((req, res) => {
    const body = pages[req.url];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  return new Promise(ok => http.listen(0, '127.0.0.1', () => ok(http)));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  newsroom = await startNewsroom(server.base);
  newsroomBase = `http://localhost:${newsroom.address().port}`;
});
after(async () => {
  await browser?.close();
  await new Promise(ok => (newsroom ? newsroom.close(ok) : ok()));
  await server?.stop();
});

async function checkCard(page) {
  const card = page.frameLocator('#card');
  await card.locator('h1').waitFor();
  assert.equal(await card.locator('h1').innerText(), '高压开关厂');
  assert.match(await card.locator('.badge-large').innerText(), /^\d{1,3}$/);
  assert.match(await card.locator('.as-of').innerText(), /数据时间.*UTC\+08:00.*模拟/s);
  assert.match(await card.locator('footer').innerText(), /阳光环境 Daylight · 数据来源/);
  const link = card.locator('a.full');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener');
}

test('a station card shows inside a page of another origin', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(newsroomBase + '/article-with-card.html');
  await checkCard(page);
  const frame = page.frames().find(f => f.url().startsWith(server.base + '/embed/'));
  assert.ok(frame, 'the card frame is loaded from the portal');
  // No script of ours runs in the card.
  assert.equal(await frame.evaluate(() => document.scripts.length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the card works with JavaScript off', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(newsroomBase + '/article-with-card.html');
  await checkCard(page);
  await context.close();
});

test('the card link opens the full station page in a new tab', async () => {
  const { page, context } = await phonePage(browser);
  await page.goto(newsroomBase + '/article-with-card.html');
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    page.frameLocator('#card').locator('a.full').click(),
  ]);
  await tab.waitForLoadState();
  assert.match(tab.url(), /\/station\/1462A\?lang=zh/);
  assert.equal(await tab.locator('h1').innerText(), '高压开关厂');
  await context.close();
});

test('an ordinary Daylight page refuses to be framed by another origin', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(newsroomBase + '/article-with-page.html');
  // Give the frame time to load (or be refused).
  await page.waitForTimeout(1500);
  const frame = page.frames().find(f => f !== page.mainFrame());
  assert.ok(frame, 'the iframe exists');
  assert.ok(!frame.url().startsWith(server.base), `the frame shows ${frame.url()}`);
  // Chromium shows its own error page in the frame ("… refused to connect").
  assert.ok(frame.url().startsWith('chrome-error:'), frame.url());
  const text = await page.frameLocator('#page').locator('body').innerText();
  assert.doesNotMatch(text, /高压开关厂/, 'the station page rendered inside the frame');
  assert.ok(problems.some(p => /frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(p)),
    `no framing refusal reported: ${JSON.stringify(problems)}`);
  await context.close();
});

test('the live map shows inside a page of another origin, air stations only, with its attribution', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(newsroomBase + '/article-with-map.html');
  const map = page.frameLocator('#map');
  await map.locator('.leaflet-marker-icon').first().waitFor();
  const frame = page.frames().find(f => f.url().startsWith(server.base + '/embed/map'));
  assert.ok(frame, 'the map frame is loaded from the portal');
  // Only the air layer was asked for: 18 demo air stations, no water section.
  await frame.waitForFunction(() => document.querySelectorAll('.leaflet-marker-icon').length === 18);
  assert.equal(await map.locator('.leaflet-marker-icon .marker-water').count(), 0);
  assert.equal(await map.locator('.leaflet-marker-icon[data-code="1462A"]').count(), 1);
  // The frame carries no site header, and says where the data is from and how old it is.
  assert.equal(await map.locator('header.site-header').count(), 0);
  assert.match(await map.locator('.embed-map-line').innerText(), /Daylight.*·.*\d{2}:\d{2}/s);
  assert.match(await map.locator('.embed-map-attribution').innerText(), /CNEMC|source/i);
  assert.equal(await map.locator('a.full').getAttribute('target'), '_blank');
  // Leaflet drew it at the zoom the snippet asked for (zoom 11: the zoom-in button enabled).
  assert.equal(await map.locator('.leaflet-control-zoom-in.leaflet-disabled').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
