/**
 * "My details": the sender that letters print as letterhead, return address and signature.
 * The inputs are named after the stored keys (`postal_code`…), so the form reads straight
 * into what set_sender expects. Saving is done by the app (`onSave(sender)`), which then
 * leaves the form; a rejection is shown at the top of the form, which keeps what was typed.
 *
 * The logo and the signature are images: "Choose image…" opens the native dialog (the window
 * has no file access), the chosen file is checked and stored at once, and the form keeps its
 * id, which My details name when saved. Thumbnails are the images' data: URLs.
 */

import { addImage, chooseImageFile, getImage } from "../api.js";
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
  const images = { logo: sender?.logo ?? null, signature: sender?.signature ?? null };

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
        input("website", "Website", { type: "url", placeholder: "example.com" }))),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Logo and signature"),
      imageRow("logo", "Logo", "Beside the letterhead. PNG or JPEG, up to 2 MB."),
      imageRow("signature", "Signature", "Above your name where a letter signs off; a PNG with a transparent background looks best.")));

  /** One image's row: thumbnail (or "None"), Choose image…, Remove, and any refusal. */
  function imageRow(key, label, hint) {
    const thumb = el("img", { className: "sender-image-thumb", alt: `${label} preview`, hidden: true });
    const none = el("span", { className: "sender-image-none" }, "None");
    const error = el("div", { className: "field-error", role: "alert", hidden: true });
    const remove = el("button", { id: `sender-${key}-remove`, type: "button", className: "button",
      onclick: () => { images[key] = null; show(null); changed(); } }, "Remove");
    const choose = el("button", { id: `sender-${key}-choose`, type: "button", className: "button", onclick: pick }, "Choose image…");

    function show(image) {
      thumb.hidden = !image;
      if (image) thumb.src = image.dataUrl;
      else thumb.removeAttribute("src");
      none.hidden = Boolean(image);
      remove.disabled = !image;
    }

    async function pick() {
      error.hidden = true;
      try {
        const path = await chooseImageFile();
        if (!path) return;
        const image = await addImage(path);
        images[key] = image.id;
        show(image);
        changed();
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    }

    show(null);
    if (images[key]) {
      getImage(images[key]).then(show, (err) => {
        error.textContent = `The saved ${label.toLowerCase()} can’t be shown: ${err.message}`;
        error.hidden = false;
      });
    }
    return el("div", { className: "sender-image", dataset: { image: key } },
      el("div", { className: "sender-image-text" },
        el("span", { className: "field-label" }, label),
        el("span", { className: "sender-image-hint" }, hint)),
      el("div", { className: "sender-image-frame" }, thumb, none),
      el("div", { className: "sender-image-actions" }, choose, remove),
      error);
  }

  function changed() {
    dirty = true;
    if (!saving) setSaveState("dirty");
  }

  // What the form doesn't show (the fax number) goes back as it came.
  const read = () => ({
    ...sender,
    ...Object.fromEntries(SENDER_KEYS.map((key) => [key, form.elements.namedItem(key).value.trim()])),
    ...images,
  });

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
