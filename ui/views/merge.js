/**
 * The Letters view (mail merge): pick a layout (letters for a window envelope, faxes with a
 * cover sheet, envelopes, label sheets) and for letters a template to edit, see one
 * recipient's pages as they will print, check every letter before printing (preflight), and
 * print for everyone the list shows — one PDF, or one per recipient — as the background job
 * "print", with progress and Cancel. Past runs can be printed again.
 *
 * The view is kept by the app while it runs, so an edited template survives a detour to a
 * contact or to My details. The app calls `enter(results)` each time it shows the view and
 * `listChanged(results)` when the list runs another search while it is on screen; `results`
 * is the list's `{ query, total, selectedIndex }` (see views/contacts.js). Preview pages are
 * SVG documents shown as <img> data URLs: nothing in them runs, and no markup is parsed here.
 */

import {
  cancelJob, getSender, mergeCalibration, mergePreflight, mergePreview, mergePrint, mergeReprint, mergeRuns, mergeTemplates, onJob,
  recipientsOf, saveTemplate, setMergeCalibration,
} from "../api.js";
import { el } from "../dom.js";
import { formatTimestamp, select } from "./contact.js";
import { isBlankSender } from "./sender.js";
import { createRecipientStepper } from "./stepper.js";
import { viewHeader } from "./view-header.js";

const PREVIEW_DEBOUNCE_MS = 250;
const number = new Intl.NumberFormat("en-US");

const LAYOUTS = [
  ["Letters", [["us-window", "US Letter · #10 window"], ["din-a", "A4 · DIN 5008 form A"], ["din-b", "A4 · DIN 5008 form B"]]],
  ["Fax", [["fax", "Fax: cover sheet, then the letter"]]],
  ["Envelopes", [["envelope-10", "#10 envelope"], ["envelope-dl", "DL envelope"], ["envelope-c5", "C5 envelope"], ["envelope-c6", "C6 envelope"]]],
  ["Labels", [["avery-5160", "Avery 5160 · 30 a sheet"], ["avery-5163", "Avery 5163 · 10 a sheet"], ["avery-l7160", "Avery L7160 · 21 a sheet"]]],
];
const LAYOUT_TEXT = Object.fromEntries(LAYOUTS.flatMap(([, items]) => items));
const usesTemplate = (layout) => ["us-window", "din-a", "din-b", "fax"].includes(layout);
const isLabels = (layout) => layout.startsWith("avery-");
const OUTPUTS = [["file", "One PDF"], ["folder", "One PDF per recipient"]];
const ORDERS = [["name", "By name"], ["postal-code", "By postal code"]];
const TITLES = { "referral-thank-you": "Referral thank-you" };

/** What a template can say; each inserts itself at the cursor when clicked. */
const SNIPPETS = [
  "{{ first_name }}", "{{ greeting }}", "{{ company }}", "{{ city }}", "{{ sender.name }}", "{{ today }}",
  "{{ first_name | fallback(\"Friend\") }}", "{% if company %}…{% endif %}", "**bold**", "*italic*",
];

/** "prospect-letter" → "Prospect letter". */
function titleOf(name) {
  const words = name.replace(/[-_]+/g, " ").trim();
  return TITLES[name] ?? (words.charAt(0).toUpperCase() + words.slice(1));
}

export const plural = (n, one, many = `${one}s`) => `${number.format(n)} ${n === 1 ? one : many}`;

function formatBytes(bytes) {
  if (bytes < 1024) return plural(bytes, "byte");
  if (bytes < 1024 * 1024) return `${number.format(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Who gets one, for the line above the Print (Send) button; `list` as the stepper has it. */
export function recipientsText({ query, filter, listName, total, picked = [] }) {
  if (picked.length) return picked.length === 1 ? "The 1 contact picked" : `The ${plural(picked.length, "contact")} picked`;
  const q = query.trim();
  const where = filter ? ` in ${listName ? `“${listName}”` : "this list"}` : "";
  if (!q && filter) return total === 0 ? `No one${where}` : `${plural(total, "contact")}${where}`;
  if (!q) return total === 0 ? "No contacts yet" : total === 1 ? "Your 1 contact" : `All ${plural(total, "contact")}`;
  return total === 0 ? `No contacts match “${q}”${where}` : `${plural(total, "contact")} matching “${q}”${where}`;
}

/** The backend names the template it parsed ("preview"); the line number is what helps. */
export function templateMessage(message) {
  const text = String(message || "Something went wrong.").replace(/^template “[^”]*”, /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A row of the settings grid: the label on the left, the control on the right. */
export function setting(label, id, control) {
  return el("div", { className: "merge-setting" }, el("label", { className: "field-label", for: id }, label), control);
}

export function createLettersView({ onClose, onOpenSender }) {
  let samples = [];              // [{ name, source }] as shipped
  const edits = new Map();       // template name -> the user's edited source
  let row = null;                // the contact row the preview shows ({ id, displayName })
  let previewSeq = 0;
  let previewTimer = 0;
  let printing = false;

  // --- elements --------------------------------------------------------------------------

  const templateSelect = el("select", { id: "merge-template", name: "template", onchange: switchTemplate });
  const revertButton = el("button", { id: "merge-revert", type: "button", className: "link-button", hidden: true,
    title: "Throw away your changes to this template", onclick: revert }, "Revert to the sample");
  // Saving keeps the edited text in the database file, under the template's name.
  const saveButton = el("button", { id: "merge-save-template", type: "button", className: "link-button", hidden: true,
    title: "Keep these changes in your file for next time", onclick: saveTemplateEdits }, "Save template");
  const source = el("textarea", { id: "merge-source", name: "source", className: "merge-source", rows: 8,
    "aria-describedby": "merge-help", oninput: edited });
  source.spellcheck = false;
  const layout = el("select", { id: "merge-layout", name: "layout", onchange: layoutChanged },
    LAYOUTS.map(([group, items]) => el("optgroup", { label: group }, items.map(([value, text]) => el("option", { value }, text)))));
  const order = select("order", ORDERS, "name", { id: "merge-order" });
  const output = select("output", OUTPUTS, "file", { id: "merge-output" });
  const household = el("input", { id: "merge-household", type: "checkbox", onchange: () => schedulePreview(0) });
  const startAt = el("input", { id: "merge-start-at", type: "number", min: 1, value: 1, oninput: () => schedulePreview() });
  const faxSubject = el("input", { id: "merge-fax-subject", type: "text", placeholder: "The template’s name", oninput: () => schedulePreview() });
  const faxNote = el("input", { id: "merge-fax-note", type: "text", placeholder: "Optional", oninput: () => schedulePreview() });
  const offsetX = el("input", { id: "merge-offset-x", type: "number", step: "0.5", min: -20, max: 20, "aria-label": "Millimetres right", onchange: saveOffset });
  const offsetY = el("input", { id: "merge-offset-y", type: "number", step: "0.5", min: -20, max: 20, "aria-label": "Millimetres down", onchange: saveOffset });
  const offset = el("div", { className: "merge-offset" }, offsetX, " mm right ", offsetY, " mm down");
  const checkButton = el("button", { id: "merge-check", type: "button", className: "button", onclick: check,
    title: "Look through every letter for blanks, typos, missing characters and overflows" }, "Check");
  const cancelButton = el("button", { id: "merge-cancel", type: "button", className: "button", hidden: true,
    onclick: () => cancelJob("print") }, "Cancel");
  const progress = el("progress", { id: "merge-progress", max: 1, value: 0, hidden: true });
  const problems = el("div", { id: "merge-problems", className: "merge-result", hidden: true });
  const runs = el("ul", { id: "merge-runs", className: "merge-runs" });
  const recipients = el("p", { id: "merge-recipients", className: "merge-recipients", "aria-live": "polite" });
  const printButton = el("button", { id: "merge-print", type: "submit", className: "button primary",
    title: "Print a letter for each of them into one PDF" }, "Print");

  const senderHint = el("div", { id: "merge-sender-hint", className: "merge-hint", hidden: true },
    el("p", {}, "Your name and address aren’t set yet, so letters print without a letterhead or return address."),
    el("button", { id: "merge-open-sender", type: "button", className: "button", onclick: onOpenSender }, "My details…"));
  const senderLine = el("span", { className: "merge-from-name" });
  const senderFrom = el("div", { id: "merge-from", className: "merge-setting", hidden: true },
    el("span", { className: "field-label" }, "From"),
    el("div", { className: "merge-from" }, senderLine,
      el("button", { type: "button", className: "link-button", onclick: onOpenSender }, "Change")));

  const resultText = el("p", { className: "merge-result-text" });
  const resultSkipped = el("div", { className: "merge-skipped" });
  const result = el("div", { id: "merge-result", className: "merge-result", role: "status", hidden: true },
    el("div", { className: "merge-result-body" }, resultText, resultSkipped),
    el("button", { type: "button", className: "icon-button", "aria-label": "Dismiss", title: "Dismiss",
      onclick: () => (result.hidden = true) }, "✕"));

  const stepper = createRecipientStepper("preview", { onRow: showRow, onError: (err) => showWarnings([], err) });
  const warnings = el("ul", { id: "merge-warnings", className: "merge-warnings", "aria-live": "polite", hidden: true });
  const preview = el("div", { id: "merge-preview", className: "merge-preview", "aria-label": "Letter preview" });

  const help = el("div", { id: "merge-help", className: "merge-help" },
    el("p", {}, "Fields fill in each contact’s details. Click one to insert it:"),
    el("div", { className: "merge-snippets" }, SNIPPETS.map((text) =>
      el("button", { type: "button", className: "merge-snippet", title: "Insert", onclick: () => insert(text) },
        el("code", {}, text)))));

  const form = el("form", { className: "editor merge-form", noValidate: true, "aria-label": "Letter settings",
    onsubmit: (e) => { e.preventDefault(); print(); } },
    el("div", { className: "merge-settings" },
      senderFrom,
      setting("Layout", "merge-layout", layout),
      setting("Template", "merge-template", templateSelect),
      setting("Fax subject", "merge-fax-subject", faxSubject),
      setting("Fax note", "merge-fax-note", faxNote),
      setting("First label", "merge-start-at", startAt),
      setting("Printer offset", "merge-offset-x", offset),
      setting("Order", "merge-order", order),
      setting("Output", "merge-output", output),
      el("label", { className: "check plain merge-household" }, household, " One per household (same address)")),
    el("div", { className: "field merge-source-field" },
      el("div", { className: "merge-source-label" },
        el("label", { className: "field-label", for: "merge-source" }, "Letter"),
        saveButton,
        revertButton),
      source),
    help,
    el("div", { className: "merge-footer" },
      recipients,
      checkButton,
      cancelButton,
      printButton,
      progress,
      problems,
      result),
    el("details", { className: "merge-runs-part", ontoggle: (e) => e.target.open && loadRuns() },
      el("summary", {}, "Printed before"),
      runs));

  const element = el("section", { id: "merge-view", className: "merge-view", "aria-labelledby": "merge-title" },
    viewHeader("merge", "Print letters",
      "Letters, faxes, envelopes or labels for each contact in the list.",
      onClose, "merge-header"),
    senderHint,
    el("div", { className: "merge-columns" },
      form,
      el("div", { className: "merge-preview-pane" },
        el("div", { className: "merge-preview-top" },
          stepper.element,
          warnings),
        preview)));

  // --- layout ----------------------------------------------------------------------------

  /** Shows the settings that apply to the layout: templates for letters and faxes, and so on. */
  function layoutChanged() {
    const l = layout.value;
    const show = (control, on) => (control.closest(".merge-setting, .field, .merge-household").hidden = !on);
    show(templateSelect, usesTemplate(l));
    show(source, usesTemplate(l));
    help.hidden = !usesTemplate(l);
    show(faxSubject, l === "fax");
    show(faxNote, l === "fax");
    show(startAt, isLabels(l));
    show(offset, !usesTemplate(l));
    if (!usesTemplate(l)) loadOffset(l);
    show(output, !isLabels(l));
    show(household, l !== "fax");
    checkButton.hidden = !usesTemplate(l);
    problems.hidden = true; // a check was of the layout before
    if (isLabels(l)) output.value = "file";
    if (l === "fax") household.checked = false;
    // A fax starts from the fax sample, unless a template was already edited for it.
    if (l === "fax" && !edits.has(currentName()) && samples.some((t) => t.name === "fax-cover")) {
      templateSelect.value = "fax-cover";
      switchTemplate();
      return;
    }
    schedulePreview(0);
  }

  /** The printer's saved offset for envelopes and labels, shown to adjust after a test sheet. */
  async function loadOffset(l) {
    try {
      [offsetX.value, offsetY.value] = (await mergeCalibration(l)).map(String);
    } catch (err) {
      showWarnings([], err);
    }
  }

  async function saveOffset() {
    try {
      await setMergeCalibration(layout.value, [Number(offsetX.value) || 0, Number(offsetY.value) || 0]);
      schedulePreview(0);
    } catch (err) {
      showWarnings([], err);
      loadOffset(layout.value);
    }
  }

  /** The merge as set up here (see api.js). */
  function request() {
    return {
      layout: layout.value,
      templateName: currentName(),
      templateSource: source.value,
      household: household.checked,
      startAt: Math.max(1, Number(startAt.value) || 1),
      faxSubject: faxSubject.value.trim(),
      faxNote: faxNote.value.trim(),
    };
  }

  // --- templates -------------------------------------------------------------------------

  const currentName = () => templateSelect.value;
  const sampleSource = (name) => samples.find((s) => s.name === name)?.source ?? "";

  async function loadTemplates() {
    if (samples.length) return;
    samples = await mergeTemplates();
    templateSelect.replaceChildren(...samples.map((s) => el("option", { value: s.name }, titleOf(s.name))));
    templateSelect.value = samples[0]?.name ?? "";
    source.value = sampleSource(currentName());
  }

  /** Marks the current template as edited (or not) in the select and with the Revert button. */
  function markEdited() {
    const name = currentName();
    const isEdited = edits.has(name);
    const option = templateSelect.selectedOptions[0];
    if (option) option.textContent = isEdited ? `${titleOf(name)} (edited)` : titleOf(name);
    revertButton.hidden = !isEdited;
    saveButton.hidden = !isEdited;
    element.dataset.customised = String(isEdited);
  }

  function edited() {
    const name = currentName();
    if (source.value === sampleSource(name)) edits.delete(name);
    else edits.set(name, source.value);
    markEdited();
    schedulePreview();
  }

  /** Each template keeps its own edits, so switching back and forth loses nothing. */
  function switchTemplate() {
    source.value = edits.get(currentName()) ?? sampleSource(currentName());
    source.scrollTop = 0;
    markEdited();
    schedulePreview(0);
  }

  async function saveTemplateEdits() {
    const name = currentName();
    try {
      const saved = await saveTemplate(name, source.value);
      samples = samples.map((s) => (s.name === name ? saved : s));
      edits.delete(name);
      markEdited();
      showWarnings([`Saved “${titleOf(name)}” in this file.`]);
    } catch (err) {
      showWarnings([], err);
    }
  }

  function revert() {
    edits.delete(currentName());
    source.value = sampleSource(currentName());
    markEdited();
    schedulePreview(0);
    source.focus();
  }

  function insert(text) {
    source.focus();
    source.setRangeText(text, source.selectionStart, source.selectionEnd, "end");
    edited();
  }

  // --- sender ------------------------------------------------------------------------------

  async function loadSender() {
    let sender;
    try {
      sender = await getSender();
    } catch {
      sender = null; // the preview and the print still work; the hint just can't say
    }
    const blank = sender && isBlankSender(sender);
    senderHint.hidden = !blank;
    senderFrom.hidden = !sender || blank;
    if (sender && !blank) senderLine.textContent = [sender.name, sender.company].filter((s) => s.trim()).join(", ") || sender.street;
  }

  // --- recipients and preview ----------------------------------------------------------------

  function showRecipients() {
    recipients.textContent = recipientsText(stepper.list());
    printButton.disabled = printing || stepper.list().total === 0;
  }

  /** The stepper moved to `shown` (null: the search finds no one). */
  function showRow(shown, delay) {
    row = shown;
    showRecipients(); // the count may have changed since the list last said
    if (row) {
      schedulePreview(delay);
      return;
    }
    previewSeq++;
    clearTimeout(previewTimer);
    preview.removeAttribute("aria-busy");
    preview.replaceChildren(el("p", { className: "merge-preview-empty" },
      stepper.list().query.trim() ? "No contacts match the search in the list." : "Add a contact to see a letter here."));
    showWarnings([]);
  }

  function schedulePreview(delay = PREVIEW_DEBOUNCE_MS) {
    clearTimeout(previewTimer);
    preview.setAttribute("aria-busy", "true");
    if (!preview.querySelector(".merge-page")) preview.replaceChildren(el("p", { className: "merge-preview-empty" }, "Preparing the preview…"));
    previewTimer = setTimeout(renderPreview, delay);
  }

  async function renderPreview() {
    if (!row || !samples.length) {
      preview.removeAttribute("aria-busy");
      return;
    }
    const seq = ++previewSeq;
    const who = row;
    let letter;
    try {
      letter = await mergePreview(request(), who.id);
    } catch (err) {
      if (seq !== previewSeq) return;
      preview.classList.add("stale"); // the last good letter stays, dimmed, under the error
      preview.removeAttribute("aria-busy");
      if (!preview.querySelector(".merge-page")) preview.replaceChildren();
      showWarnings([], err);
      return;
    }
    if (seq !== previewSeq) return;
    preview.classList.remove("stale");
    preview.removeAttribute("aria-busy");
    const count = letter.pages.length;
    preview.replaceChildren(...letter.pages.map((svg, n) => el("img", {
      className: "merge-page",
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
      alt: `Page ${n + 1} of ${count} for ${who.displayName} (${LAYOUT_TEXT[layout.value]})`,
    })));
    showWarnings([
      ...letter.unknownFields.map((name) => `Unknown field: ${name} — check the spelling`),
      letter.skipReason && `${who.displayName} will be skipped: ${letter.skipReason}`,
    ].filter(Boolean));
  }

  function showWarnings(messages, error = null) {
    warnings.replaceChildren(
      ...(error ? [el("li", { className: "merge-error" }, templateMessage(error.message))] : []),
      ...messages.map((text) => el("li", { className: "merge-warning" }, text)));
    warnings.hidden = warnings.childElementCount === 0;
  }

  // --- checking and printing --------------------------------------------------------------

  async function check() {
    problems.hidden = false;
    problems.replaceChildren(el("p", {}, "Checking every letter…"));
    let found;
    try {
      found = await mergePreflight(request(), recipientsOf(stepper.list()), order.value);
    } catch (err) {
      problems.replaceChildren(el("p", { className: "merge-error" }, templateMessage(err.message)));
      return;
    }
    problems.replaceChildren(
      el("p", { className: "merge-skipped-title" }, found.total ? `${plural(found.total, "thing")} to look at:` : "Nothing to fix: every letter is fine."),
      el("ul", { className: "merge-problem-list" }, found.problems.map((p) => el("li", {},
        el("button", { type: "button", className: "link-button", onclick: () => goTo(p) }, p.message)))));
  }

  /** A problem's place: its contact's letter in the preview, or its line in the template. */
  function goTo(problem) {
    if (problem.contactId) stepper.showContact(problem.contactId);
    if (problem.line) {
      const lines = source.value.split("\n");
      const start = lines.slice(0, problem.line - 1).reduce((n, l) => n + l.length + 1, 0);
      source.focus();
      source.setSelectionRange(start, start + (lines[problem.line - 1]?.length ?? 0));
    }
  }

  function setPrinting(on) {
    printing = on;
    printButton.hidden = on;
    cancelButton.hidden = !on;
    progress.hidden = !on;
    element.setAttribute("aria-busy", String(on));
    showRecipients();
  }

  async function print() {
    if (printing || stepper.list().total === 0 || !samples.length) return;
    result.hidden = true;
    try {
      await mergePrint(request(), recipientsOf(stepper.list()), order.value, output.value === "folder");
      setPrinting(true);
    } catch (err) {
      showWarnings([], { message: `Couldn’t print: ${templateMessage(err.message)}` });
    }
  }

  async function reprint(id) {
    result.hidden = true;
    try {
      await mergeReprint(id);
      setPrinting(true);
    } catch (err) {
      showWarnings([], { message: `Couldn’t print again: ${err.message}` });
    }
  }

  onJob("print", (report) => {
    if (report.state === "progress") {
      setPrinting(true);
      progress.max = Math.max(report.total, 1);
      progress.value = report.done;
      return;
    }
    setPrinting(false);
    if (report.state === "done") {
      showResult(report.result);
      if (warnings.querySelector(".merge-error")) schedulePreview(0); // an earlier error is out of date
    } else if (report.state === "cancelled" || report.error?.kind === "cancelled") {
      showWarnings(["Printing cancelled: nothing was written."]);
    } else {
      showWarnings([], { message: `Couldn’t print: ${templateMessage(report.error.message)}` });
    }
  });

  function showResult({ printed, pages, bytes, skipped, files }) {
    const where = files.length === 1 ? files[0] : files[0]?.replace(/[\\/][^\\/]*$/, "");
    const what = files.length > 1 ? ` as ${plural(files.length, "PDF")}` : "";
    const noun = layout.value === "fax" ? "fax" : layout.value.startsWith("envelope") ? "envelope" : isLabels(layout.value) ? "label" : "letter";
    resultText.replaceChildren(`Printed ${plural(printed, noun, noun === "fax" ? "faxes" : undefined)} (${plural(pages, "page")}, ${formatBytes(bytes)})${what} to `,
      el("span", { className: "merge-path" }, where ?? ""));
    resultSkipped.replaceChildren(...(skipped.length ? [
      el("p", { className: "merge-skipped-title" }, `Skipped ${number.format(skipped.length)}:`),
      el("ul", { className: "merge-skipped-list" }, skipped.map((s) => el("li", {}, `${s.name} — ${s.reason}`))),
    ] : []));
    result.hidden = false;
    result.scrollIntoView({ block: "nearest" });
    loadRuns();
  }

  async function loadRuns() {
    let list;
    try {
      list = await mergeRuns();
    } catch (err) {
      showWarnings([], err);
      return;
    }
    runs.replaceChildren(...(list.length ? list.slice(0, 20).map((r) => el("li", { dataset: { id: r.id } },
      el("span", {}, `${formatTimestamp(r.createdAt)} · ${LAYOUT_TEXT[r.layout] ?? r.layout}${r.templateName ? ` · ${titleOf(r.templateName)}` : ""} · ${plural(r.printed, "recipient")}`),
      el("button", { type: "button", className: "link-button", onclick: () => reprint(r.id) }, "Print again")))
      : [el("li", { className: "muted" }, "Nothing printed yet.")]));
  }

  // --- the app's calls -----------------------------------------------------------------------

  /** Each time the view is shown: fresh sender, the list's search, and the selected contact. */
  async function enter(results) {
    stepper.setList(results);
    showRecipients();
    loadSender();
    try {
      await loadTemplates();
      markEdited();
      layoutChanged();
    } catch (err) {
      showWarnings([], err);
      return;
    }
    stepper.at(Math.max(results.selectedIndex, 0));
  }

  /** The list ran a search (or re-read one) while the view is on screen. */
  function listChanged(results) {
    if (stepper.listChanged(results)) showRecipients();
  }

  return {
    element,
    enter,
    listChanged,
    focusFirst: () => layout.focus(),
    focusPrint: () => printButton.focus(),
  };
}
