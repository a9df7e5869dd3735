import { readFileSync } from 'node:fs';
import { configReference } from './docs.ts';
const cur = readFileSync('docs/config.md', 'utf8');
console.log('config.md in sync:', cur === configReference() || cur.includes(configReference().trim()));
console.log('has prioritize:', cur.includes('prioritize'));
