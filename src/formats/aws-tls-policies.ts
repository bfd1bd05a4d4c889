/**
 * AWS TLS security policies, whatever declares them (Terraform, CloudFormation, the CDK): Elastic
 * Load Balancing policies and the lowest protocol each allows, CloudFront viewer policies, and
 * OpenSearch/Elasticsearch domain endpoint policies.
 *
 * ELB policies. Source: the "Security policies for your Application Load Balancer" and "... Network Load
 * Balancer" pages of the ELB user guides (docs.aws.amazon.com/elasticloadbalancing/latest/
 * application/describe-ssl-policies.html and .../network/...), and `aws elbv2
 * describe-ssl-policies` / `aws elb describe-load-balancer-policies` for Classic Load Balancers.
 * Last reviewed against the PQ (post-quantum, 2025-09) and FIPS (2023-04) policy families.
 * Names not listed are judged by their pattern (`TLS13-1-x-`, `TLS-1-x-`, `FS-1-x-`, or a bare
 * date = TLS 1.0); custom names stay unknown and are never reported.
 *
 * When AWS adds a policy: add its name and floor here and a fixture line.
 */
import type { ProtocolVersion } from './tls-names.js';

export const ELB_POLICY_FLOOR: Record<string, ProtocolVersion> = {
  // TLS 1.3 policies (ALB and NLB)
  'ELBSecurityPolicy-TLS13-1-3-2021-06': 'TLS1.3',
  'ELBSecurityPolicy-TLS13-1-2-2021-06': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-1-2021-06': 'TLS1.1',
  'ELBSecurityPolicy-TLS13-1-0-2021-06': 'TLS1.0',
  // post-quantum hybrid key exchange (2025; further PQ variants follow the TLS13-1-x pattern)
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09': 'TLS1.2',
  // FIPS policies
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04': 'TLS1.3',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04': 'TLS1.2',
  'ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04': 'TLS1.1',
  'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04': 'TLS1.0',
  // forward-secrecy policies
  'ELBSecurityPolicy-FS-1-2-Res-2020-10': 'TLS1.2',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08': 'TLS1.2',
  'ELBSecurityPolicy-FS-1-2-2019-08': 'TLS1.2',
  'ELBSecurityPolicy-FS-1-1-2019-08': 'TLS1.1',
  'ELBSecurityPolicy-FS-2018-06': 'TLS1.0',
  // TLS-version policies
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06': 'TLS1.2',
  'ELBSecurityPolicy-TLS-1-2-2017-01': 'TLS1.2',
  'ELBSecurityPolicy-TLS-1-1-2017-01': 'TLS1.1',
  // dated policies (the API default is ELBSecurityPolicy-2016-08)
  'ELBSecurityPolicy-2016-08': 'TLS1.0',
  'ELBSecurityPolicy-2015-05': 'TLS1.0',
  'ELBSecurityPolicy-2015-03': 'TLS1.0',
  'ELBSecurityPolicy-2015-02': 'TLS1.0',
  'ELBSecurityPolicy-2014-10': 'TLS1.0',
  'ELBSecurityPolicy-2014-01': 'SSLv3',
  'ELBSecurityPolicy-2011-08': 'SSLv3',
  'ELBSample-ELBDefaultNegotiationPolicy': 'SSLv3',
  'ELBSample-OpenSSLDefaultNegotiationPolicy': 'SSLv3',
};

/** The recommended replacement (AWS's own recommendation for new listeners). */
export const RECOMMENDED_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';
export const RECOMMENDED_POLICY_TLS13 = 'ELBSecurityPolicy-TLS13-1-3-2021-06';
/** Classic Load Balancers have no TLS 1.3 policies. */
export const RECOMMENDED_CLASSIC_POLICY = 'ELBSecurityPolicy-TLS-1-2-2017-01';

/** The floor of a policy name: from the table, else from its naming pattern, else undefined. */
export function elbPolicyFloor(name: string): ProtocolVersion | undefined {
  const known = ELB_POLICY_FLOOR[name];
  if (known) return known;
  const m = /^ELBSecurityPolicy-(?:TLS13|TLS|FS)-1-([0-3])-/.exec(name);
  if (m) return (['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[Number(m[1])];
  if (/^ELBSecurityPolicy-(?:FS-)?20\d\d-\d\d$/.test(name)) return 'TLS1.0';
  return undefined;
}

/**
 * CloudFront viewer security policies (`minimum_protocol_version`, CloudFormation
 * `MinimumProtocolVersion`) below TLSv1.2_2019, with what is wrong with each. The year does not
 * say the floor, the `TLSv1.x` part does.
 */
export const CLOUDFRONT_OUTDATED: Readonly<Record<string, string>> = {
  SSLv3: 'accepts SSL 3.0 and TLS 1.0',
  TLSv1: 'accepts TLS 1.0',
  TLSv1_2016: 'accepts TLS 1.0',
  'TLSv1.1_2016': 'accepts TLS 1.1',
  'TLSv1.2_2018': 'keeps TLS 1.2 but still offers CBC-SHA1 ciphers',
};

export const RECOMMENDED_CLOUDFRONT_POLICY = 'TLSv1.2_2021';

/** OpenSearch/Elasticsearch domain endpoint policies (`tls_security_policy`, `TLSSecurityPolicy`) that accept TLS 1.0 and 1.1. */
export function openSearchPolicyOutdated(name: string): boolean {
  return /^Policy-Min-TLS-1-[01]-/.test(name);
}

export const RECOMMENDED_OPENSEARCH_POLICY = 'Policy-Min-TLS-1-2-2019-07';
