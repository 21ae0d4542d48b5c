/**
 * A contact picker: type part of a name, pick one of the first matches (click, or arrows and
 * Enter). `onPick(row)` gets the contact row; `exclude` leaves one contact out (oneself).
 */

import { searchContacts } from "../api.js";
import { el } from "../dom.js";

const SHOWN = 6;
const DEBOUNCE_MS = 120;

export function contactPicker({ id, placeholder, exclude = null, onPick, onError }) {
  let timer = 0;
  let seq = 0;
  const input = el("input", { id, type: "search", className: "picker-input", placeholder, autocomplete: "off",
    "aria-autocomplete": "list", oninput: () => { clearTimeout(timer); timer = setTimeout(find, DEBOUNCE_MS); }, onkeydown: keys });
  const list = el("ul", { className: "picker-list", role: "listbox", hidden: true });

  async function find() {
    const mine = ++seq;
    const query = input.value.trim();
    if (!query) {
      list.hidden = true;
      return;
    }
    try {
      const page = await searchContacts(query, 0, SHOWN + 1);
      if (mine !== seq) return;
      const rows = page.rows.filter((r) => r.id !== exclude).slice(0, SHOWN);
      list.replaceChildren(...(rows.length ? rows.map((row) => el("li", { role: "option" },
        el("button", { type: "button", className: "picker-option", onclick: () => pick(row) },
          row.displayName, row.company && el("span", { className: "muted" }, ` · ${row.company}`))))
        : [el("li", { className: "muted picker-none" }, `No one matches “${query}”`)]));
      list.hidden = false;
    } catch (err) {
      onError(err);
    }
  }

  function pick(row) {
    input.value = "";
    list.hidden = true;
    onPick(row);
  }

  function keys(e) {
    const options = [...list.querySelectorAll(".picker-option")];
    if (e.key === "ArrowDown" && options.length) {
      e.preventDefault();
      options[0].focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      options[0]?.click();
    } else if (e.key === "Escape" && !list.hidden) {
      e.stopPropagation();
      list.hidden = true;
    }
  }

  list.addEventListener("keydown", (e) => {
    const options = [...list.querySelectorAll(".picker-option")];
    const i = options.indexOf(document.activeElement);
    const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (step) {
      e.preventDefault();
      (options[i + step] ?? input).focus();
    }
  });

  return el("div", { className: "picker" }, input, list);
}
