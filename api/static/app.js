// The chat page: wires the question box, the streamed answers, the source panel, the filters and
// the conversations kept in the browser. Each part lives in its own module; this one connects them.

import { copyAnswer, downloadBriefing, sendFeedback } from "./answer-actions.js";
import { ApiError, errorFromBody, requestJson, streamAnswer } from "./api.js";
import {
  assistantTurn,
  clearAll,
  emptyFilters,
  historyOf,
  loadAll,
  newConversation,
  saveAll,
} from "./conversations.js";
import { clear } from "./dom.js";
import { createFilters, readFacets } from "./filters.js";
import { renderHistory } from "./history.js";
import { icon, placeIcons } from "./icons.js";
import { renderExamples, showCoverage } from "./intro.js";
import { assistantMessage, errorMessage, pendingAnswer, userMessage } from "./messages.js";
import { createPanel } from "./panel.js";

const $ = (id) => document.getElementById(id);

const ui = {
  form: $("ask-form"),
  question: $("question"),
  send: $("send"),
  messages: $("messages"),
  scroller: $("scroller"),
  intro: $("intro"),
  coverage: $("coverage"),
  examples: $("examples"),
  list: $("conversation-list"),
  historyEmpty: $("history-empty"),
  history: $("history"),
  toggleHistory: $("toggle-history"),
  newChat: $("new-chat"),
  exportButton: $("export"),
  clearButton: $("clear-all"),
  clearConfirm: $("clear-confirm"),
  announcer: $("announcer"),
};

const store = loadAll();
let conversation = store.items.find((c) => c.id === store.currentId) ?? newConversation();
// The answer being fetched: its controller (to stop it) and the conversation it belongs to.
let inFlight = null;

const panel = createPanel({
  root: $("panel"),
  title: $("panel-title"),
  kicker: $("panel-kicker"),
  body: $("panel-body"),
  closeButton: $("panel-close"),
  announce,
});

const filters = createFilters({
  selects: { theme: $("filter-theme"), region: $("filter-region"), services: $("filter-services") },
  chips: $("filter-chips"),
  onChange(value) {
    conversation.filters = value;
    persist();
    announce(describeFilters(value));
  },
});

const actions = {
  onCite: (citation, button) => panel.open(citation, button),
  onAsk: askNow,
  onCopy: copyAnswer,
  async onFeedback(turn, rating, comment, status) {
    const sent = await sendFeedback(turn, rating, comment, status);
    if (sent) persist();
    return sent;
  },
};

// ---- asking -------------------------------------------------------------------------------

function askNow(text) {
  ui.question.value = text;
  submit();
}

function submit() {
  const question = ui.question.value.trim();
  if (!question) {
    announce("Type a question first.");
    ui.question.focus();
    return;
  }
  if (inFlight) {
    announce("An answer is still coming. Stop it first, or wait.");
    return;
  }
  ui.question.value = "";
  const history = historyOf(conversation);
  const asked = userMessage({ content: question });
  showIntro(false);
  ui.messages.append(asked);
  scrollToEnd(true);
  fetchAnswer(question, history, asked);
}

async function fetchAnswer(question, history, asked) {
  const owner = conversation;
  const controller = new AbortController();
  inFlight = { controller, owner };
  setBusy(true);
  const pending = pendingAnswer();
  asked.after(pending.node);
  scrollToEnd(true);
  const result = { answer: "", passages: [], citations: [], done: null };
  try {
    await streamAnswer(requestBody(question, history), {
      signal: controller.signal,
      onEvent: (name, data) => onStreamEvent(name, data, result, pending),
    });
    if (!result.done) throw new ApiError("The answer was cut off before it finished.", { code: "cut_off" });
    if (owner !== conversation) return;
    finishAnswer(owner, question, result, pending.node);
  } catch (err) {
    if (owner !== conversation) return;
    pending.node.replaceWith(errorMessage(err, (event) => retry(event, question, history, asked)));
    scrollToEnd(true);
  } finally {
    if (inFlight?.controller === controller) inFlight = null;
    setBusy(false);
  }
}

function onStreamEvent(name, data, result, pending) {
  if (name === "passages") {
    result.passages = data ?? [];
    pending.passages(result.passages.length);
  } else if (name === "delta") {
    result.answer += typeof data === "string" ? data : String(data ?? "");
    pending.delta(typeof data === "string" ? data : String(data ?? ""));
    scrollToEnd(false);
  } else if (name === "citations") {
    result.citations = data ?? [];
  } else if (name === "done") {
    result.done = data ?? {};
  } else if (name === "error") {
    throw errorFromBody(data, 500);
  }
}

function finishAnswer(owner, question, result, pendingNode) {
  const turn = assistantTurn({ ...result.done, answer: result.answer, citations: result.citations }, question);
  owner.turns.push({ role: "user", content: question, at: new Date().toISOString() }, turn);
  owner.updatedAt = new Date().toISOString();
  pendingNode.replaceWith(assistantMessage(turn, actions));
  persist();
  showHistory();
  updateExport();
  scrollToEnd(false);
}

function retry(event, question, history, asked) {
  event.currentTarget.closest(".msg-error")?.remove();
  fetchAnswer(question, history, asked);
}

function requestBody(question, history) {
  const chosen = conversation.filters ?? emptyFilters();
  return {
    question,
    history,
    filters: {
      theme: chosen.theme,
      region: chosen.region,
      services: chosen.services,
      doc_type: [],
      year_from: null,
      year_to: null,
    },
  };
}

function stop() {
  inFlight?.controller.abort();
}

function setBusy(busy) {
  ui.send.replaceChildren(icon(busy ? "stop" : "send"));
  ui.send.setAttribute("aria-label", busy ? "Stop the answer" : "Ask");
  ui.send.title = busy ? "Stop" : "Ask";
  ui.send.classList.toggle("busy", busy);
  ui.messages.setAttribute("aria-busy", String(busy));
}

// ---- conversations ------------------------------------------------------------------------

function persist() {
  if (conversation.turns.length && !store.items.includes(conversation)) store.items.push(conversation);
  store.currentId = conversation.id;
  if (!saveAll(store)) announce("This browser did not let the conversation be saved.");
}

function switchTo(next) {
  if (inFlight) stop();
  panel.close();
  conversation = next;
  store.currentId = next.id;
  saveAll(store);
  renderConversation();
  closeHistoryOnNarrow();
  ui.question.focus();
}

function startNew() {
  switchTo(newConversation());
  announce("New conversation started.");
}

function removeConversation(target) {
  store.items = store.items.filter((c) => c !== target);
  if (target === conversation) conversation = newConversation();
  persist();
  renderConversation();
  announce("Conversation deleted.");
}

function clearEverything() {
  if (inFlight) stop();
  clearAll();
  store.items = [];
  conversation = newConversation();
  store.currentId = conversation.id;
  ui.clearConfirm.hidden = true;
  renderConversation();
  announce("All conversations deleted from this browser.");
  ui.question.focus();
}

function renderConversation() {
  clear(ui.messages);
  for (const turn of conversation.turns) {
    ui.messages.append(turn.role === "user" ? userMessage(turn) : assistantMessage(turn, actions));
  }
  showIntro(!conversation.turns.length);
  filters.set(conversation.filters ?? emptyFilters());
  showHistory();
  updateExport();
  if (conversation.turns.length) scrollToEnd(true);
  else ui.scroller.scrollTop = 0;
}

function showHistory() {
  const count = renderHistory(ui.list, store.items, conversation, { onOpen: switchTo, onDelete: removeConversation });
  ui.historyEmpty.hidden = count > 0;
  ui.clearButton.hidden = count === 0;
}

function updateExport() {
  ui.exportButton.disabled = !conversation.turns.some((t) => t.role === "assistant");
}

// ---- first screen -------------------------------------------------------------------------

function showIntro(show) {
  ui.intro.hidden = !show;
}

async function loadFacets() {
  try {
    const facets = readFacets(await requestJson("v1/facets"));
    filters.setFacets(facets);
    filters.set(conversation.filters ?? emptyFilters());
  } catch {
    for (const select of document.querySelectorAll(".filter-select")) select.disabled = true;
    $("filters-label").title = "Filters are unavailable: the server did not list them.";
  }
}

// ---- small things -------------------------------------------------------------------------

function announce(text) {
  ui.announcer.textContent = "";
  requestAnimationFrame(() => {
    ui.announcer.textContent = text;
  });
}

function describeFilters(value) {
  const count = value.theme.length + value.region.length + value.services.length;
  return count ? `${count} filter${count === 1 ? "" : "s"} applied.` : "Filters cleared.";
}

function scrollToEnd(force) {
  const box = ui.scroller;
  const near = box.scrollHeight - box.scrollTop - box.clientHeight < 160;
  if (force || near) box.scrollTop = box.scrollHeight;
}

function closeHistoryOnNarrow() {
  document.body.classList.remove("history-open");
  ui.toggleHistory.setAttribute("aria-expanded", "false");
}

function toggleHistory() {
  const open = !document.body.classList.contains("history-open");
  document.body.classList.toggle("history-open", open);
  ui.toggleHistory.setAttribute("aria-expanded", String(open));
  if (open) ui.history.querySelector("button")?.focus();
}

function onKeydown(event) {
  if (event.key !== "Escape") return;
  if (panel.isOpen()) {
    event.preventDefault();
    panel.close();
  } else if (document.body.classList.contains("history-open")) {
    closeHistoryOnNarrow();
    ui.toggleHistory.focus();
  }
}

function onQuestionKeydown(event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
}

function wire() {
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (inFlight) stop();
    else submit();
  });
  ui.question.addEventListener("keydown", onQuestionKeydown);
  document.addEventListener("keydown", onKeydown);
  ui.newChat.addEventListener("click", startNew);
  ui.exportButton.addEventListener("click", () => {
    downloadBriefing(conversation);
    announce("Briefing note downloaded.");
  });
  ui.toggleHistory.addEventListener("click", toggleHistory);
  ui.clearButton.addEventListener("click", () => {
    ui.clearConfirm.hidden = false;
    $("clear-no").focus();
  });
  $("clear-yes").addEventListener("click", clearEverything);
  $("clear-no").addEventListener("click", () => {
    ui.clearConfirm.hidden = true;
    ui.clearButton.focus();
  });
}

placeIcons();
wire();
renderExamples(ui.examples, askNow);
renderConversation();
loadFacets();
showCoverage(ui.coverage);
document.body.classList.add("ready");
