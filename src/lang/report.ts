/**
 * How a finding about a value that travelled is reported, the same way in every pack: where it
 * lands (the literal at the sink, the weak argument at a call site, else the sink), the path in
 * the message and as related locations, and deliberate, configurable insecurity (a setting
 * guarded by a flag or option) as a note that names the guard.
 */
import path from 'node:path';
import type { RelatedReport, Report, SyntaxNode } from '../rule.js';
import type { SourceFile } from '../source.js';
import type { Fix } from '../types.js';
import type { Semantics } from './evaluate.js';
import type { Flow, Guard, LangNode, Step } from './model.js';

/** What reporting a flow needs of a rule's context (MatchContext for tree-sitter rules, TsContext for JS/TS ones). */
export interface LangContext<N extends LangNode = SyntaxNode> {
  file: SourceFile;
  readonly lang: Semantics<N>;
}

/** Condition words that make a guard a deliberate switch (`opts.Insecure`, `verifyHostName`, `legacyMode`). */
const SWITCH_WORDS = /insecure|unsafe|skip|verif|trust|valid|check|strict|legacy|compat|allow|accept|ignore|disable|debug|dev(?:elop|mode|\b|_)|test|local|self.?signed|danger|fallback|lenient|relax|old(?:er)?[A-Z_]|tls.?1[01_]?\b|ssl.?3|permissive|lax/i;
/**
 * Conditions that test for a missing value, an error or a capability (`hasattr(ssl, "PROTOCOL_TLSv1")`,
 * `has_tls_version("TLSv1")`, C's `#ifndef OPENSSL_NO_SSL3`, `#ifdef HAVE_SSLV3_CLIENT_METHOD`,
 * `#if OPENSSL_VERSION_NUMBER < 0x10100000L`: the library a build uses, which C rules name in their own words; an
 * include guard such as `#ifndef TLS_CONF_H`), not a switch.
 */
const NOT_A_SWITCH =
  /\b(?:err|error|e|ex|exc)\s*!=\s*nil\b|[!=]==?\s*(?:null|nil|None|undefined)\b|\bis\s+(?:not\s+)?None\b|\binstanceof\b|\.isEmpty\(\)|\.(?:nil|empty)\?|\bhasattr\s*\(|\bhas_\w+\s*\(|\bHAS_\w+|\bis(?:Supported|Available)\s*\(|\b(?:OPENSSL|LIBRESSL|LIBCURL|SSLEAY|WOLFSSL)_VERSION_NUM(?:BER)?\b|\bOPENSSL_(?:NO|API)_\w+|\bHAVE_[A-Z0-9_]+\b|^(?:SSL_OP_NO_|SSL_CTRL_|TLS1_|SSL3_|CURL_SSLVERSION_|CURLOPT_)\w*$|^_*[A-Z][A-Z0-9_]*_(?:H|HPP|HH|HXX|INCLUDED)_*$/;

/** True when a guard is a switch a user turns on deliberately. */
export function isSwitch<N extends LangNode>(guard: Guard<N> | undefined): guard is Guard<N> {
  return !!guard && SWITCH_WORDS.test(guard.text) && !NOT_A_SWITCH.test(guard.text);
}

/** True when a name reads like a configurable security switch (`verify`, `insecure`, `trustAll`). */
export function isSwitchName(name: string | undefined): boolean {
  return !!name && SWITCH_WORDS.test(name);
}

/** `Sockets.java:42`. */
export function where(src: SourceFile, node: LangNode): string {
  return `${path.basename(src.path)}:${node.startPosition.row + 1}`;
}

/** The last call-site step: the argument a caller passes for a parameter that reaches the sink. */
function callSite<N extends LangNode>(flow: Flow<N>): Step<N> | undefined {
  for (let i = flow.steps.length - 1; i >= 0; i--) if (flow.steps[i]!.via === 'call-site') return flow.steps[i];
  return undefined;
}

/** The node a flow's finding lands on in this file, and whether that is the value's own literal. */
export function anchorOf<N extends LangNode>(ctx: LangContext<N>, flow: Flow<N>, sink: N): { node: N; atValue: boolean } {
  const site = callSite(flow);
  if (site && site.src === ctx.file) return { node: flow.src === ctx.file && within(flow.node, site.node) ? flow.node : site.node, atValue: flow.src === ctx.file && within(flow.node, site.node) };
  if (flow.steps.length === 0 && flow.src === ctx.file) return { node: flow.node, atValue: true };
  return { node: sink, atValue: false };
}

function within(inner: LangNode, outer: LangNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** Words for a step in a message; places in other files (and constants) say where they are. */
function stepText<N extends LangNode>(s: Step<N>, here: SourceFile): string {
  const at = s.src !== here ? ` (${where(s.src, s.node)})` : '';
  switch (s.via) {
    case 'local':
      return `\`${s.name}\``;
    case 'field':
      return s.src !== here ? `\`${s.name}\`${at}` : `the field \`${s.name}\``;
    case 'constant':
    case 'import':
      return `\`${s.name}\` (${where(s.src, s.node)})`;
    case 'parameter':
      return `the \`${s.name}\` parameter${at}`;
    case 'default':
      return `the default of \`${s.name}\`${at}`;
    case 'call-site':
      return `the call of \`${s.name}\` at ${where(s.src, s.node)}`;
    case 'return':
      return `\`${s.name}\`${at}`;
    case 'element':
      return `the \`${s.name}\` entry${at}`;
  }
}

/**
 * The path of a flow in words, for the end of a message: ` (through `LEGACY` (Defaults.java:3))`,
 * or, at a call site, ` (passed here as the `protocols` parameter of `open()`, which reaches
 * SSLSocket.setEnabledProtocols at Sockets.java:42)`; empty when the value is written at the sink.
 */
export function pathText<N extends LangNode>(flow: Flow<N>, here: SourceFile, atCallSite?: { sinkName: string; sink: string }): string {
  const steps = flow.steps;
  const k = atCallSite ? steps.findLastIndex((s) => s.via === 'call-site') : -1;
  const list = (from: Step<N>[]) => {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const [i, s] of from.entries()) {
      // a name used here and defined in another file: say where it is defined
      const next = from[i + 1];
      if (next && next.via === s.via && next.name === s.name) continue;
      const t = stepText(s, here);
      if (seen.has(t)) continue;
      seen.add(t);
      parts.push(t);
    }
    return parts.join(', ');
  };
  if (k >= 0 && atCallSite) {
    const param = steps.slice(0, k).findLast((s) => s.via === 'parameter');
    const rest = list(steps.slice(k + 1));
    return ` (passed here as ${param ? `the \`${param.name}\` parameter of ` : ''}\`${steps[k]!.name}\`, which reaches ${atCallSite.sinkName} at ${atCallSite.sink}${rest ? `; through ${rest}` : ''})`;
  }
  const all = list(steps);
  return all ? ` (through ${all})` : '';
}

/** The guard's words: `when \`opts.Insecure\` is true`. */
export function guardText<N extends LangNode>(guard: Guard<N>): string {
  return `when \`${guard.text}\` is ${guard.negated ? 'false' : 'true'}`;
}

export interface FlowReport<N extends LangNode = SyntaxNode> {
  /** Where the value is used: the argument, the assignment's right side. */
  sink: N;
  /** What the sink is, for related locations (`SSLSocket.setEnabledProtocols`). */
  sinkName: string;
  /**
   * The file the sink is in, when it is not the reported file: a caller's argument reported where
   * it is passed (a Terraform module input whose sink is in the child module). Default: this file.
   */
  sinkSrc?: SourceFile;
  /** The finding's message, without the path (added here). */
  message: string;
  /** A fix on the value's literal: kept only when the finding lands on that literal. */
  fix?: Fix;
}

/**
 * The report for one weak possibility of a value: anchored at the literal, the call site or the
 * sink; with the path in the message and as related locations; a note when a switch guards it.
 */
export function flowReport<N extends LangNode>(ctx: LangContext<N>, flow: Flow<N>, r: FlowReport<N>): Report<N> {
  const { node, atValue } = anchorOf(ctx, flow, r.sink);
  const related: RelatedReport[] = [];
  const seen = new Set<string>();
  const relate = (src: SourceFile, n: LangNode, message: string) => {
    if (src === ctx.file && n.startIndex === node.startIndex && n.endIndex === node.endIndex) return;
    const key = `${src.path}:${n.startIndex}:${n.endIndex}`;
    if (seen.has(key)) return;
    seen.add(key);
    related.push({ src, start: n.startIndex, end: n.endIndex, message });
  };
  if (flow.steps.length) relate(flow.src, flow.node, 'the value is written here');
  for (const s of flow.steps) relate(s.src, s.node, stepText(s, ctx.file).replace(/ \([^)]*\)$/, ''));
  const sinkSrc = r.sinkSrc ?? ctx.file;
  relate(sinkSrc, r.sink, `it reaches ${r.sinkName} here`);
  const guard = flow.guard ?? ctx.lang.guardOf(node);
  const deliberate = isSwitch(guard);
  const atCallSite = node !== r.sink && callSite(flow)?.src === ctx.file ? { sinkName: r.sinkName, sink: where(sinkSrc, r.sink) } : undefined;
  const message = `${r.message}${pathText(flow, ctx.file, atCallSite)}${conditionText(guard, deliberate)}`;
  return {
    node,
    message,
    fix: atValue && !deliberate ? r.fix : undefined,
    ...(deliberate ? { severity: 'note' as const } : {}),
    ...(related.length ? { related } : {}),
  };
}

/** The end of a message about a guarded value: the switch that turns it on, or the condition that chooses it. */
function conditionText<N extends LangNode>(guard: Guard<N> | undefined, deliberate: boolean): string {
  if (!guard) return '';
  if (deliberate) return ` This applies only ${guardText(guard)}: a deliberate, configurable setting; make sure it cannot be turned on in production.`;
  return NOT_A_SWITCH.test(guard.text) ? '' : ` This applies ${guardText(guard)}.`;
}

/**
 * A report on a node that involves no travelled value (a literal at the sink, a class use): a note
 * when a switch guards it; the message names any other condition that chooses it.
 */
export function guardedReport<N extends LangNode>(ctx: LangContext<N>, report: Report<N> & { node: N }): Report<N> {
  const guard = ctx.lang.guardOf(report.node);
  if (!guard) return report;
  if (!isSwitch(guard)) return conditionText(guard, false) ? { ...report, message: `${report.message}${conditionText(guard, false)}` } : report;
  return { ...report, fix: undefined, severity: 'note', message: `${report.message}${conditionText(guard, true)}` };
}

/** Protocol names as code compares them: `"TLSv1"`, `STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT`, `TLS1_VERSION`, `CURL_SSLVERSION_TLSv1_1`. */
const PROTOCOL_NAME = /SSLv?[23](?![0-9])|TLSv?1(?:[._]?[01])?(?![._]?[2-9])|TLS1_(?:1_)?VERSION|SSL3_VERSION/i;

/**
 * True when a weak value is one entry of a translation from a setting made elsewhere to a library
 * constant, not a choice made here: it is chosen by comparing against a protocol name (`if
 * (STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT === $opt)`, `case TLS10:`), or by one `case` of a switch
 * whose other cases choose other values that are not weak (`case 1: v = CURL_SSLVERSION_TLSv1_0;
 * ... case 3: v = CURL_SSLVERSION_TLSv1_2;`). `others` are the other possibilities at the sink,
 * `weak` says which of them are weak.
 */
export function isTranslation<N extends LangNode>(ctx: LangContext<N>, flow: Flow<N>, others: Flow<N>[], weak: (f: Flow<N>) => boolean): boolean {
  const guard = flow.guard ?? ctx.lang.guardOf(flow.node);
  if (!guard) return false;
  const comparison = /[=!]==?|\bstr(?:n?case)?cmp\b|\bequals(?:IgnoreCase)?\b/.test(guard.text);
  const caseLabel = guard.node.parent?.type === 'case_statement' || guard.node.parent?.type === 'case';
  if ((comparison || caseLabel) && PROTOCOL_NAME.test(guard.text)) return true;
  return caseLabel && others.some((o) => o !== flow && o.guard && o.guard.node.parent?.type === guard.node.parent?.type && !weak(o) && o.value.type !== 'unknown');
}
