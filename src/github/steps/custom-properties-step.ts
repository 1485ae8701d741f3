import { DomainSettings } from '../../domain/domain-settings';
import { changed, unchanged } from '../../util/steps';
import { CustomPropertyDefinition } from '../setup-context';
import { SetupStep } from '../setup-step';

/**
 * The custom properties a domain repository carries, where its organization defines them: they
 * let the platform find and sort domain repositories (the fleet upgrade looks them up).
 */
export function domainProperties(settings: DomainSettings): Record<string, string> {
  return {
    'domain': settings.domain,
    'owner': settings.owner,
    'cost-center': settings.costCenter,
    'template-version': settings.templateVersion,
  };
}

/**
 * The domain properties the organization defines and whose value its definition accepts (a
 * single-select property takes only its allowed values). GitHub refuses a repository with a
 * property it does not define, so the others are left out.
 */
export function applicableProperties(definitions: CustomPropertyDefinition[], settings: DomainSettings): Record<string, string> {
  const applicable: Record<string, string> = {};
  for (const [name, value] of Object.entries(domainProperties(settings))) {
    const definition = definitions.find((candidate) => candidate.property_name === name);
    const accepts = definition?.value_type === 'string' || (definition?.value_type === 'single_select' && (definition.allowed_values ?? []).includes(value));
    if (accepts) {
      applicable[name] = value;
    }
  }
  return applicable;
}

/** Sets the domain's custom properties that the organization defines and that differ. */
export const customPropertiesStep: SetupStep = {
  name: 'custom properties',
  permission: 'custom_properties=write',
  honoursDryRun: true,
  plan: ({ settings, target }) => `${list(domainProperties(settings))} (those ${target.owner} defines)`,
  async run(context) {
    const { facts, target } = context;
    if (!facts.ownedByOrganization) {
      return unchanged('personal repositories have no custom properties');
    }
    const definitions =
      facts.propertyDefinitions ?? (await context.read<CustomPropertyDefinition[]>('GET /orgs/{org}/properties/schema', { org: target.owner })) ?? [];
    const wanted = applicableProperties(definitions, context.settings);
    if (Object.keys(wanted).length === 0) {
      return unchanged(`${target.owner} defines none of ${Object.keys(domainProperties(context.settings)).join(', ')}`);
    }
    if (context.nothingToLookAt) {
      // The repository step set them in the request that created it.
      return changed(context, `${list(wanted)} (with the repository)`);
    }
    const current = (await context.read<Array<{ property_name: string; value: unknown }>>('GET /repos/{owner}/{repo}/properties/values', context.repo)) ?? [];
    const differing = Object.fromEntries(
      Object.entries(wanted).filter(([name, value]) => current.find((property) => property.property_name === name)?.value !== value),
    );
    if (Object.keys(differing).length === 0) {
      return unchanged(list(wanted));
    }
    await context.write('PATCH /repos/{owner}/{repo}/properties/values', {
      ...context.repo,
      properties: Object.entries(differing).map(([name, value]) => ({ property_name: name, value })),
    });
    return changed(context, list(differing));
  },
};

function list(values: Record<string, string>): string {
  return Object.entries(values).map(([name, value]) => `${name}=${value}`).join(', ');
}
