// The jobstate API as the board uses it. Every URL is relative to the page, so the board works at
// the server's root (./jobstate) and under any context root (the it-tests deploy it elsewhere).
// Every request carries the bearer token in its Authorization header, never in the URL.

/** A refused request: `status` and the problem+json body (RFC 9457), or a stand-in when there is none. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }
}

export class Api {
  #token;
  /** Called with the ApiError of every 401: the token is no longer good. */
  onUnauthorized = () => {};

  constructor(token) {
    this.#token = token;
  }

  /** A URL of the API, relative to the page. */
  static url(path, query = {}) {
    const url = new URL(`api/${path}`, document.baseURI);
    for (const [name, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
    }
    return url;
  }

  counts() {
    return this.#json('jobs/counts');
  }

  /** One page of jobs, newest first: {items, nextCursor}. */
  jobs({ status, type, limit, cursor } = {}) {
    return this.#json('jobs', { status, type, limit, cursor });
  }

  job(id) {
    return this.#json(`jobs/${encodeURIComponent(id)}`);
  }

  /**
   * One page of a job's history, oldest first: the entries after version `after`, at most `limit`
   * (the server's bounds: docs/api.md). Resolves to {entries, more}; `more` when a Link to a next page came with it.
   */
  async history(id, { after, limit } = {}) {
    const response = await this.#fetch(Api.url(`jobs/${encodeURIComponent(id)}/history`, { after, limit }), {});
    if (!response.ok) throw await this.#refusal(response);
    return { entries: await response.json(), more: /rel="next"/.test(response.headers.get('Link') ?? '') };
  }

  /**
   * Asks for a transition only if the job is still at `version` (If-Match), under `idempotencyKey`:
   * the same key for every attempt of one operator action, so a re-sent request is replayed rather
   * than applied twice. Resolves to the job; rejects with an ApiError (409, 412 carry the current state).
   */
  transition(id, body, { version, idempotencyKey }) {
    return this.#json(`jobs/${encodeURIComponent(id)}/transitions`, {}, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'If-Match': `"${version}"`,
        'Idempotency-Key': idempotencyKey,
      },
      body: JSON.stringify(body),
    });
  }

  /** The feed as Server-Sent Events after `afterSeq`: the raw Response (its body is the stream). */
  async eventStream(afterSeq, signal) {
    const response = await this.#fetch(Api.url('events/stream'), {
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(afterSeq) },
      signal,
    });
    if (!response.ok) throw await this.#refusal(response);
    return response;
  }

  async #json(path, query = {}, init = {}) {
    const response = await this.#fetch(Api.url(path, query), init);
    if (!response.ok) throw await this.#refusal(response);
    return response.json();
  }

  #fetch(url, init) {
    return fetch(url, {
      ...init,
      cache: 'no-store',
      headers: { Accept: 'application/json', ...init.headers, Authorization: `Bearer ${this.#token}` },
    });
  }

  async #refusal(response) {
    let problem = null;
    if ((response.headers.get('Content-Type') ?? '').includes('json')) {
      problem = await response.json().catch(() => null);
    }
    const error = new ApiError(response.status, problem);
    error.retryAfter = Number(response.headers.get('Retry-After')) || null;
    if (response.status === 401) this.onUnauthorized(error);
    return error;
  }
}
