/**
 * The Outbox: every message Rolodeck was asked to send, newest first, with its state. Sending
 * runs as the background job "outbox": Send now starts it (and Pause stops it after the message
 * in hand), its progress shows in the bar, and each message that failed or may have arrived
 * ("uncertain") can be retried or dropped — an uncertain one only by the user, so nothing is
 * sent twice by itself. Below: record an unsubscribe or a bounce.
 */

import { cancelJob, onJob, outbox, outboxDrop, outboxRetry, outboxSend, suppressEmail } from "../api.js";
import { confirmAction } from "../confirm.js";
import { el } from "../dom.js";
import { formatTimestamp, select } from "./contact.js";
import { viewHeader } from "./view-header.js";

const STATES = ["queued", "sending", "sent", "failed", "uncertain", "cancelled"];
const STATE_TEXT = {
  queued: "Queued", sending: "Sending", sent: "Sent", failed: "Failed",
  uncertain: "May have arrived", cancelled: "Dropped",
};
const REASONS = [["unsubscribed", "Unsubscribed"], ["bounced", "Bounced"], ["complained", "Complained (spam)"]];
/** How many messages the table shows; the counts above cover them all. */
const SHOWN = 500;

export function createOutboxView({ onClose, onCounts, onError }) {
  let running = false;
  let messages = [];

  const counts = el("dl", { id: "outbox-counts", className: "outbox-counts" });
  const sendButton = el("button", { id: "outbox-send", type: "button", className: "button primary", onclick: send }, "Send now");
  const pauseButton = el("button", { id: "outbox-pause", type: "button", className: "button", hidden: true, onclick: pause }, "Pause");
  const dropButton = el("button", { id: "outbox-drop-queued", type: "button", className: "button danger", onclick: dropQueued }, "Drop queued…");
  const bar = el("progress", { id: "outbox-progress", max: 1, value: 0, hidden: true });
  const status = el("p", { id: "outbox-status", className: "outbox-status", role: "status" });
  const rows = el("tbody", { id: "outbox-rows" });
  const table = el("table", { className: "outbox-table" },
    el("thead", {}, el("tr", {}, ["To", "Subject", "State", ""].map((h) => el("th", { scope: "col" }, h)))), rows);

  const address = el("input", { id: "suppress-address", type: "email", placeholder: "someone@example.com", "aria-label": "Address" });
  const reason = select("reason", REASONS, "unsubscribed", { id: "suppress-reason", "aria-label": "Reason" });
  const suppressNote = el("p", { id: "suppress-result", className: "field-note", role: "status" });

  const element = el("section", { id: "outbox-view", className: "outbox-view", "aria-labelledby": "outbox-title" },
    viewHeader("outbox", "Outbox",
      "Messages wait here until your server takes them; quitting or going offline loses none.",
      onClose),
    el("div", { className: "outbox-bar" }, counts, el("span", { className: "topbar-spacer" }), dropButton, pauseButton, sendButton),
    bar,
    status,
    table,
    el("form", { className: "editor form-card outbox-suppress", onsubmit: (e) => { e.preventDefault(); suppress(); } },
      el("h2", { className: "group-title" }, "Record an unsubscribe or a bounce"),
      el("p", { className: "field-note" }, "The address gets no more email, and its contact is marked do-not-email."),
      el("div", { className: "form-row mail-test" }, address, reason, el("button", { type: "submit", className: "button" }, "Record")),
      suppressNote));

  function showCounts(c) {
    counts.replaceChildren(...STATES.filter((s) => c[s] > 0).flatMap((s) => [
      el("dt", { className: `state-${s}` }, STATE_TEXT[s]), el("dd", { dataset: { state: s } }, String(c[s]))]));
    if (!counts.childElementCount) counts.append(el("dt", {}, "Nothing sent yet"));
    dropButton.hidden = c.queued === 0;
    onCounts(c);
  }

  function actions(m) {
    const buttons = [];
    if (["failed", "uncertain"].includes(m.state)) {
      buttons.push(el("button", { type: "button", className: "link-button", onclick: () => act(outboxRetry(m.id)),
        title: m.state === "uncertain" ? "It may arrive twice" : "Try again now" }, m.state === "uncertain" ? "Send again" : "Retry"));
    }
    if (["queued", "failed", "uncertain"].includes(m.state)) {
      buttons.push(el("button", { type: "button", className: "link-button", onclick: () => act(outboxDrop([m.id])) }, "Drop"));
    }
    return buttons;
  }

  function showMessages() {
    rows.replaceChildren(...messages.slice(0, SHOWN).map((m) => el("tr", { dataset: { state: m.state, id: m.id } },
      el("td", {}, el("div", {}, m.toName || m.toAddress), el("div", { className: "muted" }, m.toAddress)),
      el("td", {}, m.subject),
      el("td", {},
        el("span", { className: `state-chip state-${m.state}` }, STATE_TEXT[m.state]),
        m.lastError && el("div", { className: "outbox-error" }, m.lastError),
        el("div", { className: "muted" }, m.sentAt ? `sent ${formatTimestamp(m.sentAt)}` : m.state === "queued" && m.attempts
          ? `try ${m.attempts + 1} at ${formatTimestamp(m.nextAttemptAt)}` : "")),
      el("td", { className: "outbox-actions" }, actions(m)))));
    if (!messages.length) rows.append(el("tr", {}, el("td", { colSpan: 4, className: "muted" }, "No messages yet. Write one from Email.")));
  }

  async function refresh() {
    try {
      const box = await outbox();
      messages = box.messages;
      showCounts(box.counts);
      showMessages();
    } catch (err) {
      onError(err);
    }
  }

  async function act(promise) {
    try {
      await promise;
    } catch (err) {
      onError(err);
    }
    await refresh();
  }

  function setRunning(on) {
    running = on;
    sendButton.hidden = on;
    pauseButton.hidden = !on;
    bar.hidden = !on;
  }

  async function send() {
    status.textContent = "";
    try {
      await outboxSend(true);
      setRunning(true);
    } catch (err) {
      if (err.kind !== "busy") onError(err);
      else setRunning(true);
    }
  }

  async function pause() {
    status.textContent = "Pausing after the message being sent…";
    await cancelJob("outbox");
  }

  async function dropQueued() {
    const queued = messages.filter((m) => m.state === "queued");
    if (!queued.length) return;
    const [question, detail] = queued.length === 1
      ? ["Drop the queued message?", "It will never be sent."]
      : [`Drop ${queued.length} queued messages?`, "They will never be sent."];
    if (!(await confirmAction(question, { detail, action: "Drop" }))) return;
    if (running) await cancelJob("outbox");
    await act(outboxDrop(queued.map((m) => m.id)));
  }

  async function suppress() {
    try {
      await suppressEmail(address.value.trim(), reason.value, "");
      suppressNote.textContent = `${address.value.trim()} gets no more email.`;
      address.value = "";
      await refresh();
    } catch (err) {
      suppressNote.textContent = err.message;
    }
  }

  /** Reports of the send job, wherever the window is: the view and the badge stay current. */
  onJob("outbox", (report) => {
    if (report.state === "progress") {
      setRunning(true);
      bar.max = Math.max(report.total, 1);
      bar.value = report.done;
      status.textContent = `Sending ${report.done} of ${report.total}…`;
    } else {
      setRunning(false);
      const r = report.result;
      status.textContent = report.state === "failed" ? report.error.message
        : r && [`Sent ${r.sent}`, r.failed && `${r.failed} failed`, r.uncertain && `${r.uncertain} may have arrived — check them below`,
          r.cancelled && `${r.cancelled} dropped (consent changed)`, r.waiting && `${r.waiting} waiting to retry`,
          report.state === "cancelled" && "paused", r.stoppedBy].filter(Boolean).join(", ") + ".";
    }
    refresh();
  });

  return { element, refresh, send, focusFirst: () => sendButton.focus() };
}
