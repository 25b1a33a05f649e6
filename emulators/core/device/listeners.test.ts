import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTlsMaterial } from '../tls/certificates.js';
import { bindListener, type BoundListener } from './listeners.js';

const tls = generateTlsMaterial({ commonName: 'listener.test' });
const open: BoundListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

async function bind(kind: Parameters<typeof bindListener>[0]['kind'], handler: Parameters<typeof bindListener>[1]): Promise<BoundListener> {
  const listener = await bindListener({ device: 'test', listener: 'api', kind }, handler, tls, '127.0.0.1', 0);
  open.push(listener);
  return listener;
}

/** Answers with what it saw: the path, whether the connection was TLS, and the body's length. */
function echo(req: IncomingMessage, res: ServerResponse): void {
  let size = 0;
  req.on('data', (chunk: Buffer) => (size += chunk.length));
  req.on('end', () => res.end(`${req.url} ${(req.socket as { encrypted?: boolean }).encrypted ? 'tls' : 'plain'} ${size}`));
}

function get(url: string, options: { method?: string; body?: string; agent?: Agent } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: options.method ?? 'GET', rejectUnauthorized: false, ...(options.agent ? { agent: options.agent } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('bindListener', () => {
  it('http: serves a request listener and names the URL with the bound port', async () => {
    const listener = await bind('http', echo);
    expect(listener.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listener.port).toBeGreaterThan(0);
    expect(await get(`${listener.url}/a`)).toEqual({ status: 200, body: '/a plain 0' });
  });

  it('https: serves over TLS with the key pair given', async () => {
    const listener = await bind('https', echo);
    expect(listener.url).toMatch(/^https:/);
    expect(await get(`${listener.url}/b`)).toEqual({ status: 200, body: '/b tls 0' });
  });

  it('http+https: one port answers plain HTTP and TLS, told apart by the first byte, with keep-alive and bodies', async () => {
    const listener = await bind('http+https', echo);
    const plain = listener.url;
    const secure = plain.replace(/^http:/, 'https:');
    expect(await get(`${plain}/p`)).toEqual({ status: 200, body: '/p plain 0' });
    expect(await get(`${secure}/s`)).toEqual({ status: 200, body: '/s tls 0' });
    const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });
    try {
      for (let i = 0; i < 3; i++) expect(await get(`${secure}/k${i}`, { agent })).toEqual({ status: 200, body: `/k${i} tls 0` });
      const big = 'x'.repeat(300_000);
      expect(await get(`${secure}/post`, { method: 'POST', body: big, agent })).toEqual({ status: 200, body: `/post tls ${big.length}` });
      expect(await get(`${plain}/post`, { method: 'POST', body: big })).toEqual({ status: 200, body: `/post plain ${big.length}` });
    } finally {
      agent.destroy();
    }
  });

  it('tcp: hands each connection to the handler', async () => {
    const listener = await bind('tcp', {
      connection: (socket) => socket.on('data', (data: Buffer) => socket.write(data.toString().toUpperCase())),
    });
    expect(listener.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const socket = connect(listener.port, '127.0.0.1');
    const reply = await new Promise<string>((resolve) => {
      socket.once('data', (data: Buffer) => resolve(data.toString()));
      socket.write('hello');
    });
    socket.destroy();
    expect(reply).toBe('HELLO');
  });

  it('websocket: upgrades go to the handler, plain requests get 426', async () => {
    const listener = await bind('websocket', {
      upgrade: (request, socket) => socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Path: ${request.url}\r\n\r\n`),
    });
    expect(listener.url).toMatch(/^ws:\/\//);
    expect((await get(listener.url.replace(/^ws:/, 'http:') + '/')).status).toBe(426);
    const socket = connect(listener.port, '127.0.0.1');
    const head = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (data: Buffer) => (text += data.toString()));
      socket.on('end', () => resolve(text));
      socket.write('GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    });
    expect(head).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(head).toContain('X-Path: /live');
  });

  it('answers a request carrying Upgrade (nobody takes it) and closes, so a client never waits on that connection', async () => {
    const listener = await bind('http', echo);
    const socket = connect(listener.port, '127.0.0.1');
    let text = '';
    socket.on('data', (data: Buffer) => (text += data.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /u HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\nConnection: Upgrade\r\n\r\n');
    // A request after it on the same connection would get no answer from Node's parser: the connection ends instead.
    socket.write('GARBAGE\r\n\r\n');
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('/u plain 0');
  });

  it('close ends open connections, so a hanging client cannot hold it', async () => {
    const listener = await bind('tcp', { connection: () => {} });
    const socket = connect(listener.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    open.splice(open.indexOf(listener), 1);
    await listener.close();
    await ended;
    expect(socket.destroyed).toBe(true);
  });

  it('refuses a handler of the wrong shape and an HTTPS listener without a key pair', async () => {
    await expect(bindListener({ device: 'test', listener: 'api', kind: 'tcp' }, echo, undefined, '127.0.0.1', 0)).rejects.toThrow('test listener "api" (tcp): the handler must have connection(socket)');
    await expect(bindListener({ device: 'test', listener: 'api', kind: 'https' }, echo, undefined, '127.0.0.1', 0)).rejects.toThrow('create() returned no tls key pair');
    await expect(bindListener({ device: 'test', listener: 'api', kind: 'http' }, undefined, undefined, '127.0.0.1', 0)).rejects.toThrow('create() returned no handler for it');
  });
});
