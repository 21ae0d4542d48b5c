import { el } from "../dom.js";

// The header a tool view opens with: its title (`${name}-title`, which labels the view), a line
// on what it is for, and Close (Esc) as `${name}-close`. The full-height Letters and Email views
// pass "merge-header", which pads it to their columns; the others line it up with their content.
export function viewHeader(name, title, subtitle, onClose, className = "view-header") {
  return el("header", { className },
    el("div", {},
      el("h1", { id: `${name}-title`, className: "view-title" }, title),
      el("p", { className: "view-subtitle" }, subtitle)),
    el("button", { id: `${name}-close`, type: "button", className: "button", title: "Close (Esc)", onclick: onClose }, "Close"));
}
