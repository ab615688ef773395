export { parseLossless, stringifyJson, minifyJson, numberFromText, isLosslessNumber, setOwn, JsonSyntaxError } from './lossless';
export { nestingTooDeepAt, TREE_MAX_NESTING } from './nesting';
