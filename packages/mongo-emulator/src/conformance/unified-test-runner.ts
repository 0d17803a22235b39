import type { Document, MongoClient } from 'mongodb';
import { COLLECTION_OPERATIONS } from './collection-operations.js';
import { EntityMap } from './entity-map.js';
import { errorMismatch } from './expected-error.js';
import { databaseOperation, sessionOperation, testRunnerOperation } from './runner-operations.js';
import type { ServerFacts } from './server-requirements.js';
import { requirementsMet } from './server-requirements.js';
import { mismatch } from './unified-matcher.js';

/** The result of one test of a file. */
export interface TestResult {
  description: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
}

/** What every test of a run shares: the server and a client that sets up and inspects data. */
export interface RunContext {
  uri: string;
  inspector: MongoClient;
  server: ServerFacts;
}

/** Runs every test of one unified-format file, in order. */
export async function runTestFile(file: Document, ctx: RunContext): Promise<TestResult[]> {
  const fileRunnable = requirementsMet(file.runOnRequirements, ctx.server);
  const results: TestResult[] = [];
  for (const test of file.tests as Document[]) {
    const description = String(test.description);
    if (!fileRunnable || !requirementsMet(test.runOnRequirements, ctx.server) || test.skipReason !== undefined) {
      results.push({ description, status: 'skipped' });
      continue;
    }
    try {
      const reason = await runTest(file, test, ctx);
      results.push(reason ? { description, status: 'failed', reason } : { description, status: 'passed' });
    } catch (err) {
      results.push({ description, status: 'failed', reason: `runner: ${(err as Error).message}` });
    }
  }
  return results;
}

/** One test: seed data, create entities, run operations, check events and outcome. */
async function runTest(file: Document, test: Document, ctx: RunContext): Promise<string | null> {
  await seed(ctx.inspector, file.initialData ?? []);
  const entities = new EntityMap(ctx.uri);
  try {
    await entities.create(file.createEntities ?? []);
    for (const [i, op] of (test.operations as Document[]).entries()) {
      const bad = await runOperation(entities, ctx.inspector, op);
      if (bad) return `operation ${i} (${op.name}): ${bad}`;
    }
    for (const expected of (test.expectEvents ?? []) as Document[]) {
      const bad = eventsMismatch(entities, expected);
      if (bad) return `events of ${expected.client}: ${bad}`;
    }
    for (const expected of (test.outcome ?? []) as Document[]) {
      const actual = await ctx.inspector
        .db(expected.databaseName)
        .collection(expected.collectionName)
        .find({}, { sort: { _id: 1 } })
        .toArray();
      const bad = mismatch(expected.documents, actual, entities.lsidOf, `outcome ${expected.collectionName}`, false);
      if (bad) return bad;
    }
    return null;
  } finally {
    await ctx.inspector.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    await entities.close();
  }
}

async function seed(inspector: MongoClient, initialData: Document[]): Promise<void> {
  for (const { databaseName, collectionName, documents, createOptions } of initialData) {
    const db = inspector.db(databaseName);
    await db.dropCollection(collectionName, { writeConcern: { w: 'majority' } }).catch(() => undefined);
    await db.createCollection(collectionName, { ...createOptions, writeConcern: { w: 'majority' } });
    if (documents.length > 0) await db.collection(collectionName).insertMany(documents, { writeConcern: { w: 'majority' } });
  }
}

/** Runs one operation; returns how its result or error differs from the expected, or null. */
async function runOperation(entities: EntityMap, inspector: MongoClient, op: Document): Promise<string | null> {
  const args: Document = { ...(op.arguments ?? {}) };
  // testRunner assertions name their session; operations get the session itself.
  if (typeof args.session === 'string' && op.object !== 'testRunner') args.session = entities.session(args.session);
  let result: unknown;
  let error: unknown = null;
  try {
    result = await dispatch(entities, inspector, op.object, op.name, args);
  } catch (err) {
    error = err;
  }
  if (op.expectError) return errorMismatch(op.expectError, error, entities.lsidOf);
  if (error) return op.ignoreResultAndError ? null : `unexpected ${(error as Error).constructor.name}: ${(error as Error).message}`;
  if (op.expectResult === undefined || op.ignoreResultAndError) return null;
  return mismatch(op.expectResult, result, entities.lsidOf, 'result');
}

function dispatch(entities: EntityMap, inspector: MongoClient, object: string, name: string, args: Document): Promise<unknown> {
  if (object === 'testRunner') return testRunnerOperation(entities, inspector, name, args);
  const coll = entities.collections.get(object);
  if (coll) {
    const operation = COLLECTION_OPERATIONS[name];
    if (!operation) throw new Error(`unsupported collection operation ${name}`);
    return operation(coll, args);
  }
  const db = entities.databases.get(object);
  if (db) return databaseOperation(db, name, args);
  const session = entities.sessions.get(object);
  if (session) return sessionOperation(session, name, args);
  throw new Error(`unsupported operation ${name} on ${object}`);
}

function eventsMismatch(entities: EntityMap, expected: Document): string | null {
  if (expected.eventType !== undefined && expected.eventType !== 'command') return `unsupported eventType ${expected.eventType}`;
  const actual = entities.client(expected.client).events;
  const want = expected.events as Document[];
  if (expected.ignoreExtraEvents ? actual.length < want.length : actual.length !== want.length) {
    return `expected ${want.length} event(s), got ${actual.length}: ${actual.map((e) => `${e.type}(${e.commandName})`).join(', ')}`;
  }
  for (const [i, event] of want.entries()) {
    const [type, fields] = Object.entries(event)[0] as [string, Document];
    const got = actual[i];
    if (!got || got.type !== type) return `event ${i}: expected ${type}, got ${got?.type}(${got?.commandName})`;
    for (const key of ['commandName', 'databaseName'] as const) {
      if (fields[key] !== undefined && fields[key] !== got[key]) return `event ${i}: expected ${key} ${fields[key]}, got ${got[key]}`;
    }
    for (const key of ['command', 'reply'] as const) {
      if (fields[key] === undefined) continue;
      const bad = mismatch(fields[key], got[key], entities.lsidOf, `event ${i} ${got.commandName}.${key}`);
      if (bad) return bad;
    }
  }
  return null;
}
