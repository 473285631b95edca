// The enterprise layer recolours live (issue 5): an outlet logger's packet, sent over TCP to
// the HJ 212 gateway, turns an open map's diamond red with "!" when its value is over the
// limit, and back when the logger corrects the hour, without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

/// The gas turbine plant: NOx limit 50 mg/m³ (GB 13223-2011), within it now.
const TURBINE = '91610112MA6DM00024';
const MN = 'E2EOUTLET00024';
const PW = 'ol1234';

let server, browser;
before(async () => {
  server = await startServer([], { hj212: true });
  server.cli(['logger', 'add', MN, '--password', PW, '--outlet', `${TURBINE}/DA001`]);
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

/// The last complete hour's start in Beijing time, as a 2061 packet's DataTime: stored at
/// the start of this hour, so "now" for the register's rule (3 hours).
function lastHourInBeijing() {
  const t = new Date(Date.now() + 7 * 3600_000);
  const pad = n => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}0000`;
}

/// Sends one hourly flue-gas packet (ST 31) with the turbine's NOx and waits for the ack.
function sendNox(nox, qn) {
  const cp = `DataTime=${lastHourInBeijing()};a21002-Avg=${nox},a21002-Flag=N`;
  const packet = frame(`QN=${qn};ST=31;CN=2061;PW=${PW};MN=${MN};Flag=5;CP=&&${cp}&&`);
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

test('an outlet packet over its limit turns the open map\'s diamond red with "!", and back', async () => {
  const { page, context, problems } = await phonePage(browser);
  await page.goto(server.base + '/');
  const diamond = page.locator(`.leaflet-marker-icon[data-code="${TURBINE}"]`);
  await diamond.locator('.marker-enterprise').waitFor();
  assert.equal(await diamond.locator('.marker-exceeding').count(), 0);
  await page.waitForFunction(() =>
    document.querySelector('.live-status')?.dataset.connected === 'true');
  await page.evaluate(() => { window.__samePage = true; });

  assert.match(await sendNox(80, '20261130000000001'), /CN=9014/);
  await diamond.locator('.marker-enterprise.marker-exceeding').waitFor({ timeout: 5000 });
  assert.equal((await diamond.innerText()).trim(), '!');
  assert.match(await diamond.getAttribute('title'), /正在超标/);
  const row = page.locator(`table.stations.enterprises tr[data-code="${TURBINE}"]`);
  await page.waitForFunction(code =>
    document.querySelector(`table.stations.enterprises tr[data-code="${code}"]`)?.dataset.exceeding === 'true', TURBINE);
  assert.match(await row.innerText(), /正在超标/);

  // The logger corrects the hour: within the limit again.
  assert.match(await sendNox(20, '20261130000000002'), /CN=9014/);
  await page.waitForFunction(code =>
    document.querySelector(`.leaflet-marker-icon[data-code="${code}"] .marker-enterprise`)
      && !document.querySelector(`.leaflet-marker-icon[data-code="${code}"] .marker-exceeding`), TURBINE,
  { timeout: 5000 });
  assert.match(await diamond.getAttribute('title'), /目前未超标/);
  assert.equal(await page.evaluate(() => window.__samePage), true, 'no reload');
  assert.deepEqual(problems, []);
  await context.close();
});
