// Writes packages/core/userloop.schema.json from the zod schemas: `pnpm --filter @userloop/core gen:schema`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchemaText } from '../src/config/json-schema.ts';

const target = fileURLToPath(new URL('../userloop.schema.json', import.meta.url));
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${target}`);
