import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configJsonSchemaText, sections } from '../src/index.ts';

const committed = fileURLToPath(new URL('../userloop.schema.json', import.meta.url));

describe('userloop.schema.json', () => {
  it('is up to date with the zod schemas (run `pnpm --filter @userloop/core gen:schema`)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(configJsonSchemaText());
  });

  it('describes every section, rejects unknown keys, and requires nothing at the top level', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean; required?: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(sections).sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
  });
});
