/** Result types of the selector core, shaped so both the CLI and the VS Code adapters can use them. */
import type { Target } from './catalogue';

export type SelectorSeverity = 'error' | 'warning' | 'info' | 'hint';

/** A replacement of `length` UTF-16 code units at `offset` (in the text that was analysed). */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface SelectorFix {
  title: string;
  edits: TextEdit[];
  /** The fix most likely wanted (VS Code's "preferred" quick fix). */
  preferred?: boolean;
}

export interface SelectorDiagnostic {
  /** Stable identifier, e.g. `category-missing`; listed in {@link DIAGNOSTIC_CODES}. */
  code: string;
  severity: SelectorSeverity;
  /** What is wrong and what to do about it. */
  message: string;
  offset: number;
  length: number;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixes?: SelectorFix[];
}

export interface ValidateOptions {
  /** Target to assume when the document does not name one (setting / toggle / CLI flag). Default `trail`. */
  target?: Target;
  /** The trail's log bucket, when known from outside the document (setting). */
  logBucket?: string;
  /** File name, for the `*.selectors.json` rule. */
  fileName?: string;
}
