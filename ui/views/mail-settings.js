/**
 * Settings ▸ Email: the user's own mail server, how fast to send, opt-in and unsubscribe, and
 * the fax gateway. The password goes to the system keyring (the form only says where it is
 * kept); "Send test email" tries the saved settings and says what failed. Saving is done by the
 * app (`onSave(settings, password)`); a rejection is shown beside each field named.
 */

import { sendTestMail } from "../api.js";
import { el, shortcut } from "../dom.js";
import { formErrors } from "../form-errors.js";
import { field, select, textInput } from "./contact.js";

const SECURITY = [
  ["starttls", "STARTTLS (usually port 587)"],
  ["tls", "TLS (usually port 465)"],
  ["none", "None — a relay on this computer or network only"],
];
const DEFAULT_PORT = { starttls: 587, tls: 465, none: 25 };

const TEXT_KEYS = ["host", "user", "fromName", "fromAddress", "unsubscribeAddress", "faxGateway"];
const NUMBER_KEYS = ["port", "perMinute", "timeoutSeconds"];

function passwordText(location) {
  if (!location) return "No password saved.";
  if (location.kind === "keyring") return "A password is saved in the system keyring.";
  if (location.kind === "environment") return "The password comes from the ROLODECK_SMTP_PASSWORD variable.";
  return `A password is saved in ${location.path}, readable only by you.`;
}

export function createMailSettingsForm({ settings, password }, { onSave, onCancel, setSaveState }) {
  let dirty = false;
  let saving = false;

  const input = (key, label, props = {}) => field(label, textInput(key, String(settings[key] ?? ""), props));
  const security = select("security", SECURITY, settings.security, { id: "mail-security", onchange: securityChanged });
  const optIn = el("input", { type: "checkbox", name: "requireOptIn", checked: settings.requireOptIn, dataset: { field: "requireOptIn" } });
  const passwordInput = el("input", { type: "password", name: "password", autocomplete: "new-password",
    placeholder: password ? "Saved — type to replace it" : "" });
  const passwordNote = el("p", { id: "mail-password-note", className: "field-note" }, passwordText(password));
  const formError = el("div", { className: "form-error", role: "alert", tabIndex: -1, hidden: true });
  const saveButton = el("button", { id: "mail-save", type: "submit", className: "button primary", title: `Save (${shortcut("S")})` }, "Save");

  const testTo = textInput("testTo", settings.fromAddress, { id: "mail-test-to", type: "email", "aria-label": "Send a test email to" });
  const testButton = el("button", { id: "mail-test", type: "button", className: "button", onclick: test }, "Send test email");
  const testResult = el("p", { id: "mail-test-result", className: "field-note", role: "status" });

  const form = el("form", { id: "mail-settings-form", className: "editor sender-form", noValidate: true, "aria-label": "Email settings",
    onsubmit: (e) => { e.preventDefault(); save(); }, oninput: changed, onchange: changed },
    el("header", { className: "editor-header" },
      el("div", {},
        el("h1", { className: "view-title" }, "Email settings"),
        el("p", { className: "view-subtitle" }, "Rolodeck sends through your own mailbox’s server, as you.")),
      el("div", { className: "editor-actions" },
        el("button", { id: "mail-cancel", type: "button", className: "button", title: "Cancel (Esc)", onclick: onCancel }, "Cancel"),
        saveButton)),
    formError,
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Server"),
      el("div", { className: "form-row" },
        input("host", "Server", { placeholder: "smtp.example.com" }),
        input("port", "Port", { type: "number", min: 1, max: 65535 }),
        field("Security", security)),
      el("div", { className: "form-row form-row-2" },
        input("user", "User name", { placeholder: "Often your email address" }),
        field("Password", passwordInput)),
      passwordNote),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Sending"),
      el("div", { className: "form-row form-row-2" },
        input("fromName", "From name", { placeholder: "Ann Lee" }),
        input("fromAddress", "From address", { type: "email", placeholder: "ann@example.com" })),
      el("div", { className: "form-row" },
        input("perMinute", "At most … a minute", { type: "number", min: 1 }),
        input("timeoutSeconds", "Give up after … seconds", { type: "number", min: 1 }),
        input("unsubscribeAddress", "Unsubscribe requests to", { type: "email", placeholder: "The From address" })),
      el("label", { className: "check" }, optIn, " Only email contacts who opted in")),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Fax"),
      input("faxGateway", "Email-to-fax gateway", { placeholder: "{fax_digits}@fax.example.com" })),
    el("fieldset", { className: "form-card" },
      el("legend", { className: "group-title" }, "Test"),
      el("div", { className: "form-row mail-test" }, testTo, testButton),
      testResult));

  const errors = formErrors(form, formError, { idPrefix: "mail-error-", afterField: true });

  function securityChanged() {
    const port = form.elements.namedItem("port");
    if (Object.values(DEFAULT_PORT).includes(Number(port.value))) port.value = DEFAULT_PORT[security.value];
  }

  function changed(e) {
    if (e?.target === testTo) return;
    if (e?.target) errors.clear(e.target);
    dirty = true;
    if (!saving) setSaveState("dirty");
  }

  function read() {
    const value = (key) => form.elements.namedItem(key).value.trim();
    return {
      ...Object.fromEntries(TEXT_KEYS.map((key) => [key, value(key)])),
      ...Object.fromEntries(NUMBER_KEYS.map((key) => [key, Number(value(key)) || 0])),
      security: security.value,
      requireOptIn: optIn.checked,
    };
  }

  async function save() {
    if (saving) return;
    saving = true;
    saveButton.disabled = true;
    errors.clearAll();
    setSaveState("saving");
    try {
      const saved = await onSave(read(), passwordInput.value);
      dirty = false;
      passwordInput.value = "";
      passwordNote.textContent = passwordText(saved.password);
      setSaveState("saved");
    } catch (err) {
      errors.report(err, `Couldn’t save the settings: ${err.message}`);
      setSaveState("error", "Couldn't save");
    } finally {
      saving = false;
      saveButton.disabled = false;
    }
  }

  async function test() {
    if (dirty) await save();
    if (dirty) return; // saving failed: the form says why
    testButton.disabled = true;
    testResult.textContent = "Sending…";
    testResult.classList.remove("error");
    try {
      await sendTestMail(testTo.value.trim());
      testResult.textContent = `Sent. Look for “Rolodeck test email” in ${testTo.value.trim()}.`;
    } catch (err) {
      testResult.textContent = err.message;
      testResult.classList.add("error");
    } finally {
      testButton.disabled = false;
    }
  }

  return {
    element: form,
    save,
    isDirty: () => dirty,
    focusFirst: () => form.elements.namedItem("host").focus(),
  };
}
