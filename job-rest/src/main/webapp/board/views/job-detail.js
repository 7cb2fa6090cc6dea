// One job: every field, its progress, its lease counting down (the token stays hidden: it is the
// worker's), its history as a timeline (a worker's claim and the reaper's entries stand out; the
// newest page, earlier pages on request), and its events as they arrive. Progress reports and
// heartbeats make no event (docs/api.md), so while the job runs the view reads it again every few
// seconds; everything else follows the feed.

import { h, replaceChildren } from '../dom.js';
import { leaseText, shortId, statusBadge, time } from '../format.js';
import { newer } from '../refresher.js';
import { JobActions } from './actions.js';

const RUNNING_READ_MS = 3_000;
/** History entries read at a time: the newest page when a job is shown, one more page per "Show earlier". */
const HISTORY_PAGE = 100;

export class JobDetail {
  #api;
  #refresher;
  #elements;
  #actions;
  #id = null;
  #job = null;
  #lastRead = 0;
  #historyTimer = null;
  /** The history entries shown, oldest first: the newest page, earlier pages on request, later ones as events come. */
  #entries = [];

  /** elements: {section, title, fields, actions, timeline, events}; canAct: whether to offer actions. */
  constructor(api, refresher, elements, canAct) {
    this.#api = api;
    this.#refresher = refresher;
    this.#elements = elements;
    this.#actions = canAct ? new JobActions(api, refresher, elements.actions) : null;
    elements.actions.hidden = !canAct;
    elements.earlier.addEventListener('click', () => this.#showEarlier().catch(() => {}));
    refresher.listen((job) => {
      if (job.id === this.#id && newer(job, this.#job)) this.#render(job);
    });
  }

  get jobId() {
    return this.#id;
  }

  async show(id) {
    this.#id = id;
    this.#job = null;
    replaceChildren(this.#elements.title, 'Job ', h('code', {}, shortId(id)));
    replaceChildren(this.#elements.fields, h('p', {}, 'Loading…'));
    replaceChildren(this.#elements.timeline);
    this.#entries = [];
    this.#elements.earlier.hidden = true;
    replaceChildren(this.#elements.events, h('li', { class: 'empty' }, 'None since this page opened the job.'));
    const job = await this.#api.job(id);
    // the newest page: a job retried many times has a long history, of which the end matters most
    const page = await this.#api.history(id, { after: Math.max(0, job.version - HISTORY_PAGE), limit: HISTORY_PAGE });
    if (this.#id !== id) return;
    this.#render(job);
    this.#entries = page.entries;
    this.#renderHistory();
  }

  hide() {
    this.#id = null;
    clearTimeout(this.#historyTimer);
  }

  /** An event of the feed: this job's is listed, and the job and its history are read again. */
  applyEvent(event) {
    if (event.jobId !== this.#id) return;
    const list = this.#elements.events;
    list.querySelector('.empty')?.remove();
    list.append(h('li', { 'data-seq': event.seq },
      h('span', { class: 'seq' }, `#${event.seq}`), ' ', statusBadge(event.from), ' → ', statusBadge(event.to),
      ` version ${event.version} · `, time(event.at)));
    this.#refresher.request(this.#id);
    clearTimeout(this.#historyTimer);
    const id = this.#id;
    this.#historyTimer = setTimeout(() => this.#readLater(id).catch(() => {}), 100);
  }

  /** The entries after the last one shown, page after page. */
  async #readLater(id) {
    let page;
    do {
      const after = this.#entries.at(-1)?.version ?? 0;
      page = await this.#api.history(id, { after, limit: HISTORY_PAGE });
      if (this.#id !== id) return;
      this.#entries = this.#entries.concat(page.entries.filter((e) => e.version > after));
    } while (page.more);
    this.#renderHistory();
  }

  /** The page before the first entry shown. */
  async #showEarlier() {
    const id = this.#id;
    const first = this.#entries[0]?.version;
    if (!first || first <= 1) return;
    const after = Math.max(0, first - 1 - HISTORY_PAGE);
    const page = await this.#api.history(id, { after, limit: first - 1 - after });
    if (this.#id !== id || this.#entries[0]?.version !== first) return;
    this.#entries = page.entries.concat(this.#entries);
    this.#renderHistory();
  }

  /** Every second: the lease countdown, and a read of a running job now and then. */
  tick(live) {
    if (!this.#job) return;
    if (this.#job.status === 'RUNNING') {
      this.#elements.fields.querySelector('.lease')?.replaceChildren(leaseText(this.#job.leaseExpiresAt));
      if (live && Date.now() - this.#lastRead > RUNNING_READ_MS) {
        this.#lastRead = Date.now();
        this.#refresher.request(this.#id);
      }
    }
  }

  #render(job) {
    this.#job = job;
    this.#lastRead = Date.now();
    this.#elements.section.dataset.status = job.status;
    this.#elements.section.dataset.version = job.version;
    replaceChildren(this.#elements.title, `Job ${job.type} `, h('code', {}, shortId(job.id)));
    const field = (name, ...value) => [h('dt', {}, name), h('dd', {}, ...value)];
    replaceChildren(this.#elements.fields, h('dl', {},
      field('Id', h('code', {}, job.id)),
      field('Type', job.type),
      field('Status', statusBadge(job.status)),
      field('Version', String(job.version)),
      field('Attempt', String(job.attempt)),
      field('Progress', h('progress', { max: 100, value: job.progress, 'aria-label': 'progress' }), ` ${job.progress} %`),
      field('Lease', lease(job)),
      field('Payload', json(job.payload)),
      field('Result', json(job.result)),
      field('Error', job.error ?? '–'),
      field('Created', time(job.createdAt)),
      field('Updated', time(job.updatedAt)),
      field('Started', time(job.startedAt)),
      field('Finished', time(job.finishedAt))));
    this.#actions?.render(job);
  }

  #renderHistory() {
    const history = this.#entries;
    const earlier = (history[0]?.version ?? 1) - 1;
    this.#elements.earlier.hidden = earlier <= 0;
    this.#elements.earlier.textContent = `Show earlier transitions (${earlier} not shown)`;
    replaceChildren(this.#elements.timeline, history.length === 0
      ? h('li', { class: 'empty' }, 'No transition yet: the job is as it was created.')
      : history.map(entry));
  }
}

// The reason the service records for a worker's claim (POST /api/jobs/claims, docs/api.md).
const CLAIMED = 'claimed';

function entry(item) {
  const reaper = item.actor === 'reaper';
  const claim = item.to === 'RUNNING' && item.reason === CLAIMED;
  return h('li', { class: reaper ? 'entry reaper' : claim ? 'entry claim' : 'entry', 'data-version': item.version, 'data-actor': item.actor ?? '' },
    h('span', { class: 'version' }, `v${item.version}`), ' ',
    statusBadge(item.from), ' → ', statusBadge(item.to),
    ` · attempt ${item.attempt} · `,
    reaper ? h('strong', { class: 'actor' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'by the reaper (lease expired)')
      : claim ? h('strong', { class: 'actor' }, `claimed by worker ${item.actor ?? 'unknown'}`)
      : h('span', { class: 'actor' }, `by ${item.actor ?? 'unknown'}`),
    ' · ', time(item.at),
    item.reason && !claim ? [' · reason: ', h('q', {}, item.reason)] : null,
    item.error ? [' · error: ', h('q', {}, item.error)] : null);
}

function lease(job) {
  if (job.status !== 'RUNNING' || !job.leaseExpiresAt) return '–';
  return [h('span', { class: 'lease' }, leaseText(job.leaseExpiresAt)), ' (at ', time(job.leaseExpiresAt),
    '; the token belongs to the worker and is not shown)'];
}

function json(value) {
  return value === null || value === undefined ? '–' : h('pre', {}, JSON.stringify(value, null, 2));
}
