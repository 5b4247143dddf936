export * from './programs.js';
export { ManualClock } from './clock.js';
