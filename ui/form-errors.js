/**
 * Inline errors for the forms whose controls carry `data-field` paths (the contact editor,
 * the wrap-up dialog). An error names a path such as `emails.1.value`; it is shown beside
 * the control with that path, or beside its enclosing row or group when there is none
 * (`emails.1.value` → `emails.1` → `emails`). The marked element gets the class `invalid`,
 * `aria-invalid` and an `aria-describedby` pointing at its `.field-error`. Errors that match
 * no path, and failures that name no fields at all, go to the form-level `formError`.
 */

import { el } from "./dom.js";

const CONTROLS = "input, select, textarea";

/**
 * The error helpers for one form. Options:
 *   `idPrefix`: the error elements' ids are `${idPrefix}1`, `${idPrefix}2`…
 *   `afterField`: put an error after its control's `.field` label (or after a group) rather
 *   than straight after the control (or inside a group, as its last child).
 */
export function formErrors(form, formError, { idPrefix, afterField = false }) {
  let seq = 0;

  function place(target, error) {
    if (afterField) (target.closest(".field") ?? target).after(error);
    else if (target.matches(CONTROLS)) target.after(error);
    else target.append(error);
  }

  /** Shows `message` for `path` (or its nearest enclosing path). Returns false if nothing matched. */
  function show(path, message) {
    for (let p = path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") {
      const target = form.querySelector(`[data-field="${CSS.escape(p)}"]`);
      if (!target) continue;
      const error = el("div", { className: "field-error", id: `${idPrefix}${++seq}` }, message);
      target.classList.add("invalid");
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", [target.getAttribute("aria-describedby"), error.id].filter(Boolean).join(" "));
      place(target, error);
      return true;
    }
    return false;
  }

  /** Clears the error on `node` or on the marked element around it, if any. */
  function clear(node) {
    const owner = node.closest?.(".invalid");
    if (!owner || !form.contains(owner)) return;
    for (const id of (owner.getAttribute("aria-describedby") ?? "").split(" ")) if (id) document.getElementById(id)?.remove();
    owner.classList.remove("invalid");
    owner.removeAttribute("aria-invalid");
    owner.removeAttribute("aria-describedby");
  }

  function clearAll() {
    form.querySelectorAll(".invalid").forEach(clear);
    formError.hidden = true;
  }

  /**
   * Shows an API error (`{ kind, message, fields }`, see api.js): each field error beside its
   * field, the rest in `formError`; `general` is what `formError` says when no fields are
   * named. Focuses the first marked control (a group's `data-focus` one, else its first), or
   * `formError`. Returns true if the error named fields.
   */
  function report(err, general) {
    const fields = err.kind === "invalid" ? err.fields ?? [] : [];
    const unplaced = fields.filter((f) => !show(f.field, f.message)).map((f) => f.message);
    const messages = fields.length ? unplaced : [general];
    formError.textContent = messages.join(" ");
    formError.hidden = messages.length === 0;
    const first = form.querySelector(".invalid");
    const focusable = first?.matches(CONTROLS)
      ? first
      : first?.querySelector(first.dataset.focus ? `[name="${first.dataset.focus}"]` : CONTROLS);
    (focusable ?? formError).focus();
    return fields.length > 0;
  }

  return { show, clear, clearAll, report };
}
