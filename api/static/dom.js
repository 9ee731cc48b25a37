// Tiny DOM helpers. Text is only ever set as text nodes, so nothing passed here becomes markup.

/**
 * Build an element: el("button", { class: "chip", onclick: fn, "aria-label": "…" }, "text", node).
 * Attributes named on* become event listeners; `text` sets textContent; strings become text nodes.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Append children (nodes, strings, nested arrays); null and false are skipped. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** Replace a node's children with the given ones (nulls skipped). */
export function fill(node, ...children) {
  return append(clear(node), children);
}

/** Remove every child of a node. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Readable labels for store values such as "co_responding" or "local_authority". */
const LABELS = {
  co_responding: "Co-responding",
  demand_management: "Demand management",
  shared_estates: "Shared estates",
  strategic_alliance: "Strategic alliance",
  mait_data_sharing: "MAIT and data sharing",
  control_rooms_999: "Control rooms and 999",
  wider_collaboration: "Wider collaboration",
  back_office: "Back office",
  local_authority: "Local authority",
  report: "Report",
  project: "Project record",
  text: "Document",
};

export function label(value) {
  const text = String(value ?? "");
  if (LABELS[text]) return LABELS[text];
  const spaced = text.replace(/_/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Where a passage sits in its document: "page 3" or "project record P012". */
export function locator(item) {
  if (item.record_id) return `project record ${item.record_id}`;
  if (item.page !== null && item.page !== undefined) return `page ${item.page}`;
  return "";
}
