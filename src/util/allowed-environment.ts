/**
 * The variables that name a file of certificate authorities to trust: behind a TLS-intercepting
 * proxy, without them every registry request fails with `SELF_SIGNED_CERT_IN_CHAIN`. Code that
 * runs as another user may not read the platform's file: a sandbox gives it a copy.
 */
export const CA_FILE_VARIABLES: readonly string[] = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'];

/**
 * The variables code that is not the platform's may see of the platform's environment: where
 * programs are, the locale, the time zone and the way out to the network (the proxy, and the
 * certificate authorities the machine trusts: certificates are public). Never a token, a
 * credential or git's configuration (`GIT_CONFIG_*` carries the platform's authorization header).
 */
export const ALLOWED_ENV_VARIABLES: readonly string[] = [
  'PATH', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TERM',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy',
  ...CA_FILE_VARIABLES, 'SSL_CERT_DIR', 'NODE_USE_SYSTEM_CA', 'NODE_USE_ENV_PROXY',
  'JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION',
];

/** The allow-listed variables of this process's environment, plus `more` of its variables. */
export function allowedEnvironment(more: readonly string[] = []): Record<string, string> {
  const present = [...ALLOWED_ENV_VARIABLES, ...more].filter((key) => process.env[key] !== undefined);
  return Object.fromEntries(present.map((key) => [key, process.env[key]!]));
}

/**
 * The environment for tools the user runs on their own machine that install third-party packages
 * (`projen new` runs their install scripts): the allow-listed variables, the user's home and
 * identity (git's and npm's configuration live there) and npm's settings, but no token variable,
 * however it is named, and no git configuration from the environment.
 */
export function userToolEnvironment(): Record<string, string> {
  const npmSettings = Object.keys(process.env).filter((key) => /^npm_config_/i.test(key) && !/auth|token|password|_pass/i.test(key));
  return allowedEnvironment(['HOME', 'USER', 'LOGNAME', 'USERPROFILE', 'APPDATA', 'SystemRoot', ...npmSettings]);
}
