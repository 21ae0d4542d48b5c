/**
 * The Import view: a vCard or CSV file's preview (how many cards are new, will merge into a
 * contact already there, or will be skipped, and why, row by row), the button that imports
 * exactly that preview, and the recent imports, each with Undo. For a CSV file it also shows
 * each column with a few of its values and what Rolodeck reads it as; changing one previews
 * the file again through the changed mapping.
 *
 * The app opens it from File ▸ Import contacts… and when a file is dropped on the window, and
 * is told of an applied import (`onApplied(batch)`, so it can go on the undo stack) and of an
 * import undone here (`onUndone(batch, touched)`); the app then calls `refreshRecent()`.
 */

import { cancelJob, chooseImportFile, importApply, importList, importPreview, importUndo, onJob } from "../api.js";
import { el } from "../dom.js";
import { field, formatTimestamp, select } from "./contact.js";

const ON_MATCH = [["merge", "Merge it into that contact"], ["skip", "Skip it"]];
const IMPORTABLE = /\.(vcf|vcard|csv|tsv)$/i;

const PLAIN = [
  ["prefix", "Title (Dr., Ms.)"], ["givenName", "First name"], ["middleName", "Middle name"], ["familyName", "Last name"],
  ["suffix", "Suffix"], ["fullName", "Full name"], ["nickname", "Nickname"], ["company", "Company"], ["jobTitle", "Job title"],
  ["website", "Website"], ["birthday", "Birthday"], ["tags", "Tags"], ["notes", "Notes"],
];
const PARTS = [["street", "street"], ["extra", "apartment, suite"], ["city", "city"], ["region", "state, region"],
  ["postalCode", "postal code"], ["country", "country"]];

/** What a column can be read as: `[group label, [[target, text]]]`, targets as the backend writes them. */
const TARGETS = [
  ["", [[{ field: "ignore" }, "Don’t import"], [{ field: "keepInNotes", group: 0 }, "Keep in the notes"]]],
  ["Name and work", PLAIN.slice(0, 9).map(([field, text]) => [{ field }, text])],
  ["Email", ["work", "home", "other"].map((label) => [{ field: "email", label, group: 0 }, `Email (${label})`])],
  ["Phone", ["mobile", "work", "home", "fax"].map((label) => [{ field: "phone", label, group: 0 }, `Phone (${label})`])],
  ...["work", "home"].map((label) => [`${label[0].toUpperCase()}${label.slice(1)} address`,
    PARTS.map(([part, text]) => [{ field: "address", label, group: 0, part }, `${label[0].toUpperCase()}${label.slice(1)} address: ${text}`])]),
  ["Other", PLAIN.slice(9).map(([field, text]) => [{ field }, text])],
];

/** A target as text, for one the lists above don't have (Google's numbered slots…). */
function describeTarget(t) {
  const known = TARGETS.flatMap(([, options]) => options).find(([o]) => o.field === t.field && o.label === t.label && o.part === t.part);
  const slot = t.group ? ` (slot ${t.group})` : "";
  if (t.field === "label") return `Label of slot ${t.group}`;
  return `${known ? known[1] : t.field}${slot}`;
}

/** One select per column; a target keeps its own value, so an untouched column round-trips as it came. */
function targetSelect(target, index, onchange) {
  const json = JSON.stringify(target);
  const options = TARGETS.map(([group, items]) => {
    const opts = items.map(([t, text]) => el("option", { value: JSON.stringify(t) }, text));
    return group ? el("optgroup", { label: group }, opts) : opts;
  });
  const listed = TARGETS.some(([, items]) => items.some(([t]) => JSON.stringify(t) === json));
  return el("select", { name: `column-${index}`, "aria-label": "Read as", onchange },
    listed ? null : el("option", { value: json }, describeTarget(target)), options);
}

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The file to import of those dropped: the first with a known extension, else the first, so
 * the backend can say why it is no vCard. */
export function pickImportFile(paths) {
  return paths.find((path) => IMPORTABLE.test(path)) ?? paths[0] ?? null;
}

export function createImportView({ onApplied, onUndone, onClose, onError }) {
  let path = null;
  let mapping = null; // the CSV columns' targets as the user set them; null: as suggested
  // Previews run one at a time, so the plan the backend keeps is the one on screen.
  let queue = Promise.resolve();

  const subtitle = el("p", { className: "view-subtitle" });
  const chooseButton = el("button", { type: "button", className: "button", onclick: choose }, "Choose file…");
  const counts = {
    creates: el("strong", { id: "import-creates" }),
    merges: el("strong", { id: "import-merges" }),
    skips: el("strong", { id: "import-skips" }),
  };
  const onMatch = select("onMatch", ON_MATCH, "merge", { id: "import-on-match", onchange: () => path && preview(path, mapping) });
  const fileWarnings = el("ul", { className: "import-file-warnings" });
  const columnRows = el("tbody", { id: "import-columns" });
  const columnsPart = el("details", { className: "import-columns", hidden: true },
    el("summary", {}, "Columns: what each one is read as"),
    el("table", { className: "import-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "Column"), el("th", {}, "Examples"), el("th", {}, "Read as"))),
      columnRows));
  const rows = el("tbody");
  const more = el("p", { className: "import-more" });
  const applyButton = el("button", { type: "button", id: "import-apply", className: "button primary", onclick: apply });
  const cancelButton = el("button", { type: "button", id: "import-cancel", className: "button", hidden: true,
    onclick: () => cancelJob("import") }, "Stop");
  const progress = el("progress", { id: "import-progress", max: 1, value: 0, hidden: true });
  const previewPart = el("div", { className: "import-preview", hidden: true },
    el("div", { className: "import-counts" },
      el("div", { className: "import-count" }, counts.creates, " new"),
      el("div", { className: "import-count" }, counts.merges, " to merge"),
      el("div", { className: "import-count" }, counts.skips, " to skip")),
    field("When a card matches a contact already in Rolodeck", onMatch, { className: "import-on-match" }),
    fileWarnings,
    columnsPart,
    el("table", { className: "import-table" },
      el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "Name"), el("th", {}, "Will be"), el("th", {}, "Details"))),
      rows),
    more,
    el("div", { className: "import-actions" },
      applyButton,
      cancelButton,
      progress,
      el("button", { type: "button", className: "button", onclick: onClose }, "Cancel")));
  const recent = el("ul", { className: "import-recent-list", "aria-label": "Recent imports" });
  const element = el("section", { className: "import-view" },
    el("header", { className: "view-header" },
      el("div", {}, el("h1", { className: "view-title" }, "Import contacts"), subtitle),
      el("div", { className: "import-header-actions" },
        chooseButton,
        el("button", { type: "button", className: "button", title: "Close (Esc)", onclick: onClose }, "Close"))),
    previewPart,
    el("h2", { className: "import-recent-title" }, "Recent imports"),
    recent);

  function showEmpty(message = "Choose a vCard (.vcf) or CSV file, or drop one on the window.") {
    path = null;
    subtitle.textContent = message;
    previewPart.hidden = true;
  }

  function setBusy(busy) {
    for (const control of [chooseButton, onMatch, applyButton]) control.disabled = busy;
    element.setAttribute("aria-busy", String(busy));
  }

  /** Previews `file` (a path) with the on-match choice on screen, through `columns` if given. */
  function preview(file, columns = null) {
    path = file;
    mapping = columns;
    queue = queue.then(async () => {
      setBusy(true);
      try {
        render(await importPreview(file, onMatch.value, columns));
      } catch (err) {
        showEmpty();
        onError(err);
      } finally {
        setBusy(false);
      }
    });
    return queue;
  }

  function render(plan) {
    subtitle.textContent = plan.source;
    counts.creates.textContent = plan.creates.toLocaleString("en-US");
    counts.merges.textContent = plan.merges.toLocaleString("en-US");
    counts.skips.textContent = plan.skips.toLocaleString("en-US");
    fileWarnings.replaceChildren(...plan.fileWarnings.map((w) => el("li", { className: "import-warning" }, w)));
    renderColumns(plan.columns);
    rows.replaceChildren(...plan.rows.map(rowElement));
    const total = plan.creates + plan.merges + plan.skips;
    more.textContent = total > plan.rows.length ? `Showing the first ${plan.rows.length} of ${plural(total, "card")}.` : "";
    const n = plan.creates + plan.merges;
    applyButton.textContent = n ? `Import ${plural(n, "contact")}` : "Nothing to import";
    applyButton.dataset.count = String(n);
    previewPart.hidden = false;
  }

  function renderColumns(columns) {
    columnsPart.hidden = !columns;
    if (!columns) return;
    const remap = () => preview(path, { columns: [...columnRows.querySelectorAll("select")].map((s) => JSON.parse(s.value)) });
    columnRows.replaceChildren(...columns.headers.map((header, i) => {
      const target = columns.mapping.columns[i] ?? { field: "ignore" };
      const chooser = targetSelect(target, i, remap);
      chooser.value = JSON.stringify(target);
      return el("tr", {},
        el("td", { className: "import-row-name" }, header || `(column ${i + 1})`),
        el("td", { className: "muted" }, columns.samples[i].join(" · ")),
        el("td", {}, chooser));
    }));
  }

  function rowElement(row, i) {
    const { kind } = row.action;
    const label = { create: "New", merge: "Merge", skip: "Skip" }[kind];
    const reason = kind === "merge" ? `Into “${row.action.name}”: ${row.action.reason}` : row.action.reason;
    return el("tr", { dataset: { kind } },
      el("td", { className: "import-row-number" }, String(i + 1)),
      el("td", { className: "import-row-name" }, row.name || "(no name)"),
      el("td", {}, el("span", { className: "import-action" }, label)),
      el("td", {},
        reason && el("div", {}, reason),
        row.warnings.map((w) => el("div", { className: "import-warning" }, w))));
  }

  async function choose() {
    let picked;
    try {
      picked = await chooseImportFile();
    } catch (err) {
      onError(err);
      return;
    }
    if (picked) await preview(picked);
  }

  /** Starts the job "import"; its reports below show progress and the outcome. */
  async function apply() {
    if (applyButton.dataset.count === "0") return;
    setBusy(true);
    try {
      await importApply();
      cancelButton.hidden = progress.hidden = false;
    } catch (err) {
      onError(err);
      setBusy(false);
    }
  }

  onJob("import", async (report) => {
    if (report.state === "progress") {
      progress.max = Math.max(report.total, 1);
      progress.value = report.done;
      return;
    }
    cancelButton.hidden = progress.hidden = true;
    setBusy(false);
    if (report.state === "done") {
      showEmpty(`Imported ${report.result.source}.`);
      await onApplied(report.result);
    } else if (report.error?.kind === "cancelled" || report.state === "cancelled") {
      subtitle.textContent = "Stopped: nothing was imported. Import again when you’re ready.";
    } else {
      onError(report.error);
    }
  });

  function recentElement(batch) {
    const summary = `${batch.created} new, ${batch.merged} merged, ${batch.skipped} skipped`;
    const when = formatTimestamp(batch.createdAt);
    const undo = el("button", { type: "button", className: "button import-undo", title: `Undo the import of ${batch.source}`,
      onclick: async () => {
        undo.disabled = true;
        try {
          await onUndone(batch, await importUndo(batch.id));
        } catch (err) {
          onError(err);
          undo.disabled = false;
        }
      } }, "Undo");
    return el("li", { className: "import-recent-row", dataset: { id: batch.id } },
      el("div", { className: "import-recent-main" },
        el("div", { className: "import-recent-source" }, batch.source),
        el("div", { className: "import-recent-meta" }, `${when} · ${summary}`)),
      batch.undoneAt ? el("span", { className: "import-undone" }, "Undone") : undo);
  }

  async function refreshRecent() {
    let batches;
    try {
      batches = await importList();
    } catch (err) {
      onError(err);
      return;
    }
    recent.replaceChildren(...(batches.length
      ? batches.slice(0, 10).map(recentElement)
      : [el("li", { className: "import-recent-empty" }, "No imports yet.")]));
  }

  showEmpty();
  refreshRecent();
  return { element, preview, choose, refreshRecent };
}
