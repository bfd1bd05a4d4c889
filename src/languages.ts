import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * How a file kind is parsed.
 * - tree-sitter: `grammar()` loads the grammar module lazily (only when a file of the kind passed
 *   the prefilter).
 * - text: rules get the decoded text and its lines (line-oriented formats: go.mod, .env,
 *   Dockerfile); used only where no registry grammar fits.
 */
export type ParserSpec = { type: 'tree-sitter'; grammar: () => unknown } | { type: 'text' };

export interface FileKind {
  /** Stable id used by rules (`go`, `gomod`, `dockerfile`...). */
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
  parser: ParserSpec;
  /** Line comment markers, for fixture annotations and inline suppressions. */
  lineComments: string[];
  /** Block comment delimiters where a format has only those (XML). */
  blockComment?: [string, string];
}

const goGrammar = () => require('tree-sitter-go');
const xmlGrammar = () => (require('@tree-sitter-grammars/tree-sitter-xml') as { xml: unknown }).xml;
const jsonGrammar = () => require('tree-sitter-json');
const bashGrammar = () => require('tree-sitter-bash');
const pythonGrammar = () => require('tree-sitter-python');
const javaGrammar = () => require('tree-sitter-java');
const csharpGrammar = () => require('tree-sitter-c-sharp');
const rubyGrammar = () => require('tree-sitter-ruby');
const yamlGrammar = () => require('@tree-sitter-grammars/tree-sitter-yaml');
const hclGrammar = () => require('@tree-sitter-grammars/tree-sitter-hcl');

/**
 * One row per language or config kind. Order matters only where names overlap: the first row
 * whose file names, pattern or extension match wins.
 */
export const FILE_KINDS: FileKind[] = [
  {
    id: 'go',
    name: 'Go',
    extensions: ['.go'],
    parser: { type: 'tree-sitter', grammar: goGrammar },
    lineComments: ['//'],
  },
  {
    id: 'gomod',
    name: 'go.mod',
    fileNames: ['go.mod', 'go.work'],
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
    // before the XML row, whose `.config` extension would claim `jvm.config`
    id: 'jvm-config',
    name: 'JVM options file',
    fileNames: ['jvm.config', 'jvm.options', '.jvmopts', 'jvmopts', '.sbtopts'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },

  // --- shared config formats (several packs read them) ---
  {
    id: 'xml',
    name: 'XML',
    extensions: ['.xml', '.csproj', '.vbproj', '.fsproj', '.props', '.targets', '.config', '.nuspec'],
    parser: { type: 'tree-sitter', grammar: xmlGrammar },
    lineComments: [],
    blockComment: ['<!--', '-->'],
  },
  {
    id: 'json',
    name: 'JSON',
    extensions: ['.json'],
    parser: { type: 'tree-sitter', grammar: jsonGrammar },
    lineComments: ['//'],
  },
  {
    id: 'shell',
    name: 'shell script',
    extensions: ['.sh', '.bash', '.ksh', '.zsh'],
    fileNames: ['.bashrc', '.profile', '.bash_profile', 'setenv.sh'],
    parser: { type: 'tree-sitter', grammar: bashGrammar },
    lineComments: ['#'],
  },
  {
    id: 'properties',
    name: 'Java properties',
    extensions: ['.properties'],
    parser: { type: 'text' },
    lineComments: ['#', '!'],
  },
  // --- .NET pack (issue 3) ---
  {
    id: 'csharp',
    name: 'C#',
    extensions: ['.cs'],
    parser: { type: 'tree-sitter', grammar: csharpGrammar },
    lineComments: ['//'],
  },
  // --- Java pack (issue 4) ---
  {
    id: 'java',
    name: 'Java',
    extensions: ['.java'],
    parser: { type: 'tree-sitter', grammar: javaGrammar },
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
  // --- Python pack (issue 5) ---
  {
    id: 'python',
    name: 'Python',
    extensions: ['.py', '.pyw'],
    parser: { type: 'tree-sitter', grammar: pythonGrammar },
    lineComments: ['#'],
  },
  {
    id: 'python-project',
    name: 'Python version file',
    fileNames: ['runtime.txt', '.python-version', 'Pipfile', 'pyproject.toml', 'setup.cfg'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  // --- JavaScript/TypeScript pack (issue 6) ---
  // Text kinds for the engine: the rules parse candidates with ts-morph (rules/javascript/ast.ts),
  // which loads only when a JS/TS file passed the prefilter.
  {
    id: 'javascript',
    name: 'JavaScript',
    extensions: ['.js', '.cjs', '.mjs', '.jsx'],
    parser: { type: 'text' },
    lineComments: ['//'],
  },
  {
    id: 'typescript',
    name: 'TypeScript',
    namePattern: /^(?!.*\.d\.[cm]?ts$).*\.(?:[cm]?ts|tsx)$/i,
    parser: { type: 'text' },
    lineComments: ['//'],
  },
  // --- Ruby, server and infrastructure configuration (issue 9) ---
  {
    id: 'ruby',
    name: 'Ruby',
    extensions: ['.rb', '.rake', '.gemspec', '.ru'],
    fileNames: ['Gemfile', 'gems.rb', 'Rakefile', 'Guardfile', 'Vagrantfile'],
    parser: { type: 'tree-sitter', grammar: rubyGrammar },
    lineComments: ['#'],
  },
  {
    id: 'ruby-version',
    name: '.ruby-version',
    fileNames: ['.ruby-version'],
    parser: { type: 'text' },
    lineComments: ['#'],
  },
  {
    id: 'yaml',
    name: 'YAML',
    extensions: ['.yml', '.yaml'],
    parser: { type: 'tree-sitter', grammar: yamlGrammar },
    lineComments: ['#'],
  },
  {
    id: 'terraform',
    name: 'Terraform',
    extensions: ['.tf'],
    parser: { type: 'tree-sitter', grammar: hclGrammar },
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
    parser: { type: 'tree-sitter', grammar: hclGrammar },
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
