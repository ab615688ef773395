/**
 * Tiny DOM builders. Every piece of text goes through textContent: event data never reaches an HTML parser
 * (the unit test `noHtmlSinks` greps this folder for the APIs that would).
 */
import { isBidiControl, markBidi } from './text';

export type Child = Node | string | undefined | null | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; title?: string; attrs?: Record<string, string> } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A codicon glyph (font from out/media/codicon.css). */
export function icon(name: string): HTMLElement {
  const el = document.createElement('span');
  el.className = `codicon codicon-${name}`;
  el.setAttribute('aria-hidden', 'true');
  return el;
}

/** Appends `text` with bidi and other hidden control characters replaced by visible, styled markers. */
export function appendMarked(parent: HTMLElement, text: string): void {
  for (const piece of markBidi(text)) {
    if (piece.marker) {
      const m = document.createElement('span');
      m.className = 'bidi';
      m.textContent = piece.text;
      const code = piece.text.slice(3, -1); // ⟪U+202E⟫ → 202E
      m.title = `${isBidiControl(String.fromCharCode(parseInt(code, 16))) ? 'Bidirectional' : 'Invisible'} control character U+${code} (shown, not applied)`;
      parent.append(m);
    } else {
      parent.append(document.createTextNode(piece.text));
    }
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function iconButton(iconName: string, label: string, onClick: (e: MouseEvent) => void, text?: string): HTMLButtonElement {
  const b = h('button', { class: text ? 'btn' : 'icon-btn', title: label, attrs: { 'aria-label': label, type: 'button' } }, icon(iconName));
  if (text) b.append(h('span', {}, text));
  b.addEventListener('click', onClick);
  return b;
}
