export { type MainOptions, main } from './main.js';
export { runAsProcess } from './process.js';
