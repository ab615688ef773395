/**
 * The parse-file task of the worker pool (src/core/pool/protocol.ts): what ParsePool (src/core/local/pool.ts) asks
 * core/local/parse-task.ts to do for one file, and its reply.
 * Kept in one place so both sides agree; plain data only (structured clone).
 */
import type { DigestInfo, FileKind, Problem } from '../records/types';
import type { TableRows } from '../table/transfer';

/** One file to parse: either a path the worker reads itself, or the bytes (transferred, not copied). */
export interface ParseTask {
  id: number;
  name: string;
  path?: string;
  bytes?: Uint8Array;
  /** Only count: the events are not sent back (eventsJson is empty). */
  countOnly?: boolean;
  /**
   * Send the records back as JSON text (`recordsText`, `recordEnds`) instead of events: the receiving thread then
   * never builds objects it would only serialise again (the combined record viewer wants text).
   */
  asText?: boolean;
  /** Most decompressed bytes of a gzip file (default: the core's DEFAULT_MAX_DECOMPRESSED; issue 14 D4). */
  maxDecompressed?: number;
  /**
   * Send the records back as a piece for the ingest path (src/core/ingest): `recordsText` plus the table rows of
   * those records (`rows`, made here), so the receiving thread fills its table without parsing anything.
   */
  asPieces?: boolean;
}

/**
 * Where a LosslessNumber sat inside event `event` (index in `events`). Structured clone turns class instances into
 * plain objects, so the receiving side puts real LosslessNumber instances back at these places.
 */
export type LosslessRef = [event: number, path: (string | number)[]];

export type ParseReply =
  | {
      id: number;
      ok: true;
      kind: FileKind;
      gzipped: boolean;
      problems: Problem[];
      /**
       * The events as one JSON array text. Measured: JSON.parse on the receiving thread costs about half of what
       * structured-clone deserialisation of the same objects does, and the receiving thread is the extension host.
       * `__proto__` keys survive (JSON.parse defines own properties); LosslessNumbers are put back from `lossless`.
       */
      eventsJson: string;
      /**
       * With `asText`: every record's JSON text (the original text of the file where possible, so numbers and odd
       * keys are exactly as delivered), joined by `,\n` — ready to go between `{"Records":[` and `]}`.
       */
      recordsText?: string;
      /** With `asPieces`, instead of `recordsText`: its UTF-8 bytes (transferred), for the receiver to decode. */
      recordsBytes?: Uint8Array;
      /** `recordsBytes` has one byte per character of the text (ASCII): offsets into either agree. */
      recordsAscii?: boolean;
      /** With `asText`: where each record ends in `recordsText` (exclusive), so a record cap can cut between records. */
      recordEnds?: Uint32Array;
      /** With `asPieces`: the rows of the records, whose texts are cut from `recordsText` (see RecordsPiece; typed arrays transferred). */
      rows?: TableRows;
      count: number;
      lossless: LosslessRef[];
      digest?: DigestInfo;
    }
  | { id: number; ok: false; message: string };
