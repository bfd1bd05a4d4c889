/**
 * TLS knowledge of the .NET ecosystem shared by the .NET rules: which properties and methods take
 * `SecurityProtocolType`/`SslProtocols`, how a value of those flag enums reads (members, numbers,
 * unions, `& ~` removals), how to judge it against the policy floor, and how to name it in a
 * message. Values come from the semantic layer (src/lang/), never from a resolver here.
 */
import {
  belowFloor,
  DOTNET_PROTOCOL_BITS,
  DOTNET_PROTOCOL_ENUMS,
  dotnetProtocolLabel,
  dotnetProtocolVersions,
  isDotnetProtocolMember,
  PROTOCOL_RANK,
  policyFloor,
  type Policy,
} from '../../src/formats/tls-names.js';
import type { Flow } from '../../src/lang/model.js';
import { anchorOf, flowReport } from '../../src/lang/report.js';
import { fixOf, type MatchContext, type Report, type SyntaxNode } from '../../src/rule.js';
import type { TextEdit } from '../../src/types.js';

/** Properties that take a server certificate validation callback (ServicePointManager, HttpClientHandler, SslClientAuthenticationOptions, HttpWebRequest, MailKit...). */
export const CERTIFICATE_CALLBACKS = ['ServerCertificateValidationCallback', 'ServerCertificateCustomValidationCallback', 'RemoteCertificateValidationCallback', 'CertificateValidationCallback'];

/** Properties of type `SslProtocols`: HttpClientHandler, SslClient/ServerAuthenticationOptions, SocketsHttpHandler.SslOptions, Kestrel's HttpsConnectionAdapterOptions. */
export const SSL_PROTOCOLS_PROPERTIES = new Set(['SslProtocols', 'EnabledSslProtocols']);
/** Methods of SslStream whose `enabledSslProtocols` argument is an `SslProtocols`. */
export const AUTHENTICATE_METHODS = /^(?:AuthenticateAsClient|AuthenticateAsServer|BeginAuthenticateAsClient|BeginAuthenticateAsServer)(?:Async)?$/;

/** One flag of a protocol value: an enum member or a number, with the flow that spells it. */
export interface Flag {
  /** The flow of the flag, with the path of the value it is part of. */
  flow: Flow;
  /** The member (`Tls11`), when the flag is spelled as one. */
  member?: string;
  bits: number;
  /** Spelled as a number (`(SecurityProtocolType)192`). */
  numeric: boolean;
}

/** One possibility of a protocol value: the flags it enables and removes. */
export interface ProtocolValue {
  flow: Flow;
  flags: Flag[];
  /** Flags taken away with `& ~`. */
  removed: Flag[];
  /** Parts that are not understood (a call into a library, a parameter nobody passes): the value may hold more. */
  unknown: boolean;
}

/** The parts of a union or list, each carrying the path of its container. */
function parts(f: Flow): Flow[] {
  const inner = f.value.type === 'bits' ? f.value.parts : f.value.type === 'list' ? f.value.items : undefined;
  if (!inner) return [f];
  return inner.flatMap((p) => parts({ ...p, steps: [...f.steps, ...p.steps], guard: p.guard ?? f.guard }));
}

/** The flag a part stands for: `SecurityProtocolType.Tls11`, `SslProtocols.Default`, `Tls11` (using static), a number. */
function flagOf(f: Flow): Flag | undefined {
  const v = f.value;
  if (v.type === 'number') {
    if (v.cast && !DOTNET_PROTOCOL_ENUMS.some((e) => v.cast === e)) return undefined;
    return { flow: f, bits: v.value, numeric: true };
  }
  if (v.type === 'symbol') {
    const dot = v.name.lastIndexOf('.');
    const member = v.name.slice(dot + 1);
    const qualifier = dot === -1 ? '' : v.name.slice(0, dot);
    const enumName = qualifier.slice(qualifier.lastIndexOf('.') + 1);
    if (!isDotnetProtocolMember(member) || (qualifier && !DOTNET_PROTOCOL_ENUMS.some((e) => e === enumName))) return undefined;
    return { flow: f, member, bits: DOTNET_PROTOCOL_BITS[member]!, numeric: false };
  }
  return undefined;
}

/** Every possibility of a `SecurityProtocolType`/`SslProtocols` value, as flags. */
export function protocolValues(flows: Flow[]): ProtocolValue[] {
  return flows.map((flow) => {
    const flags: Flag[] = [];
    let unknown = false;
    for (const p of parts(flow)) {
      const flag = flagOf(p);
      if (flag) flags.push(flag);
      else unknown = true;
    }
    const removed = flow.value.type === 'bits' ? flow.value.removed.flatMap((r) => parts(r)).map(flagOf).filter((x): x is Flag => !!x) : [];
    return { flow, flags, removed, unknown };
  });
}

export interface Verdict {
  /** Flags that enable a version below the floor (and are not removed). */
  old: Flag[];
  /** Flags at or above the floor, or the OS default. */
  modern: Flag[];
}

/** The flags of a value below and at/above the floor, once `removedBits` are taken away. */
export function judge(value: ProtocolValue, floor: Policy, removedBits = 0): Verdict {
  const removed = value.removed.reduce((m, f) => m | f.bits, removedBits);
  const old: Flag[] = [];
  const modern: Flag[] = [];
  for (const f of value.flags) {
    const bits = f.bits & ~removed;
    const versions = dotnetProtocolVersions(bits);
    if (versions.some((v) => belowFloor(v, floor))) old.push(f);
    else if (f.bits === 0 || versions.length) modern.push(f);
  }
  return { old, modern };
}

/** The bits of the flags below the floor among `flags` (what a restriction removes). */
export function oldBits(flags: Flag[], floor: Policy): number {
  let bits = 0;
  for (const f of flags) for (const v of dotnetProtocolVersions(f.bits)) if (belowFloor(v, floor)) bits |= f.bits;
  return bits;
}

/** How a flag is named in a message: `Tls11 (TLS 1.1)`, `Default (SSL 3.0 and TLS 1.0)`, `(SslProtocols)192 (TLS 1.0)`. */
export function flagText(f: Flag, removedBits = 0, prefix = ''): string {
  const cast = f.flow.value.type === 'number' && f.flow.value.cast ? `(${f.flow.value.cast})` : '';
  const name = f.member ? prefix + f.member : `${cast}${f.bits}`;
  return `${name} (${dotnetProtocolLabel(f.bits & ~removedBits)})`;
}

/** The member that spells the floor (`Tls12`, or `Tls13` under a 1.3 policy). */
export function floorMember(floor: Policy): string {
  return policyFloor(floor) === 'TLS1.3' ? 'Tls13' : 'Tls12';
}

/** The number that spells the floor (`3072`, or `12288` under a 1.3 policy). */
export function floorBits(floor: Policy): number {
  return DOTNET_PROTOCOL_BITS[floorMember(floor)]!;
}

/** True when a version at the floor or above is the only thing a value enables (`Tls12`, `Tls12 | Tls13`). */
export function onlyModern(value: ProtocolValue, floor: Policy): boolean {
  if (value.unknown || value.flags.length === 0) return false;
  return value.flags.every((f) => f.bits !== 0 && dotnetProtocolVersions(f.bits).every((v) => PROTOCOL_RANK[v] >= PROTOCOL_RANK[policyFloor(floor)]));
}

/**
 * A query for assignments to properties named `names` (`ServicePointManager.SecurityProtocol = ...`,
 * `SslProtocols = ...` in an object initializer): captures @assign, @left, @prop (the property's
 * name), @op and @right. Filtering in the query keeps the semantic layer off files without a sink.
 */
export function assignmentQuery(names: string[]): string {
  return `((assignment_expression left: [(member_access_expression name: (identifier) @prop) (identifier) @prop] @left operator: _ @op right: (_) @right) @assign (#match? @prop "^(${names.join('|')})$"))`;
}

/** True when a flag is written at the sink itself (not read through a name, a parameter or a call). */
export function atSink(ctx: MatchContext, f: Flag, sink: SyntaxNode): boolean {
  return f.flow.steps.length === 0 && f.flow.src === ctx.file && f.flow.node.startIndex >= sink.startIndex && f.flow.node.endIndex <= sink.endIndex;
}

/**
 * What later code of the same function does to `object.property` after `assign`, under the same
 * condition: the old bits it removes (`&= ~(Tls | Tls11)`), and whether it sets a value without
 * old protocols again (`handler.SslProtocols = SslProtocols.Tls12`).
 */
export function laterRestriction(ctx: MatchContext, assign: SyntaxNode, left: SyntaxNode, property: string): { removed: number; reset: boolean } {
  const target = ctx.lang.grammar.target(left);
  const floor = ctx.settings.minTlsVersion;
  const out = { removed: 0, reset: false };
  if (target?.kind !== 'member') return out;
  const guard = ctx.lang.guardOf(assign)?.node.id;
  for (const later of ctx.lang.laterOnObject(target.object, assign.endIndex, assign)) {
    if (later.kind !== 'write' || later.name !== property || !later.value) continue;
    // only code that runs whenever the weak assignment ran restricts it
    if (ctx.lang.guardOf(later.node)?.node.id !== guard) continue;
    if (later.op === '&=') {
      const s = ctx.lang.shape(later.value);
      if (s.t !== 'unary' || s.op !== '~') continue;
      for (const v of protocolValues(ctx.lang.values(s.operand))) out.removed |= oldBits(v.flags, floor);
    } else if (later.op === '=') {
      const values = protocolValues(ctx.lang.values(later.value));
      if (values.length && values.every((v) => !v.unknown && v.flags.length && judge(v, floor).old.length === 0)) out.reset = true;
    }
  }
  return out;
}

export interface OldReport {
  sink: SyntaxNode;
  sinkName: string;
  /** The message for some old flags (one possibility's). */
  message(flags: Flag[], flow: Flow): string;
  /** Edits for a value written entirely at the sink. */
  edits?: TextEdit[];
  fixDescription?: string;
}

/**
 * Reports the old flags of one possibility: those written at the sink as one finding spanning
 * them (with the fix), those that travelled as one finding per place they land (the sink, the
 * call site that passes them), each with its path.
 */
export function reportOld(ctx: MatchContext, old: Flag[], r: OldReport): void {
  const here = old.filter((f) => atSink(ctx, f, r.sink)).sort((a, b) => a.flow.node.startIndex - b.flow.node.startIndex);
  if (here.length) {
    const fix = r.edits ? fixOf(r.fixDescription ?? 'enable TLS 1.2 instead', r.edits) : undefined;
    const report = flowReport(ctx, here[0]!.flow, { sink: r.sink, sinkName: r.sinkName, message: r.message(here, here[0]!.flow), fix });
    ctx.report(spanned(ctx, report, here[0]!.flow.node.startIndex, here[here.length - 1]!.flow.node.endIndex));
  }
  const groups = new Map<string, Flag[]>();
  for (const f of old) {
    if (here.includes(f)) continue;
    const a = anchorOf(ctx, f.flow, r.sink).node;
    const key = `${a.startIndex}:${a.endIndex}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const flags of groups.values()) ctx.report(flowReport(ctx, flags[0]!.flow, { sink: r.sink, sinkName: r.sinkName, message: r.message(flags, flags[0]!.flow) }));
}

/** A report moved onto the span `start`-`end` of this file, without related locations that overlap it. */
export function spanned(ctx: MatchContext, report: Report, start: number, end: number): Report {
  const related = report.related?.filter((r) => !(r.src === ctx.file && r.start <= end && r.end >= start));
  return { ...report, node: undefined, start, end, related: related?.length ? related : undefined };
}
