import {
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  valueFromAST,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { GithubGraphqlError } from './errors.ts';

/** GitHub's per-call node limit. */
export const NODE_LIMIT = 500_000;
/** GitHub's largest page (`first`/`last`). */
export const MAX_PAGE = 100;

/** What GitHub's resource-limit analysis says about one operation, before it runs. */
export interface QueryCost {
  /** Requests needed to fulfil every connection: each connection adds the product of the page sizes above it. */
  requests: number;
  /** Rate-limit points: max(1, round(requests / 100)); a mutation costs 1. */
  cost: number;
  /** Nodes the call may return: each connection adds its page size times the page sizes above it. */
  nodeCount: number;
  /** Pagination and node-limit violations, in GitHub's shape; non-empty means GitHub refuses the call. */
  errors: GithubGraphqlError[];
}

/** A connection is a field returning a `...Connection` object type that takes `first`/`last`. */
export function isConnectionField(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  return isObjectType(type) && type.name.endsWith('Connection') && field.args.some((a) => a.name === 'first');
}

function skipped(directives: readonly DirectiveNode[] | undefined, variables: Record<string, unknown>): boolean {
  for (const d of directives ?? []) {
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const value = valueOf(arg.value, variables);
    if (d.name.value === 'skip' && value === true) return true;
    if (d.name.value === 'include' && value === false) return true;
  }
  return false;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.BOOLEAN) return node.value;
  if (node.kind === Kind.NULL) return null;
  return valueFromAST(node, undefined as never);
}

/**
 * GitHub's documented rate-limit arithmetic and node limit for one operation, from its AST:
 * every connection must carry `first` or `last` (1-100) when it selects `nodes` or `edges`;
 * requests = sum over connections of the product of the page sizes of the connections above it;
 * points = max(1, round(requests / 100)) (a mutation costs 1); nodes = sum over connections of
 * the product of page sizes down to and including it, at most 500,000.
 */
export function computeCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): QueryCost {
  let requests = 0;
  let nodeCount = 0;
  const errors: GithubGraphqlError[] = [];
  const locs = (f: FieldNode) => (f.loc ? [{ line: f.loc.startToken.line, column: f.loc.startToken.column }] : []);

  const selectsItems = (set: SelectionSetNode | undefined, seen: Set<string>): boolean => {
    if (!set) return false;
    for (const sel of set.selections) {
      if (skipped(sel.directives, variables)) continue;
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value === 'nodes' || sel.name.value === 'edges') return true;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (selectsItems(sel.selectionSet, seen)) return true;
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        if (selectsItems(fragments[sel.name.value]?.selectionSet, seen)) return true;
      }
    }
    return false;
  };

  const walk = (
    set: SelectionSetNode | undefined,
    parent: GraphQLNamedType,
    multiplier: number,
    path: string[],
    inFragments: Set<string>,
  ): void => {
    if (!set || errors.length > 0) return;
    for (const sel of set.selections) {
      if (errors.length > 0) return;
      if (skipped(sel.directives, variables)) continue;
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? (schema.getType(sel.typeCondition.name.value) ?? parent) : parent;
        walk(sel.selectionSet, type, multiplier, path, inFragments);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        if (!frag || inFragments.has(frag.name.value)) continue;
        const type = schema.getType(frag.typeCondition.name.value) ?? parent;
        walk(frag.selectionSet, type, multiplier, path, new Set([...inFragments, frag.name.value]));
        continue;
      }
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[sel.name.value];
      if (!field) continue;
      const key = sel.alias?.value ?? sel.name.value;
      const here = [...path, key];
      const type = getNamedType(field.type);
      if (!isConnectionField(field)) {
        walk(sel.selectionSet, type, multiplier, here, inFragments);
        continue;
      }
      const arg = (name: string) => {
        const a = sel.arguments?.find((x) => x.name.value === name);
        const v = a ? valueOf(a.value, variables) : undefined;
        return typeof v === 'number' ? v : undefined;
      };
      const first = arg('first');
      const last = arg('last');
      requests += multiplier;
      const items = selectsItems(sel.selectionSet, new Set());
      if (first === undefined && last === undefined) {
        if (items) {
          errors.push({
            type: 'MISSING_PAGINATION_BOUNDARIES',
            path: here,
            locations: locs(sel),
            message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${sel.name.value}\` connection.`,
          });
          return;
        }
        walk(sel.selectionSet, type, 0, here, inFragments);
        continue;
      }
      for (const [name, v] of [['first', first], ['last', last]] as const) {
        if (v === undefined) continue;
        if (v > MAX_PAGE) {
          errors.push({
            type: 'EXCESSIVE_PAGINATION',
            path: here,
            locations: locs(sel),
            message: `Requesting ${v} records on the \`${sel.name.value}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`,
          });
          return;
        }
        if (v < 0) {
          errors.push({
            type: 'INVALID_PAGINATION',
            path: here,
            locations: locs(sel),
            message: `\`${name}\` on the \`${sel.name.value}\` connection cannot be less than zero.`,
          });
          return;
        }
      }
      const size = Math.max(first ?? 0, last ?? 0);
      const below = multiplier * size;
      nodeCount += below;
      if (nodeCount > NODE_LIMIT) {
        errors.push({
          type: 'MAX_NODE_LIMIT_EXCEEDED',
          path: here,
          locations: locs(sel),
          message: `By the time this query traverses to the ${sel.name.value} connection, it is requesting up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${NODE_LIMIT.toLocaleString('en-US')}.`,
        });
        return;
      }
      walk(sel.selectionSet, type, below, here, inFragments);
    }
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (root) walk(operation.selectionSet, root, 1, [], new Set());
  const cost = operation.operation === 'mutation' ? 1 : Math.max(1, Math.round(requests / 100));
  return { requests, cost, nodeCount, errors };
}
