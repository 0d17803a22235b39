import { hello } from '@tally/logger';
export const x = hello();
