/**
 * ‹ Ann Lee · 3 of 120 › — steps through the contact list's current search one recipient at a
 * time, for the merge previews (letters and email). `onRow(row, delay)` gets the contact row
 * shown (null when the search finds no one) and how long to wait before previewing it, so
 * quick clicking renders only the last one; `onError(err)` a failed lookup.
 */

import { getContact, listContacts } from "../api.js";
import { el } from "../dom.js";

const number = new Intl.NumberFormat("en-US");

const pick = ({ query, filter, listName, total, picked = [] }) =>
  ({ query, filter, listName, picked, total: picked.length || total });

export function createRecipientStepper(idPrefix, { onRow, onError }) {
  let list = { query: "", filter: null, listName: "", picked: [], total: 0 };
  let index = 0;
  let seq = 0;

  const prevButton = el("button", { id: `${idPrefix}-prev`, type: "button", className: "icon-button stepper-button",
    "aria-label": "Previous recipient", title: "Previous recipient", onclick: () => step(index - 1) }, "‹");
  const nextButton = el("button", { id: `${idPrefix}-next`, type: "button", className: "icon-button stepper-button",
    "aria-label": "Next recipient", title: "Next recipient", onclick: () => step(index + 1) }, "›");
  const name = el("span", { id: `${idPrefix}-name`, className: "preview-name" });
  const position = el("span", { id: `${idPrefix}-position`, className: "preview-position" });
  const element = el("div", { className: "merge-stepper", role: "group", "aria-label": "Recipient" },
    prevButton, el("div", { className: "preview-who" }, name, position), nextButton);

  function update() {
    prevButton.disabled = index <= 0;
    nextButton.disabled = index >= list.total - 1;
    position.textContent = list.total > 0 ? `${number.format(index + 1)} of ${number.format(list.total)}` : "";
  }

  /** Shows row `i` of the search and hands it to `onRow`. */
  async function step(i, delay) {
    const mine = ++seq;
    index = Math.max(0, Math.min(i, list.total - 1));
    update();
    if (list.total === 0) {
      name.textContent = "No one to preview";
      onRow(null, 0);
      return;
    }
    let page;
    try {
      page = await listContacts(list, index, 1);
    } catch (err) {
      if (mine === seq) onError(err);
      return;
    }
    if (mine !== seq) return;
    if (!page.rows.length && page.total > 0) {
      list = { ...list, total: page.total }; // the list shrank since it was counted
      step(page.total - 1, delay);
      return;
    }
    const row = page.rows[0] ?? null;
    name.textContent = row ? row.displayName : "No one to preview";
    onRow(row, delay);
  }

  return {
    element,
    /** The list's `{ query, filter, listName, total }` now; `at` then shows one of its rows. */
    setList(results) {
      list = pick(results);
    },
    at: (i) => step(i, 0),
    /** Shows contact `id` (found by a check, say) without moving through the list. */
    async showContact(id) {
      const mine = ++seq;
      try {
        const { displayName } = await getContact(id);
        if (mine !== seq) return;
        name.textContent = displayName;
        position.textContent = "";
        onRow({ id, displayName }, 0);
      } catch (err) {
        if (mine === seq) onError(err);
      }
    },
    /** The list ran a search while the view is on screen; false when nothing changed. */
    listChanged(results) {
      const same = results.query === list.query && results.filter === list.filter
        && results.picked.join() === list.picked.join();
      if (same && pick(results).total === list.total) return false;
      list = pick(results);
      step(same ? index : 0, 0);
      return true;
    },
    list: () => list,
  };
}
