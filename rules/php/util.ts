/**
 * TLS knowledge of the PHP ecosystem shared by the PHP rules: cURL options and their sinks
 * (`curl_setopt`, `curl_setopt_array`, option arrays), stream context options, and the project's
 * PHP version. Values come from the semantic layer (src/lang/php.ts), never from a resolver here.
 */
import type { Flow } from '../../src/lang/model.js';
import type { MatchContext, SyntaxNode } from '../../src/rule.js';
import { phpFloor, phpVersion } from '../inventory.js';

export interface PhpVersion {
  major: number;
  minor: number;
  text: string;
}

/** True for a PHP before 5.6 (the floor of rules/inventory.ts). */
export function phpTooOld(v: PhpVersion): boolean {
  return phpFloor(v.major, v.minor) !== undefined;
}

/**
 * The lowest PHP a Composer constraint allows: `>=5.3.3`, `^5.4|^7.0`, `~5.5`, `5.3.*`,
 * `>=5.3,<8`; undefined when no alternative has a lower bound.
 */
export function lowestPhp(constraint: string): PhpVersion | undefined {
  let lowest: PhpVersion | undefined;
  for (const alternative of constraint.split(/\s*\|\|?\s*/)) {
    for (const m of alternative.matchAll(/(>=|>|\^|~|==?|v)?\s*(\d+)\.(\d+|\*)(?:\.[\d*]+)*/g)) {
      const before = alternative.slice(0, m.index).trimEnd();
      if (/<=?$/.test(before)) continue;
      const v = { major: Number(m[2]), minor: m[3] === '*' ? 0 : Number(m[3]), text: m[0].replace(/^[>=^~v\s]+/, '') };
      if (!lowest || v.major < lowest.major || (v.major === lowest.major && v.minor < lowest.minor)) lowest = v;
      break;
    }
  }
  return lowest;
}

/** The PHP the project states (composer.json `config.platform.php`, else the lower bound of `require.php`). */
export function projectPhp(ctx: MatchContext): PhpVersion | undefined {
  const stated = ctx.project.nearest(phpVersion)?.value;
  if (!stated) return undefined;
  return lowestPhp(stated.text) ?? stated;
}

/** The bare name of a constant a possibility names (`CURLOPT_SSLVERSION`, `\CURL_SSLVERSION_TLSv1`). */
export function constantName(flow: Flow): string | undefined {
  const v = flow.value;
  return v.type === 'symbol' ? v.name.slice(v.name.lastIndexOf('\\') + 1) : undefined;
}

/** The text of a name node without a leading namespace separator. */
export function bareName(node: SyntaxNode): string {
  return node.text.slice(node.text.lastIndexOf('\\') + 1).trim();
}

/** A prefix that keeps a regex from matching inside a longer name (a backslash or nothing may precede the constant). */
const START = '(^|[^A-Za-z0-9_])';

/**
 * Query patterns for the places a cURL option (`option`: a regex of constant names) gets its
 * value: the argument after it in a call (`curl_setopt($ch, CURLOPT_X, $v)`, wrappers such as
 * `$this->setOpt(CURLOPT_X, $v)`), an array entry keyed by it (`curl_setopt_array($ch, [CURLOPT_X
 * => $v])`, `array(CURLOPT_X => $v)`, Guzzle's `'curl' => [...]`), or an element write
 * (`$opts[CURLOPT_X] = $v`). Captures `@option`, `@value` and `@sink`.
 */
export function curlOptionQuery(option: string): string {
  const name = `[(name) (qualified_name)] @option (#match? @option "${START}${option}$")`;
  return `
(arguments (argument ${name}) . (argument . (_) @value .)) @sink
(array_element_initializer . ${name} . (_) @value .) @sink
(assignment_expression left: (subscript_expression (_) ${name}) right: (_) @value) @sink`;
}

/**
 * Query patterns for a stream context option (`key`: a regex of option names such as
 * `verify_peer`): an array entry (`['ssl' => ['verify_peer' => false]]`), an element write
 * (`$opts['ssl']['verify_peer'] = false`), and `stream_context_set_option($ctx, 'ssl',
 * 'verify_peer', false)`. Captures `@key`, `@value` and `@sink`.
 */
export function contextOptionQuery(key: string): string {
  const string = `[(string) (encapsed_string)] @key (#match? @key "^[bB]?[\\"']${key}[\\"']$")`;
  return `
(array_element_initializer . ${string} . (_) @value .) @sink
(assignment_expression left: (subscript_expression (_) ${string}) right: (_) @value) @sink
(function_call_expression function: [(name) (qualified_name)] @_set (#match? @_set "${START}stream_context_set_option$") arguments: (arguments (argument) . (argument) . (argument ${string}) . (argument . (_) @value .))) @sink`;
}

/** The node that spells a constant's bare name inside a name or qualified name (`CURL_SSLVERSION_TLSv1` of `\CURL_SSLVERSION_TLSv1`), for fixes. */
export function constantSpan(node: SyntaxNode): { start: number; end: number } | undefined {
  if (node.type !== 'name' && node.type !== 'qualified_name') return undefined;
  const bare = bareName(node);
  return { start: node.endIndex - bare.length, end: node.endIndex };
}
