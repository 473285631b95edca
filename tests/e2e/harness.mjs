// Shared set-up for the browser tests: the real `daylight` binary on a free port with a
// fresh data directory, and headless Debian Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/// Starts the server on the demo data. With `{ hj212: true }` its HJ 212 gateway listens on a
/// free port of its own (`hj212Port`), and `cli(args)` runs subcommands on its data.
export async function startServer(extraArgs = [], { hj212 = false } = {}) {
  const bin = process.env.DAYLIGHT_BIN ?? join(root, 'target/release/daylight');
  const hj212Port = hj212 ? await freePort() : 0;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run scripts/build-site.sh first`);
  const dir = mkdtempSync(join(tmpdir(), 'daylight-e2e-'));
  const port = await freePort();
  const log = join(dir, 'server.log');
  const out = openSync(log, 'w');
  const child = spawn(bin, ['--data-dir', join(dir, 'data'), 'serve', '--port', String(port),
    '--site-root', join(root, 'target/site'), '--demo-feed-interval', '3600',
    // Never the default port 9212: it may be taken by another run on this machine.
    '--hj212-port', String(hj212Port), ...extraArgs],
    { stdio: ['ignore', out, out] });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/api/v1/stations`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`server did not start:\n${readFileSync(log, 'utf8')}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  // Settled: the demo's loggers have filled in the last day and the server has derived what
  // it derives from it (the 8-hour ozone means the US EPA scale needs), so that a test's own
  // packet is not queued behind the start-up burst.
  for (;;) {
    const r = await fetch(`${base}/api/v1/stations?scale=us-epa`).then(r => r.json()).catch(() => null);
    const air = (r?.features ?? []).filter(f => f.properties.kind === 'air');
    if (air.length > 0 && air.every(f => f.properties.source === 'simulated'
      && typeof f.properties.latest?.aqi === 'number')) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`the demo did not settle:\n${readFileSync(log, 'utf8')}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  const dataDir = join(dir, 'data');
  return {
    base,
    hj212Port,
    // `input`: what the command reads on standard input (e.g. a password).
    cli: (args, input) => execFileSync(bin, ['--data-dir', dataDir, ...args], { encoding: 'utf8', input }),
    async stop() {
      child.kill('SIGTERM');
      await new Promise(r => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/// A phone-sized page that records every console error and uncaught exception.
export async function phonePage(browser, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    javaScriptEnabled,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  return { page, context, problems };
}
