// Enterprises in the browser (issue 5), at phone size: an enterprise's staff upload a lab
// result through the account form and the public page shows it labelled "self-reported, not
// audited" (with JavaScript off and on); the map's enterprise layer is in the list without
// JavaScript and on the map with it, and its switch works both ways (a link; in place).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

/// The food processor: manual monthly monitoring of its wastewater outlet DW001.
const FOOD = '91610118MA6DM0007A';
/// The coal boiler house: over its NOx limit right after the first start.
const BOILER = '91610114MA6DM0009N';
/// The coal power plant: within its limits.
const POWER = '91610111MA6DM0001J';
const ENTERPRISES = 10;

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

/// Yesterday in Beijing time at `hour`, as a datetime-local input takes it.
function yesterdayAt(hour) {
  const beijing = new Date(Date.now() + 8 * 3600e3 - 24 * 3600e3);
  return `${beijing.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
}

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`JavaScript ${mode}: a manual lab result uploaded at /account is on the public page, labelled self-reported`, async () => {
    const user = `food.${mode}`;
    server.cli(['enterprise-user', 'add', user, '--enterprise', FOOD, '--display-name', '王工（环保部）',
      '--password-stdin'], 'food-password-1\n');
    const { page, context, problems } = await phonePage(browser, { javaScriptEnabled });
    await page.goto(server.base + '/account/login');
    await page.locator('input[name=username]').fill(user);
    await page.locator('input[name=password]').fill('food-password-1');
    await Promise.all([page.waitForURL(`**/account/enterprise/${FOOD}`),
      page.locator('form.account-login button[type=submit]').tap()]);

    const note = `某检测公司 HJ 828-2017 (${mode})`;
    const value = javaScriptEnabled ? '42.5' : '38.5';
    const form = page.locator('form.account-result');
    await form.locator('select[name=outlet]').selectOption('DW001');
    await form.locator('select[name=pollutant]').selectOption('w01018');
    await form.locator('input[name=time]').fill(yesterdayAt(javaScriptEnabled ? 11 : 10));
    await form.locator('input[name=value]').fill(value);
    await form.locator('input[name=unit]').fill('mg/L');
    await form.locator('input[name=note]').fill(note);
    await Promise.all([page.waitForURL(/saved=results/), form.locator('button[type=submit]').tap()]);

    // The public page (cached for a second: look again until the result is there).
    const row = page.locator('table.manual-list tr[data-method="manual"]', { hasText: note });
    for (let attempt = 0; attempt < 10; attempt++) {
      await page.goto(`${server.base}/enterprise/${FOOD}`);
      if (await row.count() > 0) break;
      await page.waitForTimeout(300);
    }
    assert.equal(await row.count(), 1, 'the result is listed on the public page');
    assert.equal(await row.getAttribute('data-pollutant'), 'w01018');
    assert.match(await row.innerText(), new RegExp(`${value.replace('.', '\\.')} mg/L`));
    assert.match(await row.locator('.manual-label').innerText(), /企业自行监测，未经审核/);
    assert.match(await page.locator('section.manual-results').innerText(), /企业自行监测，未经审核/);
    // Nobody is signed in on the public page: it is the same for every reader.
    const anonymous = await browser.newContext({ javaScriptEnabled });
    const reader = await anonymous.newPage();
    await reader.goto(`${server.base}/enterprise/${FOOD}`);
    assert.equal(await reader.locator('table.manual-list tr', { hasText: note }).count(), 1);
    await anonymous.close();
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('JavaScript off: the enterprises are in the list view, and the layer switch is a link', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(server.base + '/');
  const rows = page.locator('table.stations.enterprises tbody tr');
  assert.equal(await rows.count(), ENTERPRISES);
  const boiler = page.locator(`table.stations.enterprises tr[data-code="${BOILER}"]`);
  assert.equal(await boiler.getAttribute('data-exceeding'), 'true');
  assert.match(await boiler.innerText(), /! 正在超标/);
  assert.match(await page.locator(`table.stations.enterprises tr[data-code="${POWER}"]`).innerText(), /目前未超标/);
  // The legend says what the diamond, the colour and the mark mean.
  assert.match(await page.locator('.legend-enterprises').innerText(), /菱形：排污企业/);

  await page.locator('a.layer-switch[data-layer="enterprises"]').click();
  await page.waitForURL('**/?layers=air,water');
  assert.equal(await page.locator('table.stations.enterprises').count(), 0);
  assert.equal(await page.locator('table.stations.air tbody tr').count(), 18);
  assert.equal(await page.locator('a.layer-switch[data-layer="enterprises"]').getAttribute('data-on'), 'false');
  await page.locator('a.layer-switch[data-layer="enterprises"]').click();
  await page.waitForURL(url => new URL(url).pathname === '/' && new URL(url).search === '');
  assert.equal(await rows.count(), ENTERPRISES);
  await page.locator(`table.stations.enterprises a[href="/enterprise/${BOILER}"]`).click();
  await page.waitForURL(`**/enterprise/${BOILER}`);
  assert.match(await page.locator('h1').innerText(), /示例燃煤锅炉房/);
  await context.close();
});

test('JavaScript on: enterprises are diamonds on the map, red with "!" when exceeding, and the switch works in place', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/');
  const diamonds = page.locator('.leaflet-marker-icon .marker-enterprise');
  await page.waitForFunction(n => document.querySelectorAll('.leaflet-marker-icon .marker-enterprise').length === n, ENTERPRISES);
  assert.equal(await page.locator('.leaflet-marker-icon .marker-air').count(), 18);
  // Over its limit: red and marked "!" (not colour alone), its title says so in words.
  const boiler = page.locator(`.leaflet-marker-icon[data-code="${BOILER}"]`);
  assert.equal(await boiler.locator('.marker-enterprise.marker-exceeding').count(), 1);
  assert.equal((await boiler.innerText()).trim(), '!');
  assert.match(await boiler.getAttribute('title'), /正在超标/);
  const power = page.locator(`.leaflet-marker-icon[data-code="${POWER}"]`);
  assert.equal(await power.locator('.marker-exceeding').count(), 0);
  assert.match(await power.getAttribute('title'), /目前未超标/);

  // The switch: the address changes, the page does not reload, the markers and list follow.
  await page.evaluate(() => { window.__samePage = true; });
  const before = await page.evaluate(() => window.scrollY);
  await page.locator('a.layer-switch[data-layer="enterprises"]').tap();
  await page.waitForURL('**/?layers=air,water');
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-icon .marker-enterprise').length === 0);
  assert.equal(await page.locator('.leaflet-marker-icon .marker-air').count(), 18);
  assert.equal(await page.locator('table.stations.enterprises').count(), 0);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
  assert.equal(await page.evaluate(() => window.scrollY), before, 'no jump to the top');
  // Air off too: only the water sections remain.
  await page.locator('a.layer-switch[data-layer="air"]').tap();
  await page.waitForURL('**/?layers=water');
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-icon .marker-air').length === 0);
  assert.equal(await page.locator('.leaflet-marker-icon .marker-water').count(), 35);
  // And back: the diamonds return with their codes.
  await page.locator('a.layer-switch[data-layer="enterprises"]').tap();
  await page.waitForURL('**/?layers=water,enterprises');
  await page.waitForFunction(n => document.querySelectorAll('.leaflet-marker-icon .marker-enterprise').length === n, ENTERPRISES);
  assert.equal(await boiler.locator('.marker-exceeding').count(), 1);
  assert.equal(await page.locator('table.stations.enterprises tbody tr').count(), ENTERPRISES);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'still no reload');

  // A diamond leads to the enterprise's page.
  await power.dispatchEvent('click');
  await page.waitForURL(`**/enterprise/${POWER}`);
  await page.locator('h1', { hasText: '示例热电有限公司' }).waitFor();
  assert.equal(await diamonds.count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the embedded map shows the enterprise layer when asked for', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/embed/map?layers=enterprises');
  await page.waitForFunction(n => document.querySelectorAll('.leaflet-marker-icon .marker-enterprise').length === n, ENTERPRISES);
  assert.equal(await page.locator('.leaflet-marker-icon .marker-air').count(), 0);
  assert.match(await page.locator('.embed-map-line').innerText(), /企业自行监测，未经审核/);
  assert.deepEqual(problems, []);
  await context.close();
});
