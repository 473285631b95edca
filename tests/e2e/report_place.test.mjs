// The report form's location and suspected enterprise on a phone (390 × 844): a tap on the
// map sets the point (the fields fill, the page says so) and the complaint reaches the
// district that contains it; "use my location" fills the point from the browser's position
// (and says so when the position is refused); the registry search links an enterprise;
// with JavaScript off the same form posts the typed coordinates and the typed name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './harness.mjs';

const PLANT = '91610111MA6DM0001J';

let server, browser, districts;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  districts = await fetch(server.base + '/api/v1/districts').then(r => r.json());
});
after(async () => { await browser?.close(); await server?.stop(); });

async function phone({ javaScriptEnabled = true, geolocation } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
    javaScriptEnabled, locale: 'zh-CN',
  });
  if (geolocation) {
    await context.grantPermissions(['geolocation'], { origin: server.base });
    await context.setGeolocation(geolocation);
  }
  const page = await context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  return { page, context, problems };
}

// Ray casting over a GeoJSON (Multi)Polygon: which district holds a point.
function inRing(ring, lon, lat) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function districtAt(lat, lon) {
  for (const f of districts.features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    if (polygons.some(([outer, ...holes]) => inRing(outer, lon, lat) && !holes.some(h => inRing(h, lon, lat)))) {
      return f.properties.name;
    }
  }
  return null;
}

async function fillTheRest(page) {
  await page.locator('select[name=category]').selectOption('air');
  await page.locator('textarea[name=description]').fill('烟囱冒黑烟');
  await page.locator('input[name=consent]').check();
}

async function submit(page) {
  await page.locator('button[type=submit]').tap();
  await page.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);
}

test('a tap on the map sets the point, a picked enterprise is linked, the complaint reaches that district', async () => {
  const { page, context, problems } = await phone();
  await page.goto(server.base + '/report');
  const map = page.locator('#picker-map');
  await map.waitFor({ state: 'visible' });
  await page.waitForSelector('#picker-map.map-ready');
  // The offline basemap: the district outlines are drawn.
  await page.waitForSelector('#picker-map svg path');
  assert.equal(await page.locator('.picker-point').getAttribute('data-set'), null);
  const box = await map.boundingBox();
  assert.ok(box.width >= 300 && box.height >= 200, `map ${JSON.stringify(box)}`);

  await map.tap();
  await page.waitForSelector('.picker-point[data-set="true"]');
  const lat = await page.locator('input[name=lat]').inputValue();
  const lon = await page.locator('input[name=lon]').inputValue();
  assert.match(lat, /^\d+\.\d{6}$/);
  assert.match(lon, /^\d+\.\d{6}$/);
  assert.match(await page.locator('.picker-point').innerText(), new RegExp(`已选位置：纬度 ${Number(lat).toFixed(5)}`));
  const expected = districtAt(Number(lat), Number(lon));
  assert.ok(expected, `the tap at ${lat},${lon} is inside a district`);

  // The registry search: part of a name, then a pick.
  await page.locator('#suspect').fill('热电');
  const plant = page.locator(`.suspect-results button[data-code="${PLANT}"]`);
  await plant.waitFor();
  assert.equal(await page.locator('.suspect-results button').count(), 2);
  await plant.tap();
  await page.waitForSelector(`.suspect-linked[data-code="${PLANT}"]`);
  assert.equal(await page.locator('input[name=suspect_code]').inputValue(), PLANT);
  assert.match(await page.locator('#suspect').inputValue(), /示例热电有限公司/);

  await fillTheRest(page);
  await submit(page);
  assert.equal((await page.locator('dd.district').innerText()).trim(), expected);
  assert.equal(await page.locator('dd.suspect').getAttribute('data-code'), PLANT);
  await page.locator('.enterprise-evidence').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('"use my location" fills the point from the browser position', async () => {
  // At the Bell Tower (钟楼), in 碑林区.
  const { page, context, problems } = await phone({ geolocation: { latitude: 34.2610, longitude: 108.9470 } });
  await page.goto(server.base + '/report');
  await page.waitForSelector('#picker-map.map-ready');
  await page.locator('button.locate').tap();
  await page.waitForSelector('.picker-point[data-set="true"]');
  assert.equal(await page.locator('input[name=lat]').inputValue(), '34.261000');
  assert.equal(await page.locator('input[name=lon]').inputValue(), '108.947000');
  assert.match(await page.locator('.picker-status').innerText(), /已使用您的当前位置/);
  // Cleared, then set again: the fields follow.
  await page.locator('button.clear-point').tap();
  assert.equal(await page.locator('input[name=lat]').inputValue(), '');
  await page.locator('button.locate').tap();
  await page.waitForSelector('.picker-point[data-set="true"]');
  await fillTheRest(page);
  await submit(page);
  assert.match(await page.locator('dd.district').innerText(), /碑林区/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a refused position is said plainly, and the form still takes an address', async () => {
  const { page, context } = await phone();
  await context.clearPermissions();
  await page.goto(server.base + '/report');
  await page.waitForSelector('#picker-map.map-ready');
  await page.locator('button.locate').tap();
  await page.waitForFunction(() => /未允许|无法确定|超时/.test(document.querySelector('.picker-status')?.textContent ?? ''),
    null, { timeout: 20_000 });
  assert.equal(await page.locator('.picker-point').getAttribute('data-set'), null);
  await page.locator('input[name=address]').fill('纺织城东边的河堤');
  await fillTheRest(page);
  await submit(page);
  assert.match(await page.locator('.complaint-facts').innerText(), /纺织城东边的河堤/);
  await context.close();
});

test('JavaScript off: no map, the typed coordinates and a typed name are sent all the same', async () => {
  const { page, context } = await phone({ javaScriptEnabled: false });
  await page.goto(server.base + '/report');
  assert.equal(await page.locator('#picker-map').isVisible(), false);
  assert.equal(await page.locator('button.locate').isVisible(), false);
  await page.locator('input[name=lat]').fill('34.2610');
  await page.locator('input[name=lon]').fill('108.9470');
  // The registry is the field's list of suggestions; the exact name links it.
  assert.equal(await page.locator('#suspect').getAttribute('list'), 'suspect-registry');
  await page.locator('#suspect').fill('示例热电有限公司（示例企业）');
  await fillTheRest(page);
  await submit(page);
  assert.match(await page.locator('dd.district').innerText(), /碑林区/);
  assert.equal(await page.locator('dd.suspect').getAttribute('data-code'), PLANT);
  await context.close();
});
