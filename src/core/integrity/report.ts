/**
 * A validation report a responder can keep: Markdown with the verdict counts, the digest chain drawn per
 * account/Region/trail (one character per hour: covered, gap, restart), and every file that is not valid with its
 * reason. Plain text, no VS Code.
 */
import type { ChainReport, FileReport, ValidationReport, Verdict } from './validate';

export const VERDICT_LABEL: Record<Verdict, string> = {
  valid: 'verified',
  modified: 'modified',
  missing: 'missing (deleted)',
  'digest-missing': 'digest missing (chain gap)',
  'not-listed': 'not listed in any digest',
  moved: 'digest moved',
  'signature-invalid': 'signature invalid',
  'signature-unchecked': 'signature not checked',
  unreadable: 'unreadable',
};

const HOUR = 3600_000;
const MAX_BAR = 96;

/** One line per chain: `██████░░░██` (█ covered, ░ gap, · restart), scaled to at most 96 characters. */
export function chainBar(c: ChainReport): string {
  if (c.parts.length === 0) return '';
  const t0 = Date.parse(c.parts[0].from);
  const t1 = Date.parse(c.parts[c.parts.length - 1].to);
  const hours = Math.max(1, Math.round((t1 - t0) / HOUR));
  const scale = Math.max(1, Math.ceil(hours / MAX_BAR));
  const cells = Math.ceil(hours / scale);
  const bar = Array.from({ length: cells }, () => ' ');
  for (const p of c.parts) {
    const a = Math.floor((Date.parse(p.from) - t0) / HOUR / scale);
    const b = Math.max(a + 1, Math.ceil((Date.parse(p.to) - t0) / HOUR / scale));
    const ch = p.type === 'covered' ? '█' : p.type === 'gap' ? '░' : '·';
    for (let i = a; i < Math.min(b, cells); i++) if (bar[i] === ' ' || ch === '░') bar[i] = ch;
  }
  return `${bar.join('')}${scale > 1 ? ` (1 character = ${scale} h)` : ''}`;
}

function chainTitle(c: ChainReport): string {
  return `${c.orgId ? c.orgId + ' / ' : ''}${c.account} / ${c.region} / trail ${c.trail}${c.prefixDir ? ` (under ${c.prefixDir})` : ''}`;
}

function describePart(p: ChainReport['parts'][number]): string {
  if (p.type === 'covered') return `covered ${p.from} → ${p.to} (${p.digests} digest${p.digests === 1 ? '' : 's'})`;
  if (p.type === 'gap') return `**GAP** ${p.from} → ${p.to}: ${p.digests} digest${p.digests === 1 ? '' : 's'} missing (${p.hours} h)`;
  return `restart: no digests ${p.from} → ${p.to} (${p.hours} h; a new chain starts, e.g. logging or validation was turned off and on)`;
}

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** The Markdown report (what "Save Report" writes). `now` is when the validation ran. */
export function formatReportMarkdown(report: ValidationReport, now = new Date()): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`# CloudTrail log integrity report`, '');
  out.push(`- Folder: \`${report.folder}\``);
  out.push(`- Validated: ${now.toISOString().replace(/\.\d+Z$/, 'Z')}`);
  if (s.startTime || s.endTime) out.push(`- Time range: ${s.startTime ?? 'start'} → ${s.endTime ?? 'end'}`);
  out.push(`- Result: **${s.ok ? 'every file verified, every signature checked' : 'NOT fully verified'}**`);
  out.push(`- Files: ${s.files} (${s.logFiles} log, ${s.digestFiles} digest); signatures checked: ${s.signaturesChecked}, not checked: ${s.signaturesUnchecked}`);
  const counts = (Object.entries(s.byVerdict) as [Verdict, number][]).map(([v, n]) => `${VERDICT_LABEL[v]}: ${n}`);
  out.push(`- Verdicts: ${counts.join(', ') || 'nothing to validate'}`, '');
  out.push(`## Digest chains`, '');
  if (report.chains.length === 0) out.push('No digest chains found (no CloudTrail-Digest files).', '');
  for (const c of report.chains) {
    out.push(`### ${chainTitle(c)}`, '');
    const first = c.parts[0];
    const last = c.parts[c.parts.length - 1];
    if (first && last) {
      const covered = c.parts.filter((p) => p.type === 'covered').reduce((n, p) => n + (Date.parse(p.to) - Date.parse(p.from)) / HOUR, 0);
      const gaps = c.parts.filter((p) => p.type === 'gap').length;
      out.push(`${first.from} → ${last.to}: ${Math.round(covered)} h covered, ${gaps} gap${gaps === 1 ? '' : 's'}`, '');
      out.push('```', chainBar(c), '```', '');
    }
    for (const p of c.parts) out.push(`- ${describePart(p)}`);
    out.push('');
  }
  const bad = report.files.filter((f) => f.verdict !== 'valid');
  out.push(`## Files not verified (${bad.length})`, '');
  if (bad.length === 0) out.push('None.', '');
  else {
    out.push('| Verdict | File | Reason |', '|---|---|---|');
    for (const f of bad) out.push(`| ${VERDICT_LABEL[f.verdict]} | \`${cell(f.path)}\` | ${cell(f.reason)} |`);
    out.push('');
  }
  out.push(`Legend: █ hours covered by a digest chain, ░ gap (digests missing), · restart (a new chain began).`, '');
  return out.join('\n');
}

/** The one line the record viewer shows for a file whose verdict is known. */
export function bannerText(f: FileReport): string {
  const digest = f.digest ? f.digest.slice(f.digest.lastIndexOf('/') + 1) : undefined;
  switch (f.verdict) {
    case 'valid':
      return `Verified: listed in digest ${digest ?? ''} (signature checked)`.replace('  ', ' ');
    case 'modified':
      return `Modified after delivery: ${f.reason}`;
    case 'signature-unchecked':
      return `Hash matches digest ${digest ?? ''}, but the digest's signature was not checked: ${f.reason}`;
    case 'not-listed':
      return `Not verified: ${f.reason}`;
    default:
      return `${VERDICT_LABEL[f.verdict][0].toUpperCase()}${VERDICT_LABEL[f.verdict].slice(1)}: ${f.reason}`;
  }
}
