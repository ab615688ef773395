/** The selector core: catalogue, document detection, validation, completion, hover, evaluation, conversion. */
export * from './catalogue';
export * from './types';
export { detectSelectorDocument, readSelectorDocument, LineIndex, SELECTORS_FILE_SUFFIX, type DetectedDocument, type SelectorDocumentKind } from './document';
export { analyze, validate, applyTextEdits, convertBasicFix, selectorsFromText, DIAGNOSTIC_CODES, type Analysis } from './validate';
export { evaluate, matchSelector, matchFieldSelector, eventFieldValues, eventCategoryOf, dryRun, type AdvancedSelectorLike, type FieldSelectorLike, type DryRunSummary } from './evaluate';
export { toAdvanced, type BasicSelectorLike } from './convert';
export { complete, hover, resourceTypeDoc, arnSnippet, type SelectorCompletion, type SelectorHover, type CompletionKind } from './complete';
