// The bearer token: kept in sessionStorage only (this tab, until it closes; never localStorage,
// never a cookie, never a URL), and read for display. The page decodes the token's claims to know
// whom to greet and whether to offer actions; it verifies nothing: the server decides every request.

const KEY = 'jobstate.board.token';

export function storedToken() {
  return sessionStorage.getItem(KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

/**
 * The claims the board shows, or null when `token` is not a JWT (three base64url parts whose middle
 * one is a JSON object): {name, roles, expiresAt}.
 */
export function claimsOf(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    if (claims === null || typeof claims !== 'object') return null;
    return {
      name: claims.upn ?? claims.preferred_username ?? claims.sub ?? 'unknown',
      roles: Array.isArray(claims.groups) ? claims.groups.map(String) : [],
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}
