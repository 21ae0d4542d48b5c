/**
 * One likely duplicate side by side: for each field the two contacts disagree on, pick the
 * value to keep (the suggestion is ticked), see what the merged lists will hold and what moves
 * over, then merge — the other contact goes to the Trash, and the app offers Undo.
 */

import { duplicatePair, mergeDuplicates } from "../api.js";
import { el } from "../dom.js";

const LIST_LABELS = { emails: "Emails", phones: "Phones", addresses: "Addresses", websites: "Websites", tags: "Tags" };
const MOVING_LABELS = { activities: "activities", purchases: "purchases", outbox: "messages", referrals: "people referred",
  stageChanges: "stage changes", companyPeople: "people at the company", printRuns: "printed letters" };

const listText = (key, items) => items.map((item) =>
  key === "tags" || key === "websites" ? item : key === "addresses" ? [item.street, item.city].filter(Boolean).join(", ") : item.value).join(" · ");

/** Loads the pair `a` (kept) and `b` (merged into it), or swapped, into `host`. */
export async function showPair(host, a, b, { onMerged, onError }) {
  let review;
  try {
    review = await duplicatePair(a, b);
  } catch (err) {
    onError(err);
    return;
  }
  const differing = review.fields.filter((f) => !f.same);
  const radio = (f, side) => el("input", { type: "radio", name: `pick-${f.field}`, value: side, checked: f.suggested === side,
    "aria-label": `Keep ${side === "a" ? review.a.displayName : review.b.displayName}’s ${f.label}` });
  const rows = differing.map((f) => el("tr", { dataset: { field: f.field } },
    el("th", { scope: "row" }, f.label),
    el("td", {}, el("label", { className: "pick" }, radio(f, "a"), " ", f.a || el("span", { className: "muted" }, "blank"))),
    el("td", {}, el("label", { className: "pick" }, radio(f, "b"), " ", f.b || el("span", { className: "muted" }, "blank")))));
  const lists = Object.entries(review.lists).filter(([, items]) => items.length).map(([key, items]) =>
    el("li", {}, el("strong", {}, `${LIST_LABELS[key]}: `), listText(key, items)));
  const moving = Object.entries(review.moving).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${MOVING_LABELS[k] ?? k}`);
  const error = el("p", { className: "field-error", role: "alert", hidden: true });

  async function merge() {
    const choices = Object.fromEntries(differing.map((f) => [f.field, host.querySelector(`input[name="pick-${f.field}"]:checked`).value]));
    try {
      onMerged(await mergeDuplicates(a, b, choices));
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  }

  host.replaceChildren(el("div", { id: "duplicate-pair", className: "duplicate-review" },
    el("p", {}, "Keeping ", el("strong", {}, review.a.displayName), "; ", el("strong", {}, review.b.displayName),
      " goes to the Trash (Undo brings both back as they were). ",
      el("button", { type: "button", className: "link-button", onclick: () => showPair(host, b, a, { onMerged, onError }) }, "Keep the other instead")),
    differing.length
      ? el("table", { className: "outbox-table" },
        el("thead", {}, el("tr", {}, el("th", {}, "Field"), el("th", {}, review.a.displayName), el("th", {}, review.b.displayName))),
        el("tbody", {}, rows))
      : el("p", { className: "muted" }, "Every field is the same."),
    lists.length && el("ul", { className: "duplicate-lists" }, lists),
    el("p", { className: "muted" }, moving.length ? `Moves over: ${moving.join(", ")}.` : "Nothing else to move."),
    error,
    el("div", { className: "import-actions" },
      el("button", { id: "duplicate-merge", type: "button", className: "button primary", onclick: merge }, `Merge into ${review.a.displayName}`),
      el("button", { type: "button", className: "button", onclick: () => host.replaceChildren() }, "Cancel"))));
  host.querySelector("input, button")?.focus();
}
