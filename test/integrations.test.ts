/** Other CI systems and pipes: GitLab's SAST report, JUnit XML, standard input. */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import Parser from 'tree-sitter';
import XML from '@tree-sitter-grammars/tree-sitter-xml';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli, tempTree } from './helpers.js';

// GitLab's published schema for SAST reports (see test/schema/README.md for its origin and license)
const gitlabSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'schema', 'gitlab-sast-report-format-15.0.7.json'), 'utf8'));
const validateGitlab = new Ajv({ allErrors: true, strict: false }).compile(gitlabSchema);

describe('--format gitlab (GitLab SAST report)', () => {
  it('validates against GitLab\'s published schema, with identifiers, locations and solutions', () => {
    // no per-file time budget: the test compares two runs, and in the full suite on two cores a
    // file was abandoned at the 5 s budget in one run and not in the other (budgets.test.ts
    // tests the budget itself)
    const r = runCli(['--format', 'gitlab', '--file-timeout', '0', 'fixtures', 'demo']);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(validateGitlab(report), JSON.stringify(validateGitlab.errors?.slice(0, 5), null, 2)).toBe(true);
    expect(report.version).toBe(gitlabSchema.self.version);
    expect(report.scan.type).toBe('sast');
    expect(report.vulnerabilities.length).toBeGreaterThan(100);
    const ids = new Set<string>();
    for (const v of report.vulnerabilities) {
      ids.add(v.id);
      expect(v.identifiers[0].type).toBe('tlslint_rule_id');
      expect(v.identifiers.some((i: { type: string }) => i.type === 'cwe')).toBe(true);
      expect(v.location.file).not.toMatch(/^\//);
      expect(['High', 'Medium', 'Low']).toContain(v.severity);
      expect(v.solution.length).toBeGreaterThan(5);
    }
    expect(ids.size).toBe(report.vulnerabilities.length); // ids are unique
    // and stable from run to run
    const again = JSON.parse(runCli(['--format', 'gitlab', '--file-timeout', '0', 'fixtures', 'demo']).stdout);
    expect(again.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(report.vulnerabilities.map((v: { id: string }) => v.id));
  });

  it('an empty scan is a valid report too', () => {
    const dir = tempTree({ 'a.txt': 'nothing' });
    const empty = JSON.parse(runCli(['--format', 'gitlab', '.'], { cwd: dir }).stdout);
    expect(validateGitlab(empty)).toBe(true);
    expect(empty.vulnerabilities).toEqual([]);
  });
});

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses XML with the tree-sitter grammar tlslint ships; throws on any syntax error. */
function parseXml(source: string): XmlElement {
  const parser = new Parser();
  parser.setLanguage(XML.xml as Parser.Language);
  const tree = parser.parse(source);
  if (tree.rootNode.hasError) throw new Error('not well-formed XML');
  const unescape = (s: string) => s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
  const toElement = (node: Parser.SyntaxNode): XmlElement => {
    const tag = node.namedChildren.find((c) => c.type === 'STag' || c.type === 'EmptyElemTag')!;
    const attrs: Record<string, string> = {};
    for (const a of tag.namedChildren.filter((c) => c.type === 'Attribute')) attrs[a.namedChildren[0]!.text] = unescape(a.namedChildren[1]!.text.slice(1, -1));
    const content = node.namedChildren.find((c) => c.type === 'content');
    const children = (content?.namedChildren ?? []).filter((c) => c.type === 'element').map(toElement);
    const text = unescape((content?.namedChildren ?? []).filter((c) => c.type !== 'element').map((c) => c.text).join(''));
    return { name: tag.namedChildren[0]!.text, attrs, children, text };
  };
  return toElement(tree.rootNode.childForFieldName('root')!);
}

/** The shape CI systems read (the common JUnit schema): counts that add up, required attributes. */
function checkJunit(xml: string): XmlElement {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    for (const a of ['name', 'tests', 'failures', 'errors', 'time', 'timestamp']) expect(suite.attrs[a], a).toBeDefined();
    expect(suite.attrs.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(Number(suite.attrs.tests)).toBe(suite.children.length);
    expect(Number(suite.attrs.failures)).toBe(suite.children.filter((c) => c.children.some((x) => x.name === 'failure')).length);
    expect(Number(suite.attrs.errors)).toBe(suite.children.filter((c) => c.children.some((x) => x.name === 'error')).length);
    for (const c of suite.children) {
      expect(c.name).toBe('testcase');
      expect(c.attrs.name).toBeTruthy();
      expect(c.attrs.classname).toBeTruthy();
      expect(Number.isFinite(Number(c.attrs.time))).toBe(true);
      for (const x of c.children) {
        expect(['failure', 'error']).toContain(x.name);
        expect(x.attrs.message).toBeTruthy();
        expect(x.attrs.type).toBeTruthy();
      }
    }
    tests += Number(suite.attrs.tests);
    failures += Number(suite.attrs.failures);
    errors += Number(suite.attrs.errors);
  }
  expect(Number(root.attrs.tests)).toBe(tests);
  expect(Number(root.attrs.failures)).toBe(failures);
  expect(Number(root.attrs.errors)).toBe(errors);
  return root;
}

describe('--format junit', () => {
  it('one failing test case per finding, grouped by file, with counts that add up', () => {
    const json = JSON.parse(runCli(['--format', 'json', 'fixtures/go', 'demo']).stdout);
    const r = runCli(['--format', 'junit', 'fixtures/go', 'demo']);
    expect(r.status).toBe(1);
    const root = checkJunit(r.stdout);
    expect(Number(root.attrs.failures)).toBe(json.findings.length);
    const first = json.findings[0];
    const suite = root.children.find((s) => s.attrs.name === first.path)!;
    const testcase = suite.children.find((c) => c.attrs.line === String(first.startLine) && c.attrs.name.startsWith(first.ruleId))!;
    expect(testcase.children[0]!.attrs.message).toBe(first.message);
    expect(testcase.children[0]!.text).toContain(`${first.path}:${first.startLine}`);
  });

  it('a clean scan is one passing test case; markup and control characters in code are escaped', () => {
    const clean = checkJunit(runCli(['--format', 'junit', '.'], { cwd: tempTree({ 'a.go': 'package a\n' }) }).stdout);
    expect(clean.attrs.failures).toBe('0');
    expect(clean.children[0]!.children).toHaveLength(1);
    const dir = tempTree({ 'a<b>&"c\'.go': 'package a\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10} // <x> & "y" \u0001\n' });
    const root = checkJunit(runCli(['--format', 'junit', '.'], { cwd: dir }).stdout);
    expect(root.children[0]!.attrs.name).toBe('a<b>&"c\'.go');
    expect(root.children[0]!.children[0]!.children[0]!.text).toContain('// <x> & "y"');
  });
});

describe('standard input (--stdin-filename NAME -)', () => {
  const weak = 'package x\n\nimport "crypto/tls"\n\nvar A = &tls.Config{MinVersion: tls.VersionTLS10}\n';
  const run = (args: string[], input: string | Buffer, cwd = ROOT) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
  };

  it('scans the text as that file and reports it under that name', () => {
    const dir = tempTree({ 'go.mod': 'module x\n\ngo 1.16\n' });
    const r = run(['--format', 'json', '--stdin-filename', 'pkg/client.go', '-'], weak, dir);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout.toString());
    expect(report.findings.map((f: { ruleId: string; path: string; startLine: number }) => [f.ruleId, f.path, f.startLine])).toEqual([['go/tls-min-version-too-low', path.join('pkg', 'client.go'), 5]]);
    // the same as scanning the file on disk
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(path.join(dir, 'pkg', 'client.go'), weak);
    const disk = JSON.parse(runCli(['--format', 'json', 'pkg/client.go'], { cwd: dir }).stdout);
    expect(report.findings.map((f: { message: string }) => f.message)).toEqual(disk.findings.map((f: { message: string }) => f.message));
    // project facts come from the name's folder: go.mod's go 1.16 makes a bare client config a finding
    const facts = JSON.parse(run(['--format', 'json', '--stdin-filename', 'pkg/c.go', '-'], 'package x\n\nimport "crypto/tls"\n\nvar C = &tls.Config{}\n', dir).stdout.toString());
    expect(facts.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['go/tls-min-version-missing']);
    // test code is tagged by the name
    const test = JSON.parse(run(['--format', 'json', '--stdin-filename', 'pkg/client_test.go', '-'], weak, dir).stdout.toString());
    expect(test.findings[0].tags).toContain('test');
  });

  it('with --fix writes the fixed text to standard output and the rest to standard error', () => {
    const r = run(['--fix', '--stdin-filename', 'a.go', '-'], weak);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe(weak.replace('VersionTLS10', 'VersionTLS12'));
    // nothing to fix: the input comes back byte for byte (a BOM and CRLF line ends included)
    const clean = Buffer.from('\ufeffpackage x\r\n\r\nvar s = "VersionTLS10"\r\n');
    const same = run(['--fix', '--stdin-filename', 'a.go', '-'], clean);
    expect(same.status).toBe(0);
    expect(Buffer.compare(same.stdout, clean)).toBe(0);
    // a BOM survives a fix
    const bom = run(['--fix', '--stdin-filename', 'a.go', '-'], Buffer.from('\ufeff' + weak));
    expect(bom.stdout.toString()).toBe('\ufeff' + weak.replace('VersionTLS10', 'VersionTLS12'));
    // findings without a fix stay on standard error, and decide the exit status
    const rest = run(['--fix', '--stdin-filename', 'a.go', '-'], weak.replace('MinVersion: tls.VersionTLS10', 'InsecureSkipVerify: true'));
    expect(rest.status).toBe(1);
    expect(rest.stderr).toContain('go/tls-insecure-skip-verify');
    expect(rest.stdout.toString()).toContain('InsecureSkipVerify: true');
  });

  it('rejects - without a name, a name without -, and other paths beside -', () => {
    expect(run(['-'], weak).stderr).toMatch(/--stdin-filename/);
    expect(run(['-'], weak).status).toBe(2);
    expect(run(['--stdin-filename', 'a.go', 'src'], weak).status).toBe(2);
    expect(run(['--stdin-filename', 'a.go', '-', 'src'], weak).status).toBe(2);
    // a kind tlslint does not read: nothing to report, exit 0
    const other = run(['--stdin-filename', 'notes.txt', '-'], 'TLSv1');
    expect(other.status).toBe(0);
  });
});
