// The yardstick for start-up: a bare Fastify process that registers one route, listens on one port
// and prints a ready line. Plain JavaScript, so no loader stands between it and node.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => 'ok');
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write('{"ready":true}\n');
