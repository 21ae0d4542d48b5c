/**
 * One contact: the read-only detail view and the edit form (used for New and Edit).
 * The form's inputs are named after the draft's field paths (`givenName`,
 * `emails.1.value`…) so that backend validation errors, which use the same paths, can be
 * shown beside the right input. All contact data goes through text nodes (see dom.js).
 * The form helpers (`field`, `textInput`, `select`) are shared with the other forms.
 * Custom fields (the user's own, see custom.js) show on the page when filled in and get one
 * control each on the form, named `custom.<key>`.
 */

import { tagChip } from "../tag-colors.js";
import { el, shortcut } from "../dom.js";
import { formErrors } from "../form-errors.js";
import { showValue, valueControl } from "./custom.js";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December"];
const CIRCLES = { business: "Business", personal: "Personal", both: "Business & personal" };
const SCALARS = ["prefix", "givenName", "middleName", "familyName", "suffix", "nickname", "company", "jobTitle"];
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/**
 * The repeating groups. A row counts as blank (and is dropped before saving) when all of
 * its `fields` are empty: the backend drops the same rows, so error paths like
 * `emails.1.value` keep pointing at the rows the user sees.
 */
const GROUPS = {
  emails: {
    title: "Email", noun: "email", addId: "add-email", primary: true,
    labels: ["work", "home", "other"],
    fields: [{ key: "value", type: "email", label: "Email address", placeholder: "name@example.com",
      check: (v) => (!v || EMAIL_SHAPE.test(v) ? null : "That doesn’t look like an email address (name@example.com).") }],
  },
  phones: {
    title: "Phone", noun: "phone", addId: "add-phone", primary: true,
    labels: ["mobile", "work", "home", "fax", "other"],
    fields: [{ key: "value", type: "tel", label: "Phone number", placeholder: "+1 555 010 0200" }],
  },
  addresses: {
    title: "Address", noun: "address", addId: "add-address", primary: true,
    labels: ["home", "work", "other"],
    fields: [
      { key: "street", label: "Street", placeholder: "Street" },
      { key: "extra", label: "Apartment, suite, etc.", placeholder: "Apartment, suite, etc." },
      { key: "city", label: "City", placeholder: "City" },
      { key: "region", label: "State / region", placeholder: "State / region" },
      { key: "postalCode", label: "Postal code", placeholder: "Postal code" },
      { key: "country", label: "Country", placeholder: "Country" },
    ],
  },
  // Websites are plain strings: one field without a key, so its path is `websites.N`.
  websites: {
    title: "Website", noun: "website", addId: "add-website", primary: false, labels: null,
    fields: [{ key: "", type: "url", label: "Website", placeholder: "example.com" }],
  },
};

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "12 Mar 2024, 14:05" in local time; the raw text if it isn't a date. */
export function formatTimestamp(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? "") : stamp.format(date);
}

function formatBirthday({ day, month, year }) {
  return [day, MONTHS[month - 1], year].filter((part) => part != null).join(" ");
}

/** The editable part of a contact, as update_contact expects it (used for undo too). */
export function toDraft(contact) {
  const draft = Object.fromEntries(SCALARS.map((key) => [key, contact[key] ?? ""]));
  for (const [key, spec] of Object.entries(GROUPS)) {
    const keys = ["label", ...spec.fields.map((f) => f.key), "primary"];
    draft[key] = (contact[key] ?? []).map((item) =>
      spec.labels ? Object.fromEntries(keys.map((k) => [k, item[k] ?? (k === "primary" ? false : "")])) : item);
  }
  const b = contact.birthday;
  draft.birthday = b ? { year: b.year ?? null, month: b.month, day: b.day } : null;
  draft.circle = contact.circle ?? "business";
  draft.tags = [...(contact.tags ?? [])];
  draft.notes = contact.notes ?? "";
  draft.custom = { ...contact.custom };
  return draft;
}

// ---------------------------------------------------------------------------------------
// Read mode

/** Only http(s) links: a stored "javascript:…" must never become a live link. */
function webHref(url) {
  return /^https?:\/\//i.test(url) ? url : `https://${url}`;
}

function initials(name) {
  const words = name.split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  return words.slice(0, 2).map((w) => [...w][0].toUpperCase()).join("") || "?";
}

/** A stable colour per contact, picked from a palette of CSS classes (no inline styles). */
function hueClass(id) {
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hue-${hash % 8}`;
}

function section(title, ...content) {
  return el("section", { className: "detail-section" },
    el("h2", { className: "section-title" }, title),
    el("div", { className: "section-body" }, ...content));
}

function itemList(items, className, valueOf) {
  return el("ul", { className: "item-list" }, items.map((item) =>
    el("li", { className: `item ${className}` },
      el("span", { className: "item-value" }, valueOf(item)),
      el("span", { className: "item-label" }, item.label, item.primary && el("span", { className: "primary-mark" }, "primary")))));
}

function addressLines(a) {
  const cityLine = [[a.city, a.region].filter(Boolean).join(", "), a.postalCode].filter(Boolean).join(" ");
  return el("span", { className: "address" },
    [a.street, a.extra, cityLine, a.country].filter(Boolean).map((line) => el("span", { className: "address-line" }, line)));
}

/**
 * The contact's page. `workflow` is the workflow panel (views/workflow.js): its `top` goes
 * under the header, its `bottom` under the contact's details; `onLog` adds #log-activity.
 * `fields` are the custom fields, whose filled-in values show in their order.
 */
export function renderDetail(c, { onEdit, onDelete, onLog, workflow, fields = [] }) {
  const name = c.displayName || "(no name)";
  const subtitle = [c.jobTitle, c.company].filter(Boolean).join(" · ");
  const sections = [
    c.emails.length > 0 && section("Email", itemList(c.emails, "detail-email",
      (e) => el("a", { href: `mailto:${e.value}` }, e.value))),
    c.phones.length > 0 && section("Phone", itemList(c.phones, "detail-phone",
      (p) => el("a", { href: `tel:${p.value.replace(/[^\d+]/g, "")}` }, p.value))),
    c.addresses.length > 0 && section("Address", itemList(c.addresses, "detail-address", addressLines)),
    c.websites.length > 0 && section("Website", el("ul", { className: "item-list" }, c.websites.map((w) =>
      el("li", { className: "item detail-website" },
        el("a", { className: "item-value", href: webHref(w) }, w))))),
    c.birthday && section("Birthday", el("p", { className: "detail-birthday" }, formatBirthday(c.birthday))),
    fields.filter((f) => c.custom?.[f.key] != null).map((f) =>
      section(f.name, el("p", { className: "detail-custom", dataset: { key: f.key } }, showValue(f, c.custom[f.key])))),
    c.tags.length > 0 && section("Tags", el("div", { className: "chips" }, c.tags.map(tagChip))),
    c.notes && section("Notes", el("p", { className: "notes" }, c.notes)),
  ].flat().filter(Boolean);

  return el("article", { className: "detail-view" },
    el("header", { className: "detail-header" },
      el("div", { className: `avatar ${hueClass(c.id)}`, "aria-hidden": "true" }, initials(name)),
      el("div", { className: "detail-heading" },
        el("h1", { id: "detail-name" }, name),
        c.nickname && el("p", { className: "detail-nickname" }, `“${c.nickname}”`),
        subtitle && el("p", { className: "detail-subtitle" }, subtitle),
        el("span", { className: `badge circle-${c.circle}` }, CIRCLES[c.circle] ?? c.circle)),
      el("div", { className: "detail-actions" },
        onLog && el("button", { id: "log-activity", type: "button", className: "button primary", title: "Log activity (L)", onclick: () => onLog() }, "Log activity"),
        el("button", { id: "edit", type: "button", className: "button", title: "Edit (E)", onclick: onEdit }, "Edit"),
        el("button", { id: "delete", type: "button", className: "button danger", title: "Move to Trash (Delete)", onclick: onDelete }, "Delete"))),
    workflow?.top,
    sections.length > 0
      ? el("div", { className: "detail-card" }, sections)
      : el("p", { className: "detail-blank" }, "No details yet. Press E to add some."),
    workflow?.bottom,
    el("footer", { className: "detail-meta" },
      `Created ${formatTimestamp(c.createdAt)} · Updated ${formatTimestamp(c.updatedAt)}`));
}

// ---------------------------------------------------------------------------------------
// Edit mode

function parseTags(text) {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];
}

/** A labelled control; `label` is visible unless `hideLabel` (then it is for screen readers). */
export function field(label, control, { hideLabel = false, className = "" } = {}) {
  return el("label", { className: `field ${className}`.trim() },
    el("span", { className: hideLabel ? "visually-hidden" : "field-label" }, label), control);
}

export function textInput(name, value, props = {}) {
  const input = el("input", { type: "text", name, value, autocomplete: "off", dataset: { field: name }, ...props });
  input.spellcheck = false; // names and addresses aren't dictionary words
  return input;
}

export function select(name, options, value, props = {}) {
  return el("select", { name, value, dataset: { field: name }, ...props },
    options.map(([v, text]) => el("option", { value: v }, text)));
}

/**
 * One editor for every repeating group (emails, phones, addresses, websites).
 * Rows are rebuilt from their current values whenever one is added or removed, so the
 * N in each input's name always matches the row's position.
 */
function repeatingGroup(key, spec, initial, { onChange, checkField }) {
  let rows = [];
  const list = el("div", { className: "group-rows" });
  const addButton = el("button", { type: "button", id: spec.addId, className: "add-button", onclick: add }, `+ Add ${spec.noun}`);
  const element = el("fieldset", { className: `group group-${key}`, dataset: { field: key } },
    el("legend", { className: "group-title" }, spec.title), list, addButton);

  function blank(first) {
    if (!spec.labels) return "";
    return { label: spec.labels[0], ...Object.fromEntries(spec.fields.map((f) => [f.key, ""])), primary: first && spec.primary };
  }
  const isBlank = (item) => (spec.labels ? spec.fields.every((f) => !item[f.key]) : !item);

  /** Keeps exactly one primary row selected when there are rows at all. */
  function withPrimary(items) {
    if (spec.primary && items.length && !items.some((item) => item.primary)) items[0].primary = true;
    return items;
  }

  function buildRow(item, i) {
    const path = (sub) => (sub ? `${key}.${i}.${sub}` : `${key}.${i}`);
    const inputs = spec.fields.map((f) => {
      const input = textInput(path(f.key), spec.labels ? item[f.key] : item,
        { type: f.type ?? "text", placeholder: f.placeholder, "aria-label": `${f.label} ${i + 1}` });
      if (f.check) input.addEventListener("blur", () => checkField(input, f.check(input.value.trim())));
      return field(f.label, input, { hideLabel: true, className: `cell cell-${f.key || "value"}` });
    });
    const labelSelect = spec.labels && select(path("label"),
      [...new Set([...spec.labels, item.label].filter(Boolean))].map((l) => [l, capitalise(l)]), item.label,
      { "aria-label": `${capitalise(spec.noun)} ${i + 1} label`, className: "label-select" });
    const radio = spec.primary && el("input", { type: "radio", name: `${key}.primary`, value: String(i), checked: item.primary,
      dataset: { field: path("primary") } });
    const element = el("div", { className: `group-row group-row-${key}`, dataset: { field: path() } },
      labelSelect,
      el("div", { className: "group-cells" }, inputs),
      radio && el("label", { className: "primary-toggle", title: `Primary ${spec.noun}` }, radio, "Primary"),
      el("button", { type: "button", className: "icon-button remove", title: `Remove ${spec.noun}`,
        "aria-label": `Remove ${spec.noun} ${i + 1}`, onclick: () => remove(i) }, "✕"));
    const controls = inputs.map((cell) => cell.querySelector("input"));
    return {
      element,
      focus: () => controls[0].focus(),
      read: () => {
        const values = controls.map((input) => input.value.trim());
        if (!spec.labels) return values[0];
        return { label: labelSelect.value, ...Object.fromEntries(spec.fields.map((f, n) => [f.key, values[n]])), primary: radio ? radio.checked : false };
      },
    };
  }

  function render(items) {
    rows = items.map(buildRow);
    list.replaceChildren(...rows.map((row) => row.element));
  }
  const read = () => rows.map((row) => row.read());

  function add() {
    const items = read();
    items.push(blank(items.length === 0));
    render(items);
    rows.at(-1).focus();
    onChange();
  }

  function remove(i) {
    const items = read();
    items.splice(i, 1);
    render(withPrimary(items));
    (rows[i] ?? rows[i - 1])?.focus() ?? addButton.focus();
    onChange();
  }

  /** Drops blank rows before saving, as the backend would, so error indices line up. */
  function prune() {
    const items = read();
    const kept = items.filter((item) => !isBlank(item));
    if (kept.length !== items.length) render(withPrimary(kept));
  }

  render(initial);
  return { key, element, read, prune };
}

/**
 * The edit form. `onSave(draft)` must resolve once saved or reject with an API error, which
 * is shown inline; the form is never reset on error. `setSaveState(state, text?)` reports
 * "dirty" / "saving" / "error" to the app's #save-state label. `fields` are the custom
 * fields, one control each; the draft carries every one's value (blank clears it).
 */
export function createEditor(contact, { fields, onSave, onCancel, setSaveState }) {
  const d = toDraft(contact ?? {});
  let dirty = false;
  let saving = false;

  const formError = el("div", { className: "form-error", role: "alert", hidden: true });
  const groups = Object.entries(GROUPS).map(([key, spec]) =>
    repeatingGroup(key, spec, d[key], { onChange: changed, checkField }));
  const tagsInput = textInput("tags", d.tags.join(", "), { placeholder: "client, referral, golf" });
  const tagChips = el("div", { className: "chips tag-preview" });
  const showTagChips = () => tagChips.replaceChildren(...parseTags(tagsInput.value).map(tagChip));
  tagsInput.addEventListener("input", showTagChips);
  showTagChips();

  const b = d.birthday;
  const saveButton = el("button", { id: "save", type: "submit", className: "button primary", title: `Save (${shortcut("S")})` }, "Save");
  const text = (name, label, className) => field(label, textInput(name, d[name]), { className });

  const form = el("form", { className: "editor", noValidate: true, "aria-label": contact ? "Edit contact" : "New contact",
    onsubmit: (e) => { e.preventDefault(); save(); }, oninput: changed, onchange: changed },
    el("header", { className: "editor-header" },
      el("h1", { className: "view-title" }, contact ? "Edit contact" : "New contact"),
      el("div", { className: "editor-actions" },
        el("button", { id: "cancel", type: "button", className: "button", title: "Cancel (Esc)", onclick: onCancel }, "Cancel"),
        saveButton)),
    formError,
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Name"),
      // "A contact needs a name…" is reported as `name`: shown under this row, focusing Given name.
      el("div", { className: "name-row", dataset: { field: "name", focus: "givenName" } },
        text("prefix", "Prefix", "field-small"),
        text("givenName", "Given name"),
        text("middleName", "Middle name"),
        text("familyName", "Family name"),
        text("suffix", "Suffix", "field-small")),
      el("div", { className: "form-row" },
        text("nickname", "Nickname"),
        text("company", "Company"),
        text("jobTitle", "Job title")),
      el("div", { className: "form-row" },
        field("Circle", select("circle", Object.entries(CIRCLES), d.circle)),
        el("div", { className: "field birthday", dataset: { field: "birthday" }, role: "group", "aria-label": "Birthday" },
          el("span", { className: "field-label" }, "Birthday"),
          el("div", { className: "birthday-inputs" },
            textInput("birthday.day", b?.day ?? "", { inputMode: "numeric", maxLength: 2, placeholder: "Day", "aria-label": "Birthday day" }),
            select("birthday.month", [["", "Month"], ...MONTHS.map((m, i) => [String(i + 1), m])], b ? String(b.month) : "",
              { "aria-label": "Birthday month" }),
            textInput("birthday.year", b?.year ?? "", { inputMode: "numeric", maxLength: 4, placeholder: "Year (optional)", "aria-label": "Birthday year" }))))),
    groups.map((g) => g.element),
    fields.length > 0 && el("fieldset", { id: "custom-fields", className: "form-card", dataset: { field: "custom" } },
      el("legend", { className: "group-title" }, "Custom fields"),
      el("div", { className: "custom-fields" }, fields.map((f) =>
        field(f.name, valueControl(f, `custom.${f.key}`, d.custom[f.key]))))),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Tags & notes"),
      field("Tags (comma-separated)", tagsInput),
      tagChips,
      field("Notes", el("textarea", { name: "notes", value: d.notes, rows: 5, dataset: { field: "notes" } }))));

  // An error goes straight after its input, or inside its row or group (see form-errors.js).
  const fieldErrors = formErrors(form, formError, { idPrefix: "field-error-" });

  const value = (name) => form.elements.namedItem(name).value;

  function changed(e) {
    if (e?.target) fieldErrors.clear(e.target);
    dirty = true;
    if (!saving) setSaveState("dirty");
  }

  /** Reads the form into a draft; shape problems the backend can't even parse are returned as errors. */
  function collect() {
    const errors = [];
    const draft = Object.fromEntries(SCALARS.map((key) => [key, value(key).trim()]));
    for (const g of groups) draft[g.key] = g.read();
    const [day, month, year] = ["day", "month", "year"].map((part) => value(`birthday.${part}`).trim());
    draft.birthday = null;
    if (day || month || year) {
      if (/^\d{1,2}$/.test(day) && month && /^(\d{4})?$/.test(year)) {
        draft.birthday = { year: year ? Number(year) : null, month: Number(month), day: Number(day) };
      } else {
        errors.push({ field: "birthday", message: "Enter a day and a month, and optionally a four-digit year." });
      }
    }
    draft.circle = value("circle");
    draft.tags = parseTags(value("tags"));
    draft.notes = value("notes");
    draft.custom = Object.fromEntries(fields.map((f) => [f.key, value(`custom.${f.key}`).trim()]));
    return { draft, errors };
  }

  async function save() {
    if (saving) return;
    fieldErrors.clearAll();
    groups.forEach((g) => g.prune());
    const { draft, errors } = collect();
    if (errors.length) {
      showErrors({ kind: "invalid", message: "", fields: errors });
      return;
    }
    saving = true;
    saveButton.disabled = true;
    setSaveState("saving");
    try {
      await onSave(draft);
      dirty = false;
    } catch (err) {
      showErrors(err);
    } finally {
      saving = false;
      saveButton.disabled = false;
    }
  }

  // --- inline errors ---------------------------------------------------------------------

  /** Quick feedback on blur; the backend still has the final word on save. */
  function checkField(input, problem) {
    fieldErrors.clear(input);
    if (problem) fieldErrors.show(input.dataset.field, problem);
  }

  function showErrors(err) {
    const named = fieldErrors.report(err, err.message);
    setSaveState("error", named ? "Couldn't save — see the highlighted fields" : `Couldn't save — ${err.message}`);
  }

  return {
    element: form,
    save,
    isDirty: () => dirty,
    focusFirst: () => form.elements.namedItem("givenName").focus(),
  };
}
