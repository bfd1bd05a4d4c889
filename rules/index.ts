/**
 * Every rule, in one list, and every project fact the rules ask for. Adding a rule: its file, its
 * fixtures, and one line here.
 */
import type { ProjectFact } from '../src/context.js';
import type { Rule } from '../src/rule.js';

// project facts
import { goModVersion } from './go/gomod.js';
import { dotnetTarget } from './dotnet/framework.js';
import { javaRelease } from './java/release.js';
import { pythonVersion } from './python/util.js';
import { nodeEngine } from './javascript/default-min-version.js';
// facts of the audit's runtime inventory (rules/inventory.ts), askable by rules too
import { baseImages, phpVersion, rubyVersion } from './inventory.js';

import goGodebugInsecureTls from './go/godebug-insecure-tls.js';
import goGoVersionTooOld from './go/go-version-too-old.js';
import goTlsInsecureSkipVerify from './go/tls-insecure-skip-verify.js';
import goHostnameVerificationDisabled from './go/hostname-verification-disabled.js';
import goTlsMaxVersionTooLow from './go/tls-max-version-too-low.js';
import goTlsMinVersionMissing from './go/tls-min-version-missing.js';
import goTlsMinVersionTooLow from './go/tls-min-version-too-low.js';
import goTlsWeakCipherSuites from './go/tls-weak-cipher-suites.js';
// --- .NET pack imports ---
import dotnetCertificateValidationDisabled from './dotnet/certificate-validation-disabled.js';
import dotnetCipherSuitesPolicyWeak from './dotnet/cipher-suites-policy-weak.js';
import dotnetHostnameVerificationDisabled from './dotnet/hostname-verification-disabled.js';
import dotnetFrameworkOutdated from './dotnet/framework-outdated.js';
import dotnetHardcodedTlsVersion from './dotnet/hardcoded-tls-version.js';
import dotnetSecurityProtocolOutdated from './dotnet/security-protocol-outdated.js';
import dotnetSslProtocolsOutdated from './dotnet/ssl-protocols-outdated.js';
import dotnetStrongCryptoDisabled from './dotnet/strong-crypto-disabled.js';
// --- Java pack imports ---
import javaCertificateVerificationDisabled from './java/certificate-verification-disabled.js';
import javaCipherSuitesWeak from './java/cipher-suites-weak.js';
import javaHostnameVerificationDisabled from './java/hostname-verification-disabled.js';
import javaCommonsHttpclientEol from './java/commons-httpclient-eol.js';
import javaDisabledAlgorithmsReenabled from './java/disabled-algorithms-reenables-tls.js';
import javaEnabledProtocolsOutdated from './java/enabled-protocols-outdated.js';
import javaProtocolPropertyOutdated from './java/protocol-property-outdated.js';
import javaRuntimeOutdated from './java/runtime-outdated.js';
import javaSslcontextDefaultProtocol from './java/sslcontext-default-protocol.js';
import javaSslcontextProtocolOutdated from './java/sslcontext-protocol-outdated.js';
// --- Python pack imports ---
import pythonCertificateVerificationDisabled from './python/certificate-verification-disabled.js';
import pythonCiphersWeak from './python/ciphers-weak.js';
import pythonHostnameVerificationDisabled from './python/hostname-verification-disabled.js';
import pythonPycurlSslversionOutdated from './python/pycurl-sslversion-outdated.js';
import pythonPyopensslMethodOutdated from './python/pyopenssl-method-outdated.js';
import pythonRuntimeOutdated from './python/runtime-outdated.js';
import pythonSslContextDefaultFloor from './python/ssl-context-default-floor.js';
import pythonSslProtocolOutdated from './python/ssl-protocol-outdated.js';
import pythonTlsVersionOutdated from './python/tls-version-outdated.js';
// --- JavaScript/TypeScript pack imports ---
import javascriptCertificateVerificationDisabled from './javascript/certificate-verification-disabled.js';
import javascriptCiphersWeak from './javascript/ciphers-weak.js';
import javascriptHostnameVerificationDisabled from './javascript/hostname-verification-disabled.js';
import javascriptDefaultMinVersion from './javascript/default-min-version.js';
import javascriptNodeTlsFlagOutdated from './javascript/node-tls-flag-outdated.js';
import javascriptSecureProtocolOutdated from './javascript/secure-protocol-outdated.js';
import javascriptTlsVersionOutdated from './javascript/tls-version-outdated.js';
// --- Ruby and infrastructure imports ---
import rubyCertificateVerificationDisabled from './ruby/certificate-verification-disabled.js';
import rubyCiphersWeak from './ruby/ciphers-weak.js';
import rubyHostnameVerificationDisabled from './ruby/hostname-verification-disabled.js';
import rubyMaxVersionTooLow from './ruby/max-version-too-low.js';
import rubyMinVersionOutdated from './ruby/min-version-outdated.js';
import rubyRuntimeOutdated from './ruby/runtime-outdated.js';
import rubySslVersionOutdated from './ruby/ssl-version-outdated.js';
import configCipherSuitesWeak from './config/cipher-suites-weak.js';
import cCertificateVerificationDisabled from './c/certificate-verification-disabled.js';
import cCipherListWeak from './c/cipher-list-weak.js';
import cCurlSslversionOutdated from './c/curl-sslversion-outdated.js';
import cOpensslDefaultMinVersion from './c/openssl-default-min-version.js';
import cOpensslMethodOutdated from './c/openssl-method-outdated.js';
import cOpensslMinVersionOutdated from './c/openssl-min-version-outdated.js';
import phpCertificateVerificationDisabled from './php/certificate-verification-disabled.js';
import phpCipherListWeak from './php/cipher-list-weak.js';
import phpCurlSslversionOutdated from './php/curl-sslversion-outdated.js';
import phpRuntimeOutdated from './php/runtime-outdated.js';
import phpStreamCryptoMethodOutdated from './php/stream-crypto-method-outdated.js';
import configDriverTlsVersionOutdated from './config/driver-tls-version-outdated.js';
import configKestrelSslProtocolsOutdated from './config/kestrel-ssl-protocols-outdated.js';
import configSslProtocolPropertyOutdated from './config/ssl-protocol-property-outdated.js';
import apacheSslCipherSuiteWeak from './apache/ssl-cipher-suite-weak.js';
import apacheSslProtocolOutdated from './apache/ssl-protocol-outdated.js';
import nginxSslCiphersWeak from './nginx/ssl-ciphers-weak.js';
import nginxSslProtocolsOutdated from './nginx/ssl-protocols-outdated.js';
import opensslCipherStringWeak from './openssl/cipher-string-weak.js';
import opensslMinProtocolOutdated from './openssl/min-protocol-outdated.js';
import opensslBaseImageOutdated from './openssl/base-image-outdated.js';
import opensslPackageOutdated from './openssl/package-outdated.js';
import opensslBuildRequirementOutdated from './openssl/build-requirement-outdated.js';
import terraformCloudfrontMinProtocolOutdated from './terraform/cloudfront-min-protocol-outdated.js';
import terraformLbSslPolicyMissing from './terraform/lb-ssl-policy-missing.js';
import terraformLbSslPolicyOutdated from './terraform/lb-ssl-policy-outdated.js';
import terraformMinTlsVersionOutdated from './terraform/min-tls-version-outdated.js';
import terraformOpensearchTlsPolicyOutdated from './terraform/opensearch-tls-policy-outdated.js';
import shellTlsProtocolOutdated from './shell/tls-protocol-outdated.js';
import shellTlsVerifyDisabled from './shell/tls-verify-disabled.js';
import shellTlsVerifyEnvDisabled from './shell/tls-verify-env-disabled.js';
// --- infrastructure as code and manifests: CloudFormation, CDK, Kubernetes, proxies, Azure, GCP ---
import cdkApiGatewaySecurityPolicyOutdated from './cdk/api-gateway-security-policy-outdated.js';
import cdkCloudfrontMinProtocolOutdated from './cdk/cloudfront-min-protocol-outdated.js';
import cdkLbSslPolicyMissing from './cdk/lb-ssl-policy-missing.js';
import cdkLbSslPolicyOutdated from './cdk/lb-ssl-policy-outdated.js';
import cdkOpensearchTlsPolicyOutdated from './cdk/opensearch-tls-policy-outdated.js';
import { cdkLibVersionPython } from './cdk/python.js';
import { cdkLibVersion } from './cdk/util.js';
import kubernetesIngressNginxSslCiphersWeak from './kubernetes/ingress-nginx-ssl-ciphers-weak.js';
import kubernetesIngressNginxSslProtocolsOutdated from './kubernetes/ingress-nginx-ssl-protocols-outdated.js';
import kubernetesInsecureSkipTlsVerify from './kubernetes/insecure-skip-tls-verify.js';
import azureMinTlsVersionOutdated from './azure/min-tls-version-outdated.js';
import gcpMinTlsVersionOutdated from './gcp/min-tls-version-outdated.js';
import proxyCaddyProtocolsOutdated from './proxy/caddy-protocols-outdated.js';
import proxyEnvoyTlsMinVersionOutdated from './proxy/envoy-tls-min-version-outdated.js';
import proxyHaproxyCiphersWeak from './proxy/haproxy-ciphers-weak.js';
import proxyHaproxySslMinVerOutdated from './proxy/haproxy-ssl-min-ver-outdated.js';
import proxyTraefikMinVersionOutdated from './proxy/traefik-min-version-outdated.js';
import cloudformationApiGatewaySecurityPolicyOutdated from './cloudformation/api-gateway-security-policy-outdated.js';
import cloudformationCloudfrontMinProtocolOutdated from './cloudformation/cloudfront-min-protocol-outdated.js';
import cloudformationLbSslPolicyMissing from './cloudformation/lb-ssl-policy-missing.js';
import cloudformationLbSslPolicyOutdated from './cloudformation/lb-ssl-policy-outdated.js';
import cloudformationOpensearchTlsPolicyOutdated from './cloudformation/opensearch-tls-policy-outdated.js';

export const RULES: readonly Rule[] = [
  goTlsMinVersionTooLow,
  goTlsMaxVersionTooLow,
  goTlsMinVersionMissing,
  goTlsInsecureSkipVerify,
  goHostnameVerificationDisabled,
  goTlsWeakCipherSuites,
  goGodebugInsecureTls,
  goGoVersionTooOld,
  // --- .NET pack ---
  dotnetSecurityProtocolOutdated,
  dotnetSslProtocolsOutdated,
  dotnetCipherSuitesPolicyWeak,
  dotnetHardcodedTlsVersion,
  dotnetCertificateValidationDisabled,
  dotnetHostnameVerificationDisabled,
  dotnetStrongCryptoDisabled,
  dotnetFrameworkOutdated,
  // --- Java pack ---
  javaSslcontextProtocolOutdated,
  javaSslcontextDefaultProtocol,
  javaEnabledProtocolsOutdated,
  javaProtocolPropertyOutdated,
  javaCipherSuitesWeak,
  javaDisabledAlgorithmsReenabled,
  javaCertificateVerificationDisabled,
  javaHostnameVerificationDisabled,
  javaCommonsHttpclientEol,
  javaRuntimeOutdated,
  // --- Python pack ---
  pythonSslProtocolOutdated,
  pythonTlsVersionOutdated,
  pythonSslContextDefaultFloor,
  pythonPyopensslMethodOutdated,
  pythonPycurlSslversionOutdated,
  pythonCertificateVerificationDisabled,
  pythonHostnameVerificationDisabled,
  pythonCiphersWeak,
  pythonRuntimeOutdated,
  // --- JavaScript/TypeScript pack ---
  javascriptSecureProtocolOutdated,
  javascriptTlsVersionOutdated,
  javascriptCertificateVerificationDisabled,
  javascriptHostnameVerificationDisabled,
  javascriptCiphersWeak,
  javascriptDefaultMinVersion,
  javascriptNodeTlsFlagOutdated,
  // --- Ruby, server and infrastructure configuration ---
  rubySslVersionOutdated,
  rubyMinVersionOutdated,
  rubyMaxVersionTooLow,
  rubyCertificateVerificationDisabled,
  rubyHostnameVerificationDisabled,
  rubyCiphersWeak,
  rubyRuntimeOutdated,
  // --- C/C++ pack ---
  cCurlSslversionOutdated,
  cOpensslMethodOutdated,
  cOpensslMinVersionOutdated,
  cOpensslDefaultMinVersion,
  cCertificateVerificationDisabled,
  cCipherListWeak,
  // --- PHP pack ---
  phpCurlSslversionOutdated,
  phpStreamCryptoMethodOutdated,
  phpCertificateVerificationDisabled,
  phpCipherListWeak,
  phpRuntimeOutdated,
  nginxSslProtocolsOutdated,
  nginxSslCiphersWeak,
  apacheSslProtocolOutdated,
  apacheSslCipherSuiteWeak,
  opensslMinProtocolOutdated,
  opensslCipherStringWeak,
  opensslBaseImageOutdated,
  opensslPackageOutdated,
  opensslBuildRequirementOutdated,
  shellTlsVerifyDisabled,
  shellTlsProtocolOutdated,
  shellTlsVerifyEnvDisabled,
  terraformLbSslPolicyOutdated,
  terraformLbSslPolicyMissing,
  terraformCloudfrontMinProtocolOutdated,
  terraformOpensearchTlsPolicyOutdated,
  terraformMinTlsVersionOutdated,
  configSslProtocolPropertyOutdated,
  configCipherSuitesWeak,
  configKestrelSslProtocolsOutdated,
  configDriverTlsVersionOutdated,
  // --- infrastructure as code and manifests ---
  cloudformationLbSslPolicyOutdated,
  cloudformationLbSslPolicyMissing,
  cloudformationCloudfrontMinProtocolOutdated,
  cloudformationOpensearchTlsPolicyOutdated,
  cloudformationApiGatewaySecurityPolicyOutdated,
  cdkLbSslPolicyOutdated,
  cdkLbSslPolicyMissing,
  cdkCloudfrontMinProtocolOutdated,
  cdkOpensearchTlsPolicyOutdated,
  cdkApiGatewaySecurityPolicyOutdated,
  kubernetesIngressNginxSslProtocolsOutdated,
  kubernetesIngressNginxSslCiphersWeak,
  kubernetesInsecureSkipTlsVerify,
  proxyHaproxySslMinVerOutdated,
  proxyHaproxyCiphersWeak,
  proxyEnvoyTlsMinVersionOutdated,
  proxyTraefikMinVersionOutdated,
  proxyCaddyProtocolsOutdated,
  azureMinTlsVersionOutdated,
  gcpMinTlsVersionOutdated,
];

/** The project facts rules read: a pooled scan's workers ask the main thread for them by id, so each is read once per scan. */
export const FACTS: readonly ProjectFact<unknown>[] = [goModVersion, dotnetTarget, javaRelease, pythonVersion, nodeEngine, phpVersion, rubyVersion, baseImages, cdkLibVersion, cdkLibVersionPython];
