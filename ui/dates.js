/**
 * Calendar days and how to say them. The backend sends days as "YYYY-MM-DD" (follow-ups,
 * birthdays) and moments as ISO timestamps (activities, stage moves). Days are read as local
 * calendar days, never through `new Date("YYYY-MM-DD")`, which would read them as UTC
 * midnight and show the day before west of Greenwich.
 *
 * Dates are written in the user's locale; the relative phrases ("yesterday", "3 days ago")
 * are in English, like the sentences around them.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const shortDay = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const shortDayYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const weekdayDay = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "long" });
const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

const pad = (n) => String(n).padStart(2, "0");

/** The local calendar day of `date` as "YYYY-MM-DD". */
export function isoDay(date = new Date()) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "YYYY-MM-DD" → a Date at local midnight; null if it isn't a real day. */
export function parseDay(text) {
  const m = DAY_SHAPE.exec(String(text ?? ""));
  if (!m) return null;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDay(date) === m[0] ? date : null;
}

/** The day `n` days after `day` ("YYYY-MM-DD" in, out). */
export function addDays(day, n) {
  const d = parseDay(day);
  d.setDate(d.getDate() + n);
  return isoDay(d);
}

/** The same day `n` months on, or the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day, n) {
  const d = parseDay(day);
  const target = new Date(d.getFullYear(), d.getMonth() + n, 1);
  const last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
  target.setDate(Math.min(d.getDate(), last));
  return isoDay(target);
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"): positive when `to` is later. */
export function daysBetween(from, to) {
  const utc = (day) => {
    const d = parseDay(day);
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  };
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/** "12 Nov", with the year when it isn't this year's. */
export function formatDay(day) {
  const d = parseDay(day);
  if (!d) return String(day ?? "");
  return (d.getFullYear() === new Date().getFullYear() ? shortDay : shortDayYear).format(d);
}

/** "Thu, 12 Nov": for days close enough that the weekday matters. */
export function formatWeekdayDay(day) {
  const d = parseDay(day);
  return d ? weekdayDay.format(d) : String(day ?? "");
}

/** "Thursday, 12 November 2026". */
export function formatLongDay(day) {
  const d = parseDay(day);
  return d ? longDay.format(d) : String(day ?? "");
}

/** "Saturday". */
export function formatWeekday(day) {
  const d = parseDay(day);
  return d ? weekday.format(d) : "";
}

/**
 * How far `day` is from `from` (today by default): "today", "tomorrow", "3 days ago",
 * "in 2 weeks", "5 months ago".
 */
export function relativeDay(day, from = isoDay()) {
  if (!parseDay(day)) return String(day ?? "");
  const days = daysBetween(from, day);
  const size = Math.abs(days);
  if (size < 32) return relative.format(days, "day");
  if (size < 60) return relative.format(Math.trunc(days / 7), "week");
  if (size < 365) return relative.format(Math.trunc(days / 30.44), "month");
  return relative.format(Math.trunc(days / 365.25), "year");
}

/** A moment's local calendar day ("YYYY-MM-DD"), for the relative phrase. */
export function dayOf(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : isoDay(date);
}

/** "Thursday, 12 November 2026 at 14:05": the exact moment, for titles. */
export function formatMoment(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? "") : stamp.format(date);
}

/** The moment as a day phrase: "today", "yesterday", "3 weeks ago". */
export function relativeMoment(iso) {
  const day = dayOf(iso);
  return day ? relativeDay(day) : String(iso ?? "");
}

/** "12 Nov" for a moment (its local day). */
export function formatMomentDay(iso) {
  const day = dayOf(iso);
  return day ? formatDay(day) : String(iso ?? "");
}
