/** D14: user data reaching notifications and Markdown hovers/tooltips never forms a link. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeUserText, safeMessage } from '../../../src/core/userText';
import { hover } from '../../../src/core/selectors';

// VS Code's notification link pattern (src/vs/base/common/linkedText.ts, same shape): [label](target).
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const hostile = [
  '[Fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22calc%22%7D)',
  'key `[x](command:a)` and [y] (command:b) and <command:c>',
  'my-bucket/[click](file:///etc/passwd).json.gz',
  '{"Field": "[a](command:x)", "Equals": ["**b**"]}',
];

test('message sink: no notification link survives; the text reads the same', () => {
  for (const s of hostile) {
    const out = safeMessage(s);
    assert.equal(out.match(NOTIFICATION_LINK), null, out);
    assert.equal(out.replace(/\u200b/g, ''), s);
    assert.equal(escapeUserText(s, 'message'), out);
  }
  assert.ok(NOTIFICATION_LINK.test(hostile[0]), 'the pattern does match the raw text');
});

test('markdown sink: every Markdown special character is escaped', () => {
  for (const s of hostile) {
    const out = escapeUserText(s, 'markdown');
    assert.doesNotMatch(out, /(^|[^\\])[[\]()<>`*]/, out);
    assert.equal(out.replace(/\\(.)/g, '$1'), s);
  }
});

test('selector hover for an unknown resource type shows it escaped', () => {
  const t = JSON.stringify([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['[x](command:evil)'] }] }]);
  const h = hover(t, t.indexOf('[x]') + 1);
  assert.ok(h);
  assert.ok(h.markdown.includes('\\[x\\]\\(command\\:evil\\)'), h.markdown);
});
