// Turning answers into Markdown someone can paste or file: one answer with its references, or a
// whole conversation as a briefing note whose references are numbered once across all answers.

import { locator } from "./dom.js";
import { titleOf } from "./conversations.js";

const MARKERS = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

function reference(number, citation) {
  const where = locator(citation);
  const place = [citation.title || citation.source, where].filter(Boolean).join(", ");
  const source = citation.source ? ` (${citation.source})` : "";
  const quote = oneLine(citation.quote).replace(/^[-*\u2013\u2022]\s+/, "");
  return `${number}. ${place}${source}. "${quote}"`;
}

function oneLine(text) {
  return String(text ?? "").replace(/\s+/g, " ").trim();
}

/** Rewrite an answer's markers with new numbers; markers with no citation are kept as they are. */
function renumber(text, mapping) {
  return text.replace(MARKERS, (whole, list) => {
    const numbers = list.split(",").map((n) => Number(n.trim()));
    if (!numbers.every((n) => mapping.has(n))) return whole;
    return numbers.map((n) => `[${mapping.get(n)}]`).join("");
  });
}

/** One answer as Markdown with its own references, for the clipboard. */
export function answerMarkdown(turn) {
  if (turn.declined || !turn.citations?.length) return turn.content;
  const refs = turn.citations.map((c) => reference(c.marker, c));
  return `${turn.content}\n\nReferences\n\n${refs.join("\n")}\n`;
}

/** The whole conversation as a briefing note in Markdown. */
export function briefingNote(conversation, now = new Date()) {
  const registry = new Map();
  const references = [];
  const sections = [];
  let question = null;
  let n = 0;
  for (const turn of conversation.turns) {
    if (turn.role === "user") {
      question = turn.content;
      continue;
    }
    if (turn.role !== "assistant") continue;
    n += 1;
    sections.push(section(n, question, turn, registry, references));
    question = null;
  }
  const date = now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  const lines = [
    `# Briefing note: ${titleOf(conversation)}`,
    "",
    `Prepared with bluelight on ${date} from the evidence on emergency services collaboration ` +
      "in England and Wales. Each statement carries a numbered reference to the passage it " +
      "stands on; check the references before relying on them.",
    "",
    ...sections,
    "## References",
    "",
    references.length ? references.join("\n") : "No references: no question in this conversation was answered from the evidence.",
    "",
  ];
  return lines.join("\n");
}

function section(n, question, turn, registry, references) {
  const heading = `## ${n}. ${oneLine(question ?? "Question")}`;
  if (turn.declined) {
    return `${heading}\n\n_Not answered from the evidence._ ${oneLine(turn.content)}\n`;
  }
  const mapping = new Map();
  for (const citation of turn.citations ?? []) {
    const key = `${citation.chunk_id}\u0000${oneLine(citation.quote)}`;
    if (!registry.has(key)) {
      registry.set(key, references.length + 1);
      references.push(reference(references.length + 1, citation));
    }
    mapping.set(citation.marker, registry.get(key));
  }
  return `${heading}\n\n${renumber(turn.content, mapping)}\n`;
}

/** A file name for the note: bluelight-briefing-2025-11-25.md */
export function briefingFileName(now = new Date()) {
  const pad = (v) => String(v).padStart(2, "0");
  return `bluelight-briefing-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.md`;
}
