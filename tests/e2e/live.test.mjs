// Live updates: a data logger's packet, sent over TCP to the HJ 212 gateway, reaches a map and
// a station page that are already open, without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

const MN = 'E2ELIVE1462A';
const PW = 'lv1234';

let server, browser;
before(async () => {
  server = await startServer([], { hj212: true });
  server.cli(['logger', 'add', MN, '--password', PW, '--station', '1462A']);
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); });

/// The standard's CRC (HJ 212-2017 Appendix A), over the data segment.
function crc16(text) {
  let reg = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    reg = (reg >> 8) ^ byte;
    for (let i = 0; i < 8; i++) {
      const lsb = reg & 1;
      reg >>= 1;
      if (lsb) reg ^= 0xa001;
    }
  }
  return reg;
}

function frame(segment) {
  const length = String(Buffer.byteLength(segment, 'utf8')).padStart(4, '0');
  const crc = crc16(segment).toString(16).toUpperCase().padStart(4, '0');
  return `##${length}${segment}${crc}\r\n`;
}

/// The last complete hour's start in Beijing wall-clock time (the loggers' clock), as
/// yyyyMMddHHmmss: a 2061 packet's DataTime. Stored, it is labelled by its end, this hour.
function lastHourInBeijing() {
  const t = new Date(Date.now() + 7 * 3600_000);
  const pad = n => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}0000`;
}

/// Sends one hourly (2061) packet with all six AQI pollutants and waits for the 9014 ack.
function sendHour(pm25, qn) {
  const cp = [
    `DataTime=${lastHourInBeijing()}`,
    'a21026-Avg=10,a21026-Flag=N', 'a21004-Avg=40,a21004-Flag=N', 'a21005-Avg=1.0,a21005-Flag=N',
    'a05024-Avg=30,a05024-Flag=N', 'a34002-Avg=120,a34002-Flag=N',
    `a34004-Avg=${pm25},a34004-Flag=N`,
  ].join(';');
  const packet = frame(`QN=${qn};ST=22;CN=2061;PW=${PW};MN=${MN};Flag=5;CP=&&${cp}&&`);
  return new Promise((ok, fail) => {
    const socket = connect(server.hj212Port, '127.0.0.1', () => socket.write(packet));
    let reply = '';
    socket.setTimeout(5000, () => { socket.destroy(); fail(new Error('no ack')); });
    socket.on('data', d => {
      reply += d;
      if (reply.includes('\r\n')) { socket.end(); ok(reply); }
    });
    socket.on('error', fail);
  });
}

test('a packet sent over TCP changes the marker on an open map within 2 s', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/');
  const marker = page.locator('.leaflet-marker-icon[data-code="1462A"] .marker');
  await marker.waitFor();
  // Connected and counting.
  await page.waitForFunction(() =>
    document.querySelector('.live-status')?.dataset.connected === 'true');
  assert.match(await page.locator('.live-status').innerText(), /实时/);

  // PM2.5 400 µg/m³: IAQI 400 + 50/150 × 100 = 433.3, rounded up (HJ 633 §5) to 434.
  const ack = await sendHour(400, '20261130000000001');
  assert.match(ack, /CN=9014/);
  const sent = Date.now();
  await page.waitForFunction(
    () => document.querySelector('.leaflet-marker-icon[data-code="1462A"] .marker')?.textContent === '434',
    null, { timeout: 2000 });
  const elapsed = Date.now() - sent;
  assert.ok(elapsed < 2000, `marker changed after ${elapsed} ms`);
  // The list under the map follows too, and the status line says how fresh the page is.
  await page.waitForFunction(() =>
    document.querySelector('tr[data-code="1462A"] .badge')?.textContent === '434');
  assert.match(await page.locator('.live-status').innerText(), /秒前更新/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an open station page shows a new value without a reload', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/station/1462A');
  await page.waitForFunction(() =>
    document.querySelector('.live-status')?.dataset.connected === 'true');
  // Mark the document: a reload would lose the mark.
  await page.evaluate(() => { window.__notReloaded = true; });
  // PM2.5 300 µg/m³: AQI 350 (250–350 ↦ 300–400).
  await sendHour(300, '20261130000000002');
  await page.waitForFunction(
    () => document.querySelector('.headline .badge-large')?.textContent === '350',
    null, { timeout: 2000 });
  // And again: the page keeps its live connection across reloads of its data.
  await sendHour(400, '20261130000000003');
  await page.waitForFunction(
    () => document.querySelector('.headline .badge-large')?.textContent === '434',
    null, { timeout: 2000 });
  assert.equal(await page.evaluate(() => window.__notReloaded), true);
  assert.equal(await page.locator('.live-status').getAttribute('data-connected'), 'true');
  assert.deepEqual(problems, []);
  await context.close();
});
