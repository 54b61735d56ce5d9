// API errors: `{"error":{"message"}}` with a status code that says whose fault it is.
import type { Response } from 'express';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { message } });
}
