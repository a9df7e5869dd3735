/**
 * Hidden markers: `<!-- userloop:<kind> {json} -->`, invisible in rendered markdown, that let a
 * bot find and update its own comments and carry a little state.
 */

const KIND = /^[a-z0-9][a-z0-9._-]*$/;

function checkKind(kind: string): void {
  if (!KIND.test(kind)) throw new Error(`invalid marker kind '${kind}': use lower-case letters, digits, '.', '_' and '-'`);
}

/** The text every marker of `kind` starts with (`<!-- userloop:kind`). */
export function markerPrefix(kind: string): string {
  checkKind(kind);
  return `<!-- userloop:${kind}`;
}

/**
 * Renders a hidden marker. The JSON is escaped (`<`, `>`, `&` as `\u003c`…), so no value can
 * close the HTML comment early (`-->`) or open another one.
 *
 * @param kind - lower-case identifier (`prioritize`, `requesters`)
 * @param data - any JSON value; omitted for a bare marker
 */
export function renderMarker(kind: string, data?: unknown): string {
  const prefix = markerPrefix(kind);
  if (data === undefined) return `${prefix} -->`;
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${prefix} ${json} -->`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every marker of `kind` in `body`, in order, as `{ data, index, length }` (data `null` for a bare marker). */
export function findMarkers(body: string, kind: string): Array<{ data: unknown; index: number; length: number }> {
  const pattern = new RegExp(`${escapeRegExp(markerPrefix(kind))}(?:[ \\t]+([^\\n]*?))?[ \\t]*-->`, 'g');
  const found: Array<{ data: unknown; index: number; length: number }> = [];
  for (const match of body.matchAll(pattern)) {
    const json = match[1];
    let data: unknown = null;
    if (json !== undefined && json !== '') {
      try {
        data = JSON.parse(json);
      } catch {
        continue; // not ours, or damaged: ignore rather than trust
      }
    }
    found.push({ data, index: match.index, length: match[0].length });
  }
  return found;
}

/**
 * The data of the first marker of `kind` in `body`: `undefined` when there is none (or it is not
 * valid JSON), `null` for a bare marker. Validate the result before trusting it, and only read
 * markers from comments your own identity wrote (see `upsertComment`).
 */
export function parseMarker(body: string | null | undefined, kind: string): unknown {
  if (!body) return undefined;
  return findMarkers(body, kind)[0]?.data;
}

/** True when `body` carries a marker of `kind`. */
export function hasMarker(body: string | null | undefined, kind: string): boolean {
  return body ? findMarkers(body, kind).length > 0 : false;
}

/** Removes every marker of `kind` from `body`. */
export function stripMarkers(body: string, kind: string): string {
  let out = body;
  for (const marker of findMarkers(body, kind).reverse()) {
    out = out.slice(0, marker.index) + out.slice(marker.index + marker.length);
  }
  return out;
}
