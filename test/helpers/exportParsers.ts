// Readers for the export formats, independent of the code that wrote them: CSV by csv-parse (RFC 4180, strict:
// every record as long as the header), XML by fast-xml-parser (validated first, then read in document order),
// and a WebVTT block reader of our own, which also ties each NOTE to the cue after it (where the exports put
// the utterance's sentiment).
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Rows of fields, the header row first. */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: false, relax_quotes: false, relax_column_count: false, skip_empty_lines: false }) as string[][];
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), its children's excluded. */
  text: string;
}

/** One node of fast-xml-parser's document-order output: `{ name: children, ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

/** Parses a well-formed XML document or throws saying where it is not well-formed. */
export function parseXml(source: string): XmlElement {
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new Error(`XML not well-formed at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const parser = new XMLParser({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
    trimValues: false, ignoreDeclaration: true, processEntities: true, htmlEntities: true,
  });
  const roots = (parser.parse(source) as OrderedNode[]).map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) throw new Error(`XML: expected one root element, found ${roots.length}`);
  return roots[0]!;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
  if (name === undefined) return undefined;
  const element: XmlElement = { name, attributes: (node[':@'] as Record<string, string> | undefined) ?? {}, children: [], text: '' };
  for (const child of node[name] as OrderedNode[]) {
    if ('#text' in child) element.text += String(child['#text']);
    else {
      const childElement = toElement(child);
      if (childElement) element.children.push(childElement);
    }
  }
  return element;
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
