// How statuses, times and durations read on the board. A status is always its name plus a symbol, so
// colour (set by CSS from data-status) is never the only signal.

export const STATUSES = ['PENDING', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];

const SYMBOLS = {
  PENDING: '○', QUEUED: '◔', RUNNING: '▶', COMPLETED: '✔', FAILED: '✖', CANCELLED: '⊘',
};

/** <span class="status" data-status="RUNNING"><span aria-hidden="true">▶</span> RUNNING</span> */
export function statusBadge(status) {
  const badge = document.createElement('span');
  badge.className = 'status';
  badge.dataset.status = status;
  const symbol = document.createElement('span');
  symbol.setAttribute('aria-hidden', 'true');
  symbol.textContent = SYMBOLS[status] ?? '?';
  badge.append(symbol, ' ', status);
  return badge;
}

const CLOCK = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const DAY = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** <time datetime="…">14:03:12</time>, with the date too when it is not today; '–' for null. */
export function time(iso) {
  if (!iso) return '–';
  const at = new Date(iso);
  const element = document.createElement('time');
  element.dateTime = iso;
  element.title = iso;
  const today = new Date().toDateString() === at.toDateString();
  element.textContent = today ? CLOCK.format(at) : `${DAY.format(at)} ${CLOCK.format(at)}`;
  return element;
}

/** "12 s", "3 min 5 s", "2 h 1 min": whole seconds, for lease countdowns. */
export function duration(milliseconds) {
  const seconds = Math.max(0, Math.round(Math.abs(milliseconds) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "expires in 12 s" or "expired 3 s ago". The server's clock decides; this one only counts. */
export function leaseText(expiresAt, now = Date.now()) {
  const left = new Date(expiresAt).getTime() - now;
  return left >= 0 ? `expires in ${duration(left)}` : `expired ${duration(left)} ago`;
}

/** The first 8 characters of a UUID: enough to tell rows apart, the full id is in the link's title. */
export function shortId(id) {
  return id.slice(0, 8);
}

/** An RFC 3339 UTC time as text that sorts like the time ("…30.1Z" and "…30.12Z" differ in length). */
export function instantKey(iso) {
  const [, seconds, fraction = ''] = /^(.*?)(?:\.(\d+))?Z$/.exec(iso) ?? [null, iso];
  return `${seconds}.${fraction.padEnd(9, '0')}`;
}
