import { aggregateCommand } from './aggregate.command.js';
import { buildInfoCommand } from './build-info.command.js';
import { collModCommand } from './coll-mod.command.js';
import type { CommandDefinition } from './command-context.js';
import { countCommand } from './count.command.js';
import { createCommand } from './create.command.js';
import { createIndexesCommand } from './create-indexes.command.js';
import { deleteCommand } from './delete.command.js';
import { distinctCommand } from './distinct.command.js';
import { dropCommand, dropDatabaseCommand } from './drop.command.js';
import { dropIndexesCommand } from './drop-indexes.command.js';
import { endSessionsCommand } from './end-sessions.command.js';
import { findCommand } from './find.command.js';
import { findAndModifyCommand } from './find-and-modify.command.js';
import { getMoreCommand } from './get-more.command.js';
import { helloCommand, isMasterCommand } from './hello.command.js';
import { insertCommand } from './insert.command.js';
import { killCursorsCommand } from './kill-cursors.command.js';
import { listCollectionsCommand } from './list-collections.command.js';
import { listDatabasesCommand } from './list-databases.command.js';
import { listIndexesCommand } from './list-indexes.command.js';
import { pingCommand } from './ping.command.js';
import { setParameterCommand } from './set-parameter.command.js';
import { abortTransactionCommand, commitTransactionCommand } from './transaction.command.js';
import { updateCommand } from './update.command.js';

/** Every command the emulator implements; anything else gets CommandNotFound (59). */
export const COMMANDS: readonly CommandDefinition[] = [
  helloCommand,
  isMasterCommand,
  pingCommand,
  buildInfoCommand,
  endSessionsCommand,
  listDatabasesCommand,
  listCollectionsCommand,
  createCommand,
  dropCommand,
  dropDatabaseCommand,
  createIndexesCommand,
  listIndexesCommand,
  dropIndexesCommand,
  collModCommand,
  setParameterCommand,
  insertCommand,
  updateCommand,
  deleteCommand,
  findAndModifyCommand,
  findCommand,
  getMoreCommand,
  killCursorsCommand,
  countCommand,
  distinctCommand,
  aggregateCommand,
  commitTransactionCommand,
  abortTransactionCommand,
];
