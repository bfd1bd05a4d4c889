import { defineRule, type FileContext, type TextChecker } from '../../src/rule.js';
import { isCommentLine } from '../../src/formats/comments.js';
import { belowFloor, parseProtocol } from '../../src/formats/tls-names.js';

/**
 * Connection-string and driver options that pick TLS versions: MySQL Connector/J
 * `enabledTLSProtocols` / `tlsVersions`, MySQL/MariaDB `tls-version` / `tls_version` (client
 * option and my.cnf), Microsoft JDBC `sslProtocol`, PostgreSQL `ssl_min_protocol_version` /
 * `sslminprotocolversion`. Followed by `=` (URL, connection string, my.cnf) or `:` (YAML, JSON).
 */
const OPTION = /(?<![\w.-])(enabledTLSProtocols|tlsVersions?|tls[-_]version|sslProtocol|ssl_?min_?protocol_?version)["']?[ \t]*[=:][ \t]*["']?((?:TLS|SSL|tls|ssl|Tls|Ssl)[A-Za-z0-9._]*(?:(?:,|%2C)[ \t]?(?:TLS|SSL|tls|ssl|Tls|Ssl)[A-Za-z0-9._]*)*)/gi;

function check(ctx: FileContext): void {
  const { file } = ctx;
  const floor = ctx.settings.minTlsVersion;
  for (const m of file.text.matchAll(OPTION)) {
    const line = file.lineText(file.lineOf(m.index));
    if (isCommentLine(line)) continue;
    const list = m[2]!;
    const listStart = m.index + m[0].length - list.length;
    const old: Array<{ text: string; start: number; end: number }> = [];
    for (const t of list.matchAll(/[^,%\s]+|%2C/gi)) {
      if (/^%2C$/i.test(t[0])) continue;
      const token = t[0].replace(/^2C/i, '');
      const v = parseProtocol(token);
      if (v && belowFloor(v, floor)) old.push({ text: token, start: listStart + t.index, end: listStart + t.index + t[0].length });
    }
    if (old.length === 0) continue;
    ctx.report({
      start: old[0]!.start,
      end: old[old.length - 1]!.end,
      message: `${m[1]} allows ${old.map((o) => o.text).join(', ')} for the database/driver connection; use ${floor === '1.3' ? 'TLSv1.3' : 'TLSv1.2 (and TLSv1.3)'} only.`,
    });
  }
}

const text: TextChecker = { check };

/**
 * Every kind where connection strings live: config formats of this pack, and the code kinds of
 * the language packs (the text checker works on any kind; a test keeps every id in the kind table).
 */
const KINDS = [
  'properties', 'yaml', 'json', 'xml', 'env', 'dockerfile', 'shell', 'terraform', 'openssl', 'serverconf', 'ruby', 'go',
  'java', 'csharp', 'python', 'javascript', 'typescript',
];

export default defineRule({
  id: 'config/driver-tls-version-outdated',
  fileKind: 'properties',
  severity: 'error',
  kind: 'protocol',
  title: 'Database driver URL or option enables TLS 1.0/1.1',
  description:
    'A JDBC URL, connection string or driver option (`enabledTLSProtocols=TLSv1`, `tlsVersions=`, `tls-version=`, `sslProtocol=TLSv1`, `ssl_min_protocol_version=TLSv1`) lets the database connection use SSLv3, TLS 1.0 or TLS 1.1, wherever it appears: properties, YAML, my.cnf, code strings.',
  help: `**Why it matters.** Database connections carry credentials and data. These options were
usually added to reach an old MySQL or SQL Server that lacked TLS 1.2, and they keep the client
willing to negotiate TLS 1.0/1.1 (deprecated by RFC 8996) long after the server was upgraded;
newer JVMs and drivers refuse those protocols, so the option also breaks upgrades.

**How to fix it.** Ask for TLS 1.2 and 1.3, or drop the option to get the driver's default:

\`\`\`properties
spring.datasource.url=jdbc:mysql://db:3306/app?sslMode=VERIFY_IDENTITY&tlsVersions=TLSv1.2,TLSv1.3
\`\`\`

SQL Server (mssql-jdbc): \`sslProtocol=TLSv1.2\`. PostgreSQL: \`ssl_min_protocol_version=TLSv1.2\`.
MySQL server (my.cnf): \`tls_version=TLSv1.2,TLSv1.3\`.`,
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'high',
  triggers: ['enabledTLSProtocols', 'enabledTlsProtocols', 'tlsVersion', 'TlsVersion', 'TLSVersion', 'tls-version', 'tls_version', 'sslProtocol', 'SslProtocol', 'sslprotocol', 'min_protocol_version', 'minprotocolversion'],
  files: Object.fromEntries(KINDS.map((k) => [k, text])),
});
