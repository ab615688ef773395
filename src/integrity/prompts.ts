/**
 * The integrity commands' prompts (quick picks, open/save dialogs) and progress, in one place so the integration
 * tests can drive them. In normal use these are plain `vscode.window` calls. When the test harness sets
 * CLOUDTRAIL_LENS_TEST_COMMANDS=1 the hidden command `cloudtrailLens.integrity._prompts` can queue answers
 * (consumed in order, each checked against the prompt it answers) and cancel a running progress, as a user
 * would from the notification's Cancel button. TEST HOOK: VS Code has no API to click a quick pick or a native
 * dialog from an extension, so these answers stand in for the user's clicks; everything after them is real.
 */
import * as vscode from 'vscode';

export interface PromptAnswer {
  /** The prompt's title must contain this (guards against answering the wrong prompt). */
  title?: string;
  /** Labels to pick (a single label for a single pick); undefined with `dismiss` = Escape. */
  pick?: string[];
  /** Dialog answer: a file system path. */
  path?: string;
  dismiss?: boolean;
}

export interface SeenPrompt {
  kind: 'quickPick' | 'openDialog' | 'saveDialog';
  title: string;
  items?: string[];
}

const queue: PromptAnswer[] = [];
const seen: SeenPrompt[] = [];
const running = new Map<string, vscode.CancellationTokenSource>();
/** Titles (parts) of progress to cancel as soon as it reports its first step of work. */
const armed: string[] = [];

function next(kind: SeenPrompt['kind'], title: string, items?: string[]): PromptAnswer | undefined {
  if (!queue.length) return undefined;
  seen.push({ kind, title, items });
  const a = queue.shift()!;
  if (a.title && !title.includes(a.title)) throw new Error(`test prompt answer for "${a.title}" given to prompt "${title}"`);
  return a;
}

const labelOf = (i: vscode.QuickPickItem | string) => (typeof i === 'string' ? i : i.label);

export async function quickPick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions & { canPickMany: true }): Promise<T[] | undefined>;
export async function quickPick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
export async function quickPick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | T[] | undefined> {
  const a = next('quickPick', options.title ?? options.placeHolder ?? '', items.map(labelOf));
  if (!a) return vscode.window.showQuickPick(items, options);
  if (a.dismiss) return undefined;
  const chosen = (a.pick ?? []).map((l) => {
    const hit = items.find((i) => i.label === l);
    if (!hit) throw new Error(`test prompt: no item "${l}" in "${options.title}" (${items.map(labelOf).join(', ')})`);
    return hit;
  });
  return options.canPickMany ? chosen : chosen[0];
}

export async function openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
  const a = next('openDialog', options.title ?? '');
  if (!a) return vscode.window.showOpenDialog(options);
  return a.dismiss || !a.path ? undefined : [vscode.Uri.file(a.path)];
}

export async function saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
  const a = next('saveDialog', options.title ?? '');
  if (!a) return vscode.window.showSaveDialog(options);
  return a.dismiss || !a.path ? undefined : vscode.Uri.file(a.path);
}

/** `withProgress` in a cancellable notification; the test hook can cancel it by (part of) its title. */
export function withProgress<R>(title: string, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const cts = new vscode.CancellationTokenSource();
    const sub = token.onCancellationRequested(() => cts.cancel());
    running.set(title, cts);
    const reporter: vscode.Progress<{ message?: string; increment?: number }> = {
      report: (v) => {
        progress.report(v);
        const i = armed.findIndex((t) => title.includes(t));
        if (i >= 0 && (v.increment ?? 0) > 0) {
          armed.splice(i, 1);
          cts.cancel();
        }
      },
    };
    try {
      return await task(reporter, cts.token);
    } finally {
      running.delete(title);
      sub.dispose();
      cts.dispose();
    }
  });
}

/** Test hook handler: queue answers, cancel a running progress, read what was asked. */
export function testPrompts(args?: { answers?: PromptAnswer[]; reset?: boolean; cancel?: string; cancelOnProgress?: string }): { seen: SeenPrompt[]; pending: number; running: string[]; armed: number; cancelled?: string } {
  if (args?.reset) {
    queue.length = 0;
    seen.length = 0;
    armed.length = 0;
  }
  if (args?.answers) queue.push(...args.answers);
  if (args?.cancelOnProgress) armed.push(args.cancelOnProgress);
  let cancelled: string | undefined;
  if (args?.cancel) {
    for (const [title, cts] of running) {
      if (title.includes(args.cancel)) {
        cts.cancel();
        cancelled = title;
      }
    }
  }
  return { seen: [...seen], pending: queue.length, running: [...running.keys()], armed: armed.length, cancelled };
}
