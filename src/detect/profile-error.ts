// The error a bad device profile is refused with: names the field and the reason.

export class ProfileError extends Error {
  readonly field: string;
  constructor(field: string, reason: string, sourceName?: string) {
    super(`${sourceName ? `${sourceName}: ` : ''}profile field "${field}": ${reason}`);
    this.name = 'ProfileError';
    this.field = field;
  }
}
