// The back office at phone size with JavaScript off: a resident files a complaint, the
// district's officer signs in, moves it through the workflow and closes it with a public
// reply, and the resident sees the outcome and the reply on the follow-up page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

/// Taps a form's button and waits for the page the POST redirects to.
async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), button.tap()]);
}

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('JavaScript off: an officer closes a complaint with a public reply and the resident sees it', async () => {
  // 碑林区 (610103): where the Bell Tower stands.
  server.cli(['admin', 'add', 'beilin.li', '--role', 'district-officer', '--district', '610103',
    '--password-stdin'], 'beilin-password-1\n');

  const resident = await phonePage(browser, { javaScriptEnabled: false });
  const r = resident.page;
  await r.goto(server.base + '/report');
  await r.locator('select[name=category]').selectOption('water');
  await r.locator('textarea[name=description]').fill('护城河水面有油污');
  await r.locator('input[name=lat]').fill('34.2610');
  await r.locator('input[name=lon]').fill('108.9470');
  await r.locator('input[name=consent]').check();
  await r.locator('button[type=submit]').tap();
  await r.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);
  const code = (await r.locator('.tracking-code').innerText()).trim();
  const link = await r.locator('a.follow-url').getAttribute('href');

  const officer = await phonePage(browser, { javaScriptEnabled: false });
  const o = officer.page;
  await o.goto(server.base + '/admin');
  await o.waitForURL(/\/admin\/login$/);
  await o.locator('input[name=username]').fill('beilin.li');
  await o.locator('input[name=password]').fill('beilin-password-1');
  await o.locator('form.admin-login button[type=submit]').tap();
  await o.waitForURL(/\/admin$/);
  await o.locator(`a[href="/admin/complaint/${code}"]`).tap();
  await o.waitForURL(new RegExp(`/admin/complaint/${code}$`));

  const statusForm = o.locator('form.admin-action:has(select[name=status])');
  for (const status of ['accepted', 'investigating']) {
    await statusForm.locator('select[name=status]').selectOption(status);
    await submit(o, statusForm.locator('button[type=submit]'));
  }
  await o.locator('form.admin-action.reply textarea').fill('已现场核查，责令排污单位清理油污并整改。');
  await submit(o, o.locator('form.admin-action.reply button[type=submit]'));
  await statusForm.locator('select[name=status]').selectOption('closed_founded');
  await submit(o, statusForm.locator('button[type=submit]'));
  assert.match(await o.locator('dd.status').innerText(), /已办结/);
  assert.equal(await o.locator('form.admin-action:has(select[name=status])').count(), 0);
  // Nothing wider than the phone.
  const wide = await o.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 1, `page overflows by ${wide}px`);

  // The resident, later, from the saved link (the page may come from the 1 s page cache).
  let text = '';
  for (let i = 0; i < 30; i++) {
    await r.goto(link);
    text = await r.locator('main').innerText();
    if (/已办结/.test(text) && /责令排污单位清理油污/.test(text)) break;
    await new Promise(ok => setTimeout(ok, 200));
  }
  assert.match(text, /已办结（情况属实）/);
  assert.match(await r.locator('section.replies').innerText(), /责令排污单位清理油污并整改/);

  for (const ctx of [resident, officer]) {
    assert.deepEqual(ctx.problems, []);
    await ctx.context.close();
  }
});
