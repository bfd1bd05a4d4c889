import { baseImageWords, imageVersions } from '../../src/formats/dockerfile.js';
import { defineRule, type FileContext } from '../../src/rule.js';

/** `1.9.3-p551`, `ruby-1.9.3`, `1.8.7`: the MRI version of a `.ruby-version` line (JRuby, TruffleRuby... are not MRI). */
const RUBY_VERSION_FILE = /^[ \t]*(?:ruby-)?(\d+\.\d+(?:\.\d+)?)(?:-p\d+)?[ \t]*$/m;

/** True for an MRI version below 2.0. */
function tooOld(version: string): boolean {
  const [major = 0] = version.split('.').map(Number);
  return major < 2;
}

function report(ctx: FileContext, start: number, end: number, version: string, what: string): void {
  ctx.report({
    start,
    end,
    message: `${what} Ruby ${version}: Rubies before 2.0 (often built against OpenSSL 0.9.8) cannot negotiate TLS 1.2 reliably; upgrade to a supported Ruby (>= 2.0 with OpenSSL >= 1.0.1 at the very least).`,
  });
}

export default defineRule({
  id: 'ruby/runtime-outdated',
  fileKind: 'ruby',
  severity: 'warning',
  kind: 'runtime',
  title: 'Ruby runtime too old for TLS 1.2 (before 2.0)',
  description:
    '`.ruby-version`, a Gemfile `ruby "1.9.3"` directive or a Dockerfile `FROM ruby:1.9` names a Ruby before 2.0, which (with the OpenSSL 0.9.8 it was typically built against) cannot negotiate TLS 1.2.',
  help: `**Why it matters.** TLS 1.2 needs OpenSSL 1.0.1 or later underneath Ruby's \`openssl\`
extension. Ruby 1.8 and 1.9 were usually built against OpenSSL 0.9.8, have no way to set a protocol
floor, and have been without security fixes for a decade; HTTPS clients on them (Net::HTTP,
RubyGems and Bundler themselves) fail as servers turn TLS 1.0 and 1.1 off.

**How to fix it.** Upgrade to a supported Ruby and rebuild against a current OpenSSL:

\`\`\`ruby
# Gemfile
ruby "3.3.6"
\`\`\`

and the same version in \`.ruby-version\` and the Docker base image (\`FROM ruby:3.3-slim\`). As a
bare minimum the vendors' guidance is Ruby >= 2.0 linked against OpenSSL >= 1.0.1.`,
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'high',
  securitySeverity: 5.3,
  triggers: ['ruby', '1.'],
  files: {
    'ruby-version': {
      triggers: ['1.'],
      check(ctx) {
        const m = RUBY_VERSION_FILE.exec(ctx.file.text);
        if (!m || !tooOld(m[1]!)) return;
        const start = m.index + m[0].indexOf(m[1]!);
        report(ctx, start, start + m[1]!.length, m[1]!, '.ruby-version pins');
      },
    },
    gemfile: {
      triggers: ['ruby'],
      // `ruby "1.9.3"` / `ruby '1.9.3', engine: ...` at the top of a Gemfile
      query: `(program (call method: (identifier) @m (#eq? @m "ruby") arguments: (argument_list . (string) @version)))`,
      check(ctx) {
        const node = ctx.captures.version!;
        const m = /^['"](?:ruby-)?(\d+\.\d+(?:\.\d+)?)/.exec(node.text);
        if (!m || !tooOld(m[1]!) || /engine/.test(node.parent!.text)) return;
        const start = node.startIndex + m[0].length - m[1]!.length;
        report(ctx, start, start + m[1]!.length, m[1]!, 'The Gemfile requires');
      },
    },
    dockerfile: {
      triggers: ['ruby:'],
      check(ctx) {
        // `FROM [--platform=...] ruby:1.9.3-slim [AS build]` (any registry; ARG defaults resolved)
        for (const image of imageVersions(ctx.file.text, /^ruby$/)) {
          if (!tooOld(image.version)) continue;
          report(ctx, image.refAt.start, image.refAt.end, image.version, `${baseImageWords(image.base)} runs`);
        }
      },
    },
  },
});
