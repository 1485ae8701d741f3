import * as semver from 'semver';
import type { ContractRule } from './contract-rule';

/** `contract diff` tells a breaking change by the major version. */
export const SEMANTIC_VERSION: ContractRule = {
  id: 'semantic-version',
  scope: 'contract',
  severity: 'error',
  description: '`version` is a semantic version (`MAJOR.MINOR.PATCH`): a breaking change comes with a new major version',
  check({ contract, report }) {
    if (!semver.valid(contract.version)) {
      report(['version'], `"${contract.version}" is not a semantic version (MAJOR.MINOR.PATCH); breaking changes are told by the major version`, 'e.g. 1.0.0');
    }
  },
};
