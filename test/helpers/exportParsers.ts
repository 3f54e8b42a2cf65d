// Small, strict readers for the export formats, written for the tests so they check the files independently of
// the code that wrote them: an RFC 4180 CSV parser, an XML well-formedness parser, and a WebVTT block reader.

/** RFC 4180: fields separated by commas, optionally double-quoted (quotes doubled inside); records end at a line break. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new Error(`CSV: text after a closing quote at ${i}`);
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      if (fieldStarted) throw new Error(`CSV: quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), its children's excluded. */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

/** Parses a well-formed XML document (no DTD) or throws saying where it is not well-formed. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at ${i}: ${why} near ${JSON.stringify(source.slice(i, i + 40))}`);
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    if (!/^<\?xml version="1\.[0-9]"( encoding="[A-Za-z0-9._-]+")?( standalone="(yes|no)")?\s*\?>$/.test(source.slice(0, end + 2))) fail('bad XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < source.length) {
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', i)) {
      const end = source.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) fail('CDATA outside an element or unterminated');
      stack[stack.length - 1]!.text += source.slice(i + 9, end);
      i = end + 3;
    } else if (source.startsWith('<!', i) || source.startsWith('<?', i)) {
      fail('DTDs and processing instructions are not expected');
    } else if (source.startsWith('</', i)) {
      const end = source.indexOf('>', i);
      if (end < 0) fail('unterminated end tag');
      const name = source.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) fail(`end tag </${name}> does not match <${open?.name ?? '(none)'}>`);
      i = end + 1;
    } else if (source[i] === '<') {
      const element = readStartTag();
      if (stack.length === 0) {
        if (root) fail('more than one root element');
        root = element.element;
      } else {
        stack[stack.length - 1]!.children.push(element.element);
      }
      if (!element.selfClosing) stack.push(element.element);
    } else {
      const next = source.indexOf('<', i);
      const raw = source.slice(i, next < 0 ? source.length : next);
      if (stack.length === 0) {
        if (raw.trim() !== '') fail('text outside the root element');
      } else {
        if (raw.includes(']]>')) fail(']]> in text');
        stack[stack.length - 1]!.text += decode(raw, fail);
      }
      i = next < 0 ? source.length : next;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) return fail('no root element');
  return root;

  function readStartTag(): { element: XmlElement; selfClosing: boolean } {
    i++;
    const nameMatch = /^[^\s/>]+/.exec(source.slice(i));
    if (!nameMatch || !NAME.test(nameMatch[0])) return fail('bad element name');
    const element: XmlElement = { name: nameMatch[0], attributes: {}, children: [], text: '' };
    i += nameMatch[0].length;
    for (;;) {
      const space = /^\s*/.exec(source.slice(i))![0].length;
      i += space;
      if (source.startsWith('/>', i)) {
        i += 2;
        return { element, selfClosing: true };
      }
      if (source[i] === '>') {
        i++;
        return { element, selfClosing: false };
      }
      if (space === 0) fail('attributes must be separated by white space');
      const attr = /^([^\s=/>]+)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i));
      if (!attr || !NAME.test(attr[1]!)) return fail('bad attribute');
      if (attr[1]! in element.attributes) fail(`duplicate attribute ${attr[1]}`);
      element.attributes[attr[1]!] = decode(attr[3] ?? attr[4] ?? '', fail);
      i += attr[0].length;
    }
  }
}

function decode(text: string, fail: (why: string) => never): string {
  return text.replace(/&([^;&\s]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) fail(`bare & in ${JSON.stringify(text)}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(entity);
    if (!numeric) return fail(`unknown entity &${entity};`);
    return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** Every descendant element with this name, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}

export interface VttCue {
  id?: string;
  startMs: number;
  endMs: number;
  text: string;
  /** The NOTE block right before this cue, if any. */
  note?: string;
}

export interface VttFile {
  header: string;
  notes: string[];
  cues: VttCue[];
}

const TIMING = /^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$/;

/** Reads WebVTT blocks strictly enough to reject what a player would reject. */
export function parseVtt(text: string): VttFile {
  if (text.includes('\r')) throw new Error('VTT: expected \\n line ends');
  const blocks = text.split(/\n{2,}/).map((b) => b.replace(/\n+$/, '')).filter((b) => b !== '');
  const header = blocks.shift() ?? '';
  if (!/^WEBVTT([ \t][^\n]*)?$/.test(header.split('\n')[0] ?? '') || header.includes('-->')) throw new Error(`VTT: bad header ${JSON.stringify(header)}`);
  const file: VttFile = { header, notes: [], cues: [] };
  let pendingNote: string | undefined;
  for (const block of blocks) {
    if (/^NOTE($|[ \t\n])/.test(block)) {
      if (block.includes('-->')) throw new Error('VTT: "-->" inside a NOTE');
      pendingNote = block.replace(/^NOTE[ \t\n]?/, '');
      file.notes.push(pendingNote);
      continue;
    }
    const lines = block.split('\n');
    const id = TIMING.test(lines[0] ?? '') ? undefined : lines.shift();
    const timing = TIMING.exec(lines.shift() ?? '');
    if (!timing) throw new Error(`VTT: no timing line in ${JSON.stringify(block)}`);
    const ms = (h: string, m: string, s: string, f: string) => ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(f);
    const t = timing.slice(1);
    const cue: VttCue = { startMs: ms(t[0]!, t[1]!, t[2]!, t[3]!), endMs: ms(t[4]!, t[5]!, t[6]!, t[7]!), text: lines.join('\n') };
    if (id !== undefined) cue.id = id;
    if (pendingNote !== undefined) cue.note = pendingNote;
    pendingNote = undefined;
    file.cues.push(cue);
  }
  return file;
}

/** Decodes the escapes allowed in WebVTT cue text. */
export function vttUnescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
}
