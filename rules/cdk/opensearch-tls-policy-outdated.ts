import { CDK_OPENSEARCH_POLICY, CDK_RECOMMENDED_OPENSEARCH_MEMBER, openSearchPolicyOutdated, RECOMMENDED_OPENSEARCH_POLICY } from '../../src/formats/aws-tls-policies.js';
import { guardedReport } from '../../src/lang/report.js';
import { defineRule, type MatchContext, type TsContext } from '../../src/rule.js';
import { cdkLibVersionPython, pythonSettingChecker, pythonWords, type PyCall } from './python.js';
import { cdkLibVersion, checkTsSettings, lacks, tsConstructs, type CdkName, type CdkSetting } from './util.js';

export const OPENSEARCH_SETTING: CdkSetting = {
  names: new Set(['tlsSecurityPolicy']),
  services: ['opensearchservice', 'elasticsearch'],
  enumName: 'TLSSecurityPolicy',
  judge(c) {
    const policy = c.kind === 'member' ? CDK_OPENSEARCH_POLICY[c.member] : c.value;
    if (!policy || !openSearchPolicyOutdated(policy)) return undefined;
    return c.kind === 'member'
      ? { message: `TLSSecurityPolicy.${c.member} (${policy}) accepts TLS 1.0 and 1.1; use TLSSecurityPolicy.${CDK_RECOMMENDED_OPENSEARCH_MEMBER}.`, member: CDK_RECOMMENDED_OPENSEARCH_MEMBER }
      : { message: `tlsSecurityPolicy '${policy}' accepts TLS 1.0 and 1.1; use '${RECOMMENDED_OPENSEARCH_POLICY}'.`, text: RECOMMENDED_OPENSEARCH_POLICY };
  },
};

/** aws-cdk-lib releases before this one set TLS_1_0 for an opensearchservice Domain without tlsSecurityPolicy. */
const FIXED_IN = [2, 200, 0];

/**
 * Why a Domain without tlsSecurityPolicy gets TLS 1.0 here, or undefined when it does not (a
 * current aws-cdk-lib). Without a version to read, the older default is assumed and the message
 * says so.
 */
export function oldDefault(name: CdkName, version: { version: number[]; text: string } | undefined): string | undefined {
  if (name.service === 'elasticsearch') return 'the aws-elasticsearch Domain construct sets TLSSecurityPolicy.TLS_1_0 (Policy-Min-TLS-1-0-2019-07) when tlsSecurityPolicy is omitted';
  if (name.lib === 'v1') return 'CDK v1 (@aws-cdk/aws-opensearchservice) sets TLSSecurityPolicy.TLS_1_0 (Policy-Min-TLS-1-0-2019-07) when tlsSecurityPolicy is omitted';
  if (!version) return 'aws-cdk-lib releases before mid-2025 set TLSSecurityPolicy.TLS_1_0 (Policy-Min-TLS-1-0-2019-07) when tlsSecurityPolicy is omitted, and tlslint found no aws-cdk-lib version for this project';
  const [a = 0, b = 0, c = 0] = version.version;
  const older = a < FIXED_IN[0]! || (a === FIXED_IN[0] && (b < FIXED_IN[1]! || (b === FIXED_IN[1] && c < FIXED_IN[2]!)));
  return older ? `aws-cdk-lib ${version.text} sets TLSSecurityPolicy.TLS_1_0 (Policy-Min-TLS-1-0-2019-07) when tlsSecurityPolicy is omitted (releases before mid-2025)` : undefined;
}

/** Python: `opensearch.Domain(self, "Search", ...)` without `tls_security_policy` where the default is TLS_1_0. */
function checkPythonDomain(ctx: MatchContext, c: PyCall): void {
  if (c.name?.service !== 'opensearchservice' && c.name?.service !== 'elasticsearch') return;
  const pinned = ctx.project.nearest(cdkLibVersionPython)?.value;
  const why = oldDefault(pinned?.v1 ? { ...c.name, lib: 'v1' } : c.name, pinned?.v1 ? undefined : pinned);
  if (!why || ctx.lang.entryOf([c.props], 'tlsSecurityPolicy').length) return;
  ctx.report(guardedReport(ctx, { node: c.calleeNode, severity: 'warning', message: pythonWords(`${c.calleeNode.text}(...) without tls_security_policy: ${why}, which accepts TLS 1.0 and 1.1; pass tls_security_policy=TLSSecurityPolicy.${CDK_RECOMMENDED_OPENSEARCH_MEMBER}.`) }));
}

function check(ctx: TsContext): void {
  checkTsSettings(ctx, OPENSEARCH_SETTING);
  const version = ctx.project.nearest(cdkLibVersion)?.value;
  for (const c of tsConstructs(ctx, ['Domain'])) {
    if (c.name.service !== 'opensearchservice' && c.name.service !== 'elasticsearch') continue;
    const why = oldDefault(c.name, version);
    if (!why || lacks(ctx.lang, c.args[2], 'tlsSecurityPolicy').lacking.length === 0) continue;
    const report = guardedReport(ctx, {
      node: c.callee,
      severity: 'warning',
      message: `${c.callee.text} without tlsSecurityPolicy: ${why}, which accepts TLS 1.0 and 1.1; set tlsSecurityPolicy: TLSSecurityPolicy.${CDK_RECOMMENDED_OPENSEARCH_MEMBER}.`,
    });
    ctx.report(report);
  }
}

export default defineRule({
  id: 'cdk/opensearch-tls-policy-outdated',
  fileKind: 'typescript',
  severity: 'error',
  kind: 'protocol',
  title: 'OpenSearch/Elasticsearch domain with TLSSecurityPolicy.TLS_1_0 (CDK)',
  description:
    "An OpenSearch or Elasticsearch `Domain` (or `CfnDomain` `domainEndpointOptions`) gets `tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_0` (`'Policy-Min-TLS-1-0-2019-07'`), or leaves it out where the construct's default is TLS_1_0: the deprecated aws-elasticsearch module, CDK v1, and aws-cdk-lib releases before mid-2025 (the version is read from package.json or requirements.txt; when none is found the old default is assumed and the message says so; a warning).",
  help: `**Why it matters.** \`Policy-Min-TLS-1-0-2019-07\` lets the domain endpoint negotiate TLS 1.0 and
1.1, deprecated by RFC 8996; Amazon OpenSearch Service is ending support for them. The CDK's
\`Domain\` construct used to write that policy itself when \`tlsSecurityPolicy\` was omitted (the
aws-elasticsearch construct still does); current aws-cdk-lib releases default to TLS 1.2.

**How to fix it.**

\`\`\`ts
new opensearch.Domain(this, 'Search', {
  version: opensearch.EngineVersion.OPENSEARCH_2_11,
  enforceHttps: true,
  tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
});
\`\`\`

\`\`\`python
opensearch.Domain(self, "Search", version=opensearch.EngineVersion.OPENSEARCH_2_11,
                  enforce_https=True, tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2)
\`\`\`

Or move from the aws-elasticsearch module to aws-opensearchservice and a current aws-cdk-lib.`,
  remedy: 'Set tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2 on OpenSearch/Elasticsearch domains.',
  cwe: ['CWE-327', 'CWE-757'],
  precision: 'high',
  triggers: ['tlsSecurityPolicy', 'tls_security_policy', 'aws-elasticsearch', 'aws_elasticsearch', 'aws-opensearchservice', 'aws_opensearchservice'],
  fixable: true,
  files: { javascript: { check }, typescript: { check }, python: pythonSettingChecker(['tlsSecurityPolicy'], () => OPENSEARCH_SETTING, { names: ['Domain'], check: checkPythonDomain }) },
});
