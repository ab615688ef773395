/**
 * What the record viewer shows beside the table: the timeline, field counts, the identity trace and export.
 * Pure functions over the table's rows (no `vscode`): the viewer's host computes them from the table's columns
 * and sends the webview only what it draws.
 */
export { BUCKET_SIZES, DEFAULT_MAX_BARS, bucketRange, chooseBucket, dragRange, formatUtc, histogram, parseTimeInput, summarise } from './timeline';
export type { Histogram, HistogramInput, TimeInput } from './timeline';
export { countCodes, countValues, parsePath, valuesAtPath } from './counts';
export type { FieldCounts, ValueCount } from './counts';
export { ISSUING_EVENTS, TraceIndex, issued } from './trace';
export type { LinkKind, Trace, TraceNode, TraceSource, TraceStep } from './trace';
export { ByteSink, EXPORT_FORMATS, compactJsonText, csvField, exportChunks } from './export';
export type { ExportFormat, ExportSource } from './export';
