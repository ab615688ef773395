import type * as vscode from 'vscode';

/** Base for objects that own disposables; registering after disposal disposes at once. */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}

export function disposeAll(list: vscode.Disposable[]): void {
  while (list.length) {
    try {
      list.pop()?.dispose();
    } catch {
      // A failing dispose must not keep the others from running.
    }
  }
}
