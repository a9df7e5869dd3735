/** Workflow commands (`::error ...::msg`) and file commands (GITHUB_OUTPUT, GITHUB_ENV) as the runner reads them. */

/** An annotation created by `::error`, `::warning` or `::notice` (or by the runner itself on a failure). */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
  title?: string;
}

/** A parsed `::name key=value,...::data` line. */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}

/** Reverses GitHub's escaping of command data: `%0D`, `%0A`, then `%25`. */
function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/gi, '%');
}

/** Reverses GitHub's escaping of command properties: `%0D`, `%0A`, `%3A`, `%2C`, then `%25`. */
function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/gi, '%');
}

/** Parses one output line as a workflow command, or returns undefined when it is not one. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const text = line.replace(/\r$/, '').trimStart();
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const head = text.slice(2, end);
  const data = unescapeData(text.slice(end + 2));
  const space = head.indexOf(' ');
  const name = (space < 0 ? head : head.slice(0, space)).trim();
  if (!name) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq).trim();
      if (key) properties[key] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { name, properties, data };
}

function intProp(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*\d+\s*$/.test(v)) return undefined;
  return Number(v);
}

/** Turns an `error`/`warning`/`notice` command into an annotation (other commands: undefined). */
export function commandToAnnotation(cmd: WorkflowCommand): Annotation | undefined {
  if (cmd.name !== 'error' && cmd.name !== 'warning' && cmd.name !== 'notice') return undefined;
  const p = cmd.properties;
  const a: Annotation = { level: cmd.name, message: cmd.data };
  if (p.file !== undefined) a.file = p.file;
  const line = intProp(p.line);
  if (line !== undefined) a.line = line;
  const col = intProp(p.col);
  if (col !== undefined) a.col = col;
  const endLine = intProp(p.endLine);
  if (endLine !== undefined) a.endLine = endLine;
  const endColumn = intProp(p.endColumn);
  if (endColumn !== undefined) a.endColumn = endColumn;
  if (p.title !== undefined) a.title = p.title;
  return a;
}

/** Raised for a malformed GITHUB_OUTPUT / GITHUB_ENV file, with the runner's wording. */
export class FileCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileCommandError';
  }
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file: `name=value` lines and
 * `name<<DELIMITER` heredocs, in order (a later value of a name replaces an earlier one).
 */
export function parseKeyValueFile(text: string): [string, string][] {
  const result: [string, string][] = [];
  if (text === '') return result;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (name === '') throw new FileCommandError(`Invalid format '${line}'. Name must not be empty`);
      result.push([name, line.slice(eq + 1)]);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '') throw new FileCommandError(`Invalid format '${line}'. Name must not be empty`);
      if (delimiter === '') throw new FileCommandError(`Invalid format '${line}'. Delimiter must not be empty`);
      const value: string[] = [];
      let found = false;
      for (i += 1; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          found = true;
          break;
        }
        value.push(lines[i] as string);
      }
      if (!found) throw new FileCommandError(`Invalid value. Matching delimiter not found '${delimiter}'`);
      result.push([name, value.join('\n')]);
    } else {
      throw new FileCommandError(`Invalid format '${line}'`);
    }
  }
  return result;
}

/** Replaces every registered secret with `***` (longest first, so overlapping secrets mask fully). */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of list) out = out.split(s).join('***');
  return out;
}
