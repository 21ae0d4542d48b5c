import { el } from "../dom.js";

// The header a tool view opens with: its title (`${name}-title`, which labels the view), a line
// on what it is for, and Close (Esc) as `${name}-close`.
export function viewHeader(name, title, subtitle, onClose, className = "merge-header") {
  return el("header", { className },
    el("div", {},
      el("h1", { id: `${name}-title`, className: "view-title" }, title),
      el("p", { className: "view-subtitle" }, subtitle)),
    el("button", { id: `${name}-close`, type: "button", className: "button", title: "Close (Esc)", onclick: onClose }, "Close"));
}
