// The source panel: a citation opens it with the document, the page or project record, the
// passage with the quoted sentence highlighted, its neighbours, and the whole page to read.

import { requestJson } from "./api.js";
import { el, fill, label, locator } from "./dom.js";
import { highlighted } from "./highlight.js";
import { icon } from "./icons.js";

export function createPanel({ root, title, kicker, body, closeButton, announce }) {
  let opener = null;
  let current = null;

  function open(citation, from) {
    opener?.setAttribute("aria-expanded", "false");
    opener = from ?? document.activeElement;
    opener?.setAttribute("aria-expanded", "true");
    current = citation;
    root.hidden = false;
    document.body.classList.add("panel-open");
    kicker.textContent = "Source";
    title.textContent = citation.title || citation.source || "Source";
    fill(body, el("p", { class: "muted", role: "status" }, "Loading the source…"));
    title.focus();
    loadSource(citation);
  }

  function close() {
    if (root.hidden) return;
    root.hidden = true;
    document.body.classList.remove("panel-open");
    current = null;
    opener?.setAttribute("aria-expanded", "false");
    if (opener?.isConnected) opener.focus();
  }

  async function loadSource(citation) {
    try {
      const data = await requestJson(`v1/sources/${encodeURIComponent(citation.chunk_id)}`);
      if (current !== citation) return;
      showSource(citation, readSource(data, citation));
    } catch (err) {
      if (current !== citation) return;
      showFailure(err, () => loadSource(citation));
    }
  }

  function showSource(citation, source) {
    kicker.textContent = kickerOf(source);
    title.textContent = source.title;
    const { nodes, found, mark } = highlighted(source.text, citation.quote);
    fill(body, 
      el("p", { class: "source-path" }, icon("file"), el("span", {}, source.source)),
      source.section ? el("p", { class: "source-section" }, source.section) : null,
      el("h3", { class: "panel-heading" }, found ? "The quoted sentence in its passage" : "The passage"),
      el("blockquote", { class: "passage", "aria-label": "Passage" }, nodes),
      found ? null : quoteBlock(citation.quote),
      pageButton(source, citation),
      neighbours(source.neighbours, source.record_id ? "Neighbouring records" : "Nearby in the document"),
    );
    mark?.scrollIntoView({ block: "nearest" });
    announce(`Source opened: ${source.title}${locator(source) ? `, ${locator(source)}` : ""}.`);
  }

  function pageButton(source, citation) {
    if (source.page === null || source.page === undefined || !source.docId) return null;
    return el(
      "p",
      { class: "panel-actions" },
      el(
        "button",
        { type: "button", class: "button secondary", onclick: () => loadPage(source, citation, source.page) },
        icon("file"),
        `Read page ${source.page}`,
      ),
    );
  }

  async function loadPage(source, citation, page) {
    fill(body, el("p", { class: "muted", role: "status" }, `Loading page ${page}…`));
    try {
      const data = await requestJson(
        `v1/documents/${encodeURIComponent(source.docId)}/pages/${encodeURIComponent(page)}`,
      );
      if (current !== citation) return;
      showPage(source, citation, page, data);
    } catch (err) {
      if (current !== citation) return;
      showFailure(err, () => loadPage(source, citation, page));
    }
  }

  function showPage(source, citation, page, data) {
    const text = data?.text ?? data?.page?.text ?? "";
    const total = data?.pages ?? data?.page_count ?? data?.document?.pages ?? null;
    kicker.textContent = `${label(source.docType)} · page ${page}${total ? ` of ${total}` : ""}`;
    const { nodes, mark } = page === source.page ? highlighted(text, citation.quote) : { nodes: [text] };
    const nav = el(
      "div",
      { class: "page-nav" },
      el("button", { type: "button", class: "button secondary", onclick: () => showSource(citation, source) }, "Back to the passage"),
      page > 1 ? el("button", { type: "button", class: "button secondary", onclick: () => loadPage(source, citation, page - 1) }, "Previous page") : null,
      !total || page < total ? el("button", { type: "button", class: "button secondary", onclick: () => loadPage(source, citation, page + 1) }, "Next page") : null,
    );
    fill(body, 
      el("p", { class: "source-path" }, icon("file"), el("span", {}, source.source)),
      el("h3", { class: "panel-heading" }, `Page ${page}`),
      el("div", { class: "page-text", tabindex: "0", "aria-label": `Text of page ${page}` }, nodes),
      nav,
    );
    (mark ?? title).scrollIntoView?.({ block: "nearest" });
    announce(`Page ${page} of ${source.title} opened.`);
  }

  function showFailure(err, retry) {
    fill(body, 
      el(
        "div",
        { class: "inline-error", role: "alert" },
        el("p", {}, `The source could not be loaded. ${err.message}`),
        el("button", { type: "button", class: "button secondary", onclick: retry }, icon("retry"), "Retry"),
      ),
    );
  }

  closeButton.addEventListener("click", close);
  return { open, close, isOpen: () => !root.hidden };
}

function kickerOf(source) {
  if (source.record_id) return `Project record ${source.record_id}`;
  const where = source.page !== null && source.page !== undefined ? `page ${source.page}` : "";
  return [label(source.docType) || "Source", where].filter(Boolean).join(" · ");
}

function quoteBlock(quote) {
  return el(
    "div",
    { class: "quote-alone" },
    el("h3", { class: "panel-heading" }, "Quoted in the answer"),
    el("blockquote", { class: "passage" }, el("mark", { class: "quote" }, quote)),
  );
}

function neighbours(items, heading) {
  if (!items.length) return null;
  return el(
    "section",
    { class: "neighbours", "aria-label": "Nearby passages" },
    el("h3", { class: "panel-heading" }, heading),
    items.map((n) =>
      el(
        "div",
        { class: "neighbour" },
        el("p", { class: "neighbour-where" }, [n.where, locator(n)].filter(Boolean).join(" · ")),
        el("p", { class: "neighbour-text" }, n.text),
      ),
    ),
  );
}

/** The API's source answer, read into one flat shape whatever its nesting. */
function readSource(data, citation) {
  const passage = data?.passage ?? data?.chunk ?? data ?? {};
  const document = data?.document ?? {};
  const position = passage.position ?? null;
  const before = data?.before ?? [];
  const after = data?.after ?? [];
  const listed = data?.neighbours ?? data?.neighbors ?? [];
  const around = [
    ...before.map((n) => ({ ...n, where: "Before" })),
    ...listed.map((n) => ({ ...n, where: whereOf(n, position) })),
    ...after.map((n) => ({ ...n, where: "After" })),
  ];
  return {
    text: String(passage.text ?? ""),
    // A project record's own title names it better than the file of records it came from.
    title: (passage.record_id ? citation.title : document.title) ?? citation.title ?? "Source",
    source: document.source ?? passage.source ?? citation.source ?? "",
    docType: document.doc_type ?? passage.doc_type ?? "",
    docId: document.id ?? document.doc_id ?? passage.doc_id ?? null,
    section: passage.section ?? null,
    page: data?.page ?? passage.page ?? citation.page ?? null,
    record_id: data?.record_id ?? passage.record_id ?? citation.record_id ?? null,
    neighbours: around.filter((n) => n && n.text && n.chunk_id !== citation.chunk_id),
  };
}

function whereOf(neighbour, position) {
  if (position === null || neighbour.position === undefined || neighbour.position === null) return "";
  return neighbour.position < position ? "Before" : "After";
}
