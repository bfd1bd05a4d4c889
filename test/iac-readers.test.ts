/**
 * The infrastructure packs' own readers (HAProxy directives, Bicep, Caddyfile and Traefik TOML
 * lines, YAML/JSON data trees) on hostile input: every loop must move forward whatever the bytes
 * (quotes left open, lone backslashes, comment starts, U+00A0, U+FEFF, \v, \f, CR), so each run
 * ends, quickly, with or without findings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepProperties, bicepQuotedProperties, codeOnly } from '../src/formats/bicep.js';
import { withoutWeakCiphers } from '../src/formats/ciphers.js';
import { haproxyDirectives } from '../src/formats/haproxy.js';
import { analyzeFile } from './helpers.js';

const PIECES = [
  "'", '"', '\\', '/', '*', '/*', '*/', '//', '#', '{', '}', '[', ']', '(', ')', '\n', '\r\n', '\r', '\u00a0', '\ufeff', '\v', '\f', '\t', ' ', '?', ':', '=', ',', '$', '${',
  'param x string = ', 'var y = ', "resource r 'Microsoft.Storage/storageAccounts@2023-01-01' = {", 'minimumTlsVersion: ', "'TLS1_0'", 'x ? ', "'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': ",
  'global', 'frontend web', 'bind :443 ssl ', 'ssl-min-ver ', 'TLSv1.0', 'force-tlsv10', 'no-tlsv12 no-tlsv13', 'ciphers ', 'RC4-SHA:@SECLEVEL=0',
  'protocols ', 'tls1.0 ', 'tls {', 'minVersion = ', '"VersionTLS10"', 'minVersion: VersionTLS11',
  'Resources:', '  L:', '    Type: AWS::ElasticLoadBalancingV2::Listener', '    Properties:', '      Protocol: HTTPS', '      SslPolicy: !If [C, ELBSecurityPolicy-2016-08, !Ref AWS::NoValue]', '!Ref', '!FindInMap [M, !Ref X, k]',
  'ssl-protocols: "TLSv1 TLSv1.2"', 'insecure-skip-tls-verify: true', '---', '- ', '  ',
];

/** A deterministic sequence of hostile texts. */
function* texts(count: number): Generator<string> {
  let seed = 17;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < count; i++) {
    let t = '';
    const n = 5 + (next() % 120);
    for (let j = 0; j < n; j++) t += PIECES[next() % PIECES.length];
    yield t;
  }
}

describe('infrastructure readers on hostile input', () => {
  it('the text readers always end', () => {
    const started = Date.now();
    for (const t of texts(3000)) {
      codeOnly(t);
      bicepProperties(t, ['minimumTlsVersion', 'minTlsVersion']);
      bicepQuotedProperties(t, /Protocols\.Tls10$/);
      haproxyDirectives({ text: t });
      withoutWeakCiphers(t);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('every rule over every new kind ends on hostile files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlslint-iac-'));
    try {
      const names = ['haproxy.cfg', 'Caddyfile', 'traefik.toml', 'main.bicep', 'template.yaml', 'template.json', 'c.kubeconfig'];
      let i = 0;
      for (const t of texts(140)) {
        const file = path.join(dir, names[i++ % names.length]!);
        fs.writeFileSync(file, t);
        const { findings } = analyzeFile(file);
        expect(Array.isArray(findings)).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
