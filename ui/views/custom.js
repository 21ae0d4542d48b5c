/**
 * Custom fields' vocabulary, shared by the Custom fields view, the contact's page and form,
 * and the smart-list builder: the kinds with their labels, one control per kind, how a value
 * reads, and the tests a smart list can put to each kind. Values travel as text from the
 * controls; the backend turns them into numbers, dates and yes/no, or says why it can't.
 */

import { el } from "../dom.js";
import { formatDay } from "../dates.js";

export const FIELD_KINDS = [
  ["text", "Text"],
  ["number", "Number"],
  ["date", "Date"],
  ["yes_no", "Yes/no"],
  ["choice", "Choice list"],
];

const KIND_LABELS = Object.fromEntries(FIELD_KINDS);
export const fieldKindLabel = (kind) => KIND_LABELS[kind] ?? String(kind ?? "");

/** A stored value as a control holds it: "" for blank, "yes"/"no", numbers and dates as text. */
export function valueText(value) {
  if (value == null) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/** A non-blank value as the contact's page shows it. */
export function showValue(field, value) {
  if (field.kind === "yes_no") return value ? "Yes" : "No";
  if (field.kind === "date") return formatDay(value);
  return String(value);
}

/**
 * The control for a value of `field`, named (and `data-field`) `name`. Numbers take any text
 * (a number input would silently blank "12OO", losing it), so the backend can name the mistake.
 */
export function valueControl(field, name, value, props = {}) {
  const text = valueText(value);
  const common = { name, dataset: { field: name }, ...props };
  if (field.kind === "yes_no" || field.kind === "choice") {
    const options = field.kind === "yes_no" ? [["yes", "Yes"], ["no", "No"]] : field.options.map((o) => [o, o]);
    // A value no longer among the options stays selectable rather than being dropped unseen.
    if (text && !options.some(([v]) => v === text)) options.push([text, text]);
    return el("select", { ...common, value: text }, el("option", { value: "" }, "—"),
      options.map(([v, label]) => el("option", { value: v }, label)));
  }
  const typed = { number: { inputMode: "decimal", className: "number-input" }, date: { type: "date" } }[field.kind];
  const input = el("input", { type: "text", autocomplete: "off", value: text, ...typed, ...common });
  input.spellcheck = false;
  return input;
}

/** The tests a smart list offers for each kind: [op, label]. */
const OPS = {
  text: [["contains", "contains"], ["equals", "is"]],
  number: [["atLeast", "at least"], ["atMost", "at most"], ["above", "above"], ["below", "below"], ["equals", "equals"]],
  date: [["atLeast", "on or after"], ["atMost", "on or before"], ["above", "after"], ["below", "before"], ["equals", "on"]],
  yes_no: [["isYes", "is yes"], ["isNo", "is no or blank"]],
  choice: [["equals", "is"]],
};
const ANY_KIND = [["isSet", "is filled in"], ["isEmpty", "is blank"]];
const WITHOUT_VALUE = new Set(["isYes", "isNo", "isSet", "isEmpty"]);

export const opsFor = (kind) => [...(OPS[kind] ?? OPS.text), ...ANY_KIND];
export const opTakesValue = (op) => !WITHOUT_VALUE.has(op);

/** The field a condition names: by key, or by name as the CLI saves it. */
export function fieldNamed(fields, name) {
  return fields.find((f) => f.key === name) ?? fields.find((f) => f.name.toLowerCase() === String(name).toLowerCase());
}
