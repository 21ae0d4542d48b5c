/**
 * Data quality: how complete the file is, each thing worth fixing (invalid emails, phone
 * numbers that can't be real, addresses without a postal code, missing key fields, contacts
 * untouched for months) — each opens its contact — and likely duplicates, found by the
 * background job "duplicates".
 */

import { QUALITY_SHOWN, cancelJob, onJob, quality, scanDuplicates } from "../api.js";
import { el } from "../dom.js";
import { select } from "./contact.js";
import { showPair } from "./duplicates.js";
import { viewHeader } from "./view-header.js";

const KINDS = [
  ["", "Everything"],
  ["invalidEmail", "Invalid emails"],
  ["implausiblePhone", "Phone numbers"],
  ["noPostalCode", "No postal code"],
  ["missingFields", "Missing fields"],
  ["stale", "Not touched lately"],
];
const STALE = [["6", "6 months"], ["12", "12 months"], ["24", "2 years"]];
const number = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent" });

export function createQualityView({ onOpen, onMerged, onClose, onError }) {
  let kind = "";

  const summary = el("p", { id: "quality-summary", className: "quality-summary" });
  const meter = el("meter", { id: "quality-meter", min: 0, max: 1, low: 0.6, high: 0.85, optimum: 1, value: 0 });
  const stale = select("staleMonths", STALE, "12", { id: "quality-stale", onchange: refresh });
  const tabs = el("div", { id: "quality-kinds", className: "quality-kinds", role: "tablist", "aria-label": "What to fix" });
  const issues = el("ul", { id: "quality-issues", className: "quality-issues" });
  const dupButton = el("button", { id: "duplicates-scan", type: "button", className: "button", onclick: scan }, "Find duplicates");
  const dupStop = el("button", { id: "duplicates-stop", type: "button", className: "button", hidden: true,
    onclick: () => cancelJob("duplicates") }, "Stop");
  const dupProgress = el("progress", { id: "duplicates-progress", max: 1, value: 0, hidden: true });
  const dupStatus = el("p", { id: "duplicates-status", className: "field-note", role: "status" });
  const pairs = el("ul", { id: "duplicates-pairs", className: "quality-issues" });

  const element = el("section", { id: "quality-view", className: "outbox-view", "aria-labelledby": "quality-title" },
    viewHeader("quality", "Data quality",
      "What to fix, one contact at a time: click a line to open the contact.",
      onClose),
    el("div", { className: "quality-top" }, meter, summary, el("span", { className: "topbar-spacer" }),
      el("label", { className: "field-label", for: "quality-stale" }, "Stale after"), stale),
    tabs,
    issues,
    el("div", { className: "quality-top" }, el("h2", { className: "group-title" }, "Duplicates"), el("span", { className: "topbar-spacer" }), dupStop, dupButton),
    dupProgress,
    dupStatus,
    pairs);

  function issueRow(issue) {
    return el("li", {},
      el("button", { type: "button", className: "quality-issue", onclick: () => onOpen(issue.contactId) },
        el("span", { className: "quality-name" }, issue.name || "(no name)"),
        el("span", { className: "muted" }, issue.detail)));
  }

  // Fetched once for every tab; a tab only filters it.
  let report = null;

  async function refresh() {
    try {
      report = await quality(Number(stale.value));
    } catch (err) {
      onError(err);
      return;
    }
    meter.value = report.completeness;
    summary.textContent = `${percent.format(report.completeness)} complete · ${number.format(report.contacts)} contacts`;
    show();
  }

  function show() {
    const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
    tabs.replaceChildren(...KINDS.map(([value, label]) => {
      const n = value ? report.counts[value] ?? 0 : total;
      return el("button", { type: "button", role: "tab", className: "quality-kind", "aria-selected": String(value === kind),
        dataset: { kind: value || "all" }, onclick: () => { kind = value; show(); } }, `${label} `, el("span", { className: "count-badge" }, number.format(n)));
    }));
    const shown = report.issues.filter((issue) => !kind || issue.kind === kind).slice(0, QUALITY_SHOWN);
    const of = kind ? report.counts[kind] ?? 0 : total;
    issues.replaceChildren(...shown.map(issueRow),
      ...(shown.length < of ? [el("li", { className: "muted" }, `…and ${number.format(of - shown.length)} more: fix these first.`)] : []),
      ...(of === 0 ? [el("li", { className: "muted" }, "Nothing to fix here.")] : []));
  }

  async function scan() {
    dupButton.disabled = true;
    dupStop.hidden = dupProgress.hidden = false;
    dupStatus.textContent = "Looking for duplicates…";
    try {
      await scanDuplicates();
    } catch (err) {
      dupButton.disabled = false;
      dupStop.hidden = dupProgress.hidden = true;
      dupStatus.textContent = err.message;
    }
  }

  onJob("duplicates", (report) => {
    if (report.state === "progress") {
      dupProgress.max = Math.max(report.total, 1);
      dupProgress.value = report.done;
      return;
    }
    dupButton.disabled = false;
    dupStop.hidden = dupProgress.hidden = true;
    if (report.state === "failed") {
      dupStatus.textContent = report.error.kind === "cancelled" ? "Stopped." : report.error.message;
      return;
    }
    const { total, pairs: found } = report.result;
    dupStatus.textContent = total === 0 ? "No likely duplicates."
      : `${number.format(total)} likely duplicate pair${total === 1 ? "" : "s"}${found.length < total ? `; the ${found.length} most certain:` : ":"}`;
    pairs.replaceChildren(...found.map((p) => {
      const review = el("div", { className: "duplicate-host" });
      const item = el("li", { className: "duplicate-pair" },
        el("button", { type: "button", className: "link-button", onclick: () => onOpen(p.a) }, p.aName),
        el("span", { className: "muted" }, " and "),
        el("button", { type: "button", className: "link-button", onclick: () => onOpen(p.b) }, p.bName),
        el("span", { className: "muted" }, ` — ${percent.format(p.score)}: ${p.reasons.join("; ")} `),
        el("button", { type: "button", className: "button small duplicate-compare",
          onclick: () => showPair(review, p.a, p.b, { onError, onMerged: (record) => { item.remove(); onMerged(record); refresh(); } }) },
          "Compare and merge…"),
        review);
      return item;
    }));
  });

  return { element, refresh, focusFirst: () => tabs.querySelector("button")?.focus() };
}
