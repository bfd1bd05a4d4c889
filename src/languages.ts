import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * How a file kind is parsed. The engine parses; rules only read the result.
 * - tree-sitter: `grammar()` loads the grammar module lazily (only when a file of the kind passed
 *   the prefilter); `name` identifies the grammar, so kinds that share one share its parser.
 * - typescript: JavaScript and TypeScript, with TypeScript's parser, which loads on the first
 *   candidate file; each file gets its own syntax tree, dropped when the file's rules ran.
 * - text: rules get the decoded text and its lines (line-oriented formats: go.mod, .env,
 *   Dockerfile); used only where no registry grammar fits.
 */
export type ParserSpec = { type: 'tree-sitter'; name: string; grammar: () => unknown } | { type: 'typescript' } | { type: 'text' };

/** One row of the kind table, as written. */
export interface FileKindRow {
  /** Stable id used by rules (`go`, `gomod`, `pom`, `dockerfile`...). */
  id: string;
  /** Display name. */
  name: string;
  /** File extensions, lower case, with the dot. */
  extensions?: string[];
  /** Exact base names (case-sensitive). */
  fileNames?: string[];
  /** Base-name patterns, for names like `Dockerfile.prod` or `.env.local`. */
  namePattern?: RegExp;
  /**
   * Patterns on the whole path (with `/` separators), for kinds that a folder decides
   * (`nginx/conf.d/*.conf`); tested before names and extensions of later rows.
   */
  pathPattern?: RegExp;
  /**
   * The general format this kind is a special case of (`pom` is `xml`): the kind is parsed like
   * it and uses its comment syntax, and rules that read the general kind read this one too. A rule
   * that reads `pom` reads only pom.xml.
   */
  format?: string;
  /** How the kind is parsed (default: its format's parser). */
  parser?: ParserSpec;
  /** Line comment markers, for fixture annotations and inline suppressions (default: its format's). */
  lineComments?: string[];
  /** Block comment delimiters where a format has only those (XML). */
  blockComment?: [string, string];
  /** The rule pack that checks this language, where its id is not the kind's (`csharp` is checked by `dotnet`). */
  pack?: string;
}

/** A kind with its format resolved. */
export interface FileKind extends FileKindRow {
  parser: ParserSpec;
  lineComments: string[];
  /** This kind's id and the ids of the formats it is a special case of, most specific first: a file of this kind runs the checkers of each. */
  lineage: string[];
  /** The name of the most general format (`XML` for a pom), for messages about parsing. */
  formatName: string;
}

const treeSitter = (name: string, grammar: () => unknown): ParserSpec => ({ type: 'tree-sitter', name, grammar });
const goGrammar = treeSitter('go', () => require('tree-sitter-go'));
const xmlGrammar = treeSitter('xml', () => (require('@tree-sitter-grammars/tree-sitter-xml') as { xml: unknown }).xml);
const jsonGrammar = treeSitter('json', () => require('tree-sitter-json'));
const bashGrammar = treeSitter('bash', () => require('tree-sitter-bash'));
const pythonGrammar = treeSitter('python', () => require('tree-sitter-python'));
const javaGrammar = treeSitter('java', () => require('tree-sitter-java'));
const csharpGrammar = treeSitter('c-sharp', () => require('tree-sitter-c-sharp'));
const rubyGrammar = treeSitter('ruby', () => require('tree-sitter-ruby'));
const yamlGrammar = treeSitter('yaml', () => require('@tree-sitter-grammars/tree-sitter-yaml'));
const hclGrammar = treeSitter('hcl', () => require('@tree-sitter-grammars/tree-sitter-hcl'));
const cGrammar = treeSitter('c', () => require('tree-sitter-c'));
const cppGrammar = treeSitter('cpp', () => require('tree-sitter-cpp'));
// `php` reads a file as HTML with PHP islands (`<?php ... ?>`), as PHP files are written
const phpGrammar = treeSitter('php', () => (require('tree-sitter-php') as { php: unknown }).php);

/**
 * One row per language or config kind. Order matters only where names overlap: the first row
 * whose file names, pattern or extension match wins.
 */
const ROWS: FileKindRow[] = [
  {
    id: 'go',
    name: 'Go',
    extensions: ['.go'],
    parser: goGrammar,
    lineComments: ['//'],
  },
  {
    id: 'gomod',
    name: 'go.mod',
    fileNames: ['go.mod'],
    parser: { type: 'text' },
    lineComments: ['//'],
  },
  {
    // a Go workspace: go.mod's syntax, but not a module (rules that read it say so)
    id: 'gowork',
    name: 'go.work',
    fileNames: ['go.work'],
    parser: { type: 'text' },
    lineComments: ['//'],
  },
  {
    id: 'dockerfile',
    name: 'Dockerfile',
    fileNames: ['Dockerfile', 'Containerfile'],
    namePattern: /^(?:Dockerfile|Containerfile)[.-][\w.-]+$|\.(?:dockerfile|containerfile)$/i,
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    id: 'env',
    name: 'environment file',
    fileNames: ['.env'],
    namePattern: /^\.env\.[\w.-]+$|\.env$/,
    parser: { type: 'text' },
    lineComments: ['#'],
  },

  {
    // before the .NET configuration row, whose `.config` extension would claim `jvm.config`
    id: 'jvm-config',
    name: 'JVM options file',
    fileNames: ['jvm.config', 'jvm.options', '.jvmopts', 'jvmopts', '.sbtopts'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },

  // --- XML, and the XML files that packs read by name ---
  {
    id: 'pom',
    name: 'Maven POM',
    fileNames: ['pom.xml'],
    format: 'xml',
  },
  {
    // C# and Visual Basic projects (F# projects and shared .props/.targets stay plain XML)
    id: 'dotnet-project',
    name: '.NET project file',
    extensions: ['.csproj', '.vbproj'],
    format: 'xml',
  },
  {
    // an application's own configuration, which states its target framework
    id: 'web-config',
    name: 'web.config / app.config',
    namePattern: /^(?:web|app)\.config$/i,
    format: 'dotnet-config',
  },
  {
    id: 'dotnet-config',
    name: '.NET configuration file',
    extensions: ['.config'],
    format: 'xml',
  },
  {
    id: 'xml',
    name: 'XML',
    extensions: ['.xml', '.fsproj', '.props', '.targets', '.nuspec'],
    parser: xmlGrammar,
    lineComments: [],
    blockComment: ['<!--', '-->'],
  },
  // --- JSON, and the JSON files that packs read by name ---
  {
    id: 'package-json',
    name: 'package.json',
    fileNames: ['package.json'],
    format: 'json',
  },
  {
    // a PHP project's Composer manifest (its PHP requirement)
    id: 'composer',
    name: 'composer.json',
    fileNames: ['composer.json'],
    format: 'json',
  },
  {
    id: 'appsettings',
    name: 'ASP.NET Core appsettings',
    namePattern: /^appsettings[\w.-]*\.json$/i,
    format: 'json',
  },
  {
    id: 'json',
    name: 'JSON',
    extensions: ['.json'],
    parser: jsonGrammar,
    lineComments: ['//'],
  },
  {
    id: 'shell',
    name: 'shell script',
    extensions: ['.sh', '.bash', '.ksh', '.zsh'],
    fileNames: ['.bashrc', '.profile', '.bash_profile', 'setenv.sh'],
    parser: bashGrammar,
    lineComments: ['#'],
  },
  {
    id: 'properties',
    name: 'Java properties',
    extensions: ['.properties'],
    parser: { type: 'text' },
    lineComments: ['#', '!'],
  },
  // --- .NET ---
  {
    id: 'csharp',
    name: 'C#',
    extensions: ['.cs'],
    parser: csharpGrammar,
    lineComments: ['//'],
    pack: 'dotnet',
  },
  // --- Java ---
  {
    id: 'java',
    name: 'Java',
    extensions: ['.java'],
    parser: javaGrammar,
    lineComments: ['//'],
  },
  {
    // Groovy and Kotlin build scripts: read as text (dependency coordinates, compatibility levels, JVM args)
    id: 'gradle',
    name: 'Gradle build script',
    namePattern: /\.gradle(?:\.kts)?$/,
    parser: { type: 'text' },
    lineComments: ['//'],
  },
  {
    // `java.security` and override files passed with -Djava.security.properties=
    id: 'java-security',
    name: 'Java security properties',
    fileNames: ['java.security'],
    extensions: ['.security'],
    parser: { type: 'text' },
    lineComments: ['#', '!'],
  },
  // --- Python ---
  {
    id: 'setup-py',
    name: 'setup.py',
    fileNames: ['setup.py'],
    format: 'python',
  },
  {
    id: 'python',
    name: 'Python',
    extensions: ['.py', '.pyw'],
    parser: pythonGrammar,
    lineComments: ['#'],
  },
  // where a Python project states its interpreter version, one kind per file (each has its own syntax)
  { id: 'runtime-txt', name: 'runtime.txt', fileNames: ['runtime.txt'], parser: { type: 'text' }, lineComments: ['#'] },
  { id: 'python-version', name: '.python-version', fileNames: ['.python-version'], parser: { type: 'text' }, lineComments: ['#'] },
  { id: 'pipfile', name: 'Pipfile', fileNames: ['Pipfile'], parser: { type: 'text' }, lineComments: ['#'] },
  { id: 'pyproject', name: 'pyproject.toml', fileNames: ['pyproject.toml'], parser: { type: 'text' }, lineComments: ['#'] },
  { id: 'setup-cfg', name: 'setup.cfg', fileNames: ['setup.cfg'], parser: { type: 'text' }, lineComments: ['#'] },
  // --- JavaScript/TypeScript: the TypeScript compiler loads only when a JS/TS file passed the prefilter ---
  {
    id: 'javascript',
    name: 'JavaScript',
    extensions: ['.js', '.cjs', '.mjs', '.jsx'],
    parser: { type: 'typescript' },
    lineComments: ['//'],
  },
  {
    id: 'typescript',
    name: 'TypeScript',
    namePattern: /^(?!.*\.d\.[cm]?ts$).*\.(?:[cm]?ts|tsx)$/i,
    parser: { type: 'typescript' },
    lineComments: ['//'],
    pack: 'javascript',
  },
  // --- Ruby, server and infrastructure configuration ---
  {
    id: 'gemfile',
    name: 'Gemfile',
    fileNames: ['Gemfile', 'gems.rb'],
    format: 'ruby',
  },
  {
    id: 'ruby',
    name: 'Ruby',
    extensions: ['.rb', '.rake', '.gemspec', '.ru'],
    fileNames: ['Rakefile', 'Guardfile', 'Vagrantfile'],
    parser: rubyGrammar,
    lineComments: ['#'],
  },
  // --- C and C++ (one pack, `c`): C++ files are parsed by the C++ grammar and read by the rules of `c` ---
  {
    // headers are read as C: the C grammar parses the declarations, macros and inline functions of most headers
    id: 'c',
    name: 'C',
    extensions: ['.c', '.h'],
    parser: cGrammar,
    lineComments: ['//'],
  },
  {
    id: 'cpp',
    name: 'C++',
    extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h++', '.ipp', '.inl'],
    format: 'c',
    parser: cppGrammar,
    pack: 'c',
  },
  // --- PHP (composer.json is with the JSON kinds above) ---
  {
    id: 'php',
    name: 'PHP',
    extensions: ['.php', '.phtml', '.php3', '.php4', '.php5', '.php7', '.phps', '.inc'],
    parser: phpGrammar,
    lineComments: ['//', '#'],
  },
  // --- build files that state which OpenSSL a native project builds against (read as text) ---
  { id: 'cmake', name: 'CMake', fileNames: ['CMakeLists.txt'], extensions: ['.cmake'], parser: { type: 'text' }, lineComments: ['#'] },
  { id: 'autoconf', name: 'Autoconf', fileNames: ['configure.ac', 'configure.in'], parser: { type: 'text' }, lineComments: ['#', 'dnl'] },
  { id: 'makefile', name: 'Makefile', fileNames: ['Makefile', 'makefile', 'GNUmakefile'], extensions: ['.mk'], parser: { type: 'text' }, lineComments: ['#'] },
  { id: 'meson', name: 'meson.build', fileNames: ['meson.build'], parser: { type: 'text' }, lineComments: ['#'] },
  {
    id: 'ruby-version',
    name: '.ruby-version',
    fileNames: ['.ruby-version'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    // a kubectl configuration: `~/.kube/config` and files named like one (read as YAML)
    id: 'kubeconfig',
    name: 'kubeconfig',
    fileNames: ['kubeconfig', '.kubeconfig'],
    extensions: ['.kubeconfig'],
    pathPattern: /(?:^|\/)\.kube\/config$/,
    format: 'yaml',
  },
  {
    id: 'yaml',
    name: 'YAML',
    extensions: ['.yml', '.yaml'],
    parser: yamlGrammar,
    lineComments: ['#'],
  },
  {
    // TOML files other than pyproject.toml (Traefik's static and dynamic configuration...), read as text
    id: 'toml',
    name: 'TOML',
    extensions: ['.toml'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    // Azure Bicep templates, read as text (src/formats/bicep.ts)
    id: 'bicep',
    name: 'Bicep',
    extensions: ['.bicep'],
    parser: { type: 'text' },
    lineComments: ['//'],
  },
  {
    id: 'terraform',
    name: 'Terraform',
    extensions: ['.tf'],
    parser: hclGrammar,
    lineComments: ['#', '//'],
  },
  /**
   * Terraform variable values (`terraform.tfvars`, `*.auto.tfvars`). No rule reads them: the
   * semantic layer opens them when a rule asks for a `var.x` of the same folder, so their values
   * are judged where the variable reaches a setting (src/lang/hcl.ts).
   */
  {
    id: 'tfvars',
    name: 'Terraform variables',
    extensions: ['.tfvars'],
    parser: hclGrammar,
    lineComments: ['#', '//'],
  },
  /*
   * Web server and OpenSSL configuration (src/formats/serverconf.ts). How `*.conf` is classified:
   * - nginx: `nginx.conf`, `nginx*.conf`, `*.nginx`, and any `*.conf` (or `*.conf.template`) below
   *   a folder whose name starts with `nginx` or `openresty`, plus every file of a
   *   `sites-available`/`sites-enabled` folder below such a folder;
   * - apache: `httpd.conf`, `apache2.conf`, `ssl.conf`, `httpd-ssl.conf`, `.htaccess`, and `*.conf`
   *   below a folder whose name starts with `apache`, `httpd` or `apache2`;
   * - openssl: `openssl.cnf` and any `*.cnf` (MySQL's `my.cnf` included: its rules look only at
   *   OpenSSL directives);
   * - any other `*.conf` is `serverconf`: the nginx and Apache rules both read it, and the parser
   *   picks the dialect from the content (`<VirtualHost>`-style sections or `SSL...` directives
   *   mean Apache, otherwise nginx). The rules look for directive names that only one server uses
   *   (`ssl_protocols`, `SSLProtocol`), so a generic `*.conf` of another program matches nothing.
   * The nginx row comes first so that `nginx/conf.d/ssl.conf` is nginx, not Apache.
   */
  {
    id: 'nginx',
    name: 'nginx configuration',
    fileNames: ['nginx.conf'],
    namePattern: /^nginx[\w.-]*\.conf(?:\.template)?$|\.nginx(?:conf)?$/i,
    pathPattern: /(?:^|\/)(?:nginx|openresty)[^/]*\/(?:[^/]+\/)*(?:[^/]+\.conf(?:\.template)?|sites-(?:available|enabled)\/[^/.][^/]*)$/i,
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    id: 'apache',
    name: 'Apache httpd configuration',
    fileNames: ['httpd.conf', 'apache2.conf', 'apache.conf', 'ssl.conf', 'httpd-ssl.conf', '.htaccess'],
    pathPattern: /(?:^|\/)(?:apache|httpd)[^/]*\/(?:[^/]+\/)*(?:[^/]+\.conf|sites-(?:available|enabled)\/[^/.][^/]*)$/i,
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    // HAProxy: `haproxy.cfg`, `haproxy*.cfg`, and `*.cfg` below a folder whose name starts with `haproxy`
    id: 'haproxy',
    name: 'HAProxy configuration',
    fileNames: ['haproxy.cfg'],
    namePattern: /^haproxy[\w.-]*\.cfg$/i,
    pathPattern: /(?:^|\/)haproxy[^/]*\/(?:[^/]+\/)*[^/]+\.cfg$/i,
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    // Caddy's own configuration format (its JSON configuration is JSON)
    id: 'caddyfile',
    name: 'Caddyfile',
    fileNames: ['Caddyfile'],
    namePattern: /^Caddyfile[\w.-]*$|\.caddyfile$/i,
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    id: 'openssl',
    name: 'OpenSSL configuration',
    extensions: ['.cnf'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    id: 'serverconf',
    name: 'server configuration (*.conf)',
    extensions: ['.conf'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },
];

function resolve(row: FileKindRow, rows: ReadonlyMap<string, FileKindRow>, seen: string[] = []): FileKind {
  if (seen.includes(row.id)) throw new Error(`file kinds: ${[...seen, row.id].join(' -> ')} is a cycle`);
  const format = row.format === undefined ? undefined : rows.get(row.format);
  if (row.format !== undefined && !format) throw new Error(`file kind ${row.id}: unknown format ${row.format}`);
  const parent = format ? resolve(format, rows, [...seen, row.id]) : undefined;
  const parser = row.parser ?? parent?.parser;
  const lineComments = row.lineComments ?? parent?.lineComments;
  if (!parser || !lineComments) throw new Error(`file kind ${row.id}: a parser and comment syntax, or a format to take them from`);
  return {
    ...row,
    parser,
    lineComments,
    ...(row.blockComment ?? parent?.blockComment ? { blockComment: row.blockComment ?? parent!.blockComment! } : {}),
    lineage: [row.id, ...(parent?.lineage ?? [])],
    formatName: parent?.formatName ?? row.name,
  };
}

const rowsById = new Map(ROWS.map((r) => [r.id, r]));
export const FILE_KINDS: readonly FileKind[] = ROWS.map((r) => resolve(r, rowsById));

const byId = new Map(FILE_KINDS.map((k) => [k.id, k]));

export function fileKindById(id: string): FileKind | undefined {
  return byId.get(id);
}

/** The file kind of a path, or undefined for files tlslint does not read. */
export function classify(filePath: string): FileKind | undefined {
  const base = path.basename(filePath);
  const ext = path.extname(base).toLowerCase();
  let slashed: string | undefined;
  for (const kind of FILE_KINDS) {
    if (kind.fileNames?.includes(base)) return kind;
    if (kind.pathPattern?.test((slashed ??= filePath.replace(/\\/g, '/')))) return kind;
    if (kind.namePattern?.test(base)) return kind;
    if (ext && kind.extensions?.includes(ext)) return kind;
  }
  return undefined;
}
