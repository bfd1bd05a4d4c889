import { defineRule, replaceFix } from '../../src/rule.js';
import { constantValue, inFailureExpectation, tsMorph } from './ast.js';
import { settingSites } from './settings.js';

const OLD: Record<string, string> = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  TLSv1: 'TLS 1.0',
  TLSv1_1: 'TLS 1.1',
  SSLv23: 'every version from SSL 3.0 up (SSLv23 negotiates; it sets no floor)',
};

const METHOD = /^(SSLv2|SSLv3|TLSv1|TLSv1_1|SSLv23)(_client|_server)?_method$/;

export default defineRule({
  id: 'javascript/secure-protocol-outdated',
  fileKind: 'javascript',
  severity: 'error',
  kind: 'protocol',
  title: 'secureProtocol set to an SSL, TLS 1.0 or TLS 1.1 method',
  description:
    '`secureProtocol: \'TLSv1_method\'` (also SSLv2/SSLv3/TLSv1_1/SSLv23 and the `_client_`/`_server_` variants, through a same-file const) in the options of `tls`, `https`, `http2`, agents and HTTP clients such as axios, got, node-fetch, undici and request.',
  help: `**Why it matters.** \`secureProtocol\` picks an OpenSSL method: \`TLSv1_method\` and
\`TLSv1_1_method\` pin the connection to a deprecated version (RFC 8996), which TLS-1.2-only peers
refuse; the SSL methods are broken; \`SSLv23_method\` negotiates without a floor.

**How to fix it.** Remove \`secureProtocol\` and set a floor instead (Node 11.4+):

\`\`\`js
https.request(url, { minVersion: 'TLSv1.2' });
\`\`\`

The offered fix rewrites \`TLSv1_method\`/\`TLSv1_1_method\` to \`TLSv1_2_method\` (which pins TLS 1.2;
prefer \`minVersion\` when you touch the code anyway).`,
  remedy: "Remove secureProtocol and set minVersion: 'TLSv1.2'.",
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'very-high',
  triggers: ['secureProtocol', '_method'],
  fixable: true,
  files: Object.fromEntries(
    ['javascript', 'typescript'].map((kind) => [
      kind,
      {
        triggers: ['secureProtocol'],
        check(ctx: import('../../src/rule.js').TsContext) {
          const m = tsMorph();
          for (const s of settingSites(ctx.tsSource)) {
            if (s.name !== 'secureProtocol') continue;
            const value = constantValue(s.value);
            if (typeof value !== 'string') continue;
            const match = METHOD.exec(value);
            if (!match || inFailureExpectation(s.value)) continue;
            const literal = m.Node.isStringLiteral(s.value) || m.Node.isNoSubstitutionTemplateLiteral(s.value);
            const fixable = literal && match[1] !== 'SSLv23' && match[1] !== 'SSLv2';
            const target = `TLSv1_2${match[2] ?? ''}_method`;
            const through = literal ? '' : ` (${s.value.getText()})`;
            ctx.report({
              start: s.value.getStart(),
              end: s.value.getEnd(),
              message: `secureProtocol '${value}'${through} allows ${OLD[match[1]!]}; remove it and set minVersion: 'TLSv1.2'.`,
              fix: fixable ? replaceFix(`use ${target}`, s.value.getStart() + 1, s.value.getEnd() - 1, target) : undefined,
            });
          }
        },
      },
    ]),
  ),
});
