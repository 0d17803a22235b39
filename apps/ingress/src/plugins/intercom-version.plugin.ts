import { isIntercomVersion } from '@tally/contracts';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Errors } from '../errors.js';

/** `Intercom-Version` is optional; when present it must be a version Intercom publishes. */
export const intercomVersionPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => {
      const version = request.headers['intercom-version'];
      if (version === undefined) return;
      const value = Array.isArray(version) ? version.join(',') : version;
      if (!isIntercomVersion(value)) throw Errors.badVersion(value);
    });
  },
  { name: 'tally-intercom-version' },
);
