/** The default fetch transport against a throwaway node:http server on 127.0.0.1. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readFixture } from '../../../contracts/growatt/index.js';
import { GrowattClient } from './client.js';
import { GrowattConnectionError, GrowattTimeoutError } from './errors.js';
import { TOKEN } from './test-support.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];

async function listen(handler: (seen: Seen, res: http.ServerResponse) => void): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(entry);
      handler(entry, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const client = (baseUrl: string, timeoutMs = 2000) =>
  new GrowattClient({ token: TOKEN, baseUrl, timeoutMs, scheduler: { enabled: false } });

const json = (body: unknown) => (_: Seen, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
};

describe('default fetch transport', () => {
  it('sends a GET with the token header and reads the fixture reply', async () => {
    const { baseUrl, seen } = await listen(json(readFixture('plant_list.json')));
    const page = await client(baseUrl).plantList({ perpage: 20 });
    expect(page.plants[0]?.plant_id).toBe(1185);
    expect(seen).toHaveLength(1);
    expect([seen[0]!.method, seen[0]!.url, seen[0]!.headers['token']]).toEqual(['GET', '/v1/plant/list?perpage=20', TOKEN]);
  });

  it('sends a POST form body on the wire', async () => {
    const { baseUrl, seen } = await listen(json(readFixture('mix_last_data.json')));
    const reply = await client(baseUrl).mixLastData('NTCF946079');
    expect(reply.mixSn).toBe('NTCF946079');
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]!.body).toBe('mix_sn=NTCF946079');
  });

  it('times out on a server that never answers', async () => {
    const { baseUrl } = await listen(() => undefined);
    const error = await client(baseUrl, 100).plantData(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattTimeoutError);
    expect((error as GrowattTimeoutError).timeoutMs).toBe(100);
  });

  it('reports a refused connection', async () => {
    const { baseUrl } = await listen(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const error = await client(baseUrl).plantData(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrowattConnectionError);
    expect((error as GrowattConnectionError).url).toBe(`${baseUrl}/v1/plant/data?plant_id=1`);
  });
});
