// The AWS side of the explorer in a real VS Code, against the moto server + LookupEvents test double started by
// test/integration/setup/aws.mjs. The tree is read through the hidden `cloudtrailLens.explorer.snapshot` command,
// which expands nodes the same way the view does. Expected values come from the seed files the set-up wrote.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { until } from '../support/until';
import { useSeededAwsProfile } from '../support/aws-settings';

interface SnapshotItem {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  collapsible: boolean;
  command?: string;
  children?: SnapshotItem[];
  node: unknown;
}

const env = process.env;
const PROFILE = env.CLOUDTRAIL_LENS_TEST_AWS_PROFILE ?? 'ctl-test';
const REGION = env.CLOUDTRAIL_LENS_TEST_AWS_REGION ?? 'us-east-1';
const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';

async function snapshot(path: string[], depth = 1): Promise<SnapshotItem[]> {
  return (await vscode.commands.executeCommand<SnapshotItem[]>('cloudtrailLens.explorer.snapshot', { path, depth })) ?? [];
}

const at = (...rest: string[]) => [PROFILE, REGION, ...rest];

function find(items: SnapshotItem[], label: string): SnapshotItem {
  const hit = items.find((i) => i.label === label);
  assert.ok(hit, `"${label}" not among ${JSON.stringify(items.map((i) => i.label))}`);
  return hit;
}

interface SeedEvent {
  eventID: string;
  eventName: string;
  eventTime: string;
}

describe('AWS explorer', function () {
  this.timeout(60_000);
  let restoreAws: (() => Promise<void>) | undefined;
  let events: SeedEvent[] = [];

  before(async function () {
    if (!env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE) {
      // Run without the set-up hook (e.g. another harness): nothing to talk to.
      this.skip();
    }
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    events = JSON.parse(fs.readFileSync(env.CLOUDTRAIL_LENS_TEST_AWS_EVENTS!, 'utf8')) as SeedEvent[];
    events.sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    restoreAws = await useSeededAwsProfile(env, PROFILE, REGION);
  });

  after(async () => {
    await restoreAws?.();
  });

  it('shows the configured profile with its region', async () => {
    const roots = await snapshot([], 2);
    const profile = find(roots, PROFILE);
    assert.equal(profile.contextValue, 'awsProfile');
    assert.match(profile.description ?? '', /static/);
    assert.deepEqual(profile.children?.map((c) => c.label), [REGION]);
    const region = await snapshot([PROFILE, REGION]);
    assert.deepEqual(region.map((c) => c.label), ['Trails', 'Recent events', 'Event data stores']);
  });

  it('lists trails once each, marking home region and multi-region', async () => {
    const trails = await snapshot(at('Trails'));
    assert.deepEqual(trails.map((t) => t.label).sort(), ['denied-trail', 'idle-trail', 'main-trail']);
    const main = find(trails, 'main-trail');
    assert.match(main.description ?? '', /home region/);
    assert.match(main.description ?? '', /multi-region/);
    assert.match(main.tooltip ?? '', /ctl-trail-logs/);
    assert.doesNotMatch(find(trails, 'idle-trail').description ?? '', /multi-region/);
  });

  it('shows trail status: logging, a warning when not logging, and a denied call as an error node', async () => {
    const main = await snapshot(at('Trails', 'main-trail'));
    assert.deepEqual(main.map((c) => c.label), ['Status', 'Event selectors', 'Insight selectors', 'Log files']);
    assert.match(find(main, 'Status').description ?? '', /^logging/);

    const idle = await snapshot(at('Trails', 'idle-trail'), 2);
    const status = find(idle, 'Status');
    assert.match(status.description ?? '', /not logging · 1 problem/);
    assert.equal(status.icon, 'warning');
    const logging = find(status.children ?? [], 'Logging');
    assert.equal(logging.icon, 'warning');
    assert.match(logging.tooltip ?? '', /not logging/);

    const denied = await snapshot(at('Trails', 'denied-trail'), 2);
    const dStatus = find(denied, 'Status');
    assert.equal(dStatus.description, 'access denied');
    const err = dStatus.children?.[0];
    assert.equal(err?.contextValue, 'awsError.retry');
    assert.match(err?.label ?? '', /Access denied while reading the trail status/);
    assert.match(err?.tooltip ?? '', /AccessDeniedException/);
    // The denial is local to that node: the same trail's insight selectors still load.
    const insights = await snapshot(at('Trails', 'denied-trail', 'Insight selectors'));
    assert.equal(insights[0]?.label, 'Insights not enabled');
  });

  it('lists advanced event selectors and opens them as JSON in the get-event-selectors shape', async () => {
    const sels = await snapshot(at('Trails', 'main-trail', 'Event selectors'));
    assert.deepEqual(sels.map((s) => s.label), ['Management events', 'S3 object writes']);
    assert.match(sels[1].description ?? '', /advanced · Data · 3 field conditions/);
    const parent = (await snapshot(at('Trails', 'main-trail'))).find((c) => c.label === 'Event selectors')!;
    await vscode.commands.executeCommand('cloudtrailLens.aws.openSelectors', parent.node);
    const editor = await until('the selectors document', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.languageId === 'json' && e.document.getText().includes('AdvancedEventSelectors') ? e : undefined;
    });
    const doc = JSON.parse(editor.document.getText());
    assert.match(doc.TrailARN, /trail\/main-trail$/);
    assert.deepEqual(doc.AdvancedEventSelectors.map((s: { Name: string }) => s.Name), ['Management events', 'S3 object writes']);
    assert.deepEqual(doc.AdvancedEventSelectors[1].FieldSelectors[2], { Field: 'readOnly', Equals: ['false'] });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a denied GetEventSelectors as an error on that node only', async () => {
    const sels = await snapshot(at('Trails', 'denied-trail', 'Event selectors'));
    assert.equal(sels.length, 1);
    assert.equal(sels[0].contextValue, 'awsError.retry');
    assert.match(sels[0].label, /Access denied/);
  });

  it('browses the trail bucket by account, region and date down to the log files', async () => {
    const seed = JSON.parse(fs.readFileSync(env.CLOUDTRAIL_LENS_TEST_AWS_LOGFILES!, 'utf8')) as { bucket: string; files: { key: string }[] };
    const root = await snapshot(at('Trails', 'main-trail', 'Log files'), 7);
    // AWSLogs/<account>/CloudTrail/<region>/2024/05/01/<files>
    let level = root;
    const path: string[] = [];
    while (level.length && level[0].collapsible) {
      path.push(level[0].label);
      level = level[0].children ?? [];
    }
    assert.deepEqual(path, ['123456789012', 'CloudTrail', REGION, '2024', '05', '01']);
    const expected = seed.files.map((f) => f.key.split('/').pop()!).sort().reverse();
    assert.deepEqual(level.map((f) => f.label), expected);
    assert.ok(level.every((f) => f.contextValue === 'awsLogFile' && f.command === 'cloudtrailLens.aws.openLogFile'));

    // Opening one downloads it and shows it in the record viewer (a custom editor tab with the file's name).
    await vscode.commands.executeCommand('cloudtrailLens.aws.openLogFile', level[0].node);
    await until('a tab for the downloaded log file', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.includes(level[0].label.slice(0, 30))),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('loads recent events newest first, 50 a page, with Load more', async () => {
    const first = await snapshot(at('Recent events'));
    assert.equal(first.length, 51);
    assert.equal(first[50].label, 'Load more…');
    assert.deepEqual(first.slice(0, 50).map((e) => e.label), events.slice(0, 50).map((e) => e.eventName));
    assert.ok(first.slice(0, 50).every((e) => e.command === 'cloudtrailLens.aws.openEvent'));
    assert.match(first[0].tooltip ?? '', new RegExp(events[0].eventID));

    const node = (await snapshot([PROFILE, REGION])).find((c) => c.label === 'Recent events')!.node;
    await vscode.commands.executeCommand('cloudtrailLens.aws.loadMore', node);
    const second = await snapshot(at('Recent events'));
    assert.equal(second.length, 101);
    assert.deepEqual(second.slice(0, 100).map((e) => e.label), events.slice(0, 100).map((e) => e.eventName));
    const region = await snapshot([PROFILE, REGION]);
    assert.match(find(region, 'Recent events').description ?? '', /100\+ loaded/);
  });

  it('filters by one attribute on the server and more on the client, labelled as such', async () => {
    const node = (await snapshot([PROFILE, REGION])).find((c) => c.label === 'Recent events')!.node;
    // A name that occurs more than once but fits in a page.
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.eventName, (counts.get(e.eventName) ?? 0) + 1);
    const [name, count] = [...counts.entries()].filter(([, n]) => n > 1 && n <= 50).sort((a, b) => b[1] - a[1])[0];
    await vscode.commands.executeCommand('cloudtrailLens.aws.filterEvents', node, { attribute: { key: 'EventName', value: name }, clientFilters: [], range: { kind: 'all' } });
    const items = await snapshot(at('Recent events'));
    assert.equal(items.length, count);
    assert.ok(items.every((i) => i.label === name));
    let header = find(await snapshot([PROFILE, REGION]), 'Recent events');
    assert.match(header.description ?? '', new RegExp(`EventName = ${name}`));
    assert.equal(header.contextValue, 'awsRecentEvents.filtered');

    // Add a client-side condition: the newest matching event's ID.
    const newest = events.find((e) => e.eventName === name)!;
    await vscode.commands.executeCommand('cloudtrailLens.aws.filterEvents', node, {
      attribute: { key: 'EventName', value: name },
      clientFilters: [{ key: 'EventId', value: newest.eventID }],
      range: { kind: 'preset', preset: '90d' },
    });
    const one = await snapshot(at('Recent events'));
    assert.deepEqual(one.map((i) => i.label), [name]);
    assert.match(one[0].tooltip ?? '', new RegExp(newest.eventID));
    header = find(await snapshot([PROFILE, REGION]), 'Recent events');
    assert.match(header.description ?? '', /client-side: EventId = /);
    assert.match(header.description ?? '', /last 90 days/);

    // Back to no filter: that listing is still cached (100 loaded above), so it comes back without requests…
    await vscode.commands.executeCommand('cloudtrailLens.aws.clearFilter', node);
    assert.equal((await snapshot(at('Recent events'))).length, 101);
    // …until refreshed on demand.
    await vscode.commands.executeCommand('cloudtrailLens.aws.refreshNode', node);
    assert.equal((await snapshot(at('Recent events'))).length, 51);
  });

  it('groups loaded events and opens them in the record viewer', async () => {
    const node = (await snapshot([PROFILE, REGION])).find((c) => c.label === 'Recent events')!.node;
    await vscode.commands.executeCommand('cloudtrailLens.aws.groupEvents', node, 'eventName');
    const groups = await snapshot(at('Recent events'));
    const expected = new Map<string, number>();
    for (const e of events.slice(0, 50)) expected.set(e.eventName, (expected.get(e.eventName) ?? 0) + 1);
    const real = groups.filter((g) => g.contextValue === 'awsEventGroup');
    assert.equal(real.length, expected.size);
    for (const g of real) assert.equal(Number(g.description), expected.get(g.label), g.label);
    await vscode.commands.executeCommand('cloudtrailLens.aws.groupEvents', node, 'none');

    const before = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    const first = (await snapshot(at('Recent events')))[0];
    await vscode.commands.executeCommand('cloudtrailLens.aws.openEvent', first.node);
    await until('a viewer tab for the event', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).length > before);
    await vscode.commands.executeCommand('cloudtrailLens.aws.openEventJson', first.node);
    const json = await until('the event JSON', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.languageId === 'json' && e.document.getText().includes(events[0].eventID) ? e : undefined;
    });
    assert.equal(JSON.parse(json.document.getText()).eventID, events[0].eventID);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the loaded recent events as a combined view: tab title, Region · account per record, no JSON text made', async () => {
    type Summary = { ready: boolean; loading: boolean; countText: string; headers: string[]; rows: string[][]; detailSource?: string };
    const act = (action: object) => vscode.commands.executeCommand<Summary>('cloudtrailLens.viewer._test', action) as Promise<Summary>;
    const before = await vscode.commands.executeCommand<number>('cloudtrailLens.viewer._materialised');
    const node = (await snapshot([PROFILE, REGION])).find((c) => c.label === 'Recent events')!.node;
    await snapshot(at('Recent events')); // the first page is loaded
    await vscode.commands.executeCommand('cloudtrailLens.aws.openAllEvents', node);
    const s = await until('the recent events in the viewer', async () => {
      const r = await act({ kind: 'summary' });
      return r?.ready && !r.loading && r.countText === '50 records' ? r : undefined;
    });
    const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';
    assert.match(label, new RegExp(`^Recent events · ${PROFILE} · ${REGION} · 50 events$`));
    // Each record's Source is its Region and account, as the record says (the seed's own fields).
    const raw = JSON.parse(fs.readFileSync(env.CLOUDTRAIL_LENS_TEST_AWS_EVENTS!, 'utf8')) as Record<string, unknown>[];
    const expected = new Map(raw.map((e) => {
      const identity = (e.userIdentity ?? {}) as { accountId?: string };
      const account = typeof e.recipientAccountId === 'string' ? e.recipientAccountId : (identity.accountId ?? 'unknown account');
      return [String(e.eventID), `${typeof e.awsRegion === 'string' ? e.awsRegion : REGION} · ${account}`];
    }));
    const col = s.headers.indexOf('Source');
    assert.ok(col >= 0, s.headers.join(', '));
    const labels = new Set(events.slice(0, 50).map((e) => expected.get(e.eventID)));
    for (const row of s.rows) assert.ok(labels.has(row[col]), `source ${row[col]}`);
    const withDetail = await act({ kind: 'select', rowPos: 0 });
    assert.ok(withDetail.rows[0][col] && withDetail.detailSource?.includes(withDetail.rows[0][col]), `detail header: ${withDetail.detailSource}`);
    assert.ok(!/Open source file/.test(withDetail.detailSource ?? ''), 'no source file to open for LookupEvents');
    assert.equal(await vscode.commands.executeCommand<number>('cloudtrailLens.viewer._materialised'), before);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows event data stores as not available on this endpoint, without breaking the region', async () => {
    const stores = await snapshot(at('Event data stores'));
    assert.equal(stores.length, 1);
    assert.match(stores[0].label, /Not available from this endpoint while listing event data stores/);
    assert.equal(stores[0].icon, 'info');
    assert.equal(stores[0].command, undefined);
  });

  it('shows a missing profile as an error with a way to choose another', async () => {
    const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
    await cfg.update('profile', 'no-such-profile', vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
      const trails = await snapshot(['no-such-profile', REGION, 'Trails']);
      assert.equal(trails.length, 1);
      assert.equal(trails[0].contextValue, 'awsError.profile');
      assert.match(trails[0].label, /No usable AWS credentials for profile "no-such-profile"/);
    } finally {
      await cfg.update('profile', PROFILE, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
    }
  });

  it('ignores a profile setting with shell syntax and runs aws sso login by argument list, never through a shell (D11)', async () => {
    const hostile = "sso-expired';calc;'";
    const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
    await cfg.update('profile', hostile, vscode.ConfigurationTarget.Global);
    const before = new Set(vscode.window.terminals);
    try {
      await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
      const args = await vscode.commands.executeCommand<string[]>('cloudtrailLens.aws.ssoLogin');
      assert.ok(Array.isArray(args), 'the command returns the arguments it used');
      assert.deepEqual(args.slice(0, 2), ['sso', 'login']);
      for (const a of args) assert.doesNotMatch(a, /[';&|$`\s]/, `argument ${JSON.stringify(a)}`);
      assert.ok(!args.includes(hostile));
      const terminal = await until('the AWS SSO login terminal', () => vscode.window.terminals.find((t) => !before.has(t) && t.name === 'AWS SSO login'));
      const opts = terminal.creationOptions as vscode.TerminalOptions;
      assert.equal(opts.shellPath, 'aws', 'the AWS CLI is the process, no shell in between');
      assert.deepEqual(opts.shellArgs, args);
      terminal.dispose();
    } finally {
      await cfg.update('profile', PROFILE, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
    }
  });
});
