/**
 * "My details": the sender that letters print as letterhead, return address and signature.
 * The inputs are named after the stored keys (`postal_code`…), so the form reads straight
 * into what set_sender expects. Saving is done by the app (`onSave(sender)`), which then
 * leaves the form; a rejection is shown at the top of the form, which keeps what was typed.
 */

import { el, shortcut } from "../dom.js";
import { field, textInput } from "./contact.js";

export const SENDER_KEYS = ["name", "company", "street", "extra", "city", "region", "postal_code", "country", "phone", "email", "website"];

/** True when none of the details are filled in: letters then print without a letterhead. */
export function isBlankSender(sender) {
  return SENDER_KEYS.every((key) => !String(sender?.[key] ?? "").trim());
}

export function createSenderForm(sender, { onSave, onCancel, setSaveState }) {
  let dirty = false;
  let saving = false;

  const input = (key, label, props = {}) => field(label, textInput(key, sender?.[key] ?? "", props));
  const formError = el("div", { className: "form-error", role: "alert", tabIndex: -1, hidden: true });
  const saveButton = el("button", { id: "sender-save", type: "submit", className: "button primary", title: `Save (${shortcut("S")})` }, "Save");

  const form = el("form", { id: "sender-form", className: "editor sender-form", noValidate: true, "aria-label": "My details",
    onsubmit: (e) => { e.preventDefault(); save(); }, oninput: changed, onchange: changed },
    el("header", { className: "editor-header" },
      el("div", {},
        el("h1", { className: "view-title" }, "My details"),
        el("p", { className: "view-subtitle" }, "Printed at the top of your letters, as their return address and under your signature.")),
      el("div", { className: "editor-actions" },
        el("button", { id: "sender-cancel", type: "button", className: "button", title: "Cancel (Esc)", onclick: onCancel }, "Cancel"),
        saveButton)),
    formError,
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Name"),
      el("div", { className: "form-row form-row-2" },
        input("name", "Your name", { placeholder: "Ann Lee" }),
        input("company", "Company", { placeholder: "Optional" }))),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Address"),
      el("div", { className: "sender-address" },
        input("street", "Street"),
        input("extra", "Apartment, suite, etc."),
        el("div", { className: "form-row" },
          input("city", "City"),
          input("region", "State / region"),
          input("postal_code", "Postal code")),
        input("country", "Country"))),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Contact"),
      el("div", { className: "form-row" },
        input("phone", "Phone", { type: "tel" }),
        input("email", "Email", { type: "email" }),
        input("website", "Website", { type: "url", placeholder: "example.com" }))));

  function changed() {
    dirty = true;
    if (!saving) setSaveState("dirty");
  }

  const read = () => Object.fromEntries(SENDER_KEYS.map((key) => [key, form.elements.namedItem(key).value.trim()]));

  async function save() {
    if (saving) return;
    saving = true;
    saveButton.disabled = true;
    formError.hidden = true;
    setSaveState("saving");
    try {
      await onSave(read());
      dirty = false;
    } catch (err) {
      formError.textContent = `Couldn’t save your details: ${err.message}`;
      formError.hidden = false;
      formError.focus();
      setSaveState("error", "Couldn't save");
    } finally {
      saving = false;
      saveButton.disabled = false;
    }
  }

  return {
    element: form,
    save,
    isDirty: () => dirty,
    focusFirst: () => form.elements.namedItem("name").focus(),
  };
}
