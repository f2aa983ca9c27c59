/** One Server-Sent Event as the server sent it (comments such as `: ping` are dropped). */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body into messages, as the WHATWG EventSource parser does: lines end
 * with LF, CR or CRLF; a blank line ends a message; `data:` lines join with "\n"; one leading space
 * after the colon is dropped. Works on chunks split anywhere (even inside a CRLF).
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let message: { id?: string; event?: string; data: string[] } = { data: [] };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        // A lone CR at the end of the buffer may be the first half of a CRLF: wait for more.
        if (end < 0 || (buffer[end] === "\r" && end === buffer.length - 1)) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith("\r\n", end) ? 2 : 1));
        if (line === "") {
          if (message.data.length) yield { id: message.id, event: message.event ?? "message", data: message.data.join("\n") };
          message = { data: [] };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") message.data.push(value);
        else if (field === "event") message.event = value;
        else if (field === "id") message.id = value;
      }
    }
  } finally {
    // Stops the body when the caller breaks out early (frees the server's stream).
    await reader.cancel().catch(() => {});
  }
}
