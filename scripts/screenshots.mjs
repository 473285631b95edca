// Takes the README's phone screenshots (docs/img/*.png) from a fresh demo server:
//   node scripts/screenshots.mjs     (after bash scripts/build-site.sh)
import { startServer, launchBrowser, phonePage } from '../tests/e2e/harness.mjs';

const out = new URL('../docs/img/', import.meta.url).pathname;
const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, context } = await phonePage(browser);
  await page.goto(server.base + '/');
  await page.waitForFunction(() => document.querySelectorAll('.leaflet-marker-icon').length >= 53);
  await page.waitForTimeout(800);
  await page.screenshot({ path: out + 'map-phone.png' });
  await page.goto(server.base + '/station/1462A');
  await page.waitForTimeout(800);
  await page.screenshot({ path: out + 'station-phone.png' });
  await page.goto(server.base + '/report');
  await page.waitForTimeout(800);
  await page.screenshot({ path: out + 'report-phone.png' });
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
