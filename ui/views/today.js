/**
 * Today, the app's home: what is overdue, what is due today, who is waiting to hear from
 * you (keep-in-touch cadences that ran out), birthdays this week, and how many contacts have
 * no next step. Any day can be looked at instead (#today-date). Names open the contact
 * (`onOpen(id)`); "Log outcome" opens the wrap-up right here, and Today then refreshes
 * (`onLogged(name, wrapUp)` lets the app say so). `onCounts(view)` reports each answer for
 * the real today, for the badge on the Today button.
 *
 * The view is made once and kept, like Letters: the app calls `refresh()` each time it is
 * shown, or `reset()` to come back to today's date.
 */

import { contactWorkflow, today as fetchToday } from "../api.js";
import { formatDay, formatLongDay, formatWeekday, formatWeekdayDay, isoDay, daysBetween, relativeDay } from "../dates.js";
import { el } from "../dom.js";
import { money } from "../money.js";
import { icon, kindBadge, kindLabel } from "./kinds.js";
import { openWrapUp } from "./wrapup.js";

const LIST_LIMIT = 50; // the backend's cap per list; its counts are complete
const NO_NEXT_STEP_NAMES = 12;
const number = new Intl.NumberFormat("en-US");

const plural = (n, one, many = `${one}s`) => `${number.format(n)} ${n === 1 ? one : many}`;

export function createTodayView({ onOpen, onLogged, onError, onCounts }) {
  let date = null; // null: whatever today is when we ask
  let seq = 0;
  let data = null;

  const subtitle = el("p", { id: "today-subtitle", className: "view-subtitle" });
  const dateInput = el("input", { type: "date", id: "today-date", name: "todayDate", className: "date-input", value: isoDay(),
    "aria-label": "Show another day", onchange: () => go(dateInput.value || null) });
  const resetButton = el("button", { type: "button", id: "today-reset", className: "button", hidden: true,
    onclick: () => go(null) }, "Back to today");

  const cards = {
    overdue: card("today-overdue", "Overdue", "overdue"),
    due: card("today-due", "Due today"),
    keepInTouch: card("today-keep-in-touch", "Keep in touch"),
    birthdays: card("today-birthdays", "Birthdays this week"),
    noNextStep: card("today-no-next-step", "No next step"),
    repeat: card("today-repeat", "Repeat business"),
    referrers: card("today-referrers", "Top referrers"),
  };

  const element = el("section", { className: "today-view", "aria-labelledby": "today-title" },
    el("header", { className: "view-header today-header" },
      el("div", {},
        el("h1", { id: "today-title", className: "view-title" }, "Today"),
        subtitle),
      el("div", { className: "today-controls" }, resetButton, dateInput)),
    el("div", { className: "today-cards" }, Object.values(cards).map((c) => c.element)));

  function card(id, title, accent = "") {
    const heading = el("h2", { className: "today-card-title", id: `${id}-title` }, title);
    const count = el("span", { className: "count-badge", "aria-hidden": "true", hidden: true });
    const body = el("div", { className: "today-card-body" });
    const element = el("section", { id, className: `today-card${accent ? ` accent-${accent}` : ""}`, "aria-labelledby": `${id}-title` },
      el("header", { className: "today-card-header" }, heading, count), body);
    return {
      element,
      /** `n` items (null: don't show a count), `more` when the list was cut at the cap. */
      fill(n, content, more = false) {
        count.textContent = n == null ? "" : `${number.format(n)}${more ? "+" : ""}`;
        count.hidden = !n;
        element.classList.toggle("is-empty", !n);
        body.replaceChildren(...[content].flat().filter(Boolean));
      },
      setTitle: (text) => (heading.textContent = text),
    };
  }

  // --- rows -----------------------------------------------------------------------------

  const nameButton = (id, name) => el("button", { type: "button", className: "link-button today-name",
    onclick: () => onOpen(id) }, name || "(no name)");

  const empty = (text) => el("p", { className: "today-empty" }, text);

  /**
   * "due 3 days ago", with the exact day in the title; on another day than today, the date
   * itself ("due Thu, 26 Nov"), since "3 days ago" would be counted from the wrong day.
   */
  function when(day, className = "") {
    const phrase = isOtherDay() ? formatWeekdayDay(day) : relativeDay(day);
    return el("span", { className: `today-when ${className}`.trim(), title: formatWeekdayDay(day) }, `due ${phrase}`);
  }

  function logButton(label, className, open) {
    return el("button", { type: "button", className: `button small ${className}`, onclick: open }, label);
  }

  function followUpRow(f, overdue) {
    const open = () => openWrapUp({ contactId: f.contactId, name: f.name, mode: "outcome", followUp: f,
      onSaved: (_workflow, wrapUp) => logged(f.name, wrapUp) });
    return el("li", { className: "today-row", dataset: { id: f.contactId } },
      kindBadge(f.kind),
      el("div", { className: "today-main" },
        nameButton(f.contactId, f.name),
        el("p", { className: "today-text" }, el("span", { className: "today-kind" }, kindLabel(f.kind)), f.text),
        f.blocked && el("p", { className: "today-blocked" }, `Blocked: ${f.blocked}`)),
      when(f.dueOn, overdue ? "overdue" : ""),
      logButton("Log outcome", "log-outcome", open));
  }

  function keepInTouchRow(k) {
    const open = async () => {
      let nextAction = null; // offered again in the wrap-up, so getting in touch doesn't drop it unseen
      try {
        nextAction = (await contactWorkflow(k.contactId)).nextAction;
      } catch (err) {
        onError(err);
        return;
      }
      openWrapUp({ contactId: k.contactId, name: k.name, mode: "activity", nextAction,
        onSaved: (_workflow, wrapUp) => logged(k.name, wrapUp) });
    };
    return el("li", { className: "today-row", dataset: { id: k.contactId } },
      el("span", { className: "kind-badge kind-cadence", title: "Keep in touch" }, icon("cadence")),
      el("div", { className: "today-main" },
        nameButton(k.contactId, k.name),
        el("p", { className: "today-text" }, `Every ${plural(k.everyDays, "day")} · last in touch `,
          el("span", { title: formatWeekdayDay(k.lastContacted) }, relativeDay(k.lastContacted)))),
      when(k.dueOn, k.dueOn < shownDay() ? "overdue" : ""),
      logButton("Log activity", "log-touch", open));
  }

  function birthdayRow(b) {
    const days = daysBetween(shownDay(), b.on);
    const phrase = isOtherDay() ? formatWeekdayDay(b.on) : days >= 2 && days < 7 ? formatWeekday(b.on) : relativeDay(b.on);
    return el("li", { className: "today-row", dataset: { id: b.contactId } },
      el("span", { className: "kind-badge kind-birthday", title: "Birthday" }, icon("birthday")),
      el("div", { className: "today-main" },
        nameButton(b.contactId, b.name),
        el("p", { className: "today-text" }, b.turns != null ? `Turns ${b.turns}` : "Birthday")),
      el("span", { className: `today-when${days === 0 ? " today-is" : ""}`, title: formatWeekdayDay(b.on) },
        phrase.charAt(0).toUpperCase() + phrase.slice(1)));
  }

  function noNextStep(people, count) {
    if (!count) return empty("Everyone you know has a next step. Nice.");
    const rest = count - Math.min(people.length, NO_NEXT_STEP_NAMES);
    return [
      el("p", { className: "today-lead" },
        `${plural(count, "contact")} ${count === 1 ? "has" : "have"} no next step. Open one and decide what comes next.`),
      el("ul", { className: "name-list" },
        people.slice(0, NO_NEXT_STEP_NAMES).map((p) => el("li", {}, nameButton(p.contactId, p.name))),
        rest > 0 && el("li", { className: "name-list-more" }, `and ${number.format(rest)} more`)),
    ];
  }

  // --- loading --------------------------------------------------------------------------

  const shownDay = () => data?.date ?? isoDay();
  const isOtherDay = () => shownDay() !== isoDay();

  function render(view) {
    data = view;
    const isToday = view.date === isoDay();
    subtitle.textContent = formatLongDay(view.date);
    dateInput.value = view.date;
    resetButton.hidden = isToday;
    element.classList.toggle("other-day", !isToday);
    const onDay = isToday ? "today" : `on ${formatDay(view.date)}`;

    cards.overdue.setTitle(isToday ? "Overdue" : `Overdue by ${formatDay(view.date)}`);
    cards.overdue.fill(view.overdue.length,
      view.overdue.length
        ? el("ul", { className: "today-list" }, view.overdue.map((f) => followUpRow(f, true)))
        : empty(isToday ? "Nothing overdue. Nice." : `Nothing overdue by ${formatDay(view.date)}.`),
      view.overdue.length >= LIST_LIMIT);

    cards.due.setTitle(isToday ? "Due today" : `Due ${formatDay(view.date)}`);
    cards.due.fill(view.dueToday.length,
      view.dueToday.length
        ? el("ul", { className: "today-list" }, view.dueToday.map((f) => followUpRow(f, false)))
        : empty(`Nothing due ${onDay}.`),
      view.dueToday.length >= LIST_LIMIT);

    cards.keepInTouch.fill(view.keepInTouch.length,
      view.keepInTouch.length
        ? el("ul", { className: "today-list" }, view.keepInTouch.map(keepInTouchRow))
        : empty("Nobody is waiting to hear from you."),
      view.keepInTouch.length >= LIST_LIMIT);

    cards.birthdays.setTitle(isToday ? "Birthdays this week" : `Birthdays in the week from ${formatDay(view.date)}`);
    cards.birthdays.fill(view.birthdays.length,
      view.birthdays.length
        ? el("ul", { className: "today-list" }, view.birthdays.map(birthdayRow))
        : empty("No birthdays this week."));

    cards.noNextStep.fill(view.noNextStepCount, noNextStep(view.noNextStep, view.noNextStepCount));

    cards.repeat.fill(view.repeatBusiness.length,
      view.repeatBusiness.length
        ? el("ul", { className: "today-list" }, view.repeatBusiness.map((r) => el("li", { className: "today-row", dataset: { id: r.contactId } },
          el("div", { className: "today-main" },
            nameButton(r.contactId, r.name),
            el("p", { className: "today-text" }, `${r.item}, bought ${formatDay(r.purchasedOn)}`)),
          when(r.dueOn, r.dueOn < shownDay() ? "overdue" : ""))))
        : empty("No purchase is due for a repeat."));

    cards.referrers.fill(null,
      view.topReferrers.length
        ? el("ol", { className: "today-list" }, view.topReferrers.map((c) => el("li", { className: "today-row", dataset: { id: c.contactId } },
          el("div", { className: "today-main" },
            nameButton(c.contactId, c.name),
            el("p", { className: "today-text" },
              `${plural(c.referrals, "referral")}, ${plural(c.clients, "client")} · ${money(c.referredRevenueCents, "USD", { whole: true })} in business`)))))
        : empty("Nobody has referred anyone yet. Record “referred by” on a contact’s page."));
  }

  async function go(day) {
    date = day && day !== isoDay() ? day : null;
    const mine = ++seq;
    let view;
    try {
      view = await fetchToday(date);
    } catch (err) {
      if (mine !== seq) return;
      onError(err);
      if (!data) for (const c of Object.values(cards)) c.fill(null, empty("Couldn’t load this — see the message above."));
      return;
    }
    if (mine !== seq) return;
    render(view);
    if (!date) onCounts?.(view);
  }

  /** After a wrap-up: redraw, and keep the keyboard where it was (the row it left may be gone). */
  async function logged(name, wrapUp) {
    const from = document.activeElement;
    const card = from?.closest?.(".today-card");
    const index = card ? [...card.querySelectorAll(".today-row .button")].indexOf(from) : -1;
    onLogged?.(name, wrapUp);
    await go(date);
    if (!card || (document.activeElement !== document.body && document.activeElement?.isConnected)) return;
    const buttons = [...card.querySelectorAll(".today-row .button")];
    (buttons[Math.min(index, buttons.length - 1)] ?? card.querySelector("button") ?? dateInput).focus();
  }

  return {
    element,
    /** Reads the day on screen again. */
    refresh: () => go(date),
    /** Back to today's date. */
    reset: () => go(null),
  };
}
