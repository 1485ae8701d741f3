import * as fs from 'fs';
import * as path from 'path';
import { parseFlags } from './command-line';
import {
  CONTRACT_TEST_FORMATS, ContractTestFormat, contractFiles, diffContractFiles, formatProblem, lintContracts, renderContractTest, renderDiffMarkdown,
  renderDiffText, testContractData,
} from '../contract';
import { consumerResolution } from '../contract/consumer-grants';
import { loadMeshIndex } from '../contract/load-mesh-index';
import { MESH_INDEX_COPY, MeshIndex, MeshIndexError } from '../contract/mesh-index';
import type { ContractRuleOptions } from '../contract/rules';
import { parseConsumerPrincipals } from '../domain/consumer-principals';
import { requireGovernancePolicyFile } from '../domain/governance-policy-file';
import { InvalidOptionError } from '../util/invalid-option-error';


/** The flags of what the rules read, and the output. */
const RULE_OPTIONS = {
  'domain': { type: 'string' },
  'policy': { type: 'string' },
  'consumer-principals': { type: 'string' },
  'json': { type: 'boolean' },
} as const;

/** The flags of `contract lint`: the rules', and the mesh index the inputs are checked against. */
const LINT_OPTIONS = { ...RULE_OPTIONS, 'mesh-index': { type: 'string' } } as const;

/** The flags of `contract diff`: the rules', and the Markdown summary. */
const DIFF_OPTIONS = { ...RULE_OPTIONS, summary: { type: 'string' } } as const;

/** The flags of `contract test`: the table, the samples, and the report. */
const TEST_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string' },
  table: { type: 'string' },
  samples: { type: 'string' },
} as const;

/**
 * The rules the contracts are checked with: the synth's, when given what the synth reads (the
 * governance policy file, the consumer principals; the synth always has both, maybe empty).
 */
function ruleOptions(values: { 'domain'?: string; 'policy'?: string; 'consumer-principals'?: string }): ContractRuleOptions {
  const principalsJson = values['consumer-principals'];
  if (values.policy === undefined && principalsJson === undefined) {
    return { domain: values.domain };
  }
  const principals = principalsJson === undefined ? {} : parseConsumerPrincipals(principalsJson, '--consumer-principals');
  const policy = values.policy === undefined ? undefined : requireGovernancePolicyFile(values.policy, '--policy');
  return { domain: values.domain, consumers: consumerResolution(principals, policy?.allowedConsumers) };
}

/**
 * The mesh index lint checks the inputs against: the one `--mesh-index` names, else the copy a
 * domain repository keeps (`.sdlf/mesh-index.json`, which `npx projen` writes when the project
 * option `meshIndex` is set), else none.
 */
function meshIndexOption(location: string | undefined): MeshIndex | undefined {
  const given = location ?? (fs.existsSync(MESH_INDEX_COPY) ? MESH_INDEX_COPY : undefined);
  if (given === undefined) {
    return undefined;
  }
  try {
    return loadMeshIndex(given);
  } catch (error) {
    if (error instanceof MeshIndexError) {
      throw new InvalidOptionError(location === undefined ? 'meshIndex' : '--mesh-index', error.message);
    }
    throw error;
  }
}

/** `sdlf-mesh contract lint [paths...]`: the arguments after the command's name. */
export async function contractLintCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, LINT_OPTIONS, true);
  // The flags first: a bad one is said before any file is read.
  const options = { ...ruleOptions(values), meshIndex: meshIndexOption(values['mesh-index']) };
  const reports = lintContracts(contractFiles(positionals.length ? positionals : ['dataproducts']), options);
  if (values.json) {
    console.log(JSON.stringify(reports.map(({ file, problems, warnings, notes, grants }) => ({ file, problems, warnings, notes, grants })), null, 2));
  } else {
    for (const report of reports) {
      const warnings = [...report.warnings, ...report.notes].map(formatProblem);
      console.log(report.problems.length ? [...report.problems.map(formatProblem), ...warnings].join('\n') : [`${report.file}: valid`, ...warnings, ...report.grants.map((grant) => `  ${grant}`)].join('\n'));
    }
  }
  return reports.some((report) => report.problems.length > 0) ? 1 : 0;
}

/** `sdlf-mesh contract diff <base> <target>`: the arguments after the command's name. */
export async function contractDiffCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, DIFF_OPTIONS, true);
  const [base, target] = positionals;
  if (!base || !target) {
    throw new InvalidOptionError('diff', 'give the base and the contract: sdlf-mesh contract diff origin/main dataproducts');
  }
  const diffs = await diffContractFiles(base, target, ruleOptions(values));
  console.log(values.json ? JSON.stringify(diffs, null, 2) : renderDiffText(diffs));
  if (values.summary) {
    fs.appendFileSync(values.summary, `${renderDiffMarkdown(diffs)}\n`);
  }
  return diffs.every((diff) => diff.ok) ? 0 : 1;
}

/** `sdlf-mesh contract test <contract> <files or folders...>`: the arguments after the command's name. */
export async function contractTestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, TEST_OPTIONS, true);
  const format = values.format ?? 'text';
  if (!(CONTRACT_TEST_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidOptionError('--format', `"${format}" is not a format of the report: ${CONTRACT_TEST_FORMATS.join(', ')}`);
  }
  if (values.samples !== undefined && !/^\d+$/.test(values.samples)) {
    throw new InvalidOptionError('--samples', `"${values.samples}" is not a number of rows: give 0 or more, e.g. --samples 10`);
  }
  const [contract, ...data] = positionals;
  if (contract === undefined) {
    throw new InvalidOptionError('contract', 'give the contract and the data files or folders, e.g. sdlf-mesh contract test dataproducts/orders.yaml data/orders/');
  }
  const samples = values.samples === undefined ? undefined : Number(values.samples);
  const test = await testContractData({ contract, data, table: values.table, samples });
  if (values.output) {
    // The file gets the report asked for (in a folder made for it, as CI's test-reports/); the log, the one people read.
    fs.mkdirSync(path.dirname(values.output), { recursive: true });
    fs.writeFileSync(values.output, `${renderContractTest(test, format as ContractTestFormat)}\n`);
    console.log(renderContractTest(test, 'text'));
  } else {
    console.log(renderContractTest(test, format as ContractTestFormat));
  }
  return test.passed ? 0 : 1;
}
