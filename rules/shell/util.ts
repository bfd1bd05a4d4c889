/** Reading curl, wget and git command lines (shared by the shell rules). */
import type { CommandInvocation, CommandWord } from '../../src/formats/commands.js';

/** curl short options that take a value (so the rest of a cluster like `-fsSLo` is that value). */
const CURL_SHORT_WITH_VALUE = new Set('AbcCdDeEFHKmoPQrTtuUwxXyYz'.split(''));

export interface FlagHit {
  word: CommandWord;
  /** The option as the user would read it (`-k`, `--insecure`, `--tls-max 1.1`). */
  flag: string;
  /** The value for options that take one. */
  value?: string;
}

/**
 * curl's options, with short-option clusters unpacked: `-fsSLk` yields `-f`, `-s`, `-S`, `-L`,
 * `-k`. Long options come with their value (`--tls-max 1.1` or `--tls-max=1.1`). Stops at `--`.
 */
export function curlOptions(cmd: CommandInvocation): FlagHit[] {
  const out: FlagHit[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const t = word.text;
    if (t === '--') break;
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = eq === -1 ? t : t.slice(0, eq);
      if (name === '--tls-max' || name === '--proxy-tls-max' || name === '--ciphers' || name === '--proxy-ciphers') {
        const value = eq === -1 ? args[i + 1]?.text : t.slice(eq + 1);
        if (eq === -1) i++;
        out.push({ word, flag: name, ...(value !== undefined ? { value } : {}) });
      } else {
        out.push({ word, flag: name });
      }
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      for (let j = 1; j < t.length; j++) {
        const c = t[j]!;
        out.push({ word, flag: `-${c}` });
        if (CURL_SHORT_WITH_VALUE.has(c)) {
          if (j === t.length - 1) i++; // the value is the next word
          break;
        }
      }
    }
  }
  return out;
}

/** wget's options (`--no-check-certificate`, `--secure-protocol=TLSv1`). */
export function wgetOptions(cmd: CommandInvocation): FlagHit[] {
  const out: FlagHit[] = [];
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const t = word.text;
    if (t === '--') break;
    if (!t.startsWith('--')) continue;
    const eq = t.indexOf('=');
    const name = eq === -1 ? t : t.slice(0, eq);
    if (name === '--secure-protocol') {
      const value = eq === -1 ? args[i + 1]?.text : t.slice(eq + 1);
      if (eq === -1) i++;
      out.push({ word, flag: name, ...(value !== undefined ? { value } : {}) });
    } else {
      out.push({ word, flag: name });
    }
  }
  return out;
}

const FALSE = /^(?:false|0|no|off)$/i;

/**
 * `git -c http.sslVerify=false ...` and `git config [--global|--system] http.sslVerify false`:
 * the word that turns verification off.
 */
export function gitSslVerifyOff(cmd: CommandInvocation): CommandWord | undefined {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-c' && args[i + 1]) {
      const m = /^http\.(?:[^=]*\.)?sslverify=(.*)$/i.exec(args[i + 1]!.text);
      if (m && FALSE.test(m[1]!)) return args[i + 1];
      i++;
      continue;
    }
    if (t === 'config') {
      const rest = args.slice(i + 1).filter((a) => !a.text.startsWith('-'));
      if (rest.length >= 2 && /^http\.(?:.*\.)?sslverify$/i.test(rest[0]!.text) && FALSE.test(rest[1]!.text)) return rest[0];
      return undefined;
    }
    if (!t.startsWith('-')) return undefined; // another subcommand
  }
  return undefined;
}
