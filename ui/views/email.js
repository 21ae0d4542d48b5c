/**
 * The Email view: write one message with merge fields, see it as each recipient will get it,
 * and queue it for everyone the list's current search finds; the outbox then sends it, from
 * a background job, throttled. The app keeps the view, so a half-written message survives a
 * detour, and calls `enter(results)` / `listChanged(results)` as for Letters.
 */

import { emailPreview, mailSettings, mergeTemplates, outboxSend, queueEmail, recipientsOf } from "../api.js";
import { el } from "../dom.js";
import { select } from "./contact.js";
import { plural, recipientsText, setting, templateMessage } from "./merge.js";
import { createRecipientStepper } from "./stepper.js";
import { viewHeader } from "./view-header.js";

const PREVIEW_DEBOUNCE_MS = 250;
const KINDS = [["email", "Email"], ["fax", "Fax, through the gateway"]];
const PAPERS = [["us-window", "US Letter"], ["din-a", "A4 · DIN 5008 A"], ["din-b", "A4 · DIN 5008 B"]];
const DATE_STYLES = [["us", "November 26, 2026"], ["international", "26 November 2026"], ["german", "26. November 2026"]];
const FIRST_SUBJECT = "A quick note for {{ company | fallback(\"you\") }}";
const FIRST_BODY = "{{ greeting }},\n\nI help businesses like yours with … Would a short call next week suit you?\n\nBest regards,\n{{ sender.name }}";

export function createEmailView({ onClose, onOpenSettings, onOpenOutbox }) {
  let row = null;
  let previewSeq = 0;
  let previewTimer = 0;
  let queueing = false;

  const subject = el("input", { id: "email-subject", type: "text", name: "subject", value: FIRST_SUBJECT, oninput: () => schedulePreview() });
  const body = el("textarea", { id: "email-body", name: "body", className: "merge-source", rows: 12, oninput: () => schedulePreview() });
  body.value = FIRST_BODY;
  const kind = select("kind", KINDS, "email", { id: "email-kind", onchange: () => { letterChanged(); schedulePreview(0); } });
  const dateStyle = select("dateStyle", DATE_STYLES, "us", { id: "email-date-style", onchange: () => schedulePreview(0) });
  const html = el("input", { id: "email-html", type: "checkbox", name: "html", checked: true });
  const letter = el("select", { id: "email-letter", name: "letter", onchange: letterChanged }, el("option", { value: "" }, "No letter"));
  const paper = select("paper", PAPERS, "us-window", { id: "email-paper" });
  const from = el("span", { id: "email-from", className: "merge-from-name" });
  const recipients = el("p", { id: "email-recipients", className: "merge-recipients", "aria-live": "polite" });
  const queueButton = el("button", { id: "email-queue", type: "submit", className: "button primary",
    title: "Merge the message for each of them and send it from the outbox" }, "Send");
  const result = el("div", { id: "email-result", className: "merge-result", role: "status", hidden: true });

  const stepper = createRecipientStepper("email-preview", { onRow: showRow, onError: (err) => showWarnings([err.message]) });
  const warnings = el("ul", { id: "email-warnings", className: "merge-warnings", "aria-live": "polite", hidden: true });
  const toLine = el("span", { id: "email-preview-to" });
  const subjectLine = el("span", { id: "email-preview-subject" });
  const text = el("pre", { id: "email-preview-text", className: "email-text" });
  const preview = el("article", { id: "email-preview", className: "email-preview", "aria-label": "Message preview" },
    el("dl", { className: "email-headers" }, el("dt", {}, "To"), el("dd", {}, toLine), el("dt", {}, "Subject"), el("dd", {}, subjectLine)),
    text);

  const form = el("form", { className: "editor merge-form", noValidate: true, "aria-label": "Message",
    onsubmit: (e) => { e.preventDefault(); queue(); } },
    el("div", { className: "merge-settings" },
      el("div", { className: "merge-setting" }, el("span", { className: "field-label" }, "From"),
        el("div", { className: "merge-from" }, from,
          el("button", { type: "button", className: "link-button", onclick: onOpenSettings }, "Settings"))),
      setting("Send as", "email-kind", kind),
      setting("Dates", "email-date-style", dateStyle),
      setting("Attach letter", "email-letter", letter),
      setting("Letter paper", "email-paper", paper),
      setting("Subject", "email-subject", subject)),
    el("div", { className: "field merge-source-field" },
      el("label", { className: "field-label", for: "email-body" }, "Message"),
      body),
    el("label", { className: "check plain" }, html, " Also send a formatted (HTML) version"),
    el("div", { className: "merge-footer" }, recipients, queueButton, result));

  const element = el("section", { id: "email-view", className: "merge-view", "aria-labelledby": "email-title" },
    viewHeader("email", "Send email",
      "One message for each contact in the list, merged and sent from your mailbox. Unsubscribes and do-not-email are respected.",
      onClose, "merge-header"),
    el("div", { className: "merge-columns" },
      form,
      el("div", { className: "merge-preview-pane" },
        el("div", { className: "merge-preview-top" }, stepper.element, warnings),
        preview)));

  const draft = () => ({ subject: subject.value, body: body.value, html: html.checked, fax: kind.value === "fax",
    dateStyle: dateStyle.value, letter: kind.value === "email" && letter.value ? letter.value : null, paper: paper.value });

  /** Each recipient's own letter goes with their email as a PDF; a fax carries its own pages. */
  function letterChanged() {
    paper.closest(".merge-setting").hidden = !letter.value || kind.value === "fax";
    letter.closest(".merge-setting").hidden = kind.value === "fax";
  }

  async function loadLetters() {
    if (letter.options.length > 1) return;
    try {
      const templates = await mergeTemplates();
      letter.append(...templates.map((t) => el("option", { value: t.name }, t.name.replace(/[-_]+/g, " "))));
    } catch (err) {
      showWarnings([err.message]);
    }
  }

  function showWarnings(messages) {
    warnings.replaceChildren(...messages.map((m) => el("li", { className: "merge-warning" }, templateMessage(m))));
    warnings.hidden = messages.length === 0;
  }

  function showRecipients() {
    recipients.textContent = recipientsText(stepper.list());
    queueButton.disabled = queueing || stepper.list().total === 0;
  }

  function showRow(shown, delay) {
    row = shown;
    showRecipients();
    if (row) {
      schedulePreview(delay);
      return;
    }
    previewSeq++;
    toLine.textContent = subjectLine.textContent = "";
    text.textContent = "No one to preview.";
  }

  function schedulePreview(delay = PREVIEW_DEBOUNCE_MS) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, delay);
  }

  async function renderPreview() {
    if (!row) return;
    const seq = ++previewSeq;
    try {
      const message = await emailPreview(draft(), row.id);
      if (seq !== previewSeq) return;
      preview.classList.toggle("stale", Boolean(message.skipReason));
      toLine.textContent = message.to ?? "—";
      subjectLine.textContent = message.subject;
      text.textContent = message.text;
      showWarnings([
        ...message.unknownFields.map((name) => `Unknown field: ${name} — check the spelling`),
        message.skipReason && `${row.displayName} will be skipped: ${message.skipReason}`,
      ].filter(Boolean));
    } catch (err) {
      if (seq !== previewSeq) return;
      preview.classList.add("stale");
      showWarnings([err.message]);
    }
  }

  async function queue() {
    if (queueing || stepper.list().total === 0) return;
    queueing = true;
    queueButton.disabled = true;
    result.hidden = true;
    try {
      const queued = await queueEmail(draft(), recipientsOf(stepper.list()));
      if (queued.queued) await startSending();
      result.replaceChildren(
        el("p", {}, queued.queued ? `Queued ${plural(queued.queued, "message")}${draft().letter ? ", each with its letter as a PDF" : ""}; sending from the outbox. ` : "Nothing queued: no one could be sent this message.",
          queued.queued ? el("button", { id: "email-open-outbox", type: "button", className: "link-button", onclick: onOpenOutbox }, "Open the Outbox") : null),
        ...(queued.skipped.length ? [el("p", { className: "merge-skipped-title" }, `Skipped ${queued.skipped.length}:`),
          el("ul", { className: "merge-skipped-list" }, queued.skipped.map((s) => el("li", {}, `${s.name} — ${s.reason}`)))] : []));
      result.hidden = false;
    } catch (err) {
      showWarnings([`Couldn’t queue: ${err.message}`]);
    } finally {
      queueing = false;
      showRecipients();
    }
  }

  /** The outbox job sends them; one already running picks them up too. */
  async function startSending() {
    try {
      await outboxSend(false);
    } catch (err) {
      if (err.kind !== "busy") throw err;
    }
  }

  async function loadFrom() {
    try {
      const { settings } = await mailSettings();
      from.textContent = settings.fromAddress
        ? [settings.fromName, `<${settings.fromAddress}>`].filter(Boolean).join(" ")
        : "No mail server set up yet";
    } catch (err) {
      from.textContent = err.message;
    }
  }

  return {
    element,
    enter(results) {
      loadFrom();
      loadLetters();
      letterChanged();
      stepper.setList(results);
      showRecipients();
      stepper.at(Math.max(results.selectedIndex, 0));
    },
    listChanged(results) {
      if (stepper.listChanged(results)) showRecipients();
    },
    focusFirst: () => subject.focus(),
  };
}
