import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Synthesizes `app` with cdk-nag's AWS Solutions rules and returns its unacknowledged findings as
 * `rule construct-path`; empty when synthesis passes. Add no other synthesis before it: a
 * synthesized app is not validated again.
 */
export function nagFindings(app: App): string[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return [];
  } catch {
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
    return report.pluginReports.flatMap((plugin: any) =>
      plugin.violations.flatMap((violation: any) => violation.violatingConstructs.map((c: any) => `${violation.ruleName} ${c.constructPath}`)),
    );
  }
}
