// The live queue at phone size: a district officer has the back office's queue open; a
// resident files a complaint in that district; the row appears at the top of the open
// queue within 2 s, without a reload, announced in the page's status line, and an officer
// of another district, whose queue is open too, does not get it. The page's content policy
// (script-src 'self') lets the queue's own script run: no console error, no violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function signIn(page, user, password) {
  await page.goto(server.base + '/admin');
  await page.waitForURL(/\/admin\/login$/);
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form.admin-login button[type=submit]').tap();
  await page.waitForURL(/\/admin$/);
}

test('a new complaint appears in the open queue of its district within 2 s, not in another', async () => {
  // 碑林区 (610103), where the Bell Tower stands, and 莲湖区 (610104) next door.
  server.cli(['admin', 'add', 'beilin.live', '--role', 'district-officer', '--district', '610103',
    '--password-stdin'], 'beilin-password-1\n');
  server.cli(['admin', 'add', 'lianhu.live', '--role', 'district-officer', '--district', '610104',
    '--password-stdin'], 'lianhu-password-1\n');

  const officer = await phonePage(browser);
  const o = officer.page;
  const violations = [];
  o.on('console', m => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await signIn(o, 'beilin.live', 'beilin-password-1');
  const other = await phonePage(browser);
  await signIn(other.page, 'lianhu.live', 'lianhu-password-1');
  // Marks this very document: a reload would lose it.
  await o.evaluate(() => { window.stillTheSamePage = true; });
  const rowsBefore = await o.locator('table.admin-queue tbody tr').count();
  // The script has opened its stream before the complaint is filed.
  await o.locator('.admin-queue-list[data-live-open="true"]').waitFor({ state: 'attached' });

  const resident = await phonePage(browser, { javaScriptEnabled: false });
  const r = resident.page;
  await r.goto(server.base + '/report');
  await r.locator('select[name=category]').selectOption('noise');
  await r.locator('textarea[name=description]').fill('工地夜间施工噪声');
  await r.locator('input[name=lat]').fill('34.2610');
  await r.locator('input[name=lon]').fill('108.9470');
  await r.locator('input[name=consent]').check();
  await r.locator('button[type=submit]').tap();
  await r.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);
  const filed = Date.now();
  const code = (await r.locator('.tracking-code').innerText()).trim();

  const row = o.locator(`table.admin-queue tbody tr[data-code="${code}"]`);
  await row.waitFor({ timeout: 2000 });
  const took = Date.now() - filed;
  assert.ok(took <= 2000, `the row took ${took} ms`);
  assert.equal(await o.evaluate(() => window.stillTheSamePage), true, 'no reload');
  assert.equal(await o.locator('table.admin-queue tbody tr').count(), rowsBefore + 1);
  // At the top, marked new, linking to the complaint, with the district's queue columns.
  assert.equal(await o.locator('table.admin-queue tbody tr').first().getAttribute('data-code'), code);
  assert.match(await row.getAttribute('class'), /\bnew\b/);
  assert.equal(await row.locator(`a[href="/admin/complaint/${code}"]`).count(), 1);
  assert.match(await row.innerText(), /噪声/);
  assert.match(await o.locator('.admin-live').innerText(), new RegExp(code));
  // The row's link works like any other.
  await row.locator('a').tap();
  await o.waitForURL(new RegExp(`/admin/complaint/${code}$`));

  // The other district's open queue never got it.
  await new Promise(ok => setTimeout(ok, 1000));
  assert.equal(await other.page.locator(`tr[data-code="${code}"]`).count(), 0);

  assert.deepEqual(violations, []);
  for (const ctx of [officer, other, resident]) {
    assert.deepEqual(ctx.problems, []);
    await ctx.context.close();
  }
});

test('without JavaScript the queue is complete and shows a new complaint after a reload', async () => {
  server.cli(['admin', 'add', 'beilin.plain', '--role', 'district-officer', '--district', '610103',
    '--password-stdin'], 'beilin-password-2\n');
  const officer = await phonePage(browser, { javaScriptEnabled: false });
  const o = officer.page;
  await signIn(o, 'beilin.plain', 'beilin-password-2');
  const resident = await phonePage(browser, { javaScriptEnabled: false });
  const r = resident.page;
  await r.goto(server.base + '/report');
  await r.locator('select[name=category]').selectOption('odour');
  await r.locator('textarea[name=description]').fill('垃圾站异味');
  await r.locator('input[name=lat]').fill('34.2610');
  await r.locator('input[name=lon]').fill('108.9470');
  await r.locator('input[name=consent]').check();
  await r.locator('button[type=submit]').tap();
  await r.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);
  const code = (await r.locator('.tracking-code').innerText()).trim();
  await o.reload();
  assert.equal(await o.locator(`table.admin-queue tbody tr[data-code="${code}"]`).count(), 1);
  for (const ctx of [officer, resident]) {
    assert.deepEqual(ctx.problems, []);
    await ctx.context.close();
  }
});
