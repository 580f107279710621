/**
 * Whether a REST request could have come from a web page on another site without the page's
 * reaching us first. A browser sends a urlencoded form POST cross-site with no CORS preflight (a
 * "simple" request), so on an open server any page a visitor opens could spend on its behalf;
 * GraphQL has its CSRF check (`useCSRFPrevention`), REST has this. Refused when:
 * - neither `X-API-Key` nor `Authorization` is sent: a page cannot add either without a
 *   preflight, and the contract's clients always send `X-API-Key`;
 * - the browser says the request is `Sec-Fetch-Site: cross-site` and its `Origin` is not one of
 *   `CORS_ORIGINS` (unset: no origin is), so a preflight passed for any origin buys nothing.
 * Headers only: nothing is read before the answer.
 */
export function isCrossSiteRequest(headers: Headers, corsOrigins: readonly string[] | undefined): boolean {
  // An empty header is no credential (and some clients drop it on the way).
  if (!headers.get('x-api-key') && !headers.get('authorization')) return true;
  if (headers.get('sec-fetch-site')?.toLowerCase() !== 'cross-site') return false;
  const origin = headers.get('origin');
  return origin === null || !(corsOrigins ?? []).includes(origin);
}
