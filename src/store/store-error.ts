// The one error type the store throws: an unusable data folder at open, a catalog it cannot read, or data it
// could not write when asked to flush or close. The message names the path and the reason.
export class StoreError extends Error {
  constructor(
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** "EACCES: permission denied, open '/x'" → a short reason for messages. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
