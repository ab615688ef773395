/**
 * HTML for a notebook cell's result: a summary line, a chart when the result is "label + count" (bars for
 * categories, columns over time when the label is a time), and the table. No script, every value escaped; colours
 * are the theme's (VS Code's CSS variables inside notebook outputs).
 */
import type { QueryResult } from './duckdb';
import { cellText, summaryLine } from './format';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const TIME = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?Z?)?)?$|^\d{4}\/\d{2}\/\d{2}$/;

export interface ChartSpec {
  kind: 'bar' | 'time';
  labels: string[];
  values: number[];
  valueName: string;
}

/** A chart for results of two columns (label, number) with 1..200 rows; undefined otherwise. */
export function chartFor(r: QueryResult): ChartSpec | undefined {
  if (r.columns.length !== 2 || r.rows.length === 0 || r.rows.length > 200) return undefined;
  const values = r.rows.map((row) => Number(row[1]));
  if (values.some((v) => !Number.isFinite(v))) return undefined;
  const labels = r.rows.map((row) => cellText(row[0]));
  const kind = labels.every((l) => TIME.test(l)) ? 'time' : 'bar';
  return { kind, labels, values, valueName: r.columns[1].name };
}

export function chartSvg(c: ChartSpec): string {
  const max = Math.max(...c.values, 1);
  if (c.kind === 'bar') {
    const rowH = 18;
    const labelW = 260;
    const barW = 360;
    const h = c.labels.length * rowH + 4;
    const bars = c.labels
      .map((l, i) => {
        const w = Math.max(1, Math.round((c.values[i] / max) * barW));
        const y = i * rowH + 2;
        const label = l.length > 40 ? l.slice(0, 39) + '…' : l;
        return `<text x="${labelW - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(label)}</text><rect x="${labelW}" y="${y + 2}" width="${w}" height="${rowH - 5}" class="bar"><title>${escapeHtml(l)}: ${c.values[i]}</title></rect><text x="${labelW + w + 4}" y="${y + 13}">${c.values[i]}</text>`;
      })
      .join('');
    return `<svg class="chart" role="img" aria-label="${escapeHtml(c.valueName)} per category" width="${labelW + barW + 60}" height="${h}" viewBox="0 0 ${labelW + barW + 60} ${h}">${bars}</svg>`;
  }
  const w = 720;
  const h = 160;
  const n = c.labels.length;
  const colW = Math.max(1, Math.floor((w - 40) / n));
  const cols = c.values
    .map((v, i) => {
      const ch = Math.max(1, Math.round((v / max) * (h - 30)));
      return `<rect x="${40 + i * colW}" y="${h - 20 - ch}" width="${Math.max(1, colW - 1)}" height="${ch}" class="bar"><title>${escapeHtml(c.labels[i])}: ${v}</title></rect>`;
    })
    .join('');
  const axis = `<text x="0" y="12">${max}</text><text x="40" y="${h - 4}">${escapeHtml(c.labels[0])}</text><text x="${w}" y="${h - 4}" text-anchor="end">${escapeHtml(c.labels[n - 1])}</text><line x1="40" y1="${h - 20}" x2="${w}" y2="${h - 20}" class="axis"/>`;
  return `<svg class="chart" role="img" aria-label="${escapeHtml(c.valueName)} over time" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${axis}${cols}</svg>`;
}

const STYLE = `<style>
.ctl-result{font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);color:var(--vscode-foreground)}
.ctl-result .summary{color:var(--vscode-descriptionForeground);margin:2px 0 6px}
.ctl-result .warn{color:var(--vscode-editorWarning-foreground)}
.ctl-result svg text{fill:var(--vscode-foreground);font-size:11px}
.ctl-result svg .bar{fill:var(--vscode-charts-blue)}
.ctl-result svg .axis{stroke:var(--vscode-descriptionForeground)}
.ctl-result table{border-collapse:collapse;margin-top:6px}
.ctl-result th,.ctl-result td{border:1px solid var(--vscode-editorWidget-border,#8884);padding:1px 6px;text-align:left;vertical-align:top;max-width:480px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ctl-result th{background:var(--vscode-editorWidget-background)}
.ctl-result td.null{color:var(--vscode-descriptionForeground)}
</style>`;

export function resultHtml(r: QueryResult, maxTableRows = 500): string {
  const chart = chartFor(r);
  const head = r.columns.map((c) => `<th title="${escapeHtml(c.type)}">${escapeHtml(c.name)}</th>`).join('');
  const body = r.rows
    .slice(0, maxTableRows)
    .map((row) => `<tr>${row.map((v) => (v === null || v === undefined ? '<td class="null">NULL</td>' : `<td title="${escapeHtml(cellText(v).slice(0, 2000))}">${escapeHtml(cellText(v).slice(0, 300))}</td>`)).join('')}</tr>`)
    .join('');
  const more = r.rows.length > maxTableRows ? `<div class="summary">Table shows the first ${maxTableRows} of ${r.rows.length} rows.</div>` : '';
  const warnings = r.warnings.length ? `<div class="warn">${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}: ${escapeHtml(r.warnings.slice(0, 3).join(' · '))}${r.warnings.length > 3 ? ' …' : ''}</div>` : '';
  return `${STYLE}<div class="ctl-result"><div class="summary">${escapeHtml(summaryLine(r))}</div>${warnings}${chart ? chartSvg(chart) : ''}<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}</div>`;
}
