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
