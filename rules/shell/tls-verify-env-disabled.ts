import { defineRule } from '../../src/rule.js';
import { envCheckers } from '../../src/formats/env.js';

export default defineRule({
  id: 'shell/tls-verify-env-disabled',
  fileKind: 'shell',
  severity: 'error',
  kind: 'certificate',
  title: 'NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0 or GIT_SSL_NO_VERIFY turns off certificate checks',
  description:
    'A Dockerfile, .env file or shell script sets `NODE_TLS_REJECT_UNAUTHORIZED=0` (every Node.js TLS client accepts any certificate), `PYTHONHTTPSVERIFY=0` (Python\'s urllib/http.client stop verifying certificates) or `GIT_SSL_NO_VERIFY` (git over HTTPS accepts any certificate, whatever the value).',
  help: `**Why it matters.** \`PYTHONHTTPSVERIFY=0\` makes Python's standard library (urllib,
http.client, xmlrpc) accept any certificate in every process that inherits it; it exists only as a
migration switch from the days before Python verified certificates.
\`NODE_TLS_REJECT_UNAUTHORIZED=0\` does the same for every \`https\`/\`tls\` connection of a Node.js process
(Node prints a warning, which logs rarely show). git disables certificate
verification as soon as \`GIT_SSL_NO_VERIFY\` is set, to any value, \`0\` and \`false\` included.
Set in an image or an environment file, both affect every connection of every process.

**How to fix it.** Remove the variable. Install the private CA into the trust store
(\`update-ca-certificates\`), or point the tools at it: \`SSL_CERT_FILE\`/\`REQUESTS_CA_BUNDLE\` for
Python, \`NODE_EXTRA_CA_CERTS\` for Node.js, \`GIT_SSL_CAINFO\` or \`git config http.sslCAInfo\` for git.`,
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['NODE_TLS_REJECT_UNAUTHORIZED', 'PYTHONHTTPSVERIFY', 'GIT_SSL_NO_VERIFY'],
  files: envCheckers(['NODE_TLS_REJECT_UNAUTHORIZED', 'PYTHONHTTPSVERIFY', 'GIT_SSL_NO_VERIFY'], (ctx, a) => {
    if (a.name === 'NODE_TLS_REJECT_UNAUTHORIZED') {
      // Node disables verification only for exactly "0"
      if (a.value.trim() !== '0') return;
      ctx.report({
        start: a.valueStart,
        end: a.valueEnd,
        message: 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification for every TLS connection of the Node.js process; remove it and add the private CA with NODE_EXTRA_CA_CERTS instead.',
      });
    } else if (a.name === 'PYTHONHTTPSVERIFY') {
      if (a.value.trim() !== '0') return;
      ctx.report({
        start: a.valueStart,
        end: a.valueEnd,
        message: 'PYTHONHTTPSVERIFY=0 turns off certificate verification in Python\'s urllib and http.client; remove it and trust the right CA (SSL_CERT_FILE) instead.',
      });
    } else {
      ctx.report({
        start: a.valueStart,
        end: a.valueEnd,
        message: `GIT_SSL_NO_VERIFY=${a.value} turns off certificate verification for git over HTTPS (git only checks that the variable is set, so any value counts); remove it and set GIT_SSL_CAINFO to the right CA instead.`,
      });
    }
  }),
});
