/** The prefilter decides from a file's bytes which checkers run: exactly the ones whose triggers (and requires) occur. */
import { describe, expect, it } from 'vitest';
import { fileKindById } from '../src/languages.js';
import { Prefilter } from '../src/prefilter.js';
import { defineRule, type Rule, type Trigger } from '../src/rule.js';

function rule(id: string, triggers: Trigger[], requires?: Trigger[]): Rule {
  return defineRule({
    id: `go/${id}`,
    title: id,
    severity: 'warning',
    kind: 'protocol',
    fileKind: 'go',
    description: id,
    help: id,
    cwe: ['CWE-327'],
    precision: 'high',
    triggers,
    ...(requires ? { requires } : {}),
    check() {},
  });
}

/** What the prefilter must answer: each trigger looked up on its own. */
function reference(rules: Rule[], text: string): string[] {
  const has = (t: Trigger) => (typeof t === 'string' ? text.includes(t) : t.test(text));
  return rules.filter((r) => r.triggers.some(has) && (!r.requires?.length || r.requires.some(has))).map((r) => r.id);
}

describe('prefilter', () => {
  // triggers that begin with others, lie inside others and overlap them, and patterns
  const rules = [
    rule('a', ['tls.', 'tls.connect']),
    rule('b', ['tls.connect(']),
    rule('c', ['Version'], ['TLS10', /VersionSSL\d/]),
    rule('d', ['MinVersion', 'MaxVersion']),
    rule('e', [/Insecure\w*Verify/, 'x509']),
    rule('f', ['ionTLS'], ['é']),
  ];
  const filter = new Prefilter(rules);
  const kind = fileKindById('go')!;
  const active = (text: string) => filter.activeCheckers(kind, Buffer.from(text, 'utf8')).map((a) => a.rule.id);

  it('runs the checkers whose triggers occur, with their requires', () => {
    expect(active('package p // nothing here')).toEqual([]);
    expect(active('tls.connect(x)')).toEqual(['go/a', 'go/b']);
    expect(active('MinVersion: VersionTLS10')).toEqual(['go/c', 'go/d']);
    expect(active('MinVersion: VersionTLS12')).toEqual(['go/d']);
    expect(active('MaxVersion: VersionSSL3')).toEqual(['go/c', 'go/d']);
    expect(active('InsecureSkipVerify: true')).toEqual(['go/e']);
    expect(active('VersionTLS12 // é')).toEqual(['go/f']);
  });

  it('agrees with looking up every trigger on its own, on texts made of pieces of them', () => {
    const pieces = ['tls', '.', 'connect', '(', 'Min', 'Max', 'Version', 'TLS10', 'TLS12', 'SSL3', 'Insecure', 'Skip', 'Verify', 'x5', '09', 'ion', 'é', ' ', '\n'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    let positives = 0;
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = 1 + (next() % 12);
      for (let i = 0; i < length; i++) text += pieces[next() % pieces.length];
      const want = reference(rules, text);
      if (want.length) positives++;
      expect(active(text), JSON.stringify(text)).toEqual(want);
    }
    expect(positives).toBeGreaterThan(200);
  });
});
