import { defineRule, replaceFix } from '../../src/rule.js';
import { parseIni } from '../../src/formats/serverconf.js';
import { belowFloor, parseProtocol, protocolLabel } from '../../src/formats/tls-names.js';

export default defineRule({
  id: 'openssl/min-protocol-outdated',
  fileKind: 'openssl',
  severity: 'error',
  kind: 'protocol',
  title: 'openssl.cnf MinProtocol or MaxProtocol allows only or also TLS 1.0/1.1',
  description:
    'An OpenSSL configuration file sets `MinProtocol` to SSLv3, TLSv1 or TLSv1.1 (every program using the system OpenSSL accepts the old protocol), or caps `MaxProtocol` below TLS 1.2.',
  help: `**Why it matters.** The \`system_default\` section of \`openssl.cnf\` sets the protocol floor
for every program that uses the system OpenSSL without its own setting: curl, Python, Ruby, PHP,
Postgres clients and more. Distributions ship \`MinProtocol = TLSv1.2\`; images and hosts that
lower it to \`TLSv1\` or \`TLSv1.1\` (usually to reach one legacy server) re-enable deprecated
protocols (RFC 8996) for every connection of the machine. A \`MaxProtocol\` below TLS 1.2
forbids modern protocols altogether.

**How to fix it.** Set the floor back, and handle the one legacy peer in the program that needs
it, not system-wide:

\`\`\`ini
[system_default_sect]
MinProtocol = TLSv1.2
CipherString = DEFAULT@SECLEVEL=2
\`\`\`

The fix rewrites \`MinProtocol\`; \`MaxProtocol\` lines are reported without a fix (remove them).`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['MinProtocol', 'MaxProtocol'],
  fixable: true,
  check(ctx) {
    const floor = ctx.settings.minTlsVersion;
    for (const e of parseIni(ctx.file.text)) {
      const key = e.key.toLowerCase();
      if (key !== 'minprotocol' && key !== 'maxprotocol') continue;
      const v = parseProtocol(e.value);
      if (!v || !belowFloor(v, floor)) continue;
      const target = floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
      if (key === 'minprotocol') {
        ctx.report({
          start: e.valueStart,
          end: e.valueEnd,
          message: `${e.key} = ${e.value} lets every program using this OpenSSL configuration negotiate ${protocolLabel(v)}; set ${e.key} = ${target}.`,
          fix: replaceFix(`${e.key} = ${target}`, e.valueStart, e.valueEnd, target),
        });
      } else {
        ctx.report({
          start: e.valueStart,
          end: e.valueEnd,
          message: `${e.key} = ${e.value} caps every connection at ${protocolLabel(v)}; remove the line (or set ${e.key} = TLSv1.3).`,
        });
      }
    }
  },
});
