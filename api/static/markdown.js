// A small, safe Markdown renderer: paragraphs, headings, lists, tables, bold, italic, code and
// citation markers like [1]. It builds DOM nodes and sets text as text nodes only, so answer or
// passage text can never become markup, whatever it holds.

import { el } from "./dom.js";

const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const BULLET = /^\s*[-*+]\s+/;
const NUMBERED = /^\s*\d+[.)]\s+/;
const HEADING = /^(#{1,6})\s+(.*)$/;
// **Bold**, *italic*, _italic_, `code` and citation markers ([1], [1, 2]). Underscores only
// count between word boundaries, so names like window.__x or co_responding stay as they are.
const INLINE =
  /(\*\*[^*\n]+?\*\*|\*[^*\s][^*\n]*?\*|(?<![\w.])_[^_\s][^_\n]*?_(?![\w])|`[^`\n]+`|\[\d+(?:\s*,\s*\d+)*\])/;

/**
 * Render Markdown text to a DocumentFragment.
 * `chip(marker)` returns the node that stands for a citation marker (default: the text "[n]").
 */
export function renderMarkdown(text, { chip = (n) => `[${n}]` } = {}) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? "").replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    if (!lines[i].trim()) {
      i += 1;
      continue;
    }
    const block = readBlock(lines, i, chip);
    fragment.append(block.node);
    i = block.next;
  }
  return fragment;
}

function readBlock(lines, i, chip) {
  const line = lines[i];
  if (isTableStart(lines, i)) return readTable(lines, i, chip);
  if (BULLET.test(line)) return readList(lines, i, chip, "ul", BULLET);
  if (NUMBERED.test(line)) return readList(lines, i, chip, "ol", NUMBERED);
  const heading = HEADING.exec(line);
  if (heading) {
    const level = Math.min(heading[1].length + 2, 6);
    return { node: el(`h${level}`, {}, inline(heading[2], chip)), next: i + 1 };
  }
  return readParagraph(lines, i, chip);
}

function startsBlock(lines, i) {
  const line = lines[i];
  return (
    !line.trim() ||
    isTableStart(lines, i) ||
    BULLET.test(line) ||
    NUMBERED.test(line) ||
    HEADING.test(line)
  );
}

function readParagraph(lines, i, chip) {
  const parts = [lines[i].trim()];
  let next = i + 1;
  while (next < lines.length && !startsBlock(lines, next)) {
    parts.push(lines[next].trim());
    next += 1;
  }
  return { node: el("p", {}, inline(parts.join(" "), chip)), next };
}

function readList(lines, i, chip, tag, pattern) {
  const list = el(tag);
  let next = i;
  while (next < lines.length && pattern.test(lines[next])) {
    let item = lines[next].replace(pattern, "");
    next += 1;
    // A line indented under an item continues it.
    while (next < lines.length && /^\s{2,}\S/.test(lines[next]) && !pattern.test(lines[next])) {
      item += ` ${lines[next].trim()}`;
      next += 1;
    }
    list.append(el("li", {}, inline(item, chip)));
  }
  return { node: list, next };
}

function isTableStart(lines, i) {
  return (
    lines[i].trim().startsWith("|") && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1])
  );
}

function readTable(lines, i, chip) {
  const header = cells(lines[i]);
  const head = el("thead", {}, el("tr", {}, header.map((c) => el("th", { scope: "col" }, inline(c, chip)))));
  const body = el("tbody");
  let next = i + 2;
  while (next < lines.length && lines[next].trim().startsWith("|")) {
    const row = cells(lines[next]);
    body.append(el("tr", {}, header.map((_, k) => el("td", {}, inline(row[k] ?? "", chip)))));
    next += 1;
  }
  const table = el("table", {}, head, body);
  return { node: el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Table" }, table), next };
}

function cells(line) {
  const trimmed = line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

/** Inline Markdown to an array of nodes and strings (strings become text nodes when appended). */
function inline(text, chip = (n) => `[${n}]`) {
  const out = [];
  let rest = text;
  while (rest) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    out.push(...token(match[0], chip));
    rest = rest.slice(match.index + match[0].length);
  }
  return out;
}

function token(raw, chip) {
  if (raw.startsWith("**")) return [el("strong", {}, inline(raw.slice(2, -2), chip))];
  if (raw.startsWith("`")) return [el("code", { text: raw.slice(1, -1) })];
  if (raw.startsWith("[")) {
    const numbers = raw.slice(1, -1).split(",").map((n) => Number(n.trim()));
    return numbers.map((n) => chip(n));
  }
  return [el("em", {}, inline(raw.slice(1, -1), chip))];
}
