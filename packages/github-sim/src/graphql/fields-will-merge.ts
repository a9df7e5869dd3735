/**
 * GitHub's version of the "overlapping fields can be merged" validation (graphql-ruby's
 * `StaticValidation::FieldsWillMerge`), used instead of graphql-js's stricter
 * `OverlappingFieldsCanBeMergedRule`.
 *
 * What graphql-ruby checks, for two selections with the same response key:
 * - unless their parent types are mutually exclusive (two different object types), they must
 *   select the same field (`Field 'x' has a field conflict: a or b?`) with the same arguments
 *   (`Field 'x' has an argument conflict: {first:"1"} or {last:"1"}?`);
 * - their sub-selections are compared the same way, with mutual exclusivity carried down.
 *
 * What it does not reject (graphql-js does): fields whose return types differ, e.g.
 * `... on Issue { state } ... on PullRequest { state }` (`IssueState` vs `PullRequestState`).
 * graphql-ruby only logs those unless a schema opts in with
 * `allow_legacy_invalid_return_type_conflicts(false)`; GitHub answers such queries (semantic-release's
 * `getRelatedIssues` is one), so the emulator accepts them too.
 */
import {
  GraphQLError,
  Kind,
  TypeNameMetaFieldDef,
  getNamedType,
  isInterfaceType,
  isObjectType,
  print,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

interface CollectedField {
  node: FieldNode;
  /** the type the field is selected on (the innermost fragment's type condition, or the selection set's type) */
  parent: GraphQLNamedType | undefined;
  definition: GraphQLField<unknown, unknown> | undefined;
}

type FieldMap = Map<string, CollectedField[]>;

/** One error per kind and response key within one checked selection set, as graphql-ruby aggregates them. */
interface Conflict {
  kind: 'field' | 'argument';
  responseKey: string;
  nodes: FieldNode[];
  conflicts: string[];
}

function fieldDefinition(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef as GraphQLField<unknown, unknown>;
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name];
  return undefined;
}

/** graphql-ruby's serialisation of a field's arguments: `{name:"<value as GraphQL source>"}`, in source order. */
function serializeArguments(node: FieldNode): string {
  const parts = (node.arguments ?? []).map((a) => `${a.name.value}:${JSON.stringify(print(a.value))}`);
  return `{${parts.join(',')}}`;
}

function sameArguments(a: FieldNode, b: FieldNode): boolean {
  const args1 = a.arguments ?? [];
  const args2 = b.arguments ?? [];
  if (args1.length !== args2.length) return false;
  return args1.every((x) => {
    const y = args2.find((arg) => arg.name.value === x.name.value);
    return y !== undefined && print(x.value) === print(y.value);
  });
}

/** The spec's (and graphql-ruby's) test: two different object types can never both apply. */
function exclusive(p1: GraphQLNamedType | undefined, p2: GraphQLNamedType | undefined): boolean {
  return p1 !== undefined && p2 !== undefined && p1 !== p2 && isObjectType(p1) && isObjectType(p2);
}

/** The validation rule; pass it to `validate` in place of `OverlappingFieldsCanBeMergedRule`. */
export function FieldsWillMergeRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  const collected = new Map<SelectionSetNode, Map<GraphQLNamedType | undefined, FieldMap>>();

  /** Every field of a selection set, inline fragments and fragment spreads expanded, grouped by response key. */
  function collect(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): FieldMap {
    let byParent = collected.get(selectionSet);
    const cached = byParent?.get(parent);
    if (cached) return cached;
    const map: FieldMap = new Map();
    const walk = (set: SelectionSetNode, owner: GraphQLNamedType | undefined, seen: Set<string>) => {
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const key = sel.alias?.value ?? sel.name.value;
          const list = map.get(key) ?? [];
          list.push({ node: sel, parent: owner, definition: fieldDefinition(owner, sel.name.value) });
          map.set(key, list);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : owner;
          if (type) walk(sel.selectionSet, type, seen);
        } else {
          const name = sel.name.value;
          if (seen.has(name)) continue;
          const fragment = context.getFragment(name);
          const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
          if (fragment && type) walk(fragment.selectionSet, type, new Set([...seen, name]));
        }
      }
    };
    walk(selectionSet, parent, new Set());
    if (!byParent) {
      byParent = new Map();
      collected.set(selectionSet, byParent);
    }
    byParent.set(parent, map);
    return map;
  }

  function check(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): void {
    const found = new Map<string, Conflict>();
    const add = (kind: Conflict['kind'], responseKey: string, pairs: [FieldNode, string][]) => {
      const id = `${kind}\u0000${responseKey}`;
      let c = found.get(id);
      if (!c) {
        c = { kind, responseKey, nodes: [], conflicts: [] };
        found.set(id, c);
      }
      for (const [node, text] of pairs) {
        if (c.nodes.includes(node)) continue;
        c.nodes.push(node);
        c.conflicts.push(text);
      }
    };

    const compare = (key: string, f1: CollectedField, f2: CollectedField, mutuallyExclusive: boolean, depth: number) => {
      if (!f1.definition || !f2.definition || depth > 64) return;
      const excl = mutuallyExclusive || exclusive(f1.parent, f2.parent);
      if (!excl) {
        if (f1.node.name.value !== f2.node.name.value) {
          add('field', key, [
            [f1.node, f1.node.name.value],
            [f2.node, f2.node.name.value],
          ]);
        }
        if (!sameArguments(f1.node, f2.node)) {
          add('argument', key, [
            [f1.node, serializeArguments(f1.node)],
            [f2.node, serializeArguments(f2.node)],
          ]);
        }
      }
      const s1 = f1.node.selectionSet;
      const s2 = f2.node.selectionSet;
      if (!s1 || !s2) return;
      const sub1 = collect(s1, getNamedType(f1.definition.type));
      const sub2 = collect(s2, getNamedType(f2.definition.type));
      for (const [k, list1] of sub1) {
        const list2 = sub2.get(k);
        if (!list2) continue;
        for (const a of list1) for (const b of list2) compare(k, a, b, excl, depth + 1);
      }
    };

    for (const [key, list] of collect(selectionSet, parent)) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i];
          const b = list[j];
          if (a && b) compare(key, a, b, false, 0);
        }
      }
    }

    for (const c of found.values()) {
      const conflicts = c.conflicts.join(' or ');
      const message =
        c.kind === 'field'
          ? `Field '${c.responseKey}' has a field conflict: ${conflicts}?`
          : `Field '${c.responseKey}' has an argument conflict: ${conflicts}?`;
      context.reportError(
        new GraphQLError(message, { nodes: c.nodes, extensions: { code: 'fieldConflict', fieldName: c.responseKey, conflicts } }),
      );
    }
  }

  return {
    OperationDefinition(node) {
      const root = node.operation === 'mutation' ? schema.getMutationType() : node.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
      check(node.selectionSet, root ?? undefined);
    },
    Field(node) {
      if (!node.selectionSet) return;
      const type = context.getType();
      check(node.selectionSet, type ? getNamedType(type) : undefined);
    },
  };
}
