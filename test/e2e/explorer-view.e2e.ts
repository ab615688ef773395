// The CloudTrail Lens activity-bar entry in a real workbench: clicking it shows the Explorer view, and with an
// empty folder the view offers its welcome content (open a file, add a log folder) as buttons, readable in both
// the dark and the light theme (the view uses VS Code's theme colours, nothing hard-coded).
import type { Locator, Page } from 'playwright-core';
import { activityBar, expectText, luminance, screenshot, setTheme, sideBarView, test, waitUntil } from './util';

export const e2eOptions = { emptyWorkspace: true };

const welcome = (page: Page): Locator => sideBarView(page, 'Explorer').locator('.welcome-view-content');

test('the activity-bar icon opens the Explorer view with its welcome content', async ({ page }) => {
  const sidebar = await activityBar(page, 'CloudTrail Lens');
  await expectText(sidebar.locator('.composite.title'), /CloudTrail Lens/i);
  await sideBarView(page, 'Explorer').waitFor({ state: 'visible', timeout: 15_000 });
  await expectText(welcome(page), 'Open a CloudTrail log file', 30_000);
  // The links are buttons bound to the extension's commands, not plain text.
  const buttons = welcome(page).locator('.monaco-button');
  await waitUntil('the welcome buttons', async () => (await buttons.allInnerTexts()).some((t) => t.includes('Open CloudTrail File')));
  const labels = await buttons.allInnerTexts();
  if (!labels.some((t) => t.includes('Add Log Folder'))) throw new Error(`welcome buttons: ${JSON.stringify(labels)}`);
});

for (const kind of ['dark', 'light'] as const) {
  test(`the welcome content is readable in the ${kind} theme`, async ({ page, log }) => {
    await setTheme(page, kind);
    const text = welcome(page).locator('p').first();
    await expectText(text, 'Open a CloudTrail log file');
    const fg = await luminance(text, 'color');
    const bg = await luminance(text, 'backgroundColor');
    if (kind === 'dark' ? !(bg < 0.3 && fg > 0.6) : !(bg > 0.7 && fg < 0.4)) {
      throw new Error(`${kind} theme: text luminance ${fg.toFixed(2)} on background ${bg.toFixed(2)}`);
    }
    // No hover tooltip over the view in the picture.
    await page.mouse.move(900, 600);
    await page.locator('.workbench-hover, .monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    log(`    screenshot: ${await screenshot(page, `explorer-welcome-${kind}`)}`);
  });
}
