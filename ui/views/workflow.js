/**
 * The workflow panel on a contact's page, in two parts that the detail view places:
 *   `top`, under the header: the stage ladder (#stage-ladder, one click moves the contact)
 *     and the next step (#next-step), or a nudge to decide one;
 *   `bottom`, under the contact's details: consent & cadence (do-not flags, the email opt-in
 *     with its proof, #keep-in-touch), which save as soon as they change, the business side
 *     (views/business.js), and the timeline (#timeline), newest first, with the stage moves
 *     interleaved; an activity can be corrected or deleted there (`onActivityDeleted`, for undo).
 * Every command answers with the contact's whole workflow, and the panel redraws from it;
 * when changes overlap, only the latest answer is drawn. `log()` opens the wrap-up dialog.
 * The app is told about stage moves (`onStageMoved(from, to)`, for undo) and wrap-ups
 * (`onLogged(name, wrapUp)`).
 */

import { contactWorkflow, correctActivity, deleteActivity, setConsent, setKeepInTouch, setStage } from "../api.js";
import {
  addDays, dayOf, formatMoment, formatMomentDay, formatWeekdayDay, isoDay, parseDay, relativeDay, relativeMoment,
} from "../dates.js";
import { el } from "../dom.js";
import { createBusinessCard } from "./business.js";
import { field, select, textInput } from "./contact.js";
import { KIND_OPTIONS, STAGES, icon, kindBadge, kindLabel, stageLabel } from "./kinds.js";
import { openWrapUp } from "./wrapup.js";

const TIMELINE_PAGE = 20;
const SAVED_MS = 2000;

/** The do-not flags, under a "Do not contact" heading: "Do not contact · Mail". */
const FLAGS = [
  ["doNotMail", "Mail", "Do not mail"],
  ["doNotCall", "Call", "Do not call"],
  ["doNotEmail", "Email", "Do not email"],
  ["doNotFax", "Fax", "Do not fax"],
];

const CADENCES = [
  ["", "Never"],
  ["30", "Every 30 days"],
  ["60", "Every 60 days"],
  ["90", "Every 90 days"],
  ["180", "Every 180 days"],
  ["365", "Once a year"],
];

export function createWorkflowPanel(contact, { onStageMoved, onLogged, onActivityDeleted, onOpen, onError }) {
  const id = contact.id;
  const name = contact.displayName || "(no name)";
  let workflow = null;
  let writeSeq = 0;
  let showAll = false;
  let optInForm = null; // the "Record opt-in" form while it is open: redraws leave it alone

  // --- top: stage ladder and next step --------------------------------------------------

  const steps = STAGES.map(([stage, label]) => el("button", { type: "button", className: "stage-step", dataset: { stage },
    "aria-pressed": "false", disabled: true, onclick: () => moveTo(stage) }, label));
  const ladder = el("div", { id: "stage-ladder", className: "stage-ladder", role: "group", "aria-label": "Stage" }, steps);
  const since = el("p", { id: "stage-since", className: "stage-since" });
  const nextStep = el("section", { id: "next-step", className: "next-step is-loading", "aria-label": "Next step" },
    el("p", { className: "next-step-loading" }, "Loading…"));

  const top = el("div", { className: "workflow-top" },
    el("div", { className: "stage-block" }, ladder, since),
    nextStep);

  // --- bottom: consent & cadence, timeline ----------------------------------------------

  /** A quiet "Saved" per row, beside what changed. */
  const savedMarks = Object.fromEntries(["flags", "optIn", "cadence"].map((key) =>
    [key, el("span", { className: "quiet-saved", role: "status", "aria-live": "polite", dataset: { saved: key } })]));
  const savedTimers = {};
  const flagBoxes = FLAGS.map(([key, label, title]) => el("label", { className: "check", title },
    el("input", { type: "checkbox", name: key, disabled: true, onchange: () => saveConsent({}, "flags") }), label));
  const optIn = el("div", { id: "email-opt-in", className: "opt-in" });
  const cadence = el("select", { id: "keep-in-touch", name: "keepInTouch", disabled: true, onchange: saveCadence },
    CADENCES.map(([value, label]) => el("option", { value }, label)));
  const cadenceHint = el("span", { className: "cadence-hint" });

  const consentCard = el("section", { id: "consent", className: "detail-card workflow-card", "aria-labelledby": "consent-title" },
    el("header", { className: "card-header" },
      el("h2", { id: "consent-title", className: "card-title" }, "Consent & cadence")),
    row("Do not contact", el("div", { className: "checks", role: "group", "aria-label": "Do not contact by" }, flagBoxes), savedMarks.flags),
    row("Email opt-in", optIn, savedMarks.optIn),
    row("Keep in touch", el("div", { className: "cadence" },
      el("label", { className: "visually-hidden", for: "keep-in-touch" }, "Keep in touch"), cadence, cadenceHint), savedMarks.cadence));

  const timelineCount = el("span", { className: "count-badge" });
  const timelineList = el("ol", { className: "timeline-list", "aria-labelledby": "timeline-title" });
  const timelineMore = el("button", { type: "button", className: "link-button timeline-more", hidden: true,
    onclick: () => { showAll = true; drawTimeline(); } });
  const timeline = el("section", { id: "timeline", className: "detail-card workflow-card", "aria-labelledby": "timeline-title" },
    el("header", { className: "card-header" },
      el("h2", { id: "timeline-title", className: "card-title" }, "Timeline"), timelineCount),
    timelineList, timelineMore);

  const business = createBusinessCard(id, { change, onOpen, onError });
  const bottom = el("div", { className: "workflow-bottom" }, consentCard, business.element, timeline);

  function row(title, content, mark) {
    return el("div", { className: "detail-section" }, el("h3", { className: "section-title" }, title),
      el("div", { className: "section-body saving-row" }, content, mark));
  }

  // --- drawing --------------------------------------------------------------------------

  function update(next) {
    workflow = next;
    drawStage();
    drawNextStep();
    drawConsent();
    business.draw(workflow);
    drawTimeline();
  }

  function drawStage() {
    const current = STAGES.findIndex(([stage]) => stage === workflow.stage);
    steps.forEach((step, i) => {
      step.disabled = false;
      step.setAttribute("aria-pressed", String(i === current));
      step.classList.toggle("passed", current < STAGES.length - 1 && i < current);
    });
    since.replaceChildren(`In ${stageLabel(workflow.stage)} since `,
      el("time", { dateTime: workflow.inStageSince, title: formatMoment(workflow.inStageSince) }, formatMomentDay(workflow.inStageSince)));
  }

  function lastInTouch() {
    const last = workflow.lastContacted;
    return last
      ? el("span", { className: "next-step-last" }, "Last in touch ",
        el("time", { dateTime: last, title: formatMoment(last) }, relativeMoment(last)))
      : el("span", { className: "next-step-last" }, "Nothing logged yet");
  }

  function drawNextStep() {
    const next = workflow.nextAction;
    nextStep.classList.remove("is-loading");
    if (!next) {
      nextStep.className = "next-step is-none";
      nextStep.replaceChildren(
        el("span", { className: "kind-badge kind-none" }, icon("nothing")),
        el("div", { className: "next-step-main" },
          el("p", { className: "next-step-text" }, "No next step — decide one"),
          el("p", { className: "next-step-meta" }, lastInTouch())),
        el("button", { type: "button", id: "decide-next", className: "button", onclick: () => log("decide") }, "Decide next step"));
      return;
    }
    const today = isoDay();
    const overdue = next.dueOn < today;
    nextStep.className = `next-step${overdue ? " is-overdue" : next.dueOn === today ? " is-due" : ""}`;
    nextStep.replaceChildren(
      kindBadge(next.kind),
      el("div", { className: "next-step-main" },
        el("p", { className: "next-step-label" }, "Next step"),
        el("p", { className: "next-step-text" }, next.text),
        el("p", { className: "next-step-meta" },
          el("span", { className: "next-step-kind" }, kindLabel(next.kind)),
          el("span", { className: `next-step-due${overdue ? " overdue" : ""}`, title: formatWeekdayDay(next.dueOn) },
            overdue ? `Overdue — was due ${relativeDay(next.dueOn)}` : `Due ${relativeDay(next.dueOn)}`,
            el("span", { className: "next-step-date" }, ` · ${formatWeekdayDay(next.dueOn)}`)),
          lastInTouch())),
      el("button", { type: "button", id: "next-step-done", className: "button", onclick: () => log("outcome") }, "Log outcome"));
  }

  function drawConsent() {
    const c = workflow.consent;
    for (const box of flagBoxes.map((label) => label.querySelector("input"))) {
      box.checked = Boolean(c[box.name]);
      box.disabled = false;
    }
    drawOptIn();
    const every = workflow.keepInTouchDays;
    if (every != null && ![...cadence.options].some((option) => option.value === String(every))) { // set elsewhere (CLI)
      cadence.append(el("option", { value: String(every) }, `Every ${every} days`));
    }
    cadence.value = every == null ? "" : String(every);
    cadence.disabled = false;
    drawCadenceHint();
  }

  function drawCadenceHint() {
    const every = workflow.keepInTouchDays;
    // Counted, like Today counts it, from the last activity, or else from when they were added.
    const from = workflow.lastContacted ?? contact.createdAt;
    if (every == null) {
      cadenceHint.textContent = "Set one and Today reminds you when it’s time.";
    } else if (dayOf(from)) {
      const due = addDays(dayOf(from), every);
      cadenceHint.replaceChildren("Next touch due ",
        el("span", { className: due < isoDay() ? "overdue" : "", title: formatWeekdayDay(due) }, relativeDay(due)),
        workflow.lastContacted ? "" : " (counted from when they were added)");
    } else {
      cadenceHint.textContent = "";
    }
  }

  function drawOptIn() {
    if (optInForm) return;
    const current = workflow.consent.emailOptIn;
    optIn.replaceChildren(...(current
      ? [el("span", { className: "opt-in-text" }, "Opted in ",
          el("time", { dateTime: current.at, title: formatMoment(current.at) }, formatMomentDay(current.at)),
          current.source && el("span", { className: "opt-in-source" }, ` · ${current.source}`)),
        el("button", { type: "button", className: "link-button", id: "opt-in-remove", title: "Remove the recorded opt-in",
          onclick: () => saveConsent({ emailOptIn: null }, "optIn") }, "Remove")]
      : [el("span", { className: "opt-in-text muted" }, "None recorded"),
        el("button", { type: "button", className: "link-button", id: "opt-in-record", onclick: openOptInForm }, "Record opt-in…")]));
  }

  /** Where and when they said yes to email: the proof the opt-in needs. */
  function openOptInForm() {
    const today = isoDay();
    const source = textInput("optInSource", "", { id: "opt-in-source", placeholder: "Signup form, asked at a seminar…" });
    source.spellcheck = true;
    const date = el("input", { type: "date", name: "optInDate", id: "opt-in-date", value: today, max: today });
    const error = el("p", { className: "field-error", role: "alert", hidden: true });
    const close = () => {
      optInForm = null;
      drawOptIn();
      optIn.querySelector("button")?.focus();
    };
    optInForm = el("form", { className: "editor opt-in-form", noValidate: true, "aria-label": "Record email opt-in",
      onsubmit: async (e) => {
        e.preventDefault();
        const day = parseDay(date.value);
        const problem = !source.value.trim() ? "Say where the consent came from: it’s your proof."
          : !day ? "Pick the day they opted in." : date.value > isoDay() ? "That day hasn’t come yet." : "";
        error.textContent = problem;
        error.hidden = !problem;
        if (problem) {
          (source.value.trim() ? date : source).focus();
          return;
        }
        // Today's opt-in is now; an earlier day's, at noon (the hour isn't asked).
        const at = date.value === isoDay() ? new Date() : (day.setHours(12), day);
        const form = optInForm;
        optInForm = null; // let the answer draw the recorded opt-in…
        if (await saveConsent({ emailOptIn: { at: at.toISOString(), source: source.value.trim() } }, "optIn")) {
          optIn.querySelector("button")?.focus();
        } else {
          optInForm = form; // …or keep the form, and what was typed, if it failed
          optIn.replaceChildren(form);
        }
      },
      onkeydown: (e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          close();
        }
      } },
    field("Where they opted in", source, { className: "field-source" }),
    el("div", { className: "opt-in-row" },
      field("On", date, { className: "field-date" }),
      el("div", { className: "opt-in-actions" },
        el("button", { type: "submit", className: "button small primary", id: "opt-in-save" }, "Save"),
        el("button", { type: "button", className: "button small", onclick: close }, "Cancel"))),
    error);
    optIn.replaceChildren(optInForm);
    source.focus();
  }

  function drawTimeline() {
    const items = [
      ...workflow.timeline.map((a) => ({ at: a.happenedAt, node: () => activityItem(a) })),
      ...workflow.stageHistory.map((s) => ({ at: s.at, node: () => stageItem(s) })),
    ].sort((a, b) => new Date(b.at) - new Date(a.at));
    timelineCount.textContent = items.length ? String(items.length) : "";
    timelineCount.hidden = !items.length;
    const shown = showAll ? items : items.slice(0, TIMELINE_PAGE);
    timelineList.replaceChildren(...(items.length
      ? shown.map((item) => item.node())
      : [el("li", { className: "timeline-empty" }, "Nothing logged yet. Press L to log a call, a meeting or a note.")]));
    timelineMore.hidden = shown.length === items.length;
    timelineMore.textContent = `Show all ${items.length}`;
  }

  const when = (iso) => el("time", { className: "timeline-when", dateTime: iso, title: formatMoment(iso) }, relativeMoment(iso));

  function activityItem(a) {
    // A purchase's entry follows its purchase: it is not edited here.
    const tools = a.kind !== "purchase" && el("span", { className: "timeline-tools" },
      el("button", { type: "button", className: "link-button", title: "Correct what this says", onclick: (e) => editActivity(a, e.target.closest("li")) }, "Edit"),
      el("button", { type: "button", className: "link-button", title: "Delete (you can undo)", onclick: () => removeActivity(a) }, "Delete"));
    return el("li", { className: "timeline-item", dataset: { id: a.id } },
      kindBadge(a.kind),
      el("div", { className: "timeline-body" },
        el("p", { className: "timeline-meta" }, el("span", { className: "timeline-kind" }, kindLabel(a.kind)), when(a.happenedAt), tools),
        el("p", { className: "timeline-summary" }, a.summary)));
  }

  /** Turns the item into a small form: kind, what happened, when. */
  function editActivity(a, item) {
    const local = new Date(a.happenedAt);
    const pad = (n) => String(n).padStart(2, "0");
    const value = `${isoDay(local)}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
    const kind = select("kind", KIND_OPTIONS.filter(([k]) => k !== "purchase"), a.kind, { "aria-label": "Kind" });
    const summary = textInput("summary", a.summary, { "aria-label": "What happened" });
    summary.spellcheck = true;
    const at = el("input", { type: "datetime-local", name: "happenedAt", value, "aria-label": "When" });
    const form = el("form", { className: "editor activity-edit", noValidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        const when = new Date(at.value);
        if (Number.isNaN(when.getTime())) return at.focus();
        await change(() => correctActivity(id, a.id, { kind: kind.value, summary: summary.value, happenedAt: when.toISOString() }));
      },
      onkeydown: (e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          drawTimeline();
        }
      } },
      kind, summary, at,
      el("button", { type: "submit", className: "button small primary" }, "Save"),
      el("button", { type: "button", className: "button small", onclick: drawTimeline }, "Cancel"));
    item.replaceChildren(kindBadge(a.kind), form);
    summary.focus();
  }

  async function removeActivity(a) {
    await change(async () => {
      const { activity, workflow: next } = await deleteActivity(id, a.id);
      onActivityDeleted?.(activity);
      return next;
    });
  }

  function stageItem(s) {
    return el("li", { className: "timeline-item timeline-stage" },
      el("span", { className: "kind-badge kind-stage", title: "Stage" }, icon("stage")),
      el("div", { className: "timeline-body" },
        el("p", { className: "timeline-meta" },
          el("span", { className: "timeline-kind" }, s.from ? `Moved from ${stageLabel(s.from)} to ${stageLabel(s.to)}` : `Started as ${stageLabel(s.to)}`),
          when(s.at))));
  }

  // --- changes --------------------------------------------------------------------------

  /** Runs a change; draws its answer if no later change was made meanwhile. */
  async function change(run, after) {
    const mine = ++writeSeq;
    let next;
    try {
      next = await run();
    } catch (err) {
      onError(err);
      if (mine === writeSeq && workflow) update(workflow); // put the controls back as saved
      return false;
    }
    if (mine === writeSeq) update(next);
    after?.(next);
    return true;
  }

  async function moveTo(stage) {
    if (!workflow || workflow.stage === stage) return;
    const from = workflow.stage;
    steps.forEach((step) => step.setAttribute("aria-pressed", String(step.dataset.stage === stage)));
    await change(() => setStage(id, stage), () => onStageMoved?.(from, stage));
  }

  function consentFromControls() {
    const c = { ...workflow.consent };
    for (const box of flagBoxes.map((label) => label.querySelector("input"))) c[box.name] = box.checked;
    return c;
  }

  /** Saves the flags as ticked, with `patch` over them; says "Saved" in the row `where`. */
  async function saveConsent(patch, where) {
    if (!workflow) return false;
    const consent = { ...consentFromControls(), ...patch };
    const ok = await change(() => setConsent(id, consent));
    if (ok) flashSaved(where);
    return ok;
  }

  async function saveCadence() {
    if (!workflow) return;
    const every = cadence.value ? Number(cadence.value) : null;
    if (await change(() => setKeepInTouch(id, every))) flashSaved("cadence");
  }

  function flashSaved(where) {
    const mark = savedMarks[where];
    clearTimeout(savedTimers[where]);
    mark.textContent = "Saved";
    mark.classList.add("shown");
    savedTimers[where] = setTimeout(() => {
      mark.classList.remove("shown");
      mark.textContent = "";
    }, SAVED_MS);
  }

  /** Opens the wrap-up: "activity" (#log-activity, L), "outcome" (the next step was done) or "decide". */
  function log(mode = "activity") {
    const next = workflow?.nextAction ?? null;
    const m = mode === "outcome" && !next ? "activity" : mode;
    openWrapUp({ contactId: id, name, mode: m, followUp: m === "outcome" ? next : null, nextAction: next,
      onSaved: (answer, wrapUp) => {
        if (answer) update(answer);
        onLogged?.(name, wrapUp);
      } });
  }

  async function load() {
    try {
      update(await contactWorkflow(id));
    } catch (err) {
      nextStep.className = "next-step is-none";
      nextStep.replaceChildren(el("p", { className: "next-step-text" }, "Couldn’t load the next step and timeline."));
      onError(err);
    }
  }

  return { top, bottom, load, log };
}
