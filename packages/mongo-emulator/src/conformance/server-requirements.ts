/** What the server under test is, for `runOnRequirements`. */
export interface ServerFacts {
  version: number[];
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
}

/**
 * Whether any of a test's or file's `runOnRequirements` holds for this server: version range,
 * topology, no serverless, no auth, no client-side encryption. `serverParameters` cannot be
 * read from the emulator (no getParameter), so a requirement naming them is not met.
 */
export function requirementsMet(requirements: unknown, server: ServerFacts): boolean {
  if (!Array.isArray(requirements) || requirements.length === 0) return true;
  return requirements.some((r: Record<string, unknown>) => {
    if (typeof r.minServerVersion === 'string' && compare(server.version, parse(r.minServerVersion)) < 0) return false;
    if (typeof r.maxServerVersion === 'string' && compare(server.version, parse(r.maxServerVersion)) > 0) return false;
    if (Array.isArray(r.topologies) && !r.topologies.includes(server.topology)) return false;
    if (r.serverless === 'require') return false;
    if (r.auth === true || r.csfle === true) return false;
    if (r.serverParameters !== undefined) return false;
    return true;
  });
}

function parse(v: string): number[] {
  return v.split('.').map((p) => Number(p));
}

/** Compares dotted versions; a shorter one stands for all its extensions ("7.0" matches 7.0.x). */
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < b.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
