import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLine, lineHashes } from '../src/linehash.js';
import { runCli, tempTree } from './helpers.js';

/**
 * Expected values from the tests of GitHub's upload action (github/codeql-action,
 * src/fingerprints.test.ts): the hash of every line of a text, in line order.
 */
const KNOWN: Array<[string, string[]]> = [
  ['', ['c129715d7a2bc9a3:1']],
  [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
  [' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End', ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1']],
  ...[' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n', ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r', ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n', ' hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n'].map(
    (text) => [text, ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1']] as [string, string[]],
  ),
  [
    'Lorem ipsum dolor sit amet.\n'.repeat(10),
    ['a7f2ff13bc495cf2:1', 'a7f2ff13bc495cf2:2', 'a7f2ff13bc495cf2:3', 'a7f2ff13bc495cf2:4', 'a7f2ff13bc495cf2:5', 'a7f2ff13bc495cf2:6', 'a7f2ff1481e87703:1', 'a9cf91f7bbf1862b:1', '55ec222b86bcae53:1', 'cc97dc7b1d7d8f7b:1', 'c129715d7a2bc9a3:1'],
  ],
  ['x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n', ['e54938cc54b302f1:1', 'bb609acbe9138d60:1', '1131fd5871777f34:1', '5c482a0f8b35ea28:1', '54517377da7028d2:1', '2c644846cb18d53e:1', 'f1b89f20de0d133:1', 'c129715d7a2bc9a3:1']],
];

describe('primaryLocationLineHash (as GitHub\'s upload action computes it)', () => {
  it('gives the published values for every line', () => {
    for (const [text, expected] of KNOWN) {
      const hashes = lineHashes(text);
      expect([...hashes.keys()], JSON.stringify(text)).toEqual(expected.map((_, i) => i + 1));
      expect([...hashes.values()], JSON.stringify(text)).toEqual(expected);
    }
  });

  it('agrees with 64-bit BigInt arithmetic on long texts of any characters', () => {
    // the hash of the window that starts at a line, computed directly with BigInt
    const direct = (codes: number[], from: number) => {
      const window = [...codes.slice(from), 65535, ...Array(100).fill(0)].slice(0, 100);
      let h = 0n;
      for (const c of window) h = BigInt.asIntN(64, 37n * h + BigInt(c));
      return BigInt.asUintN(64, h).toString(16);
    };
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const alphabet = [0x41, 0x7a, 0xe9, 0x4e2d, 0xfffe, 0xd83d, 0xde00, 0xffff];
    for (let n = 0; n < 40; n++) {
      const lines: string[] = [];
      for (let k = 0; k < 1 + (next() % 8); k++) {
        let line = '';
        for (let i = 0; i < next() % 250; i++) line += String.fromCharCode(alphabet[next() % alphabet.length]!);
        lines.push(line);
      }
      const text = lines.join('\n');
      const codes = [...text].flatMap((ch) => [...Array(ch.length).keys()].map((k) => ch.charCodeAt(k)));
      const starts = [0, ...codes.flatMap((c, i) => (c === 10 ? [i + 1] : []))];
      const got = [...lineHashes(text).values()].map((v) => v.replace(/:\d+$/, ''));
      expect(got, JSON.stringify(text.slice(0, 40))).toEqual(starts.map((from) => direct(codes, from)));
    }
  });

  it('counts hashes that share their low half apart', () => {
    const counts = new Map();
    const seen = [[0, 7], [1, 7], [0, 7], [1, 7], [1, 7], [2, 8], [0xffffffff, 7], [2, 8]].map(([hi, lo]) => countLine(counts, hi!, lo!));
    expect(seen).toEqual([1, 1, 2, 2, 3, 1, 1, 2]);
  });

  it('gives the same value for a line when asked for that line only', () => {
    const text = 'Lorem ipsum dolor sit amet.\n'.repeat(10);
    expect(lineHashes(text, new Set([4, 9]))).toEqual(new Map([[4, 'a7f2ff13bc495cf2:4'], [9, '55ec222b86bcae53:1']]));
  });

  it('is carried by every SARIF result, next to tlslint\'s own fingerprint, and matches the file on disk', () => {
    const go = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\nvar B = &tls.Config{MinVersion: tls.VersionTLS10}\n';
    const dir = tempTree({ 'a.go': go, 'b.go': '\ufeff' + go.replace(/\n/g, '\r\n') });
    const r = runCli(['--format', 'sarif', '.'], { cwd: dir });
    const results = JSON.parse(r.stdout).runs[0].results as Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>; partialFingerprints: Record<string, string> }>;
    expect(results.length).toBe(4);
    for (const res of results) {
      const loc = res.locations[0]!.physicalLocation;
      const text = fs.readFileSync(path.join(dir, loc.artifactLocation.uri), 'utf8'); // as the action reads it
      expect(res.partialFingerprints.primaryLocationLineHash).toBe(lineHashes(text).get(loc.region.startLine));
      expect(res.partialFingerprints['tlslintFindingHash/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    // the two identical lines of a file are told apart by their occurrence
    const ofA = results.filter((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === 'a.go').map((x) => x.partialFingerprints.primaryLocationLineHash!);
    expect(new Set(ofA).size).toBe(2);
  });
});
