/**
 * Asking before something that can't be undone, inside the page: a modal <dialog> with the
 * question, Cancel (focused, and what Esc does) and the action's own button. Not
 * `window.confirm`: Tauri's dialog plugin replaces it with an async function, so
 * `if (!confirm(…))` neither waited nor asked, and the action always went ahead.
 */

import { el } from "./dom.js";

/** Resolves to true when the user presses `action`, false on Cancel or Esc. */
export function confirmAction(question, { detail = "", action = "Delete" } = {}) {
  return new Promise((resolve) => {
    const dialog = el("dialog", { id: "confirm", className: "confirm", "aria-labelledby": "confirm-question",
      // The app's shortcuts wait while the question is open.
      onkeydown: (e) => e.stopPropagation(),
      onclose: () => {
        dialog.remove();
        resolve(dialog.returnValue === "yes");
      } },
    el("form", { method: "dialog" },
      el("p", { id: "confirm-question", className: "confirm-question" }, question),
      detail && el("p", { className: "confirm-detail" }, detail),
      el("div", { className: "confirm-actions" },
        el("button", { id: "confirm-cancel", type: "submit", value: "no", className: "button" }, "Cancel"),
        el("button", { id: "confirm-ok", type: "submit", value: "yes", className: "button danger" }, action))));
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("#confirm-cancel").focus();
  });
}
