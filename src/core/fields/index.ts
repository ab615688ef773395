/**
 * Field documentation for CloudTrail records and digest files, shared by the JSON hovers, the record viewer's
 * detail pane and the CLI. Pure TypeScript (no `vscode`).
 */
export type { FieldDoc, DocKind } from './docs';
export {
  lookupField,
  lookupDigestField,
  describeValue,
  hoverMarkdown,
  hoverPlain,
  isFreeFormPath,
  allFieldDocs,
  type FieldPath,
} from './lookup';
export { eventPathAt, stripContainer, TREE_SIZE_LIMIT, type PathAt, type Primitive } from './paths';
