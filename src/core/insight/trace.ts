/**
 * "Trace this identity": where a record's credentials came from and what was done with them, across the
 * loaded records.
 *
 * The trace walks backwards from the record to the first principal the loaded records show, then forwards from
 * that principal through every key issued on the way, and shows the result as a tree:
 * principal → role → session → (actions, and the roles that session assumed in turn …).
 *
 * Links, and how sure each is:
 * - **exact — key issued → key used.** An STS call (`AssumeRole`, `AssumeRoleWithSAML`,
 *   `AssumeRoleWithWebIdentity`, `GetFederationToken`, `GetSessionToken`, and the few others in
 *   {@link ISSUING_EVENTS}) returns `responseElements.credentials.accessKeyId`; every record whose
 *   `userIdentity.accessKeyId` is that key was made with those credentials. The issuing call's own
 *   `userIdentity.accessKeyId` is the key it was made with, so following keys backwards walks a role chain
 *   (AssumeRole made with a role session's key) to the first key in the loaded records (a long-term `AKIA…`
 *   key, or a key whose issuing call is not loaded). Forwards, every record made with each issued key is
 *   listed under its session.
 * - **heuristic — same session ARN.** When no loaded call issued a temporary key, an issuing call whose
 *   `responseElements.assumedRoleUser.arn` (or `federatedUser.arn`) equals the record's `userIdentity.arn` is
 *   taken as its origin: the latest such call before the record. Session names repeat, so this can be wrong.
 * - **heuristic — sourceIdentity.** Failing that, a session whose `sessionContext.sourceIdentity` is S is taken
 *   to come from the earliest loaded issuing call that set `requestParameters.sourceIdentity` to S (the source
 *   identity stays the same along a role chain). Anyone allowed to set S could have, so this is a guess.
 * - **heuristic — Identity Center.** A permission-set session (`assumed-role/AWSReservedSSO_<set>_<id>/<user>`)
 *   whose key no loaded call issued is taken to come from the latest Identity Center portal
 *   `GetRoleCredentials` call before it for role `<set>` (same account, and the same user name when the call
 *   names one). The portal call returns no key in CloudTrail, so nothing exact links them.
 * - **heuristic — same principal.** A principal with no access key (console sign-in, SAML/web identity users,
 *   Identity Center users, AWS services) stands for the records of the same principal ARN, else the same
 *   Identity Center user (`onBehalfOf.userId`), else the same readable "Who".
 * `sourceIdentity` and the Identity Center user are also shown on the nodes they appear on.
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
  'GetRoleCredentials', // IAM Identity Center portal (sso.amazonaws.com); CloudTrail hides the key it returns
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
  /**
   * The parsed record; asked for issuing calls while indexing, then for the records a trace reads. Only string
   * values are read, so a plain JSON.parse of the record text will do.
   */
  event(i: number): JsonObject | undefined;
}

export type LinkKind = 'exact' | 'heuristic';

export interface TraceNode {
  kind: 'principal' | 'role' | 'session' | 'action';
  label: string;
  /** Extra facts for the node's description/tooltip (session ARN, sourceIdentity, Identity Center user…). */
  detail: string;
  /** The access key the node is about (principal and session nodes), '' when none. */
  accessKey: string;
  /** How this node is linked to its parent ('exact' for a keyed root). */
  link: LinkKind;
  /** Why the link holds, in words. */
  why: string;
  /** Rows the node stands for (a click filters the table to them); for a session or role: every row under it. */
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

export interface TraceStep {
  row: number;
  accessKey: string;
  /** How this step is linked to the step before it (the traced record's own step: 'exact'). */
  link: LinkKind;
  why: string;
}

export interface Trace {
  root: TraceNode;
  /** The traced row. */
  start: number;
  /** Steps from the traced record back to the root, nearest first, with how each was linked. */
  chain: TraceStep[];
  /** True when the node budget ran out and some sessions are not shown. */
  truncated: boolean;
}

interface ForwardContext {
  pathRows: Set<number>;
  budget: { nodes: number };
  visited: Set<string>;
  /** Heuristic steps of the chain: issuing call row → the key it (probably) issued. */
  guessed: Map<number, { key: string; why: string }>;
}

const SSO_ROLE = /:assumed-role\/AWSReservedSSO_(.+)_[0-9a-f]{6,}\/([^/]+)$/i;

/** Indexes built once per table (and reused by every trace until rows are added). */
export class TraceIndex {
  private readonly byKey = new Map<string, number[]>();
  /** key → the row of the call that issued it. */
  private readonly issuedKey = new Map<string, number>();
  /** Issuing call row → the key it returned. */
  private readonly issuedRow = new Map<number, string>();
  /** session ARN → rows of calls that issued a session with that ARN (table order). */
  private readonly issuedArn = new Map<string, number[]>();
  /** sourceIdentity → rows of issuing calls that set it (table order). */
  private readonly setSource = new Map<string, number[]>();
  /** Identity Center permission set name → its GetRoleCredentials rows (table order). */
  private readonly portal = new Map<string, number[]>();
  private whoRows: Map<string, number[]> | undefined;
  /** Rows already indexed (the table can grow; `update` indexes the new ones). */
  private indexed = 0;

  constructor(readonly src: TraceSource) {
    this.update();
  }

  /** Indexes rows added to the source since the last call. */
  update(): void {
    const src = this.src;
    if (this.indexed === src.size) return;
    for (let i = this.indexed; i < src.size; i++) {
      const key = src.accessKey(i);
      if (key) push(this.byKey, key, i);
      const name = src.eventName(i);
      if (!ISSUING_EVENTS.has(name)) continue;
      const ev = src.event(i);
      if (!ev) continue;
      const out = issued(ev);
      if (out.key) {
        if (!this.issuedKey.has(out.key)) this.issuedKey.set(out.key, i);
        this.issuedRow.set(i, out.key);
      }
      if (out.arn) push(this.issuedArn, out.arn, i);
      const rp = own(ev, 'requestParameters');
      const si = text(rp, 'sourceIdentity');
      if (si) push(this.setSource, si, i);
      if (name === 'GetRoleCredentials') {
        const role = text(rp, 'roleName');
        if (role) push(this.portal, role.toLowerCase(), i);
      }
    }
    this.indexed = src.size;
    this.whoRows = undefined;
  }

  rowsOfKey(key: string): readonly number[] {
    return this.byKey.get(key) ?? [];
  }

  private rowsOfWho(who: string): number[] {
    if (!this.whoRows) {
      this.whoRows = new Map();
      for (let i = 0; i < this.src.size; i++) push(this.whoRows, this.src.who(i), i);
    }
    return this.whoRows.get(who) ?? [];
  }

  /** Traces row `start`: back to its origin, then forward from the origin through every key issued on the way. */
  trace(start: number, limits: { maxNodes?: number } = {}): Trace {
    const src = this.src;
    if (!(start >= 0 && start < src.size)) throw new RangeError(`no record ${start} to trace`);
    const chain: TraceStep[] = [{ row: start, accessKey: src.accessKey(start), link: 'exact', why: 'the traced record' }];
    const seenKeys = new Set<string>();
    const seenRows = new Set<number>([start]);
    // Backwards: the call that issued each key, until nothing loaded issued it.
    for (;;) {
      const cur = chain[chain.length - 1];
      const step = this.issuerOf(cur.row, cur.accessKey, seenKeys, seenRows);
      if (!step) break;
      seenRows.add(step.row);
      chain.push(step);
    }

    // Forward from the origin.
    const origin = chain[chain.length - 1];
    const budget = { nodes: limits.maxNodes ?? 2000 };
    const pathRows = new Set(chain.map((s) => s.row));
    const guessed = new Map<number, { key: string; why: string }>();
    for (let j = 0; j + 1 < chain.length; j++) {
      const up = chain[j + 1];
      if (up.link === 'heuristic' && chain[j].accessKey && this.issuedRow.get(up.row) !== chain[j].accessKey) {
        guessed.set(up.row, { key: chain[j].accessKey, why: up.why });
      }
    }
    const ctx: ForwardContext = { pathRows, budget, visited: new Set<string>(), guessed };
    const root = origin.accessKey
      ? this.keyNode('principal', origin.row, origin.accessKey, 'exact', 'origin of the chain: no loaded call issued this key', undefined, ctx)
      : this.principalNode(origin.row, ctx);
    return { root, start, chain, truncated: budget.nodes <= 0 };
  }

  /** The step before `row` (made with `key`): the call that issued its credentials, exactly or by a guess. */
  private issuerOf(row: number, key: string, seenKeys: Set<string>, seenRows: Set<number>): TraceStep | undefined {
    const src = this.src;
    if (key) {
      if (seenKeys.has(key)) return undefined;
      seenKeys.add(key);
      const issuer = this.issuedKey.get(key);
      if (issuer !== undefined && !seenRows.has(issuer)) {
        return { row: issuer, accessKey: src.accessKey(issuer), link: 'exact', why: `${src.eventName(issuer)} returned access key ${key}` };
      }
      // A long-term key was not issued by any call CloudTrail records.
      if (key.startsWith('AKIA')) return undefined;
    }
    const ev = src.event(row);
    const ui = own(ev, 'userIdentity');
    const arn = text(ui, 'arn');
    if (!/:(assumed-role|federated-user)\//.test(arn)) return undefined;
    const t = src.time(row);
    const usable = (c: number) => c !== row && !seenRows.has(c) && !(t === t && src.time(c) === src.time(c) && src.time(c) > t);
    const pick = (rows: readonly number[] | undefined, latest: boolean, also: (c: number) => boolean = () => true): number | undefined => {
      let best: number | undefined;
      for (const c of rows ?? []) {
        if (!usable(c) || !also(c)) continue;
        if (best === undefined) best = c;
        else {
          const bt = src.time(best);
          const ct = src.time(c);
          if (latest ? ct >= bt || bt !== bt : ct < bt) best = c;
        }
      }
      return best;
    };
    const step = (c: number, why: string): TraceStep => ({ row: c, accessKey: src.accessKey(c), link: 'heuristic', why });
    // Same session ARN.
    const byArn = pick(this.issuedArn.get(arn), true);
    if (byArn !== undefined) {
      return step(byArn, `${src.eventName(byArn)} issued a session with the same ARN (${arn})${key ? `; no loaded call returned its key ${key}` : ''}`);
    }
    // sourceIdentity: the earliest call that set it.
    const si = textAt(ui, ['sessionContext', 'sourceIdentity']);
    const bySource = si ? pick(this.setSource.get(si), false) : undefined;
    if (bySource !== undefined) {
      return step(bySource, `${src.eventName(bySource)} set sourceIdentity "${si}", which this session carries`);
    }
    // Identity Center permission set session → the portal's GetRoleCredentials.
    const sso = SSO_ROLE.exec(arn);
    if (sso) {
      const account = text(ui, 'accountId');
      const user = sso[2].toLowerCase();
      const byPortal = pick(this.portal.get(sso[1].toLowerCase()), true, (c) => {
        const cev = src.event(c);
        const acc = text(own(cev, 'requestParameters'), 'accountId');
        if (account && acc && acc !== account) return false;
        const cui = own(cev, 'userIdentity');
        const name = (text(cui, 'userName') || text(own(cev, 'additionalEventData'), 'UserName')).toLowerCase();
        return !name || name === user || name.split('@')[0] === user.split('@')[0];
      });
      if (byPortal !== undefined) {
        return step(byPortal, `Identity Center GetRoleCredentials for permission set ${sso[1]} before this session of ${sso[2]} (CloudTrail does not show the key it returned)`);
      }
    }
    return undefined;
  }

  private keyNode(kind: 'principal' | 'session', labelRow: number, key: string, link: LinkKind, why: string, issuedBy: number | undefined,
    ctx: ForwardContext): TraceNode {
    ctx.visited.add(key);
    const src = this.src;
    const ev = src.event(issuedBy ?? labelRow);
    const rows = [...this.rowsOfKey(key)];
    const label = kind === 'principal' ? src.who(labelRow) : sessionLabel(ev, src.eventName(issuedBy ?? labelRow));
    const node = this.node(kind, label, key, link, why, rows);
    node.issuedBy = issuedBy;
    node.detail = detailOf(kind === 'principal' ? src.event(labelRow) : ev, key, kind);
    node.onPath = rows.some((r) => ctx.pathRows.has(r)) || (issuedBy !== undefined && ctx.pathRows.has(issuedBy));
    this.grow(node, rows, ctx);
    return node;
  }

  /** A principal without a key: the records of the same principal (a heuristic grouping). */
  private principalNode(row: number, ctx: ForwardContext): TraceNode {
    const src = this.src;
    const ev = src.event(row);
    const ui = own(ev, 'userIdentity');
    const arn = text(ui, 'arn');
    const userId = text(own(ui, 'onBehalfOf'), 'userId');
    let rows: number[];
    let why: string;
    if (arn || userId) {
      rows = [];
      for (let i = 0; i < src.size; i++) {
        if (src.accessKey(i) || src.who(i) !== src.who(row)) continue;
        const u = own(src.event(i), 'userIdentity');
        if (arn ? text(u, 'arn') === arn : text(own(u, 'onBehalfOf'), 'userId') === userId) rows.push(i);
      }
      if (!rows.includes(row)) rows.push(row);
      why = arn ? `records without an access key and the same principal ARN (${arn})` : `records without an access key of the same Identity Center user (${userId})`;
    } else {
      rows = [...this.rowsOfWho(src.who(row))];
      why = `records of the same principal (${src.who(row)})`;
    }
    const node = this.node('principal', src.who(row), '', 'heuristic', why, rows);
    node.detail = detailOf(ev, '', 'principal');
    node.onPath = true;
    this.grow(node, rows, ctx);
    return node;
  }

  /** Adds a node's children: its actions, then the sessions issued by calls among its rows, grouped by role. */
  private grow(node: TraceNode, ownRows: readonly number[], ctx: ForwardContext): void {
    const src = this.src;
    const actions = this.actions(ownRows, ctx.pathRows);
    ctx.budget.nodes -= 1 + actions.length;
    const sessions: TraceNode[] = [];
    for (const call of ownRows) {
      const exact = this.issuedRow.get(call);
      const guess = ctx.guessed.get(call);
      if (exact && !ctx.visited.has(exact)) {
        if (ctx.budget.nodes <= 0) break;
        const by = node.accessKey ? ` made with ${node.accessKey}` : '';
        sessions.push(this.keyNode('session', call, exact, 'exact', `${src.eventName(call)}${by} returned ${exact}`, call, ctx));
      }
      if (guess && !ctx.visited.has(guess.key)) {
        sessions.push(this.keyNode('session', call, guess.key, 'heuristic', guess.why, call, ctx));
      }
    }
    const children = groupByRole(sessions, (r) => src.event(r), src);
    for (const c of children) node.rows.push(...c.rows);
    node.children.push(...children.sort((a, b) => a.first - b.first || (a.label < b.label ? -1 : 1)), ...actions);
    node.onPath ||= node.children.some((c) => c.onPath);
    span(node, src);
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

/** Sessions of the same role go under one role node (principal → role → session); others stay as they are. */
function groupByRole(sessions: TraceNode[], event: (row: number) => JsonObject | undefined, src: TraceSource): TraceNode[] {
  const byRole = new Map<string, { arn: string; list: TraceNode[] }>();
  const out: TraceNode[] = [];
  for (const s of sessions) {
    const role = s.issuedBy !== undefined ? roleOf(event(s.issuedBy)) : undefined;
    if (!role) {
      out.push(s);
      continue;
    }
    s.label = s.label.replace(/^[^ ]*\//, '') || s.label; // the role is the parent's label: keep the session name
    const g = byRole.get(role.name);
    if (g) g.list.push(s);
    else byRole.set(role.name, { arn: role.arn, list: [s] });
  }
  for (const [name, g] of byRole) {
    const rows: number[] = [];
    for (const s of g.list) rows.push(...s.rows);
    const exact = g.list.every((s) => s.link === 'exact');
    const node: TraceNode = {
      kind: 'role',
      label: name,
      detail: g.arn,
      accessKey: '',
      link: exact ? 'exact' : 'heuristic',
      why: `${g.list.length} session${g.list.length === 1 ? '' : 's'} of role ${name}`,
      rows,
      count: rows.length,
      first: NaN,
      last: NaN,
      onPath: g.list.some((s) => s.onPath),
      children: g.list.sort((a, b) => a.first - b.first),
    };
    span(node, src);
    out.push(node);
  }
  return out;
}

/** The role an issuing call assumed: its name and ARN (from the request, else the session ARN). */
function roleOf(ev: JsonObject | undefined): { name: string; arn: string } | undefined {
  const rp = own(ev, 'requestParameters');
  const roleArn = text(rp, 'roleArn');
  if (roleArn) return { name: roleArn.replace(/^arn:[^:]*:iam::\d*:role\/(.*\/)?/, ''), arn: roleArn };
  const arn = ev ? issued(ev).arn : '';
  const m = /:assumed-role\/([^/]+)\//.exec(arn);
  if (m) return { name: m[1], arn };
  const portalRole = text(rp, 'roleName');
  if (portalRole) return { name: portalRole, arn: `Identity Center permission set ${portalRole}` };
  return undefined;
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

function sessionLabel(ev: JsonObject | undefined, eventName: string): string {
  const out = ev ? issued(ev) : { key: '', arn: '' };
  const rp = own(ev, 'requestParameters');
  const session = text(rp, 'roleSessionName');
  const role = text(rp, 'roleArn');
  let label = out.arn ? out.arn.replace(/^arn:[^:]*:sts::\d*:/, '') : '';
  if (!label && role) label = role.replace(/^arn:[^:]*:iam::\d*:/, '') + (session ? `/${session}` : '');
  if (!label && text(rp, 'roleName')) label = `${text(rp, 'roleName')}${text(rp, 'accountId') ? ` in ${text(rp, 'accountId')}` : ''}`;
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
