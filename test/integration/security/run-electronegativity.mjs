// Runs Electronegativity through its programmatic API and writes what it found as JSON:
//   node --import ./offline-electronegativity.mjs run-electronegativity.mjs <input> <out.json> [ExcludedCheck,…]
// The API returns each finding with its severity and confidence and the files it could not parse;
// the CLI's SARIF has no severity, and its CSV writer races its header against the rows.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const run = createRequire(import.meta.url)('@doyensec/electronegativity');
const [input, output, exclude = ''] = process.argv.slice(2);
const result = await run(
  {
    input,
    isRelative: true,
    severitySet: 'informational',
    confidenceSet: 'tentative',
    excludeFromScan: exclude.split(',').filter(Boolean),
    customScan: [],
  },
  false,
);
const findings = result.issues.map((issue) => ({
  issue: issue.id,
  severity: issue.severity.name,
  confidence: issue.confidence.name,
  file: issue.file,
  line: issue.location?.line ?? 0,
  sample: issue.sample ?? '',
  description: issue.description,
}));
await writeFile(output, JSON.stringify({ findings, errors: result.errors }, null, 2));
