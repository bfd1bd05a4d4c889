import { defineRule, replaceFix, type FileContext } from '../../src/rule.js';
import { commandCheckers, type CommandInvocation } from '../../src/formats/commands.js';
import { belowFloor, parseProtocol, protocolLabel } from '../../src/formats/tls-names.js';
import { curlOptions, wgetOptions } from './util.js';

/** curl options that allow an old protocol, and the version each allows. */
const CURL_OLD: Record<string, string> = {
  '--tlsv1': 'TLS 1.0',
  '-1': 'TLS 1.0',
  '--tlsv1.0': 'TLS 1.0',
  '--tlsv1.1': 'TLS 1.1',
  '--sslv3': 'SSL 3.0',
  '-3': 'SSL 3.0',
  '--sslv2': 'SSL 2.0',
  '-2': 'SSL 2.0',
  '--proxy-tlsv1': 'TLS 1.0',
};

function check(ctx: FileContext, cmd: CommandInvocation): void {
  const floor = ctx.settings.minTlsVersion;
  const target = floor === '1.3' ? '--tlsv1.3' : '--tlsv1.2';
  if (cmd.name === 'curl') {
    for (const hit of curlOptions(cmd)) {
      const old = CURL_OLD[hit.flag];
      if (old) {
        const whole = hit.word.text === hit.flag && !hit.word.quoted && hit.flag.startsWith('--') && hit.flag !== '--proxy-tlsv1';
        ctx.report({
          start: hit.word.start,
          end: hit.word.end,
          message: `curl ${hit.flag} lets the connection fall back to ${old}; use ${target} (the lowest version curl may negotiate).`,
          ...(whole && hit.flag !== '--sslv3' && hit.flag !== '--sslv2' ? { fix: replaceFix(`use ${target}`, hit.word.start, hit.word.end, target) } : {}),
        });
        continue;
      }
      if ((hit.flag === '--tls-max' || hit.flag === '--proxy-tls-max') && hit.value) {
        const v = parseProtocol(hit.value);
        if (!v || !belowFloor(v, floor)) continue;
        ctx.report({
          start: hit.word.start,
          end: hit.word.end,
          message: `curl ${hit.flag} ${hit.value} caps the connection at ${protocolLabel(v)}; remove it (and use ${target}).`,
        });
      }
    }
  } else if (cmd.name === 'wget') {
    for (const hit of wgetOptions(cmd)) {
      if (hit.flag !== '--secure-protocol' || !hit.value) continue;
      const v = parseProtocol(hit.value);
      if (!v || !belowFloor(v, floor)) continue;
      ctx.report({
        start: hit.word.start,
        end: hit.word.end,
        message: `wget --secure-protocol=${hit.value} forces ${protocolLabel(v)}; use --secure-protocol=${floor === '1.3' ? 'TLSv1_3' : 'TLSv1_2'} or drop the option (auto).`,
      });
    }
  }
}

export default defineRule({
  id: 'shell/tls-protocol-outdated',
  fileKind: 'shell',
  severity: 'error',
  kind: 'protocol',
  title: 'curl or wget forced to SSLv3, TLS 1.0 or TLS 1.1',
  description:
    'A shell script or Dockerfile runs curl with `--tlsv1`, `--tlsv1.0`, `--tlsv1.1`, `--sslv3` or `--tls-max 1.0/1.1`, or wget with `--secure-protocol=TLSv1`/`SSLv3`, allowing or forcing a deprecated protocol.',
  help: `**Why it matters.** curl's \`--tlsv1.X\` options set the lowest version curl accepts, so
\`--tlsv1\`, \`--tlsv1.0\` and \`--tlsv1.1\` allow a downgrade to a deprecated protocol (RFC 8996);
\`--tls-max 1.1\` and wget's \`--secure-protocol=TLSv1\` force one. Scripts keep these flags long
after the server they were written for has been upgraded.

**How to fix it.** Use \`curl --tlsv1.2\` (or \`--tlsv1.3\`), drop \`--tls-max\` and
\`--secure-protocol\`, and upgrade the server if it really cannot do TLS 1.2. The fix rewrites
\`--tlsv1\`, \`--tlsv1.0\` and \`--tlsv1.1\` to \`--tlsv1.2\`.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['curl', 'wget'],
  fixable: true,
  files: commandCheckers(['curl', 'wget'], check),
});
