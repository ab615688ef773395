export { parseLossless, stringifyJson, numberFromText, isLosslessNumber, setOwn, JsonSyntaxError } from './lossless';
