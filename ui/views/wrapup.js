/**
 * The wrap-up dialog: the 3-step mantra after every call, meeting or letter, enforced.
 *   1. Note what happened (kind, day, summary — required).
 *   2. Decide the next action — or say explicitly that there is no next step.
 *   3. Put a follow-up date on it.
 * It can't be saved without a decision in step 2. Errors (ours, or the backend's, which name
 * `summary`, `next.text` and `next.dueOn`) are shown beside their fields and nothing typed is
 * lost: not on an error, and not on Esc either, since an unsaved wrap-up is kept per contact
 * until the dialog is opened for that contact again.
 *
 * A modal <dialog>: the page behind is inert, Tab cycles inside it, Esc closes it, and
 * Ctrl+Enter saves. `onSaved(workflow, wrapUp)` gets the contact's workflow as log_activity
 * returns it.
 */

import { logActivity } from "../api.js";
import { addDays, addMonths, daysBetween, formatWeekdayDay, isoDay, parseDay, relativeDay } from "../dates.js";
import { el, shortcut } from "../dom.js";
import { formErrors } from "../form-errors.js";
import { field, select, textInput } from "./contact.js";
import { KIND_OPTIONS, kindBadge } from "./kinds.js";

const TITLES = { outcome: "Log outcome", activity: "Log activity", decide: "Decide the next step" };

/** What was typed into a dialog that was closed without saving, by contact id. */
const drafts = new Map();

let open = null; // the dialog on screen: { contactId, close }

const QUICK_DATES = [
  ["Tomorrow", (today) => addDays(today, 1)],
  ["Next week", (today) => addDays(today, 7)],
  ["In a month", (today) => addMonths(today, 1)],
];

/**
 * Opens the wrap-up for one contact.
 * `mode`: "outcome" (a follow-up was done: `followUp` is it), "activity" (`nextAction` is the
 * contact's open next step, offered again) or "decide" (no next step yet: decide one).
 */
export function openWrapUp({ contactId, name, mode = "activity", followUp = null, nextAction = null, onSaved }) {
  if (open) {
    if (open.contactId === contactId) return;
    open.close();
  }
  const today = isoDay();
  const opener = document.activeElement;
  let saving = false;
  let saved = false;

  // --- initial values: a kept draft, else what the mode suggests ---------------------------
  const values = {
    kind: followUp?.kind ?? (mode === "decide" ? "note" : "call"),
    happenedOn: today,
    summary: "",
    nextChoice: mode === "decide" ? "action" : "",
    nextKind: "call",
    nextText: "",
    nextDue: addDays(today, 7),
  };
  if (mode === "activity" && nextAction) {
    Object.assign(values, {
      nextChoice: "action",
      nextKind: nextAction.kind,
      nextText: nextAction.text,
      nextDue: nextAction.dueOn >= today ? nextAction.dueOn : addDays(today, 7),
    });
  }
  const draft = drafts.get(contactId);
  if (draft) Object.assign(values, draft);

  // --- step 1: what happened ------------------------------------------------------------
  const kind = select("kind", KIND_OPTIONS, values.kind, { id: "wrapup-kind" });
  const happenedOn = el("input", { type: "date", name: "happenedOn", id: "wrapup-when", value: values.happenedOn, max: today,
    dataset: { field: "happenedAt" } });
  const summary = el("textarea", { name: "summary", id: "wrapup-summary", rows: 3, value: values.summary, required: true,
    placeholder: "What was said, what was agreed, what you learned…", dataset: { field: "summary" } });

  // --- step 2: the next action, or none ---------------------------------------------------
  const choice = (value, label, hint) => el("label", { className: "wrapup-choice" },
    el("input", { type: "radio", name: "nextChoice", value, checked: values.nextChoice === value }),
    el("span", { className: "wrapup-choice-text" },
      el("span", { className: "wrapup-choice-label" }, label),
      el("span", { className: "wrapup-choice-hint" }, hint)));
  const choices = el("div", { className: "wrapup-choices", role: "radiogroup", "aria-label": "Next step", dataset: { field: "next" } },
    choice("action", "Next action", "What you’ll do, and when"),
    choice("none", "No next step", "They go on Today’s “no next step” list"));
  const nextKind = select("nextKind", KIND_OPTIONS, values.nextKind, { id: "wrapup-next-kind" });
  const nextText = textInput("nextText", values.nextText, { id: "wrapup-next-text", placeholder: "Send the proposal, call back about…",
    dataset: { field: "next.text" } });
  nextText.spellcheck = true;

  // --- step 3: the follow-up date -------------------------------------------------------
  const nextDue = el("input", { type: "date", name: "nextDue", id: "wrapup-next-due", value: values.nextDue, min: today,
    dataset: { field: "next.dueOn" } });
  const duePhrase = el("span", { className: "wrapup-due-phrase", id: "wrapup-due-phrase", "aria-live": "polite" });
  const quickButtons = QUICK_DATES.map(([label, date]) => el("button", { type: "button", className: "button small quick-date",
    dataset: { date: date(today) }, onclick: () => setDue(date(today)) }, label));

  const nextStep = el("fieldset", { className: "wrapup-step", id: "wrapup-next" },
    stepHeading(2, "Decide the next action"),
    choices,
    el("div", { className: "wrapup-row wrapup-row-next" },
      field("Kind", nextKind, { className: "field-kind" }),
      field("Next action", nextText)));
  const dueStep = el("fieldset", { className: "wrapup-step", id: "wrapup-due" },
    stepHeading(3, "Set the follow-up date"),
    el("div", { className: "wrapup-due-row" },
      field("Follow-up date", nextDue, { hideLabel: true, className: "field-due" }),
      el("div", { className: "quick-dates", role: "group", "aria-label": "Quick dates" }, quickButtons)),
    duePhrase);

  const formError = el("div", { className: "form-error", role: "alert", tabIndex: -1, hidden: true });
  const saveButton = el("button", { id: "wrapup-save", type: "submit", className: "button primary",
    title: `Save (${shortcut("Enter")})` }, "Save");

  const form = el("form", { className: "editor wrapup-form", noValidate: true,
    onsubmit: (e) => { e.preventDefault(); save(); }, oninput: changed, onchange: changed },
    el("header", { className: "wrapup-header" },
      el("div", { className: "wrapup-heading" },
        el("h2", { id: "wrapup-title", className: "wrapup-title" }, TITLES[mode] ?? TITLES.activity),
        el("p", { className: "wrapup-who" }, name)),
      el("button", { type: "button", className: "icon-button", "aria-label": "Close", title: "Close (Esc)", onclick: () => close() }, "✕")),
    el("div", { className: "wrapup-body" },
      context(),
      draft && el("p", { className: "wrapup-restored" }, "Picked up where you left off."),
      formError,
      el("fieldset", { className: "wrapup-step" },
        stepHeading(1, "Note what happened"),
        el("div", { className: "wrapup-row" },
          field("Kind", kind, { className: "field-kind" }),
          field("When", happenedOn, { className: "field-when" })),
        field("What happened", summary)),
      nextStep,
      dueStep),
    el("footer", { className: "wrapup-footer" },
      el("span", { className: "wrapup-shortcut" }, el("kbd", {}, shortcut("Enter")), " to save"),
      el("button", { type: "button", className: "button", id: "wrapup-cancel", onclick: () => close() }, "Cancel"),
      saveButton));

  // An error goes after its field's label, so it spans the row under it (see form-errors.js).
  const fieldErrors = formErrors(form, formError, { idPrefix: "wrapup-error-", afterField: true });

  const dialog = el("dialog", { id: "wrapup", className: "wrapup", "aria-labelledby": "wrapup-title",
    onkeydown: onKey, onclose: closed }, form);

  function stepHeading(n, text) {
    return el("legend", { className: "wrapup-step-title" }, el("span", { className: "step-number", "aria-hidden": "true" }, String(n)), text);
  }

  function context() {
    const shown = mode === "outcome" ? followUp : mode === "activity" ? nextAction : null;
    if (!shown) {
      return mode === "decide"
        ? el("p", { className: "wrapup-context" }, "Note the last thing that happened, then decide what comes next.")
        : null;
    }
    const overdue = shown.dueOn < today;
    return el("div", { className: "wrapup-context" },
      el("span", { className: "wrapup-context-label" }, mode === "outcome" ? "Follow-up" : "Current next step"),
      el("span", { className: "wrapup-context-item" }, kindBadge(shown.kind),
        el("span", { className: "wrapup-context-text" }, shown.text),
        el("span", { className: `wrapup-context-due${overdue ? " overdue" : ""}`, title: formatWeekdayDay(shown.dueOn) },
          `due ${relativeDay(shown.dueOn)}`)),
      mode === "activity" && el("span", { className: "wrapup-context-hint" }, "It stays as below unless you change it."));
  }

  // --- behaviour ------------------------------------------------------------------------

  const chosen = () => form.elements.namedItem("nextChoice").value;

  function syncChoice() {
    const none = chosen() === "none";
    for (const part of [nextKind, nextText, nextDue, ...quickButtons]) part.disabled = none;
    nextStep.classList.toggle("no-next", none);
    dueStep.classList.toggle("no-next", none);
    showDue();
  }

  function setDue(day) {
    nextDue.value = day;
    pickAction();
    fieldErrors.clear(nextDue);
    showDue();
    nextDue.focus();
  }

  /** Typing a next action is choosing one. */
  function pickAction() {
    if (!chosen()) {
      form.querySelector('[name="nextChoice"][value="action"]').checked = true;
      fieldErrors.clear(choices);
      syncChoice();
    }
  }

  function showDue() {
    const day = nextDue.value;
    for (const b of quickButtons) b.setAttribute("aria-pressed", String(b.dataset.date === day));
    if (chosen() === "none") duePhrase.textContent = "No follow-up date: there’s no next step.";
    else if (parseDay(day)) duePhrase.textContent = `${formatWeekdayDay(day)} · ${relativeDay(day)}`;
    else duePhrase.textContent = "";
  }

  function changed(e) {
    const target = e.target;
    if (target.name === "nextChoice") {
      fieldErrors.clear(choices);
      syncChoice();
    } else if ([nextKind, nextText, nextDue].includes(target)) {
      pickAction();
      if (target === nextDue) showDue();
    }
    fieldErrors.clear(target);
  }

  function onKey(e) {
    e.stopPropagation(); // the app's shortcuts wait while the dialog is open
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      save();
    } else if (e.key === "Tab") {
      trapFocus(e);
    }
  }

  function trapFocus(e) {
    const focusable = [...dialog.querySelectorAll("button, input, select, textarea")]
      .filter((node) => !node.disabled && node.getClientRects().length > 0
        && !(node.type === "radio" && !node.checked && form.querySelector(`[name="${node.name}"]:checked`)));
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable.at(-1);
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  function read() {
    return {
      kind: kind.value,
      happenedOn: happenedOn.value,
      summary: summary.value,
      nextChoice: chosen(),
      nextKind: nextKind.value,
      nextText: nextText.value,
      nextDue: nextDue.value,
    };
  }

  /** The wrap-up as log_activity expects it, or the problems that keep it from being sent. */
  function collect() {
    const v = read();
    const errors = [];
    const problem = (field, message) => errors.push({ field, message });
    if (!v.summary.trim()) problem("summary", "Say in a few words what happened.");
    if (!parseDay(v.happenedOn)) problem("happenedAt", "Pick the day it happened.");
    else if (v.happenedOn > today) problem("happenedAt", "It can’t have happened in the future.");
    if (!v.nextChoice) {
      problem("next", "Decide the next step: a next action with its date, or “No next step”.");
    } else if (v.nextChoice === "action") {
      if (!v.nextText.trim()) problem("next.text", "Say what the next step is, or choose “No next step”.");
      if (!parseDay(v.nextDue)) problem("next.dueOn", "Pick a follow-up date.");
      else if (parseDay(v.happenedOn) && daysBetween(v.happenedOn, v.nextDue) < 0) {
        problem("next.dueOn", "The next step can’t be due before the activity happened.");
      }
    }
    // Today's activity happened now; an earlier day's, at noon (its exact time isn't asked).
    const at = v.happenedOn === today ? new Date() : parseDay(v.happenedOn);
    if (v.happenedOn !== today && at) at.setHours(12);
    const wrapUp = {
      kind: v.kind,
      summary: v.summary.trim(),
      happenedAt: at ? at.toISOString() : "",
      next: v.nextChoice === "action"
        ? { step: "action", kind: v.nextKind, text: v.nextText.trim(), dueOn: v.nextDue }
        : { step: "noNextStep" },
    };
    return { wrapUp, errors };
  }

  async function save() {
    if (saving) return;
    fieldErrors.clearAll();
    const { wrapUp, errors } = collect();
    if (errors.length) {
      showErrors({ kind: "invalid", message: "", fields: errors });
      return;
    }
    saving = true;
    saveButton.disabled = true;
    saveButton.textContent = "Saving…";
    let workflow;
    try {
      workflow = await logActivity(contactId, wrapUp);
    } catch (err) {
      showErrors(err);
      return;
    } finally {
      saving = false;
      saveButton.disabled = false;
      saveButton.textContent = "Save";
    }
    saved = true;
    drafts.delete(contactId);
    close();
    onSaved?.(workflow, wrapUp);
  }

  function showErrors(err) {
    fieldErrors.report(err, `Couldn’t save: ${err.message || "something went wrong."}`);
  }

  // --- open and close -------------------------------------------------------------------

  function close() {
    if (dialog.open) dialog.close();
  }

  /** After any close (Esc, Cancel, ✕, saved): keep what was typed, give focus back. */
  function closed() {
    if (!saved) {
      const v = read();
      if (Object.keys(v).some((key) => v[key] !== values[key])) drafts.set(contactId, v);
    }
    dialog.remove();
    if (open?.dialog === dialog) open = null;
    if (opener?.isConnected) opener.focus();
  }

  document.body.append(dialog);
  open = { contactId, dialog, close };
  syncChoice();
  dialog.showModal();
  summary.focus();
  if (draft) summary.setSelectionRange(summary.value.length, summary.value.length);
}

/** Closes the wrap-up if one is open (keeping what was typed); true if one was. */
export function closeWrapUp() {
  if (!open) return false;
  open.close();
  return true;
}
