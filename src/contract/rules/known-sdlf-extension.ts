import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { SDLF_EXTENSIONS } from '../sdlf-extensions';

/** A misspelt SDLF extension would be kept as a custom property and read by nothing. */
export const KNOWN_SDLF_EXTENSION: ContractRule = {
  id: 'known-sdlf-extension',
  scope: 'contract',
  severity: 'error',
  description: `a \`customProperties\` entry whose name starts with \`sdlf\` is an SDLF extension: ${SDLF_EXTENSIONS.map((name) => `\`${name}\``).join(', ')}`,
  check({ contract, report }) {
    (contract.customProperties ?? []).forEach((entry, index) => {
      const name = entry.property;
      if (name?.startsWith('sdlf') && !(SDLF_EXTENSIONS as readonly string[]).includes(name)) {
        const suggestion = closest(name, SDLF_EXTENSIONS);
        report(['customProperties', index, 'property'], `unknown SDLF extension "${name}"; known: ${SDLF_EXTENSIONS.join(', ')}`, suggestion && `did you mean "${suggestion}"?`);
      }
    });
  },
};
