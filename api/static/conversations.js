// Conversations kept in the browser (localStorage): several, the current one, and a way to clear.
// Nothing here goes to the server; the conversation travels with each request instead.

const KEY = "bluelight.conversations.v1";
const MAX_CONVERSATIONS = 30;
// The turns a follow-up sends as history: enough context, a bounded request.
const HISTORY_TURNS = 10;

export function emptyFilters() {
  return { theme: [], region: [], services: [] };
}

export function newConversation() {
  const now = new Date().toISOString();
  return { id: makeId(), title: "", createdAt: now, updatedAt: now, turns: [], filters: emptyFilters() };
}

function makeId() {
  return globalThis.crypto?.randomUUID?.() ?? `c${Date.now()}${Math.random().toString(16).slice(2)}`;
}

/** Load every conversation; a damaged or missing store gives an empty list, never an exception. */
export function loadAll() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "null");
    if (saved && Array.isArray(saved.items)) {
      return { items: saved.items.filter(isConversation), currentId: saved.currentId ?? null };
    }
  } catch {
    // Unreadable storage: start afresh rather than break the page.
  }
  return { items: [], currentId: null };
}

function isConversation(item) {
  return item && typeof item.id === "string" && Array.isArray(item.turns);
}

/** Save, keeping the most recent conversations; returns false when the browser refused. */
export function saveAll(all) {
  const items = all.items
    .filter((c) => c.turns.length)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, MAX_CONVERSATIONS);
  try {
    localStorage.setItem(KEY, JSON.stringify({ items, currentId: all.currentId }));
    return true;
  } catch {
    return false;
  }
}

export function clearAll() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Storage disabled: there is nothing to clear.
  }
}

/** The turns to send as history: completed questions and answers, not errors. */
export function historyOf(conversation) {
  return conversation.turns
    .filter((t) => t.role === "user" || t.role === "assistant")
    .slice(-HISTORY_TURNS)
    .map((t) => ({ role: t.role, content: t.content }));
}

/** A conversation's title: its first question, shortened. */
export function titleOf(conversation) {
  if (conversation.title) return conversation.title;
  const first = conversation.turns.find((t) => t.role === "user");
  if (!first) return "New conversation";
  const text = first.content.replace(/\s+/g, " ").trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** An assistant turn as stored: the answer and what is needed to check it, not the passages. */
export function assistantTurn(result, question) {
  return {
    role: "assistant",
    question,
    content: result.answer,
    declined: Boolean(result.declined),
    status: result.status ?? (result.declined ? "not_covered" : "answered"),
    missing: result.missing ?? [],
    citations: result.citations ?? [],
    suggestions: result.suggestions ?? [],
    notice: result.notice ?? null,
    answerId: result.id ?? null,
    filters: result.filters ?? null,
    feedback: null,
  };
}
