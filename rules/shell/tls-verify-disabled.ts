import { defineRule, type FileContext } from '../../src/rule.js';
import { commandCheckers, type CommandInvocation } from '../../src/formats/commands.js';
import { curlOptions, gitSslVerifyOff, wgetOptions } from './util.js';

const CURL_INSECURE = new Set(['-k', '--insecure', '--proxy-insecure', '--doh-insecure']);

function check(ctx: FileContext, cmd: CommandInvocation): void {
  if (cmd.name === 'curl') {
    for (const hit of curlOptions(cmd)) {
      if (!CURL_INSECURE.has(hit.flag)) continue;
      ctx.report({
        start: hit.word.start,
        end: hit.word.end,
        message: `curl ${hit.flag} turns off certificate verification, so anyone on the path can serve this download; remove it and point curl at the right CA (--cacert FILE) instead.`,
      });
    }
  } else if (cmd.name === 'wget') {
    for (const hit of wgetOptions(cmd)) {
      if (hit.flag !== '--no-check-certificate') continue;
      ctx.report({
        start: hit.word.start,
        end: hit.word.end,
        message: 'wget --no-check-certificate turns off certificate verification; remove it and pass the right CA with --ca-certificate=FILE instead.',
      });
    }
  } else if (cmd.name === 'git') {
    const word = gitSslVerifyOff(cmd);
    if (word) {
      ctx.report({
        start: word.start,
        end: word.end,
        message: `git ${word.text} turns off certificate verification for git over HTTPS; configure http.sslCAInfo with the right CA instead.`,
      });
    }
  }
}

export default defineRule({
  id: 'shell/tls-verify-disabled',
  fileKind: 'shell',
  severity: 'error',
  kind: 'certificate',
  title: 'curl -k, wget --no-check-certificate or git http.sslVerify=false',
  description:
    'A shell script or Dockerfile runs curl with `-k`/`--insecure`, wget with `--no-check-certificate`, or git with `http.sslVerify` off, so downloads and clones accept any certificate.',
  help: `**Why it matters.** Without certificate verification, TLS only encrypts: anyone who can
intercept the connection (a proxy, a compromised network, DNS spoofing) can present their own
certificate and serve a different installer, package or repository. In a Dockerfile or build
script that download usually runs as root and ends up in every image built from it.

**How to fix it.** Remove the flag. If the server uses a private CA, give the tool that CA:
\`curl --cacert /etc/ssl/certs/corp-ca.pem\`, \`wget --ca-certificate=...\`,
\`git config http.sslCAInfo ...\`, or install the CA into the image's trust store
(\`update-ca-certificates\`). Better still, verify a checksum or signature of what you download.`,
  cwe: ['CWE-295'],
  precision: 'very-high',
  triggers: ['curl', 'wget', 'sslVerify', 'sslverify'],
  files: commandCheckers(['curl', 'wget', 'git'], check),
});
