/**
 * A small evaluator for GitHub Actions expressions (`${{ ... }}`), following the semantics of
 * the Actions runner: case-insensitive context, property and function names, loose equality with
 * number coercion, `&&`/`||` returning an operand, and `null` for a missing property.
 *
 * Anything outside the supported grammar is an {@link ExpressionError}, never an empty string.
 */

/** A value an expression can produce. */
export type ExprValue = null | boolean | number | string | ExprValue[] | { [key: string]: ExprValue };

/** Raised when an expression is malformed, uses unsupported syntax, or fails to evaluate. */
export class ExpressionError extends Error {
  /**
   * `parse`: malformed or unsupported syntax (a bug in the action file);
   * `evaluate`: a well-formed expression failed on its data (bad JSON for fromJSON, bad format string).
   */
  constructor(
    message: string,
    readonly expression: string,
    readonly phase: 'parse' | 'evaluate' = 'parse',
  ) {
    super(`${message} (in expression: ${expression})`);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'eof'; pos: number };

type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
type LogicalOp = '&&' | '||';

/** Parsed expression tree. */
export type Node =
  | { type: 'literal'; value: ExprValue }
  | { type: 'context'; name: string }
  | { type: 'member'; object: Node; property: Node }
  | { type: 'filter'; object: Node }
  | { type: 'not'; operand: Node }
  | { type: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { type: 'logical'; op: LogicalOp; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] };

const binary = (op: BinaryOp, left: Node, right: Node): Node => ({ type: 'binary', op, left, right });
const logical = (op: LogicalOp, left: Node, right: Node): Node => ({ type: 'logical', op, left, right });

const FUNCTIONS: Record<string, { min: number; max: number }> = {
  contains: { min: 2, max: 2 },
  startswith: { min: 2, max: 2 },
  endswith: { min: 2, max: 2 },
  format: { min: 1, max: Number.POSITIVE_INFINITY },
  join: { min: 1, max: 2 },
  tojson: { min: 1, max: 1 },
  fromjson: { min: 1, max: 1 },
  success: { min: 0, max: 0 },
  failure: { min: 0, max: 0 },
  always: { min: 0, max: 0 },
  cancelled: { min: 0, max: 0 },
};

/** Names of the functions that decide on step status (`if:` gets `success() &&` without one). */
const STATUS_FUNCTIONS = new Set(['success', 'failure', 'always', 'cancelled']);

const TWO_CHAR_OPS = ['==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR_OPS = ['(', ')', '[', ']', '.', '!', '<', '>', ',', '*'];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.includes(two)) {
      tokens.push({ kind: 'op', value: two, pos: i });
      i += 2;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length) throw new ExpressionError(`Unterminated string literal at position ${i}`, src);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += src[j];
        j += 1;
      }
      tokens.push({ kind: 'str', value, pos: i });
      i = j + 1;
      continue;
    }
    // A number literal; '.' only starts one when the previous token cannot be dereferenced.
    const prev = tokens[tokens.length - 1];
    const canDeref = prev !== undefined && (prev.kind === 'ident' || (prev.kind === 'op' && (prev.value === ')' || prev.value === ']' || prev.value === '*')));
    if (/[0-9]/.test(ch) || ((ch === '-' || ch === '+' || ch === '.') && /[0-9]/.test(src[i + 1] ?? '') && !canDeref)) {
      const m = /^[+-]?(0x[0-9a-fA-F]+|0o[0-7]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(src.slice(i));
      if (!m) throw new ExpressionError(`Invalid number at position ${i}`, src);
      const text = m[0];
      const value = Number(text);
      if (Number.isNaN(value)) throw new ExpressionError(`Invalid number '${text}'`, src);
      tokens.push({ kind: 'num', value, pos: i });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'ident', value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (ONE_CHAR_OPS.includes(ch)) {
      tokens.push({ kind: 'op', value: ch, pos: i });
      i += 1;
      continue;
    }
    throw new ExpressionError(`Unexpected symbol '${ch}' at position ${i}`, src);
  }
  tokens.push({ kind: 'eof', pos: src.length });
  return tokens;
}

class Parser {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
    private readonly contexts: ReadonlySet<string>,
  ) {}

  parse(): Node {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.error(`Unexpected ${describe(t)} at position ${t.pos}`);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const t = this.peek();
    this.index += 1;
    return t;
  }

  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }

  private expectOp(value: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== value) throw this.error(`Expected '${value}' but found ${describe(t)} at position ${t.pos}`);
  }

  private error(message: string): ExpressionError {
    return new ExpressionError(message, this.src);
  }

  /** The operator of `ops` that comes next, if one does. */
  private nextOp<Op extends string>(ops: readonly Op[]): Op | undefined {
    return ops.find((op) => this.isOp(op));
  }

  /** One precedence level of left-associative operators: `operand (op operand)*`. */
  private parseLevel<Op extends string>(ops: readonly Op[], operand: () => Node, node: (op: Op, left: Node, right: Node) => Node): Node {
    let left = operand();
    for (let op = this.nextOp(ops); op !== undefined; op = this.nextOp(ops)) {
      this.next();
      left = node(op, left, operand());
    }
    return left;
  }

  private parseOr(): Node {
    return this.parseLevel(['||'] as const, () => this.parseAnd(), logical);
  }

  private parseAnd(): Node {
    return this.parseLevel(['&&'] as const, () => this.parseEquality(), logical);
  }

  private parseEquality(): Node {
    return this.parseLevel(['==', '!='] as const, () => this.parseComparison(), binary);
  }

  private parseComparison(): Node {
    return this.parseLevel(['<', '<=', '>', '>='] as const, () => this.parseUnary(), binary);
  }

  private parseUnary(): Node {
    if (this.isOp('!')) {
      this.next();
      return { type: 'not', operand: this.parseUnary() };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        return { type: 'literal', value: t.value };
      case 'str':
        return { type: 'literal', value: t.value };
      case 'op':
        if (t.value === '(') {
          const inner = this.parseOr();
          this.expectOp(')');
          return inner;
        }
        throw this.error(`Unexpected ${describe(t)} at position ${t.pos}`);
      case 'ident': {
        const lower = t.value.toLowerCase();
        if (this.isOp('(')) {
          this.next();
          const args: Node[] = [];
          if (!this.isOp(')')) {
            for (;;) {
              args.push(this.parseOr());
              if (this.isOp(',')) {
                this.next();
                continue;
              }
              break;
            }
          }
          this.expectOp(')');
          const spec = FUNCTIONS[lower];
          if (!spec) throw this.error(`Unrecognized function: '${t.value}' (supported: ${Object.keys(FUNCTIONS).join(', ')})`);
          if (args.length < spec.min || args.length > spec.max) {
            throw this.error(`Function '${t.value}' takes ${spec.min === spec.max ? spec.min : `${spec.min} or more`} argument(s), got ${args.length}`);
          }
          return { type: 'call', name: lower, args };
        }
        if (lower === 'true') return { type: 'literal', value: true };
        if (lower === 'false') return { type: 'literal', value: false };
        if (lower === 'null') return { type: 'literal', value: null };
        if (lower === 'nan') return { type: 'literal', value: Number.NaN };
        if (lower === 'infinity') return { type: 'literal', value: Number.POSITIVE_INFINITY };
        if (!this.contexts.has(lower)) {
          throw this.error(`Unrecognized named-value: '${t.value}' (available: ${[...this.contexts].join(', ')})`);
        }
        return { type: 'context', name: lower };
      }
      case 'eof':
        throw this.error('Unexpected end of expression');
    }
  }

  private parsePostfix(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.kind === 'ident') node = { type: 'member', object: node, property: { type: 'literal', value: t.value } };
        else if (t.kind === 'op' && t.value === '*') node = { type: 'filter', object: node };
        else throw this.error(`Expected a property name after '.' but found ${describe(t)} at position ${t.pos}`);
      } else if (this.isOp('[')) {
        this.next();
        if (this.isOp('*')) {
          this.next();
          this.expectOp(']');
          node = { type: 'filter', object: node };
        } else {
          const property = this.parseOr();
          this.expectOp(']');
          node = { type: 'member', object: node, property };
        }
      } else {
        return node;
      }
    }
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of expression';
  if (t.kind === 'str') return `string '${t.value}'`;
  return `'${String(t.value)}'`;
}

/** Parses one expression (the text between `${{` and `}}`). `contexts` are the allowed named-values. */
export function parseExpression(src: string, contexts: Iterable<string>): Node {
  if (src.trim() === '') throw new ExpressionError('Empty expression', src);
  return new Parser(tokenize(src), src, new Set([...contexts].map((c) => c.toLowerCase()))).parse();
}

/** True when the tree calls one of the status functions (success, failure, always, cancelled). */
function usesStatusFunction(node: Node): boolean {
  switch (node.type) {
    case 'call':
      return STATUS_FUNCTIONS.has(node.name) || node.args.some(usesStatusFunction);
    case 'member':
      return usesStatusFunction(node.object) || usesStatusFunction(node.property);
    case 'filter':
      return usesStatusFunction(node.object);
    case 'not':
      return usesStatusFunction(node.operand);
    case 'binary':
    case 'logical':
      return usesStatusFunction(node.left) || usesStatusFunction(node.right);
    default:
      return false;
  }
}

/** What evaluation can see: the named-values (contexts) and the step status for status functions. */
export interface EvalScope {
  contexts: Record<string, ExprValue>;
  status?: { failed: boolean; cancelled?: boolean };
}

/** Runner truthiness: false, 0, -0, NaN, '' and null are falsy; objects and arrays are truthy. */
export function truthy(v: ExprValue): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  return true;
}

/** Converts a value to a string the way the runner does when interpolating into text. */
function toStr(v: ExprValue): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? 'Array' : 'Object';
}

function numberToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(n, -0)) return '0';
  return String(n);
}

function toNum(v: ExprValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return 0;
    if (/^[+-]?(0x[0-9a-f]+|0o[0-7]+)$/i.test(s)) {
      const neg = s.startsWith('-');
      const n = Number(s.replace(/^[+-]/, ''));
      return neg ? -n : n;
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) || /^[+-]?infinity$/i.test(s)) return Number(s.replace(/infinity/i, 'Infinity'));
    return Number.NaN;
  }
  return Number.NaN;
}

function kind(v: ExprValue): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as 'boolean' | 'number' | 'string' | 'object';
}

/** Loose equality of the runner: same kind compares directly (strings case-insensitively), else numbers. */
function looseEquals(a: ExprValue, b: ExprValue): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === kb) {
    if (ka === 'string') return (a as string).toUpperCase() === (b as string).toUpperCase();
    if (ka === 'number') return (a as number) === (b as number);
    return a === b;
  }
  if (ka === 'array' || ka === 'object' || kb === 'array' || kb === 'object') return false;
  return toNum(a) === toNum(b);
}

function compare(op: '<' | '<=' | '>' | '>=', a: ExprValue, b: ExprValue): boolean {
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toUpperCase();
    y = b.toUpperCase();
  } else {
    x = toNum(a);
    y = toNum(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
  }
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
  }
}

function getProperty(obj: ExprValue, key: ExprValue): ExprValue {
  if (obj === null || typeof obj !== 'object') return null;
  if (Array.isArray(obj)) {
    const n = toNum(key);
    if (!Number.isInteger(n) || n < 0) return null;
    return obj[n] ?? null;
  }
  const name = toStr(key);
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name] ?? null;
  const upper = name.toUpperCase();
  for (const k of Object.keys(obj)) if (k.toUpperCase() === upper) return obj[k] ?? null;
  return null;
}

function format(src: string, fmt: string, args: ExprValue[]): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 1;
        continue;
      }
      const close = fmt.indexOf('}', i);
      const idx = close < 0 ? '' : fmt.slice(i + 1, close);
      if (!/^\d+$/.test(idx)) throw new ExpressionError(`The following format string is invalid: '${fmt}'`, src, 'evaluate');
      const n = Number(idx);
      if (n >= args.length) throw new ExpressionError(`The following format string references more arguments than were supplied: '${fmt}'`, src, 'evaluate');
      out += toStr(args[n] as ExprValue);
      i = close;
    } else if (ch === '}') {
      if (fmt[i + 1] !== '}') throw new ExpressionError(`The following format string is invalid: '${fmt}'`, src, 'evaluate');
      out += '}';
      i += 1;
    } else {
      out += ch;
    }
  }
  return out;
}

function toPlain(v: unknown): ExprValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toPlain);
  if (typeof v === 'object') {
    const out: Record<string, ExprValue> = {};
    for (const [k, val] of Object.entries(v)) out[k] = toPlain(val);
    return out;
  }
  return null;
}

function isProjection(node: Node): boolean {
  return node.type === 'filter' || (node.type === 'member' && isProjection(node.object));
}

/** Evaluates a parsed tree. */
function evaluate(node: Node, scope: EvalScope, src = ''): ExprValue {
  const ev = (n: Node): ExprValue => evaluate(n, scope, src);
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'context': {
      for (const [k, v] of Object.entries(scope.contexts)) if (k.toLowerCase() === node.name) return v;
      throw new ExpressionError(`Unrecognized named-value: '${node.name}'`, src);
    }
    case 'member': {
      const obj = ev(node.object);
      const key = ev(node.property);
      if (!isProjection(node.object)) return getProperty(obj, key);
      // After `.*`, a dereference applies to every element (elements without it are dropped).
      const items = Array.isArray(obj) ? obj : [];
      return items.map((item) => getProperty(item, key)).filter((v) => v !== null);
    }
    case 'filter': {
      const obj = ev(node.object);
      const items = isProjection(node.object) && Array.isArray(obj) ? obj : [obj];
      const out: ExprValue[] = [];
      for (const item of items) {
        if (Array.isArray(item)) out.push(...item);
        else if (item !== null && typeof item === 'object') out.push(...Object.values(item));
      }
      return out;
    }
    case 'not':
      return !truthy(ev(node.operand));
    case 'logical': {
      const left = ev(node.left);
      if (node.op === '&&') return truthy(left) ? ev(node.right) : left;
      return truthy(left) ? left : ev(node.right);
    }
    case 'binary': {
      const left = ev(node.left);
      const right = ev(node.right);
      if (node.op === '==') return looseEquals(left, right);
      if (node.op === '!=') return !looseEquals(left, right);
      return compare(node.op, left, right);
    }
    case 'call': {
      const failed = scope.status?.failed ?? false;
      const cancelled = scope.status?.cancelled ?? false;
      switch (node.name) {
        case 'success':
          return !failed && !cancelled;
        case 'failure':
          return failed;
        case 'always':
          return true;
        case 'cancelled':
          return cancelled;
      }
      const args = node.args.map(ev);
      const [a = null, b = null] = args;
      switch (node.name) {
        case 'contains':
          if (Array.isArray(a)) return a.some((item) => looseEquals(item, b));
          return toStr(a).toUpperCase().includes(toStr(b).toUpperCase());
        case 'startswith':
          return toStr(a).toUpperCase().startsWith(toStr(b).toUpperCase());
        case 'endswith':
          return toStr(a).toUpperCase().endsWith(toStr(b).toUpperCase());
        case 'format':
          return format(src, toStr(a), args.slice(1));
        case 'join': {
          const sep = args.length > 1 ? toStr(b) : ',';
          return Array.isArray(a) ? a.map(toStr).join(sep) : toStr(a);
        }
        case 'tojson':
          return JSON.stringify(a, null, 2);
        case 'fromjson': {
          const text = toStr(a);
          try {
            return toPlain(JSON.parse(text));
          } catch (error) {
            throw new ExpressionError(`Error parsing fromJson: ${(error as Error).message}`, src, 'evaluate');
          }
        }
      }
      throw new ExpressionError(`Unrecognized function: '${node.name}'`, src);
    }
  }
}

/** Converts any JSON-like JavaScript value into an {@link ExprValue} (undefined becomes null). */
export function toExprValue(v: unknown): ExprValue {
  return toPlain(v);
}

/** One piece of a template: literal text or an expression. */
export type Segment = { text: string } | { expr: string; node: Node };

/** Splits text containing `${{ ... }}` into literal text and parsed expressions. */
export function parseTemplate(text: string, contexts: Iterable<string>): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${{', i);
    if (start < 0) {
      segments.push({ text: text.slice(i) });
      break;
    }
    if (start > i) segments.push({ text: text.slice(i, start) });
    const end = findClose(text, start + 3);
    if (end < 0) throw new ExpressionError("Unclosed '${{' (missing '}}')", text);
    const expr = text.slice(start + 3, end);
    segments.push({ expr: expr.trim(), node: parseExpression(expr, contexts) });
    i = end + 2;
  }
  return segments;
}

/** Index of the `}}` that closes an expression starting at `from`, skipping string literals. */
function findClose(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "'") {
        if (text[i + 1] === "'") i += 1;
        else inString = false;
      }
    } else if (ch === "'") {
      inString = true;
    } else if (ch === '}' && text[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

/**
 * Evaluates a template like the runner does for `env:`, `with:`, `run:` and `working-directory`:
 * a value that is exactly one `${{ expr }}` keeps its type; otherwise the pieces are joined as text.
 */
export function evaluateTemplate(text: string, scope: EvalScope): ExprValue {
  const contexts = Object.keys(scope.contexts);
  const segments = parseTemplate(text, contexts);
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only && 'node' in only) return evaluate(only.node, scope, only.expr);
  return segments.map((s) => ('node' in s ? toStr(evaluate(s.node, scope, s.expr)) : s.text)).join('');
}

/** {@link evaluateTemplate} converted to a string. */
export function evaluateString(text: string, scope: EvalScope): string {
  return toStr(evaluateTemplate(text, scope));
}

/**
 * Evaluates a step condition (`if:`). Bare text is an expression; `${{ x }}` alone is unwrapped.
 * Without a status function the condition is `success() && (condition)`, like the runner.
 */
export function evaluateCondition(condition: string | boolean | number | null | undefined, scope: EvalScope): boolean {
  const contexts = Object.keys(scope.contexts);
  const status: EvalScope = { ...scope };
  const successful = !(scope.status?.failed ?? false) && !(scope.status?.cancelled ?? false);
  if (condition === undefined || condition === null || condition === '') return successful;
  if (typeof condition !== 'string') return successful && truthy(condition);
  const trimmed = condition.trim();
  let node: Node;
  let expr = trimmed;
  const segments = trimmed.includes('${{') ? parseTemplate(trimmed, contexts) : undefined;
  if (segments) {
    const only = segments.length === 1 ? segments[0] : undefined;
    if (only && 'node' in only) {
      node = only.node;
      expr = only.expr;
    } else {
      // Mixed text and expressions: a non-empty string, which the runner treats as truthy.
      const value = segments.map((s) => ('node' in s ? toStr(evaluate(s.node, status, s.expr)) : s.text)).join('');
      return successful && truthy(value);
    }
  } else {
    node = parseExpression(trimmed, contexts);
  }
  const value = evaluate(node, status, expr);
  return usesStatusFunction(node) ? truthy(value) : successful && truthy(value);
}
