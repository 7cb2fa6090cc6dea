// The newest jobs, filtered by status and type, in keyset pages ("Show older jobs" appends the next
// one). Rows follow the feed: an event updates its row at once (status, version) and the row is
// read again for the rest. A job that changes into view appears in its place; the board never shows
// a row twice and never replaces a newer version with an older one.

import { h, replaceChildren } from '../dom.js';
import { instantKey, leaseText, shortId, statusBadge, time } from '../format.js';
import { newer } from '../refresher.js';

const PAGE = 25;

export class JobsList {
  #api;
  #refresher;
  #body;
  #more;
  #filters = { status: '', type: '' };
  #jobs = new Map();  // id -> job, what is shown
  #rows = new Map();  // id -> <tr>
  #cursor = null;

  constructor(api, refresher, { body, more }) {
    this.#api = api;
    this.#refresher = refresher;
    this.#body = body;
    this.#more = more;
    more.addEventListener('click', () => this.#loadMore());
    refresher.listen((job) => this.#upsert(job));
  }

  get filters() {
    return { ...this.#filters };
  }

  /** Shows the first page for these filters, replacing what was shown. */
  async load(filters = this.#filters) {
    this.#filters = { status: filters.status ?? '', type: (filters.type ?? '').trim() };
    const page = await this.#api.jobs({ ...this.#filters, limit: PAGE });
    this.#jobs.clear();
    this.#rows.clear();
    replaceChildren(this.#body);
    // a page's rows are the range itself: shown as paged rows, not checked against a range that
    // (with the next cursor already set) would end at the first of them
    page.items.forEach((job) => this.#upsert(job, true));
    this.#cursor = page.nextCursor;
    this.#renderMore();
  }

  /** Reads the first page again and merges it: jobs created since (creation makes no event). */
  async refreshFirstPage() {
    const page = await this.#api.jobs({ ...this.#filters, limit: PAGE });
    page.items.forEach((job) => this.#upsert(job));
  }

  /** A status change from the feed. */
  applyEvent(event) {
    const shown = this.#jobs.get(event.jobId);
    if (shown && event.version > shown.version) {
      // the row shows the new status at once; the job is read for the rest
      this.#show({ ...shown, status: event.to, version: event.version, leaseExpiresAt: null });
    }
    if (shown || !this.#filters.status || this.#filters.status === event.to) this.#refresher.request(event.jobId);
  }

  /** Ticks lease countdowns. */
  tick() {
    for (const [id, job] of this.#jobs) {
      if (job.status === 'RUNNING' && job.leaseExpiresAt) {
        this.#rows.get(id)?.querySelector('.lease')?.replaceChildren(leaseText(job.leaseExpiresAt));
      }
    }
  }

  async #loadMore() {
    if (!this.#cursor) return;
    const page = await this.#api.jobs({ ...this.#filters, limit: PAGE, cursor: this.#cursor });
    this.#cursor = page.nextCursor;
    page.items.forEach((job) => this.#upsert(job, true));
    this.#renderMore();
  }

  /** Shows `job` if it belongs: a newer version of a shown row, or a job within the loaded range. */
  #upsert(job, paging = false) {
    const shown = this.#jobs.get(job.id);
    if (shown) {
      if (!newer(job, shown)) return;
      if (!this.#matches(job)) {
        this.#remove(job.id);
        return;
      }
      this.#show(job);
      return;
    }
    if (!this.#matches(job) || (!paging && !this.#withinRange(job))) return;
    this.#show(job);
  }

  #matches(job) {
    return (!this.#filters.status || job.status === this.#filters.status)
      && (!this.#filters.type || job.type === this.#filters.type);
  }

  /** Newer than the oldest row shown, or everything is shown: a job further back belongs to a later page. */
  #withinRange(job) {
    if (!this.#cursor) return true;
    const oldest = [...this.#jobs.values()].at(-1);
    return !oldest || compare(job, oldest) < 0;
  }

  #show(job) {
    this.#jobs.set(job.id, job);
    const row = this.#rows.get(job.id) ?? this.#newRow(job);
    row.dataset.status = job.status;
    row.dataset.version = job.version;
    const [, status, version, attempt, progress, lease, created] = row.children;
    replaceChildren(status, statusBadge(job.status));
    replaceChildren(version, String(job.version));
    replaceChildren(attempt, String(job.attempt));
    replaceChildren(progress, h('progress', { max: 100, value: job.progress, 'aria-label': `progress of ${shortId(job.id)}` }),
      ` ${job.progress} %`);
    replaceChildren(lease, job.status === 'RUNNING' && job.leaseExpiresAt
      ? h('span', { class: 'lease' }, leaseText(job.leaseExpiresAt)) : '–');
    replaceChildren(created, time(job.createdAt));
  }

  #newRow(job) {
    const row = h('tr', { 'data-job-id': job.id },
      h('th', { scope: 'row' }, h('a', { href: `#/jobs/${job.id}`, title: job.id }, h('code', {}, shortId(job.id)), ` ${job.type}`)),
      h('td', {}), h('td', { class: 'number' }), h('td', { class: 'number' }), h('td', {}), h('td', {}), h('td', {}));
    this.#rows.set(job.id, row);
    // rows stay in the list's order: newest created first, then by id (the API's order)
    const before = [...this.#jobs.values()]
      .filter((other) => other.id !== job.id && compare(job, other) < 0)
      .map((other) => this.#rows.get(other.id))
      .find((other) => other && other.isConnected);
    this.#body.insertBefore(row, before ?? null);
    this.#sortJobs();
    return row;
  }

  #sortJobs() {
    const sorted = [...this.#jobs.values()].sort(compare);
    this.#jobs = new Map(sorted.map((job) => [job.id, job]));
  }

  #remove(id) {
    this.#jobs.delete(id);
    this.#rows.get(id)?.remove();
    this.#rows.delete(id);
  }

  #renderMore() {
    this.#more.hidden = !this.#cursor;
  }
}

/** The API's order: created newest first, then id descending. */
function compare(a, b) {
  const [createdA, createdB] = [instantKey(a.createdAt), instantKey(b.createdAt)];
  if (createdA !== createdB) return createdA > createdB ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}
