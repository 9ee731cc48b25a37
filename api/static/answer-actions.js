// What a reader does with an answer: copy it, rate it, or take the conversation away as a
// briefing note.

import { requestJson } from "./api.js";
import { answerMarkdown, briefingFileName, briefingNote } from "./briefing.js";
import { el } from "./dom.js";

/** Copy one answer with its references; says how it went in `status`. */
export async function copyAnswer(turn, status) {
  const ok = await writeClipboard(answerMarkdown(turn));
  status.textContent = ok ? "Copied with its references." : "Copying is blocked in this browser.";
  setTimeout(() => {
    if (status.textContent.startsWith("Cop")) status.textContent = "";
  }, 4000);
}

async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (an insecure origin, say): the older copy command still works.
    const area = el("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** Send a rating ("up" or "down") and an optional comment; true when the server took it. */
export async function sendFeedback(turn, rating, comment, status) {
  if (!turn.answerId) {
    status.textContent = "This answer has no id, so feedback cannot be recorded.";
    return false;
  }
  status.textContent = "Sending…";
  try {
    await requestJson("v1/feedback", {
      method: "POST",
      body: { answer_id: turn.answerId, rating, comment: comment || null, question: turn.question ?? null },
    });
  } catch (err) {
    status.textContent = `Feedback not sent: ${err.message}`;
    return false;
  }
  turn.feedback = { rating, comment, sent: true };
  status.textContent = "Thanks for the feedback.";
  return true;
}

/** Download the conversation as a Markdown briefing note. */
export function downloadBriefing(conversation) {
  const blob = new Blob([briefingNote(conversation)], { type: "text/markdown;charset=utf-8" });
  const href = URL.createObjectURL(blob);
  const link = el("a", { href, download: briefingFileName(), class: "offscreen" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}
