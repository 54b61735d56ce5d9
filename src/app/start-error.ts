/** A start-up problem the user can fix (bad flag, bad profile, unwritable folder): printed without a stack. */
export class StartError extends Error {}
