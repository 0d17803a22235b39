/**
 * Reduces two OpenAPI descriptions (3.0 or 3.1) to what a client relies on, and lists where they
 * differ: which operations exist, their parameters (where, required, type), the type of every
 * request and response body field, and the response status codes. Descriptions, examples and
 * bounds are left out: they do not change what a client sends or reads.
 */

type Schema = Record<string, unknown>;
type Operation = { parameters?: Schema[]; requestBody?: unknown; responses?: Record<string, unknown> };
export type Paths = Record<string, Record<string, Operation>>;

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** `{ 'event_summaries[].count': 'integer', … }`: each field's JSON type(s), nullable as `|null`. */
export function fieldTypes(schema: unknown, at = '', into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const s = (schema ?? {}) as Schema;
  for (const member of [...((s.anyOf as unknown[]) ?? []), ...((s.oneOf as unknown[]) ?? [])]) fieldTypes(member, at, into);
  const types = ([] as string[]).concat((s.type as string | string[] | undefined) ?? (s.properties ? 'object' : []));
  if (s.nullable === true) types.push('null');
  if (types.length > 0) {
    const set = into.get(at) ?? new Set<string>();
    for (const t of types) set.add(t);
    into.set(at, set);
  }
  for (const [name, child] of Object.entries((s.properties as Record<string, unknown>) ?? {}))
    fieldTypes(child, at ? `${at}.${name}` : name, into);
  if (s.items !== undefined) fieldTypes(s.items, `${at}[]`, into);
  return into;
}

const typeText = (types: Set<string> | undefined) => (types ? [...types].sort().join('|') : 'absent');

/**
 * Every difference between `ours` and `theirs`, keyed `METHOD /path what` with both sides. One
 * kind is not a difference: a response field Intercom allows to be null that Tally always fills
 * (every client of Intercom reads it).
 */
export function openApiDifferences(theirs: Paths, ours: Paths): Map<string, string> {
  const differences = new Map<string, string>();
  const note = (key: string, theirsText: string, oursText: string) => {
    if (theirsText !== oursText) differences.set(key, `Intercom: ${theirsText}; Tally: ${oursText}`);
  };
  const operations = (paths: Paths) =>
    new Map(
      Object.entries(paths).flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([m]) => METHODS.has(m))
          .map(([m, op]) => [`${m.toUpperCase()} ${path}`, op] as const),
      ),
    );
  const theirOps = operations(theirs);
  const ourOps = operations(ours);
  for (const name of new Set([...theirOps.keys(), ...ourOps.keys()])) {
    const [a, b] = [theirOps.get(name), ourOps.get(name)];
    if (!a || !b) {
      note(name, a ? 'present' : 'absent', b ? 'present' : 'absent');
      continue;
    }
    const params = (op: Operation) =>
      new Map(
        (op.parameters ?? []).map((p) => [
          `${p.in} ${String(p.name).toLowerCase()}`,
          `${p.required ? 'required' : 'optional'} ${typeText(fieldTypes(p.schema).get(''))}`,
        ]),
      );
    const [pa, pb] = [params(a), params(b)];
    for (const key of new Set([...pa.keys(), ...pb.keys()]))
      note(`${name} parameter ${key}`, pa.get(key) ?? 'absent', pb.get(key) ?? 'absent');
    const [ba, bb] = [fieldTypes(bodySchema(a.requestBody)), fieldTypes(bodySchema(b.requestBody))];
    for (const key of new Set([...ba.keys(), ...bb.keys()]))
      note(`${name} body ${key || '(root)'}`, typeText(ba.get(key)), typeText(bb.get(key)));
    const [ra, rb] = [a.responses ?? {}, b.responses ?? {}];
    for (const status of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      if (!(status in ra) || !(status in rb)) {
        note(`${name} status ${status}`, status in ra ? 'present' : 'absent', status in rb ? 'present' : 'absent');
        continue;
      }
      const [fa, fb] = [fieldTypes(responseSchema(ra[status])), fieldTypes(responseSchema(rb[status]))];
      for (const key of new Set([...fa.keys(), ...fb.keys()])) {
        const [ta, tb] = [fa.get(key), fb.get(key)];
        const neverNull = ta?.has('null') && tb && !tb.has('null') && [...tb].every((t) => ta.has(t));
        if (!neverNull) note(`${name} ${status} ${key || '(root)'}`, typeText(ta), typeText(tb));
      }
    }
  }
  return differences;
}

/** A request body as a full document has it, or as the reduced fixture has it (the schema itself). */
function bodySchema(body: unknown): unknown {
  const content = (body as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
  return content ? content['application/json']?.schema : body;
}

function responseSchema(response: unknown): unknown {
  const content = (response as { content?: Record<string, { schema?: unknown }> } | null)?.content;
  if (content) return content['application/json']?.schema;
  return response !== null && typeof response === 'object' && !('description' in response) ? response : undefined;
}
