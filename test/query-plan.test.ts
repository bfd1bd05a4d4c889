import { describe, expect, it } from 'vitest';
import type Parser from 'tree-sitter';
import { fileKindById } from '../src/languages.js';
import { grammarFor, parseText, treeSitter } from '../src/parsers.js';
import { planQuery, runQuery } from '../src/query-plan.js';
import { RULES } from '../src/registry.js';
import type { SyntaxNode } from '../src/rule.js';

const key = (m: Parser.QueryMatch) => `${m.pattern} ${m.captures.map((c) => `${c.name}=${c.node.startIndex}:${c.node.text}`).join(' ')}`;

function both(kindId: string, source: string, text: string) {
  const kind = fileKindById(kindId)!;
  const { language } = grammarFor(kind);
  const Query = treeSitter().Query;
  const tree = parseText(kind, text)!;
  const plan = planQuery(Query, language, source);
  const whole = new Query(language, source).matches(tree.rootNode).map(key);
  const planned = runQuery(plan, tree.rootNode as SyntaxNode, text).map(key);
  return { plan, whole, planned };
}

describe('query plan', () => {
  it('anchors patterns on the words their predicates spell out, and leaves the rest open', () => {
    const { plan } = both(
      'python',
      `((identifier) @a (#match? @a "^PROTOCOL_(SSLv3|TLSv1(?:_1)?)$"))
(call function: (_) @callee (#match? @callee "(^|\\\\.)Context$")) @call
(call function: (_) @f (#match? @f "^[a-z]+$"))
(call arguments: (argument_list (dictionary_splat (_) @s)))`,
      'x = 1\n',
    );
    expect(Object.fromEntries(plan.words)).toEqual({
      PROTOCOL_SSLv3: { exact: true },
      PROTOCOL_TLSv1: { exact: true },
      PROTOCOL_TLSv1_1: { exact: true },
      Context: { exact: false },
    });
    expect(plan.open).toBeDefined();
    expect(plan.anchored).toBeDefined();
  });

  it('finds exactly the matches of a whole-tree query: words in comments, strings, longer names, wrappers and non-ASCII text', () => {
    const source = `(keyword_argument name: (identifier) @kw (#any-of? @kw "verify" "verify_mode") value: (_) @value) @kwarg
(assignment left: (attribute object: (_) @o attribute: (identifier) @f (#any-of? @f "verify" "verify_mode")) right: (_) @v) @assign
((identifier) @ref (#eq? @ref "_create_unverified_context"))
(call function: (_) @callee (#match? @callee "SSLContext$") arguments: (argument_list . (_) @arg)) @call
(call arguments: (argument_list (dictionary_splat (_) @spread))) @splat`;
    let text = '# é 日本 🙂 verify=False in a comment\n"""a docstring that says ssl.SSLContext(ssl.PROTOCOL_TLSv1) and verify_mode"""\n';
    for (let i = 0; i < 30; i++) text += `def f${i}(x):\n    return g(x, verify=${i % 2 ? 'True' : 'False'}, reverify=1)\n`;
    text += 'ctx.verify_mode = ssl.CERT_NONE\nctx.verify = False\nc = ssl._create_unverified_context()\nd = my_create_unverified_context_x()\n';
    text += 's = ssl.SSLContext(proto)\nt = MySSLContext(p)\nu = factory().SSLContext(q)\nh(**opts)\n';
    const { whole, planned } = both('python', source, text);
    expect(whole.length).toBeGreaterThan(35);
    expect([...planned].sort()).toEqual([...whole].sort());
  });

  it('finds the matches that reach beyond the word, in a large module where the word is at the top level', () => {
    const source = `(call function: (_) @callee (#match? @callee "SSLContext$") arguments: (argument_list . (_) @arg)) @call
(keyword_argument name: (identifier) @kw (#eq? @kw "verify") value: (_) @value) @kwarg`;
    let text = '"""SSLContext in a module docstring"""\n';
    for (let i = 0; i < 400; i++) text += `x${i} = call(${i}, verify=${i % 2 ? 'True' : 'False'})  # SSLContext é\n`;
    text += 'ctx = ssl.SSLContext(\n    ssl.PROTOCOL_TLS_CLIENT,\n)\nwrap(ssl.SSLContext(p), verify=False)\n';
    const { whole, planned } = both('python', source, text);
    expect(whole.length).toBe(403);
    expect([...planned].sort()).toEqual([...whole].sort());
  });

  it('relies on the binding to limit a query to a range: startIndex in UTF-16 bytes, endIndex in characters (it doubles it)', () => {
    const kind = fileKindById('python')!;
    const { language } = grammarFor(kind);
    const text = 'a = f(1)\nb = "é" + f(2)\nc = f(3)\n';
    const root = parseText(kind, text)!.rootNode;
    const query = new (treeSitter().Query)(language, '(call) @call');
    const start = text.indexOf('f(2)');
    const met = query.matches(root, { startIndex: 2 * start, endIndex: start + 1 }).map((m) => m.captures[0]!.node.text);
    // a binding that counts otherwise finds more calls (slower, still correct) or none (wrong): either fails here
    expect(met).toEqual(['f(2)']);
  });

  it('finds what every rule of a kind finds with a whole-tree query over its fixtures', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { classify } = await import('../src/languages.js');
    const Query = treeSitter().Query;
    let compared = 0;
    for (const rule of RULES) {
      for (const [kindId, checker] of rule.checkers) {
        if (!checker.query) continue;
        const folder = path.join('fixtures', rule.pack, rule.id.split('/')[1]!);
        if (!fs.existsSync(folder)) continue;
        const files = fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
        for (const e of files) {
          const file = path.join(e.parentPath, e.name);
          const kind = classify(file);
          if (!kind?.lineage.includes(kindId) || kind.parser.type !== 'tree-sitter') continue;
          const text = fs.readFileSync(file, 'utf8');
          const tree = parseText(kind, text);
          if (!tree) continue;
          const { language } = grammarFor(kind);
          const whole = new Query(language, checker.query).matches(tree.rootNode).map(key);
          const planned = runQuery(planQuery(Query, language, checker.query), tree.rootNode as SyntaxNode, text).map(key);
          expect([...planned].sort(), `${rule.id} on ${file}`).toEqual([...whole].sort());
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
