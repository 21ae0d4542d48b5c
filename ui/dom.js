/**
 * Tiny DOM builder. Nodes are made with createElement and text nodes, never parsed from
 * HTML, so contact data can't inject markup and the app runs under a strict CSP.
 */

// The *HTML properties would parse markup; a style string is an inline style the CSP blocks.
const isForbidden = (key) => key === "style" || key.endsWith("HTML");

/**
 * el("button", { id: "save", className: "button", onclick: fn, dataset: { id } }, "Save")
 * Props: `onxxx` functions become listeners, `dataset` is merged, known DOM properties are
 * assigned (value, checked, hidden…), anything else becomes an attribute (aria-*, for…).
 * null/undefined/false props and children are skipped; strings become text nodes.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  // Children first, so a <select>'s `value` can pick one of its options.
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (isForbidden(key)) throw new Error(`el(): "${key}" is not allowed`);
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (/^on[a-z]+$/.test(key)) node.addEventListener(key.slice(2), value);
    else if (key in node && !key.includes("-")) node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return node;
}

/** Removes every child of `node` and returns it. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform);

/** The shortcut as this platform writes it: "Ctrl+S", or "⌘S" on macOS. */
export function shortcut(key) {
  return IS_MAC ? `⌘${key}` : `Ctrl+${key}`;
}
