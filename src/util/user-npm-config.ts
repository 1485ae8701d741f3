import { userToolEnvironment } from './allowed-environment';
import { exec } from './exec';

/**
 * A setting of npm as the user's own npm reads it, from any of its configuration levels (the
 * environment's `npm_config_*`, the user's `~/.npmrc`, the global `npmrc`), without any token
 * variable; undefined when npm leaves it unset.
 *
 * @param key an npm setting without secrets, such as `cafile` or `globalconfig`
 * @param cwd where npm is asked (a project's `.npmrc` there counts too)
 */
export async function userNpmSetting(key: string, cwd: string): Promise<string | undefined> {
  const { stdout } = await exec('npm', ['config', 'get', key], { cwd, env: userToolEnvironment(), inheritEnv: false });
  const value = stdout.trim();
  return value === '' || value === 'null' || value === 'undefined' ? undefined : value;
}

/**
 * The environment for a tool that installs packages on the user's behalf ({@link userToolEnvironment})
 * with the user's global npm configuration named explicitly.
 *
 * npm looks for its global configuration in `<prefix>/etc/npmrc`, and `projen new` installs with
 * `--prefix <new project>`: left to itself, npm would read the new project's (absent) file and
 * lose the company registry, proxy and `cafile` a machine sets there. Run through `npx`, npm
 * exports the path itself (`npm_config_globalconfig`); run as an installed command, it is asked.
 */
export async function userInstallEnvironment(cwd: string): Promise<Record<string, string>> {
  const env = userToolEnvironment();
  if (Object.keys(env).some((key) => key.toLowerCase() === 'npm_config_globalconfig')) {
    return env;
  }
  const globalConfig = await userNpmSetting('globalconfig', cwd);
  return globalConfig === undefined ? env : { ...env, npm_config_globalconfig: globalConfig };
}
