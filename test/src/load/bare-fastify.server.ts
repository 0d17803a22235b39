/**
 * The bench's baseline: bare Fastify that parses the same JSON body and answers 200, with no
 * auth, validation or queue. Tally's figures are read as a ratio to this one, measured in the
 * same run with the same load generator. Prints `listening <url>` once it accepts connections.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/events/summaries', async (_request, reply) => reply.code(200).send());
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${url}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
