import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { ROOT } from './helpers.js';

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;
// CI installs the Debian package; only a developer machine without it may skip
const mustRun = !!process.env.CI;

/** One file with a finding and one without, per language whose pack exists. */
const SAMPLES: Record<string, { bad: [string, string]; good: [string, string] }> = {
  go: {
    bad: ['client.go', 'package x\n\nimport "crypto/tls"\n\nvar C = &tls.Config{MinVersion: tls.VersionTLS10}\n'],
    good: ['server.go', 'package x\n\nimport "crypto/tls"\n\nvar S = &tls.Config{MinVersion: tls.VersionTLS12}\n'],
  },
  java: {
    bad: ['Legacy.java', 'import javax.net.ssl.SSLContext;\n\nclass Legacy {\n  SSLContext c() throws Exception { return SSLContext.getInstance("TLSv1"); }\n}\n'],
    good: ['Modern.java', 'import javax.net.ssl.SSLContext;\n\nclass Modern {\n  SSLContext c() throws Exception { return SSLContext.getInstance("TLSv1.2"); }\n}\n'],
  },
  csharp: {
    bad: ['Startup.cs', 'using System.Net;\n\nstatic class Startup {\n  static void Main() { ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls; }\n}\n'],
    good: ['Other.cs', 'using System.Net;\n\nstatic class Other {\n  static void Main() { ServicePointManager.SecurityProtocol &= ~SecurityProtocolType.Tls; }\n}\n'],
  },
  ruby: {
    bad: ['client.rb', "http = Net::HTTP.new('example.com', 443)\nhttp.ssl_version = :TLSv1\n"],
    good: ['modern.rb', "http = Net::HTTP.new('example.com', 443)\nhttp.min_version = OpenSSL::SSL::TLS1_2_VERSION\n"],
  },
  javascript: {
    bad: ['agent.js', "const https = require('https');\n\nmodule.exports = new https.Agent({ minVersion: 'TLSv1' });\n"],
    good: ['modern-agent.js', "const https = require('https');\n\nmodule.exports = new https.Agent({ minVersion: 'TLSv1.2' });\n"],
  },
  python: {
    bad: ['legacy.py', 'import ssl\n\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n'],
    good: ['modern.py', 'import ssl\n\nctx = ssl.create_default_context()\n'],
  },
};

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!hasPreCommit && !mustRun)('pre-commit framework (real pre-commit, this checkout as the hook repository)', () => {
  it('refuses a commit with a finding, shows it, and allows the commit after the fix hook ran', () => {
    expect(hasPreCommit, 'pre-commit must be installed (apt-get install pre-commit)').toBe(true);
    const languages = Object.keys(SAMPLES).filter((lang) => RULES.some((r) => r.fileKind === lang));
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-precommit-'));
    const env = { PRE_COMMIT_HOME: path.join(repo, '.pre-commit-home'), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    sh('git', ['init', '-q'], repo, env);
    fs.writeFileSync(path.join(repo, '.gitignore'), '.pre-commit-home/\n');
    for (const lang of languages) {
      for (const [name, text] of [SAMPLES[lang]!.bad, SAMPLES[lang]!.good]) fs.writeFileSync(path.join(repo, name), text);
    }
    sh('git', ['add', '.'], repo, env);

    // 1. try-repo runs the hook of this checkout (with its uncommitted changes) on the staged files
    const tried = sh('pre-commit', ['try-repo', ROOT, 'tlslint'], repo, env);
    expect(tried.status, tried.out).toBe(1);
    expect(tried.out).toContain('go/tls-min-version-too-low');
    expect(tried.out).toContain('client.go:5:33');

    // 2. a real commit through the installed hook: refused with the finding shown
    const rev = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(
      path.join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${ROOT}\n    rev: ${rev}\n    hooks:\n      - id: tlslint\n      - id: tlslint-fix\n        stages: [manual]\n`,
    );
    sh('git', ['add', '.pre-commit-config.yaml'], repo, env);
    expect(sh('pre-commit', ['install'], repo, env).status).toBe(0);
    const refused = sh('git', ['commit', '-m', 'add clients'], repo, env);
    expect(refused.status, refused.out).not.toBe(0);
    for (const lang of languages) expect(refused.out).toContain(SAMPLES[lang]!.bad[0]);
    for (const lang of languages) expect(refused.out).not.toContain(SAMPLES[lang]!.good[0] + ':');

    // 3. the fix hook rewrites the file; once staged, the commit goes through
    const fixed = sh('pre-commit', ['run', '--hook-stage', 'manual', 'tlslint-fix', '--files', 'client.go'], repo, env);
    expect(fixed.out).toContain('tlslint (fix)');
    expect(fs.readFileSync(path.join(repo, 'client.go'), 'utf8')).toContain('MinVersion: tls.VersionTLS12');
    // languages without a safe automatic fix are fixed by hand here
    for (const lang of languages.filter((l) => l !== 'go')) fs.writeFileSync(path.join(repo, SAMPLES[lang]!.bad[0]), SAMPLES[lang]!.good[1]);
    sh('git', ['add', '.'], repo, env);
    const committed = sh('git', ['commit', '-m', 'add clients'], repo, env);
    expect(committed.status, committed.out).toBe(0);
    expect(committed.out).toMatch(/tlslint\.+Passed/);
  }, 900_000);
});
