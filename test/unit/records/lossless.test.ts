import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseLossless, JsonSyntaxError } from '../../../src/core/json';
import { parseText, stringifyJson, LosslessNumber, JsonValue } from '../../../src/core/records';

describe('stringifyJson', () => {
  test('matches JSON.stringify for ordinary values, any indent', () => {
    const v = { a: 1, b: [true, false, null, 'x"y\\z\n', { c: -0.5, d: [] , e: {} }], f: 'é😀', g: 1e21, h: 0 };
    for (const indent of [undefined, 0, 2, 4]) {
      assert.equal(stringifyJson(v as unknown as JsonValue, indent), JSON.stringify(v, null, indent));
    }
  });
  test('long numbers come back byte for byte', () => {
    const text = '{"id":123456789012345678901234567890,"m":9007199254740993,"neg":-18446744073709551617,"d":0.12345678901234567890123,"ok":9007199254740991,"e":1.5e+300}';
    const v = parseLossless(text);
    assert.equal(stringifyJson(v), text);
    assert.ok((v as Record<string, unknown>).id instanceof LosslessNumber);
    assert.equal((v as Record<string, unknown>).ok, 9007199254740991);
    // And through the record core: a record shown/copied keeps its digits.
    const r = parseText(`{"Records":[{"eventName":"X","requestParameters":${text}}]}`);
    assert.equal(stringifyJson(r.records[0].event.requestParameters), text);
    assert.match(stringifyJson(r.records[0].event, 2), /"id": 123456789012345678901234567890/);
  });
  test('__proto__ survives a round trip as data', () => {
    const v = parseLossless('{"__proto__":{"polluted":1},"a":{"__proto__":[1]}}');
    assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(stringifyJson(v), '{"__proto__":{"polluted":1},"a":{"__proto__":[1]}}');
  });
});

describe('parseLossless', () => {
  test('agrees with JSON.parse on valid input', () => {
    const samples = ['{}', '[]', '0', '-1.5e-7', '"\\u0041\\n"', '{"a":[1,{"b":null}],"c":"d"}', ' [ 1 , 2 ] ', 'true'];
    for (const s of samples) assert.deepEqual(parseLossless(s), JSON.parse(s));
  });
  test('rejects what JSON.parse rejects, with an offset', () => {
    const bad = ['{', '{"a":1,}', '[1 2]', '{"a" 1}', '01', '"abc', '{"a":tru}', '[1,]', '"\u0001"', '{} x', ''];
    for (const s of bad) {
      assert.throws(() => JSON.parse(s));
      assert.throws(() => parseLossless(s), (e: unknown) => e instanceof JsonSyntaxError && e.offset >= 0 && e.offset <= s.length, s);
    }
  });
  test('deep nesting does not overflow the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    let v = parseLossless(deep);
    let d = 0;
    while (Array.isArray(v) && v.length) {
      v = v[0];
      d++;
    }
    assert.equal(d, 199_999);
    // Writing it back is refused loudly (never cut to null silently).
    assert.throws(() => stringifyJson(parseLossless(deep)), (e: unknown) => e instanceof RangeError && /too deep/.test(e.message));
  });
});
