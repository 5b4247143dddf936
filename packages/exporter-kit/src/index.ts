export * from './clock.js';
export * from './errors.js';
export * from './flags.js';
export * from './listen-address.js';
export * from './log.js';
