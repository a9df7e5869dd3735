import {
  Kind,
  TypeInfo,
  print,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type ASTNode,
  type GraphQLSchema,
  type DocumentNode,
  type GraphQLError,
  type SelectionSetNode,
} from 'graphql';

/** One entry of a GraphQL response's `errors`, in GitHub's shape. */
export interface GithubGraphqlError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

const TOKEN_NAMES: Record<string, string> = {
  '{': 'LCURLY',
  '}': 'RCURLY',
  '(': 'LPAREN',
  ')': 'RPAREN',
  '[': 'LBRACKET',
  ']': 'RBRACKET',
  ':': 'COLON',
  '=': 'EQUALS',
  '!': 'BANG',
  $: 'VAR_SIGN',
  '...': 'ELLIPSIS',
  '@': 'DIR_SIGN',
  '|': 'PIPE',
  '&': 'AMP',
  Name: 'IDENTIFIER',
  Int: 'INT',
  Float: 'FLOAT',
  String: 'STRING',
  BlockString: 'STRING',
};

/**
 * A graphql-js syntax error rewritten as graphql-ruby (GitHub) reports it:
 * `Parse error on "}" (RCURLY) at [1, 30]`, or `Unexpected end of document`.
 */
export function parseErrorToGithub(error: GraphQLError): GithubGraphqlError {
  const loc = error.locations?.[0];
  const locations = loc ? [{ line: loc.line, column: loc.column }] : [];
  const found = /(?:found|Unexpected) (<EOF>|"([^"]*)"|(Name|Int|Float|String|BlockString) "((?:[^"\\]|\\.)*)")/.exec(error.message);
  if (!found || found[1] === '<EOF>') {
    return { message: 'Unexpected end of document', locations: [] };
  }
  const punct = found[2];
  const kind = found[3];
  const text = punct ?? found[4] ?? '';
  const token = punct !== undefined ? (TOKEN_NAMES[punct] ?? 'UNKNOWN_CHAR') : (TOKEN_NAMES[kind ?? ''] ?? 'IDENTIFIER');
  const at = loc ? ` at [${loc.line}, ${loc.column}]` : '';
  return { message: `Parse error on ${JSON.stringify(text)} (${token})${at}`, locations };
}

/**
 * Static-validation paths the way graphql-ruby builds them: the operation (`query`, `query Name`,
 * `mutation Name`) or `fragment Name` first, then field keys, `... on Type` for inline fragments,
 * and the argument name for argument errors.
 */
export function buildPathIndex(document: DocumentNode): Map<ASTNode, string[]> {
  const index = new Map<ASTNode, string[]>();
  const walk = (set: SelectionSetNode | undefined, path: string[]) => {
    if (!set) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const p = [...path, sel.alias?.value ?? sel.name.value];
        index.set(sel, p);
        for (const arg of sel.arguments ?? []) {
          index.set(arg, [...p, arg.name.value]);
          index.set(arg.value, [...p, arg.name.value]);
        }
        walk(sel.selectionSet, p);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const p = sel.typeCondition ? [...path, `... on ${sel.typeCondition.name.value}`] : [...path, '...'];
        index.set(sel, p);
        walk(sel.selectionSet, p);
      } else {
        index.set(sel, [...path, `... ${sel.name.value}`]);
      }
    }
  };
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) {
      const root = def.name ? `${def.operation} ${def.name.value}` : def.operation;
      index.set(def, [root]);
      for (const v of def.variableDefinitions ?? []) index.set(v, [root]);
      walk(def.selectionSet, [root]);
    } else if (def.kind === Kind.FRAGMENT_DEFINITION) {
      const root = `fragment ${def.name.value}`;
      index.set(def, [root]);
      walk(def.selectionSet, [root]);
    }
  }
  return index;
}

function quoted(message: string): string[] {
  return [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
}

/** Where each argument value node sits: its argument, the field it belongs to, and the argument's schema type. */
export interface ArgumentSite {
  argument: ArgumentNode;
  fieldName: string;
  typeName: string;
}

/** Maps every value node inside an argument (list items and object fields too) to its argument. */
export function buildArgumentIndex(schema: GraphQLSchema, document: DocumentNode): Map<ASTNode, ArgumentSite> {
  const index = new Map<ASTNode, ArgumentSite>();
  const typeInfo = new TypeInfo(schema);
  let field = '';
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: { enter: (node) => void (field = node.name.value) },
      Directive: { enter: (node) => void (field = node.name.value) },
      Argument: {
        enter(node) {
          const type = typeInfo.getArgument()?.type;
          const site: ArgumentSite = { argument: node, fieldName: field, typeName: type ? String(type) : 'unknown' };
          visit(node.value, {
            enter(v) {
              index.set(v, site);
            },
          });
        },
      },
    }),
  );
  return index;
}

/** A graphql-js validation error rewritten with GitHub's message, path and `extensions.code`. */
export function validationErrorToGithub(
  error: GraphQLError,
  paths: Map<ASTNode, string[]>,
  args: Map<ASTNode, ArgumentSite> = new Map(),
): GithubGraphqlError {
  const node = error.nodes?.[0];
  const site = node ? args.get(node) : undefined;
  const path = site ? paths.get(site.argument) : node ? paths.get(node) : undefined;
  const locations = (error.locations ?? []).map((l) => ({ line: l.line, column: l.column }));
  const out = (message: string, extensions?: Record<string, unknown>): GithubGraphqlError => ({
    ...(path ? { path } : {}),
    ...(extensions ? { extensions } : {}),
    locations,
    message,
  });
  const m = error.message;
  const q = quoted(m);
  if (error.extensions.code === 'fieldConflict') {
    // FieldsWillMergeRule already speaks graphql-ruby; GitHub reports these with an empty path.
    return { path: [], extensions: { ...error.extensions }, locations, message: m };
  }
  if (m.startsWith('Cannot query field ')) {
    const [fieldName = '', typeName = ''] = q;
    return out(`Field '${fieldName}' doesn't exist on type '${typeName}'`, { code: 'undefinedField', typeName, fieldName });
  }
  if (m.startsWith('Unknown argument ')) {
    const [argumentName = '', coordinate = ''] = q;
    if (coordinate.startsWith('@')) {
      const name = coordinate.slice(1);
      return out(`Directive '${name}' doesn't accept argument '${argumentName}'`, {
        code: 'argumentNotAccepted', name, typeName: 'Directive', argumentName,
      });
    }
    const name = coordinate.split('.').pop() ?? coordinate;
    return out(`Field '${name}' doesn't accept argument '${argumentName}'`, {
      code: 'argumentNotAccepted', name, typeName: 'Field', argumentName,
    });
  }
  if (/argument ".*" of type ".*" is required, but it was not provided/.test(m)) {
    const [name = '', argName = ''] = q;
    const isDirective = m.startsWith('Directive');
    const clean = name.replace(/^@/, '');
    return out(`${isDirective ? 'Directive' : 'Field'} '${clean}' is missing required arguments: ${argName}`, {
      code: 'missingRequiredArguments', className: isDirective ? 'Directive' : 'Field', name: clean, arguments: argName,
    });
  }
  if (m.startsWith('Unknown type ')) {
    const [typeName = ''] = q;
    return out(`No such type ${typeName}, so it can't be a fragment condition`, { code: 'undefinedType', typeName });
  }
  if (m.includes('must have a selection of subfields')) {
    const [fieldName = '', typeName = ''] = q;
    return out(
      `Field must have selections (field '${fieldName}' returns ${typeName} but has no selections. Did you mean '${fieldName} { ... }'?)`,
      { code: 'selectionMismatch', nodeName: `field '${fieldName}'`, typeName },
    );
  }
  if (m.includes('must not have a selection since type')) {
    const [fieldName = '', typeName = ''] = q;
    return out(`Selections can't be made on scalars (field '${fieldName}' returns ${typeName} but has selections)`, {
      code: 'selectionMismatch', nodeName: `field '${fieldName}'`, typeName,
    });
  }
  if (m.startsWith('Variable "$') && m.includes('is never used')) {
    const [v = ''] = q;
    return out(`Variable ${v} is declared by anonymous query but not used`, { code: 'variableNotUsed', variableName: v.slice(1) });
  }
  if (m.startsWith('Variable "$') && m.includes('is not defined')) {
    const [v = ''] = q;
    return out(`Variable ${v} is used by anonymous query but not declared`, { code: 'variableNotDefined', variableName: v.slice(1) });
  }
  if (m.startsWith('Unknown fragment ')) {
    const [name = ''] = q;
    return out(`Fragment ${name} was used, but not defined`, { code: 'useAndDefineFragment', fragmentName: name });
  }
  if (site) {
    const at = site.argument.loc?.startToken;
    if (at) locations.splice(0, locations.length, { line: at.line, column: at.column });
    return out(
      `Argument '${site.argument.name.value}' on Field '${site.fieldName}' has an invalid value (${print(site.argument.value)}). Expected type '${site.typeName}'.`,
      { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: site.argument.name.value },
    );
  }
  if (/^Fragment ".*" is never used/.test(m)) {
    const [name = ''] = q;
    return out(`Fragment ${name} was defined, but not used`, { code: 'useAndDefineFragment', fragmentName: name });
  }
  return out(m.replace(/"/g, "'"));
}

/** graphql-js variable coercion errors, in GitHub's `Variable $x of type T was provided invalid value` shape. */
export function variableErrorToGithub(
  error: GraphQLError,
  varTypes: Map<string, string>,
  variables: Record<string, unknown> = {},
): GithubGraphqlError {
  const m = error.message;
  const name = /Variable "\$([^"]+)"/.exec(m)?.[1] ?? '';
  const locations = (error.locations ?? []).map((l) => ({ line: l.line, column: l.column }));
  const explanation = m.includes('was not provided')
    ? 'Expected value to not be null'
    : (m.split('; ').slice(1).join('; ') || m).replace(/"/g, "'");
  return {
    extensions: { value: variables[name] ?? null, problems: [{ path: [], explanation }] },
    locations,
    message: `Variable $${name} of type ${varTypes.get(name) ?? 'unknown'} was provided invalid value`,
  };
}
