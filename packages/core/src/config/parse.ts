import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, YAMLMap } from 'yaml';
import type { z } from 'zod/mini';
import { configSchema, sections } from './schema.ts';
import type { UserloopConfig } from './schema.ts';
import { placeholderIn, placeholderWarning } from './placeholders.ts';
import { closestMatch } from './suggest.ts';
import { numberBounds, plainWords } from './words.ts';

/** Default location of the configuration file, relative to the repository root. */
export const DEFAULT_CONFIG_PATH = '.github/userloop.yml';

/** Largest configuration file accepted, in bytes (1 MiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Most YAML aliases resolved while reading the file (guards against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Most errors (and, separately, warnings) listed for one file: the first ones in line order. The rest are
 * counted in {@link ConfigResult.omittedErrors} and one closing issue says how many, so a file of 100,000
 * unknown keys gives 51 annotations, not 100,000.
 */
export const MAX_REPORTED_ISSUES = 50;

/**
 * The message for a configuration file over the size limit: `too large (N bytes; the limit is M bytes)`.
 *
 * @param bytes - the file's size, as far as it is known
 * @param limit - the limit that applies (default {@link MAX_CONFIG_BYTES})
 */
export function configTooLargeMessage(bytes: number, limit: number = MAX_CONFIG_BYTES): string {
  return `the file is too large (${bytes} bytes; the limit is ${limit} bytes)`;
}

/** One problem found in the configuration file, located precisely enough to annotate. */
export interface ConfigIssue {
  /** The file, relative to the repository root (`.github/userloop.yml`). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Dotted key path (`prioritize.labels`, `areas[0].owners[1]`); empty for the whole file. */
  key: string;
  /** What is wrong, in words a user can act on. */
  message: string;
  /** The closest valid key or value, when the problem looks like a typo. */
  suggestion?: string;
}

interface ConfigReport {
  /** Problems that do not stop the run. */
  warnings: ConfigIssue[];
  /** Where the text came from: a workspace file, the API, or nothing (defaults). */
  source?: 'workspace' | 'api' | 'default';
}

/** A configuration that can be used: every default where the file says nothing, or no file at all. */
export interface ValidConfigResult extends ConfigReport {
  config: UserloopConfig;
  errors: [];
}

/** A configuration that cannot be used: no config to use by mistake, only what is wrong. */
export interface InvalidConfigResult extends ConfigReport {
  config: null;
  /** Problems that make the configuration unusable (at least one). */
  errors: ConfigIssue[];
  /** Errors found beyond the {@link MAX_REPORTED_ISSUES} listed (absent when all are listed). */
  omittedErrors?: number;
}

/** The outcome of reading a configuration file; user mistakes are reported, never thrown. */
export type ConfigResult = ValidConfigResult | InvalidConfigResult;

type PathKey = string | number;

/** The configuration with nothing set: every section at its default. */
export function defaultConfig(): UserloopConfig {
  return configSchema.parse({});
}

/** Renders a path as `prioritize.labels` / `areas[0].owners[1]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Formats an issue as `file:line:column: message` for logs and thrown errors (the message names the key). */
export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/**
 * Parses and validates the text of `.github/userloop.yml`.
 *
 * Never throws for a user mistake: YAML syntax errors, a non-mapping top level, an alias bomb,
 * a file over 1 MiB, unknown keys (with the closest valid key suggested) and invalid values all
 * come back in `errors`, each with file, line, column and dotted key path. An empty file means
 * every default.
 *
 * @param text - the file's contents
 * @param file - the path used in messages and annotations (default `.github/userloop.yml`)
 */
export function parseConfig(text: string, file: string = DEFAULT_CONFIG_PATH): ConfigResult {
  const errors: Pending[] = [];
  const warnings: Pending[] = [];
  const at = (line: number, column: number, key: string, message: string, suggestion?: string): ConfigIssue =>
    suggestion === undefined ? { file, line, column, key, message } : { file, line, column, key, message, suggestion };
  const now = (issue: ConfigIssue): Pending => ({ line: issue.line, column: issue.column, build: () => issue });
  const finish = (config?: UserloopConfig): ConfigResult => {
    const listed = capIssues(errors, file, 'error');
    const warned = capIssues(warnings, file, 'warning').issues;
    if (listed.issues.length === 0) return { config: config ?? defaultConfig(), warnings: warned, errors: [] };
    return { config: null, warnings: warned, errors: listed.issues, ...(listed.omitted > 0 ? { omittedErrors: listed.omitted } : {}) };
  };

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    errors.push(now(at(1, 1, '', configTooLargeMessage(bytes))));
    return finish();
  }

  const lineCounter = new LineCounter();
  // Keys are checked for uniqueness below, in one pass: the parser's own check compares each key with every
  // earlier one of its mapping, which takes minutes on a file of 100,000 keys.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const position = (offset: number | undefined): { line: number; column: number } => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  for (const problem of doc.errors) {
    const pos = problem.linePos?.[0] ?? position(problem.pos[0]);
    const line = 'line' in pos ? pos.line : 1;
    const column = 'col' in pos ? pos.col : 'column' in pos ? pos.column : 1;
    errors.push(now(at(line, column, '', `YAML syntax error: ${firstLine(problem.message)}`)));
  }
  for (const problem of doc.warnings) {
    const pos = problem.linePos?.[0];
    warnings.push(now(at(pos?.line ?? 1, pos?.col ?? 1, '', `YAML: ${firstLine(problem.message)}`)));
  }
  if (errors.length === 0) {
    for (const offset of duplicateKeys(doc)) {
      const pos = position(offset);
      errors.push(now(at(pos.line, pos.column, '', 'YAML syntax error: Map keys must be unique')));
    }
  }
  if (errors.length > 0) return finish();

  // An empty file, or one holding only comments, means "all defaults".
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return finish();
  }
  if (!isMap(doc.contents)) {
    const pos = position(doc.contents.range?.[0]);
    errors.push(now(at(pos.line, pos.column, '', 'the top level must be a mapping of sections (for example `prioritize:`)')));
    return finish();
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const reason = error instanceof ReferenceError && /alias/i.test(error.message)
      ? `too many YAML aliases (more than ${MAX_ALIAS_COUNT}); this looks like an alias bomb`
      : `could not read the YAML: ${error instanceof Error ? error.message : String(error)}`;
    errors.push(now(at(1, 1, '', reason)));
    return finish();
  }

  // `prioritize:` with every key commented out is YAML null: treat the section as absent.
  const record = { ...(data as Record<string, unknown>) };
  for (const key of Object.keys(record)) if (record[key] === null && key in sections) delete record[key];

  warnings.push(...placeholderWarnings(doc, position, at).map(now));
  const result = configSchema.safeParse(record);
  if (!result.success) {
    const keyIndex = new KeyIndex();
    // One message per key: `2.5` for a whole number from 0 to 1 is not a whole number and too large, said once.
    const worded = new Set<string>();
    for (const issue of result.error.issues) {
      if (issue.code !== 'unrecognized_keys') {
        const key = formatKeyPath(issue.path);
        if (worded.has(key)) continue;
        worded.add(key);
      }
      errors.push(...describeIssue(issue, doc, record, position, at, keyIndex));
    }
    return finish();
  }
  warnings.push(...semanticWarnings(result.data, doc, position, at).map(now));
  return finish(result.data);
}

/** An issue located but not yet worded: only the ones reported are worded (a suggestion costs a search). */
interface Pending {
  line: number;
  column: number;
  build: () => ConfigIssue;
}

/**
 * The first {@link MAX_REPORTED_ISSUES} issues in line order, worded, then (when there are more) one issue
 * saying how many more there are, at the line of the first one left out.
 */
function capIssues(pending: Pending[], file: string, what: 'error' | 'warning'): { issues: ConfigIssue[]; omitted: number } {
  const sorted = pending.map((p, index) => ({ p, index })).sort((a, b) => a.p.line - b.p.line || a.p.column - b.p.column || a.index - b.index);
  const issues = sorted.slice(0, MAX_REPORTED_ISSUES).map(({ p }) => p.build());
  const omitted = sorted.length - issues.length;
  if (omitted > 0) {
    const next = sorted[MAX_REPORTED_ISSUES]!.p;
    issues.push({
      file,
      line: next.line,
      column: next.column,
      key: '',
      message: `${omitted} more ${what}${omitted === 1 ? '' : 's'} not listed (only the first ${MAX_REPORTED_ISSUES} in line order are); fix these and check again`,
    });
  }
  return { issues, omitted };
}

/** The start offsets of keys that repeat an earlier key of the same mapping, in one pass over the document. */
function duplicateKeys(doc: Document): number[] {
  const repeated: number[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue;
        const key = `${typeof item.key.value}:${String(item.key.value)}`;
        if (seen.has(key)) repeated.push(item.key.range?.[0] ?? 0);
        else seen.add(key);
      }
    },
  });
  return repeated;
}

/** Each mapping's pairs by key, built once per mapping, so locating N keys takes N lookups. */
class KeyIndex {
  private readonly maps = new Map<YAMLMap, Map<string, { key: unknown; value: unknown }>>();

  private pairs(map: YAMLMap): Map<string, { key: unknown; value: unknown }> {
    let index = this.maps.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        if (isPair(item) && isScalar(item.key) && !index.has(String(item.key.value))) index.set(String(item.key.value), item);
      }
      this.maps.set(map, index);
    }
    return index;
  }

  /** The start offset of `key` in `map`, if it is a scalar key there. */
  offsetOf(map: YAMLMap, key: string): number | undefined {
    const pair = this.pairs(map).get(key);
    return pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
  }

  /** The value node of `key` in `map`. */
  valueOf(map: YAMLMap, key: string): unknown {
    return this.pairs(map).get(key)?.value;
  }
}

type At = (line: number, column: number, key: string, message: string, suggestion?: string) => ConfigIssue;
type Position = (offset: number | undefined) => { line: number; column: number };

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** The YAML node at `path`, or the closest ancestor that exists (mapping keys found through `keyIndex`). */
function nodeAt(doc: Document, path: readonly PathKey[], keyIndex: KeyIndex = new KeyIndex()): YamlNode | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = node && typeof node === 'object' && 'range' in node ? (node as YamlNode) : undefined;
  for (const part of path) {
    if (isMap(node)) node = keyIndex.valueOf(node as YAMLMap, String(part));
    else if (isSeq(node) && typeof part === 'number') node = node.items[part];
    else break;
    if (!node || typeof node !== 'object' || !('range' in node)) break;
    found = node as YamlNode;
  }
  return found;
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PathKey, unknown>)[part];
  }
  return current;
}

/** Walks the zod schema to `path` (list indexes and record keys included), past defaults and optionals. */
function schemaAt(path: readonly PathKey[]): unknown {
  let schema: unknown = configSchema;
  const unwrap = (s: unknown): unknown => {
    let current = s;
    for (let i = 0; i < 20; i++) {
      const def = (current as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
      if (!def) return current;
      if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(String(def.type))) {
        current = def.innerType;
      } else if (def.type === 'pipe') {
        current = def.in;
      } else {
        return current;
      }
    }
    return current;
  };
  for (const part of path) {
    const def = (unwrap(schema) as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[String(part)];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return undefined;
  }
  return unwrap(schema);
}

/** The keys of the object at `path` of the schema (for suggestions). */
function knownKeysAt(path: readonly PathKey[]): string[] {
  const def = (schemaAt(path) as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : [];
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: Document,
  data: unknown,
  position: Position,
  at: At,
  keyIndex: KeyIndex,
): Pending[] {
  const path = issue.path.filter((p): p is PathKey => typeof p === 'string' || typeof p === 'number');
  const where = path.length === 0 ? 'at the top level' : `in ${formatKeyPath(path)}`;

  if (issue.code === 'unrecognized_keys') {
    const container = nodeAt(doc, path, keyIndex);
    let known: string[] | undefined;
    return issue.keys.map((unknownKey): Pending => {
      let offset = container?.range?.[0];
      if (container && isMap(container)) offset = keyIndex.offsetOf(container as YAMLMap, unknownKey) ?? offset;
      const pos = position(offset);
      return {
        ...pos,
        build: () => {
          known ??= knownKeysAt(path);
          const suggestion = closestMatch(unknownKey, known);
          const hint = suggestion === undefined
            ? known.length > 0 ? `; valid keys: ${known.join(', ')}` : ''
            : `; did you mean '${suggestion}'?`;
          return at(pos.line, pos.column, formatKeyPath([...path, unknownKey]), `unknown key '${quoted(unknownKey)}' ${where}${hint}`, suggestion);
        },
      };
    });
  }

  const node = nodeAt(doc, path, keyIndex);
  const pos = position(node?.range?.[0]);
  return [{ ...pos, build: () => wordIssue(issue, path, data, pos, at) }];
}

/** The words of one issue that is not an unknown key (see {@link describeIssue}). */
function wordIssue(issue: z.core.$ZodIssue, path: readonly PathKey[], data: unknown, pos: { line: number; column: number }, at: At): ConfigIssue {
  const key = formatKeyPath(path);
  const value = valueAt(data, path);
  const last = path[path.length - 1];

  if (issue.code === 'invalid_type' && value === undefined && typeof last === 'string') {
    const parent = formatKeyPath(path.slice(0, -1));
    return at(pos.line, pos.column, key, `missing required key '${last}'${parent ? ` in ${parent}` : ''}`);
  }
  if (issue.code === 'invalid_value' && typeof value === 'string') {
    const options = issue.values.map(String);
    const suggestion = closestMatch(value, options);
    const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
    return at(pos.line, pos.column, key, `invalid value '${quoted(value)}' for ${key}: expected one of ${options.map((o) => `'${o}'`).join(', ')}${hint}`, suggestion);
  }
  // zod's own wording ("Too big: expected number to be <=1", "expected int, received number") said plainly;
  // a message a schema wrote itself is kept.
  if (/^(?:Invalid input|Too small|Too big)\b/.test(issue.message)) {
    const plain = plainWords(issue, key, value, numberBounds(schemaAt(path)));
    if (plain !== undefined) return at(pos.line, pos.column, key, plain);
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  // A refinement (e.g. a template's unknown placeholder) may carry the value to write instead.
  const suggestion = issue.code === 'custom' && typeof issue.params?.suggestion === 'string' ? issue.params.suggestion : undefined;
  return at(pos.line, pos.column, key, key === '' ? message : `${key}: ${message}`, suggestion);
}

/** A key or value as messages quote it: at most 100 characters. */
function quoted(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/** A warning for every string value that is still a placeholder (`@your-login`, see placeholders.ts). */
function placeholderWarnings(doc: Document, position: Position, at: At): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  // A stack, not recursion: a file nested thousands deep is walked without exhausting the call stack.
  const stack: { node: unknown; path: PathKey[] }[] = [{ node: doc.contents, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, path } = next;
    if (isMap(node)) {
      for (const item of node.items) if (isScalar(item.key)) stack.push({ node: item.value, path: [...path, String(item.key.value)] });
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => stack.push({ node: item, path: [...path, index] }));
    } else if (isScalar(node) && typeof node.value === 'string' && placeholderIn(node.value) !== undefined) {
      const pos = position(node.range?.[0]);
      const key = formatKeyPath(path);
      warnings.push(at(pos.line, pos.column, key, placeholderWarning(key, node.value)));
    }
  }
  return warnings;
}

function semanticWarnings(config: UserloopConfig, doc: Document, position: Position, at: At): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  config.areas.forEach((area, index) => {
    if (area.labels.length === 0 && area.paths.length === 0) {
      const pos = position(nodeAt(doc, ['areas', index])?.range?.[0]);
      warnings.push(at(pos.line, pos.column, `areas[${index}]`, `area '${area.name}' has no labels and no paths, so nothing will belong to it`));
    }
  });
  return warnings;
}
