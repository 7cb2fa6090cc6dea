import { instantKey } from './format.js';

// Re-reads jobs the feed says changed. An event carries status and version only; the board shows
// more (attempt, progress, lease), so it reads the job. A burst of events for one job (a catch-up
// after a reconnect, say) costs at most two reads: the one under way and one after it.

export class JobRefresher {
  #api;
  #listeners = new Set();
  #inFlight = new Set();
  #again = new Set();

  constructor(api) {
    this.#api = api;
  }

  /** listener(job) hears every job read; returns a function that stops it hearing. */
  listen(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads job `id` soon; a request while a read is under way asks for one more read after it. */
  request(id) {
    if (this.#inFlight.has(id)) {
      this.#again.add(id);
      return;
    }
    this.#inFlight.add(id);
    this.#api.job(id)
      .then((job) => this.#listeners.forEach((listener) => listener(job)))
      .catch(() => {}) // a failed read is repaired by the next event or refresh
      .finally(() => {
        this.#inFlight.delete(id);
        if (this.#again.delete(id)) this.request(id);
      });
  }

  /** Tells every listener about a job read elsewhere (an action's answer). */
  publish(job) {
    this.#listeners.forEach((listener) => listener(job));
  }
}

/** Whether `candidate` may replace `shown`: never an older version, and within one version the fresher read. */
export function newer(candidate, shown) {
  if (!shown) return true;
  if (candidate.version !== shown.version) return candidate.version > shown.version;
  // progress and heartbeats move updatedAt, not version
  return instantKey(candidate.updatedAt) >= instantKey(shown.updatedAt);
}
