// The AWS explorer in a real workbench, against moto + the LookupEvents test double from
// test/integration/setup/aws.mjs: point the explorer at the seeded profile through workspace settings, expand
// Trails → main-trail and Recent events, check the rows, and take one screenshot. The settings file is removed
// afterwards so later checks on this workspace see no AWS profile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { activityBar, screenshot, sideBarView, test, waitUntil } from './util';

const row = (view: Locator, label: string | RegExp): Locator =>
  view.locator('.monaco-list-row').filter({ has: view.page().locator('.label-name', { hasText: label }) }).first();

async function expand(view: Locator, label: string | RegExp): Promise<void> {
  const r = row(view, label);
  await r.waitFor({ state: 'visible', timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.locator('.label-name').click();
  await waitUntil(`"${label}" expanded`, async () => (await r.getAttribute('aria-expanded')) === 'true', 30_000);
}

// Without moto (see test/harness/moto.mjs) the set-up hook sets CLOUDTRAIL_LENS_TEST_AWS_SKIP: reported as skipped.
test('AWS explorer: trails and recent events from the seeded account', async ({ page, workspace, env, log }) => {
  if (!env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE) throw new Error('the AWS set-up hook (test/integration/setup/aws.mjs) did not run');
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
  const base = previous ? (JSON.parse(previous) as Record<string, unknown>) : {};
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(
    settingsFile,
    JSON.stringify(
      {
        ...base,
        'cloudtrailLens.aws.configFile': env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE,
        'cloudtrailLens.aws.credentialsFile': env.CLOUDTRAIL_LENS_TEST_AWS_CREDENTIALS_FILE,
        'cloudtrailLens.aws.profile': env.CLOUDTRAIL_LENS_TEST_AWS_PROFILE,
        'cloudtrailLens.aws.regions': [env.CLOUDTRAIL_LENS_TEST_AWS_REGION],
      },
      null,
      2,
    ),
  );
  try {
    await activityBar(page, 'CloudTrail Lens');
    const view = sideBarView(page, 'Explorer');
    await row(view, env.CLOUDTRAIL_LENS_TEST_AWS_PROFILE!).waitFor({ state: 'visible', timeout: 30_000 });
    await expand(view, 'Trails');
    await expand(view, 'main-trail');
    await row(view, 'Event selectors').waitFor({ state: 'visible', timeout: 30_000 });
    const status = row(view, /^Status$/);
    await waitUntil('the status summary', async () => /logging/.test((await status.innerText()) ?? ''), 30_000);
    await expand(view, 'Recent events');
    // Event rows (the list is virtualised: "Load more…" sits below the fold, the integration test checks it).
    // Event rows read "<event name> <user> · <relative time>" (trails share their tree level, so match the time).
    const events = view.locator('.monaco-list-row[aria-level="4"]').filter({ hasText: / min ago| h ago|just now/ });
    await waitUntil('event rows', async () => (await events.count()) >= 10, 30_000);
    // The status bar shows the active profile and region.
    const bar = page.locator('.statusbar-item', { hasText: env.CLOUDTRAIL_LENS_TEST_AWS_PROFILE! }).first();
    await bar.waitFor({ state: 'visible', timeout: 15_000 });
    await page.mouse.move(900, 700);
    log(`    screenshot: ${await screenshot(page, 'explorer-aws')}`);
  } finally {
    if (previous === undefined) fs.rmSync(settingsFile, { force: true });
    else fs.writeFileSync(settingsFile, previous);
    await settle(page);
  }
}, { timeout: 120_000, skip: !!process.env.CLOUDTRAIL_LENS_TEST_AWS_SKIP });

async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(500);
}
