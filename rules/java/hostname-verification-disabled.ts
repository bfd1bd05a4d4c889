import { documents, scalarOf, walkEntries } from '../../src/formats/data-tree.js';
import { propertyEntries } from '../../src/formats/properties-entries.js';
import { flowReport, guardedReport } from '../../src/lang/report.js';
import { defineRule, type FileContext, type MatchContext, type SyntaxNode } from '../../src/rule.js';
import { alwaysTrue, declaringTypeText, insecureClassUse, reportAcceptAll, strings } from './util.js';

/** Setters that take a HostnameVerifier (JSSE, OkHttp, HttpClient 4/5). */
const VERIFIER_SINKS = /^(?:setHostnameVerifier|setDefaultHostnameVerifier|hostnameVerifier|setSSLHostnameVerifier)$/;

/** Commons Email setters that turn TLS on (and with it, in 1.3+, the need for setSSLCheckServerIdentity). */
const COMMONS_EMAIL_TLS = /^(?:setSSLOnConnect|setSSL|setTLS|setStartTLSEnabled|setStartTLSRequired)$/;

/** JavaMail properties that turn TLS on for a protocol: `mail.smtp.ssl.enable`, `mail.imaps...`, an SSL socket factory. */
const MAIL_TLS = /^mail\.(\w+)\.(?:ssl\.enable|starttls\.enable|starttls\.required|socketFactory\.class)$/;

function isTrue(ctx: MatchContext, node: SyntaxNode): boolean {
  const values = ctx.lang.values(node);
  return values.length > 0 && values.every((v) => (v.value.type === 'bool' && v.value.value) || (v.value.type === 'string' && /^(?:true|javax\.net\.ssl\.SSLSocketFactory)$/i.test(v.value.value)));
}

/** Calls on the same object in the same function (before or after the call), by name. */
function callsOnObject(ctx: MatchContext, call: SyntaxNode, object: SyntaxNode, names: RegExp) {
  return ctx.lang.usesOfObject(object.text, call).filter((u) => u.kind === 'call' && names.test(u.name));
}

/** A JavaMail setting of a configuration file: `mail.smtp.ssl.enable=true`, also under Spring Boot's `spring.mail.properties`. */
interface MailSetting {
  /** The key as written (`spring.mail.properties.mail.smtp.ssl.enable`). */
  key: string;
  /** What comes before `mail.<protocol>.` (`spring.mail.properties.`), to name the missing key the same way. */
  prefix: string;
  protocol: string;
  /** The rest of the key (`ssl.enable`). */
  rest: string;
  value: string;
  start: number;
  end: number;
}

/** `mail.<protocol>.<rest>`, read through Spring's `spring.mail.properties` prefix and `[...]` map keys. */
function mailSetting(key: string, value: string, start: number, end: number): MailSetting | undefined {
  const k = key.replace(/\[([^\]]*)\]/g, '.$1').replace(/\.{2,}/g, '.');
  const m = /^((?:spring\.mail\.properties\.)?)mail\.(\w+)\.(.+)$/.exec(k);
  return m ? { key, prefix: m[1]!, protocol: m[2]!, rest: m[3]!, value: value.trim(), start, end } : undefined;
}

/**
 * JavaMail in a properties or YAML file: a protocol with TLS on (`ssl.enable`, `starttls.enable`,
 * `starttls.required` true, or the SSL socket factory) and no `ssl.checkserveridentity=true` for
 * it in the same file, or `checkserveridentity` set to false.
 */
function judgeMailSettings(ctx: FileContext, settings: MailSetting[]): void {
  for (const s of settings) {
    const check = `${s.prefix}mail.${s.protocol}.ssl.checkserveridentity`;
    if (s.rest === 'ssl.checkserveridentity') {
      if (/^false$/i.test(s.value)) ctx.report({ start: s.start, end: s.end, message: `${s.key}=false turns off JavaMail's host name check; set it to true.` });
      continue;
    }
    const on = /^(?:ssl\.enable|starttls\.enable|starttls\.required)$/.test(s.rest) ? /^true$/i.test(s.value) : s.rest === 'socketFactory.class' && s.value === 'javax.net.ssl.SSLSocketFactory';
    if (!on || settings.some((o) => o.protocol === s.protocol && o.rest === 'ssl.checkserveridentity')) continue;
    ctx.report({
      start: s.start,
      end: s.end,
      message: `${s.key} turns TLS on, but without ${check}=true JavaMail does not check the mail server's host name (the default before Jakarta/Angus Mail 2); add ${check}=true.`,
    });
  }
}

function checkMailProperties(ctx: FileContext): void {
  const settings: MailSetting[] = [];
  for (const e of propertyEntries(ctx.file.text)) {
    const s = mailSetting(e.key, e.value, e.valueStart, e.valueEnd);
    if (s) settings.push(s);
  }
  judgeMailSettings(ctx, settings);
}

function checkMailYaml(ctx: MatchContext): void {
  for (const doc of documents(ctx.root)) {
    const settings: MailSetting[] = [];
    for (const e of walkEntries(doc)) {
      const v = scalarOf(e.value);
      if (!v) continue;
      const s = mailSetting(e.path.join('.'), v.value, v.start, v.end);
      if (s) settings.push(s);
    }
    judgeMailSettings(ctx, settings);
  }
}

export default defineRule({
  id: 'java/hostname-verification-disabled',
  fileKind: 'java',
  severity: 'error',
  kind: 'certificate',
  title: 'Host name verification turned off',
  description:
    'A HostnameVerifier that always returns true (class, anonymous class, lambda, method reference, or one held in a local, field or factory), NoopHostnameVerifier / AllowAllHostnameVerifier / ALLOW_ALL_HOSTNAME_VERIFIER, SSLParameters.setEndpointIdentificationAlgorithm(null or ""), JavaMail TLS without mail.<protocol>.ssl.checkserveridentity (in code, or in properties/YAML files, also under Spring Boot\'s spring.mail.properties), or Apache Commons Email TLS without setSSLCheckServerIdentity(true).',
  help: `**Why it matters.** A certificate proves who the server is only if the client checks that it was
issued for the host it meant to reach. Without that check, any valid certificate (one an attacker
bought for their own domain) is accepted for your server, and anyone on the network path can read
and change the traffic (CWE-297). Mail libraries are the usual case: JavaMail checks the host name
only when \`mail.<protocol>.ssl.checkserveridentity\` is true (false by default before Jakarta/Angus
Mail 2), and Commons Email only after \`setSSLCheckServerIdentity(true)\`.

**How to fix it.** Remove the custom verifier (the defaults check the host name), keep the
endpoint identification algorithm (\`"HTTPS"\`, or \`"LDAPS"\`), and turn the mail checks on:

\`\`\`java
props.put("mail.smtp.ssl.checkserveridentity", "true");
email.setSSLOnConnect(true);
email.setSSLCheckServerIdentity(true);
OkHttpClient client = new OkHttpClient.Builder().build(); // no hostnameVerifier(...): OkHttp checks the name
\`\`\`

In Spring Boot, \`spring.mail.properties.mail.smtp.ssl.checkserveridentity=true\`.`,
  remedy: 'Remove accept-all hostname verifiers; set mail.<protocol>.ssl.checkserveridentity=true (JavaMail) or setSSLCheckServerIdentity(true) (Commons Email).',
  cwe: ['CWE-297'],
  precision: 'high',
  triggers: ['HostnameVerifier', 'ALLOW_ALL_HOSTNAME_VERIFIER', 'setEndpointIdentificationAlgorithm', 'socketFactory.class', 'ssl.enable', 'starttls.', 'setSSL', 'setTLS', 'setStartTLS', 'checkserveridentity'],
  files: {
    properties: { triggers: ['ssl.enable', 'starttls.', 'socketFactory.class', 'checkserveridentity'], requires: ['mail'], check: checkMailProperties },
    // nested YAML spells `ssl:` and `enable:` apart
    yaml: { query: '(stream) @root', triggers: ['smtp', 'imap', 'pop3'], requires: ['checkserveridentity', 'starttls', 'enable', 'socketFactory'], check: checkMailYaml },
  },
  query: `
(method_declaration name: (identifier) @mname (#eq? @mname "verify") body: (block) @body) @method
(method_invocation name: (identifier) @sink (#match? @sink "^(setHostnameVerifier|setDefaultHostnameVerifier|hostnameVerifier|setSSLHostnameVerifier)$") arguments: (argument_list (_) @arg))
((type_identifier) @name (#match? @name "^(NoopHostnameVerifier|AllowAllHostnameVerifier)$"))
((identifier) @name (#match? @name "^(NoopHostnameVerifier|AllowAllHostnameVerifier|ALLOW_ALL_HOSTNAME_VERIFIER)$"))
(method_invocation object: (_) @obj name: (identifier) @setter (#match? @setter "^(setEndpointIdentificationAlgorithm|put|setProperty|setSSLOnConnect|setSSL|setTLS|setStartTLSEnabled|setStartTLSRequired)$") arguments: (argument_list) @args) @call
`,
  check(ctx) {
    const { method, mname, body, sink, arg, name, obj, setter, args, call } = ctx.captures;
    if (method && mname && body) {
      if (!/HostnameVerifier/.test(declaringTypeText(method)) || !alwaysTrue(ctx, method)) return;
      ctx.report(guardedReport(ctx, { node: mname, message: 'This HostnameVerifier always returns true and accepts certificates issued for any host; remove it and use the default verifier.' }));
      return;
    }
    if (sink && arg) {
      if (VERIFIER_SINKS.test(sink.text)) reportAcceptAll(ctx, sink.text, arg, 'hostname verifier accepts certificates issued for any host');
      return;
    }
    if (name) {
      if (insecureClassUse(ctx, name)) ctx.report(guardedReport(ctx, { node: name, message: `${name.text} accepts certificates issued for any host; remove it and use the default hostname verifier.` }));
      return;
    }
    if (!obj || !setter || !args || !call) return;
    const a = args.namedChildren.filter((n) => !n.type.endsWith('comment'));
    if (setter.text === 'setEndpointIdentificationAlgorithm') {
      if (a.length !== 1) return;
      for (const flow of ctx.lang.values(a[0]!)) {
        const off = flow.value.type === 'null' || (flow.value.type === 'string' && flow.value.value === '');
        if (!off) continue;
        ctx.report(flowReport(ctx, flow, { sink: a[0]!, sinkName: 'setEndpointIdentificationAlgorithm', message: `setEndpointIdentificationAlgorithm(${flow.value.type === 'null' ? 'null' : '""'}) turns off the host name check of the TLS handshake; use "HTTPS" (or "LDAPS").` }));
      }
      return;
    }
    if (COMMONS_EMAIL_TLS.test(setter.text)) {
      if (a.length !== 1 || !isTrue(ctx, a[0]!)) return;
      // Commons Email: the same object must also get setSSLCheckServerIdentity(true)
      const checked = callsOnObject(ctx, call, obj, /^setSSLCheckServerIdentity$/).some((u) => u.kind === 'call' && u.args[0] && isTrue(ctx, u.args[0].node));
      const commonsMail = [...ctx.lang.facts.imports.values(), ...ctx.lang.facts.wildcards].some((p) => p.includes('commons.mail'));
      if (checked || !(commonsMail || /mail/i.test(obj.text))) return;
      ctx.report(guardedReport(ctx, { node: call, message: `${obj.text}.${setter.text}(true) without ${obj.text}.setSSLCheckServerIdentity(true): Commons Email does not check the mail server's host name; add setSSLCheckServerIdentity(true).` }));
      return;
    }
    // JavaMail: props.put("mail.smtp.ssl.enable", "true") without mail.smtp.ssl.checkserveridentity=true
    if (a.length !== 2) return;
    for (const key of strings(ctx.lang.values(a[0]!))) {
      const explicitOff = /^mail\.(\w+)\.ssl\.checkserveridentity$/.exec(key.value.value);
      if (explicitOff) {
        if (strings(ctx.lang.values(a[1]!)).some((v) => v.value.value === 'false') || ctx.lang.values(a[1]!).some((v) => v.value.type === 'bool' && !v.value.value)) {
          ctx.report(guardedReport(ctx, { node: call, message: `${key.value.value}=false turns off JavaMail's host name check; set it to "true".` }));
        }
        continue;
      }
      const m = MAIL_TLS.exec(key.value.value);
      if (!m || !isTrue(ctx, a[1]!)) continue;
      const checkKey = `mail.${m[1]}.ssl.checkserveridentity`;
      // set to true, or to false (reported where it is set)
      const checked = callsOnObject(ctx, call, obj, /^(?:put|setProperty)$/).some(
        (u) => u.kind === 'call' && u.args.length === 2 && strings(ctx.lang.values(u.args[0]!.node)).some((k) => k.value.value === checkKey),
      );
      if (checked) continue;
      ctx.report(guardedReport(ctx, { node: call, message: `${key.value.value} turns TLS on, but without ${checkKey}=true JavaMail does not check the mail server's host name (the default before Jakarta/Angus Mail 2); add props.put("${checkKey}", "true").` }));
    }
  },
});
