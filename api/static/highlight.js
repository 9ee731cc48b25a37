// Find a quoted sentence inside a passage and wrap it in <mark>, tolerant of the spacing, case and
// typographic quotes that may differ between the two. Built with DOM nodes, never markup.

import { el } from "./dom.js";

const SAME = { "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " " };

/** The text with runs of whitespace collapsed, and for each kept character its original index. */
function normalise(text) {
  let out = "";
  const map = [];
  let space = false;
  for (let i = 0; i < text.length; i += 1) {
    let ch = SAME[text[i]] ?? text[i];
    if (/\s/.test(ch)) {
      if (space || !out) continue;
      ch = " ";
      space = true;
    } else {
      space = false;
    }
    out += ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch;
    map.push(i);
  }
  return { out, map };
}

/** Start and end (exclusive) of the quote in the text, or null when it is not there. */
function findQuote(text, quote) {
  const hay = normalise(text);
  const needle = normalise(String(quote ?? "")).out.trim();
  if (!needle) return null;
  for (const candidate of [needle, needle.replace(/^[-*•]\s*/, "").replace(/[.;:,]+$/, "")]) {
    const at = candidate ? hay.out.indexOf(candidate) : -1;
    if (at >= 0) return trimmed(text, hay.map[at], hay.map[at + candidate.length - 1] + 1);
  }
  return null;
}

/** The span without a leading list dash or bullet, which reads as clutter when marked. */
function trimmed(text, start, end) {
  const lead = /^[-*\u2013\u2022]\s+/.exec(text.slice(start, end));
  return { start: lead && start + lead[0].length < end ? start + lead[0].length : start, end };
}

/**
 * Nodes for a passage with the quote marked: [before, <mark>quote</mark>, after].
 * Returns { nodes, found } so the caller can show the quote separately when it is not found.
 */
export function highlighted(text, quote) {
  const span = findQuote(text, quote);
  if (!span) return { nodes: [text], found: false };
  const mark = el("mark", { class: "quote" }, text.slice(span.start, span.end));
  return { nodes: [text.slice(0, span.start), mark, text.slice(span.end)], found: true, mark };
}
