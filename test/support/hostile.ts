/**
 * Generates CloudTrail logs whose field values try to break out of the viewer: markup, inline handlers,
 * `javascript:` URLs, bidi overrides, a very long string, very deep nesting and prototype-polluting keys.
 * Each payload, if it ever ran, would set `window.__pwned`, post a message or change the page title, so a test
 * can prove that nothing ran. Used by the viewer's unit, integration and e2e tests.
 */

/** Code a successful injection would run. */
export const PWN_JS = "window.__pwned=1;document.title='PWNED';try{acquireVsCodeApi().postMessage({type:'pwned'})}catch(e){parent.postMessage('pwned','*')}";

export const HOSTILE_STRINGS = {
  script: `<script>${PWN_JS}</script>`,
  img: `<img src=x onerror="${PWN_JS}">`,
  svg: `<svg onload="${PWN_JS}"></svg>`,
  jsUrl: `javascript:${PWN_JS}`,
  anchor: `<a href="javascript:${PWN_JS}">click</a>`,
  styleBreak: `</style><style>*{display:none}</style>`,
  /** "exe.txt" made to read as "txt.exe" by a right-to-left override. */
  bidi: 'invoice\u202Etxt.exe',
  isolate: 'a\u2066b\u2069c\u200Ed\u200Fe\u061Cf',
} as const;

export const LONG_STRING_LENGTH = 200_000;
export const DEEP_NESTING = 400;

function deep(levels: number): unknown {
  let v: unknown = { bottom: HOSTILE_STRINGS.script };
  for (let i = 0; i < levels; i++) v = { [`level${levels - i}`]: v };
  return v;
}

/** The events of the hostile log, in file order (as objects; keys like `__proto__` are added as own keys). */
export function hostileEvents(): Record<string, unknown>[] {
  const base = (i: number, extra: Record<string, unknown>) => ({
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::111122223333:user/${HOSTILE_STRINGS.img}`,
      accountId: '111122223333',
      userName: i === 0 ? HOSTILE_STRINGS.script : i === 1 ? HOSTILE_STRINGS.bidi : `user${i}`,
    },
    eventTime: `2024-05-01T12:0${i}:00Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: i === 0 ? HOSTILE_STRINGS.img : i === 1 ? HOSTILE_STRINGS.svg : `Hostile${i}`,
    awsRegion: 'us-east-1',
    sourceIPAddress: i === 2 ? HOSTILE_STRINGS.jsUrl : '198.51.100.7',
    userAgent: HOSTILE_STRINGS.anchor,
    errorCode: i === 3 ? HOSTILE_STRINGS.styleBreak : undefined,
    requestParameters: null,
    responseElements: null,
    eventID: `00000000-0000-0000-0000-00000000000${i}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    ...extra,
  });
  return [
    base(0, {}),
    base(1, { requestParameters: { fileName: HOSTILE_STRINGS.bidi, isolate: HOSTILE_STRINGS.isolate } }),
    base(2, { requestParameters: { huge: 'A'.repeat(LONG_STRING_LENGTH - 10) + '<b>END</b>' } }),
    base(3, { requestParameters: deep(DEEP_NESTING) }),
    base(4, { resources: [{ ARN: HOSTILE_STRINGS.anchor, type: HOSTILE_STRINGS.script }] }),
  ];
}

/**
 * The hostile log as text. `__proto__`, `constructor` and `prototype` keys are spliced into the JSON text
 * (JSON.stringify of an object literal would drop a `__proto__` key).
 */
export function hostileLogText(): string {
  const records = hostileEvents().map((e) => JSON.stringify(e));
  const proto =
    '"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}},"toString":"<script>x</script>",';
  records[0] = '{' + proto + records[0].slice(1);
  records[4] = records[4].replace('"eventVersion"', '"__proto__":"' + 'not an object' + '","eventVersion"');
  return `{"Records":[\n${records.join(',\n')}\n]}\n`;
}
