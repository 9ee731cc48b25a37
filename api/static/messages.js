// The messages of a conversation: questions, answers with citation chips and sources, declined
// answers with what can be asked instead, errors with a retry, and the answer being streamed.

import { el, label, locator } from "./dom.js";
import { icon } from "./icons.js";
import { renderMarkdown } from "./markdown.js";

export function userMessage(turn) {
  return el(
    "article",
    { class: "msg msg-user", "aria-label": "You asked" },
    el("p", { class: "msg-text" }, turn.content),
  );
}

/** A finished answer. `actions` = { onCite, onAsk, onCopy, onFeedback }. */
export function assistantMessage(turn, actions) {
  if (turn.declined) return declinedMessage(turn, actions);
  const byMarker = new Map((turn.citations ?? []).map((c) => [c.marker, c]));
  const chip = (n) => citationChip(n, byMarker.get(n), actions.onCite);
  return el(
    "article",
    { class: "msg msg-assistant", "aria-label": "Answer" },
    turn.status === "partial" ? el("p", { class: "partial-label" }, icon("info"), "Partly answered by the evidence") : null,
    el("div", { class: "msg-body markdown" }, renderMarkdown(turn.content, { chip })),
    notice(turn.notice),
    appliedFilters(turn.filters),
    sourcesList(turn.citations ?? [], actions.onCite),
    answerActions(turn, actions),
  );
}

/** What the officer is told above a declined answer, by the judgement's outcome. */
const DECLINED_LABELS = {
  not_covered: "Not covered by the evidence",
  out_of_remit: "Outside what bluelight answers",
  refused: "Not something bluelight will do",
};

function declinedMessage(turn, actions) {
  const suggestions = turn.suggestions ?? [];
  return el(
    "article",
    { class: "msg msg-declined", "aria-label": "Not answered from the evidence" },
    el("p", { class: "declined-label" }, icon("info"), DECLINED_LABELS[turn.status] ?? DECLINED_LABELS.not_covered),
    el("div", { class: "msg-body" }, renderMarkdown(turn.content)),
    notice(turn.notice),
    suggestions.length
      ? el(
          "div",
          { class: "suggestions" },
          el("p", { class: "suggestions-title" }, "You could ask instead:"),
          el(
            "ul",
            { class: "question-list" },
            suggestions.map((q) =>
              el("li", {}, el("button", { type: "button", class: "question-button", onclick: () => actions.onAsk(q) }, q)),
            ),
          ),
        )
      : null,
  );
}

function waitingChip(marker) {
  return el("span", { class: "cite-chip pending", "aria-hidden": "true" }, String(marker));
}

function citationChip(marker, citation, onCite) {
  if (!citation) return waitingChip(marker);
  const where = locator(citation);
  return el(
    "button",
    {
      type: "button",
      class: "cite-chip",
      dataset: { marker: String(marker), chunkId: citation.chunk_id },
      "aria-controls": "panel",
      "aria-expanded": "false",
      "aria-label": `Source ${marker}: ${citation.title}${where ? `, ${where}` : ""}`,
      title: `${citation.title}${where ? ` · ${where}` : ""}`,
      onclick: (event) => onCite(citation, event.currentTarget),
    },
    String(marker),
  );
}

function notice(text) {
  return text ? el("p", { class: "notice" }, icon("info"), text) : null;
}

function appliedFilters(filters) {
  if (!filters) return null;
  const parts = ["theme", "region", "services"].flatMap((k) => (filters[k] ?? []).map(label));
  if (filters.year_from || filters.year_to) {
    parts.push(filters.year_from === filters.year_to ? String(filters.year_from) : `${filters.year_from ?? "…"}–${filters.year_to ?? "…"}`);
  }
  return parts.length ? el("p", { class: "applied-filters" }, icon("filter"), `Searched within: ${parts.join(", ")}`) : null;
}

function sourcesList(citations, onCite) {
  if (!citations.length) return null;
  const items = citations.map((c) => {
    const where = locator(c);
    return el(
      "li",
      {},
      el(
        "button",
        {
          type: "button",
          class: "source-link",
          "aria-controls": "panel",
          "aria-expanded": "false",
          onclick: (event) => onCite(c, event.currentTarget),
        },
        el("span", { class: "source-marker" }, String(c.marker)),
        el("span", { class: "source-title" }, c.title || c.source),
        where ? el("span", { class: "source-where" }, where) : null,
        el("span", { class: `source-provenance provenance-${c.provenance || "operator"}` }, provenanceLabel(c.provenance)),
      ),
    );
  });
  return el(
    "details",
    { class: "sources", open: citations.length <= 6 },
    el("summary", {}, `Sources (${citations.length})`),
    el("ol", { class: "source-list" }, items),
  );
}

/** Where a cited document came from, beside each source: uploads are marked as such. */
function provenanceLabel(provenance) {
  if (provenance === "upload") return "uploaded";
  if (provenance === "shipped") return "curated";
  return "operator";
}

function answerActions(turn, actions) {
  const status = el("span", { class: "action-status", role: "status" });
  const form = feedbackForm(turn, actions, status);
  const thumbs = ["up", "down"].map((rating) =>
    el(
      "button",
      {
        type: "button",
        class: "icon-button thumb",
        dataset: { rating },
        "aria-label": rating === "up" ? "Helpful" : "Not helpful",
        "aria-pressed": String(turn.feedback?.rating === rating),
        title: rating === "up" ? "Helpful" : "Not helpful",
        disabled: Boolean(turn.feedback?.sent),
        onclick: (event) => form.choose(rating, event.currentTarget),
      },
      icon(rating),
    ),
  );
  const copy = el(
    "button",
    { type: "button", class: "icon-button copy", "aria-label": "Copy answer", title: "Copy answer", onclick: () => actions.onCopy(turn, status) },
    icon("copy"),
  );
  if (turn.feedback?.sent) status.textContent = "Thanks for the feedback.";
  return el("div", { class: "msg-footer" }, el("div", { class: "msg-actions" }, copy, ...thumbs, status), form.node);
}

function feedbackForm(turn, actions, status) {
  const comment = el("textarea", { class: "feedback-comment", rows: "2", maxlength: "2000" });
  const id = `fb-${Math.random().toString(36).slice(2, 9)}`;
  comment.id = id;
  let rating = null;
  let chosenButton = null;
  const node = el(
    "form",
    { class: "feedback-form", hidden: true, "aria-label": "Feedback on this answer" },
    el("label", { for: id }, "What was good or missing? (optional)"),
    comment,
    el(
      "div",
      { class: "form-row" },
      el("button", { type: "submit", class: "button primary small" }, "Send feedback"),
      el("button", { type: "button", class: "button secondary small", onclick: () => cancel() }, "Cancel"),
    ),
  );
  function choose(next, button) {
    rating = next;
    for (const b of button.parentElement.querySelectorAll(".thumb")) b.setAttribute("aria-pressed", String(b === button));
    chosenButton = button;
    node.hidden = false;
    comment.focus();
  }
  function cancel() {
    node.hidden = true;
    chosenButton?.setAttribute("aria-pressed", "false");
    chosenButton?.focus();
  }
  node.addEventListener("submit", async (event) => {
    event.preventDefault();
    const sent = await actions.onFeedback(turn, rating, comment.value.trim(), status);
    if (!sent) return;
    node.hidden = true;
    for (const b of node.parentElement.querySelectorAll(".thumb")) b.disabled = true;
  });
  comment.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      cancel();
    }
  });
  return { node, choose };
}

/** The answer while it streams: text grows, chips wait for the citations, then it is replaced. */
export function pendingAnswer() {
  const body = el("div", { class: "msg-body markdown" });
  const status = el("p", { class: "thinking" }, el("span", { class: "dots", "aria-hidden": "true" }), "Searching the evidence…");
  const node = el("article", { class: "msg msg-assistant streaming", "aria-label": "Answer", "aria-busy": "true" }, status, body);
  let text = "";
  let frame = 0;
  function paint() {
    frame = 0;
    body.replaceChildren(renderMarkdown(text, { chip: waitingChip }));
  }
  return {
    node,
    passages(count) {
      status.lastChild.textContent = count ? `Reading ${count} passage${count === 1 ? "" : "s"}…` : "Composing…";
    },
    delta(piece) {
      text += piece;
      status.hidden = true;
      if (!frame) frame = requestAnimationFrame(paint);
    },
    text: () => text,
  };
}

const ERROR_TITLES = { timeout: "No answer in time", aborted: "Answer stopped", cut_off: "Answer cut off" };

/** An error in the chat, with a retry when trying again could help. */
export function errorMessage(err, onRetry) {
  const retry = el("button", { type: "button", class: "button secondary small", onclick: onRetry }, icon("retry"), "Retry");
  return el(
    "div",
    { class: "msg msg-error", role: "alert" },
    el("p", { class: "error-title" }, icon("alert"), ERROR_TITLES[err.code] ?? "The answer could not be fetched"),
    el("p", {}, err.message),
    err.requestId ? el("p", { class: "muted small" }, `Request id: ${err.requestId}`) : null,
    err.retryable ? retry : null,
  );
}
