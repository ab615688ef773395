/**
 * TEST DOUBLE for the part of CloudTrail that moto lacks: LookupEvents.
 *
 * A small HTTP server speaking CloudTrail's JSON protocol (awsJson1_1, `X-Amz-Target: CloudTrail_20131101.*`).
 * It serves LookupEvents from events built out of real corpus records, with the API's documented behaviour:
 * one lookup attribute, StartTime/EndTime, MaxResults (≤ 50), NextToken paging, newest first, and a
 * ThrottlingException (HTTP 400) above 2 requests per second per account+region (sliding one-second window).
 * Every other target is proxied unchanged to moto when `motoUrl` is given, so one endpoint serves all
 * CloudTrail calls. `deny` rules answer AccessDeniedException for chosen calls (to test per-node errors).
 *
 * No dependency on the code under test: matching and paging are written independently here.
 */
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface LookupServerOptions {
  /** Full CloudTrail records (objects), newest first after sorting by eventTime. */
  records: Record<string, unknown>[];
  /** Requests per rolling second per account+region before throttling (default 2); 0 disables throttling. */
  ratePerSecond?: number;
  /** Where to proxy every other CloudTrail target (a moto server URL). */
  motoUrl?: string;
  /** Answer AccessDeniedException when the target matches and the request body contains `contains` (if given). */
  deny?: { target: string; contains?: string }[];
  port?: number;
  host?: string;
}

export interface LookupServerStats {
  lookupRequests: number;
  throttled: number;
  proxied: number;
  denied: number;
}

export interface LookupServer {
  url: string;
  port: number;
  stats: LookupServerStats;
  /** Replace the served records (e.g. between tests). */
  setRecords(records: Record<string, unknown>[]): void;
  setDeny(rules: { target: string; contains?: string }[]): void;
  resetStats(): void;
  close(): Promise<void>;
}

interface Served {
  record: Record<string, unknown>;
  time: number;
  json: string;
  username?: string;
  resources: { ResourceType?: string; ResourceName?: string }[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** The Username LookupEvents reports: the IAM user name, else the role session name, else the principal. */
function lookupUsername(rec: Record<string, unknown>): string | undefined {
  const ui = rec.userIdentity as Record<string, unknown> | undefined;
  if (!ui || typeof ui !== 'object') return undefined;
  if (str(ui.userName)) return str(ui.userName);
  const arn = str(ui.arn);
  if (arn && /:assumed-role\//.test(arn)) return arn.split('/').pop();
  const pid = str(ui.principalId);
  return pid?.includes(':') ? pid.split(':').pop() : pid;
}

function lookupResources(rec: Record<string, unknown>): { ResourceType?: string; ResourceName?: string }[] {
  const list = Array.isArray(rec.resources) ? rec.resources : [];
  return list
    .filter((r): r is Record<string, unknown> => Boolean(r) && typeof r === 'object')
    .map((r) => ({ ResourceType: str(r.type), ResourceName: str(r.ARN) ?? str(r.arn) }));
}

function prepare(records: Record<string, unknown>[]): Served[] {
  return records
    .map((record) => ({
      record,
      time: Date.parse(String(record.eventTime ?? '')),
      json: JSON.stringify(record),
      username: lookupUsername(record),
      resources: lookupResources(record),
    }))
    .filter((s) => !Number.isNaN(s.time))
    .sort((a, b) => b.time - a.time);
}

function matches(s: Served, key: string, value: string): boolean {
  const r = s.record;
  switch (key) {
    case 'EventName':
      return r.eventName === value;
    case 'EventSource':
      return r.eventSource === value;
    case 'EventId':
      return r.eventID === value;
    case 'Username':
      return s.username === value;
    case 'ReadOnly':
      return String(r.readOnly) === value;
    case 'AccessKeyId':
      return (r.userIdentity as Record<string, unknown> | undefined)?.accessKeyId === value;
    case 'ResourceType':
      return s.resources.some((x) => x.ResourceType === value);
    case 'ResourceName':
      return s.resources.some((x) => x.ResourceName === value);
    default:
      return false;
  }
}

/** Access key and region from a SigV4 Authorization header (the SDK always signs). */
function callerKey(req: http.IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(auth);
  return m ? `${m[1]}|${m[2]}` : 'anonymous';
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function error(res: http.ServerResponse, status: number, type: string, message: string): void {
  res.setHeader('x-amzn-errortype', type);
  send(res, status, { __type: type, message });
}

export async function startLookupServer(options: LookupServerOptions): Promise<LookupServer> {
  let served = prepare(options.records);
  let deny = options.deny ?? [];
  const rate = options.ratePerSecond ?? 2;
  const windows = new Map<string, number[]>();
  const stats: LookupServerStats = { lookupRequests: 0, throttled: 0, proxied: 0, denied: 0 };

  const proxy = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    if (!options.motoUrl) return error(res, 400, 'UnknownOperationException', 'No backend for this operation');
    stats.proxied++;
    const target = new URL(req.url ?? '/', options.motoUrl);
    const out = http.request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host, 'content-length': body.length } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', (e) => error(res, 502, 'ServiceUnavailableException', `moto proxy: ${e.message}`));
    out.end(body);
  };

  const lookup = (req: http.IncomingMessage, input: Record<string, unknown>, res: http.ServerResponse) => {
    stats.lookupRequests++;
    if (rate > 0) {
      const key = callerKey(req);
      const now = Date.now();
      const w = (windows.get(key) ?? []).filter((t) => now - t < 1000);
      if (w.length >= rate) {
        windows.set(key, w);
        stats.throttled++;
        return error(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      w.push(now);
      windows.set(key, w);
    }
    const attrs = Array.isArray(input.LookupAttributes) ? (input.LookupAttributes as Record<string, unknown>[]) : [];
    if (attrs.length > 1) return error(res, 400, 'InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
    const attr = attrs[0];
    const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 50) return error(res, 400, 'InvalidMaxResultsException', 'MaxResults must be 1 to 50.');
    const start = input.StartTime === undefined ? undefined : Number(input.StartTime) * 1000;
    const end = input.EndTime === undefined ? undefined : Number(input.EndTime) * 1000;
    if (start !== undefined && end !== undefined && start > end) {
      return error(res, 400, 'InvalidTimeRangeException', 'StartTime must be before EndTime.');
    }
    const fingerprint = createHash('sha256').update(JSON.stringify([attr ?? null, start ?? null, end ?? null])).digest('hex').slice(0, 16);
    let offset = 0;
    if (typeof input.NextToken === 'string') {
      try {
        const t = JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as { o: number; f: string };
        if (t.f !== fingerprint || !Number.isInteger(t.o) || t.o < 0) throw new Error('mismatch');
        offset = t.o;
      } catch {
        return error(res, 400, 'InvalidNextTokenException', 'Invalid NextToken.');
      }
    }
    const list = served.filter(
      (s) =>
        (start === undefined || s.time >= start) &&
        (end === undefined || s.time <= end) &&
        (!attr || matches(s, String(attr.AttributeKey), String(attr.AttributeValue ?? ''))),
    );
    const page = list.slice(offset, offset + max);
    const next = offset + max < list.length ? Buffer.from(JSON.stringify({ o: offset + max, f: fingerprint })).toString('base64') : undefined;
    send(res, 200, {
      Events: page.map((s) => ({
        EventId: s.record.eventID,
        EventName: s.record.eventName,
        ReadOnly: s.record.readOnly === undefined ? undefined : String(s.record.readOnly),
        AccessKeyId: (s.record.userIdentity as Record<string, unknown> | undefined)?.accessKeyId,
        EventTime: s.time / 1000,
        EventSource: s.record.eventSource,
        Username: s.username,
        Resources: s.resources,
        CloudTrailEvent: s.json,
      })),
      NextToken: next,
    });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target.startsWith('CloudTrail_20131101.')) return proxy(req, body, res);
      const op = target.slice('CloudTrail_20131101.'.length);
      const text = body.toString('utf8');
      if (deny.some((d) => d.target === op && (!d.contains || text.includes(d.contains)))) {
        stats.denied++;
        return error(res, 400, 'AccessDeniedException', `User: arn:aws:iam::123456789012:user/test is not authorized to perform: cloudtrail:${op}`);
      }
      if (op !== 'LookupEvents') return proxy(req, body, res);
      let input: Record<string, unknown>;
      try {
        input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        return error(res, 400, 'SerializationException', 'Malformed request body');
      }
      lookup(req, input, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    setRecords: (r) => (served = prepare(r)),
    setDeny: (r) => (deny = r),
    resetStats: () => {
      Object.assign(stats, { lookupRequests: 0, throttled: 0, proxied: 0, denied: 0 });
      windows.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Reads every record of the corpus folder (arrays, `Records` wrappers, single events, JSON Lines). */
export function readCorpusRecords(dir: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const take = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(take);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.Records)) take(o.Records);
      else if (typeof o.eventName === 'string' && typeof o.eventSource === 'string') out.push(o);
    }
  };
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|jsonl)$/.test(e.name) && e.name !== '_index.json') {
        const text = fs.readFileSync(p, 'utf8');
        try {
          take(JSON.parse(text));
        } catch {
          for (const line of text.split('\n')) {
            try {
              if (line.trim()) take(JSON.parse(line));
            } catch {
              // Not a record line.
            }
          }
        }
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * `count` events for LookupEvents built from corpus records (cycled when there are fewer), re-timed one
 * minute apart ending at `newest` and given fresh event IDs, so time-range filters have something to find.
 */
export function recentEventsFromCorpus(corpus: Record<string, unknown>[], count: number, newest = Date.now(), stepMs = 60_000): Record<string, unknown>[] {
  if (!corpus.length) throw new Error('empty corpus');
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const base = corpus[i % corpus.length];
    out.push({
      ...base,
      eventTime: new Date(newest - i * stepMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventID: randomUUID(),
    });
  }
  return out;
}
