/**
 * Shallow checkouts of repositories named by URL, for audits. This is the only place tlslint runs
 * a program, and the program is the user's own `git`, hardened: no hooks, no filters (Git LFS or
 * any other smudge/process filter), no fsmonitor, no submodules, no symbolic links in the checkout,
 * no prompts (GIT_TERMINAL_PROMPT=0, and a new session without a terminal), no `ext::` transport.
 * Credentials are the user's own (credential helpers, SSH agent); tlslint stores none. Credentials
 * written into a URL of the repository list are taken out of the URL and handed to git as an HTTP
 * header through its environment, never on a command line, in a log, a report or the clone's
 * config.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `https://`, `http://`, `ssh://`, `git://`, `file://`, and scp-like `user@host:path`. */
export function isGitUrl(text: string): boolean {
  return /^(?:https?|ssh|git|file|git\+ssh|ssh\+git):\/\//i.test(text) || /^[\w.-]+@[\w.-]+:(?!\/\/)/.test(text);
}

export interface ParsedUrl {
  /** The URL without user name and password (what reports, logs and git's command line see). */
  safe: string;
  /** `user:password` for an HTTP(S) URL that carried them. */
  credentials?: { username: string; password: string };
}

/**
 * Takes the user information out of an HTTP(S) URL (a token is often written as the user name)
 * and the password out of any other URL; scp-like `git@host:path` keeps its (public) user name.
 */
export function parseGitUrl(url: string): ParsedUrl {
  const m = /^([a-z][\w+.-]*:\/\/)([^/@]*@)?(.*)$/i.exec(url);
  if (!m) return { safe: url };
  const [, scheme, userinfo, rest] = m;
  if (!userinfo) return { safe: url };
  const info = userinfo.slice(0, -1);
  const colon = info.indexOf(':');
  const username = decodeURIComponent(colon === -1 ? info : info.slice(0, colon));
  const password = colon === -1 ? '' : decodeURIComponent(info.slice(colon + 1));
  if (/^https?:\/\/$/i.test(scheme!)) return { safe: `${scheme}${rest}`, credentials: { username, password } };
  // ssh://user:password@host: keep the user, drop the password (ssh asks the agent instead)
  return { safe: `${scheme}${colon === -1 ? info : info.slice(0, colon)}@${rest}` };
}

/** Any URL-like user information in a text (git's messages) replaced by `***`. */
export function redact(text: string, secrets: string[] = []): string {
  let out = text.replace(/([a-z][\w+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** Configuration that keeps git from running anything but itself while fetching and checking out. */
const HARDENING: Array<[string, string]> = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.symlinks', 'false'],
  ['protocol.ext.allow', 'never'],
  ['submodule.recurse', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  ['filter.lfs.smudge', ''],
  ['filter.lfs.process', ''],
  ['filter.lfs.required', 'false'],
  ['advice.detachedHead', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
];

export interface GitOptions {
  /** The git program (default `git` on PATH). */
  git?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface GitInvocation {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The argument list and environment of one git command: hardening and credentials go into the
 * environment as `GIT_CONFIG_*` entries (git >= 2.31), so they never show on a command line.
 */
export function gitInvocation(args: string[], options: { env?: NodeJS.ProcessEnv; credentials?: ParsedUrl; extraConfig?: Array<[string, string]> } = {}): GitInvocation {
  const config: Array<[string, string]> = [...HARDENING, ...(options.extraConfig ?? [])];
  const c = options.credentials;
  if (c?.credentials) {
    const token = Buffer.from(`${c.credentials.username}:${c.credentials.password}`).toString('base64');
    config.push([`http.${c.safe}.extraHeader`, `Authorization: Basic ${token}`]);
  }
  const base = { ...(options.env ?? process.env) };
  // the user's own GIT_CONFIG_* entries come first; ours are appended after them
  const own = Number(base.GIT_CONFIG_COUNT ?? 0) || 0;
  const env: NodeJS.ProcessEnv = {
    ...base,
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
    GIT_LFS_SKIP_SMUDGE: '1',
    GIT_CONFIG_COUNT: String(own + config.length),
  };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${own + i}`] = key;
    env[`GIT_CONFIG_VALUE_${own + i}`] = value;
  });
  return { args, env };
}

export class GitError extends Error {}

/** Runs git without a terminal (a new session: prompts fail instead of waiting); resolves to stdout. */
export function runGit(invocation: GitInvocation, cwd: string, options: GitOptions & { secrets?: string[] } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.git ?? 'git', invocation.args, { cwd, env: invocation.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const onAbort = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new GitError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed (or not on PATH): cloning needs it' : err.message));
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (code === 0) return resolve(stdout);
      const last = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ').trim();
      reject(new GitError(redact(`git ${invocation.args[0]} failed${signal ? ` (${signal})` : ''}: ${last || `exit code ${code}`}`, options.secrets)));
    });
  });
}

/** The names of filter drivers the user's own configuration defines; they are switched off too. */
let userFilters: Promise<string[]> | undefined;
function configuredFilters(options: GitOptions): Promise<string[]> {
  userFilters ??= runGit({ args: ['config', '--name-only', '--get-regexp', '^filter\\.'], env: { ...(options.env ?? process.env), GIT_DIR: '/nonexistent' } }, '/', options)
    .then((out) => [...new Set(out.split('\n').map((l) => /^filter\.(.+)\.[^.]+$/.exec(l.trim())?.[1]).filter((x): x is string => !!x))])
    .catch(() => []);
  return userFilters;
}

/** The commit a checkout is at, read from `.git` (HEAD, loose refs, packed-refs) without running git. */
export function readHeadCommit(dir: string): string | undefined {
  try {
    let gitDir = path.join(dir, '.git');
    const stat = fs.statSync(gitDir);
    if (stat.isFile()) {
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(gitDir, 'utf8'));
      if (!m) return undefined;
      gitDir = path.resolve(dir, m[1]!.trim());
    }
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    // a linked worktree keeps its refs in the common folder
    const common = fs.existsSync(path.join(gitDir, 'commondir')) ? path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
    for (const base of [gitDir, common]) {
      const loose = path.join(base, ref);
      if (fs.existsSync(loose)) return fs.readFileSync(loose, 'utf8').trim();
    }
    const packed = path.join(common, 'packed-refs');
    if (fs.existsSync(packed)) {
      for (const line of fs.readFileSync(packed, 'utf8').split('\n')) {
        const [sha, name] = line.trim().split(' ');
        if (name === ref && sha) return sha;
      }
    }
  } catch {
    /* not a git checkout */
  }
  return undefined;
}

/** The cache folder of a repository: readable, unique, stable (`github.com_org_repo-1a2b3c4d`). */
export function cacheFolderName(key: string, safeUrl: string): string {
  const readable = safeUrl
    .replace(/^[a-z][\w+.-]*:\/\//i, '')
    .replace(/^[\w.-]+@/, '')
    .replace(/\.git$/, '')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-60);
  return `${readable || 'repo'}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

export interface Checkout {
  dir: string;
  commit: string;
}

/**
 * Brings `url` at `ref` (a branch, a tag or a full commit id; default: the remote's HEAD) into
 * `dir`, shallowly: a new folder is initialised, an existing one only fetches what it lacks, then
 * the working tree is set to exactly that commit (leftovers of another commit removed).
 */
export async function shallowCheckout(url: string, ref: string | undefined, dir: string, options: GitOptions = {}): Promise<Checkout> {
  const parsed = parseGitUrl(url);
  const secrets = parsed.credentials ? [parsed.credentials.password, Buffer.from(`${parsed.credentials.username}:${parsed.credentials.password}`).toString('base64')] : [];
  const filters = await configuredFilters(options);
  const extraConfig = filters.flatMap((f): Array<[string, string]> => [
    [`filter.${f}.smudge`, ''],
    [`filter.${f}.process`, ''],
    [`filter.${f}.clean`, ''],
    [`filter.${f}.required`, 'false'],
  ]);
  const git = (args: string[]) => runGit(gitInvocation(args, { env: options.env, credentials: parsed, extraConfig }), dir, { ...options, secrets });
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, '.git', 'HEAD'))) {
    fs.rmSync(path.join(dir, '.git'), { recursive: true, force: true });
    await git(['init', '--quiet']);
  }
  await git(['fetch', '--quiet', '--depth=1', '--no-tags', '--no-recurse-submodules', '--', parsed.safe, ref ?? 'HEAD']);
  await git(['checkout', '--quiet', '--force', '--detach', 'FETCH_HEAD']);
  await git(['clean', '-ffdxq']);
  const commit = readHeadCommit(dir);
  if (!commit) throw new GitError('checkout has no HEAD commit');
  return { dir, commit };
}
