// The board's wiring: sign-in, the views, the feed, and the route (#/ the overview, #/jobs/<id> a
// job). Routes live in the fragment so that the page works under any path it is served from.

import { Api, ApiError } from './api.js';
import { byId, replaceChildren } from './dom.js';
import { FeedFollower } from './feed.js';
import { JobRefresher } from './refresher.js';
import { claimsOf, forgetToken, storedToken, storeToken } from './token.js';
import { CountsView } from './views/counts.js';
import { JobDetail } from './views/job-detail.js';
import { JobsList } from './views/jobs-list.js';

const STATES = {
  idle: 'Not connected',
  connecting: 'Connecting to the event feed…',
  live: '● Live: following the event feed',
  reconnecting: '◌ Reconnecting: will catch up from the last event shown',
  stopped: '❚❚ Paused: not following the event feed',
  refused: '✖ The event feed refused the token',
};

/** One signed-in board: its views, its feed and its timers. stop() ends them all. */
class Board {
  #api;
  #claims;
  #refresher;
  #counts;
  #list;
  #detail;
  #feed;
  #ticker = null;
  #paused = false;
  #route = () => this.#show(location.hash);

  constructor(token, claims) {
    this.#claims = claims;
    this.#api = new Api(token);
    this.#api.onUnauthorized = () => expired();
    this.#refresher = new JobRefresher(this.#api);
    this.#list = new JobsList(this.#api, this.#refresher, { body: byId('job-rows'), more: byId('more') });
    this.#counts = new CountsView(this.#api, byId('counts'), {
      onFilter: (status) => this.#filter({ status, type: byId('filter-type').value }),
      onTotalChanged: () => this.#list.refreshFirstPage().catch(() => {}),
    });
    this.#detail = new JobDetail(this.#api, this.#refresher, {
      section: byId('detail'), title: byId('detail-title'), fields: byId('detail-fields'),
      actions: byId('actions'), timeline: byId('timeline'), earlier: byId('timeline-earlier'), events: byId('job-events'),
    }, claims.roles.includes('coordinator'));
    this.#feed = new FeedFollower(this.#api, {
      state: (state) => showState(state),
      event: (event) => {
        this.#counts.changed();
        this.#list.applyEvent(event);
        this.#detail.applyEvent(event);
      },
      resync: () => this.#reload(),
    });
  }

  async start() {
    const role = this.#claims.roles.includes('coordinator') ? 'coordinator'
      : this.#claims.roles.includes('viewer') ? 'viewer: read-only' : 'no role';
    replaceChildren(byId('who'), `Signed in as ${this.#claims.name} (${role})`);
    byId('session').hidden = false;
    byId('pause').onclick = () => this.#togglePause();
    byId('filters').onsubmit = (e) => {
      e.preventDefault();
      this.#filter({ status: byId('filter-status').value, type: byId('filter-type').value });
    };
    window.addEventListener('hashchange', this.#route);
    this.#show(location.hash);
    this.#feed.start(await this.#reload());
    this.#counts.periodic(true);
    this.#ticker = setInterval(() => {
      this.#list.tick();
      this.#detail.tick(!this.#paused);
    }, 1000);
  }

  stop() {
    this.#feed.stop();
    this.#counts.periodic(false);
    clearInterval(this.#ticker);
    window.removeEventListener('hashchange', this.#route);
    byId('session').hidden = true;
    byId('overview').hidden = true;
    byId('detail').hidden = true;
    byId('paused-banner').hidden = true;
  }

  /**
   * Reads everything shown again. The counts come first: their lastSeq is where the feed is followed
   * from, and everything read after them already reflects every event up to it.
   */
  async #reload() {
    const counts = await this.#counts.load();
    await this.#list.load();
    if (this.#detail.jobId) await this.#detail.show(this.#detail.jobId).catch(() => {});
    return counts.lastSeq;
  }

  #filter(filters) {
    byId('filter-status').value = filters.status;
    location.hash = '#/';
    this.#list.load(filters).catch((error) => showState('idle', error));
  }

  #togglePause() {
    this.#paused = !this.#paused;
    const button = byId('pause');
    button.setAttribute('aria-pressed', String(this.#paused));
    replaceChildren(button, this.#paused ? 'Resume live updates' : 'Pause live updates');
    const banner = byId('paused-banner');
    banner.hidden = !this.#paused;
    if (this.#paused) {
      replaceChildren(banner, `Paused at ${new Date().toLocaleTimeString()}: the board shows jobs as they were then.`
        + ' Actions are still checked against the job as it is now.');
      this.#feed.stop();
      this.#counts.periodic(false);
    } else {
      this.#feed.start(this.#feed.lastSeq); // catches up from the last event shown
      this.#counts.periodic(true);
      this.#counts.changed();
    }
  }

  #show(hash) {
    const match = /^#\/jobs\/([0-9a-fA-F-]{36})$/.exec(hash);
    byId('overview').hidden = Boolean(match);
    byId('detail').hidden = !match;
    replaceChildren(byId('detail-error'));
    if (!match) {
      this.#detail.hide();
      return;
    }
    this.#detail.show(match[1]).catch((error) => {
      replaceChildren(byId('detail-error'), error instanceof ApiError && error.status === 404
        ? 'No job has this id.' : `The job could not be read: ${error.message}`);
    });
    byId('detail-title').focus();
  }
}

let board = null;

function showState(state, detail) {
  const element = byId('connection');
  element.dataset.state = state;
  replaceChildren(element, detail?.message && state === 'idle' ? `${STATES.idle}: ${detail.message}` : STATES[state]);
}

function signIn(message = '') {
  board?.stop();
  board = null;
  showState('idle');
  byId('sign-in').hidden = false;
  replaceChildren(byId('sign-in-error'), message);
  byId('token').focus();
}

function expired() {
  forgetToken();
  signIn('The server no longer accepts your token (has it expired?). Sign in again.');
}

async function open(token) {
  const claims = claimsOf(token);
  if (!claims) {
    forgetToken();
    signIn('That is not a bearer token (a JWT has three parts separated by dots).');
    return;
  }
  byId('sign-in').hidden = true;
  board = new Board(token, claims);
  try {
    await board.start();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return; // expired() took over
    showState('idle', error);
  }
}

byId('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = byId('token');
  const token = input.value.trim();
  if (!claimsOf(token)) {
    replaceChildren(byId('sign-in-error'), 'That is not a bearer token (a JWT has three parts separated by dots).');
    return;
  }
  try {
    await new Api(token).counts(); // the server decides, not the page
  } catch (error) {
    replaceChildren(byId('sign-in-error'), error instanceof ApiError && error.status === 401
      ? 'The server refused this token: it has expired, or another issuer signed it.'
      : error instanceof ApiError && error.status === 403
        ? 'This token has neither the viewer nor the coordinator role.'
        : `The service did not answer (${error.message}). Try again.`);
    return;
  }
  input.value = '';
  storeToken(token);
  open(token);
});

byId('sign-out').addEventListener('click', () => {
  forgetToken();
  signIn();
});

const token = storedToken();
if (token) open(token); else signIn();
