// Citing a station (issue 7): a reader of a station page presses “引用 / Cite”, lands on the
// snapshot's permalink, and that permalink — opened afresh, as a reader of the article that
// cites it would — shows the values the station page showed and their hour; its CSV holds
// the same numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// `2026-11-30 15:00 (UTC+08:00)` in a text.
const HOUR = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)/;

function hourIn(text) {
  const m = text.match(HOUR);
  assert.ok(m, `no hour in ${JSON.stringify(text)}`);
  return m[0];
}

/// The rows of a readings table: parameter name → the number shown.
async function tableValues(page) {
  return page.locator('table.readings tbody tr').evaluateAll(rows => Object.fromEntries(
    rows.map(r => [r.querySelector('th').innerText.trim(),
      parseFloat(r.querySelector('td').innerText)])));
}

/// What the station page shows: its AQI, the hour of its values and the values.
async function stationPage(page) {
  await page.goto(`${server.base}/station/1462A`);
  const aqi = (await page.locator('.headline .badge-large').innerText()).trim();
  assert.match(aqi, /^\d{1,3}$/);
  const hour = hourIn(await page.locator('p.as-of').innerText());
  const values = await tableValues(page);
  assert.ok(Object.keys(values).length >= 6, JSON.stringify(values));
  return { aqi, hour, values };
}

async function cite(page) {
  await Promise.all([
    page.waitForURL(/\/snapshot\/[a-z0-9]{10}$/),
    page.locator('button.cite-button').click(),
  ]);
  return page.url();
}

test('Cite gives a permalink that shows the values of the page, and a CSV of them', async () => {
  const { page, context, problems } = await phonePage(browser);
  const shown = await stationPage(page);
  const permalink = await cite(page);
  const id = permalink.split('/').pop();
  assert.deepEqual(problems, []);
  await context.close();

  // Opened afresh, in a new browser context (no cookies, no history).
  const reader = await phonePage(browser);
  const snap = reader.page;
  const response = await snap.goto(permalink);
  assert.equal(response.status(), 200);
  assert.equal(await snap.locator('h1').innerText(), '高压开关厂');
  assert.equal((await snap.locator('.snapshot-aqi[data-scale="hj633"] .snapshot-badge').innerText()).trim(),
    shown.aqi);
  assert.equal(hourIn(await snap.locator('p.as-of').innerText()), shown.hour);
  assert.match(await snap.locator('p.as-of').innerText(), /模拟/);
  assert.deepEqual(await tableValues(snap), shown.values);
  // When it was taken, and that it is frozen.
  const taken = await snap.locator('.snapshot-taken').innerText();
  assert.match(taken, /截取于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+08:00\)/);
  assert.ok(new Date(await snap.locator('.snapshot-taken').getAttribute('data-taken')) <= new Date());
  assert.match(await snap.locator('#cite-zh').innerText(), new RegExp(`${permalink}`));

  // The CSV link downloads the same numbers: the rows of the hour the page showed.
  const codes = await snap.locator('table.readings tbody tr').evaluateAll(rows => Object.fromEntries(
    rows.map(r => [r.dataset.parameter, r.querySelector('th').innerText.trim()])));
  const [download] = await Promise.all([
    snap.waitForEvent('download'),
    snap.locator('a[href$=".csv"]').click(),
  ]);
  assert.equal(download.suggestedFilename(), `daylight_snapshot_1462A_${id}.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.split('\n').filter(l => l && !l.startsWith('#'));
  const header = lines.shift().split(',');
  const col = name => header.indexOf(name);
  // The page's hour in the CSV's RFC 3339 form: `2026-11-30 15:00 (UTC+08:00)` → `2026-11-30T15:00:00+08:00`.
  const [, date, hm, zone] = shown.hour.match(/(\S+) (\S+) \(UTC(\S+)\)/);
  const iso = `${date}T${hm}:00${zone}`;
  const rows = lines.map(l => l.split(',')).filter(r => r[col('time')] === iso);
  assert.equal(rows.length, Object.keys(shown.values).length, `rows of ${iso} in\n${csv}`);
  for (const r of rows) {
    const name = codes[r[col('parameter')]];
    assert.ok(name, `parameter ${r[col('parameter')]} is on the page`);
    assert.equal(parseFloat(r[col('value')]), shown.values[name], `${name} in the CSV`);
    assert.equal(r[col('station')], '1462A');
  }
  assert.deepEqual(reader.problems, []);
  await reader.context.close();
});

test('Cite works with JavaScript off', async () => {
  const { page, context } = await phonePage(browser, { javaScriptEnabled: false });
  const shown = await stationPage(page);
  await cite(page);
  assert.equal((await page.locator('.snapshot-aqi[data-scale="hj633"] .snapshot-badge').innerText()).trim(),
    shown.aqi);
  assert.equal(hourIn(await page.locator('p.as-of').innerText()), shown.hour);
  await context.close();
});
