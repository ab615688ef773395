/**
 * Record viewer core: the indexed, filterable, sortable table model behind the CloudTrail custom editor.
 * Pure TypeScript (no `vscode`), usable from the extension host, a worker or a benchmark.
 *
 * ## API (stable; additions only)
 *
 * ```ts
 * import { RecordTable, COLUMNS, principalOf, digestView } from '../core/table';
 *
 * const table = new RecordTable();
 * table.add(parser.push(chunk));                 // incremental; call for every batch of records
 * table.setView({ text: 'assu', chips: [] }, { column: 'time', descending: true }); // → { matched, total }
 * table.rows(0, 50);                             // → Row[]: { index, cells (COLUMNS order), error, readOnly }
 * table.event(row.index);                        // full record for the detail pane (re-parsed, lossless)
 * ```
 *
 * - `COLUMNS` — catalogue `{ id, title, defaultVisible, width, description }[]` in display order; `rows()`
 *   returns `cells` in this order. `COLUMN_INDEX[id]` gives a column's position.
 * - `principalOf(event)` — the "Who" text (rules documented on the function in columns.ts).
 * - `RecordTable`
 *   - `add(records, sourceText?, sourceOffset = 0)` — appends records. Cost per record: column strings
 *     (interned per column) and the record's text; the parsed `event` object is NOT kept. Its lower-cased
 *     search text is made later: `makeSearchTexts(deadline?, upTo?)` (indexBytes runs it in slices after
 *     indexing), or by the first search that needs it.
 *     The record's text is `record.text` when the record core provides it (it does for every record whose
 *     event is the file's object or a lookup-events `CloudTrailEvent`), else, with `sourceText`, a slice
 *     of it (no copy; pass the decompressed file text and records' `range` offsets index into it, minus
 *     `sourceOffset`), else compact JSON the table serialises once (e.g. normalised legacy/lower-case
 *     records). An active view is updated incrementally (new rows merged in order).
 *   - `size`, `onDidAdd(listener)` (fires after each add; returns an unsubscribe function).
 *   - `setView(filter, sort?)` → `{ matched, total }`, synchronous. `query(filter, sort?, { signal,
 *     onProgress, sliceMs })` → Promise of the same, examining records in ~8 ms slices between which it
 *     yields; aborting rejects with `AbortError` and leaves the previous view. `counts()`.
 *   - `rows(start, count)` → rows of the current view (clamped, never throws for out-of-range pages);
 *     `indexes(start, count)`; `positionOf(index)`; `row(index)`, `cell(index, column)` by table index.
 *   - `recordText(index)` (original JSON slice or compact JSON), `event(index)` (JsonObject, big integers
 *     as LosslessNumber), `range(index)` (TextRange from the parser), `time(index)` (epoch ms or NaN).
 *   - `timeBounds()` → `{ min?, max? }` epoch ms; `distinctValues(column, limit, scope 'all'|'view')` →
 *     `{ value, count }[]`, most frequent first.
 *   - `exportRows()` → `TableRows` (columns, ranges, and the texts that are not the file's slice, as plain data
 *     with transferable typed arrays); `importRows(rows, source?, shift?)` appends them, cutting the other texts
 *     from `source` (the file's text; at `rows.textStarts` when given, else at their ranges). `new RecordTable({
 *     keepText: false })` keeps no file-slice texts: a table built only to be exported (the indexing worker's).
 *     `RowsBuilder` (rows.ts) makes `TableRows` from events without a table (the parse-file task's pieces).
 *   - `buildSearchIndex(deadline?, upTo?)` → true when every row (below `upTo`) is in the search index, which
 *     has two parts: each row's signature, 256 bytes of character-pair bits (pairs.ts) that let the quick filter
 *     skip rows that cannot match and answer one- and two-character needles without reading text; and the token
 *     index (tokens.ts), which answers any needle without `"`, brackets, commas or control characters from a
 *     dictionary of the file's distinct tokens and each row's list of them. `setSearchIndex(first, words)` takes
 *     signatures computed elsewhere; `searchIndexed`; `searchIndexStats()`. Results never depend on the index,
 *     only speed.
 *   - `compactTexts(deadline?, upTo?)` → true when every row (below `upTo`) is done: plain-ASCII rows drop their
 *     original text and keep a case patch (case-patch.ts), from which `recordText`/`event` rebuild it exactly
 *     out of the lower-case search text; `textsCompacted`. Only memory depends on it.
 * - `indexBytes(bytes, table, options)` (indexer.ts) — indexes a whole file in slices; a big `{"Records":[…]}`
 *   log is shared in chunks with a worker thread (an index-chunks task of the worker pool, src/core/pool); same result as one thread.
 *   Its result's `searchIndex` promise settles once the search index is built and the texts are compacted (in
 *   slices, after indexing).
 * - `digestRows(info)` / `digestView(info)` — rows (object, hash, algorithm, oldest/newest time) of a
 *   digest file's `logFiles`, plus the digest's header facts.
 *
 * ## Filter semantics
 *
 * - `text`: case-insensitive substring over the record's whole JSON text — every value, nested ones
 *   included (e.g. an IP inside requestParameters), and the field names, so `"errorCode":"AccessDenied"`
 *   style queries work too. It is the record's JSON as the file has it (compact JSON only when the table
 *   serialised it), so characters that JSON escapes (`"`, `\`, control characters) must be typed in their
 *   escaped form, and in a pretty-printed file `"key": "value"` has the file's spacing.
 * - `chips`: compared with the exact cell text (as shown in `rows()`). Chips on DIFFERENT columns are
 *   ANDed. Several "only" chips on the SAME column are ORed (eventName is A or B); "exclude" chips remove
 *   values; a column with both keeps the "only" values minus the excluded ones.
 * - `from` / `to`: inclusive, epoch ms; records without a readable `eventTime` are hidden while set.
 * - `only`: a row set (`only[i] === 1` keeps table index i; records added later are out), ANDed with the rest;
 *   the identity trace uses it to show one node's records.
 * - Sorting is stable (ties keep file order); `time` sorts chronologically, others case-insensitively;
 *   empty values and records without a time sort last in both directions. Default: time, newest first.
 *
 * ## Storage design (memory ≤ 3 × file size)
 *
 * Per record: one code (Uint32) per column into a per-column dictionary of interned, sanitised cell
 * strings (a raw value → code map means each distinct value is sanitised once); time as Float64; text
 * offsets/lines; the record's JSON text (see `add`: the parser's own slice — kept as it is, sharing the
 * parser's decoded chunk, which costs about the text's size in total — a slice of the caller's source
 * text, or compact JSON); and its lower-cased copy, searched with indexOf, made after indexing (lower-casing
 * while indexing made it about 10 % slower). When a batch's texts are slices of one string (the record core
 * marks its batches so; so are the worker's rows), the batch is lower-cased in one call and each record
 * searches its slice of that: far cheaper than a call per record, and a few big strings instead of
 * thousands of small ones for the garbage collector. The parsed objects are dropped after `add` (they cost
 * several times the text), and the detail pane re-parses one record on demand.
 *
 * The text filter keeps, per record, where the needle first matched (or a lower bound of it). Typing that
 * extends the previous needle (or any recent needle contained in the new one) only re-tests the records that
 * matched it, and starts at the earlier match, so each further keystroke usually costs one comparison per
 * candidate; the results of the last 24 needles are kept, so backspace is instant. A needle that shares
 * nothing with a recent one is one pass over the text (about 40–60 ms per 100 MB) until the search index is
 * built. Then:
 * - a needle of one or two letters, digits or common punctuation is answered from the signatures alone;
 * - a needle that can only occur inside one JSON token (tokens.ts explains why that is exact) is looked up in
 *   the dictionary of distinct tokens (on the bench file about 6 MB of text for 58 MB of values), then each
 *   record is answered from its token ids and its set of field names: a few milliseconds for any such needle;
 * - any other needle (with `"`, `{`, `,`…) reads only the records whose signature holds every character pair.
 * Both parts are built after indexing, in slices (the worker thread of a two-thread index builds them for its
 * rows). On the 100 MB bench file the table holds about 2.1 × the file size in total (after compaction), the
 * signatures 0.22 × and the token index 0.2 × of it. A file of mostly one-off values would make the token
 * dictionary as big as its text: the token index then stops taking rows (it closes) and the rest are searched
 * through their signatures.
 *
 * Cell text is display-safe: bidi and control characters are replaced by visible stand-ins and cells are
 * cut at MAX_CELL_LENGTH characters (the full value stays searchable and is in `event()`).
 */
export {
  COLUMNS,
  COLUMN_IDS,
  COLUMN_INDEX,
  MAX_CELL_LENGTH,
  NO_PRINCIPAL,
  displayCell,
  isColumnId,
  parseUtc,
  principalOf,
  rawCells,
  readOnlyOf,
  resourcesSummary,
  timeOf,
  valueText,
} from './columns';
export type { ColumnId, ColumnInfo } from './columns';
export { RecordTable, TableView, DEFAULT_SORT, EMPTY_FILTER } from './table';
export type { Chip, Filter, QueryOptions, Row, Sort, RowsSource, TableOptions, TableRows, ViewCounts } from './table';
export { digestRows, digestView } from './digest';
export { RowsBuilder } from './rows';
export { rowsTransfer } from './transfer';
export type { DigestRow, DigestView } from './digest';
