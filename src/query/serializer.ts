/** The `*.ctnb` notebook serializer (registered at activation; also used by the query bundle to open notebooks). */
import * as vscode from 'vscode';
import { NotebookSource, parseNotebook, serializeNotebook } from '../core/query/notebook';

export const NOTEBOOK_TYPE = 'cloudtrailLens.investigation';
export const SOURCE_KEY = 'cloudtrailLens.source';

export class Serializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const { notebook } = parseNotebook(new TextDecoder().decode(content));
    const cells = notebook.cells.map((c) => {
      const cell = new vscode.NotebookCellData(c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.value, c.kind === 'markdown' ? 'markdown' : 'sql');
      if (c.source) cell.metadata = { [SOURCE_KEY]: c.source };
      return cell;
    });
    const data = new vscode.NotebookData(cells);
    if (notebook.source) data.metadata = { [SOURCE_KEY]: notebook.source };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const source = data.metadata?.[SOURCE_KEY] as NotebookSource | undefined;
    const text = serializeNotebook({
      source,
      cells: data.cells.map((c) => {
        const cellSource = c.metadata?.[SOURCE_KEY] as NotebookSource | undefined;
        return { kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'sql', value: c.value, ...(cellSource ? { source: cellSource } : {}) };
      }),
    });
    return new TextEncoder().encode(text);
  }
}
