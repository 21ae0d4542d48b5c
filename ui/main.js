/**
 * App shell: boots Rolodeck and routes the right pane between the empty state, a contact's
 * detail, the edit form and the Trash. Owns the File menu, the global keyboard shortcuts,
 * the undo stack with its toast, the #save-state label and the error banner.
 */

import * as api from "./api.js";
import { shortcut } from "./dom.js";
import { createContactList } from "./views/contacts.js";
import { createEditor, renderDetail, toDraft } from "./views/contact.js";
import { createTrashView } from "./views/trash.js";

const $ = (id) => document.getElementById(id);
const TOAST_MS = 8000;
const UNDO_LIMIT = 100;

const pane = $("view");
const detailPane = $("detail");
const menu = $("file-menu-list");
const menuButton = $("file-menu");

/** What the right pane shows; `contact` is the one on screen (in detail or being edited). */
const state = { view: "empty", contact: null, editor: null, trash: null, openSeq: 0 };

/** Inverse actions, newest last: `{ id, run, reopen, undone }`. */
const undoStack = [];

const list = createContactList({
  search: $("search"),
  count: $("contact-count"),
  list: $("contact-list"),
  onOpen: openContact,
  onError: showError,
});

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
  $("empty-state").hidden = true;
  pane.replaceChildren(node);
  pane.hidden = false;
  detailPane.scrollTop = 0;
}

function showEmpty() {
  Object.assign(state, { view: "empty", contact: null, editor: null, trash: null });
  state.openSeq++;
  pane.replaceChildren();
  pane.hidden = true;
  $("empty-state").hidden = false;
  list.setSelected(null);
}

/** False (with a nudge) while the form has unsaved changes: nothing typed is thrown away. */
function canLeaveEditor() {
  if (state.view !== "edit" || !state.editor.isDirty()) return true;
  showBanner(`You have unsaved changes. Save them (${shortcut("S")}) or cancel (Esc) first.`);
  return false;
}

async function openContact(id) {
  if (!canLeaveEditor()) return;
  list.setSelected(id);
  const seq = ++state.openSeq;
  try {
    const contact = await api.getContact(id);
    if (seq === state.openSeq && canLeaveEditor()) showDetail(contact);
  } catch (err) {
    if (seq === state.openSeq) showError(err);
  }
}

function showDetail(contact) {
  Object.assign(state, { contact, editor: null, trash: null });
  show("detail", renderDetail(contact, { onEdit: editContact, onDelete: deleteContact }));
  list.setSelected(contact.id);
}

function showEditor(contact) {
  const editor = createEditor(contact, { onSave: (draft) => saveDraft(contact, draft), onCancel: cancelEdit, setSaveState });
  Object.assign(state, { contact, editor, trash: null });
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
    showEmpty();
  }
}

function showTrash() {
  if (!canLeaveEditor()) return;
  list.setSelected(null);
  const trash = createTrashView({ onRestore: restoreFromTrash, onClose: showEmpty, onError: showError });
  Object.assign(state, { contact: null, editor: null, trash });
  show("trash", trash.element);
}

async function refreshAll() {
  await Promise.all([list.refresh(), state.trash?.refresh()]);
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
    pushUndo(`Saved “${name}”`, { id, run: () => api.updateContact(id, previous), reopen: true, undone: `Reverted changes to “${name}”` });
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

async function deleteContact() {
  if (state.view !== "detail") return;
  const { id, displayName: name } = state.contact;
  try {
    await api.trashContact(id);
  } catch (err) {
    showError(err);
    return;
  }
  showEmpty();
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
  else if (state.contact?.id === action.id) showEmpty();
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
  hideToast();
  setSaveState("idle");
  applyInfo(info);
  showEmpty();
  await list.reset();
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
  else if (state.view === "trash") showEmpty();
  else list.clearSearch();
}

document.addEventListener("keydown", (e) => {
  const typing = isTyping(e.target);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if ((e.ctrlKey || e.metaKey) && !e.altKey) {
    const action = {
      n: newContact,
      f: list.focusSearch,
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
    }
  }
});

// --- Boot ---------------------------------------------------------------------------------

$("new-contact").addEventListener("click", newContact);
$("banner-close").addEventListener("click", () => ($("banner").hidden = true));
$("undo").addEventListener("click", undo);
$("toast").addEventListener("mouseenter", () => clearTimeout(toastTimer)); // keep it while the pointer is on it
$("toast").addEventListener("mouseleave", armToast);
for (const node of document.querySelectorAll("[data-shortcut]")) node.textContent = shortcut(node.dataset.shortcut);
$("new-contact").title = `New contact (${shortcut("N")})`;
$("search").title = `Search (${shortcut("F")} or /)`;
$("undo").title = `Undo (${shortcut("Z")})`;

list.reset();
api.appInfo().then(applyInfo, showError);
