/**
 * The contact list: search box, count label and a virtual-scrolled list.
 * Only the rows in view (plus overscan) exist in the DOM, absolutely positioned over a
 * spacer sized to the whole result; rows are fetched in pages by offset and a few pages are
 * cached. The list doesn't open contacts itself: it calls `onOpen(id)` and the app decides,
 * then marks the row with `setSelected(id)`. A smart list (`setFilter`) narrows what the search
 * looks through. Ctrl+click (⌘-click) or Space picks contacts one by one, Shift+click a run of
 * them; Letters and Email then go to those picked, else to everyone the list shows. Whoever
 * needs to know reads `results()` or listens with `onResults`.
 */

import { listContacts } from "../api.js";
import { tagChip } from "../tag-colors.js";
import { el, shortcut } from "../dom.js";

const ROW_HEIGHT = 52; // keep in step with .list-row in style.css
const PAGE_SIZE = 200;
const MAX_PAGES = 12;
const OVERSCAN = 8;
const DEBOUNCE_MS = 80;
const MAX_ROW_TAGS = 2;
const number = new Intl.NumberFormat("en-US");

export function createContactList({ search, count, list, onOpen, onError, onResults }) {
  const spacer = el("div", { className: "list-spacer" });
  const pickedText = el("span", { id: "picked-count" });
  const pickedBar = el("div", { id: "picked-bar", className: "picked-bar", hidden: true }, pickedText,
    el("button", { id: "picked-clear", type: "button", className: "link-button", onclick: () => clearPicked() }, "Clear"));
  count.after(pickedBar);
  const emptyNote = el("div", { className: "list-empty", hidden: true });
  list.append(spacer, emptyNote);

  let query = "";          // the query whose results are shown
  let filter = null;       // the smart list's filter the search runs within, if any
  let listName = "";       // that list's name ("" while unsaved)
  let requestSeq = 0;      // bumped per search; a search's response is used only if still latest
  let appliedSeq = 0;      // the search the cached pages belong to; older page responses are dropped
  let total = 0;
  let pages = new Map();   // page index -> rows
  let pending = new Map(); // page index -> in-flight promise
  const rendered = new Map(); // row index -> element
  let selectedId = null;
  const picked = new Set(); // ids picked by Ctrl+click, in the order picked
  let anchor = -1;          // the row a Shift+click runs from
  let selectedIndex = -1;
  let frame = 0;
  let debounce = 0;

  const rowAt = (i) => pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];

  function fetchPage(page) {
    if (pages.has(page)) return Promise.resolve();
    if (pending.has(page)) return pending.get(page);
    const seq = appliedSeq;
    const promise = listContacts({ query, filter }, page * PAGE_SIZE, PAGE_SIZE).then(
      (result) => {
        if (seq !== appliedSeq) return;
        pending.delete(page);
        pages.set(page, result.rows);
        evictFarFrom(page);
        setTotal(result.total);
        scheduleRender();
      },
      (err) => {
        if (seq !== appliedSeq) return;
        pending.delete(page);
        onError(err);
      },
    );
    pending.set(page, promise);
    return promise;
  }

  /** Keeps the cache small by dropping the pages farthest from where the user is. */
  function evictFarFrom(page) {
    while (pages.size > MAX_PAGES) {
      const farthest = [...pages.keys()].reduce((a, b) => (Math.abs(b - page) > Math.abs(a - page) ? b : a));
      pages.delete(farthest);
    }
  }

  /**
   * Runs `newQuery`, keeping the old rows on screen until the answer arrives so nothing
   * flickers. A refresh re-reads the page in view; a new search goes back to the top.
   */
  async function load(newQuery, toTop) {
    const seq = ++requestSeq;
    const page = toTop ? 0 : Math.floor(list.scrollTop / ROW_HEIGHT / PAGE_SIZE);
    let result;
    try {
      result = await listContacts({ query: newQuery, filter }, page * PAGE_SIZE, PAGE_SIZE);
    } catch (err) {
      if (seq === requestSeq) onError(err);
      return;
    }
    if (seq !== requestSeq) return;
    appliedSeq = seq;
    query = newQuery;
    pages = new Map([[page, result.rows]]);
    pending = new Map();
    setTotal(result.total);
    if (toTop) list.scrollTop = 0;
    selectedIndex = indexOf(selectedId);
    for (const node of rendered.values()) node.remove();
    rendered.clear();
    render();
    onResults?.(results());
  }

  /**
   * What the list shows: the search it ran (raw, "" for everyone) within the smart list
   * `filter` (null for all contacts) named `listName`, its count and the selection.
   */
  function results() {
    return { query, filter, listName, total, selectedId, selectedIndex, picked: [...picked] };
  }

  /** Ctrl+click toggles one contact; Shift+click picks the loaded rows from the last click. */
  function pick(row, i, range) {
    if (range && anchor >= 0) {
      for (let j = Math.min(anchor, i); j <= Math.max(anchor, i); j++) if (rowAt(j)) picked.add(rowAt(j).id);
    } else if (picked.has(row.id)) {
      picked.delete(row.id);
    } else {
      picked.add(row.id);
    }
    anchor = i;
    showPicked();
  }

  function clearPicked() {
    picked.clear();
    anchor = -1;
    showPicked();
  }

  function showPicked() {
    for (const node of rendered.values()) node.classList.toggle("picked", picked.has(node.dataset.id));
    pickedBar.hidden = picked.size === 0;
    pickedText.textContent = `${number.format(picked.size)} picked for letters and email`;
    onResults?.(results());
  }

  function setTotal(n) {
    total = n;
    spacer.style.height = `${n * ROW_HEIGHT}px`;
    const noun = query.trim() ? (n === 1 ? "match" : "matches") : n === 1 ? "contact" : "contacts";
    count.textContent = `${number.format(n)} ${noun}${filter ? ` in ${listName ? `“${listName}”` : "this list"}` : ""}`;
    emptyNote.hidden = n > 0;
    emptyNote.textContent = query.trim()
      ? `No contacts match “${query.trim()}”.`
      : filter ? "No one is on this list yet." : `No contacts yet. Press ${shortcut("N")} to add one.`;
  }

  function indexOf(id) {
    if (id == null) return -1;
    for (const [page, rows] of pages) {
      const i = rows.findIndex((row) => row.id === id);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  function scheduleRender() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function render() {
    frame = 0;
    // The first screenful of real rows is when the window becomes useful; the e2e test
    // reads this mark to report start-up time.
    if (rendered.size === 0 && total > 0 && rowAt(0) && !performance.getEntriesByName("contacts-ready").length) {
      performance.mark("contacts-ready");
    }
    const first = Math.max(0, Math.floor(list.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, Math.ceil((list.scrollTop + list.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    for (const [i, node] of rendered) {
      if (i < first || i >= last) {
        node.remove();
        rendered.delete(i);
      }
    }
    for (let i = first; i < last; i++) {
      const row = rowAt(i);
      if (!row) fetchPage(Math.floor(i / PAGE_SIZE));
      const existing = rendered.get(i);
      // Reuse the node while it still shows the same row (or is still a placeholder).
      if (existing && (existing.dataset.id ?? "") === (row ? row.id : "")) {
        markSelected(existing);
        continue;
      }
      const node = row ? rowElement(row, i) : el("div", { className: "list-row row-placeholder", "aria-hidden": "true" });
      node.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      existing ? existing.replaceWith(node) : spacer.append(node);
      rendered.set(i, node);
    }
  }

  function rowElement(row, i) {
    const meta = [row.company, row.city].filter(Boolean).join(" · ") || row.primaryEmail || row.primaryPhone || "";
    const extra = row.tags.length - MAX_ROW_TAGS;
    const node = el(
      "div",
      {
        className: "list-row contact-row",
        id: `row-${row.id}`,
        role: "option",
        dataset: { id: row.id },
        "aria-posinset": i + 1,
        "aria-setsize": total,
        onclick: (e) => (e.ctrlKey || e.metaKey || e.shiftKey ? pick(row, i, e.shiftKey) : onOpen(row.id)),
      },
      el("div", { className: "row-name" }, row.displayName),
      el("div", { className: "row-meta" }, meta),
      row.tags.length > 0 &&
        el(
          "div",
          { className: "row-tags" },
          row.tags.slice(0, MAX_ROW_TAGS).map(tagChip),
          extra > 0 && el("span", { className: "chip chip-more", title: row.tags.slice(MAX_ROW_TAGS).join(", ") }, `+${extra}`),
        ),
    );
    markSelected(node);
    return node;
  }

  function markSelected(node) {
    node.classList.toggle("picked", picked.has(node.dataset.id));
    const on = node.dataset.id !== undefined && node.dataset.id === selectedId;
    node.classList.toggle("selected", on);
    node.setAttribute("aria-selected", String(on));
  }

  function setSelected(id) {
    selectedId = id;
    selectedIndex = indexOf(id);
    for (const node of rendered.values()) markSelected(node);
    if (selectedIndex >= 0) list.setAttribute("aria-activedescendant", `row-${id}`);
    else list.removeAttribute("aria-activedescendant");
  }

  function scrollIntoView(i) {
    const top = i * ROW_HEIGHT;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_HEIGHT > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW_HEIGHT - list.clientHeight;
  }

  async function openIndex(i) {
    if (total === 0) return;
    scrollIntoView(i);
    if (!rowAt(i)) await fetchPage(Math.floor(i / PAGE_SIZE));
    const row = rowAt(i);
    if (row) onOpen(row.id);
  }

  function onListKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const pageRows = Math.max(1, Math.floor(list.clientHeight / ROW_HEIGHT) - 1);
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows, Home: -total, End: total }[e.key];
    if (e.key === " " && rowAt(Math.max(selectedIndex, 0))) {
      e.preventDefault();
      pick(rowAt(Math.max(selectedIndex, 0)), Math.max(selectedIndex, 0), false);
    } else if (e.key === "Enter") {
      e.preventDefault();
      openIndex(Math.max(selectedIndex, 0));
    } else if (step !== undefined) {
      e.preventDefault();
      const from = selectedIndex >= 0 ? selectedIndex : step > 0 ? -1 : total;
      openIndex(Math.min(total - 1, Math.max(0, from + step)));
    }
  }

  function runSearch() {
    clearTimeout(debounce);
    return load(search.value, true);
  }

  function onSearchKey(e) {
    if (e.key === "Escape" && search.value) {
      // Handled here so the app's Esc (cancel edit) doesn't also fire.
      e.stopPropagation();
      clearSearch();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      list.focus();
      openIndex(Math.max(selectedIndex, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      runSearch().then(() => openIndex(0));
    }
  }

  /** Empties the search box and shows everyone again. */
  function clearSearch() {
    if (!search.value && !query) return;
    search.value = "";
    runSearch();
  }

  search.addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(runSearch, DEBOUNCE_MS);
  });
  search.addEventListener("keydown", onSearchKey);
  list.addEventListener("keydown", onListKey);
  list.addEventListener("scroll", scheduleRender, { passive: true });
  new ResizeObserver(scheduleRender).observe(list);

  return {
    /** Re-reads the current results in place (after a save, delete, undo…). */
    refresh: () => load(query, false),
    /** Starts over: everyone, no search, scrolled to the top (after switching database). */
    reset: () => {
      search.value = "";
      picked.clear();
      pickedBar.hidden = true;
      filter = null;
      listName = "";
      return runSearch();
    },
    setSelected,
    results,
    /** Shows only the contacts `newFilter` finds (null: everyone); `name` is its saved name. */
    setFilter: (newFilter, name = "") => {
      filter = newFilter;
      listName = name;
      return load(query, true);
    },
    clearSearch,
    focusSearch: () => {
      search.focus();
      search.select();
    },
    focus: () => list.focus(),
    /** Scrolls to the selected contact if it is among the loaded rows. */
    revealSelected: () => {
      if (selectedIndex >= 0) scrollIntoView(selectedIndex);
    },
  };
}
