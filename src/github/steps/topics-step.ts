import { changed, unchanged } from '../../util/steps';
import { SetupStep } from '../setup-step';

/** The topic every domain repository has: `sdlf-mesh upgrade --org` finds the fleet by it. */
export const DOMAIN_TOPIC = 'sdlf-domain';

/** The topics that make a domain repository findable: every domain's, and this domain's. */
export function domainTopics(domain: string): string[] {
  return [DOMAIN_TOPIC, `domain-${domain}`];
}

/** Adds the domain topics; topics someone else gave the repository stay. */
export const topicsStep: SetupStep = {
  name: 'topics',
  permission: 'administration=write',
  honoursDryRun: true,
  plan: ({ settings }) => domainTopics(settings.domain).join(', '),
  async run(context) {
    const wanted = domainTopics(context.settings.domain);
    const current = context.nothingToLookAt ? [] : ((await context.read<{ names: string[] }>('GET /repos/{owner}/{repo}/topics', context.repo))?.names ?? []);
    const missing = wanted.filter((topic) => !current.includes(topic));
    if (missing.length === 0) {
      return unchanged(wanted.join(', '));
    }
    // The API replaces the whole list: send the topics found with the missing ones.
    await context.write('PUT /repos/{owner}/{repo}/topics', { ...context.repo, names: [...current, ...missing] });
    return changed(context, missing.join(', '));
  },
};
