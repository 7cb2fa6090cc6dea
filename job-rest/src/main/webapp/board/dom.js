// Building DOM nodes. Every text goes in through textContent, never innerHTML: job types, payloads,
// reasons and errors are written by API callers, and the page holds a bearer token worth stealing.

/**
 * h('a', {href: '#/x', class: 'row'}, 'text', child) -> element. Attributes whose value is null,
 * undefined or false are left out; true sets an empty attribute; 'on*' functions become listeners.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Replaces every child of `element` with `children` (nodes, strings, arrays; null skipped). */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** The element with this id; fails loudly when the page and the script disagree. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}
