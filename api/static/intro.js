// The first screen: what the evidence covers, and example questions that really work.

import { requestJson } from "./api.js";
import { clear, el } from "./dom.js";
import { EXAMPLES } from "./examples.js";

export function renderExamples(list, onAsk) {
  clear(list);
  for (const example of EXAMPLES) {
    list.append(
      el(
        "li",
        {},
        el(
          "button",
          { type: "button", class: "example", onclick: () => onAsk(example.question) },
          el("span", { class: "example-kind" }, example.kind),
          el("span", { class: "example-question" }, example.question),
        ),
      ),
    );
  }
}

/** Say what the store holds, counted from /v1/documents; the static line stays if that fails. */
export async function showCoverage(node) {
  let documents;
  try {
    ({ documents = [] } = await requestJson("v1/documents"));
  } catch {
    return;
  }
  const count = (type) => documents.filter((d) => d.doc_type === type).length;
  const records = documents.reduce((sum, d) => sum + (d.doc_type === "project" ? (d.records ?? 0) : 0), 0);
  const parts = [
    plural(count("report"), "report"),
    plural(records, "project record"),
    plural(count("text"), "other paper"),
  ].filter(Boolean);
  if (!parts.length) return;
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0];
  node.textContent =
    `${list} on how police, fire and rescue and ambulance services in England and Wales work ` +
    "together. Every answer cites its page or project record.";
}

function plural(count, noun) {
  return count ? `${count} ${noun}${count === 1 ? "" : "s"}` : "";
}
