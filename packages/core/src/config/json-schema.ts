import * as z from 'zod/mini';
import { configSchema } from './schema.ts';

/**
 * The JSON Schema (draft 2020-12) of `.github/userloop.yml`, generated from the zod schemas, for
 * editor completion. Describes the input side: keys with defaults are optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
  return {
    $schema: schema.$schema,
    title: 'userloop configuration (.github/userloop.yml)',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}

/** The JSON Schema as the committed file's text (2-space indent, trailing newline). */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
