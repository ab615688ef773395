/**
 * "Trace this identity": where a record's credentials came from and what was done with them, across the
 * loaded records.
 *
 * Links, and how sure each is:
 * - **exact — key issued → key used.** An STS call (`AssumeRole`, `AssumeRoleWithSAML`,
 *   `AssumeRoleWithWebIdentity`, `GetFederationToken`, `GetSessionToken`, and the few others in
 *   {@link ISSUING_EVENTS}) returns `responseElements.credentials.accessKeyId`; every record whose
 *   `userIdentity.accessKeyId` is that key was made with those credentials. The issuing call's own
 *   `userIdentity.accessKeyId` is the key it was made with, so following keys backwards walks a role chain
 *   to the first key in the loaded records (a long-term `AKIA…` key, or a key whose issuing call is not
 *   loaded).
 * - **heuristic — same session ARN.** When no loaded call issued a temporary key, an issuing call whose
 *   `responseElements.assumedRoleUser.arn` (or `federatedUser.arn`) equals the record's `userIdentity.arn` is
 *   taken as its origin: the latest such call before the record. Session names repeat, so this can be wrong.
 * - **heuristic — same principal.** A record with no access key (console, AWS service, some Identity Center
 *   events) is grouped with the other records of the same principal ARN (or, failing that, the same
 *   readable "Who").
 * `sourceIdentity` and Identity Center users (`onBehalfOf.userId`) are shown on the nodes they appear on; they
 * name a person but do not link records by themselves.
 */
import type { JsonObject, JsonValue } from '../records/types';

/** Calls whose response hands out credentials (an access key id in `responseElements.credentials`). */
export const ISSUING_EVENTS: ReadonlySet<string> = new Set([
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'AssumeRoot',
  'GetFederationToken',
  'GetSessionToken',
  'GetRoleCredentials', // IAM Identity Center portal (sso.amazonaws.com)
  'CreateToken',
]);

/** What the trace reads of the loaded records. Row indexes are table indexes (0 … size-1). */
export interface TraceSource {
  size: number;
  /** `userIdentity.accessKeyId` of row i ('' when none). */
  accessKey(i: number): string;
  eventName(i: number): string;
  /** The readable principal ("Who" column). */
  who(i: number): string;
  /** Epoch ms, NaN when unknown. */
  time(i: number): number;
  /** The parsed record; asked only for issuing calls and the traced record. */
  event(i: number): JsonObject | undefined;
}

export type LinkKind = 'exact' | 'heuristic';

export interface TraceNode {
  kind: 'principal' | 'session' | 'action';
  label: string;
  /** Extra facts for the node's description/tooltip (session ARN, sourceIdentity, Identity Center user…). */
  detail: string;
  /** The access key the node is about (principal and session nodes), '' when none. */
  accessKey: string;
  /** How this node is linked to its parent ('exact' for the root). */
  link: LinkKind;
  /** Why the link holds, in words. */
  why: string;
  /** Rows the node stands for (a click filters the table to them); for a session: every row under it. */
  rows: number[];
  count: number;
  first: number;
  last: number;
  /** The issuing call's row, for session nodes found through one. */
  issuedBy?: number;
  /** True on the nodes on the way from the root to the traced record. */
  onPath: boolean;
  children: TraceNode[];
}

export interface Trace {
  root: TraceNode;
  /** The traced row. */
  start: number;
  /** Steps from the traced record back to the root, nearest first, with how each was linked. */
  chain: { row: number; accessKey: string; link: LinkKind; why: string }[];
}

interface ForwardContext {
  pathRows: Set<number>;
  budget: { nodes: number };
  visited: Set<string>;
  /** Heuristic chain steps: key the issuing call was made with → (call, key it probably issued). */
  guessed: Map<string, { call: number; key: string; why: string }[]>;
}

/** Indexes built once per table (and reused by every trace until rows are added). */
export class TraceIndex {
  private readonly byKey = new Map<string, number[]>();
  /** key → the row of the call that issued it. */
  private readonly issuedKey = new Map<string, number>();
  /** session ARN → rows of calls that issued a session with that ARN (time order of the table). */
  private readonly issuedArn = new Map<string, number[]>();
  /** Issuing calls grouped by the key they were made with. */
  private readonly issuedWith = new Map<string, number[]>();
  private readonly whoRows = new Map<string, number[]>();

  constructor(readonly src: TraceSource) {
    for (let i = 0; i < src.size; i++) {
      const key = src.accessKey(i);
      if (key) push(this.byKey, key, i);
      if (!ISSUING_EVENTS.has(src.eventName(i))) continue;
      const ev = src.event(i);
      if (!ev) continue;
      const out = issued(ev);
      if (!out.key && !out.arn) continue;
      if (out.key && !this.issuedKey.has(out.key)) this.issuedKey.set(out.key, i);
      if (out.arn) push(this.issuedArn, out.arn, i);
      if (key) push(this.issuedWith, key, i);
    }
  }

  rowsOfKey(key: string): readonly number[] {
    return this.byKey.get(key) ?? [];
  }

  private rowsOfWho(who: string): number[] {
    if (this.whoRows.size === 0) for (let i = 0; i < this.src.size; i++) push(this.whoRows, this.src.who(i), i);
    return this.whoRows.get(who) ?? [];
  }

  /** Traces row `start`: back to its origin, then forward from the origin through every key issued on the way. */
  trace(start: number, limits: { maxNodes?: number } = {}): Trace {
    const src = this.src;
    const chain: Trace['chain'] = [];
    const seen = new Set<string>();
    let row = start;
    let key = src.accessKey(start);
    let link: LinkKind = 'exact';
    let why = 'the traced record';
    chain.push({ row, accessKey: key, link, why });
    // Backwards: the call that issued each key, until a key nothing loaded issued.
    for (;;) {
      let issuer: number | undefined;
      if (key) {
        if (seen.has(key)) break;
        seen.add(key);
        issuer = this.issuedKey.get(key);
        if (issuer !== undefined) {
          link = 'exact';
          why = `${src.eventName(issuer)} returned access key ${key}`;
        }
      }
      if (issuer === undefined) {
        const arn = sessionArnOf(src.event(row));
        const candidates = arn ? this.issuedArn.get(arn) : undefined;
        if (candidates && key && !key.startsWith('AKIA')) {
          const t = src.time(row);
          let best: number | undefined;
          for (const c of candidates) {
            if (c === row) continue;
            const ct = src.time(c);
            if (t === t && ct === ct && ct > t) continue;
            if (best === undefined || src.time(c) >= src.time(best)) best = c;
          }
          if (best !== undefined && !chain.some((s) => s.row === best)) {
            issuer = best;
            link = 'heuristic';
            why = `${src.eventName(best)} issued a session with the same ARN (${arn}); its key is not in the loaded records`;
          }
        }
      }
      if (issuer === undefined) break;
      row = issuer;
      key = src.accessKey(issuer);
      chain.push({ row, accessKey: key, link, why });
    }

    // Forward from the origin.
    const origin = chain[chain.length - 1];
    const budget = { nodes: limits.maxNodes ?? 2000 };
    const pathRows = new Set(chain.map((s) => s.row));
    // Heuristic steps of the chain become children too: the issuing call's key → the key it (probably) issued.
    const guessed = new Map<string, { call: number; key: string; why: string }[]>();
    for (let j = 0; j + 1 < chain.length; j++) {
      const up = chain[j + 1];
      if (up.link === 'heuristic' && chain[j].accessKey) {
        const list = guessed.get(up.accessKey) ?? [];
        list.push({ call: up.row, key: chain[j].accessKey, why: up.why });
        guessed.set(up.accessKey, list);
      }
    }
    const ctx = { pathRows, budget, visited: new Set<string>(), guessed };
    const root = origin.accessKey
      ? this.keyNode('principal', origin.row, origin.accessKey, 'exact', 'origin of the chain', undefined, ctx)
      : this.principalNode(origin.row, pathRows);
    return { root, start, chain };
  }

  private keyNode(kind: 'principal' | 'session', labelRow: number, key: string, link: LinkKind, why: string, issuedBy: number | undefined,
    ctx: ForwardContext): TraceNode {
    const { pathRows, budget, visited } = ctx;
    visited.add(key);
    const src = this.src;
    const ev = src.event(issuedBy ?? labelRow);
    const rows = [...this.rowsOfKey(key)];
    const node = this.node(kind, kind === 'principal' ? src.who(labelRow) : sessionLabel(ev, src.eventName(issuedBy ?? labelRow)), key, link, why, rows);
    node.issuedBy = issuedBy;
    node.detail = detailOf(kind === 'principal' ? src.event(labelRow) : ev, key, kind);
    node.onPath = rows.some((r) => pathRows.has(r)) || (issuedBy !== undefined && pathRows.has(issuedBy));
    node.children.push(...this.actions(rows, pathRows));
    budget.nodes -= 1 + node.children.length;
    // Sessions issued with this key (exact) …
    for (const call of this.issuedWith.get(key) ?? []) {
      if (budget.nodes <= 0) break;
      const out = issued(src.event(call) ?? {});
      if (!out.key || visited.has(out.key)) continue;
      const child = this.keyNode('session', call, out.key, 'exact', `${src.eventName(call)} made with ${key} returned ${out.key}`, call, ctx);
      node.children.push(child);
      node.rows.push(...child.rows);
    }
    for (const g of ctx.guessed.get(key) ?? []) {
      if (visited.has(g.key)) continue;
      const child = this.keyNode('session', g.call, g.key, 'heuristic', g.why, g.call, ctx);
      node.children.push(child);
      node.rows.push(...child.rows);
    }
    node.onPath ||= node.children.some((c) => c.onPath);
    span(node, src);
    node.children.sort((a, b) => (a.kind === b.kind ? a.first - b.first : a.kind === 'session' ? -1 : 1));
    return node;
  }

  private principalNode(row: number, pathRows: Set<number>): TraceNode {
    const src = this.src;
    const ev = src.event(row);
    const arn = text(own(ev, 'userIdentity'), 'arn');
    let rows: number[];
    let why: string;
    if (arn) {
      rows = [];
      for (let i = 0; i < src.size; i++) if (!src.accessKey(i) && text(own(src.event(i), 'userIdentity'), 'arn') === arn) rows.push(i);
      if (!rows.includes(row)) rows.push(row);
      why = `records without an access key and the same principal ARN (${arn})`;
    } else {
      rows = this.rowsOfWho(src.who(row));
      why = `records of the same principal (${src.who(row)})`;
    }
    const node = this.node('principal', src.who(row), '', 'heuristic', why, rows);
    node.detail = detailOf(ev, '', 'principal');
    node.onPath = true;
    node.children.push(...this.actions(rows, pathRows));
    span(node, src);
    return node;
  }

  private actions(rows: readonly number[], pathRows: Set<number>): TraceNode[] {
    const byName = new Map<string, number[]>();
    for (const r of rows) push(byName, this.src.eventName(r) || '(no eventName)', r);
    const out: TraceNode[] = [];
    for (const [name, rs] of byName) {
      const n = this.node('action', name, '', 'exact', 'made with the credentials of the parent node', rs);
      n.onPath = rs.some((r) => pathRows.has(r));
      span(n, this.src);
      out.push(n);
    }
    return out.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
  }

  private node(kind: TraceNode['kind'], label: string, accessKey: string, link: LinkKind, why: string, rows: number[]): TraceNode {
    return { kind, label, detail: '', accessKey, link, why, rows, count: rows.length, first: NaN, last: NaN, onPath: false, children: [] };
  }
}

function span(node: TraceNode, src: TraceSource): void {
  let first = Infinity;
  let last = -Infinity;
  for (const r of node.rows) {
    const t = src.time(r);
    if (t !== t) continue;
    if (t < first) first = t;
    if (t > last) last = t;
  }
  node.count = node.rows.length;
  node.first = first === Infinity ? NaN : first;
  node.last = last === -Infinity ? NaN : last;
}

function push<K>(map: Map<K, number[]>, key: K, v: number): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}

function own(o: JsonValue | undefined, key: string): JsonValue | undefined {
  return o !== null && typeof o === 'object' && !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, key) ? (o as JsonObject)[key] : undefined;
}

function text(o: JsonValue | undefined, key: string): string {
  const v = own(o, key);
  return typeof v === 'string' ? v : '';
}

/** The key and session ARN an issuing call handed out. */
export function issued(ev: JsonObject): { key: string; arn: string } {
  const re = own(ev, 'responseElements');
  const key = text(own(re, 'credentials'), 'accessKeyId');
  const arn = text(own(re, 'assumedRoleUser'), 'arn') || text(own(re, 'federatedUser'), 'arn');
  return { key, arn };
}

function sessionArnOf(ev: JsonObject | undefined): string {
  return text(own(ev, 'userIdentity'), 'arn');
}

function sessionLabel(ev: JsonObject | undefined, eventName: string): string {
  const out = ev ? issued(ev) : { key: '', arn: '' };
  const rp = own(ev, 'requestParameters');
  const session = text(rp, 'roleSessionName');
  const role = text(rp, 'roleArn');
  let label = out.arn ? out.arn.replace(/^arn:[^:]*:sts::\d*:/, '') : '';
  if (!label && role) label = role.replace(/^arn:[^:]*:iam::\d*:/, '') + (session ? `/${session}` : '');
  if (!label) label = text(rp, 'name') || eventName;
  return `${label} (${eventName})`;
}

function detailOf(ev: JsonObject | undefined, key: string, kind: 'principal' | 'session'): string {
  const parts: string[] = [];
  if (key) parts.push(key.startsWith('AKIA') ? `long-term key ${key}` : key.startsWith('ASIA') ? `temporary key ${key}` : `key ${key}`);
  if (kind === 'principal') {
    const ui = own(ev, 'userIdentity');
    const arn = text(ui, 'arn');
    if (arn) parts.push(arn);
    const onBehalf = text(own(ui, 'onBehalfOf'), 'userId');
    if (onBehalf) parts.push(`Identity Center user ${onBehalf}`);
    const src = textAt(ui, ['sessionContext', 'sourceIdentity']);
    if (src) parts.push(`sourceIdentity ${src}`);
  } else {
    const src = text(own(ev, 'requestParameters'), 'sourceIdentity') || text(own(ev, 'responseElements'), 'sourceIdentity');
    if (src) parts.push(`sourceIdentity ${src}`);
  }
  return parts.join(' · ');
}

function textAt(v: JsonValue | undefined, keys: string[]): string {
  let cur = v;
  for (const k of keys) cur = own(cur, k);
  return typeof cur === 'string' ? cur : '';
}
