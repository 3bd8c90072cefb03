// Parses an AsyncAPI document with the AsyncAPI project's parser and prints every diagnostic; exits 1 on any error.
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const path = process.argv[2];
const { document, diagnostics } = await new Parser().parse(await readFile(path, 'utf8'), { source: path });
for (const diagnostic of diagnostics) {
  const severity = Object.keys(DiagnosticSeverity).find(name => DiagnosticSeverity[name] === diagnostic.severity);
  console.log(`${severity} ${diagnostic.code} at ${diagnostic.path.join('.') || '$'}: ${diagnostic.message}`);
}
const errors = diagnostics.filter(diagnostic => diagnostic.severity === DiagnosticSeverity.Error);
if (!document || errors.length > 0) {
  console.log(`${path}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`${path}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.messages().length} messages`);
