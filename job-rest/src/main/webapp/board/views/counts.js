// The count per status, as buttons that filter the list. Counts are read again shortly after events
// arrive (coalesced: a burst costs one read) and every few seconds, because creations make no event.

import { h, replaceChildren } from '../dom.js';
import { STATUSES, statusBadge } from '../format.js';

const SETTLE_MS = 150;
const EVERY_MS = 2_000; // one sub-millisecond read (docs/design.md, "Status counts"): cheap enough to notice new jobs quickly

export class CountsView {
  #api;
  #element;
  #onFilter;
  #onTotalChanged;
  #timer = null;
  #periodic = null;
  #total = null;

  /** onFilter(status) when a count is chosen; onTotalChanged() when jobs were created or removed. */
  constructor(api, element, { onFilter, onTotalChanged }) {
    this.#api = api;
    this.#element = element;
    this.#onFilter = onFilter;
    this.#onTotalChanged = onTotalChanged;
  }

  /** Reads the counts now; resolves to them (the board starts following the feed at their lastSeq). */
  async load() {
    const counts = await this.#api.counts();
    this.#render(counts);
    if (this.#total !== null && counts.total !== this.#total) this.#onTotalChanged();
    this.#total = counts.total;
    return counts;
  }

  /** Something changed: read again once things settle. */
  changed() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.load().catch(() => {}), SETTLE_MS);
  }

  /** Reads every few seconds while `on` (new jobs make no event); paused boards read nothing. */
  periodic(on) {
    clearInterval(this.#periodic);
    this.#periodic = on ? setInterval(() => this.load().catch(() => {}), EVERY_MS) : null;
  }

  #render(counts) {
    replaceChildren(this.#element, STATUSES.map((status) => h('li', {},
      h('button', {
        type: 'button',
        class: 'count',
        'data-status': status,
        onclick: () => this.#onFilter(status),
      }, statusBadge(status), ' ', h('span', { class: 'number' }, counts.counts[status].toLocaleString()),
      h('span', { class: 'visually-hidden' }, ': show only these')))),
    h('li', { class: 'total' }, `${counts.total.toLocaleString()} jobs in all`));
  }
}
