// Follows the event feed for as long as the board is open: one stream of every job's status
// changes, resumed after the last event handled whenever it breaks, so that nothing is missed and
// nothing is handled twice. The server's own rules make that possible (docs/api.md, "Event feed
// and streams"): seq is gap-free and in commit order, a stream starts after Last-Event-ID, and a
// position retention has pruned answers 410 (or, on an open stream, `event: gone`).

import { ApiError } from './api.js';
import { readEventStream } from './sse.js';

/** Longer than the server's keep-alive (15 s by default): silence beyond it means a dead line. */
const SILENCE_LIMIT_MS = 40_000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/**
 * state(name, detail) is told 'connecting', 'live', 'reconnecting', 'stopped' or 'refused';
 * event(e) gets every new event once, in seq order; resync(prunedThrough) is asked to reload what
 * the board shows when the feed can no longer be followed from where it was (410, `event: gone`)
 * and resolves to the position to follow from next. Not thread-safe (nothing in a page is).
 */
export class FeedFollower {
  #api;
  #handlers;
  #lastSeq = 0;
  #controller = null;
  #running = false;

  constructor(api, { state, event, resync }) {
    this.#api = api;
    this.#handlers = { state, event, resync };
  }

  get lastSeq() {
    return this.#lastSeq;
  }

  /** Follows the feed after `afterSeq` until stop(). */
  start(afterSeq) {
    this.#lastSeq = afterSeq;
    if (this.#running) return;
    this.#running = true;
    this.#loop();
  }

  stop() {
    this.#running = false;
    this.#controller?.abort();
    this.#handlers.state('stopped');
  }

  async #loop() {
    let delay = FIRST_DELAY_MS;
    let connected = false;
    while (this.#running) {
      this.#controller = new AbortController();
      this.#handlers.state(connected ? 'reconnecting' : 'connecting');
      try {
        const response = await this.#api.eventStream(this.#lastSeq, this.#controller.signal);
        this.#handlers.state('live');
        connected = true;
        delay = FIRST_DELAY_MS;
        await this.#read(response);
      } catch (error) {
        if (!this.#running) return;
        if (error instanceof ApiError) {
          if (error.status === 410) {
            await this.#resync(error.problem.prunedThrough);
            continue;
          }
          if (error.status === 401 || error.status === 403) {
            this.#running = false;
            this.#handlers.state('refused', error);
            return;
          }
          if (error.retryAfter) delay = Math.max(delay, error.retryAfter * 1000);
        }
      }
      if (!this.#running) return;
      this.#handlers.state('reconnecting');
      // jitter: many boards cut off by one restart should not all come back in the same instant
      await sleep(delay / 2 + Math.random() * delay / 2);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }

  /** Reads one connection until it ends, breaks or falls silent. */
  async #read(response) {
    const controller = this.#controller;
    let watchdog = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_LIMIT_MS);
    };
    let gone = null;
    try {
      await readEventStream(response.body, {
        signal: controller.signal,
        onBytes: alive,
        onMessage: (message) => {
          if (message.event === 'gone') {
            gone = JSON.parse(message.data).prunedThrough;
            controller.abort();
            return;
          }
          this.#take(JSON.parse(message.data));
        },
      });
    } catch (error) {
      if (gone === null) throw error;
    } finally {
      clearTimeout(watchdog);
    }
    if (gone !== null) await this.#resync(gone);
  }

  /** Hands on an event once: a resumed stream may repeat what an earlier connection delivered. */
  #take(event) {
    if (event.seq <= this.#lastSeq) return;
    this.#lastSeq = event.seq;
    this.#handlers.event(event);
  }

  async #resync(prunedThrough) {
    this.#handlers.state('reconnecting');
    this.#lastSeq = await this.#handlers.resync(prunedThrough);
  }
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
