/**
 * GitHub's webhook description (`@octokit/openapi-webhooks`, api.github.com, OpenAPI 3.1): validating
 * an event payload the way GitHub describes it, so the platform emulation can be held to it.
 *
 * The description (about 2 MB of schemas) is read once per process on first use; one validator is
 * compiled per event/action on first use and cached.
 */
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type JsonObject = Record<string, unknown>;

interface WebhookDescription {
  webhooks: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: JsonObject }> } } }>;
  components: JsonObject;
}

/** One way a payload differs from GitHub's webhook description. */
export interface WebhookPayloadError {
  /** JSON pointer into the payload, e.g. `/issue/user/login` (empty for the root) */
  path: string;
  /** what is wrong, e.g. `must have required property 'sender'` */
  message: string;
}

let description: WebhookDescription | undefined;
let ajvInstance: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): WebhookDescription {
  description ??= createRequire(import.meta.url)('@octokit/openapi-webhooks/generated/api.github.com.json') as WebhookDescription;
  return description;
}

/** An Ajv of its own (the REST contract's components live under another id), holding the webhook components as `wh`. */
function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const a = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  (addFormatsModule as unknown as (x: Ajv) => Ajv)(a);
  // GitHub sends `"homepage": ""` for a repository without one (its recorded payloads show it), where the
  // description says `format: uri`: an empty string is accepted as a URI.
  const uri = a.formats.uri;
  a.addFormat('uri', (s: string) => s === '' || (typeof uri === 'function' ? uri(s) : uri instanceof RegExp ? uri.test(s) : true));
  a.addSchema({ $id: 'wh', components: load().components } as object, undefined, undefined, false);
  ajvInstance = a;
  return a;
}

/**
 * The description's key for an event and action: `issue_comment` + `created` is `issue-comment-created`,
 * `push` (no action) is `push`. Undefined when the description has no such webhook.
 */
function webhookKey(eventName: string, action: string | undefined): string | undefined {
  const hooks = load().webhooks;
  const event = eventName.replace(/_/g, '-');
  if (action !== undefined) {
    const withAction = `${event}-${action.replace(/_/g, '-')}`;
    if (hooks[withAction]) return withAction;
    // repository_dispatch's action is the caller's free-form `event_type`; the description has one sample of it.
    if (eventName === 'repository_dispatch') return 'repository-dispatch-sample.collected';
  }
  return hooks[event] ? event : undefined;
}

function validatorFor(key: string): ValidateFunction {
  const cached = validators.get(key);
  if (cached) return cached;
  const content = load().webhooks[key]?.post?.requestBody?.content ?? {};
  const schema = (content['application/json'] ?? Object.values(content)[0])?.schema;
  if (!schema) throw new Error(`github-sim: the webhook description has no payload schema for ${key}`);
  const ref = typeof schema.$ref === 'string' ? schema.$ref : undefined;
  const v = ajv().compile(ref ? { $ref: `wh${ref}` } : (schema as object));
  validators.set(key, v);
  return v;
}

function describe(e: ErrorObject): WebhookPayloadError {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
      : e.keyword === 'enum'
        ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
        : '';
  return { path: e.instancePath, message: `${e.message ?? e.keyword}${extra}` };
}

/**
 * Validates a webhook payload against GitHub's webhook description (`@octokit/openapi-webhooks`,
 * api.github.com).
 *
 * @param eventName the event as workflows name it (`issues`, `issue_comment`, `pull_request`, `push`, ...)
 * @param action the payload's `action` (`opened`, `created`, ...), or undefined for events without one (`push`)
 * @param payload the payload as the platform would deliver it
 * @returns the problems found, empty when the payload matches. An event/action the description does not
 *   know is one error at path `` naming it. For `repository_dispatch`, whose action is the caller's
 *   `event_type`, the description's one sample schema is used. When `payload.action` differs from `action`,
 *   that is reported too.
 */
export function validateWebhookPayload(eventName: string, action: string | undefined, payload: unknown): WebhookPayloadError[] {
  const key = webhookKey(eventName, action);
  if (!key) return [{ path: '', message: `GitHub's webhook description has no event ${eventName}${action ? ` with action ${action}` : ''}` }];
  const errors: WebhookPayloadError[] = [];
  const body = payload as JsonObject | null;
  if (action !== undefined && body && typeof body === 'object' && body.action !== action) {
    errors.push({ path: '/action', message: `is ${JSON.stringify(body.action)}, expected ${JSON.stringify(action)}` });
  }
  const v = validatorFor(key);
  let checked: unknown = payload;
  if (key === 'repository-dispatch-sample.collected' && body && typeof body === 'object') checked = { ...body, action: 'sample.collected' };
  if (!v(checked)) errors.push(...(v.errors ?? []).map(describe));
  return errors;
}
