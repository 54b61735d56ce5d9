// The dashboard token: required on every route but the CA downloads and the setup page. Accepted as
// "Authorization: Bearer TOKEN" or as the HttpOnly, SameSite=Strict cookie that opening /?token=TOKEN sets.
import { timingSafeEqual, createHash } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from './http-error.js';

export const TOKEN_COOKIE = 'phonehome_token';

/** Constant-time comparison (hashing first makes the lengths equal). */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function tokenFromRequest(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const cookies = req.headers.cookie ? parseCookies(req.headers.cookie) : {};
  return cookies[TOKEN_COOKIE];
}

/** Express middleware: 401 with a JSON error unless the token matches. */
export function requireToken(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (tokensMatch(tokenFromRequest(req), token)) return next();
    sendError(res, 401, 'a valid dashboard token is required: open the dashboard URL printed at start, or send "Authorization: Bearer TOKEN"');
  };
}

/** /?token=TOKEN: swap the token in the URL for a cookie, then drop it from the address bar. */
export function acceptTokenInUrl(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (given === undefined) return next();
    if (!tokensMatch(given, token)) {
      sendError(res, 401, 'wrong dashboard token');
      return;
    }
    res.cookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/' });
    res.redirect(303, req.path);
  };
}

/**
 * Writes (POST, PUT, DELETE…) only from the dashboard's own pages: a page on another origin that the tester
 * happens to open must not drive the dashboard with the tester's cookie (SameSite=Strict is the first guard).
 */
export function refuseCrossOriginWrites() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      sendError(res, 403, 'cross-origin requests may not change the dashboard');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== req.headers.host) {
        sendError(res, 403, 'cross-origin requests may not change the dashboard');
        return;
      }
    }
    next();
  };
}
