/**
 * Converts basic event selectors (`EventSelectors`) to advanced ones that log the same events
 * (reference §6): management events become one `Management` selector, each data resource one `Data`
 * selector; `ReadWriteType` becomes `readOnly`; an ARN prefix such as `arn:aws:s3` means "every resource".
 */
import type { AdvancedSelectorLike, FieldSelectorLike } from './evaluate';

export interface BasicSelectorLike {
  ReadWriteType?: string;
  IncludeManagementEvents?: boolean;
  DataResources?: { Type?: string; Values?: string[] }[];
  ExcludeManagementEventSources?: string[];
}

/** `arn:aws:s3`, `arn:aws-cn:lambda`, … — the whole-service prefix that basic selectors use for "all". */
const ALL_RESOURCES = /^arn:[a-z-]+:[a-z0-9-]+:?$/;

function readOnlyFor(rw: string | undefined): FieldSelectorLike[] {
  if (rw === 'ReadOnly') return [{ Field: 'readOnly', Equals: ['true'] }];
  if (rw === 'WriteOnly') return [{ Field: 'readOnly', Equals: ['false'] }];
  return [];
}

const SHORT: Record<string, string> = {
  'AWS::S3::Object': 'S3',
  'AWS::Lambda::Function': 'Lambda',
  'AWS::DynamoDB::Table': 'DynamoDB',
};

function rwLabel(rw: string | undefined): string {
  return rw === 'ReadOnly' ? 'read-only ' : rw === 'WriteOnly' ? 'write-only ' : '';
}

export function toAdvanced(basic: readonly BasicSelectorLike[]): AdvancedSelectorLike[] {
  const out: AdvancedSelectorLike[] = [];
  const seen = new Set<string>();
  const push = (s: AdvancedSelectorLike) => {
    const key = JSON.stringify(s.FieldSelectors);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  for (const b of basic) {
    if (!b || typeof b !== 'object') continue;
    const rw = b.ReadWriteType;
    if (b.IncludeManagementEvents !== false) {
      const fs: FieldSelectorLike[] = [{ Field: 'eventCategory', Equals: ['Management'] }, ...readOnlyFor(rw)];
      const excluded = (b.ExcludeManagementEventSources ?? []).filter((s) => typeof s === 'string');
      if (excluded.length) fs.push({ Field: 'eventSource', NotEquals: excluded });
      push({ Name: `Log ${rwLabel(rw)}management events`, FieldSelectors: fs });
    }
    for (const dr of b.DataResources ?? []) {
      if (!dr || typeof dr.Type !== 'string') continue;
      const values = (dr.Values ?? []).filter((v) => typeof v === 'string');
      // Basic selectors require 1–250 values; an empty list logs nothing, so nothing to convert.
      if (!values.length) continue;
      const fs: FieldSelectorLike[] = [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: [dr.Type] },
        ...readOnlyFor(rw),
      ];
      const label = SHORT[dr.Type] ?? dr.Type;
      if (!values.some((v) => ALL_RESOURCES.test(v))) {
        // S3 values are prefixes (bucket/ or bucket/prefix); Lambda and DynamoDB values are exact ARNs.
        fs.push(dr.Type === 'AWS::S3::Object' ? { Field: 'resources.ARN', StartsWith: values } : { Field: 'resources.ARN', Equals: values });
        push({ Name: `Log ${rwLabel(rw)}${label} data events for selected resources`, FieldSelectors: fs });
      } else {
        push({ Name: `Log all ${rwLabel(rw)}${label} data events`, FieldSelectors: fs });
      }
    }
  }
  return out;
}
