/**
 * App shell: boots Rolodeck and routes the right pane between Today (the home), a contact's
 * detail with its workflow panel, the edit form, the Trash, the Letters view (mail merge),
 * Import (from File ▸ Import contacts… or a file dropped on the window), Email, the Outbox,
 * Email settings, My details and Custom fields. Owns
 * the File menu, the global keyboard shortcuts, the undo stack with its toast, the #save-state
 * label, the badge on the Today button and the error banner.
 */

import * as api from "./api.js";
import { confirmAction } from "./confirm.js";
import { el, shortcut } from "./dom.js";
import { createContactList } from "./views/contacts.js";
import { createEditor, renderDetail, toDraft } from "./views/contact.js";
import { createTrashView } from "./views/trash.js";
import { createImportView, pickImportFile } from "./views/import.js";
import { createLettersView } from "./views/merge.js";
import { createEmailView } from "./views/email.js";
import { createOutboxView } from "./views/outbox.js";
import { createMailSettingsForm } from "./views/mail-settings.js";
import { createListBuilder } from "./views/lists.js";
import { createQualityView } from "./views/quality.js";
import { createTagsView } from "./views/tags.js";
import { loadTagColors } from "./tag-colors.js";
import { createFieldsView } from "./views/fields.js";
import { createSenderForm } from "./views/sender.js";
import { createTodayView } from "./views/today.js";
import { createWorkflowPanel } from "./views/workflow.js";
import { closeWrapUp } from "./views/wrapup.js";
import { stageLabel } from "./views/kinds.js";
import { formatDay } from "./dates.js";

const $ = (id) => document.getElementById(id);
const TOAST_MS = 8000;
const UNDO_LIMIT = 100;

const pane = $("view");
const detailPane = $("detail");
const menu = $("file-menu-list");
const menuButton = $("file-menu");

/**
 * What the right pane shows; `contact` is the one on screen (in detail or being edited),
 * `workflow` its workflow panel, `editor` the form with unsaved-changes protection (a
 * contact's, or My details), `back` where Letters and My details return to (see returnPoint).
 */
const state = { view: "today", contact: null, workflow: null, editor: null, trash: null, back: null, openSeq: 0 };

/** The Letters and Email views, made on first use and kept, so an edited text survives a detour. */
let letters = null;
let email = null;
/** Data quality, made on first use and kept with its duplicate scan. */
let qualityView = null;
/** Custom fields, made on first use. */
let fieldsView = null;
/**
 * The custom fields as last fetched: read again whenever a contact, its form or the list
 * builder opens, and replaced by the Custom fields view when it changes them.
 */
let customFields = [];

/** The Outbox, made at once: it follows the send job and keeps the Outbox button's badge. */
const outboxView = createOutboxView({ onClose: () => goBack(), onCounts: showOutboxBadge, onError: showError });

/** Today, made once and kept, so a day picked in #today-date survives a look at a contact. */
const today = createTodayView({
  onOpen: openContact,
  onLogged: announceLogged,
  onError: showError,
  onCounts: showTodayBadge,
});

/** The Import view, made on first use and kept: it follows the import job wherever the window is. */
let importer = null;

/** Inverse actions, newest last: `{ id, run, reopen, undone }`. */
const undoStack = [];

const list = createContactList({
  search: $("search"),
  count: $("contact-count"),
  list: $("contact-list"),
  onOpen: openContact,
  // While a smart list is being built, a condition that can't be counted is said beside it.
  onError: (err) => (state.view === "lists" ? builder.showProblem(err) : showError(err)),
  onResults: (results) => {
    ({ merge: letters, email })[state.view]?.listChanged(results);
    if (state.view === "lists") builder.showCount(results.total);
  },
});

/** The custom fields now (the last known ones, after saying why, if they can't be read). */
async function loadFields() {
  try {
    customFields = await api.customFields();
  } catch (err) {
    showError(err);
  }
  return customFields;
}

// --- Feedback: banner, toast, save state --------------------------------------------------

function showBanner(message) {
  $("banner-message").textContent = message;
  $("banner").hidden = false;
}

function showError(err) {
  console.error(err);
  showBanner(err?.message || "Something went wrong.");
}

let toastTimer = 0;

function showToast(message, withUndo = false) {
  $("toast-message").textContent = message;
  $("undo").hidden = !withUndo;
  $("toast").hidden = false;
  armToast();
}

function armToast() {
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, TOAST_MS);
}

function hideToast() {
  clearTimeout(toastTimer);
  $("toast").hidden = true;
}

const SAVE_TEXT = { idle: "", dirty: "Unsaved changes", saving: "Saving…", saved: "Saved" };

function setSaveState(kind, text = SAVE_TEXT[kind]) {
  const label = $("save-state");
  label.dataset.state = kind;
  label.textContent = text;
}

// --- Routing ------------------------------------------------------------------------------

function show(view, node) {
  state.view = view;
  state.openSeq++; // a slower getContact still in flight must not replace this view
  pane.dataset.view = view;
  pane.replaceChildren(node);
  pane.hidden = false;
  detailPane.scrollTop = 0;
  const home = view === "today";
  $("open-today").classList.toggle("current", home);
  if (home) $("open-today").setAttribute("aria-current", "page");
  else $("open-today").removeAttribute("aria-current");
}

/** The home: Today. `reset` goes back to today's date if another day was picked. */
function showToday({ reset = false } = {}) {
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back: null });
  list.setSelected(null);
  show("today", today.element);
  reset ? today.reset() : today.refresh();
}

/** The Today button and Ctrl+T: from anywhere (unsaved forms permitting), on today's date. */
function openToday() {
  closeMenu();
  if (!canLeaveEditor()) return;
  showToday({ reset: true });
  detailPane.focus();
}

/** False (with a nudge) while a form has unsaved changes: nothing typed is thrown away. */
function canLeaveEditor() {
  if (!state.editor?.isDirty()) return true;
  showBanner(`You have unsaved changes. Save them (${shortcut("S")}) or cancel (Esc) first.`);
  return false;
}

async function openContact(id) {
  if (!canLeaveEditor()) return;
  list.setSelected(id);
  const seq = ++state.openSeq;
  try {
    const [contact] = await Promise.all([api.getContact(id), loadFields()]);
    if (seq === state.openSeq && canLeaveEditor()) showDetail(contact);
  } catch (err) {
    if (seq === state.openSeq) showError(err);
  }
}

function showDetail(contact) {
  const workflow = createWorkflowPanel(contact, {
    onStageMoved: (from, to) => stageMoved(contact, from, to),
    onActivityDeleted: (activity) => pushUndo(`Deleted “${activity.summary}”`, { id: contact.id,
      run: () => api.restoreActivity(activity), reopen: true, undone: `Put back “${activity.summary}”` }),
    onOpen: openContact,
    onLogged: announceLogged,
    onError: showError,
  });
  Object.assign(state, { contact, workflow, editor: null, trash: null, back: null });
  show("detail", renderDetail(contact, { onEdit: editContact, onDelete: deleteContact, onLog: workflow.log, workflow, fields: customFields }));
  list.setSelected(contact.id);
  workflow.load();
}

async function showEditor(contact) {
  const seq = ++state.openSeq;
  const fields = await loadFields();
  if (seq !== state.openSeq || !canLeaveEditor()) return;
  const editor = createEditor(contact, { fields, onSave: (draft) => saveDraft(contact, draft), onCancel: cancelEdit, setSaveState });
  Object.assign(state, { contact, workflow: null, editor, trash: null, back: null });
  show("edit", editor.element);
  setSaveState(contact ? "saved" : "idle");
  editor.focusFirst();
}

function editContact() {
  if (state.view === "detail") showEditor(state.contact);
}

function newContact() {
  if (!canLeaveEditor()) return;
  list.setSelected(null);
  showEditor(null);
}

function cancelEdit() {
  setSaveState("idle");
  if (state.contact) {
    showDetail(state.contact);
    detailPane.focus();
  } else {
    showToday();
  }
}

function showTrash() {
  if (!canLeaveEditor()) return;
  list.setSelected(null);
  const trash = createTrashView({ onRestore: restoreFromTrash, onClose: () => showToday(), onError: showError });
  Object.assign(state, { contact: null, workflow: null, editor: null, trash, back: null });
  show("trash", trash.element);
}

// --- Import -------------------------------------------------------------------------------

/** Opens the Import view (or keeps it) and previews `path`, or asks for a file without one. */
function openImport(path = null) {
  closeMenu();
  if (state.view !== "import") {
    if (!canLeaveEditor()) return;
    list.setSelected(null);
    importer ??= createImportView({ onApplied: importApplied, onUndone: importUndone, onClose: () => showToday(), onError: showError });
    Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back: null });
    show("import", importer.element);
    importer.refreshRecent();
  }
  if (path) importer.preview(path);
  else importer.choose();
}

async function importApplied({ id, source, created, merged }) {
  pushUndo(`Imported ${created} new, ${merged} merged`,
    { id, run: () => api.importUndo(id), reopen: false, undone: `Undid the import of ${source}` });
  await refreshAll();
}

async function importUndone({ source }, touched) {
  showToast(`Undid the import of ${source}: ${touched === 1 ? "1 contact" : `${touched} contacts`} put back`);
  await refreshAll();
}

// --- Letters and My details ---------------------------------------------------------------

/** Where Close (Esc) leads from Letters or My details: the view on screen when they opened. */
function returnPoint() {
  switch (state.view) {
    case "detail": return { view: "detail", contact: state.contact };
    case "edit": return state.contact ? { view: "detail", contact: state.contact } : { view: "today" };
    case "trash": return { view: "trash" };
    case "merge": return { view: "merge", back: state.back };
    case "email": return { view: "email", back: state.back };
    case "outbox": return { view: "outbox", back: state.back };
    case "quality": return { view: "quality", back: state.back };
    case "tags": return { view: "tags", back: state.back };
    case "fields": return { view: "fields", back: state.back };
    case "sender": case "mail-settings": case "lists": return state.back;
    default: return { view: "today" };
  }
}

function goBack() {
  const to = state.back ?? { view: "today" };
  if (to.view === "detail") {
    showDetail(to.contact);
    detailPane.focus();
  } else if (to.view === "trash") {
    showTrash();
  } else if (to.view === "merge") {
    showLetters(to.back);
  } else if (to.view === "email") {
    showEmail(to.back);
  } else if (to.view === "outbox") {
    showOutbox(to.back);
  } else if (to.view === "quality") {
    showQuality(to.back);
  } else if (to.view === "tags") {
    showTags(to.back);
  } else if (to.view === "fields") {
    showFields(to.back);
  } else {
    showToday();
  }
}

/** A contact that just went to the Trash is no longer a place to go back to. */
function forgetReturnTo(id) {
  for (let from = state; from.back; from = from.back) {
    if (from.back.contact?.id === id) from.back = { view: "today" };
  }
}

function openLetters() {
  closeMenu();
  if (state.view === "merge") {
    letters.focusPrint();
    return;
  }
  if (!canLeaveEditor()) return;
  const back = returnPoint();
  showLetters(back.view === "merge" ? back.back : back); // from My details opened in Letters
}

function showLetters(back) {
  letters ??= createLettersView({ onClose: goBack, onOpenSender: openSender });
  const results = list.results(); // read before clearing the selection: the preview starts there
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("merge", letters.element);
  letters.enter(results);
  letters.focusFirst();
}

// --- Email, the Outbox and Email settings ----------------------------------------------------

/** Opens `view` (unless on screen already, or a form has unsaved changes), remembering the way back. */
function openPane(view, showIt) {
  closeMenu();
  if (state.view === view || !canLeaveEditor()) return;
  const back = returnPoint();
  showIt(back.view === view ? back.back : back);
}

function showEmail(back) {
  email ??= createEmailView({ onClose: goBack, onOpenSettings: openMailSettings, onOpenOutbox: () => showOutbox(returnPoint()) });
  const results = list.results();
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("email", email.element);
  email.enter(results);
  email.focusFirst();
}

function showOutbox(back) {
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("outbox", outboxView.element);
  outboxView.refresh();
  outboxView.focusFirst();
}

function showQuality(back) {
  qualityView ??= createQualityView({ onOpen: openContact, onMerged: duplicatesMerged, onClose: goBack, onError: showError });
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("quality", qualityView.element);
  qualityView.refresh();
  qualityView.focusFirst();
}

function showTags(back) {
  const tags = createTagsView({
    onClose: goBack,
    onChanged: async () => {
      await loadTagColors();
      await list.refresh(); // repaint the chips in the list
    },
    onError: showError,
  });
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("tags", tags.element);
  tags.refresh().then(tags.focusFirst);
}

async function duplicatesMerged(record) {
  pushUndo(`Merged “${record.mergedName}” into “${record.keptName}”`, { id: record.keptId,
    run: () => api.undoDuplicateMerge(record.id), reopen: false, undone: `Put back “${record.mergedName}” and “${record.keptName}”` });
  await refreshAll();
}

function showFields(back) {
  fieldsView ??= createFieldsView({ onChanged: fieldsChanged, onClose: goBack, onError: showError });
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("fields", fieldsView.element);
  fieldsView.refresh();
  fieldsView.focusFirst();
}

/** A field added, renamed, moved or deleted: contacts show it so, and search and lists may find others. */
async function fieldsChanged(fields) {
  customFields = fields;
  await list.refresh();
}

function showOutboxBadge(counts) {
  const n = counts.queued + counts.failed + counts.uncertain;
  const badge = $("outbox-badge");
  badge.textContent = n > 99 ? "99+" : String(n);
  badge.hidden = n === 0;
  badge.classList.toggle("has-overdue", counts.failed + counts.uncertain > 0);
}

async function openMailSettings() {
  closeMenu();
  if (state.view === "mail-settings" || !canLeaveEditor()) return;
  const back = returnPoint();
  const seq = ++state.openSeq;
  let setup;
  try {
    setup = await api.mailSettings();
  } catch (err) {
    if (seq === state.openSeq) showError(err);
    return;
  }
  if (seq !== state.openSeq || !canLeaveEditor()) return;
  const form = createMailSettingsForm(setup, {
    onSave: async (settings, password) => {
      const saved = await api.saveMailSettings(settings, password);
      showToast("Saved the email settings");
      return saved;
    },
    onCancel: leaveForm,
    setSaveState,
  });
  Object.assign(state, { contact: null, workflow: null, editor: form, trash: null, back });
  list.setSelected(null);
  show("mail-settings", form.element);
  setSaveState("idle");
  form.focusFirst();
}

// --- Smart lists --------------------------------------------------------------------------

/** The saved lists, as the picker above the contact list offers them. */
let savedLists = [];
/** The builder while it is on screen (`state.view === "lists"`). */
let builder = null;
const NEW_LIST = "\u0000new"; // the picker's "New smart list…": no saved name can be this

async function loadLists(selected) {
  try {
    savedLists = await api.smartLists();
  } catch (err) {
    showError(err);
  }
  const picker = $("smart-list");
  picker.replaceChildren(el("option", { value: "" }, "All contacts"),
    ...savedLists.map((l) => el("option", { value: l.name }, l.name)),
    el("option", { value: NEW_LIST }, "New smart list…"));
  picker.value = savedLists.some((l) => l.name === selected) ? selected : "";
  $("edit-list").hidden = !picker.value;
}

function pickList() {
  const picker = $("smart-list");
  if (picker.value === NEW_LIST) {
    picker.value = "";
    openListBuilder(null);
    return;
  }
  const saved = savedLists.find((l) => l.name === picker.value);
  $("edit-list").hidden = !saved;
  list.setFilter(saved?.filter ?? null, saved?.name);
  if (state.view === "lists") goBack();
}

async function openListBuilder(saved) {
  if (!canLeaveEditor()) return;
  const back = state.view === "lists" ? state.back : returnPoint();
  const seq = ++state.openSeq;
  const fields = await loadFields();
  if (seq !== state.openSeq || !canLeaveEditor()) return;
  builder = createListBuilder(saved, {
    fields,
    onChange: (filter) => list.setFilter(filter, saved?.name),
    onSave: async (name, filter) => {
      const kept = await api.saveSmartList(name, filter);
      await loadLists(kept.name);
      await list.setFilter(kept.filter, kept.name);
      showToast(`Saved the list “${kept.name}”`);
      goBack();
    },
    onDelete: async (name) => {
      if (!(await confirmAction(`Delete the smart list “${name}”?`, { detail: "No contact is deleted." }))) return;
      await api.deleteSmartList(name);
      await loadLists("");
      await list.setFilter(null);
      showToast(`Deleted the list “${name}”`);
      goBack();
    },
    onClose: goBack,
  });
  Object.assign(state, { contact: null, workflow: null, editor: null, trash: null, back });
  list.setSelected(null);
  show("lists", builder.element);
  list.setFilter(builder.filter(), saved?.name);
  builder.focusFirst();
}

async function openSender() {
  closeMenu();
  if (state.view === "sender" || !canLeaveEditor()) return;
  const back = returnPoint();
  const seq = ++state.openSeq;
  let sender;
  try {
    sender = await api.getSender();
  } catch (err) {
    if (seq === state.openSeq) showError(err);
    return;
  }
  if (seq !== state.openSeq || !canLeaveEditor()) return;
  const form = createSenderForm(sender, { onSave: saveSender, onCancel: leaveForm, setSaveState });
  Object.assign(state, { contact: null, workflow: null, editor: form, trash: null, back });
  list.setSelected(null);
  show("sender", form.element);
  setSaveState("idle");
  form.focusFirst();
}

/** Called by the form; a rejection stays in the form, which shows it. */
async function saveSender(sender) {
  await api.setSender(sender);
  showToast("Saved your details");
  leaveForm();
}

function leaveForm() {
  state.editor = null; // saved or cancelled: nothing left to protect
  setSaveState("idle");
  goBack();
}

async function refreshAll() {
  await Promise.all([
    list.refresh(),
    state.trash?.refresh(),
    state.view === "import" && importer.refreshRecent(),
    refreshTodayBadge(),
  ]);
}

// --- Today's badge and the workflow's news ------------------------------------------------

/** The Today button counts what needs doing today: overdue plus due today. */
function showTodayBadge(view) {
  const overdue = view.overdue.length;
  const due = view.dueToday.length;
  const badge = $("today-badge");
  const n = overdue + due;
  badge.textContent = n > 99 ? "99+" : String(n);
  badge.hidden = n === 0;
  badge.classList.toggle("has-overdue", overdue > 0);
  const parts = [overdue && `${overdue} overdue`, due && `${due} due today`].filter(Boolean).join(", ");
  $("open-today").title = `Today (${shortcut("T")})${parts ? ` — ${parts}` : ""}`;
  $("open-today").setAttribute("aria-label", parts ? `Today, ${parts}` : "Today");
}

async function refreshTodayBadge() {
  try {
    showTodayBadge(await api.today(null));
  } catch (err) {
    console.error(err); // the badge is a nicety: no banner for it
  }
}

function announceLogged(name, wrapUp) {
  const next = wrapUp.next.step === "action" ? `next: ${wrapUp.next.text}, ${formatDay(wrapUp.next.dueOn)}` : "no next step";
  showToast(`Logged for ${name} — ${next}`);
  if (state.view !== "today") refreshTodayBadge(); // Today refreshes itself, and the badge with it
}

function stageMoved(contact, from, to) {
  const { id, displayName: name } = contact;
  pushUndo(`Moved “${name}” to ${stageLabel(to)}`,
    { id, run: () => api.setStage(id, from), reopen: true, undone: `Moved “${name}” back to ${stageLabel(from)}` });
}

// --- Changes and their undo ---------------------------------------------------------------

function pushUndo(message, action) {
  undoStack.push(action);
  if (undoStack.length > UNDO_LIMIT) undoStack.shift();
  showToast(message, true);
}

/** Called by the editor; rejects with the API error so the form can show it inline. */
async function saveDraft(original, draft) {
  let saved;
  try {
    saved = original ? await api.updateContact(original.id, draft) : await api.createContact(draft);
  } catch (err) {
    if (err.kind !== "invalid") showError(err);
    throw err;
  }
  const { id, displayName: name } = saved;
  if (original) {
    const previous = toDraft(original);
    pushUndo(`Saved “${name}”`,
      { id, run: async () => api.updateContact(id, await withFieldsStillThere(previous)), reopen: true, undone: `Reverted changes to “${name}”` });
  } else {
    pushUndo(`Created “${name}”`, { id, run: () => api.trashContact(id), reopen: false, undone: `Moved “${name}” to Trash` });
  }
  setSaveState("saved");
  showDetail(saved);
  detailPane.focus();
  await list.refresh();
  list.setSelected(id);
  list.revealSelected();
}

/** `draft` without the values of custom fields deleted since it was taken: they have nowhere to go. */
async function withFieldsStillThere(draft) {
  const keys = new Set((await api.customFields()).map((f) => f.key));
  return { ...draft, custom: Object.fromEntries(Object.entries(draft.custom).filter(([key]) => keys.has(key))) };
}

async function deleteContact() {
  if (state.view !== "detail") return;
  const { id, displayName: name } = state.contact;
  try {
    await api.trashContact(id);
  } catch (err) {
    showError(err);
    return;
  }
  showToday();
  pushUndo(`Moved “${name}” to Trash`, { id, run: () => api.restoreContact(id), reopen: true, undone: `Restored “${name}”` });
  await list.refresh();
  list.focus();
}

async function restoreFromTrash({ id, displayName: name }) {
  try {
    await api.restoreContact(id);
  } catch (err) {
    showError(err);
    return;
  }
  pushUndo(`Restored “${name}”`, { id, run: () => api.trashContact(id), reopen: false, undone: `Moved “${name}” back to Trash` });
  await refreshAll();
}

async function undo() {
  if (!canLeaveEditor()) return;
  const action = undoStack.pop();
  if (!action) {
    showToast("Nothing to undo");
    return;
  }
  try {
    await action.run();
  } catch (err) {
    showError(err);
    return;
  }
  showToast(action.undone);
  await refreshAll();
  if (action.reopen) await openContact(action.id);
  else if (state.contact?.id === action.id) showToday();
  else forgetReturnTo(action.id);
}

// --- Database file ------------------------------------------------------------------------

function applyInfo(info) {
  const name = info.dbPath.split(/[\\/]/).pop() || info.dbPath;
  $("db-name").textContent = name;
  $("db-name").title = info.dbPath;
  document.title = `${name} — Rolodeck`;
}

async function chooseDatabase(mode) {
  closeMenu();
  if (!canLeaveEditor()) return;
  let info;
  try {
    info = await api.chooseDatabase(mode);
  } catch (err) {
    showError(err);
    return;
  }
  if (!info) return; // the user cancelled the dialog
  undoStack.length = 0; // those actions belong to the previous file
  closeWrapUp();
  hideToast();
  setSaveState("idle");
  applyInfo(info);
  showToday({ reset: true });
  await Promise.all([list.reset(), loadLists("")]);
}

// --- File menu ----------------------------------------------------------------------------

const menuItems = () => [...menu.querySelectorAll("[role=menuitem]")];

function openMenu() {
  menu.hidden = false;
  menuButton.setAttribute("aria-expanded", "true");
  menuItems()[0].focus();
}

function closeMenu() {
  menu.hidden = true;
  menuButton.setAttribute("aria-expanded", "false");
}

menuButton.addEventListener("click", () => (menu.hidden ? openMenu() : closeMenu()));
menuButton.addEventListener("keydown", (e) => {
  if (e.key === "ArrowDown") {
    e.preventDefault();
    openMenu();
  }
});
menu.addEventListener("keydown", (e) => {
  const items = menuItems();
  const step = { ArrowDown: 1, ArrowUp: -1 }[e.key];
  if (step) {
    e.preventDefault();
    items[(items.indexOf(document.activeElement) + step + items.length) % items.length].focus();
  } else if (e.key === "Escape") {
    e.stopPropagation();
    closeMenu();
    menuButton.focus();
  } else if (e.key === "Tab") {
    closeMenu();
  }
});
document.addEventListener("pointerdown", (e) => {
  if (!e.target.closest?.(".menu-wrap")) closeMenu();
});
$("menu-new-db").addEventListener("click", () => chooseDatabase("new"));
$("menu-open-db").addEventListener("click", () => chooseDatabase("open"));
$("menu-sender").addEventListener("click", openSender);
$("menu-mail").addEventListener("click", openMailSettings);
$("menu-quality").addEventListener("click", () => openPane("quality", showQuality));
$("menu-tags").addEventListener("click", () => openPane("tags", showTags));
$("menu-fields").addEventListener("click", () => openPane("fields", showFields));
$("smart-list").addEventListener("change", pickList);
$("edit-list").addEventListener("click", () => openListBuilder(savedLists.find((l) => l.name === $("smart-list").value)));
$("menu-import").addEventListener("click", () => openImport());
$("menu-trash").addEventListener("click", () => {
  closeMenu();
  showTrash();
});

// --- Keyboard -----------------------------------------------------------------------------

/** True where keys belong to the control: text fields (with their own undo) and selects. */
function isTyping(target) {
  return target instanceof Element && (target.isContentEditable
    || target.matches("textarea, select, input:not([type=radio], [type=checkbox], [type=button], [type=submit])"));
}

function onEscape() {
  if (!menu.hidden) closeMenu();
  else if (state.view === "edit") cancelEdit();
  else if (state.view === "sender" || state.view === "mail-settings") leaveForm();
  else if (["merge", "email", "outbox", "lists", "quality", "tags", "fields"].includes(state.view)) goBack();
  else if (state.view === "trash" || state.view === "import") showToday();
  else list.clearSearch();
}

document.addEventListener("keydown", (e) => {
  if (document.querySelector("dialog[open]")) return; // the wrap-up dialog has the keyboard
  const typing = isTyping(e.target);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if ((e.ctrlKey || e.metaKey) && !e.altKey) {
    const action = {
      n: newContact,
      f: list.focusSearch,
      p: openLetters,
      t: openToday,
      s: () => state.editor?.save(),
      z: e.shiftKey || typing ? null : undo,
      Backspace: typing ? null : deleteContact,
    }[key];
    if (action) {
      e.preventDefault();
      action();
    }
  } else if (e.key === "Escape") {
    onEscape();
  } else if (!typing && !e.altKey) {
    if (key === "/") {
      e.preventDefault();
      list.focusSearch();
    } else if (key === "Delete") {
      deleteContact();
    } else if (key === "e" && state.view === "detail") {
      e.preventDefault();
      editContact();
    } else if (key === "l" && state.view === "detail") {
      e.preventDefault();
      state.workflow?.log();
    }
  }
});

// --- Boot ---------------------------------------------------------------------------------

$("new-contact").addEventListener("click", newContact);
$("open-today").addEventListener("click", openToday);
$("open-merge").addEventListener("click", openLetters);
$("open-email").addEventListener("click", () => openPane("email", showEmail));
$("open-outbox").addEventListener("click", () => openPane("outbox", showOutbox));
$("banner-close").addEventListener("click", () => ($("banner").hidden = true));
$("undo").addEventListener("click", undo);
$("toast").addEventListener("mouseenter", () => clearTimeout(toastTimer)); // keep it while the pointer is on it
$("toast").addEventListener("mouseleave", armToast);
$("new-contact").title = `New contact (${shortcut("N")})`;
$("open-merge").title = `Print letters (${shortcut("P")})`;
$("open-today").title = `Today (${shortcut("T")})`;
$("search").title = `Search (${shortcut("F")} or /)`;
$("undo").title = `Undo (${shortcut("Z")})`;

// Tauri hands files dropped on the window to this event rather than to the page.
api.onEvent("tauri://drag-drop", ({ paths }) => {
  const path = pickImportFile(paths ?? []);
  if (path && !document.querySelector("dialog[open]")) openImport(path);
});

// Back after a while (overnight, say): Today may have become another day.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && state.view === "today") today.refresh();
});

showToday();
loadTagColors().then(() => list.reset());
api.appInfo().then(applyInfo, showError);
outboxView.refresh(); // for the badge
loadLists("");
