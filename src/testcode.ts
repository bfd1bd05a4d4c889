import path from 'node:path';

const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'testdata', 'test-data', 'spec', 'specs', 'testing', 'it']);
const TEST_FILE = [
  /_test\.(?:go|py|rb)$/i,
  /^test_.*\.py$/i,
  /^conftest\.py$/i,
  /(?:Test|Tests|IT|Spec)\.(?:java|kt|cs|scala|groovy)$/,
  /\.(?:test|spec)\.[cm]?[jt]sx?$/i,
  /_spec\.rb$/i,
];

/** True when a path looks like test code (by folder or file naming conventions). */
export function isTestPath(filePath: string): boolean {
  const normalized = filePath.split(path.sep).join('/');
  const parts = normalized.split('/');
  const base = parts.pop() ?? '';
  if (TEST_FILE.some((re) => re.test(base))) return true;
  // src/test/java (Maven), test/, tests/, __tests__/...
  return parts.some((part) => TEST_DIRS.has(part.toLowerCase()));
}
