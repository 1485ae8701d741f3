import { FORMAT_NAMES } from './data-files';
import { SqlValue } from './duckdb-engine';
import { ContractDataTest } from './test-contract-data';
import { renderBlueprint } from '../util/blueprint';

// The report of `sdlf-mesh contract test`: text for people, JSON for programs, JUnit XML for CI
// (a test case per check). Each is rendered from the test's result, whose sensitive values are
// masked already: no report can print one.

/** The formats of the report. */
export const CONTRACT_TEST_FORMATS = ['text', 'json', 'junit'] as const;

/** A format of the report. */
export type ContractTestFormat = (typeof CONTRACT_TEST_FORMATS)[number];

const STATUS = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;

/** The report in one of its formats. */
export function renderContractTest(test: ContractDataTest, format: ContractTestFormat): string {
  switch (format) {
    case 'json': return JSON.stringify(test, null, 2);
    case 'junit': return renderContractTestJunit(test);
    default: return renderContractTestText(test);
  }
}

/** Each check on a line (PASS, FAIL, SKIP), failing rows under a failed one, and the verdict. */
export function renderContractTestText(test: ContractDataTest): string {
  const width = Math.max(...test.results.map((result) => result.name.length));
  const lines = [`${test.dataProduct}.${test.table} (${test.contract}) on ${count(test.files.length, `${FORMAT_NAMES[test.format]} file`)}: ${count(test.rows, 'row')}`];
  for (const result of test.results) {
    lines.push(`  ${STATUS[result.status]}  ${result.name.padEnd(width)}  ${result.message}`);
    lines.push(...result.samples.map((sample) => `          ${sampleText(sample)}`));
  }
  if (test.extraColumns.length > 0) {
    lines.push(`Columns the contract does not declare (the table will not show them): ${test.extraColumns.join(', ')}`);
  }
  for (const rule of test.unchecked) {
    lines.push(`Not checked: ${rule.element}: ${rule.rule}: ${rule.reason}`);
  }
  lines.push(verdict(test));
  return lines.join('\n');
}

/** JUnit XML: one test suite, the table; one test case per check, failed with its count, threshold and failing rows. */
export function renderContractTestJunit(test: ContractDataTest): string {
  const tally = tallyOf(test);
  return renderBlueprint('contract-test/junit.xml.hbs', {
    ...tally,
    tests: test.results.length,
    suite: `${test.dataProduct}.${test.table}`,
    properties: [
      { name: 'contract', value: test.contract },
      { name: 'format', value: FORMAT_NAMES[test.format] },
      { name: 'files', value: test.files.length },
      { name: 'rows', value: test.rows },
    ],
    cases: test.results.map((result) => ({
      classname: `${test.dataProduct}.${test.table}`,
      name: result.name,
      failure: result.status === 'failed'
        ? {
          message: result.message,
          type: result.kind,
          details: [
            result.description,
            ...(result.dqdl ? [`In DQDL: ${result.dqdl}`] : []),
            ...(result.samples.length > 0 ? ['Failing rows:', ...result.samples.map(sampleText)] : []),
          ].join('\n'),
        }
        : undefined,
      skipped: result.status === 'skipped' ? result.message : undefined,
    })),
  });
}

/** A failing row as `column=value` pairs, values as JSON writes them (text quoted, null bare). */
function sampleText(sample: Record<string, SqlValue>): string {
  return Object.entries(sample).map(([column, value]) => `${column}=${JSON.stringify(value)}`).join(', ');
}

function tallyOf(test: ContractDataTest): { failures: number; skipped: number } {
  return {
    failures: test.results.filter((result) => result.status === 'failed').length,
    skipped: test.results.filter((result) => result.status === 'skipped').length,
  };
}

function verdict(test: ContractDataTest): string {
  const { failures, skipped } = tallyOf(test);
  const notRun = skipped > 0 ? `, ${skipped} not run` : '';
  return failures > 0
    ? `FAILED: ${failures} of ${count(test.results.length, 'check')} failed${notRun}.`
    : `PASSED: ${count(test.results.length - skipped, 'check')} passed${notRun}.`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
