// At phone size, with JavaScript off and on: a resident files a complaint with a photo
// taken on a balcony (its EXIF holds the GPS position), the district's officer signs in,
// sees the original, publishes the photo, moves the complaint through the workflow and
// closes it with a public reply; the resident sees the outcome and the reply on the
// follow-up page, and the public register shows the photo without its metadata.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

const photo = new URL('./fixtures/balcony.jpg', import.meta.url).pathname;
const hasMetadata = bytes => {
  const text = Buffer.from(bytes).toString('latin1');
  return text.includes('Exif') || text.includes('balcony');
};
assert.ok(hasMetadata(readFileSync(photo)), 'the fixture carries EXIF and a comment');

/// Taps a form's button and waits for the page the POST redirects to.
async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), button.tap()]);
}

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? 'on' : 'off';
  const officerName = `beilin.${mode}`;

  test(`JavaScript ${mode}: a complaint with a photo is closed by an officer and the resident sees the outcome`, async () => {
    // 碑林区 (610103): where the Bell Tower stands.
    server.cli(['admin', 'add', officerName, '--role', 'district-officer', '--district', '610103',
      '--password-stdin'], 'beilin-password-1\n');

    const resident = await phonePage(browser, { javaScriptEnabled });
    const r = resident.page;
    await r.goto(server.base + '/report');
    await r.locator('select[name=category]').selectOption('water');
    await r.locator('textarea[name=description]').fill('护城河水面有油污');
    await r.locator('input[name=lat]').fill('34.2610');
    await r.locator('input[name=lon]').fill('108.9470');
    await r.locator('input[name=photos]').setInputFiles(photo);
    await r.locator('input[name=consent]').check();
    await r.locator('button[type=submit]').tap();
    await r.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);
    const code = (await r.locator('.tracking-code').innerText()).trim();
    const link = await r.locator('a.follow-url').getAttribute('href');
    // The reporter sees their photo, without its metadata.
    const own = r.locator('section.complaint-photos img');
    await own.waitFor();
    assert.ok(await own.evaluate(img => img.complete && img.naturalWidth === 160), 'the photo shows');
    const ownCopy = await r.request.get(new URL(await own.getAttribute('src'), server.base).href);
    assert.equal(ownCopy.status(), 200);
    assert.ok(!hasMetadata(await ownCopy.body()), 'the follow-up copy has no metadata');

    const officer = await phonePage(browser, { javaScriptEnabled });
    const o = officer.page;
    await o.goto(server.base + '/admin');
    await o.waitForURL(/\/admin\/login$/);
    await o.locator('input[name=username]').fill(officerName);
    await o.locator('input[name=password]').fill('beilin-password-1');
    await o.locator('form.admin-login button[type=submit]').tap();
    await o.waitForURL(/\/admin$/);
    await o.locator(`a[href="/admin/complaint/${code}"]`).tap();
    await o.waitForURL(new RegExp(`/admin/complaint/${code}$`));

    // The officer gets the original, metadata and all, and publishes the photo.
    const original = await o.request.get(`${server.base}/admin/complaint/${code}/photos/1`);
    assert.equal(original.status(), 200);
    assert.deepEqual(Buffer.from(await original.body()), readFileSync(photo));
    const publicUrl = `${server.base}/complaints/${code}/photos/1`;
    assert.equal((await o.request.get(publicUrl)).status(), 404, 'not public before the decision');
    await submit(o, o.locator('li.admin-photo[data-number="1"] form button[type=submit]'));
    assert.equal(await o.locator('li.admin-photo[data-number="1"]').getAttribute('data-publishable'), 'true');

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

    // The register links the published photo, and what the public gets has no metadata.
    let linked = 0;
    for (let i = 0; i < 30 && linked === 0; i++) {
      await r.goto(server.base + '/complaints');
      linked = await r.locator(`tr[data-code="${code}"] td.photos a[href="/complaints/${code}/photos/1"]`).count();
      if (linked === 0) await new Promise(ok => setTimeout(ok, 200));
    }
    assert.equal(linked, 1, 'the register links the photo');
    const published = await r.request.get(publicUrl);
    assert.equal(published.status(), 200);
    assert.equal(published.headers()['content-type'], 'image/jpeg');
    assert.ok(!hasMetadata(await published.body()), 'the public copy has no metadata');

    for (const ctx of [resident, officer]) {
      assert.deepEqual(ctx.problems, []);
      await ctx.context.close();
    }
  });
}
