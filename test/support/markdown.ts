// Reading the documentation for test/docs.test.ts: fenced code blocks with their info strings,
// generated sections between marker comments, links and heading anchors, shell commands, and the
// checks that are pure functions of text (JSON excerpts, #region includes, covered-by files).

/** One fenced code block of a Markdown page. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The first word of the info string (`json`, `sh`, …); '' when there is none. */
  lang: string;
  /** The rest of the info string as `key=value` attributes (a bare word is `key=''`). */
  attrs: Record<string, string>;
  /** The lines between the fences, joined with '\n' (no trailing newline). */
  content: string;
}

/** Fenced blocks (``` or ~~~, three or more) in document order; an unclosed fence runs to the end. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(lines[j]!);
    }
    const [lang = '', ...words] = info.split(/\s+/).filter((w) => w !== '');
    const attrs: Record<string, string> = {};
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq === -1) attrs[word] = '';
      else attrs[word.slice(0, eq)] = word.slice(eq + 1);
    }
    blocks.push({ line: i + 1, lang, attrs, content: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Markdown with every fenced block's content blanked (lines kept), so prose checks skip code. */
export function withoutCode(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of codeBlocks(markdown)) {
    const count = block.content === '' ? 0 : block.content.split('\n').length;
    for (let k = 0; k < count; k++) lines[block.line + k] = '';
  }
  return lines.join('\n');
}

/** The text between `<!-- name -->` and the next `<!-- /closing -->`, trimmed; null when the opening marker is missing. */
export function markedSection(markdown: string, name: string, closing: string): string | null {
  const open = `<!-- ${name} -->`;
  const start = markdown.indexOf(open);
  if (start === -1) return null;
  const end = markdown.indexOf(`<!-- ${closing} -->`, start + open.length);
  if (end === -1) return null;
  return markdown.slice(start + open.length, end).trim();
}

/** Every `<!-- flags:<device> -->` marker's device name. */
export function flagsMarkers(markdown: string): string[] {
  return [...markdown.matchAll(/<!-- flags:([a-z0-9-]+) -->/g)].map((m) => m[1]!);
}

/** Link targets of inline links and images outside code: `[text](target)`, with their 1-based line. */
export function links(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((text, i) => {
      // Inline code can hold brackets (`[--only a,b]`): drop it first.
      const prose = text.replace(/`[^`]*`/g, '');
      for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ target: m[1]!, line: i + 1 });
    });
  return found;
}

/** GitHub's anchors for the page's headings (lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(markdown).split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = m[1]!
      .toLowerCase()
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** One shell command of a block: its text (continuation lines kept) and its first line in the block (0-based). */
export interface ShellCommand {
  text: string;
  /** Offset of its first line inside the block. */
  offset: number;
}

/** Removes a trailing `# comment` that is outside quotes; returns the line unchanged when there is none. */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '\\') {
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

/**
 * The commands of a shell block: one per line, a line ending in `\` continuing onto the next;
 * comments dropped, blank lines skipped.
 */
export function shellCommands(content: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let text = stripComment(lines[i]!);
    if (text.trim() === '') continue;
    const offset = i;
    while (text.endsWith('\\') && i + 1 < lines.length) {
      i++;
      text = `${text}\n${stripComment(lines[i]!)}`;
    }
    commands.push({ text: text.trim(), offset });
  }
  return commands;
}

/** A command as one line with single spaces (continuations joined), for comparing with other files. */
export function normaliseCommand(text: string): string {
  return text.replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Whether `file` contains `command` as a whole command: normalised, and bounded on the left by the
 * start of a line, a space, a quote, `(`, `;`, `&` or `|`, and on the right by the end of the line, a
 * quote, `)`, `;`, `&`, `|` or a comment (so `npm test || status=$?` contains `npm test`, while
 * `npm install --omit=dev` does not contain `npm install`).
 */
export function containsCommand(file: string, command: string): boolean {
  const wanted = normaliseCommand(command);
  const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?:^|[\\s'"\`(;&|])${escaped}\\s*(?:$|['"\`);&|#])`);
  return file.split('\n').some((line) => pattern.test(normaliseCommand(line)));
}

/** The lines between `// #region <name>` and the next `// #endregion`, with their common indentation removed; null if absent. */
export function region(source: string, name: string): string | null {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start === -1) return null;
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('// #endregion'));
  if (end === -1) return null;
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return body
    .map((l) => l.slice(Number.isFinite(indent) ? indent : 0))
    .join('\n')
    .replace(/^\n+|\s+$/g, '');
}

/**
 * Why `excerpt` is not a deep subset of `whole`, or null when it is: objects need every key of the
 * excerpt with a matching value, arrays the excerpt's elements in order as a subsequence of the
 * whole's (each matched as a subset), anything else equality.
 */
export function subsetMismatch(excerpt: unknown, whole: unknown, path = '$'): string | null {
  if (Array.isArray(excerpt)) {
    if (!Array.isArray(whole)) return `${path}: the excerpt has an array, the file ${JSON.stringify(whole)}`;
    let j = 0;
    for (let i = 0; i < excerpt.length; i++) {
      while (j < whole.length && subsetMismatch(excerpt[i], whole[j], `${path}[${j}]`) !== null) j++;
      if (j === whole.length) return `${path}[${i}]: ${JSON.stringify(excerpt[i])} is not in the file's array (in this order)`;
      j++;
    }
    return null;
  }
  if (excerpt !== null && typeof excerpt === 'object') {
    if (whole === null || typeof whole !== 'object' || Array.isArray(whole)) return `${path}: the excerpt has an object, the file ${JSON.stringify(whole)}`;
    for (const [key, value] of Object.entries(excerpt)) {
      if (!(key in whole)) return `${path}.${key}: not in the file`;
      const inner = subsetMismatch(value, (whole as Record<string, unknown>)[key], `${path}.${key}`);
      if (inner !== null) return inner;
    }
    return null;
  }
  return Object.is(excerpt, whole) ? null : `${path}: the excerpt has ${JSON.stringify(excerpt)}, the file ${JSON.stringify(whole)}`;
}
