// Talking to the bluelight API: JSON calls and the streamed answer (server-sent events over a
// POST, read from fetch's body stream because EventSource can only GET).

// No byte from the server for this long means it has stalled: stop and offer a retry. A page
// that embeds the chat (or a test) may set globalThis.bluelightConfig = { idleTimeoutMs }.
const IDLE_TIMEOUT_MS = 45000;
const JSON_TIMEOUT_MS = 15000;

/** An error a person can act on: what went wrong, in words, and the request id if any. */
export class ApiError extends Error {
  constructor(message, { code = "error", requestId = null, retryable = true } = {}) {
    super(message);
    this.code = code;
    this.requestId = requestId;
    this.retryable = retryable;
  }
}

function url(path) {
  return new URL(path, document.baseURI).toString();
}

/** GET or POST JSON with a timeout; failures become ApiError. */
export async function requestJson(path, { method = "GET", body, timeoutMs = JSON_TIMEOUT_MS } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), timeoutMs);
  try {
    const response = await fetch(url(path), {
      method,
      headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) throw await errorFrom(response);
    return response.status === 204 ? null : await response.json();
  } catch (err) {
    throw asApiError(err, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ask for a streamed answer. `onEvent(name, data)` is called for each event (passages, delta,
 * citations, done, error). Resolves when the stream ends; rejects with ApiError on failure,
 * including a stall longer than IDLE_TIMEOUT_MS. `signal` lets the caller stop it.
 */
export async function streamAnswer(body, { onEvent, signal, idleMs = idleTimeout() }) {
  const controller = new AbortController();
  const stop = () => controller.abort(signal.reason);
  signal?.addEventListener("abort", stop, { once: true });
  let timer = null;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), idleMs);
  };
  try {
    arm();
    const response = await fetch(url("v1/answer/stream"), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) throw await errorFrom(response);
    await readEvents(response.body, (name, data) => {
      arm();
      onEvent(name, data);
    }, arm);
  } catch (err) {
    const error = asApiError(err, controller.signal);
    controller.abort();
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", stop);
  }
}

function idleTimeout() {
  const configured = Number(globalThis.bluelightConfig?.idleTimeoutMs);
  return configured > 0 ? configured : IDLE_TIMEOUT_MS;
}

async function readEvents(stream, onEvent, onBytes) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    onBytes();
    buffer = (buffer + value).replace(/\r\n?/g, "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const event = parseEvent(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) onEvent(event.name, event.data);
      end = buffer.indexOf("\n\n");
    }
  }
  const last = parseEvent(buffer);
  if (last) onEvent(last.name, last.data);
}

/** One SSE event block ("event: x\ndata: {...}") to {name, data}; comments and blanks give null. */
function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return null;
  const raw = data.join("\n");
  try {
    return { name, data: JSON.parse(raw) };
  } catch {
    return { name, data: raw };
  }
}

async function errorFrom(response) {
  let detail = null;
  try {
    detail = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): the status line says enough.
  }
  return errorFromBody(detail, response.status);
}

/** The API's one error shape {"error": {code, message, request_id}} to an ApiError. */
export function errorFromBody(detail, status = 0) {
  const error = detail?.error ?? {};
  const message =
    error.message ||
    (typeof detail?.detail === "string" ? detail.detail : null) ||
    `The server answered with status ${status}.`;
  return new ApiError(message, {
    code: error.code || `http_${status}`,
    requestId: error.request_id || null,
    retryable: status === 0 || status >= 500 || status === 429 || status === 408,
  });
}

function asApiError(err, signal) {
  if (err instanceof ApiError) return err;
  const reason = signal?.reason;
  if (reason?.name === "TimeoutError") {
    return new ApiError("The server took too long to answer.", { code: "timeout" });
  }
  if (err?.name === "AbortError" || reason?.name === "AbortError") {
    return new ApiError("Stopped.", { code: "aborted" });
  }
  return new ApiError("Could not reach the bluelight server. It may be down or restarting.", {
    code: "unreachable",
  });
}
