export type * from './flow.js';
export type * from './finding.js';
export type * from './profile.js';
export type * from './detection.js';
export type * from './logger.js';
export type * from './api.js';
