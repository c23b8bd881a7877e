export { extractLine } from './commands/extract';
export { main } from './main';
