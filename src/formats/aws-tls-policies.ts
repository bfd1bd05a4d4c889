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

/**
 * API Gateway security policies (`SecurityPolicy` of a custom domain name or a REST API;
 * CloudFormation `AWS::ApiGateway::DomainName`/`RestApi`, `AWS::ApiGatewayV2::DomainName`, SAM
 * `Domain`, Terraform `security_policy`, the CDK `SecurityPolicy` enum). The legacy policies are
 * `TLS_1_0` (accepts TLS 1.0 and 1.1 as well) and `TLS_1_2`; the enhanced policies (2025) are named
 * `SecurityPolicy_TLS13_1_3_...`, `SecurityPolicy_TLS13_1_2_...`, `SecurityPolicy_TLS12_...`. AWS
 * applies `TLS_1_2` to a custom domain name that names none (the default of REST API endpoints
 * themselves is `TLS_1_0`). Source: the "Supported security policies" page of the API Gateway
 * developer guide.
 */
export function apiGatewayPolicyFloor(name: string): ProtocolVersion | undefined {
  if (name === 'TLS_1_0') return 'TLS1.0';
  if (name === 'TLS_1_2') return 'TLS1.2';
  const m = /^SecurityPolicy_TLS1([23])(?:_1_([0-3]))?(?:_|$)/.exec(name);
  if (!m) return undefined;
  if (m[2] !== undefined) return (['TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3'] as const)[Number(m[2])];
  return m[1] === '3' ? 'TLS1.3' : 'TLS1.2';
}

export const RECOMMENDED_API_GATEWAY_POLICY = 'TLS_1_2';

/**
 * The AWS CDK's enums over these policies (aws-cdk-lib, CDK v1 and their Python names): the
 * member and the policy it stands for. Members not listed are judged by name where the name is
 * the policy (API Gateway `SecurityPolicy`), and stay unknown otherwise.
 */
export const CDK_ELB_SSL_POLICY: Readonly<Record<string, string>> = {
  RECOMMENDED_TLS: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  RECOMMENDED: 'ELBSecurityPolicy-2016-08',
  TLS13_RES: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  TLS13_EXT1: 'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  TLS13_EXT2: 'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  TLS13_10: 'ELBSecurityPolicy-TLS13-1-0-2021-06',
  TLS13_11: 'ELBSecurityPolicy-TLS13-1-1-2021-06',
  TLS13_13: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
  FIPS_TLS13_13: 'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  FIPS_TLS13_12_RES: 'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  FIPS_TLS13_12: 'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  FIPS_TLS13_12_EXT0: 'ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04',
  FIPS_TLS13_12_EXT1: 'ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04',
  FIPS_TLS13_12_EXT2: 'ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04',
  FIPS_TLS13_11: 'ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04',
  FIPS_TLS13_10: 'ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04',
  FORWARD_SECRECY_TLS12_RES_GCM: 'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  FORWARD_SECRECY_TLS12_RES: 'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  FORWARD_SECRECY_TLS12: 'ELBSecurityPolicy-FS-1-2-2019-08',
  FORWARD_SECRECY_TLS11: 'ELBSecurityPolicy-FS-1-1-2019-08',
  FORWARD_SECRECY: 'ELBSecurityPolicy-FS-2018-06',
  TLS12: 'ELBSecurityPolicy-TLS-1-2-2017-01',
  TLS12_EXT: 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  TLS11: 'ELBSecurityPolicy-TLS-1-1-2017-01',
  LEGACY: 'ELBSecurityPolicy-TLS-1-0-2015-04',
};

/** The CDK's `SslPolicy` member for AWS's recommended ELB policy. */
export const CDK_RECOMMENDED_ELB_MEMBER = 'RECOMMENDED_TLS';
export const CDK_RECOMMENDED_ELB_MEMBER_TLS13 = 'TLS13_13';

/** CDK `cloudfront.SecurityPolicyProtocol` members and the viewer policies they name. */
export const CDK_CLOUDFRONT_POLICY: Readonly<Record<string, string>> = {
  SSL_V3: 'SSLv3',
  TLS_V1: 'TLSv1',
  TLS_V1_2016: 'TLSv1_2016',
  TLS_V1_1_2016: 'TLSv1.1_2016',
  TLS_V1_2_2018: 'TLSv1.2_2018',
  TLS_V1_2_2019: 'TLSv1.2_2019',
  TLS_V1_2_2021: 'TLSv1.2_2021',
  TLS_V1_2_2025: 'TLSv1.2_2025',
  TLS_V1_3_2025: 'TLSv1.3_2025',
};
export const CDK_RECOMMENDED_CLOUDFRONT_MEMBER = 'TLS_V1_2_2021';

/** CDK `opensearchservice.TLSSecurityPolicy` / `elasticsearch.TLSSecurityPolicy` members. */
export const CDK_OPENSEARCH_POLICY: Readonly<Record<string, string>> = {
  TLS_1_0: 'Policy-Min-TLS-1-0-2019-07',
  TLS_1_2: 'Policy-Min-TLS-1-2-2019-07',
  TLS_1_2_PFS: 'Policy-Min-TLS-1-2-PFS-2023-10',
};
export const CDK_RECOMMENDED_OPENSEARCH_MEMBER = 'TLS_1_2';
