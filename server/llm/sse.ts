/**
 * A minimal Server-Sent Events reader for the endpoints the `openai` SDK does not cover
 * (llama.cpp's `/infill`): it yields the `data:` payload of each event as a string.
 */

/** Yields the joined `data:` lines of every event in an SSE body, in order. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  let finished = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (;;) {
        const m = /\r?\n\r?\n/.exec(buffer);
        if (!m) break;
        const event = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        const data = dataOf(event);
        if (data !== undefined) yield data;
      }
    }
    buffer += decoder.decode();
    const rest = dataOf(buffer);
    if (rest !== undefined) yield rest;
    finished = true;
  } finally {
    // A consumer that stops early (or an error) must not leave the HTTP body open.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function dataOf(event: string): string | undefined {
  const lines: string[] = [];
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith("data:")) lines.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}
