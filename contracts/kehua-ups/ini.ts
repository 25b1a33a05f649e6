// A parser for the ECS-style INI maps (`UL33.ini` and its siblings). The seed copy lost its line
// breaks, so every original line survives only as a whitespace-separated token. No value in these
// maps contains a space, which makes "one token = one line" exact; real multi-line files parse the
// same way.

export interface IniDocument {
  /** Section name → key → value, in file order. Keys before the first section go under ''. */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export class IniSyntaxError extends Error {
  override readonly name = 'IniSyntaxError';
}

const SECTION = /^\[([^\]]+)\]$/;
const ENTRY = /^([^=]+)=(.*)$/;

export function parseIni(text: string): IniDocument {
  const sections = new Map<string, Map<string, string>>();
  let current = new Map<string, string>();
  sections.set('', current);

  for (const token of text.split(/\s+/)) {
    if (token === '' || token.startsWith('#') || token.startsWith(';')) continue;
    const section = SECTION.exec(token);
    if (section) {
      const name = section[1] ?? '';
      if (sections.has(name)) throw new IniSyntaxError(`duplicate section [${name}]`);
      current = new Map();
      sections.set(name, current);
      continue;
    }
    const entry = ENTRY.exec(token);
    if (!entry) throw new IniSyntaxError(`not a comment, section or key=value: ${JSON.stringify(token)}`);
    const key = entry[1] ?? '';
    if (current.has(key)) throw new IniSyntaxError(`duplicate key ${key}`);
    current.set(key, entry[2] ?? '');
  }
  return { sections };
}
