// @ts-check
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

/**
 * About how long the suites that take minutes run, in seconds, as measured in a full run on a
 * 2-core machine. Only the order matters: jest's own timings of the last run, where it has them,
 * take precedence.
 */
const EXPECTED_SECONDS = {
  'test/fleet/github-fleet.e2e.test.ts': 900,
  'test/e2e/sdlf-domain.e2e.test.ts': 760,
  'test/fleet/upgrade-fleet.e2e.test.ts': 400,
  'test/e2e/sdlf-platform.e2e.test.ts': 380,
  // It makes the generated repository new-domain-github shares (`newDomainRun`), which starts later.
  'test/scaffold/new-domain-command.e2e.test.ts': 350,
  'test/projects/projen-new-refusal.e2e.test.ts': 230,
  'test/github/new-domain-github.e2e.test.ts': 120,
};

/**
 * The order the suites start in, longest first, so that the last suites to start are short ones
 * and both workers finish together. Jest orders by the durations of its last run, which a fresh
 * clone (as CI) does not have: it then goes by file size, and a long suite in a short file (the
 * platform's end to end) could start last and run alone for minutes. Here a suite without a
 * duration of its own is given the expected one above; the other end-to-end suites
 * (`*.e2e.test.ts`) come next, then the rest, each by size as jest does. Suites that failed in the
 * last run still come first.
 */
class LongestFirstSequencer extends Sequencer {
  /**
   * @param {Array<import('@jest/test-result').Test>} tests
   */
  sort(tests) {
    // Jest's order, which also reads its timings of the last run into `duration`.
    const jestOrder = /** @type {Array<import('@jest/test-result').Test>} */ (super.sort(tests));
    const expected = (/** @type {import('@jest/test-result').Test} */ test) => {
      const file = path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
      const seconds = /** @type {Record<string, number>} */ (EXPECTED_SECONDS)[file];
      return test.duration ?? (seconds === undefined ? undefined : seconds * 1000);
    };
    const tier = (/** @type {import('@jest/test-result').Test} */ test) => (this.hasFailed(test) ? 0 : expected(test) !== undefined ? 1 : test.path.endsWith('.e2e.test.ts') ? 2 : 3);
    // Array.prototype.sort is stable: within a tier without durations, jest's order stays.
    return [...jestOrder].sort((a, b) => tier(a) - tier(b) || (tier(a) === 1 ? (expected(b) ?? 0) - (expected(a) ?? 0) : 0));
  }
}

module.exports = LongestFirstSequencer;
