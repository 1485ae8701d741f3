import { allowedEnvironment, userToolEnvironment } from '../../src/util/allowed-environment';

// What third-party code run by the platform's tools may see: `projen new` runs install scripts,
// a fleet upgrade runs a domain's whole build.
const SECRETS = {
  'GITHUB_TOKEN': 'ghp_a',
  'GH_TOKEN': 'ghp_b',
  'NPM_TOKEN': 'npm_c',
  'AWS_SECRET_ACCESS_KEY': 'aws_d',
  'GIT_CONFIG_COUNT': '1',
  'GIT_CONFIG_KEY_0': 'http.https://github.com/.extraHeader',
  'GIT_CONFIG_VALUE_0': 'Authorization: Basic e',
  'npm_config_//registry.example/:_authToken': 'npm_f',
};

let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  Object.assign(process.env, SECRETS, { npm_config_registry: 'https://registry.example/', HOME: '/home/platform' });
});
afterEach(() => (process.env = saved));

test('no secret reaches code that is not the platform\'s, however it is named', () => {
  for (const env of [allowedEnvironment(), userToolEnvironment()]) {
    const values = Object.values(env).join('\n');
    for (const [name, secret] of Object.entries(SECRETS).filter(([key]) => key !== 'GIT_CONFIG_COUNT')) {
      expect([name, values]).toEqual([name, expect.not.stringContaining(secret)]);
    }
    expect(Object.keys(env).filter((key) => key.startsWith('GIT_CONFIG'))).toEqual([]);
    expect(env.PATH).toBe(process.env.PATH);
  }
});

test('a tool the user runs keeps the user\'s home and npm settings; a domain\'s code gets neither', () => {
  expect(userToolEnvironment()).toMatchObject({ HOME: '/home/platform', npm_config_registry: 'https://registry.example/' });
  expect(allowedEnvironment()).not.toHaveProperty('HOME');
  expect(allowedEnvironment()).not.toHaveProperty('npm_config_registry');
});

test('what reaches the network behind a TLS-intercepting proxy passes: the proxy and the certificate authorities, never a token', () => {
  const network = {
    NODE_EXTRA_CA_CERTS: '/etc/company/ca.pem',
    SSL_CERT_FILE: '/etc/company/bundle.pem',
    SSL_CERT_DIR: '/etc/company/certs',
    HTTPS_PROXY: 'http://proxy.example:3128',
    NO_PROXY: 'localhost,.internal.example',
  };
  Object.assign(process.env, network, { npm_config_cafile: '/etc/company/ca.pem' });
  for (const env of [allowedEnvironment(), userToolEnvironment()]) {
    expect(env).toMatchObject(network);
    expect(Object.values(env).join('\n')).not.toMatch(/ghp_|npm_c|npm_f|aws_d/);
  }
  // npm's own CA setting, at the environment's level, reaches the tools the user runs.
  expect(userToolEnvironment()).toMatchObject({ npm_config_cafile: '/etc/company/ca.pem' });
});
