/**
 * The Trash view: trashed contacts, each with a Restore button. Restoring is done by the
 * app (`onRestore(row)`) so it can go on the undo stack; the app then calls `refresh()`.
 */

import { listTrash } from "../api.js";
import { el } from "../dom.js";
import { formatTimestamp } from "./contact.js";

export function createTrashView({ onRestore, onClose, onError }) {
  const summary = el("p", { className: "view-subtitle" });
  const list = el("ul", { className: "trash-list", "aria-label": "Trashed contacts" });
  const element = el("section", { className: "trash-view" },
    el("header", { className: "view-header" },
      el("div", {},
        el("h1", { className: "view-title" }, "Trash"),
        summary),
      el("button", { type: "button", className: "button", title: "Close (Esc)", onclick: onClose }, "Close")),
    list);

  function rowElement(row) {
    const restore = el("button", { type: "button", className: "button restore", title: `Restore “${row.displayName}”`,
      onclick: async () => {
        restore.disabled = true;
        await onRestore(row);
        restore.disabled = false;
      } }, "Restore");
    const meta = [row.company, row.deletedAt && `Deleted ${formatTimestamp(row.deletedAt)}`].filter(Boolean).join(" · ");
    return el("li", { className: "trash-row", dataset: { id: row.id } },
      el("div", { className: "trash-main" },
        el("div", { className: "trash-name" }, row.displayName),
        el("div", { className: "trash-meta" }, meta)),
      restore);
  }

  async function refresh() {
    let rows;
    try {
      rows = await listTrash();
    } catch (err) {
      onError(err);
      return;
    }
    summary.textContent = rows.length === 1 ? "1 contact" : `${rows.length.toLocaleString("en-US")} contacts`;
    list.replaceChildren(...(rows.length
      ? rows.map(rowElement)
      : [el("li", { className: "trash-empty" }, "Trash is empty.")]));
  }

  refresh();
  return { element, refresh };
}
