import { defineRule } from '../../src/rule.js';
import { baseImageWords, imageVersions } from '../../src/formats/dockerfile.js';
import { goAtLeast, parseGoDirective } from './gomod.js';

export default defineRule({
  id: 'go/go-version-too-old',
  fileKind: 'go',
  severity: 'warning',
  kind: 'runtime',
  title: 'go.mod or the golang base image targets a Go release older than 1.13',
  description:
    'The go directive of go.mod, or a Dockerfile `FROM golang:1.x` that builds the code, names a Go release before 1.13: long out of support, without TLS 1.3 by default, and with TLS 1.0 as the default floor of every client and server.',
  help: `**Why it matters.** Go releases before 1.13 get no security fixes, do not enable TLS 1.3 by
default, and use TLS 1.0 as the default floor for both clients and servers. The \`go\` line of
go.mod also selects the language and GODEBUG defaults a newer toolchain applies to the module, so
an old line keeps old behaviour alive even on a current compiler.

**How to fix it.** Move the module to a supported Go release (\`go mod edit -go=1.22\`, then
build and test), and build it with a supported toolchain image (\`FROM golang:1.22\`). From Go 1.18 clients, and from Go 1.22 servers, default to a TLS 1.2 floor. Until
then, set \`MinVersion: tls.VersionTLS12\` on every \`tls.Config\`.`,
  cwe: ['CWE-1104', 'CWE-327'],
  precision: 'very-high',
  securitySeverity: 5.3,
  triggers: ['go '],
  files: {
    dockerfile: {
      triggers: ['golang'],
      check(ctx) {
        // `FROM golang:1.10-alpine AS build` (any registry; ARG defaults resolved)
        for (const image of imageVersions(ctx.file.text, /^golang$/, /^\d+\.\d+/)) {
          const [major = 0, minor = 0] = image.version.split('.').map(Number);
          if (goAtLeast({ major, minor, text: image.version, line: 0 }, 1, 13)) continue;
          ctx.report({
            ...image.refAt,
            message: `${baseImageWords(image.base, "build image")} runs Go ${image.version}, older than Go 1.13: no security fixes, no TLS 1.3 by default, TLS 1.0 as the default floor of every client and server it builds. Build with a supported release (FROM golang:1.22).`,
          });
        }
      },
    },
    gomod: {
      check(ctx) {
        const directive = parseGoDirective(ctx.file.text);
        if (!directive || goAtLeast(directive.version, 1, 13)) return;
        ctx.report({
          start: directive.start,
          end: directive.end,
          message: `go ${directive.version.text} is older than Go 1.13: no security fixes, no TLS 1.3 by default, TLS 1.0 as the default floor. Raise the go directive to a supported release (go mod edit -go=1.22).`,
        });
      },
    },
  },
});
