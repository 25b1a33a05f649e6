// The varserver's web services as the firmware runs them (fcgi_auth + fcgi_vars semantics): sessions on the
// virtual clock, named caches, writable variables, and the `/vars` query evaluation. No transport here: the
// emulator calls it and server.ts puts the replies on HTTP(S).
import { findVariable, UNAUTHENTICATED_VARIABLES } from '../../contracts/sunpower-pvs/variables.js';
import {
  authErrorBody,
  defaultVarserverPassword,
  formatVarFloat,
  formatVars,
  loginBody,
  matchesVarPattern,
  parseAuthorization,
  parseVarsQuery,
  sessionFromCookie,
  sessionSetCookie,
  VARS_ERRORS,
  VARSERVER_USERS,
  varsErrorBody,
  type VarsErrorName,
  type VarValue,
} from '../../contracts/sunpower-pvs/varserver.js';
import type { PvsModel } from '../../contracts/sunpower-pvs/firmware.js';
import { Rng } from '../core/rng.js';
import { VARSERVER_HEADERS } from './protocol/pages.js';

/** A reply of the varserver, before the transport: status, exact body bytes, headers. */
export interface VarserverReply {
  status: number;
  body: Buffer;
  headers: Readonly<Record<string, string>>;
}

/** The variables as they are right now, in creation order, with a by-name index. */
export interface VariableTable {
  readonly list: readonly VarValue[];
  readonly byName: ReadonlyMap<string, string>;
}

/** What the varserver needs from the device. */
export interface VarserverHost {
  now(): number;
  model(): PvsModel;
  serial(): string;
  /** The login password; null: the last five characters of the serial. */
  password(): string | null;
  sessionTimeoutMs(): number;
  variables(): VariableTable;
  /** A writable variable was set (the table must be recomputed). */
  changed(): void;
}

interface Session {
  user: string;
  lastUsed: number;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PUBLIC = new Set(UNAUTHENTICATED_VARIABLES);

export class Varserver {
  private readonly sessions = new Map<string, Session>();
  private readonly caches = new Map<string, string[]>();
  /**
   * Answers of read-only queries (no `set=`, no named cache) per variable table: a table lives at most a virtual
   * second, so a poll's repeated queries cost a lookup, as DeviceList's per-second body does.
   */
  private readonly answers = new WeakMap<VariableTable, Map<string, VarserverReply>>();
  private ids: Rng;

  constructor(
    private readonly host: VarserverHost,
    private readonly seed: number,
    /** Values of the writable variables, by name; shared with the variable table. */
    readonly writable: Map<string, string>,
  ) {
    this.ids = new Rng(seed, 'pvs.sessions');
  }

  /** Sessions, caches and writable values are gone after a reboot (they live in the device's RAM). */
  reset(writable: Map<string, string>): void {
    this.sessions.clear();
    this.caches.clear();
    this.writable.clear();
    for (const [k, v] of writable) this.writable.set(k, v);
    this.host.changed();
  }

  /** Number of sessions that have not timed out. */
  activeSessions(): number {
    const now = this.host.now();
    return [...this.sessions.values()].filter((s) => now - s.lastUsed <= this.host.sessionTimeoutMs()).length;
  }

  cacheIds(): string[] {
    return [...this.caches.keys()];
  }

  /** True for a session cookie that names a live session; refreshes it (the timeout counts from the last use). */
  validate(cookie: string | undefined): boolean {
    const id = sessionFromCookie(cookie);
    if (id === undefined) return false;
    const session = this.sessions.get(id);
    const now = this.host.now();
    if (!session) return false;
    if (now - session.lastUsed > this.host.sessionTimeoutMs()) {
      this.sessions.delete(id);
      return false;
    }
    session.lastUsed = now;
    return true;
  }

  /** `/auth?<query>`: `login` with Basic credentials, `logout` with the session cookie, anything else 400. */
  auth(query: string, authorization: string | undefined, cookie: string | undefined): VarserverReply {
    if (query === 'login') return this.login(authorization);
    if (query === 'logout') return this.logout(cookie);
    return authError(400, 'Bad request');
  }

  private login(authorization: string | undefined): VarserverReply {
    const credentials = parseAuthorization(authorization);
    const password = this.host.password() ?? defaultVarserverPassword(this.host.serial());
    // No cloud-signed bearer tokens here: only the owner's basic login.
    if (credentials?.scheme !== 'basic' || !VARSERVER_USERS.includes(credentials.user) || credentials.password !== password) {
      return authError(401, 'Unauthorized');
    }
    this.prune();
    let id = '';
    for (let i = 0; i < 64; i++) id += ALNUM[this.ids.int(0, ALNUM.length - 1)];
    this.sessions.set(id, { user: credentials.user, lastUsed: this.host.now() });
    return {
      status: 200,
      body: Buffer.from(loginBody(id)),
      headers: { ...VARSERVER_HEADERS, 'set-cookie': sessionSetCookie(id) },
    };
  }

  private logout(cookie: string | undefined): VarserverReply {
    const id = sessionFromCookie(cookie);
    if (id === undefined || !this.validate(cookie)) return authError(401, 'Unauthorized');
    this.sessions.delete(id);
    return { status: 204, body: Buffer.alloc(0), headers: { 'access-control-allow-origin': '*', server: VARSERVER_HEADERS.server! } };
  }

  private prune(): void {
    const now = this.host.now();
    for (const [id, s] of this.sessions) if (now - s.lastUsed > this.host.sessionTimeoutMs()) this.sessions.delete(id);
  }

  /**
   * `/vars` with a GET query string or a POST body. Without a session cookie only the discovery variables are
   * readable (401 for the rest); with an invalid or expired one nothing is (401). Unknown names and matches
   * without hits are 400, as on SunStrong's firmware; `set=` takes the writable variables of this model.
   */
  vars(text: string, cookie: string | undefined): VarserverReply {
    const hasCookie = sessionFromCookie(cookie) !== undefined;
    const authed = hasCookie && this.validate(cookie);
    if (hasCookie && !authed) return varsError('badSession');
    const query = parseVarsQuery(text);
    const table = this.host.variables();
    const reusable = query.cache === null && query.operations.every((op) => op.kind !== 'set');
    const key = `${authed ? 'a' : 'p'}${text}`;
    if (reusable) {
      const known = this.answers.get(table)?.get(key);
      if (known !== undefined) return known;
    }
    const readable = (name: string) => authed || PUBLIC.has(name);
    let selected: string[];
    if (query.cache) {
      selected = query.cache.clear ? [] : (this.caches.get(query.cache.id) ?? []);
      this.caches.set(query.cache.id, selected);
    } else {
      selected = [];
    }
    const seen = new Set(selected);
    const add = (name: string) => {
      if (!seen.has(name)) {
        seen.add(name);
        selected.push(name);
      }
    };
    let failure: VarsErrorName | null = null;
    const fail = (name: VarsErrorName) => {
      // A 400 (unknown variable) outranks a 401 (not readable): it says the request cannot work at all.
      if (failure === null || (VARS_ERRORS[name].status === 400 && VARS_ERRORS[failure].status !== 400)) failure = name;
    };
    let wrote = false;
    for (const op of query.operations) {
      switch (op.kind) {
        case 'name':
          for (const name of op.names) {
            if (!table.byName.has(name)) fail('unknownName');
            else if (!readable(name)) fail('noSession');
            else add(name);
          }
          break;
        case 'match': {
          const hits = table.list.filter((v) => matchesVarPattern(op.pattern, v.name));
          const allowed = hits.filter((v) => readable(v.name));
          if (hits.length === 0) fail('noMatch');
          else if (allowed.length === 0) fail('noSession');
          for (const v of allowed) add(v.name);
          break;
        }
        case 'tags':
          for (const v of table.list) {
            const tags = findVariable(v.name)?.tags ?? [];
            if (op.tags.every((t) => tags.includes(t)) && readable(v.name)) add(v.name);
          }
          break;
        case 'instance':
          // Every variable here is instance 0.
          if (op.instance === 0) for (const v of table.list) if (readable(v.name)) add(v.name);
          break;
        case 'set':
          if (!authed) {
            fail('noSession');
            break;
          }
          for (const { name, value } of op.assignments) {
            const outcome = this.set(name, value, table);
            if (outcome === 'ok') {
              wrote = true;
              add(name);
            } else fail(outcome);
          }
          break;
      }
    }
    if (wrote) this.host.changed();
    if (failure !== null) return varsError(failure);
    const now = wrote ? this.host.variables() : table;
    const values: VarValue[] = [];
    for (const name of selected) {
      // Cached names of variables that are gone (inverters asleep) are skipped; unreadable ones too.
      const value = now.byName.get(name);
      if (value !== undefined && readable(name)) values.push({ name, value });
    }
    const answer: VarserverReply = { status: 200, body: Buffer.from(formatVars(values, query.format)), headers: VARSERVER_HEADERS };
    if (reusable) {
      let known = this.answers.get(table);
      if (known === undefined) this.answers.set(table, (known = new Map()));
      // Bounded: arbitrary queries (a fuzzer's) must not grow it.
      if (known.size < 64) known.set(key, answer);
    }
    return answer;
  }

  private set(name: string, raw: string, table: VariableTable): 'ok' | VarsErrorName {
    const def = findVariable(name, this.host.model());
    // The PVS5 has no /sys/telemetryws/enable: its varserver answers 400 to the enable.
    if (!def || !table.byName.has(name)) return 'badSet';
    if (!def.writable) return 'readOnly';
    const value = normalise(def.type, raw);
    if (value === undefined) return 'badSet';
    this.writable.set(name, value);
    return 'ok';
  }
}

function normalise(type: string, raw: string): string | undefined {
  switch (type) {
    case 'str':
      return raw;
    case 'float': {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) ? formatVarFloat(n) : undefined;
    }
    default: {
      if (!/^-?\d+$/.test(raw)) return undefined;
      const n = Number(raw);
      const max = type === 'uint16' ? 0xffff : type === 'uint32' ? 0xffffffff : type === 'int16' ? 0x7fff : 0x7fffffff;
      const min = type.startsWith('u') ? 0 : -max - 1;
      return n >= min && n <= max ? String(n) : undefined;
    }
  }
}

export function varsError(name: VarsErrorName): VarserverReply {
  const e = VARS_ERRORS[name];
  return { status: e.status, body: Buffer.from(varsErrorBody(e.status, e.description, e.errorCode)), headers: VARSERVER_HEADERS };
}

function authError(status: number, description: string): VarserverReply {
  return { status, body: Buffer.from(authErrorBody(status, description)), headers: VARSERVER_HEADERS };
}
