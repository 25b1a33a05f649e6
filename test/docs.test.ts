/**
 * Every example in README.md and docs/*.md, checked. Each fenced block needs a language tag this
 * file knows (an unknown one fails), and attributes after it say how it is checked:
 *
 *   json                      parses (no comments)
 *   json excerpt=<path>       parses, and is a deep subset of that file's JSON (keys with equal
 *                             values; array elements in order, as a subsequence)
 *   jsonl                     every non-empty line parses
 *   sh                        runs, from the repository root, in one bash per page (variables and
 *                             `cd` carry over, as in a terminal). Servers (`npx voltbench up|record|
 *                             replay`, `npm start`, `socat … pty …`, anything ending in `&`) start in
 *                             the background in their own process group; the block goes on once they
 *                             print their ready output, and they are stopped at the end of the page.
 *                             Every other command must exit 0 within 30 s; `curl` fails on HTTP errors.
 *   sh fresh                  the same, after stopping what the page started so far
 *   sh covered-by=<path>      commands that cannot run here (installs, Docker): that file must exist and
 *                             contain each command as a whole command, so CI or a container test runs it
 *   ts include=<path>#<name>  equals the lines between `// #region <name>` and `// #endregion` of that
 *                             file, which must be a test (test/ or src/, *.test.ts) so `npm test` runs it
 *   js include=<path>#<name>  the same for JavaScript: a test, or a module a test imports or runs (a
 *                             test under test/ or src/ names its path)
 *   js                        a fragment: parses as a module, or as the members of an object literal
 *   python                    compiles (python3 -m py_compile)
 *   text                      not an example (a directory tree); must not hold commands
 *
 * Besides: each device page carries exactly the flags table generated from its descriptor, relative
 * links resolve (to files and heading anchors), and the README links to every page of docs/.
 *
 * This is the one test that binds fixed ports: the documented commands on their documented
 * defaults (7080-7099, 7443, 9002). Everything runs in sequence; whatever a page starts is stopped after
 * it (SIGTERM to its process group, then SIGKILL), also when a check fails.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsTable } from '../emulators/core/device/options.js';
import { BUILTIN_DEVICES } from '../emulators/devices.js';
import {
  codeBlocks,
  containsCommand,
  flagsMarkers,
  headingAnchors,
  links,
  markedSection,
  normaliseCommand,
  region,
  shellCommands,
  subsetMismatch,
  type CodeBlock,
} from './support/markdown.js';
import { lockDocumentedPorts } from './support/documented-ports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Language tags and the attributes each one takes. */
const KNOWN: Readonly<Record<string, readonly string[]>> = {
  json: ['excerpt'],
  jsonl: [],
  sh: ['covered-by', 'fresh'],
  ts: ['include'],
  js: ['include'],
  python: [],
  text: [],
};

/** The documented default ports: free before a page runs its commands. */
// 7070: the dashboard `voltbench up` serves by default.
const DOC_PORTS = [7070, ...Array.from({ length: 20 }, (_, i) => 7080 + i), 7443, 9002];
const COMMAND_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const PORT_WAIT_MS = 90_000;

const onPath = (program: string): boolean => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const PYTHON = onPath('python3');

/**
 * Programs besides Node that the docs' commands call (docs/ups.md pipes frames through socat). A page
 * whose sh blocks call one that is missing is skipped whole, saying which: its blocks build on each other.
 */
const PAGE_TOOLS = ['socat'];
const MISSING_TOOLS = new Set(PAGE_TOOLS.filter((tool) => !onPath(tool)));

/** The tools of PAGE_TOOLS missing here that a command of these sh blocks calls. */
function missingToolsOf(blocks: CodeBlock[]): string[] {
  const calls = (tool: string, command: string) => new RegExp(`(^|[|;&(]\\s*)${tool}\\s`).test(command);
  return [...MISSING_TOOLS].filter((tool) =>
    blocks.some((block) => block.lang === 'sh' && block.attrs['covered-by'] === undefined && shellCommands(block.content).some((c) => calls(tool, c.text))),
  );
}

function where(page: string, block: CodeBlock, offset = 0): string {
  return `${page}:${block.line + 1 + offset}`;
}

function title(page: string, block: CodeBlock): string {
  const attrs = Object.entries(block.attrs).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
  return `${page}:${block.line} \`\`\`${[block.lang || '(no language)', ...attrs].join(' ')}`;
}

// --- Processes: every process group this file starts, killed on the way out whatever happens.

const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(pgid: number): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-pgid, signal);
    } catch {
      break;
    }
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
    if (!groupAlive(pgid)) break;
  }
  liveGroups.delete(pgid);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The environment of a person's terminal: without what vitest and `npm test` add. */
function terminalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|VITE_|npm_lifecycle_|npm_package_)/.test(key) || ['NODE_ENV', 'TEST', 'NODE_OPTIONS', 'INIT_CWD'].includes(key)) continue;
    env[key] = value;
  }
  env['NO_COLOR'] = '1';
  env['npm_config_update_notifier'] = 'false';
  return env;
}

/** Resolves once nothing listens on the documented ports (a server left by someone else fails the page). */
async function documentedPortsFree(): Promise<void> {
  // Long enough for a container test that runs a documented command on its default port to finish.
  const deadline = Date.now() + PORT_WAIT_MS;
  for (;;) {
    const taken: number[] = [];
    await Promise.all(
      DOC_PORTS.map(
        (port) =>
          new Promise<void>((resolve) => {
            const socket = connect({ host: '127.0.0.1', port });
            socket.once('connect', () => {
              taken.push(port);
              socket.destroy();
              resolve();
            });
            socket.once('error', () => resolve());
          }),
      ),
    );
    if (taken.length === 0) return;
    if (Date.now() > deadline) throw new Error(`ports ${taken.join(', ')} are in use by a process this test did not start; the documented commands need them`);
    await sleep(250);
  }
}

/** Servers a page starts, and how to tell they are ready. */
function backgroundKind(command: string): 'voltbench' | 'pty' | 'other' | null {
  const line = normaliseCommand(command);
  if (/(^|\s)(-h|--help)(\s|$)/.test(line)) return null;
  if (/^npx voltbench (up|record|replay)\b/.test(line) || /^npm (start|run start)\b/.test(line)) return 'voltbench';
  if (/^socat\b.*\bpty\b/.test(line)) return 'pty';
  if (/&$/.test(line) && !/&&$/.test(line)) return 'other';
  return null;
}

/** One bash per page, fed one command at a time; servers as process groups of their own. */
class PageShell {
  private readonly bash: ChildProcessWithoutNullStreams;
  private readonly dir = mkdtempSync(join(tmpdir(), 'vb-docs-'));
  private out = '';
  private err = '';
  private n = 0;
  private dead: string | null = null;
  private readonly servers: { pgid: number; command: string; log: string }[] = [];

  constructor() {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd: ROOT, env: terminalEnv(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    liveGroups.add(this.bash.pid!);
    this.bash.stdout.on('data', (chunk: Buffer) => (this.out += chunk.toString()));
    this.bash.stderr.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
    this.bash.once('exit', (code, signal) => (this.dead ??= `the page's shell exited (${signal ?? code}): ${this.err.slice(-500)}`));
    this.bash.stdin.on('error', () => {});
    // A documented curl that gets an HTTP error fails the check, with the body in the output.
    this.send('set -o pipefail\ncurl() { command curl --fail-with-body -sS "$@"; }\n');
  }

  private send(text: string): void {
    if (this.dead !== null) throw new Error(this.dead);
    this.bash.stdin.write(text);
  }

  private async sentinel(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.out);
      if (m) return m;
      if (this.dead !== null) throw new Error(this.dead);
      if (Date.now() > deadline) return null;
      await sleep(20);
    }
  }

  /** Runs a command to its end; resolves with its exit code and output (stdout and stderr). */
  async run(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<{ code: number; output: string }> {
    const n = ++this.n;
    const file = join(this.dir, `out.${n}`);
    this.send(`{\n${command}\n} > '${file}' 2>&1 < /dev/null; echo "__vb_done ${n} $?"\n`);
    const done = await this.sentinel(new RegExp(`__vb_done ${n} (\\d+)\\n`), timeoutMs);
    const output = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (done === null) {
      this.dead = `an earlier command did not finish within ${timeoutMs / 1000} s: ${command}`;
      throw new Error(`did not finish within ${timeoutMs / 1000} s; output so far:\n${output.slice(-2000)}`);
    }
    return { code: Number(done[1]), output };
  }

  /** Starts a server in its own process group and resolves once it is ready. */
  async start(command: string, kind: 'voltbench' | 'pty' | 'other'): Promise<void> {
    const text = command.replace(/\s*&\s*$/, '');
    if (/^\w+=/.test(text)) throw new Error('a background command cannot start with a variable assignment here; export it first');
    const n = ++this.n;
    const log = join(this.dir, `server.${n}`);
    this.send(`setsid ${text} > '${log}' 2>&1 < /dev/null &\necho "__vb_bg ${n} $!"\n`);
    const started = await this.sentinel(new RegExp(`__vb_bg ${n} (\\d+)\\n`), 5_000);
    if (started === null) throw new Error('the shell did not start it');
    const pgid = Number(started[1]);
    liveGroups.add(pgid);
    this.servers.push({ pgid, command: text, log });
    const output = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
    const link = kind === 'pty' ? /\blink=([^,\s]+)/.exec(text)?.[1] : undefined;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const settleAt = Date.now() + 500;
    for (;;) {
      if (kind === 'voltbench' && /Press Ctrl\+C to stop\.|^\{"(ready|device)"/m.test(output())) return;
      if (kind === 'pty' && link !== undefined && existsSync(link)) return;
      if ((kind === 'other' || (kind === 'pty' && link === undefined)) && Date.now() > settleAt) {
        if (pidAlive(pgid)) return;
      }
      if (!pidAlive(pgid)) throw new Error(`exited before it was ready:\n${output().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output().slice(-2000)}`);
      await sleep(50);
    }
  }

  /** Stops every server this page started, newest first. */
  async stopServers(): Promise<void> {
    for (const server of this.servers.splice(0).reverse()) await stopGroup(server.pgid);
  }

  async close(): Promise<void> {
    await this.stopServers();
    this.bash.stdin.end();
    await stopGroup(this.bash.pid!);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// --- Checks of single blocks.

function checkJson(page: string, block: CodeBlock): void {
  let value: unknown;
  try {
    value = JSON.parse(block.content);
  } catch (error) {
    throw new Error(`${where(page, block)}: not JSON: ${(error as Error).message}`);
  }
  const file = block.attrs['excerpt'];
  if (file === undefined) return;
  if (!existsSync(join(ROOT, file))) throw new Error(`${page}:${block.line}: excerpt=${file}: no such file`);
  const mismatch = subsetMismatch(value, JSON.parse(read(file)));
  if (mismatch !== null) throw new Error(`${page}:${block.line}: the excerpt does not match ${file}: ${mismatch}`);
}

function checkJsonLines(page: string, block: CodeBlock): void {
  block.content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      JSON.parse(line);
    } catch (error) {
      throw new Error(`${where(page, block, i)}: not a JSON line: ${(error as Error).message}`);
    }
  });
}

const isTest = (file: string) => /^(test|src)\/.+\.test\.ts$/.test(file);

/** The test files under test/ and src/, repository-relative. */
function testFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (isTest(path)) found.push(path);
    }
  };
  walk('test');
  walk('src');
  return found;
}

function checkInclude(page: string, block: CodeBlock): void {
  const include = block.attrs['include'];
  if (include === undefined || include === '') throw new Error(`${page}:${block.line}: a ts block needs include=<test file>#<region>: TypeScript examples live in tests that run`);
  const [file = '', name = ''] = include.split('#');
  if (!existsSync(join(ROOT, file))) throw new Error(`${page}:${block.line}: include=${file}: no such file`);
  if (block.lang === 'ts' && !isTest(file)) throw new Error(`${page}:${block.line}: include=${file} is not a test under test/ or src/ (*.test.ts)`);
  if (block.lang === 'js' && !isTest(file) && !testFiles().some((test) => read(test).includes(file))) {
    throw new Error(`${page}:${block.line}: include=${file} is neither a test nor named by one, so no test runs it`);
  }
  const text = region(read(file), name);
  if (text === null) throw new Error(`${page}:${block.line}: ${file} has no "// #region ${name}" … "// #endregion"`);
  expect(block.content.replace(/\s+$/, ''), `${page}:${block.line} must equal ${file}#${name}`).toBe(text);
}

function checkJsFragment(page: string, block: CodeBlock): void {
  const parse = (code: string) => {
    try {
      transformSync(code, { loader: 'js', format: 'esm' });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
  const asModule = parse(block.content);
  if (asModule !== null && parse(`({\n${block.content}\n})`) !== null) throw new Error(`${page}:${block.line}: not JavaScript (neither a module nor object members):\n${asModule}`);
}

function checkPython(page: string, block: CodeBlock): void {
  const dir = mkdtempSync(join(tmpdir(), 'vb-docs-py-'));
  try {
    const file = join(dir, 'example.py');
    writeFileSync(file, `${block.content}\n`);
    const result = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${page}:${block.line}: python3 -m py_compile failed:\n${result.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkText(page: string, block: CodeBlock): void {
  block.content.split('\n').forEach((line, i) => {
    if (/^\s*(\$\s*)?(npx|npm|curl|docker|voltbench|node|socat|bash|python3?)\s/.test(line)) {
      throw new Error(`${where(page, block, i)}: a text block holds a command; put it in an sh block so it is checked`);
    }
  });
}

function checkCoveredBy(page: string, block: CodeBlock): void {
  const file = block.attrs['covered-by']!;
  if (file === '') throw new Error(`${page}:${block.line}: covered-by needs a file`);
  if (!existsSync(join(ROOT, file)) || !statSync(join(ROOT, file)).isFile()) throw new Error(`${page}:${block.line}: covered-by=${file}: no such file`);
  const text = read(file);
  const missing = shellCommands(block.content).filter((c) => !containsCommand(text, c.text));
  if (missing.length > 0) {
    throw new Error(`${file} does not run these commands of ${page} (each must appear in it as a whole command):\n${missing.map((c) => `  ${where(page, block, c.offset)}: ${normaliseCommand(c.text)}`).join('\n')}`);
  }
}

function checkNoBareVoltbench(page: string, block: CodeBlock): void {
  for (const command of shellCommands(block.content)) {
    if (/^voltbench\s/.test(command.text)) throw new Error(`${where(page, block, command.offset)}: "voltbench" is not on the PATH in a clone; write "npx voltbench"`);
  }
}

// --- The tests.

const python = PYTHON ? it : it.skip;
if (!PYTHON) console.warn('docs test: python3 is missing, so python blocks are SKIPPED');

/**
 * The first `npx voltbench` of a checkout links it into npx's cache and runs its `prepare`, which
 * must find dist/ current (`npm test` builds first) and build nothing: a rebuild would rewrite dist/
 * under the test files running beside this one. Done once here, as a user's first call would be.
 */
async function warmNpx(): Promise<void> {
  const child = spawn('npx', ['voltbench', '--version'], { cwd: ROOT, env: terminalEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  liveGroups.add(child.pid!);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  liveGroups.delete(child.pid!);
  if (code !== 0) throw new Error(`npx voltbench --version exited with ${code}:\n${output.slice(-2000)}`);
}

describe.sequential('documentation', () => {
  // The documented ports are shared with the container tests that run documented commands as written.
  let releasePorts: (() => void) | undefined;
  beforeAll(async () => {
    releasePorts = await lockDocumentedPorts();
  }, 320_000);
  afterAll(() => releasePorts?.());
  beforeAll(warmNpx, 180_000);

  it('README.md links to every page of docs/', () => {
    const targets = new Set(links(read('README.md')).map((l) => normalize(l.target.split('#')[0]!)));
    const unlinked = PAGES.filter((p) => p !== 'README.md' && !targets.has(p));
    expect(unlinked, 'docs pages the README does not link to').toEqual([]);
  });

  it.each(BUILTIN_DEVICES.map((d) => [d.name, d] as const))('docs/%s.md holds the flags table generated from the descriptor', (name, descriptor) => {
    const page = `docs/${name}.md`;
    expect(existsSync(join(ROOT, page)), `${page} exists`).toBe(true);
    const table = markedSection(read(page), `flags:${name}`, '/flags');
    expect(table, `${page} has <!-- flags:${name} --> … <!-- /flags -->`).not.toBeNull();
    expect(table, `${page}: the table between the flags markers must be flagsTable(${name}) (emulators/core/device/options.ts)`).toBe(flagsTable(descriptor));
  });

  it('flags markers name built-in devices, on their own pages', () => {
    const names = new Set<string>(BUILTIN_DEVICES.map((d) => d.name));
    const wrong = PAGES.flatMap((page) => flagsMarkers(read(page)).filter((name) => !names.has(name) || page !== `docs/${name}.md`).map((name) => `${page}: flags:${name}`));
    expect(wrong).toEqual([]);
  });

  for (const page of PAGES) {
    describe.sequential(page, () => {
      const markdown = read(page);
      const blocks = codeBlocks(markdown);
      const missingTools = missingToolsOf(blocks);
      if (missingTools.length > 0) console.warn(`docs test: ${missingTools.join(', ')} missing, so the sh blocks of ${page} are SKIPPED`);
      let shell: PageShell | null = null;
      afterAll(async () => {
        await shell?.close();
        shell = null;
      });

      it(`${page}: relative links lead to files and headings that exist`, () => {
        const broken: string[] = [];
        for (const { target, line } of links(markdown)) {
          if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
          const [path = '', anchor] = target.split('#');
          const file = path === '' ? page : normalize(join(dirname(page), path));
          if (relative(ROOT, join(ROOT, file)).startsWith('..') || !existsSync(join(ROOT, file))) {
            broken.push(`${page}:${line}: ${target} (no ${file})`);
            continue;
          }
          if (anchor !== undefined && file.endsWith('.md') && !headingAnchors(read(file)).has(anchor)) broken.push(`${page}:${line}: ${target} (no heading #${anchor} in ${file})`);
        }
        if (broken.length > 0) throw new Error(`broken links:\n${broken.join('\n')}`);
      });

      for (const block of blocks) {
        const known = KNOWN[block.lang];
        if (known === undefined) {
          it(title(page, block), () => {
            throw new Error(`${page}:${block.line}: unknown language tag "${block.lang}"; the docs test knows ${Object.keys(KNOWN).join(', ')}`);
          });
          continue;
        }
        const unknownAttrs = Object.keys(block.attrs).filter((a) => !known.includes(a));
        if (unknownAttrs.length > 0) {
          it(title(page, block), () => {
            throw new Error(`${page}:${block.line}: ${block.lang} blocks take ${known.length > 0 ? known.join(', ') : 'no attributes'}, not ${unknownAttrs.join(', ')}`);
          });
          continue;
        }
        switch (block.lang) {
          case 'json':
            it(title(page, block), () => checkJson(page, block));
            break;
          case 'jsonl':
            it(title(page, block), () => checkJsonLines(page, block));
            break;
          case 'ts':
            it(title(page, block), () => checkInclude(page, block));
            break;
          case 'js':
            it(title(page, block), () => (block.attrs['include'] !== undefined ? checkInclude(page, block) : checkJsFragment(page, block)));
            break;
          case 'python':
            python(`${title(page, block)}${PYTHON ? '' : ' (SKIPPED: python3 is missing)'}`, () => checkPython(page, block));
            break;
          case 'text':
            it(title(page, block), () => checkText(page, block));
            break;
          case 'sh':
            if (block.attrs['covered-by'] !== undefined) {
              it(title(page, block), () => {
                checkNoBareVoltbench(page, block);
                checkCoveredBy(page, block);
              });
              break;
            }
            if (missingTools.length > 0) {
              it.skip(`${title(page, block)} (SKIPPED: ${missingTools.join(', ')} missing, and this page's commands call it)`, () => {});
              break;
            }
            it(
              title(page, block),
              async () => {
                checkNoBareVoltbench(page, block);
                if (shell === null) {
                  await documentedPortsFree();
                  shell = new PageShell();
                } else if (block.attrs['fresh'] !== undefined) {
                  await shell.stopServers();
                  await documentedPortsFree();
                }
                for (const command of shellCommands(block.content)) {
                  const at = `${where(page, block, command.offset)}: ${normaliseCommand(command.text)}`;
                  const kind = backgroundKind(command.text);
                  if (kind !== null) {
                    await shell.start(command.text, kind).catch((error: Error) => {
                      throw new Error(`${at}\n${error.message}`);
                    });
                    continue;
                  }
                  const { code, output } = await shell.run(command.text).catch((error: Error) => {
                    throw new Error(`${at}\n${error.message}`);
                  });
                  if (code !== 0) throw new Error(`${at}\nexited with ${code}:\n${output.slice(-2000)}`);
                }
              },
              PORT_WAIT_MS + 90_000,
            );
            break;
        }
      }
    });
  }
});
