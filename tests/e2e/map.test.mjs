// What a person does with the map page, with JavaScript on and off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('after hydration the map shows every air station and water section, with no console errors', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/');
  await page.waitForSelector('.leaflet-marker-icon');
  const air = page.locator('.leaflet-marker-icon .marker-air');
  const water = page.locator('.leaflet-marker-icon .marker-water');
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-icon').length >= 53);
  assert.equal(await air.count(), 18);
  assert.equal(await water.count(), 35);
  // The offline basemap: the 13 district boundaries drawn as vectors.
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-overlay-pane path').length >= 13);
  // An air marker shows the AQI number on its category colour.
  const text = await page.locator('.leaflet-marker-icon[data-code="1462A"] .marker').innerText();
  assert.match(text, /^\d{1,3}$/);
  // "Near me" appears only once the page is interactive.
  assert.equal(await page.locator('button.near-me').isVisible(), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"near me" finds the nearest station from the browser position', async () => {
  const { page, context, problems } = await phonePage(browser);
  // Standing at the Bell Tower (钟楼); the nearest station is 市人民体育场 (1466A), ~1.1 km away.
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 34.2610, longitude: 108.9470 });
  await page.goto(server.base + '/');
  await page.locator('button.near-me').tap();
  await page.waitForFunction(() => /公里/.test(document.querySelector('output.nearest')?.textContent ?? ''));
  const text = await page.locator('output.nearest').innerText();
  assert.match(text, /市人民体育场/);
  assert.match(text, /1\.\d 公里/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('tapping a marker opens the station page', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/');
  const marker = page.locator('.leaflet-marker-icon[data-code="1469A"]');
  await marker.waitFor();
  await marker.tap();
  await page.waitForURL('**/station/1469A');
  await page.getByRole('heading', { level: 1, name: '长安区' }).waitFor();
  assert.match(await page.locator('.headline').innerText(), /首要污染物|无法计算/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without JavaScript the list view carries every station and links to its page', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + '/');
  assert.equal(await page.locator('table.stations.air tbody tr').count(), 18);
  assert.equal(await page.locator('table.stations.water tbody tr').count(), 35);
  // Simulated values are never shown without saying so.
  assert.ok(await page.locator('table.stations.air .source-simulated').count() > 0);
  await page.getByRole('link', { name: '小寨' }).click();
  await page.waitForURL('**/station/1465A');
  assert.match(await page.locator('h1').innerText(), /小寨/);
  assert.match(await page.locator('.headline').innerText(), /对健康影响|无法计算/);
  assert.equal(await page.locator('svg.trend rect').count() > 0, true);
  await context.close();
});

test('the language switch works without JavaScript and is remembered', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + '/station/1462A');
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL('**/station/1462A');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('.headline').innerText(), /Health effects|No AQI/);
  await page.goto(server.base + '/');
  assert.match(await page.locator('.station-list h2').first().innerText(), /Air monitoring stations/);
  await context.close();
});

test('a visitor can switch to the US EPA scale without JavaScript, and the choice sticks', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + '/station/1462A');
  assert.match(await page.locator('.headline-label').innerText(), /HJ 633/);
  await page.getByRole('link', { name: '改用美国 EPA 标准' }).click();
  await page.waitForURL('**/station/1462A');
  assert.match(await page.locator('.headline-label').innerText(), /美国 EPA/);
  assert.match(await page.locator('.headline .badge-large').innerText(), /^\d{1,3}$/);
  await page.goto(server.base + '/');
  assert.match(await page.locator('.legend').innerText(), /美国 EPA/);
  await page.getByRole('link', { name: '改用中国标准 (HJ 633)' }).click();
  await page.waitForURL(server.base + '/');
  assert.match(await page.locator('.legend').innerText(), /HJ 633/);
  await context.close();
});

test('the map hydrates on the US EPA scale without errors', async () => {
  const { page, context, problems } = await phonePage(browser);
  await context.addCookies([{ name: 'daylight_scale', value: 'us-epa', url: server.base }]);
  await page.goto(server.base + '/');
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-icon').length >= 53);
  assert.equal(await page.locator('html').getAttribute('data-aqi-scale'), 'us-epa');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a water section page shows its class and deciding items, hydrated without errors', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/');
  const link = page.locator('table.stations.water a', { hasText: '灞河口' });
  const href = await link.getAttribute('href');
  await page.goto(server.base + href);
  await page.getByRole('heading', { level: 1, name: '灞河口' }).waitFor();
  const headline = await page.locator('.headline').innerText();
  assert.match(headline, /水质类别/);
  assert.match(headline, /定类项目/);
  assert.match(await page.locator('.facts').innerText(), /近似/);
  await page.waitForTimeout(500);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown station is a real 404 page', async () => {
  const { page, context } = await phonePage(browser);
  const response = await page.goto(server.base + '/station/NOPE');
  assert.equal(response.status(), 404);
  assert.match(await page.locator('h1').innerText(), /找不到/);
  await context.close();
});

test('on a phone the site name and the navigation do not overlap', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + '/');
  const name = await page.locator('.brand-name').boundingBox();
  const links = await page.locator('.site-nav a').all();
  assert.ok(links.length >= 2);
  for (const link of links) {
    const box = await link.boundingBox();
    const apart = box.x >= name.x + name.width || box.x + box.width <= name.x
      || box.y >= name.y + name.height || box.y + box.height <= name.y;
    assert.ok(apart, `"${await link.innerText()}" overlaps the site name`);
  }
  await context.close();
});
