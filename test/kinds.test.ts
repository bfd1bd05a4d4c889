import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config.js';
import { PRECOMMIT_HOOKS, renderPrecommitHooks } from '../src/docs.js';
import { classify, FILE_KINDS, fileKindById } from '../src/languages.js';
import { RULES } from '../src/registry.js';
import { selectRules } from '../src/select.js';
import { ROOT, walk } from './helpers.js';

describe('file kinds', () => {
  it('files that packs read by name have kinds of their own, parsed like their format', () => {
    const cases: Array<[string, string[]]> = [
      ['app/pom.xml', ['pom', 'xml']],
      ['app/other.xml', ['xml']],
      ['src/App/App.csproj', ['dotnet-project', 'xml']],
      ['src/App/Lib.fsproj', ['xml']],
      ['src/App/Web.config', ['web-config', 'dotnet-config', 'xml']],
      ['src/App/App.config', ['web-config', 'dotnet-config', 'xml']],
      ['src/App/Web.Release.config', ['dotnet-config', 'xml']],
      ['src/App/jvm.config', ['jvm-config']],
      ['src/App/appsettings.Production.json', ['appsettings', 'json']],
      ['web/package.json', ['package-json', 'json']],
      ['web/tsconfig.json', ['json']],
      ['go.mod', ['gomod']],
      ['go.work', ['gowork']],
      ['setup.py', ['setup-py', 'python']],
      ['runtime.txt', ['runtime-txt']],
      ['.python-version', ['python-version']],
      ['Gemfile', ['gemfile', 'ruby']],
      ['Rakefile', ['ruby']],
      ['Dockerfile.prod', ['dockerfile']],
      ['src/tls.c', ['c']],
      ['include/tls.h', ['c']],
      ['src/client.cpp', ['cpp', 'c']],
      ['src/client.hpp', ['cpp', 'c']],
      ['web/index.php', ['php']],
      ['web/composer.json', ['composer', 'json']],
      ['CMakeLists.txt', ['cmake']],
      ['cmake/FindTLS.cmake', ['cmake']],
      ['configure.ac', ['autoconf']],
      ['Makefile', ['makefile']],
      ['meson.build', ['meson']],
    ];
    for (const [file, lineage] of cases) expect(classify(file)?.lineage, file).toEqual(lineage);
    expect(classify('pom.xml')!.parser).toBe(fileKindById('xml')!.parser);
    expect(classify('pom.xml')!.blockComment).toEqual(['<!--', '-->']);
    expect(classify('package.json')!.lineComments).toEqual(['//']);
    expect(fileKindById('javascript')!.parser.type).toBe('typescript');
    expect(fileKindById('typescript')!.parser.type).toBe('typescript');
    // C++ is read by the C pack's rules but parsed by its own grammar
    expect(classify('a.cpp')!.parser).not.toBe(fileKindById('c')!.parser);
    expect(classify('a.cpp')!.lineComments).toEqual(['//']);
  });

  it('ids are unique', () => {
    expect(new Set(FILE_KINDS.map((k) => k.id)).size).toBe(FILE_KINDS.length);
  });

  it('every kind a rule reads is in the kind table', () => {
    for (const rule of RULES) {
      expect(fileKindById(rule.fileKind), `${rule.id} fileKind ${rule.fileKind}`).toBeDefined();
      for (const kind of rule.checkers.keys()) expect(fileKindById(kind), `${rule.id} reads ${kind}`).toBeDefined();
    }
  });

  it('rules never look at paths or parse: the kind table decides which files they read, the engine parses', () => {
    const forbidden = [/\bfile\.path\b/, /createSourceFile\(/, /\bparseText\(/, /\bparseTypeScript\(/, /\bgrammarFor\(/];
    for (const file of walk(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const re of forbidden) expect(re.test(text), `${path.relative(ROOT, file)} uses ${re.source}`).toBe(false);
    }
  });

  it('a language kind names its pack: --rule csharp and --rule dotnet select the same rules', () => {
    const ids = (pattern: string) => selectRules(RULES, defaultConfig(), [pattern], []).rules.map((r) => r.id);
    expect(ids('csharp')).toEqual(ids('dotnet'));
    expect(ids('dotnet')).toEqual(RULES.filter((r) => r.id.startsWith('dotnet/')).map((r) => r.id));
    expect(ids('typescript')).toEqual(ids('javascript'));
    expect(ids('go/')).toEqual(ids('go'));
    expect(() => ids('yaml')).toThrow(/unknown rule "yaml"/);
  });

  it('.pre-commit-hooks.yaml is generated from the kind table (npm run docs)', () => {
    expect(fs.readFileSync(PRECOMMIT_HOOKS, 'utf8')).toBe(renderPrecommitHooks(FILE_KINDS));
  });
});
