/**
 * The smart-list builder: conditions on stage, grade, circle, tags, lead source, place, last
 * contact, next step, purchases and custom fields. Every change applies at once to the contact
 * list beside it (`onChange(filter)`), whose count is the live count (`showCount(total)`, or
 * `showProblem(err)` when the conditions can't be counted); Save keeps the conditions under a
 * name for the list picker, Letters and Email.
 */

import { getContact } from "../api.js";
import { el } from "../dom.js";
import { contactPicker } from "./picker.js";
import { field, select, textInput } from "./contact.js";
import { fieldNamed, opTakesValue, opsFor, valueControl } from "./custom.js";
import { STAGES } from "./kinds.js";

const GRADES = ["A", "B", "C", "D"];
const CIRCLES = [["business", "Business"], ["personal", "Personal"], ["both", "Both"]];
const NEXT_STEP = [["", "Either"], ["yes", "Has a next step"], ["no", "No next step"]];
const number = new Intl.NumberFormat("en-US");

/** A row of checkboxes named `name`, one per `[value, label]`, ticked for those in `chosen`. */
function checkboxes(name, options, chosen) {
  return el("div", { className: "checks", role: "group", dataset: { field: name } },
    options.map(([value, label]) => el("label", { className: "check plain" },
      el("input", { type: "checkbox", name, value, checked: chosen.includes(value) }), ` ${label}`)));
}

/**
 * The conditions on custom fields (`fields`), starting from `conditions`: one row each
 * (field, test, value). A row is rebuilt when its field changes, so its tests and its value's
 * control suit the field's kind. Conditions on fields deleted since are left out, saying so.
 */
function customConditions(fields, conditions) {
  let rows = [];
  const list = el("div", { id: "custom-conditions", className: "condition-rows" });
  const addButton = el("button", { id: "add-condition", type: "button", className: "add-button", hidden: fields.length === 0,
    onclick: add }, "+ Add condition");
  const gone = conditions.filter((c) => !fieldNamed(fields, c.field)).map((c) => `“${c.field}”`);
  const note = fields.length === 0 ? "No custom fields yet: add them with File ▸ Custom fields…"
    : gone.length ? `Left out: the conditions on ${gone.join(", ")}, deleted since. Save the list to keep it so.` : "";
  const element = el("fieldset", { className: "form-card" },
    el("legend", { className: "group-title" }, "Custom fields"),
    list, note && el("p", { className: "field-note" }, note), addButton);

  function buildRow({ key, op, value }, i) {
    const def = fieldNamed(fields, key);
    const ops = opsFor(def.kind);
    const fieldSelect = select(`custom.${i}.field`, fields.map((f) => [f.key, f.name]), def.key,
      { "aria-label": `Condition ${i + 1}: field` });
    const opSelect = select(`custom.${i}.op`, ops, ops.some(([o]) => o === op) ? op : ops[0][0],
      { "aria-label": `Condition ${i + 1}: test` });
    const control = valueControl(def, `custom.${i}.value`, value, { "aria-label": `Condition ${i + 1}: value` });
    const showControl = () => (control.hidden = !opTakesValue(opSelect.value));
    showControl();
    opSelect.addEventListener("change", showControl);
    const row = el("div", { className: "condition-row" }, fieldSelect, opSelect, control,
      el("button", { type: "button", className: "icon-button remove", "aria-label": `Remove condition ${i + 1}`,
        title: "Remove condition", onclick: () => remove(i) }, "✕"));
    // Runs before the form hears the change, so the filter is read from the rebuilt row.
    fieldSelect.addEventListener("change", () => {
      rows[i] = buildRow({ key: fieldSelect.value, op: null, value: null }, i);
      row.replaceWith(rows[i].element);
      rows[i].focus();
    });
    return {
      element: row,
      focus: () => fieldSelect.focus(),
      read: () => ({ key: def.key, op: opSelect.value, value: control.value.trim() }),
    };
  }

  function render(items) {
    rows = items.map(buildRow);
    list.replaceChildren(...rows.map((row) => row.element));
  }

  /** Tells the form, whose contact list follows. */
  const changed = () => list.dispatchEvent(new Event("change", { bubbles: true }));

  function add() {
    render([...rows.map((row) => row.read()), { key: fields[0].key, op: null, value: null }]);
    rows.at(-1).focus();
    changed();
  }

  function remove(i) {
    const items = rows.map((row) => row.read());
    items.splice(i, 1);
    render(items);
    (rows[i] ?? rows[i - 1])?.focus() ?? addButton.focus();
    changed();
  }

  /** The complete conditions as the backend's `Filter.custom`; a test still without its value is left out. */
  function read() {
    return rows.map((row) => row.read())
      .filter(({ op, value }) => !opTakesValue(op) || value)
      .map(({ key, op, value }) => (opTakesValue(op) ? { field: key, op, value } : { field: key, op }));
  }

  render(conditions.filter((c) => fieldNamed(fields, c.field)).map((c) => ({ key: c.field, op: c.op, value: c.value })));
  return { element, read };
}

export function createListBuilder(saved, { fields, onChange, onSave, onDelete, onClose }) {
  const f = saved?.filter ?? {};
  const custom = customConditions(fields, f.custom ?? []);
  const text = (name, label, value, props = {}) => field(label, textInput(name, value ?? "", props));
  const count = el("p", { id: "list-count", className: "list-count", role: "status" });
  const formError = el("div", { className: "form-error", role: "alert", hidden: true });
  const nameInput = textInput("name", saved?.name ?? "", { id: "list-name", placeholder: "e.g. Prospects in Berlin" });
  let referrer = f.referredBy ?? null; // a contact's id
  const referrerSlot = el("div", { id: "list-referred-by", className: "business-link" });
  const deleteButton = el("button", { id: "list-delete", type: "button", className: "button danger", hidden: !saved,
    onclick: () => onDelete(saved.name) }, "Delete list");

  const form = el("form", { id: "list-builder", className: "editor sender-form", noValidate: true, "aria-label": "Smart list",
    onsubmit: (e) => { e.preventDefault(); save(); }, oninput: changed, onchange: changed },
    el("header", { className: "editor-header" },
      el("div", {},
        el("h1", { className: "view-title" }, saved ? `Smart list: ${saved.name}` : "New smart list"),
        el("p", { className: "view-subtitle" }, "Contacts who meet every condition. The list on the left follows as you choose."),
        count),
      el("div", { className: "editor-actions" },
        deleteButton,
        el("button", { id: "list-close", type: "button", className: "button", title: "Close (Esc)", onclick: onClose }, "Close"),
        el("button", { id: "list-save", type: "submit", className: "button primary" }, "Save list"))),
    formError,
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Relationship"),
      field("Stage (any of)", checkboxes("stages", STAGES, f.stages ?? [])),
      el("div", { className: "form-row form-row-2" },
        field("Grade (any of)", checkboxes("grades", GRADES.map((g) => [g, g]), f.grades ?? [])),
        field("Circle (any of)", checkboxes("circles", CIRCLES, f.circles ?? []))),
      el("div", { className: "form-row" },
        text("tags", "Tags (all of)", (f.tags ?? []).join(", "), { placeholder: "golf, referral" }),
        text("leadSource", "Lead source", f.leadSource, { placeholder: "seminar" }),
        field("Next step", select("nextStep", NEXT_STEP, f.hasNextAction == null ? "" : f.hasNextAction ? "yes" : "no"))),
      el("div", { className: "form-row" }, field("Referred by", referrerSlot, { className: "referrer-field" }))),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Place and time"),
      el("div", { className: "form-row" },
        text("city", "City", f.city),
        text("country", "Country", f.country),
        el("span")),
      el("div", { className: "form-row" },
        text("lastContactedAfter", "Last contacted on or after", f.lastContactedAfter, { type: "date" }),
        text("lastContactedBefore", "Last contacted before (or never)", f.lastContactedBefore, { type: "date" }),
        el("span"))),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Purchases"),
      el("div", { className: "form-row" },
        text("minPurchases", "At least … purchases", f.minPurchases, { type: "number", min: 0 }),
        text("minSpent", "Spent at least", f.minSpentCents == null ? "" : f.minSpentCents / 100, { type: "number", min: 0, step: "0.01" }),
        text("boughtSince", "Bought on or after", f.boughtSince, { type: "date" }))),
    custom.element,
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Save as"),
      nameInput));

  const ticked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
  const value = (name) => form.elements.namedItem(name).value.trim() || null;
  const num = (name) => (value(name) == null ? null : Number(value(name)));

  /** The conditions as the backend's Filter; blank ones are left out. */
  function read() {
    const next = value("nextStep");
    const spent = num("minSpent");
    return {
      stages: ticked("stages"),
      grades: ticked("grades"),
      circles: ticked("circles"),
      tags: (value("tags") ?? "").split(",").map((t) => t.trim()).filter(Boolean),
      leadSource: value("leadSource"),
      city: value("city"),
      country: value("country"),
      lastContactedAfter: value("lastContactedAfter"),
      lastContactedBefore: value("lastContactedBefore"),
      hasNextAction: next == null ? null : next === "yes",
      minPurchases: num("minPurchases"),
      minSpentCents: spent == null ? null : Math.round(spent * 100),
      boughtSince: value("boughtSince"),
      referredBy: referrer,
      custom: custom.read(),
    };
  }

  /** Who referred them: a picker, or the one picked with Remove. */
  async function drawReferrer() {
    const set = (id) => {
      referrer = id;
      drawReferrer();
      changed();
    };
    if (!referrer) {
      referrerSlot.replaceChildren(contactPicker({ id: "list-referrer-picker", placeholder: "Anyone", onPick: (row) => set(row.id),
        onError: (err) => { formError.textContent = err.message; formError.hidden = false; } }));
      return;
    }
    let name = "a contact no longer in the file";
    try {
      name = (await getContact(referrer)).displayName;
    } catch {
      // Deleted for good since the list was saved: the condition still stands, and can be removed.
    }
    referrerSlot.replaceChildren(el("span", {}, name),
      el("button", { type: "button", id: "list-referrer-remove", className: "link-button", onclick: () => set(null) }, "Remove"));
  }
  drawReferrer();

  function changed(e) {
    if (e?.target === nameInput) return;
    formError.hidden = true;
    onChange(read());
  }

  async function save() {
    formError.hidden = true;
    try {
      await onSave(nameInput.value.trim(), read());
    } catch (err) {
      formError.textContent = err.message;
      formError.hidden = false;
    }
  }

  return {
    element: form,
    filter: read,
    showCount: (total) => {
      count.textContent = `${number.format(total)} ${total === 1 ? "contact matches" : "contacts match"}`;
      count.classList.remove("error");
    },
    showProblem: (err) => {
      count.textContent = err.message;
      count.classList.add("error");
    },
    focusFirst: () => form.querySelector("input").focus(),
  };
}
