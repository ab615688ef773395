export { parseLossless, stringifyJson, minifyJson, numberFromText, isLosslessNumber, setOwn, JsonSyntaxError } from './lossless';
