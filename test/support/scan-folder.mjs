// Child-process entry for test/support/package.js: lints a folder the way n8n's verification scanner does.
// Prints one JSON line { passed, message, details }.
import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [dir, patternsJson] = process.argv.slice(2);
const result = await analyzePackage(dir, JSON.parse(patternsJson));
process.stdout.write(`\n${JSON.stringify(result)}\n`);
