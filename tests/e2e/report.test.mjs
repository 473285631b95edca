// A resident reports pollution from a phone, first with JavaScript off (the form is plain
// HTML), then on (the page hydrates; the form still posts normally): a mistake comes back
// with the input kept, the tracking code and the follow-up link come back, the link works
// later, and the public register lists the complaint without the contact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, phonePage } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? 'on' : 'off';

  test(`JavaScript ${mode}: a resident files a complaint, gets a tracking code and follows it up`, async () => {
    const { page, context, problems } = await phonePage(browser, { javaScriptEnabled });
    await page.goto(server.base + '/');
    await page.locator('header a[href="/report"]').tap();
    await page.waitForURL(/\/report$/);

    await page.locator('select[name=category]').selectOption('odour');
    await page.locator('textarea[name=description]').fill('晚上 9 点后有刺鼻的化工气味 <b>不是加粗</b>');
    // Standing at the Bell Tower (钟楼), in 碑林区; coordinates typed by hand.
    await page.locator('input[name=lat]').fill('34.2610');
    await page.locator('input[name=lon]').fill('108.9470');
    // A contact that is neither a phone number nor an e-mail address: the server says so.
    await page.locator('input[name=contact]').fill('call me');
    // The honeypot is out of sight (off-screen, so that bots still see a field to fill).
    const trap = await page.locator('input[name=website]').boundingBox();
    assert.ok(trap.x + trap.width <= 0, `honeypot at ${JSON.stringify(trap)}`);
    await page.locator('input[name=consent]').check();
    await page.locator('button[type=submit]').tap();
    await page.waitForSelector('#err-contact');
    assert.match(await page.locator('#err-contact').innerText(), /请填写手机号或电子邮箱/);
    assert.equal(await page.locator('textarea[name=description]').inputValue(),
      '晚上 9 点后有刺鼻的化工气味 <b>不是加粗</b>');
    assert.equal(await page.locator('input[name=lat]').inputValue(), '34.2610');
    assert.equal(await page.locator('select[name=category]').inputValue(), 'odour');

    await page.locator('input[name=contact]').fill('138 0000 1234');
    await page.locator('button[type=submit]').tap();
    await page.waitForURL(/\/report\/follow\/[0-9a-f]{32}\?new=1$/);

    const code = (await page.locator('.tracking-code').innerText()).trim();
    assert.match(code, /^TS-\d{4}-[2-9A-HJKMNP-TW-Z]{6}$/);
    // Large type, to read it out.
    const size = await page.locator('.tracking-code').evaluate(e => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 24, `tracking code font size ${size}`);
    assert.match(await page.locator('h1').innerText(), /举报已收到/);
    assert.match(await page.locator('dd.district').innerText(), /碑林区/);
    const link = await page.locator('a.follow-url').getAttribute('href');
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/report\/follow\/[0-9a-f]{32}$/);
    assert.match(await page.locator('.complaint-description').innerText(), /<b>不是加粗<\/b>/);

    // Later, from the saved link.
    await page.goto(link);
    assert.equal((await page.locator('.tracking-code').innerText()).trim(), code);
    assert.match(await page.locator('dd.status').innerText(), /已收到/);
    assert.equal(await page.locator('a.follow-url').count(), 0);

    // The public register lists it, without the contact or the description.
    await page.goto(server.base + '/complaints');
    await page.waitForSelector(`tr[data-code="${code}"]`);
    const register = await page.locator('main').innerText();
    assert.ok(!register.includes('13800001234') && !register.includes('刺鼻'));

    // The refused form is answered 422 on purpose; Chromium logs every 4xx document.
    assert.deepEqual(problems.filter(p => !/status of 422/.test(p)), []);
    await context.close();
  });
}
