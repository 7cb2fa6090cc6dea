// A text/event-stream parser for streams read with fetch(). Browsers' EventSource cannot send an
// Authorization header, and a token in the URL would end up in access logs and browser history, so
// the board reads the stream with fetch and parses it here, following the WHATWG HTML "event stream
// interpretation" rules (lines end in CRLF, LF or CR; ':' starts a comment; one leading space of a
// value is dropped; a blank line dispatches). No library: none is served as a WebJar here, and the
// rules fit in this file, which BoardIT checks in Chromium with the stream cut at every position.

/**
 * Incremental parser: push() text as it arrives, in pieces cut anywhere, and get back the messages
 * each piece completed. Not thread-safe (nothing in a page is), one per stream.
 */
export class SseParser {
  #line = '';            // the unfinished line
  #afterCR = false;      // the last piece ended in CR: a LF starting the next one belongs to it
  #started = false;      // a byte-order mark is dropped only at the very start
  #data = [];
  #event = '';
  /** The id of the last message (kept across messages, as EventSource does). */
  lastEventId = '';
  /** A reconnection delay the server asked for with `retry:`, in milliseconds, or null. */
  retry = null;

  /** @returns {{event: string, data: string, id: string}[]} the messages completed by `text` */
  push(text) {
    if (text.length === 0) return [];
    if (!this.#started) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const messages = [];
    let start = 0;
    if (this.#afterCR && text.startsWith('\n')) start = 1;
    this.#afterCR = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      this.#line += text.slice(start, i);
      this.#endLine(messages);
      if (c === '\r') {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.#line += text.slice(start);
    return messages;
  }

  #endLine(messages) {
    const line = this.#line;
    this.#line = '';
    if (line === '') {
      this.#dispatch(messages);
      return;
    }
    if (line.startsWith(':')) return; // a comment: the keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data': this.#data.push(value); break;
      case 'event': this.#event = value; break;
      case 'id': if (!value.includes('\0')) this.lastEventId = value; break;
      case 'retry': if (/^[0-9]+$/.test(value)) this.retry = Number(value); break;
      default: break; // unknown fields are ignored
    }
  }

  #dispatch(messages) {
    if (this.#data.length > 0) {
      messages.push({ event: this.#event || 'message', data: this.#data.join('\n'), id: this.lastEventId });
    }
    this.#data = [];
    this.#event = '';
  }
}

/**
 * Reads a fetch() response body as an event stream, calling onMessage for every message and
 * onBytes for every piece that arrives (comments included: the keep-alive proves the line is up).
 * Resolves when the server ends the stream; rejects when it breaks or `signal` aborts. A message
 * left without its closing blank line when the stream ends is dropped, as EventSource does.
 * TextDecoderStream keeps a character whose UTF-8 bytes are split across pieces whole.
 */
export async function readEventStream(body, { onMessage, onBytes = () => {}, signal } = {}) {
  const parser = new SseParser();
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const abort = () => reader.cancel().catch(() => {});
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (signal?.aborted) throw signal.reason ?? new DOMException('aborted', 'AbortError');
      onBytes();
      for (const message of parser.push(value)) onMessage(message);
    }
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
