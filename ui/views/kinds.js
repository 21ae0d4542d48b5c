/**
 * The workflow's vocabulary, shared by Today, the contact's workflow panel and the wrap-up
 * dialog: activity kinds with their labels and icons, and the stage ladder from Stranger to
 * Client. Icons are built with createElementNS (no markup is parsed) and drawn in
 * currentColor, so CSS colours them.
 */

import { el } from "../dom.js";

export const KINDS = {
  call: "Call",
  meeting: "Meeting",
  letter: "Letter",
  email: "Email",
  fax: "Fax",
  note: "Note",
  purchase: "Purchase",
  task: "Task",
};

/** As <select> options: [[value, label]]. */
export const KIND_OPTIONS = Object.entries(KINDS);

export const kindLabel = (kind) => KINDS[kind] ?? String(kind ?? "");

export const STAGES = [
  ["stranger", "Stranger"],
  ["suspect", "Suspect"],
  ["contact", "Contact"],
  ["connection", "Connection"],
  ["prospect", "Prospect"],
  ["client", "Client"],
  ["former_client", "Former client"],
];

const STAGE_LABELS = Object.fromEntries(STAGES);
export const stageLabel = (stage) => STAGE_LABELS[stage] ?? String(stage ?? "");

const SVG = "http://www.w3.org/2000/svg";

/** 24×24 line drawings: circles as [cx, cy, r], rects as [x, y, w, h, rx], paths as "d". */
const ICONS = {
  call: { paths: ["M6.5 3.5h3l1.5 4.5-2 1.3a11 11 0 0 0 5.7 5.7l1.3-2 4.5 1.5v3a2 2 0 0 1-2 2A15.5 15.5 0 0 1 4.5 5.5a2 2 0 0 1 2-2z"] },
  meeting: { circles: [[9, 8, 3.2], [17, 9.5, 2.5]], paths: ["M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6", "M16 14.3c2.9.3 5 2.6 5 5.7"] },
  letter: { rects: [[3, 5, 18, 14, 2]], paths: ["m3.5 6.5 8.5 6.5 8.5-6.5"] },
  email: { circles: [[12, 12, 3.8]], paths: ["M15.8 8.5v4.8a2.6 2.6 0 0 0 5.2 0V12a9 9 0 1 0-3.6 7.2"] },
  fax: { rects: [[3, 9, 18, 8, 2], [7, 14, 10, 7, 1]], paths: ["M7 9V3.5h10V9"] },
  note: { paths: ["M4 20h4L19.5 8.5a2.1 2.1 0 0 0-3-3L5 17v3z", "m14.5 7.5 3 3"] },
  purchase: { paths: ["M5.5 8h13l-1 12.5h-11L5.5 8z", "M9 10V7a3 3 0 0 1 6 0v3"] },
  task: { rects: [[3.5, 3.5, 17, 17, 3]], paths: ["m8 12.3 2.8 2.7L16 9.5"] },
  cadence: { circles: [[12, 12, 8.5]], paths: ["M12 7.5V12l3 2"] },
  birthday: { rects: [[4, 11, 16, 9.5, 1.5]], paths: ["M4 15c2 1.3 4 1.3 6 0s4-1.3 6 0 3 1 4 0", "M12 11V7.5", "M12 3.5c1 1.2 1 2.2 0 3-1-.8-1-1.8 0-3z"] },
  stage: { paths: ["M4 12h14", "m13 6.5 5.5 5.5-5.5 5.5"] },
  nothing: { circles: [[12, 12, 8.5]], paths: ["M8 12h8"] },
};

/** An inline SVG icon; `name` is an activity kind or one of the extras above. */
export function icon(name, className = "") {
  const spec = ICONS[name] ?? ICONS.note;
  const svg = document.createElementNS(SVG, "svg");
  const attrs = { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": "1.8",
    "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false" };
  for (const [key, value] of Object.entries(attrs)) svg.setAttribute(key, value);
  svg.setAttribute("class", `icon ${className}`.trim());
  const add = (tag, values) => {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(values)) node.setAttribute(key, String(value));
    svg.append(node);
  };
  for (const [cx, cy, r] of spec.circles ?? []) add("circle", { cx, cy, r });
  for (const [x, y, width, height, rx] of spec.rects ?? []) add("rect", { x, y, width, height, rx });
  for (const d of spec.paths ?? []) add("path", { d });
  return svg;
}

/** The kind's icon in a tinted round badge, labelled for screen readers by its title. */
export function kindBadge(kind) {
  return el("span", { className: `kind-badge kind-${ICONS[kind] ? kind : "note"}`, title: kindLabel(kind) }, icon(kind));
}
