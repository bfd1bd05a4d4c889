import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function readPackage(): { version: string; homepage?: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version: string; homepage?: string };
      if (pkg.name === 'tlslint') return pkg;
    } catch {
      /* keep looking */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { version: '0.0.0' };
    dir = parent;
  }
}

const pkg = readPackage();
export const VERSION = pkg.version;
export const INFORMATION_URI = pkg.homepage ?? 'https://github.com/tlslint/tlslint';
export const RULES_DOC_URI = `${INFORMATION_URI}/blob/main/docs/rules.md`;


/** GitHub's heading anchor for `## go/tls-min-version-too-low`. */
export function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, '');
}

/** A rule's section of docs/rules.md (SARIF `helpUri`). */
export function ruleHelpUri(id: string): string {
  return `${RULES_DOC_URI}#${anchor(id)}`;
}
