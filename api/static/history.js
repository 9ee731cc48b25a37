// The list of conversations kept in this browser: open one, or delete it.

import { clear, el } from "./dom.js";
import { titleOf } from "./conversations.js";
import { icon } from "./icons.js";

/** Fill `list` with the conversations that hold turns, newest first. Returns how many. */
export function renderHistory(list, conversations, current, { onOpen, onDelete }) {
  const items = conversations
    .filter((c) => c.turns.length)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  clear(list);
  for (const item of items) list.append(historyItem(item, item === current, onOpen, onDelete));
  return items.length;
}

function historyItem(item, isCurrent, onOpen, onDelete) {
  const when = new Date(item.updatedAt).toLocaleDateString("en-GB", { day: "numeric", month: "short" });
  const title = titleOf(item);
  return el(
    "li",
    { class: "conversation-item" },
    el(
      "button",
      { type: "button", class: "conversation-open", "aria-current": isCurrent ? "true" : null, onclick: () => onOpen(item) },
      el("span", { class: "conversation-title" }, title),
      el("span", { class: "conversation-date" }, when),
    ),
    el(
      "button",
      {
        type: "button",
        class: "icon-button conversation-delete",
        "aria-label": `Delete conversation: ${title}`,
        title: "Delete",
        onclick: () => onDelete(item),
      },
      icon("trash"),
    ),
  );
}
