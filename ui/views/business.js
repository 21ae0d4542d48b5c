/**
 * The business side of a contact's page: grade and lead source, who referred them and whom
 * they referred, what they bought (with recency, frequency and lifetime value), the company
 * they work at (or the people at this company) and their household. Each change goes through
 * the workflow panel's `change(run)`, whose answer redraws the whole panel via `draw`.
 */

import { addPurchase, households, setCompany, setGrade, setHousehold, setReferredBy } from "../api.js";
import { formatDay, isoDay } from "../dates.js";
import { el } from "../dom.js";
import { money } from "../money.js";
import { contactPicker } from "./picker.js";

const GRADES = ["", "A", "B", "C", "D"];
const NEW_HOUSEHOLD = "\u0000new";

export function createBusinessCard(contactId, { change, onOpen, onError }) {
  let current = null;

  const personLink = (m) => el("button", { type: "button", className: "link-button", onclick: () => onOpen(m.contactId) }, m.name);
  const row = (title, ...content) => el("div", { className: "detail-section" }, el("h3", { className: "section-title" }, title),
    el("div", { className: "section-body business-row" }, ...content));

  const grade = el("select", { id: "grade", "aria-label": "Grade", onchange: saveGrade },
    GRADES.map((g) => el("option", { value: g }, g || "—")));
  const source = el("input", { id: "lead-source", type: "text", placeholder: "Seminar, website, referral…", "aria-label": "Lead source",
    onchange: saveGrade });
  const referrer = el("div", { id: "referred-by", className: "business-link" });
  const referrals = el("div", { id: "referrals", className: "business-people" });
  const company = el("div", { id: "works-at", className: "business-link" });
  const people = el("div", { id: "company-people", className: "business-people" });
  const household = el("select", { id: "household", "aria-label": "Household", onchange: saveHousehold });
  const newHousehold = createHouseholdForm();
  const rfm = el("p", { id: "rfm", className: "muted" });
  const purchases = el("ul", { id: "purchases", className: "purchase-list" });
  const purchaseForm = createPurchaseForm();

  const element = el("section", { id: "business", className: "detail-card workflow-card", "aria-labelledby": "business-title" },
    el("header", { className: "card-header" }, el("h2", { id: "business-title", className: "card-title" }, "Business")),
    row("Grade and source", grade, source),
    row("Referred by", referrer),
    row("Referred", referrals),
    row("Works at", company),
    row("People here", people),
    row("Household", household, newHousehold),
    row("Purchases", el("div", { className: "purchases" }, rfm, purchases, purchaseForm)));

  /** The current value with Open/Remove, or a picker to choose one. */
  function drawLink(node, member, { placeholder, set }) {
    // Redrawn only when it changed, so a name half typed into the picker survives other saves.
    const shown = member ? `${member.contactId} ${member.name}` : "";
    if (node.childElementCount && node.dataset.shown === shown) return;
    node.dataset.shown = shown;
    node.replaceChildren(...(member
      ? [personLink(member), el("button", { type: "button", className: "link-button muted", onclick: () => change(() => set(null)) }, "Remove")]
      : [contactPicker({ id: `${node.id}-picker`, placeholder, exclude: contactId, onError,
          onPick: (row) => change(() => set(row.id)) })]));
  }

  function drawPeople(node, members, none) {
    node.replaceChildren(...(members.length ? members.flatMap((m, i) => [i ? ", " : "", personLink(m)]) : [el("span", { className: "muted" }, none)]));
  }

  async function drawHouseholds(mine) {
    let all = [];
    try {
      all = await households();
    } catch (err) {
      onError(err);
    }
    household.replaceChildren(el("option", { value: "" }, "None"),
      ...all.map((h) => el("option", { value: h.id }, `${h.name} (${h.members.length})`)),
      el("option", { value: NEW_HOUSEHOLD }, "New household…"));
    household.value = mine?.id ?? "";
  }

  function draw(workflow) {
    current = workflow;
    const b = workflow.business;
    const links = workflow.links;
    grade.value = b.grade ?? "";
    if (document.activeElement !== source) source.value = b.leadSource;
    drawLink(referrer, b.referredBy, { placeholder: "Who sent them?", set: (id) => setReferredBy(contactId, id) });
    drawPeople(referrals, b.referrals, "No one yet");
    drawLink(company, links.company, { placeholder: "Their company (a contact)", set: (id) => setCompany(contactId, id) });
    drawPeople(people, links.people, "No one linked to this company");
    drawHouseholds(links.household);
    const r = b.rfm;
    const currency = b.purchases[0]?.currency ?? "USD";
    rfm.textContent = r.frequency
      ? `${r.frequency} purchase${r.frequency === 1 ? "" : "s"} · ${money(r.monetaryCents, currency)} lifetime · last ${r.recencyDays === 0 ? "today" : `${r.recencyDays} days ago`}`
      : "Nothing bought yet.";
    purchases.replaceChildren(...b.purchases.map((p) => el("li", {},
      el("span", {}, `${formatDay(p.purchasedOn)} · ${p.item}`),
      el("span", { className: "purchase-amount" }, money(p.amountCents, p.currency),
        p.repeatAfterMonths ? el("span", { className: "muted" }, ` · again in ${p.repeatAfterMonths} months`) : ""))));
  }

  function saveGrade() {
    change(() => setGrade(contactId, grade.value || null, source.value.trim()));
  }

  function saveHousehold() {
    if (household.value === NEW_HOUSEHOLD) {
      newHousehold.hidden = false;
      newHousehold.querySelector("input").focus();
    } else {
      change(() => setHousehold(contactId, household.value || null));
    }
  }

  /** Names a new household in place (window.prompt is not available in the app's webview). */
  function createHouseholdForm() {
    const name = el("input", { type: "text", id: "household-name", placeholder: "e.g. The Lee family", "aria-label": "Household name" });
    const form = el("form", { className: "household-new", hidden: true, noValidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        if (!name.value.trim()) return name.focus();
        form.hidden = true;
        change(() => setHousehold(contactId, null, name.value.trim()));
        name.value = "";
      },
      onkeydown: (e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          form.hidden = true;
          household.value = current?.links.household?.id ?? "";
        }
      } },
    name, el("button", { type: "submit", className: "button small" }, "Create"));
    return form;
  }

  function createPurchaseForm() {
    const on = el("input", { type: "date", name: "purchasedOn", value: isoDay(), "aria-label": "Bought on" });
    const item = el("input", { type: "text", name: "item", placeholder: "What they bought", "aria-label": "Item" });
    const amount = el("input", { type: "number", name: "amount", min: 0, step: "0.01", placeholder: "Amount", "aria-label": "Amount" });
    const currency = el("input", { type: "text", name: "currency", value: "USD", maxLength: 3, "aria-label": "Currency", className: "currency" });
    const repeat = el("input", { type: "number", name: "repeat", min: 1, placeholder: "Again in … months", "aria-label": "Repeat after months" });
    const error = el("p", { className: "field-error", role: "alert", hidden: true });
    const form = el("form", { id: "purchase-form", className: "editor purchase-form", noValidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const cents = Math.round(Number(amount.value) * 100);
        const problem = !item.value.trim() ? "Say what they bought." : !(cents >= 0) || amount.value === "" ? "Enter the amount." : "";
        error.textContent = problem;
        error.hidden = !problem;
        if (problem) return;
        const purchase = { purchasedOn: on.value || isoDay(), item: item.value.trim(), amountCents: cents,
          currency: currency.value.trim().toUpperCase() || "USD", repeatAfterMonths: repeat.value ? Number(repeat.value) : null };
        if (await change(() => addPurchase(contactId, purchase))) {
          item.value = amount.value = repeat.value = "";
        }
      } },
      on, item, amount, currency, repeat,
      el("button", { type: "submit", id: "purchase-add", className: "button small" }, "Add purchase"),
      error);
    return form;
  }

  return { element, draw };
}
