import { ConsumerQuery } from './consumer-query';
import type { PipelineDataTest } from './pipeline-data-test';
import type { PipelineRunReport, StateRun } from './run-pipeline';
import { renderContractTestText } from '../contract/contract-test-report';
import { byteSize } from '../util/exec';

/** A state of an execution in a line, as the run prints it when the state ends. */
export function renderState(state: StateRun): string {
  const outcome = state.ok ? 'ok' : state.caught ? `failed, caught: ${state.error}` : `failed: ${state.error ?? 'ended the execution'}`;
  const retries = state.retries ? ` (retried ${state.retries}×)` : '';
  const cause = !state.ok && state.cause ? `\n      ${oneLine(state.cause)}` : '';
  return `    ${state.name.padEnd(28)} ${state.type.padEnd(7)} ${`${state.durationMs} ms`.padStart(8)}  ${outcome}${retries}${cause}`;
}

/** What the run did after its executions: objects written, partitions, quality, the consumer's query, the outcome. */
export function renderRunSummary(report: PipelineRunReport): string {
  const lines: string[] = [];
  const written = report.executions.flatMap((execution) => execution.written);
  lines.push('', `Objects written (kept under ${report.workDir}):`);
  lines.push(...(written.length ? written.map((object) => `  s3://${object.bucket}/${object.key}  ${byteSize(object.size)}`) : ['  none']));
  const invocations = report.functionLogs.filter((invocation) => invocation.maxMemoryUsedMb !== undefined);
  if (invocations.length > 0) {
    lines.push('', 'Lambda invocations (max memory used, of the function\'s memory size):');
    lines.push(...invocations.map((invocation) => `  ${invocation.function}  ${invocation.maxMemoryUsedMb} MB of ${invocation.memoryMb} MB`));
  }
  lines.push('', 'Partitions registered:');
  lines.push(...(report.partitions.length ? report.partitions.map((partition) => `  ${partition.table}  ${Object.entries(partition.values).map(([column, value]) => `${column}=${value}`).join('/')}  ${partition.location}`) : ['  none']));
  lines.push('', 'Data quality (the contract\'s rules that Glue Data Quality evaluates):');
  const results = report.quality.flatMap((evaluation) => evaluation.results.map((result) => `  ${result.passed ? 'pass' : 'FAIL'}  ${evaluation.table}: ${result.rule} (${result.measured})`));
  lines.push(...(results.length ? results : ['  not evaluated: no stage of the run evaluates data quality (a glue stage does, after its job)']));
  for (const query of report.queries) {
    lines.push('', ...renderQuery(query));
  }
  lines.push('');
  if (report.succeeded) {
    lines.push(`Pipeline run of ${report.dataProduct} (${report.stack}) succeeded: ${report.executions.length} execution(s).`);
  } else {
    const failed = report.executions.find((execution) => !execution.succeeded);
    lines.push(failed?.failure
      ? `Pipeline run of ${report.dataProduct} FAILED in ${failed.stateMachine}, state ${failed.failure.state}: ${failed.failure.error}${failed.failure.cause ? `: ${oneLine(failed.failure.cause)}` : ''}`
      : `Pipeline run of ${report.dataProduct} FAILED: ${failed ? `${failed.stateMachine} did not succeed` : `no stage takes ${report.input.key}`}`);
  }
  return lines.join('\n');
}

/**
 * The data test in a few lines per sample: a passed table in one line, a failed one with each of
 * its checks and failing rows (sensitive values masked), then the verdict.
 */
export function renderPipelineDataTest(test: PipelineDataTest): string {
  const lines: string[] = [];
  for (const sample of test.samples) {
    if (sample.skipped) {
      lines.push(`SKIP  ${sample.sample}: ${sample.skipped}`);
      continue;
    }
    lines.push(`${sample.passed ? 'PASS' : 'FAIL'}  ${sample.sample}${sample.run ? ` → ${sample.run.stack}, ${sample.run.executions.length} execution(s)` : ''}`);
    lines.push(...sample.problems.map((problem) => `  ${oneLine(problem)}`));
    for (const table of sample.tables) {
      if (table.passed) {
        lines.push(`  pass  ${table.dataProduct}.${table.table}: ${table.rows} row(s), ${table.results.filter((result) => result.status === 'passed').length} check(s) passed`);
      } else {
        lines.push(...renderContractTestText(table).split('\n').map((line) => `  ${line}`));
      }
    }
  }
  const ran = test.samples.filter((sample) => !sample.skipped);
  const failed = ran.filter((sample) => !sample.passed);
  lines.push('', ran.length === 0
    ? `Data test: no sample ran (${test.samples.length} waiting).`
    : `Data test ${failed.length > 0 ? 'FAILED' : 'passed'}: ${ran.length - failed.length} of ${ran.length} sample(s) passed${test.samples.length > ran.length ? `, ${test.samples.length - ran.length} waiting` : ''}.`);
  return lines.join('\n');
}

function renderQuery(query: ConsumerQuery): string[] {
  const result = query.result;
  const lines = [`A consumer's query of ${query.table}:`, `  ${query.sql}`];
  if (result.kind === 'empty') {
    return [...lines, `  no data: nothing was written under ${query.location}`];
  }
  if (result.kind === 'not-parquet') {
    return [
      ...lines,
      `  cannot be answered: the table reads Parquet, and what the pipeline wrote under ${query.location} is not Parquet:`,
      ...result.objects.map((object) => `    ${object.key} (${byteSize(object.size)}) starts with: ${object.startsWith}`),
      '  Have a glue stage follow the stage that wrote it in the contract (it conforms the data to the table), or write Parquet in that stage.',
    ];
  }
  const cell = (value: unknown) => (value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  const widths = result.columns.map((column) => Math.min(40, Math.max(column.length, ...result.rows.map((row) => cell(row[column]).length))));
  const row = (cells: string[]) => `  ${cells.map((text, i) => text.slice(0, 40).padEnd(widths[i])).join(' | ')}`;
  return [
    ...lines,
    `  (DuckDB over ${result.files} Parquet file(s) of ${query.location}: ${result.total} row(s), the first ${result.rows.length})`,
    row(result.columns),
    `  ${widths.map((width) => '-'.repeat(width)).join('-+-')}`,
    ...result.rows.map((values) => row(result.columns.map((column) => cell(values[column])))),
  ];
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
