/**
 * Custom fields (File ▸ Custom fields…): the user's own fields, in the order the contact form
 * shows them, each with its kind, its options and the name templates use. Add one, rename it
 * (the template name stays), move it up or down, or delete it with its values after a
 * confirmation that says how many go. Every change is reported to the app with the fields as
 * they now are (`onChanged(fields)`), which keeps its copy for the contact page.
 */

import * as api from "../api.js";
import { confirmAction } from "../confirm.js";
import { el } from "../dom.js";
import { formErrors } from "../form-errors.js";
import { field, select, textInput } from "./contact.js";
import { FIELD_KINDS, fieldKindLabel } from "./custom.js";
import { viewHeader } from "./view-header.js";

const count = (n, one, many) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function createFieldsView({ onChanged, onClose, onError }) {
  let fields = [];

  const list = el("ol", { id: "fields-list", className: "fields-list", "aria-label": "Custom fields" });
  const status = el("p", { id: "fields-status", className: "field-note", role: "status" });
  const nameInput = textInput("name", "", { id: "field-name", placeholder: "e.g. Budget" });
  const kindSelect = select("kind", FIELD_KINDS, "text", { id: "field-kind" });
  const optionsInput = el("textarea", { id: "field-options", name: "options", rows: 4, dataset: { field: "options" },
    placeholder: "Small\nMedium\nLarge" });
  const optionsField = field("Options, one a line", optionsInput, { className: "field-options" });
  const formError = el("div", { className: "form-error", role: "alert", tabIndex: -1, hidden: true });
  const addForm = el("form", { id: "field-add", className: "editor", noValidate: true, "aria-label": "Add a field",
    onsubmit: (e) => { e.preventDefault(); add(); }, oninput: (e) => errors.clear(e.target), onchange: showOptions },
    formError,
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Add a field"),
      el("div", { className: "field-add-row" },
        field("Name", nameInput),
        field("Kind", kindSelect),
        el("button", { id: "field-add-button", type: "submit", className: "button primary" }, "Add field")),
      optionsField));
  const errors = formErrors(addForm, formError, { idPrefix: "field-add-error-" });

  const element = el("section", { id: "fields-view", className: "outbox-view", "aria-labelledby": "fields-title" },
    viewHeader("fields", "Custom fields",
      "Your own fields on every contact’s form, in this order. Letters and emails use them by the name in braces.",
      onClose),
    list,
    status,
    addForm);

  function showOptions() {
    optionsField.hidden = kindSelect.value !== "choice";
  }

  /** Shows `next` and tells the app; `focus` picks the control to focus in the new list. */
  function changed(next, message, focus) {
    fields = next;
    render();
    status.textContent = message;
    onChanged(fields);
    focus?.();
  }

  function render() {
    list.replaceChildren(...(fields.length
      ? fields.map(row)
      : [el("li", { className: "fields-empty muted" }, "No custom fields yet. Add the first one below.")]));
  }

  function row(f, i) {
    const details = [fieldKindLabel(f.kind), f.options.length > 0 && f.options.join(" · ")].filter(Boolean).join(": ");
    const item = el("li", { className: "field-item", dataset: { key: f.key } },
      el("div", { className: "field-main" },
        el("span", { className: "field-title" }, f.name),
        el("span", { className: "muted" }, details),
        el("code", { className: "field-key", title: "In a letter or email template" }, `{{ custom.${f.key} }}`)),
      el("div", { className: "field-actions" },
        el("button", { type: "button", className: "icon-button", dataset: { move: "up" }, disabled: i === 0,
          "aria-label": `Move “${f.name}” up`, title: "Move up", onclick: () => move(i, -1) }, "↑"),
        el("button", { type: "button", className: "icon-button", dataset: { move: "down" }, disabled: i === fields.length - 1,
          "aria-label": `Move “${f.name}” down`, title: "Move down", onclick: () => move(i, 1) }, "↓"),
        el("button", { type: "button", className: "link-button field-rename", onclick: () => startRename(item, f) }, "Rename"),
        el("button", { type: "button", className: "link-button danger-link field-delete", onclick: () => remove(f) }, "Delete")));
    return item;
  }

  async function refresh() {
    status.textContent = ""; // news of the last visit
    try {
      fields = await api.customFields();
    } catch (err) {
      onError(err);
      return;
    }
    render();
  }

  async function add() {
    errors.clearAll();
    const options = optionsInput.value.split("\n").map((o) => o.trim()).filter(Boolean);
    const draft = { name: nameInput.value, kind: kindSelect.value, options: kindSelect.value === "choice" ? options : [] };
    let created;
    try {
      created = await api.createCustomField(draft);
    } catch (err) {
      errors.report(err, err.message);
      return;
    }
    nameInput.value = "";
    optionsInput.value = "";
    changed([...fields, created], `Added “${created.name}”: templates use it as {{ custom.${created.key} }}.`, () => nameInput.focus());
  }

  async function move(i, step) {
    const ids = fields.map((f) => f.id);
    [ids[i], ids[i + step]] = [ids[i + step], ids[i]];
    const moved = fields[i];
    try {
      const next = await api.reorderCustomFields(ids);
      changed(next, `Moved “${moved.name}” ${step < 0 ? "up" : "down"}.`, () => {
        const buttons = list.querySelectorAll(`[data-key="${CSS.escape(moved.key)}"] [data-move]`);
        ([...buttons].find((b) => b.dataset.move === (step < 0 ? "up" : "down") && !b.disabled) ?? [...buttons].find((b) => !b.disabled))?.focus();
      });
    } catch (err) {
      onError(err);
    }
  }

  /** Turns the row's name into an input: Enter (or Save) keeps the new name, Esc puts the old one back. */
  function startRename(item, f) {
    const input = textInput("rename", f.name, { className: "field-rename-input", "aria-label": `New name for “${f.name}”` });
    const problem = el("div", { className: "field-error", role: "alert", hidden: true });
    const cancel = () => render();
    async function save() {
      try {
        const renamed = await api.renameCustomField(f.id, input.value);
        changed(fields.map((x) => (x.id === f.id ? renamed : x)), `Renamed “${f.name}” to “${renamed.name}”; templates still use {{ custom.${renamed.key} }}.`);
      } catch (err) {
        problem.textContent = err.message;
        problem.hidden = false;
        input.focus();
      }
    }
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        save();
      } else if (e.key === "Escape") {
        e.stopPropagation(); // the view stays open
        cancel();
      }
    });
    item.replaceChildren(
      el("div", { className: "field-main" }, input, problem),
      el("div", { className: "field-actions" },
        el("button", { type: "button", className: "button primary", onclick: save }, "Save"),
        el("button", { type: "button", className: "button", onclick: cancel }, "Cancel")));
    input.focus();
    input.select();
  }

  async function remove(f) {
    let holders;
    try {
      holders = (await api.listContacts({ query: "", filter: { custom: [{ field: f.key, op: "isSet" }] } }, 0, 0)).total;
    } catch (err) {
      onError(err);
      return;
    }
    const values = holders === 0
      ? "No contact has a value in it"
      : `Its values on ${count(holders, "contact", "contacts")} are deleted with it`;
    const detail = `${values} (and any on contacts in the Trash). There is no undo.`;
    if (!(await confirmAction(`Delete the field “${f.name}”?`, { detail, action: "Delete field" }))) return;
    try {
      const gone = await api.deleteCustomField(f.id);
      changed(fields.filter((x) => x.id !== f.id), `Deleted “${f.name}” and ${count(gone, "value", "values")}.`);
    } catch (err) {
      onError(err);
    }
  }

  showOptions();
  return { element, refresh, focusFirst: () => nameInput.focus() };
}
