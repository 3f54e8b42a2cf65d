import packageJson from '../../../package.json';

/** Name and version written into every document's provenance. */
export const TOOL = { name: packageJson.name, version: packageJson.version } as const;
