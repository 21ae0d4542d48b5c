/**
 * Backend bridge: the only module that touches window.__TAURI__.
 * One async function per Tauri command (arguments use camelCase keys, as Tauri expects).
 * Every rejection is normalised to `{ kind, message, fields }` so callers can branch on
 * `kind` and point at `fields` without caring how the backend failed.
 */

const invoke = window.__TAURI__.core.invoke;

function normaliseError(e) {
  if (e && typeof e === "object" && typeof e.kind === "string") {
    return { kind: e.kind, message: String(e.message ?? ""), fields: Array.isArray(e.fields) ? e.fields : [] };
  }
  return { kind: "internal", message: String(e instanceof Error ? e.message : e), fields: [] };
}

async function call(command, args) {
  try {
    return await invoke(command, args);
  } catch (e) {
    throw normaliseError(e);
  }
}

export async function appInfo() {
  return call("app_info");
}

export async function searchContacts(query, offset, limit) {
  return call("search_contacts", { query, offset, limit });
}

/**
 * A page of what the contact list shows: the contacts `picked` one by one if any, else the
 * search `query` within the smart list `filter` when there is one. Resolves to `{ total, rows }`.
 */
export async function listContacts({ query, filter, picked = [] }, offset, limit) {
  if (picked.length) {
    const ids = picked.slice(offset, offset + limit);
    return { total: picked.length, rows: await Promise.all(ids.map((id) => getContact(id))) };
  }
  return filter ? call("filter_contacts", { filter: { ...filter, text: query }, offset, limit }) : searchContacts(query, offset, limit);
}

/** Who a merge goes to: the contacts picked in the list, else everyone it shows (see listContacts). */
export function recipientsOf({ query, filter, picked = [] }) {
  if (picked.length) return { by: "selection", ids: picked };
  return filter ? { by: "filter", filter: { ...filter, text: query } } : { by: "search", query };
}

/** Saved smart lists, by name: `[{ id, name, filter }]`. */
export async function smartLists() {
  return call("smart_lists");
}

/** Saves `filter` as `name` (replacing a list of that name); resolves to the list. */
export async function saveSmartList(name, filter) {
  return call("save_smart_list", { name, filter });
}

export async function deleteSmartList(name) {
  return call("delete_smart_list", { name });
}

export async function getContact(id) {
  return call("get_contact", { id });
}

export async function createContact(draft) {
  return call("create_contact", { draft });
}

export async function updateContact(id, draft) {
  return call("update_contact", { id, draft });
}

export async function trashContact(id) {
  return call("trash_contact", { id });
}

export async function restoreContact(id) {
  return call("restore_contact", { id });
}

export async function listTrash() {
  return call("list_trash");
}

/** Shows the native file dialog; resolves to AppInfo, or null if the user cancelled. */
export async function chooseDatabase(mode) {
  return call("choose_database", { mode });
}

/** The sample letter templates: `[{ name, source }]`. */
export async function mergeTemplates() {
  return call("merge_templates");
}

/** Saves a template's text under its name; rejects with the line of a syntax error. */
export async function saveTemplate(name, source) {
  return call("save_template", { name, source });
}

/**
 * A merge as set up in the Letters view: `{ layout, templateName, templateSource, household,
 * startAt, faxSubject, faxNote }`, `layout` one of "us-window", "din-a", "din-b", "fax",
 * "envelope-10", "envelope-dl", "envelope-c5", "envelope-c6", "avery-5160", "avery-5163",
 * "avery-l7160". The backend adds the date, My details and the printer's offset.
 */

/** One recipient's pages as SVG: `{ pages, unknownFields, skipReason }`. Rejects with kind "invalid" on a template error. */
export async function mergePreview(request, contactId) {
  return call("merge_preview", { request, contactId });
}

/** What to fix before printing: `{ total, problems: [{ kind, contactId, line, message }] }` (the first 200). */
export async function mergePreflight(request, recipients, order) {
  return call("merge_preflight", { request, recipients, order });
}

/**
 * Starts the job "print" (see onJob) for `recipients` (see queueEmail) in `order` ("name" |
 * "postal-code"): one PDF in Documents/Rolodeck, or with `folder` one PDF per recipient; it
 * opens when done. The job's result is `{ runId, printed, pages, bytes, skipped, files }`.
 */
export async function mergePrint(request, recipients, order, folder) {
  return call("merge_print", { request, recipients, order, folder });
}

/** The recorded runs, newest first: `[{ id, createdAt, layout, templateName, output, printed, skipped, pages, reprintOf }]`. */
export async function mergeRuns() {
  return call("merge_runs");
}

/** Prints run `id` again into one new PDF, as the job "print". */
export async function mergeReprint(id) {
  return call("merge_reprint", { id });
}

/** The printer's saved offset for an envelope or label layout: `[mmRight, mmDown]`. */
export async function mergeCalibration(layout) {
  return call("merge_calibration", { layout });
}

export async function setMergeCalibration(layout, offset) {
  return call("set_merge_calibration", { layout, offset });
}

/** "My details" for letterheads; the keys are snake_case (`postal_code`), as stored. */
export async function getSender() {
  return call("get_sender");
}

export async function setSender(sender) {
  return call("set_sender", { sender });
}

/** Shows the native Open dialog for a PNG or JPEG; resolves to its path, or null when cancelled. */
export async function chooseImageFile() {
  return call("choose_image_file");
}

/**
 * Checks and stores the PNG or JPEG at `path` (at most 2 MB) for the logo or signature:
 * `{ id, format, width, height, bytes, dataUrl }`. My details name it once saved.
 */
export async function addImage(path) {
  return call("add_image", { path });
}

/** A stored image, as `addImage` gives it (`dataUrl` for a thumbnail). */
export async function getImage(id) {
  return call("get_image", { id });
}

// --- Workflow: Today, stages, the wrap-up, consent and cadence -----------------------------

/**
 * The Today view for `date` ("YYYY-MM-DD", or null for today): `{ date, overdue, dueToday,
 * noNextStep, noNextStepCount, keepInTouch, birthdays }`. Lists hold at most 50 rows.
 */
export async function today(date = null) {
  return call("today", { date });
}

/**
 * One contact's workflow: `{ stage, inStageSince, stageHistory, nextAction, timeline,
 * lastContacted, keepInTouchDays, consent }`. The changes below all answer with it.
 */
export async function contactWorkflow(id) {
  return call("contact_workflow", { id });
}

/**
 * The wrap-up `{ kind, summary, happenedAt, next }`, `next` being `{ step: "action", kind,
 * text, dueOn }` or `{ step: "noNextStep" }`. Rejects with kind "invalid" naming `summary`,
 * `next.text` or `next.dueOn`.
 */
export async function logActivity(id, wrapUp) {
  return call("log_activity", { id, wrapUp });
}

/** `stage`: stranger, suspect, contact, connection, prospect, client or former_client. */
export async function setStage(id, stage) {
  return call("set_stage", { id, stage });
}

/** `{ emailOptIn: { at, source } | null, doNotMail, doNotCall, doNotEmail, doNotFax }`. */
export async function setConsent(id, consent) {
  return call("set_consent", { id, consent });
}

/** How often to be in touch, in days; null for never. */
export async function setKeepInTouch(id, everyDays) {
  return call("set_keep_in_touch", { id, everyDays });
}

/** Sets or drops the next step (`{ step: "action", kind, text, dueOn }` or `{ step: "noNextStep" }`). */
export async function setNextAction(id, next) {
  return call("set_next_action", { id, next });
}

/** Corrects activity `activity` of contact `id`: `edit` is `{ kind, summary, happenedAt }`. */
export async function correctActivity(id, activity, edit) {
  return call("correct_activity", { id, activity, edit });
}

/** Deletes an activity: `{ activity, workflow }`, `activity` being what restoreActivity puts back. */
export async function deleteActivity(id, activity) {
  return call("delete_activity", { id, activity });
}

export async function restoreActivity(activity) {
  return call("restore_activity", { activity });
}

/** Grade ("A"–"D" or null) and lead source. */
export async function setGrade(id, grade, leadSource) {
  return call("set_grade", { id, grade, leadSource });
}

export async function setReferredBy(id, referrer) {
  return call("set_referred_by", { id, referrer });
}

/** `{ purchasedOn, item, amountCents, currency, repeatAfterMonths }`. */
export async function addPurchase(id, purchase) {
  return call("add_purchase", { id, purchase });
}

/** The company a contact works at (a contact standing for it), or null. */
export async function setCompany(id, company) {
  return call("set_company", { id, company });
}

/** Puts a contact in `household` (an id), in a new one named `newHousehold`, or (both null) in none. */
export async function setHousehold(id, household, newHousehold = null) {
  return call("set_household", { id, household, newHousehold });
}

/** Every household: `[{ id, name, members: [{ contactId, name }] }]`. */
export async function households() {
  return call("households");
}

/** Every tag: `[{ name, color, keepInTouchDays, contacts }]`. */
export async function tags() {
  return call("tags");
}

/** Everyone with the tag is due on Today after this many days without contact; null for never. */
export async function setTagKeepInTouch(name, everyDays) {
  return call("set_tag_keep_in_touch", { name, everyDays });
}

/** `color`: "#rrggbb", or null for the default. */
export async function setTagColor(name, color) {
  return call("set_tag_color", { name, color });
}

// --- Import: vCard and CSV files as one undoable batch -------------------------------------

/** Shows the native Open dialog for a .vcf or .csv file; resolves to its path, or null. */
export async function chooseImportFile() {
  return call("choose_import_file");
}

/**
 * What importing the file at `path` would do, `onMatch` ("merge" | "skip") deciding cards that
 * match a contact already there: `{ source, creates, merges, skips, rows, fileWarnings }`, rows
 * being the first 200 `{ name, action, warnings }`, `action` one of `{ kind: "create" }`,
 * `{ kind: "merge", into, name, reason }`, `{ kind: "skip", reason }`. For a CSV file,
 * `columns` is `{ headers, samples, mapping: { columns: [target] } }`; `mapping` (that shape)
 * reads the columns as the user changed them. The backend keeps this plan for importApply.
 */
export async function importPreview(path, onMatch, mapping = null) {
  return call("import_preview", { path, onMatch, mapping });
}

/** Writes the last preview: `{ id, source, createdAt, created, merged, skipped, undoneAt }`. */
export async function importApply() {
  return call("import_apply");
}

/** Puts back everything import `id` did; resolves to how many contacts that touched. */
export async function importUndo(id) {
  return call("import_undo", { id });
}

/** Past imports, newest first, each as importApply answers. */
export async function importList() {
  return call("import_list");
}

// --- Email and fax: settings, merge, the outbox ----------------------------------------------

/** `{ settings: { host, port, security, user, fromName, fromAddress, perMinute, requireOptIn,
 * unsubscribeAddress, faxGateway, timeoutSeconds }, password: null | { kind } }`. */
export async function mailSettings() {
  return call("mail_settings");
}

/** Saves the settings and, unless blank, the password (to the keyring); answers as mailSettings. */
export async function saveMailSettings(settings, password) {
  return call("save_mail_settings", { settings, password: password || null });
}

/** Sends a test message to `to`; rejects with what failed (kind "mail_*"). */
export async function sendTestMail(to) {
  return call("send_test_mail", { to });
}

/**
 * One recipient's merged message: `{ to, subject, text, skipReason, unknownFields }`.
 * `draft` is `{ subject, body, html, fax, dateStyle }`.
 */
export async function emailPreview(draft, contactId) {
  return call("email_preview", { draft, contactId });
}

/**
 * Merges and queues the message for `recipients` (`{ by: "search", query }`, `{ by: "list",
 * name }` or `{ by: "selection", ids }`): `{ batchId, queued, skipped: [{ name, reason }] }`.
 */
export async function queueEmail(draft, recipients) {
  return call("queue_email", { draft, recipients });
}

/** `{ counts: { queued, sending, sent, failed, uncertain, cancelled }, messages }`, newest first. */
export async function outbox() {
  return call("outbox");
}

/** Starts the job "outbox" (see onJob); `now` also tries messages waiting for a later retry. */
export async function outboxSend(now) {
  return call("outbox_send", { now });
}

export async function outboxRetry(id) {
  return call("outbox_retry", { id });
}

/** Drops the messages (all or none): they are never sent. */
export async function outboxDrop(ids) {
  return call("outbox_drop", { ids });
}

/** `reason`: "unsubscribed" | "bounced" | "complained". */
export async function suppressEmail(address, reason, note) {
  return call("suppress_email", { address, reason, note });
}

// --- Data quality ------------------------------------------------------------------------

/** How many issues the dashboard gets of all kinds together, and of each kind. */
export const QUALITY_SHOWN = 500;

/**
 * The dashboard: `{ contacts, completeness (0–1), counts: { invalidEmail, implausiblePhone,
 * noPostalCode, missingFields, stale }, issues: [{ contactId, name, kind, detail }] }`; the
 * issues are the first `QUALITY_SHOWN` of all and of each kind, so every tab shows its own.
 */
export async function quality(staleMonths) {
  return call("quality", { staleMonths });
}

/** Starts the job "duplicates", whose result is `{ total, pairs: [{ a, aName, b, bName, score, reasons }] }`. */
export async function scanDuplicates() {
  return call("scan_duplicates");
}

/**
 * A duplicate pair side by side: `{ a, b, fields: [{ field, label, a, b, same, suggested }],
 * lists: { emails, phones, addresses, websites, tags }, moving: { activities, … } }`.
 */
export async function duplicatePair(a, b) {
  return call("duplicate_pair", { a, b });
}

/** Merges `merge` into `keep`; `choices` maps a field to "a" or "b". Resolves to `{ id, keptName, mergedName, … }`. */
export async function mergeDuplicates(keep, merge, choices) {
  return call("merge_duplicates", { keep, merge, choices });
}

export async function undoDuplicateMerge(id) {
  return call("undo_duplicate_merge", { id });
}

// --- Custom fields -------------------------------------------------------------------------

/**
 * The user's own fields, in form order: `[{ id, key, name, kind, options, position }]`, `kind`
 * one of "text", "number", "date", "yes_no", "choice". A contact carries their values in
 * `custom` (key → value, null when blank); a draft may send every value as text.
 */
export async function customFields() {
  return call("custom_fields");
}

/** `field`: `{ name, kind, options }`; rejects with kind "invalid" naming `name` or `options`. */
export async function createCustomField(field) {
  return call("create_custom_field", { field });
}

/** A new name; the key (and so every template using it) stays. */
export async function renameCustomField(id, name) {
  return call("rename_custom_field", { id, name });
}

/** Puts the fields in the order of `ids`; resolves to every field in its new place. */
export async function reorderCustomFields(ids) {
  return call("reorder_custom_fields", { ids });
}

/** Deletes the field and its values (no undo); resolves to how many values went. */
export async function deleteCustomField(id) {
  return call("delete_custom_field", { id });
}

// --- Background jobs ----------------------------------------------------------------------

/** Asks job `job` to stop; resolves to whether it was running. */
export async function cancelJob(job) {
  return call("cancel_job", { job });
}

/**
 * Calls `handler(report)` for each report of job `job`: `{ job, state: "progress" | "done" |
 * "failed" | "cancelled", done, total, result, error }`. Resolves to an unlisten function.
 */
export function onJob(job, handler) {
  return onEvent("job", (report) => {
    if (report.job === job) handler(report.error ? { ...report, error: normaliseError(report.error) } : report);
  });
}

/** Subscribes to a backend event; resolves to an unlisten function. */
export function onEvent(name, handler) {
  return window.__TAURI__.event.listen(name, (event) => handler(event.payload, event));
}
