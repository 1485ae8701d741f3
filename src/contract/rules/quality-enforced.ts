import type { ContractRule, FieldPath, ReportProblem } from './contract-rule';
import { dqdlRule } from '../contract-rendering';
import type { QualityRule } from '../odcs-definitions';
import { columnsOf } from './private/columns';

/**
 * A quality rule that Glue Data Quality cannot evaluate stays documentation: the docs page and the
 * catalog count enforced and documented-only rules apart.
 */
export const QUALITY_ENFORCED: ContractRule = {
  id: 'quality-enforced',
  scope: 'contract',
  severity: 'warning',
  description: 'a quality rule Glue Data Quality cannot enforce (`sql`, `text`, `custom`, a metric without a DQDL form) is documentation only',
  check({ contract, report }) {
    (contract.schema ?? []).forEach((object, objectIndex) => unenforced(object.quality ?? [], ['schema', objectIndex, 'quality'], undefined, report));
    for (const { column, path } of columnsOf(contract)) {
      unenforced(column.quality ?? [], [...path, 'quality'], column.name, report);
    }
  },
};

function unenforced(rules: readonly QualityRule[], base: FieldPath, column: string | undefined, report: ReportProblem) {
  rules.forEach((rule, index) => {
    const form = dqdlRule(rule, column);
    if ('unenforced' in form) {
      report([...base, index], `this quality rule is documented but not enforced: ${form.unenforced}`, 'enforce it in the pipeline, or keep it as documentation');
    }
  });
}
