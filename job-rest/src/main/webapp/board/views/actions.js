// What a coordinator may do to one job: cancel it (with a reason) while it can still stop, retry it
// when it failed. Each action is sent with If-Match of the version on screen, so a board that was
// stale changes nothing: the 409/412 answer carries the job as it is now, which the board shows.
// Each action has its own Idempotency-Key, reused if the operator sends it again after no answer.

import { ApiError } from '../api.js';
import { h, replaceChildren } from '../dom.js';

const CAN_CANCEL = new Set(['PENDING', 'QUEUED', 'RUNNING']);

export class JobActions {
  #api;
  #refresher;
  #element;
  #job = null;
  #reason;
  #cancel;
  #retry;
  #finished;
  #outcome;

  constructor(api, refresher, element) {
    this.#api = api;
    this.#refresher = refresher;
    this.#element = element;
    this.#reason = h('input', { id: 'cancel-reason', name: 'reason', maxlength: 1000, autocomplete: 'off' });
    this.#cancel = h('form', { class: 'action', onsubmit: (e) => { e.preventDefault(); this.#send(this.#cancelBody(), 'Cancel'); } },
      h('label', { for: 'cancel-reason' }, 'Reason (optional, recorded in the history)'), this.#reason,
      h('button', { type: 'submit', id: 'cancel-job' }));
    this.#retry = h('form', { class: 'action', onsubmit: (e) => { e.preventDefault(); this.#send({ to: 'QUEUED' }, 'Retry'); } },
      h('button', { type: 'submit', id: 'retry-job' }));
    this.#finished = h('p', {}, 'No actions: the job is finished.');
    this.#outcome = h('div', { id: 'action-outcome', role: 'status' });
    replaceChildren(element, h('h3', { id: 'actions-title' }, 'Actions'), this.#cancel, this.#retry, this.#finished, this.#outcome);
  }

  /** Shows the actions `job` allows as it is on screen; a new job clears the last outcome. */
  render(job) {
    if (this.#job?.id !== job.id) {
      this.#reason.value = '';
      replaceChildren(this.#outcome);
    }
    this.#job = job;
    this.#cancel.hidden = !CAN_CANCEL.has(job.status);
    this.#retry.hidden = job.status !== 'FAILED';
    this.#finished.hidden = job.status !== 'COMPLETED' && job.status !== 'CANCELLED';
    replaceChildren(this.#cancel.querySelector('button'), `Cancel job (version ${job.version})`);
    replaceChildren(this.#retry.querySelector('button'), `Retry: back to QUEUED (version ${job.version})`);
  }

  #cancelBody() {
    const reason = this.#reason.value.trim();
    return reason ? { to: 'CANCELLED', reason } : { to: 'CANCELLED' };
  }

  async #send(body, label, again = null) {
    const action = again ?? { body, label, version: this.#job.version, key: newKey(), id: this.#job.id };
    this.#say('busy', `${label}: sending (If-Match version ${action.version})…`);
    try {
      const job = await this.#api.transition(action.id, action.body, { version: action.version, idempotencyKey: action.key });
      this.#refresher.publish(job);
      this.#say('done', `${label} done: the job is now ${job.status}, version ${job.version}.`);
    } catch (error) {
      this.#refused(action, error);
    }
  }

  #refused(action, error) {
    if (!(error instanceof ApiError)) {
      this.#say('unknown', `${action.label}: no answer from the server, so the outcome is unknown. `,
        h('button', { type: 'button', onclick: () => this.#send(null, action.label, action) },
          'Send again (the same Idempotency-Key: it cannot apply twice)'));
      return;
    }
    const p = error.problem;
    if (error.status === 409 || error.status === 412) {
      const why = error.status === 412 || p.conflictReason === 'STALE_VERSION' || p.conflictReason === 'STALE_STATUS'
        ? `it changed since the board showed version ${action.version}` : readable(p.conflictReason);
      this.#say('conflict', `${action.label} refused, nothing was changed: this job is already ${p.currentStatus}, `
        + `version ${p.currentVersion} (${why}). The board now shows it as it is.`);
      this.#refresher.request(action.id);
    } else if (error.status === 403) {
      this.#say('conflict', `${action.label} refused: your token's roles do not allow it.`);
    } else if (error.status === 503) {
      this.#say('unknown', `${action.label}: the service is busy (${p.unavailableReason ?? 'unavailable'}). `,
        h('button', { type: 'button', onclick: () => this.#send(null, action.label, action) }, 'Send again'));
    } else {
      this.#say('conflict', `${action.label} refused (${error.status}): ${error.message}`);
    }
  }

  #say(kind, ...content) {
    this.#outcome.dataset.kind = kind;
    replaceChildren(this.#outcome, h('p', {}, ...content));
  }
}

function readable(reason) {
  return (reason ?? 'refused').toLowerCase().replace(/_/g, ' ');
}

/** A fresh Idempotency-Key. crypto.randomUUID needs a secure context; a board served over plain http elsewhere has none. */
function newKey() {
  if (crypto.randomUUID) return `board-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `board-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
