/**
 * File ▸ Tags…: every tag with how many contacts carry it, its colour (shown on every chip)
 * and its keep-in-touch cadence (Today reminds you of everyone with the tag when it runs out).
 * Changes save at once; `onChanged()` lets the app repaint the chips.
 */

import { setTagColor, setTagKeepInTouch, tags } from "../api.js";
import { el } from "../dom.js";
import { tagChip } from "../tag-colors.js";
import { viewHeader } from "./view-header.js";

const CADENCES = [["", "—"], ["30", "30 days"], ["60", "60 days"], ["90", "90 days"], ["180", "180 days"], ["365", "A year"]];
const DEFAULT_COLOR = "#8b95a4";

export function createTagsView({ onClose, onChanged, onError }) {
  const rows = el("tbody", { id: "tag-rows" });
  const element = el("section", { id: "tags-view", className: "outbox-view", "aria-labelledby": "tags-title" },
    viewHeader("tags", "Tags",
      "Colours show on every chip; a cadence puts everyone with the tag on Today when it runs out.",
      onClose),
    el("table", { className: "outbox-table" },
      el("thead", {}, el("tr", {}, ["Tag", "Contacts", "Colour", "Keep in touch every"].map((h) => el("th", { scope: "col" }, h)))),
      rows));

  async function save(run) {
    try {
      await run();
      await onChanged();
      await refresh();
    } catch (err) {
      onError(err);
    }
  }

  function row(t) {
    const color = el("input", { type: "color", value: t.color ?? DEFAULT_COLOR, "aria-label": `Colour of ${t.name}`,
      onchange: () => save(() => setTagColor(t.name, color.value)) });
    const cadence = el("select", { "aria-label": `Keep in touch with ${t.name}`,
      onchange: () => save(() => setTagKeepInTouch(t.name, cadence.value ? Number(cadence.value) : null)) },
      CADENCES.map(([value, text]) => el("option", { value }, text)));
    if (t.keepInTouchDays != null && !CADENCES.some(([v]) => v === String(t.keepInTouchDays))) {
      cadence.append(el("option", { value: String(t.keepInTouchDays) }, `${t.keepInTouchDays} days`));
    }
    cadence.value = t.keepInTouchDays == null ? "" : String(t.keepInTouchDays);
    return el("tr", { dataset: { tag: t.name } },
      el("td", {}, tagChip(t.name)),
      el("td", {}, String(t.contacts)),
      el("td", {}, color, t.color && el("button", { type: "button", className: "link-button tag-reset",
        onclick: () => save(() => setTagColor(t.name, null)) }, "Default")),
      el("td", {}, cadence));
  }

  async function refresh() {
    try {
      const all = await tags();
      rows.replaceChildren(...(all.length ? all.map(row) : [el("tr", {}, el("td", { colSpan: 4, className: "muted" }, "No tags yet: add some on a contact."))]));
    } catch (err) {
      onError(err);
    }
  }

  return { element, refresh, focusFirst: () => rows.querySelector("input")?.focus() };
}
