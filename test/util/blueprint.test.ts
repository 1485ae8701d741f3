import { escapeXml } from '../../src/util/blueprint';

test('text quoted in XML keeps the document well-formed: markup as entities, characters XML cannot hold as U+FFFD', () => {
  expect(escapeXml('a < b & "c" > \'d\'')).toBe('a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;');
  expect(escapeXml('bell\u0007, nul\u0000, lone \ud800 surrogate')).toBe('bell\ufffd, nul\ufffd, lone \ufffd surrogate');
  // Tabs and line ends are text; a carriage return survives an attribute as a reference.
  expect(escapeXml('a\tb\nc\r\n')).toBe('a\tb\nc&#13;\n');
  expect(escapeXml('emoji \u{1F600} stays')).toBe('emoji \u{1F600} stays');
});
