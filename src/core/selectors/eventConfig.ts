/**
 * PutEventConfiguration settings where a template sets them next to the selectors: `MaxEventSize`,
 * `ContextKeySelectors` (enriched events) and `AggregationConfigurations`. The rules are those of the CloudTrail
 * API reference and the CloudFormation resource reference:
 * - MaxEventSize is `Standard` or `Large`; with context key selectors it must be `Large`.
 * - At most 2 context key selectors; Type is `RequestContext` or `TagContext`; Equals holds 1–50 keys of
 *   1–128 characters.
 * - Aggregation: Templates from `API_ACTIVITY`, `RESOURCE_ACCESS`, `USER_ACTIONS`; EventCategory `Data`.
 * - The API describes context key selectors for event data stores and aggregation for trails.
 * Unknown values (intrinsic functions) are never reported.
 */
import type { EEntry, EVal, EmbeddedResource } from './embedded';
import type { SelectorDiagnostic, SelectorSeverity } from './types';
import type { LineIndex } from './document';

export const EVENT_CONFIG_KEYS = ['MaxEventSize', 'ContextKeySelectors', 'AggregationConfigurations'];
export const MAX_EVENT_SIZES = ['Standard', 'Large'];
export const CONTEXT_KEY_TYPES = ['RequestContext', 'TagContext'];
export const AGGREGATION_TEMPLATES = ['API_ACTIVITY', 'RESOURCE_ACCESS', 'USER_ACTIONS'];
export const AGGREGATION_CATEGORIES = ['Data'];

/** Codes this module emits (kept apart from the selector validator's list). */
export const EVENT_CONFIG_CODES: Record<string, string> = {
  'event-size-value': 'MaxEventSize is not Standard or Large.',
  'event-size-context': 'Context key selectors need MaxEventSize Large.',
  'context-key-count': 'More than 2 context key selectors.',
  'context-key-type': 'A context key selector Type is not RequestContext or TagContext.',
  'context-key-values': 'A context key selector has no Equals, more than 50 keys, or a key outside 1–128 characters.',
  'aggregation-template': 'An aggregation template is not API_ACTIVITY, RESOURCE_ACCESS or USER_ACTIONS.',
  'aggregation-category': 'An aggregation EventCategory is not Data.',
  'event-config-target': 'A setting the API describes for the other kind of resource.',
};

const DOCS: Record<string, string> = {
  MaxEventSize: '**MaxEventSize** (PutEventConfiguration): the largest event the event data store keeps, `Standard` or `Large`. With context key selectors it must be `Large`.',
  ContextKeySelectors: '**ContextKeySelectors** (PutEventConfiguration): up to 2 selectors of request-context or tag keys to add to enriched events in an event data store. Each has `Type` (`RequestContext` or `TagContext`) and `Equals` (1–50 keys). Needs `MaxEventSize: Large`.',
  AggregationConfigurations: '**AggregationConfigurations** (PutEventConfiguration): event aggregation for a trail. Each has `EventCategory` (`Data`) and `Templates` (`API_ACTIVITY`, `RESOURCE_ACCESS`, `USER_ACTIONS`).',
  Type: '**Type**: which record field the keys come from: `RequestContext` or `TagContext`.',
  Equals: '**Equals**: the keys (of the chosen Type) to include in enriched events; 1–50 keys of 1–128 characters.',
  Templates: '**Templates**: aggregation templates, any of `API_ACTIVITY`, `RESOURCE_ACCESS`, `USER_ACTIONS`.',
  EventCategory: '**EventCategory**: the event category to aggregate; only `Data`.',
};

function entries(v: EVal | undefined): EEntry[] {
  return v?.t === 'map' ? v.entries : [];
}
function find(v: EVal | undefined, key: string): EEntry | undefined {
  return entries(v).find((e) => e.key === key);
}

/** Diagnostics for a resource's event configuration settings, in source offsets. */
export function checkEventConfiguration(r: EmbeddedResource, lines: LineIndex): SelectorDiagnostic[] {
  const out: SelectorDiagnostic[] = [];
  const add = (code: string, severity: SelectorSeverity, message: string, start: number, end: number) => {
    const a = lines.position(start);
    const b = lines.position(end);
    out.push({ code, severity, message, offset: start, length: end - start, line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
  };
  const props = r.extra ?? [];
  const get = (k: string) => props.find((e) => e.key === k);
  const size = get('MaxEventSize');
  const ctx = get('ContextKeySelectors');
  const agg = get('AggregationConfigurations');
  if (size?.value.t === 'str' && !MAX_EVENT_SIZES.includes(size.value.value)) {
    add('event-size-value', 'error', `MaxEventSize must be Standard or Large, not ${JSON.stringify(size.value.value)}.`, size.value.start, size.value.end);
  }
  if (ctx) {
    if (r.target === 'trail') {
      add('event-config-target', 'warning', 'Context key selectors (enriched events) are an event data store setting; CloudTrail documents them for event data stores, not trails.', ctx.keyStart, ctx.keyEnd);
    }
    const list = ctx.value.t === 'list' ? ctx.value.items : [];
    if (list.length > 0 && size?.value.t === 'str' && size.value.value !== 'Large') {
      add('event-size-context', 'error', 'With context key selectors MaxEventSize must be Large.', size.value.start, size.value.end);
    } else if (list.length > 0 && !size) {
      add('event-size-context', 'error', 'With context key selectors MaxEventSize must be Large: add MaxEventSize: Large.', ctx.keyStart, ctx.keyEnd);
    }
    if (list.length > 2) add('context-key-count', 'error', `At most 2 context key selectors are allowed; this has ${list.length}.`, ctx.keyStart, ctx.keyEnd);
    for (const item of list) {
      if (item.t !== 'map') continue;
      const type = find(item, 'Type');
      if (type?.value.t === 'str' && !CONTEXT_KEY_TYPES.includes(type.value.value)) {
        add('context-key-type', 'error', `Type must be RequestContext or TagContext, not ${JSON.stringify(type.value.value)}.`, type.value.start, type.value.end);
      }
      const eq = find(item, 'Equals');
      if (!eq) add('context-key-values', 'error', 'A context key selector needs Equals: the keys to include (1–50).', item.start, Math.min(item.end, item.start + 1));
      else if (eq.value.t === 'list') {
        if (!eq.value.items.length || eq.value.items.length > 50) {
          add('context-key-values', 'error', `Equals holds 1 to 50 keys; this has ${eq.value.items.length}.`, eq.keyStart, eq.keyEnd);
        }
        for (const k of eq.value.items) {
          if (k.t === 'str' && (k.value.length < 1 || k.value.length > 128)) add('context-key-values', 'error', 'A context key is 1 to 128 characters long.', k.start, k.end);
        }
      }
    }
  }
  if (agg) {
    if (r.target === 'event-data-store') {
      add('event-config-target', 'warning', 'Aggregation configurations are a trail setting; CloudTrail documents them for trails, not event data stores.', agg.keyStart, agg.keyEnd);
    }
    for (const item of agg.value.t === 'list' ? agg.value.items : []) {
      const cat = find(item, 'EventCategory');
      if (cat?.value.t === 'str' && !AGGREGATION_CATEGORIES.includes(cat.value.value)) {
        add('aggregation-category', 'error', `EventCategory for aggregation must be Data, not ${JSON.stringify(cat.value.value)}.`, cat.value.start, cat.value.end);
      }
      const templates = find(item, 'Templates');
      for (const t of templates?.value.t === 'list' ? templates.value.items : []) {
        if (t.t === 'str' && !AGGREGATION_TEMPLATES.includes(t.value)) {
          add('aggregation-template', 'error', `Aggregation templates are API_ACTIVITY, RESOURCE_ACCESS or USER_ACTIONS, not ${JSON.stringify(t.value)}.`, t.start, t.end);
        }
      }
    }
  }
  return out;
}

/** Hover for a key of the event configuration settings at `offset`, if any. */
export function hoverEventConfiguration(r: EmbeddedResource, offset: number): { markdown: string; offset: number; length: number } | undefined {
  const walk = (es: EEntry[], depth: number): { markdown: string; offset: number; length: number } | undefined => {
    for (const e of es) {
      if (e.keyStart <= offset && offset <= e.keyEnd && (depth > 0 || EVENT_CONFIG_KEYS.includes(e.key)) && DOCS[e.key]) {
        return { markdown: DOCS[e.key], offset: e.keyStart, length: e.keyEnd - e.keyStart };
      }
      if (depth === 0 && !EVENT_CONFIG_KEYS.includes(e.key)) continue;
      const items = e.value.t === 'list' ? e.value.items : [e.value];
      for (const it of items) {
        const h = it.t === 'map' ? walk(it.entries, depth + 1) : undefined;
        if (h) return h;
      }
    }
    return undefined;
  };
  return walk(r.extra ?? [], 0);
}
