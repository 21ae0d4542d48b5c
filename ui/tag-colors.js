/**
 * Tag colours, for every chip the window draws: `tagChip(name)` makes a chip in the tag's
 * colour (or the default); `loadTagColors()` reads them from the file again after a change.
 * The colour goes in a CSS custom property through the CSSOM, which the CSP allows.
 */

import { tags } from "./api.js";
import { el } from "./dom.js";

let colors = new Map();

export async function loadTagColors() {
  try {
    colors = new Map((await tags()).filter((t) => t.color).map((t) => [t.name.toLowerCase(), t.color]));
  } catch {
    colors = new Map(); // chips then show in the default colour; nothing else depends on it
  }
}

export function tagChip(name) {
  const chip = el("span", { className: "chip" }, name);
  const color = colors.get(name.toLowerCase());
  if (color) {
    chip.classList.add("coloured");
    chip.style.setProperty("--tag", color);
  }
  return chip;
}
