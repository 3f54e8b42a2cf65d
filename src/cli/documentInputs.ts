import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DOCUMENT_SUFFIX } from '../shared/annotationDocument';

export interface FoundDocument {
  path: string;
  /** The folder it was found in (absent for a document given by name). */
  root?: string;
}

/**
 * The annotation documents named by the command line: files as given, folders searched recursively for
 * `*.emotion.json` (skipping hidden folders and node_modules), each document once, in path order per folder.
 * Inputs that are missing or hold no document become one failure line each.
 */
export async function expandDocuments(inputs: readonly string[]): Promise<{ documents: FoundDocument[]; failures: string[] }> {
  const documents = new Map<string, FoundDocument>();
  const failures: string[] = [];
  for (const input of inputs) {
    const stat = await fs.stat(input).catch(() => undefined);
    if (!stat) {
      failures.push(`${input}: not found. Give the path of a <video>${DOCUMENT_SUFFIX} document.`);
    } else if (stat.isDirectory()) {
      const entries = await fs.readdir(input, { recursive: true });
      const found = entries
        .map((e) => path.join(input, e))
        .filter((p) => p.endsWith(DOCUMENT_SUFFIX) && !path.relative(input, p).split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules'))
        .sort();
      if (found.length === 0) failures.push(`${input}: folder contains no *${DOCUMENT_SUFFIX} documents.`);
      for (const file of found) if (!documents.has(file)) documents.set(file, { path: file, root: input });
    } else if (!documents.has(input)) {
      documents.set(input, { path: input });
    }
  }
  return { documents: [...documents.values()], failures };
}
