// The commands of `sdlf-mesh`: their words, summaries and usage, and where each one's code is.
// A command's code is loaded only when it runs: `--help` and `contract lint` (which every build of a
// generated repository runs) start without the fleet's, the catalog's or projen's modules, which
// take seconds to load.
import { CliCommand } from './command-line';
import { DEFAULT_GITHUB_API_URL } from '../github/github-client';

const NEW_DOMAIN_USAGE = `Usage: sdlf-mesh new domain <name> --owner <owner> [options]

Generates a domain repository with projen (sdlf-domain project type), installs it and commits,
then creates it on GitHub (with a token and --github) or pushes it to a local bare repository.

  --owner <owner>            accountable owner: mailbox, @user or @org/team (required)
  --cost-center <id>         cost center for the sdlf:cost-center tag
  --environments <spec>      name[:account[:region]], repeat for each (default: dev, test, prod)
  --github-org <org>         GitHub organization of the repository
  --platform-team <slug>     GitHub team of the platform team (co-owns generated files)
  --template-version <v>     sdlf-mesh version the repository depends on
  --from <spec|tarball>      template to generate from (default: this sdlf-mesh version)
  --dir <folder>             where to generate (default: ./<name>)
  --remotes-dir <folder>     local bare repositories to push to, the stand-in for GitHub
                             (default: ~/.sdlf-mesh/remotes); without a token, the registration
                             goes to <folder>/<platform repo name>.git when it exists
  --platform-dir <folder>    without a token: the platform repository on this machine (a clone
                             or a bare repository); the registration is committed there on
                             branch sdlf-mesh/register-<name>, for the platform team to merge
  --verbose                  show the output of projen

GitHub (with a token in GITHUB_TOKEN, GH_TOKEN or --token-file; API at GITHUB_API_URL,
default ${DEFAULT_GITHUB_API_URL}, or https://<host>/api/v3 for GitHub Enterprise Server):
  --github <owner>/<repo>    create the repository there, push main with git, then set topics,
                             custom properties, branch protection, the OIDC subject of its tokens
                             (its IDs: repository_owner_id, repository_id, environment),
                             environments and team access
  --visibility <v>           private (default), internal or public
  --team <slug>:<permission> give a team pull, triage, push, maintain or admin; repeat for each
  --reviewers <who>          required reviewers of the last environment: @login or @org/team,
                             repeat for each (default: the owner when it is a GitHub user or team)
  --adopt                    set up an existing repository that holds other history (its main
                             stays; the generated commit goes to branch sdlf-mesh/scaffold)
  --platform-repo <owner>/<repo>
                             register the domain in the platform team's repository: one pull
                             request adding domains/<name>.yaml (every environment then needs
                             an account and a region); the environments get the variables
                             AWS_DEPLOY_ROLE_ARN and AWS_REGION either way. The registration
                             holds the repository's IDs, which the deploy role trusts; one made
                             without a token (--platform-dir) has none, and gets no deploy role
                             until repositoryId and repositoryOwnerId are added to it
  --token-file <file>        read the token from a file
  --dry-run                  print every API request and git operation it would make; change nothing
  --json                     print the result as JSON

Run it again to complete a run that failed half-way: every step looks before it writes. The steps
and their times are printed on standard error, the result on standard output.
projen new installs with your npm settings: the registry, token and cafile of ~/.npmrc or the
global npmrc, npm_config_* variables but tokens, and NODE_EXTRA_CA_CERTS, SSL_CERT_FILE,
HTTPS_PROXY, NO_PROXY (no token variable: the install scripts it runs are third-party code).

Examples:
  sdlf-mesh new domain sales --owner sales-data@example.com --environments dev:111111111111:eu-west-1
  sdlf-mesh new domain sales --owner @acme/sales --github acme/sales-data --dry-run`;

const CONTRACT_LINT_USAGE = `Usage: sdlf-mesh contract lint [paths...] [--domain <name>] [--policy <file>] [--consumer-principals <json>] [--mesh-index <file|url>] [--json]

Validates data-product contracts (default: dataproducts/) against ODCS v3.1 and the SDLF rules,
and says what each consumer will see. Exits 1 when a contract has a problem; warnings (deprecated
fields, quality rules nothing enforces, deprecated inputs) are printed and do not fail, and so
are notes (what could not be checked).

  --domain <name>               the domain the contracts belong to (checked against each contract)
  --policy <file>               the platform's governance policy, as governancePolicyFile of
                                .projenrc.ts: each consumer must be one it allows
  --consumer-principals <json>  the principal of each consumer domain, as consumerPrincipals of
                                .projenrc.ts. With this or --policy, each consumer must be allowed
                                and resolve to a principal, as the synth checks it (a domain
                                repository's contract:lint task gives both)
  --mesh-index <file|url>       the catalog's catalog.json (a file or an https:// address): each
                                input (sdlfInputs) must be a data product of the mesh, served, and
                                granted to the domain. Default: .sdlf/mesh-index.json when it
                                exists (npx projen writes it from the meshIndex option). An
                                https:// address is fetched through HTTPS_PROXY unless NO_PROXY
                                excludes its host
  --json                        print the reports as JSON

Examples:
  sdlf-mesh contract lint
  sdlf-mesh contract lint --domain finance --mesh-index https://catalog.example.com/catalog.json
  sdlf-mesh contract lint dataproducts/orders.yaml --domain sales
  sdlf-mesh contract lint dataproducts --domain sales --policy governance-policy.yaml --consumer-principals '{"marketing":"222222222222"}'`;

const CONTRACT_DIFF_USAGE = `Usage: sdlf-mesh contract diff <base-ref|base-file> <file|folder> [--domain <name>] [--json] [--summary <file>]

Classifies every change against the base (a git ref such as origin/main, or a file) as breaking
or not. Two files are compared by their contents, whatever their names; against a git ref, each
file is compared with the same path there. Exits 1 when a breaking change comes without a major
version bump, a contract is invalid, or the base is neither a file nor a ref of the repository.

  --domain <name>               the domain the contracts belong to
  --policy <file>               the platform's governance policy (see contract lint --help)
  --consumer-principals <json>  the principal of each consumer domain (see contract lint --help)
  --json                        print the changes as JSON
  --summary <file>              append a Markdown report to the file (e.g. $GITHUB_STEP_SUMMARY)

Examples:
  sdlf-mesh contract diff origin/main dataproducts
  sdlf-mesh contract diff old/orders.yaml dataproducts/orders.yaml --summary "$GITHUB_STEP_SUMMARY"`;

const CONTRACT_TEST_USAGE = `Usage: sdlf-mesh contract test <contract.yaml> <files or folders...> [--table <name>] [--samples N]
                              [--format text|json|junit] [--output <file>]

Tests data files against a contract's table, in DuckDB on this machine: every column present with
its type, required columns without nulls, unique columns and the primary key without duplicates,
and every quality rule (nullValues, missingValues, invalidValues, duplicateValues, rowCount) with
the threshold Glue Data Quality evaluates it with. Exits 1 when a check fails.

Files are read by their extension: CSV (.csv, comma-separated, with a header), JSON lines (.json,
.jsonl, .ndjson), Parquet (.parquet); CSV and JSON may be gzipped (.gz). A folder is read at any
depth, and its column=value/ folders are partition columns. In CSV and JSON a value is of its
column's type when it casts to it; in Parquet a column's physical type must be the declared one.
Sensitive columns (restricted, or tagged pii) are never printed: their values show as ***.
It needs the npm package @duckdb/node-api (a domain repository has it).

  --table <name>         the contract's table the files hold (default: its only one)
  --samples N            failing rows to show for each failed check (default 5; 0 for none)
  --format <format>      text (default), json or junit (a test case per check)
  --output <file>        write the report to the file; the text report still goes to the log

Examples:
  sdlf-mesh contract test dataproducts/orders.yaml data/orders/
  sdlf-mesh contract test dataproducts/orders.yaml orders-2024-06.csv --samples 10
  sdlf-mesh contract test dataproducts/orders.yaml s3-export/ --format junit --output test-reports/orders-data.xml`;

const UPGRADE_USAGE = `Usage: sdlf-mesh upgrade --to <version|tarball> [--org <org> [--topic sdlf-domain | --property name=value] | --repos <file>]
                         [--remotes-dir <folder>...] [--concurrency N] [--verify] [--draft] [--labels a,b]
                         [--report report.json] [--resume] [--dry-run] [--token-file <file>] [--step-timeout <minutes>]
                         [--npmrc <file>] [--allow-shared-user]

Upgrades every domain repository to the template version: clone, pin the version in
.projenrc.ts, npx projen (--verify: and the build), commit on sdlf-mesh/upgrade-<version>, push,
and open the upgrade request (or update the open one). Run it again, or with --resume and the
report, to finish an interrupted run. Each repository is upgraded in two phases: propose runs
its code and writes the change as a patch; apply checks the patch, commits and pushes it, and
runs none of its code (the platform's workflow runs them as jobs: sdlf-mesh fleet --help).
Each repository's install, synth and build run without
the token, with an allow-listed environment, isolated from this process: as root (the platform's
GitHub Actions workflow, a container) as a user of their own, as an ordinary user in a namespace
of their own through bubblewrap (bwrap); without either the upgrade refuses to start.
--allow-shared-user runs them as you instead, NOT ISOLATED (they can read this process and its
token): only for a fleet whose code you trust; the report and the summary say so.
Each step stops after --step-timeout minutes (default 20), with every process it started;
each repository's processes are limited in number and memory, and their output to its last MiB.
Their npm reads --npmrc <file> (registry, cafile, a read-only install token: the repositories'
code can read it, so never the platform's token), not your ~/.npmrc or the global npmrc; the
CA files your npm and NODE_EXTRA_CA_CERTS / SSL_CERT_FILE name, and HTTPS_PROXY / NO_PROXY, go along.
GitHub (a token in GITHUB_TOKEN, GH_TOKEN or --token-file; API at GITHUB_API_URL, default
${DEFAULT_GITHUB_API_URL}): --org finds the organization's repositories with the topic
(default sdlf-domain) or the custom property; --repos lists owner/name lines instead. Each gets
one pull request (draft with --draft, --labels added), opened or updated, never a second.
Without a token the fleet is the bare git repositories of --remotes-dir (default
~/.sdlf-mesh/remotes); --repos then lists the names to upgrade.

Examples:
  sdlf-mesh upgrade --org acme --to 1.4.0 --dry-run
  sdlf-mesh upgrade --org acme --to 1.4.0 --verify --report upgrade.json
  sdlf-mesh upgrade --org acme --to 1.4.0 --npmrc fleet.npmrc`;

const FLEET_STATUS_USAGE = `Usage: sdlf-mesh fleet status [--org <org> [--topic t | --property name=value] | --repos <file> | --remotes-dir <folder>...] [--json]

Lists the domain repositories with their template version and open upgrade request.

Examples:
  sdlf-mesh fleet status --org acme
  sdlf-mesh fleet status --remotes-dir ~/.sdlf-mesh/remotes --json`;

const FLEET_RUN_NOTE = `The fleet-upgrade workflow of the platform repository runs these, one job each: discover
(read token), fetch (read token for one repository), propose (no credential: it runs the
repository's code), apply (write token: it never runs the repository's code), report.`;

const FLEET_DISCOVER_USAGE = `Usage: sdlf-mesh fleet discover --to <version|latest|tarball> --out <file>
                              [--registry <platform repository>] [--org <org> [--topic t | --property name=value] | --repos <file>]
                              [--only <a,b>] [--waves N] [--wave-size N]

Lists the domain repositories (those the registry names, of --org when given) and splits the
ones to upgrade into N waves (default 1) of at most --wave-size (default 256, a matrix's limit);
more than the waves take is refused. Writes the discovery to --out and, in a GitHub Actions job,
the outputs to, wave-<n> and repositories-<n>. --only keeps the listed repositories (owner/name,
separated by commas): a re-run of the failed ones.

${FLEET_RUN_NOTE}

Examples:
  sdlf-mesh fleet discover --to latest --org acme --registry . --waves 4 --out discovery/discovery.json
  sdlf-mesh fleet discover --to 1.4.0 --repos fleet.txt --only acme/sales-data --out discovery.json`;

const FLEET_FETCH_USAGE = `Usage: sdlf-mesh fleet fetch --repository <owner/name> --out <folder>

Writes the repository's default branch as a git bundle (source.bundle, source.json) for its
propose job, which gets no token. Nothing of the repository runs.

${FLEET_RUN_NOTE}

Examples:
  sdlf-mesh fleet fetch --repository acme/sales-data --out source`;

const FLEET_PROPOSE_USAGE = `Usage: sdlf-mesh fleet propose --source <folder> --to <version|tarball> --out <folder>
                             [--verify] [--step-timeout <minutes>] [--npmrc <file>]

Proposes the upgrade of the repository a fetch job left in --source: pins the version in
.projenrc.ts, npm install, npx projen (--verify: and the build), and writes the change as data
(proposal.json and upgrade.patch) to --out; a failure is written too, with its step. It runs the
repository's code, so it refuses to start with a credential in its environment (GITHUB_TOKEN,
GH_TOKEN, a job's OIDC token request, AWS keys, NPM_TOKEN).

${FLEET_RUN_NOTE}

Examples:
  sdlf-mesh fleet propose --source source --to 1.4.0 --out proposal`;

const FLEET_APPLY_USAGE = `Usage: sdlf-mesh fleet apply --discovery <file> --proposals <folder> [--wave N] [--github-run]
                           [--earlier-reports <folder>] [--draft] [--labels a,b] [--report <file>]

Applies the proposals of a wave (proposals/proposal-<key>/ each): checks each one (its repository
and version, its limits, a base in the default branch's history, a patch that applies), commits
it on sdlf-mesh/upgrade-<version>, pushes over whatever the branch holds, and opens or updates the
one pull request. It never runs a repository's code. --github-run takes a proposal only from its
repository's own propose job that succeeded in this run (read with GITHUB_RUN_TOKEN, actions:
read). Content-creating requests are paced to GitHub's 500 an hour, counting --earlier-reports.

${FLEET_RUN_NOTE}

Examples:
  sdlf-mesh fleet apply --discovery discovery/discovery.json --wave 1 --proposals proposals --github-run --report reports/wave-1.json`;

const FLEET_REPORT_USAGE = `Usage: sdlf-mesh fleet report --reports <folder> [--out <file>] [--failed <file>] [--summary <file>]

Merges the waves' reports into one: --out as JSON, --failed the failed repositories one a line,
--summary as Markdown (a job summary). Exits 1 when a repository failed.

${FLEET_RUN_NOTE}

Examples:
  sdlf-mesh fleet report --reports reports --out fleet-report.json --failed failed.txt --summary "$GITHUB_STEP_SUMMARY"`;

const CATALOG_BUILD_USAGE = `Usage: sdlf-mesh catalog build [<repository folders...> | --repos <file> | --org <org> [--topic sdlf-domain | --property name=value]]
                              --out <folder> [--registry <platform repository> | --without-registry] [--environment prod]
                              [--history N] [--token-file <file>] [--policy <file>] [--json]

Writes a static, searchable site of the mesh's data products (and catalog.json) from the
contracts of domain repositories: working trees, or bare git repositories (*.git, read at main;
a folder of them stands for each). --repos lists them one a line. A repository speaks for the
domain the platform's registry (--registry: domains/<domain>.yaml with domain and repository)
names it for, else for its custom property domain (GitHub), else for its name. Contracts that
are not valid, not safe to read or for another domain, two repositories speaking for one domain,
and repositories that cannot be read are listed on the site's problems page.
GitHub (a token in GITHUB_TOKEN, GH_TOKEN or --token-file; API at GITHUB_API_URL, default
${DEFAULT_GITHUB_API_URL}): --org reads the default branch of the organization's repositories
with the topic (default sdlf-domain) or the custom property through the API, without cloning,
and needs --registry: in an organization, anyone who can create a repository could otherwise
publish for a domain by its name. --without-registry lets the custom property or the name decide
(an organization where only the platform team creates repositories).
--history N reads the last N versions of each contract too (default 0: none).
--policy: the platform's governance policy; grants to consumers it does not allow are not shown.

Examples:
  sdlf-mesh catalog build ../sales ../finance --out site
  sdlf-mesh catalog build --org acme --registry ../data-platform --out site`;

const CATALOG_SERVE_USAGE = `Usage: sdlf-mesh catalog serve [--dir <folder>] [--port <n>]

Serves a built catalog on this machine (default: site/ on port 8080; --port 0 picks one).

Examples:
  sdlf-mesh catalog serve
  sdlf-mesh catalog serve --dir site --port 9000`;

const PIPELINE_RUN_USAGE = `Usage: sdlf-mesh pipeline run <data product> <file> [--app <cdk.out>] [--environment <env>]
                              [--contracts <folder>] [--out <folder>] [--json]

Runs the data product's pipeline on the file, on this machine, as the deployed pipeline would:
the file lands under raw/<data product>/<today>/ of the domain bucket, and each stage whose input
the objects land in runs its state machine as synthesized (aws-local-stepfunctions): a Lambda
stage calls its bundled handler (the AWS SDK's S3 calls go to a local S3 server), a Glue stage
runs its script's transform and conform with python3 and writes Parquet by the table's schema
(DuckDB), the crawler registers the partitions, the contract's quality rules are checked. It
prints each state as it ends, the objects written, the partitions, the quality and a consumer's
query of each table. Exits 1 when an execution fails, naming the state and its error.

  --app <cdk.out>        the cloud assembly to run (default: npx cdk synth first, in this folder)
  --environment <env>    the environment whose stack runs (default: the app's first)
  --contracts <folder>   the contracts, for the quality rules and the query (default: dataproducts)
  --out <folder>         where the buckets' objects are kept, one folder a bucket (default:
                         .sdlf/pipeline-run; emptied first)
  --json                 print the report as JSON (the states go to standard error)

It needs the npm packages aws-local-stepfunctions and @duckdb/node-api (a domain repository has them).

Examples:
  sdlf-mesh pipeline run orders samples/orders.csv
  sdlf-mesh pipeline run orders samples/orders.csv --app cdk.out --environment dev`;

const PIPELINE_TEST_USAGE = `Usage: sdlf-mesh pipeline test [<data product>...] [--data <folder>] [--app <cdk.out>]
                               [--environment <env>] [--contracts <folder>] [--out <folder>]

The domain's data test: runs each data product's pipeline on each of its samples (the files under
test/data/<data product>/, each one raw delivery) as \`pipeline run\` does, then tests what the
pipeline left in each table against the contract, with every check of \`contract test\` (columns
and types, required, unique, primary key, quality rules). Prints a line per table that passed and
every check of one that failed, with its counts and failing rows (sensitive columns masked). The
samples of a data product that is not deployed (draft, proposed, retired) wait. Exits 1 when a
sample fails: a check, the run, a table left without Parquet, samples without a contract.

  --data <folder>        the samples (default: test/data)
  --app <cdk.out>        the cloud assembly to run (default: cdk.json's output when no file under
                         src/ or dataproducts/ is newer, as after a build; else npx cdk synth first)
  --environment <env>    the environment whose stacks run (default: the app's first)
  --contracts <folder>   the contracts (default: dataproducts)
  --out <folder>         where the runs' objects are kept (default: .sdlf/pipeline-test)

It needs the npm packages aws-local-stepfunctions and @duckdb/node-api (a domain repository has
them), and python3 for a Glue stage.

Examples:
  sdlf-mesh pipeline test
  sdlf-mesh pipeline test orders --environment dev`;

const ACCESS_REQUEST_USAGE = `Usage: sdlf-mesh access request <domain>/<data product> --for <domain> [--columns <object>.<column>,...] [--reason <text>]
                                [--registry <platform repository>] [--policy <file>] [--org <org> [--topic t | --property name=value]]
                                [--remotes-dir <folder>] [--token-file <file>]

Asks the producer of a data product to grant a consumer domain select on it: opens a pull request
on the producer's repository that adds the domain to the contract's sdlfConsumers (or widens its
entry), from the branch sdlf-mesh/access/<domain>/<data product>. Without --columns it asks for
every column that is not sensitive; a sensitive column (classified restricted or tagged pii) is
granted only when named, and the request flags it for the producer's review. A table or column
the contract does not have is refused with the closest name, before anything is written. When
the domain already has every column asked for, nothing changes. Running it again updates the
open pull request, never opens a second one. The producer's contract is read as untrusted input
and edited keeping its comments; none of the producer's code runs.

  --for <domain>             the consumer domain asking (required; not the producer)
  --columns <elements>       object.column, or object for its non-sensitive columns, separated by commas
  --reason <text>            why, for the producer's reviewers
  --registry <folder>        the platform repository (or its domains/ folder): its domains/<domain>.yaml
                             names the producer's repository
  --policy <file>            the platform's governance policy (default: governance-policy.yaml of --registry):
                             with accessRequests.autoApprove non-sensitive, a request for no sensitive
                             column from an allowed domain says it is approved by policy (and is
                             labelled approved-by-policy on GitHub)
  --remotes-dir <folder>     without a token, the local bare repositories, the stand-in for GitHub
                             (default: ~/.sdlf-mesh/remotes): the request is the branch pushed to
                             <domain>.git (or the registry's repository name), to merge there

GitHub (a token in GITHUB_TOKEN, GH_TOKEN or --token-file; API at GITHUB_API_URL, default
${DEFAULT_GITHUB_API_URL}): with --registry, the repository it names; with --org, the
organization's domain repository (topic sdlf-domain, or --property) whose domain custom property,
or else name, is the domain. The token pushes the branch to the producer's repository and opens
the pull request there (contents=write, pull_requests=write); a fork is refused: the request goes
to the producer's own repository, where its code owners review it.

Examples:
  sdlf-mesh access request sales/orders --for finance
  sdlf-mesh access request sales/orders --for finance --columns orders.order_id,orders.order_total --reason "monthly revenue report"
  sdlf-mesh access request sales/orders --for finance --registry ../data-platform --reason "invoice matching"`;

const ACCESS_CHECK_USAGE = `Usage: sdlf-mesh access check --base <revision> [--head <revision>] [--domain <name>] [--policy <file>] [--json] [--summary <file>]

Decides, from the change itself, whether a change of a domain repository is an access request
the governance policy approves without a person: it compares every file that differs from the
base (the working tree, or what merging --head into the base gives) and prints a line per file
with what it grants, the reasons it needs the producer's review under it, and the verdict.
Approved by policy: the change only adds consumer domains to contracts' sdlfConsumers or widens
their select entries, every column added is not sensitive (as the base's schema classifies it),
every consumer domain is one the policy allows, and the policy says accessRequests.autoApprove:
non-sensitive. Anything else needs the producer: a sensitive column, a consumer the policy does
not allow, a schema or other field changed, a consumer removed or narrowed, a contract added,
removed, unreadable or invalid, a docs page that is not what the synth renders from the changed
contract, any other file changed. The label or branch of a pull request is
not read. Exits 0 when approved by policy, 1 when not, 2 on a usage error. The repository is read
as untrusted input (contracts from git objects or the working tree with the contract limits, no
symbolic link followed) and none of its code runs.

  --base <revision>          what the change is compared with, e.g. origin/main (required)
  --head <revision>          the change as a commit (a pull request's head): it is merged into the
                             base in git's objects, nothing checked out (default: the working tree)
  --domain <name>            the producer's domain (each contract must be one of its data products)
  --policy <file>            the platform's governance policy, as governancePolicyFile of .projenrc.ts;
                             without it nothing is approved by policy
  --json                     print the check as JSON
  --summary <file>           append a Markdown report to the file (e.g. $GITHUB_STEP_SUMMARY)

A domain repository's access-check workflow runs it, from the base branch, on every pull
request labelled approved-by-policy: one that does more than the policy approves fails the check.

Examples:
  sdlf-mesh access check --base origin/main --domain sales --policy governance-policy.yaml
  sdlf-mesh access check --base origin/main --head origin/sdlf-mesh/access/finance/orders --domain sales --policy governance-policy.yaml`;

/** Every command of `sdlf-mesh`, in the order the overview lists them. */
export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'new domain',
    summary: 'generate a domain repository and publish it',
    usage: NEW_DOMAIN_USAGE,
    run: async (args) => (await import('./new-domain-command.js')).newDomainCommand(args),
  },
  {
    name: 'contract lint',
    summary: 'validate data-product contracts',
    usage: CONTRACT_LINT_USAGE,
    run: async (args) => (await import('./contract-command.js')).contractLintCommand(args),
  },
  {
    name: 'contract diff',
    summary: 'find breaking changes of contracts against a base',
    usage: CONTRACT_DIFF_USAGE,
    run: async (args) => (await import('./contract-command.js')).contractDiffCommand(args),
  },
  {
    name: 'contract test',
    summary: 'test data files against a contract, in DuckDB on this machine',
    usage: CONTRACT_TEST_USAGE,
    run: async (args) => (await import('./contract-command.js')).contractTestCommand(args),
  },
  {
    name: 'upgrade',
    summary: 'upgrade every domain repository to a template version',
    usage: UPGRADE_USAGE,
    run: async (args) => (await import('./upgrade-command.js')).upgradeCommand(args),
  },
  {
    name: 'fleet status',
    summary: 'list the domain repositories and their template versions',
    usage: FLEET_STATUS_USAGE,
    run: async (args) => (await import('./upgrade-command.js')).fleetStatusCommand(args),
  },
  {
    name: 'fleet discover',
    summary: 'list and split the fleet for the fleet-upgrade workflow',
    usage: FLEET_DISCOVER_USAGE,
    run: async (args) => (await import('./fleet-run-command.js')).fleetDiscoverCommand(args),
  },
  {
    name: 'fleet fetch',
    summary: 'bundle a repository\'s default branch for its propose job',
    usage: FLEET_FETCH_USAGE,
    run: async (args) => (await import('./fleet-run-command.js')).fleetFetchCommand(args),
  },
  {
    name: 'fleet propose',
    summary: 'propose a repository\'s upgrade as data, without credentials',
    usage: FLEET_PROPOSE_USAGE,
    run: async (args) => (await import('./fleet-run-command.js')).fleetProposeCommand(args),
  },
  {
    name: 'fleet apply',
    summary: 'check, push and open the proposals of a wave',
    usage: FLEET_APPLY_USAGE,
    run: async (args) => (await import('./fleet-run-command.js')).fleetApplyCommand(args),
  },
  {
    name: 'fleet report',
    summary: 'merge the waves\' reports of a fleet run',
    usage: FLEET_REPORT_USAGE,
    run: async (args) => (await import('./fleet-run-command.js')).fleetReportCommand(args),
  },
  {
    name: 'pipeline run',
    summary: 'run a data product\'s pipeline on a file, on this machine',
    usage: PIPELINE_RUN_USAGE,
    run: async (args) => (await import('./pipeline-command.js')).pipelineRunCommand(args),
  },
  {
    name: 'pipeline test',
    summary: 'run each data product\'s pipeline on its samples and test the tables against the contract',
    usage: PIPELINE_TEST_USAGE,
    run: async (args) => (await import('./pipeline-command.js')).pipelineTestCommand(args),
  },
  {
    name: 'access request',
    summary: 'ask a data product\'s producer for access, by pull request',
    usage: ACCESS_REQUEST_USAGE,
    run: async (args) => (await import('./access-command.js')).accessRequestCommand(args),
  },
  {
    name: 'access check',
    summary: 'say whether a change is an access request the governance policy approves',
    usage: ACCESS_CHECK_USAGE,
    run: async (args) => (await import('./access-check-command.js')).accessCheckCommand(args),
  },
  {
    name: 'catalog build',
    summary: 'write the searchable catalog site of the mesh',
    usage: CATALOG_BUILD_USAGE,
    run: async (args) => (await import('./catalog-command.js')).catalogBuildCommand(args),
  },
  {
    name: 'catalog serve',
    summary: 'serve a built catalog site on this machine',
    usage: CATALOG_SERVE_USAGE,
    run: async (args) => (await import('./catalog-command.js')).catalogServeCommand(args),
  },
];
