// Debian Chromium driven by playwright-core (no browser download). One persistent context per run in a fresh
// profile folder; Playwright refuses --user-data-dir in args, hence launchPersistentContext.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, withTimeout } from './common.mjs';

export async function launchBrowser({ dataDir, headless = true }) {
  const { chromium } = await import('playwright-core');
  const profile = join(dataDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const context = await withTimeout(
    chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless,
      viewport: { width: 1400, height: 900 },
      // The browser runs in a zone half an hour off UTC (and never UTC), so a test of the viewer's local-time
      // option can tell local from UTC whatever the machine's own zone is.
      env: { ...process.env, HOME: dataDir, XDG_CONFIG_HOME: join(dataDir, 'chromium-xdg'), TZ: 'Asia/Kolkata' },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
      timeout: 60_000,
    }),
    90_000,
    'launching Chromium',
  );
  context.setDefaultTimeout(30_000);
  return context;
}

/** Opens `url` in a new page and waits for the workbench shell (activity bar and status bar). */
export async function openWorkbench(context, url, { onConsole, timeoutMs = 60_000, beforeGoto } = {}) {
  const page = await context.newPage();
  if (onConsole) page.on('console', (m) => onConsole(m.type(), m.text()));
  if (beforeGoto) await beforeGoto(page);
  await page.goto(url, { timeout: timeoutMs, waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench .part.activitybar').first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').first().waitFor({ state: 'visible', timeout: timeoutMs });
  return page;
}
