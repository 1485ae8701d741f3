import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { allowedEnvironment, CA_FILE_VARIABLES } from '../util/allowed-environment';
import { exec } from '../util/exec';
import { InvalidOptionError } from '../util/invalid-option-error';
import { userNpmSetting } from '../util/user-npm-config';

/** The option that names the file, as `sdlf-mesh upgrade` spells it. */
const OPTION = '--npmrc';
const MAX_BYTES = 16 * 1024 * 1024;
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
/** What a fix of the file looks like, for the messages. */
const EXAMPLE = 'registry=https://registry.example/ and cafile=company-ca.pem';

/**
 * The npm configuration of a fleet run's domain installs (each repository's `npm install` in its
 * sandbox, and the template store's): the registry, the certificate authorities and a read-only
 * install token that one explicit file gives ({@link DomainNpmConfig.load}), never the platform's
 * own `~/.npmrc` or the machine's global one, which may hold the platform's token.
 *
 * What reaches the network goes with it: the certificate authorities the platform trusts (its
 * npm's `cafile` at any level, when the file sets no CA of its own, and the files that
 * `NODE_EXTRA_CA_CERTS` and `SSL_CERT_FILE` name) are copied next to the configuration, so a
 * sandbox user that cannot read the platform's files still trusts a TLS-intercepting proxy.
 * Certificates are public; the proxy variables pass through the allow-listed environment.
 */
export class DomainNpmConfig {
  /** Neither a file nor the platform's certificate authorities: npm's defaults alone. */
  public static none(): DomainNpmConfig {
    return new DomainNpmConfig(undefined, [], undefined, {});
  }

  /**
   * Reads and checks the file `npmrc` names (see {@link DomainNpmConfig}). It is refused, with
   * the option and the fix, when it cannot be read, when a `cafile` it names cannot be read or
   * holds no certificate, or when it refers to a variable (`${NPM_TOKEN}`): the installs see no
   * variable of the platform's, so the read-only token is written into the file itself.
   *
   * A relative `cafile` is taken from the file's folder.
   *
   * @param npmrc the file; undefined for npm's defaults and the platform's certificate authorities
   */
  public static async load(npmrc: string | undefined): Promise<DomainNpmConfig> {
    const file = npmrc === undefined ? undefined : path.resolve(npmrc);
    const lines = file === undefined ? [] : readText(file).split(/\r?\n/);
    let cafile: Buffer | undefined;
    let setsCa = false;
    const kept: string[] = [];
    lines.forEach((line, index) => {
      const where = `line ${index + 1} of ${file}`;
      const setting = parseLine(line);
      const variable = setting && /\$\{([^${}?]+)\}/.exec(line);
      if (variable) {
        throw new InvalidOptionError(OPTION, `${where} refers to \${${variable[1]}}, which the domains' installs do not get (they see no variable of the platform's); write the read-only install token itself into the file, which the domains' code can read`);
      }
      if (setting?.key === 'cafile') {
        cafile = readCertificates(resolveFrom(path.dirname(file!), setting.value), `cafile=${setting.value} (${where})`);
        setsCa = true;
        return;
      }
      setsCa ||= setting?.key === 'ca' || setting?.key === 'ca[]';
      kept.push(line);
    });
    if (!setsCa) {
      cafile = readIfReadable(await userNpmSetting('cafile', os.tmpdir()));
    }
    const environmentCas: Record<string, Buffer> = {};
    for (const variable of CA_FILE_VARIABLES) {
      const content = readIfReadable(process.env[variable]);
      if (content) {
        environmentCas[variable] = content;
      }
    }
    return new DomainNpmConfig(file, kept, cafile, environmentCas);
  }

  private constructor(
    /** The file the configuration was read from. */
    public readonly file: string | undefined,
    /** Its lines, less `cafile`, which {@link install} writes with the copy's path. */
    private readonly lines: string[],
    private readonly cafile: Buffer | undefined,
    /** The files that certificate authority variables name, by variable. */
    private readonly environmentCas: Record<string, Buffer>,
  ) {}

  /**
   * What tells two configurations apart (their lines and certificate authorities): a store kept
   * between runs is used only by runs that install from the same place.
   */
  public fingerprint(): string {
    const cas = Object.entries(this.environmentCas).map(([variable, content]) => [variable, content.toString('base64')]);
    return crypto.createHash('sha256').update(JSON.stringify([this.lines, this.cafile?.toString('base64') ?? null, cas])).digest('hex');
  }

  /**
   * The registry the platform's own npm uses, when the domains' installs use another: a company
   * registry in the platform's `~/.npmrc` or global npmrc does not reach them (only this
   * configuration does), which a user should be told before their installs fail on it.
   */
  public async registryLeftBehind(): Promise<{ platform: string; domains: string } | undefined> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-npm-'));
    try {
      const env = { ...allowedEnvironment(), HOME: dir, ...this.install(dir) };
      const domains = (await exec('npm', ['config', 'get', 'registry'], { cwd: dir, env, inheritEnv: false })).stdout.trim();
      const platform = await userNpmSetting('registry', os.tmpdir());
      return platform !== undefined && platform !== domains ? { platform, domains } : undefined;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Writes the configuration and the certificate authorities into `dir` (a sandbox's home, given
   * to `owner`), and returns the variables that make npm (and Node) read them: the file as npm's
   * user configuration, an empty global one, and the copies of the CA files.
   */
  public install(dir: string, owner?: { uid: number; gid: number }): Record<string, string> {
    const write = (file: string, content: string | Buffer) => {
      fs.writeFileSync(file, content, { mode: 0o600 });
      if (owner) {
        fs.chownSync(file, owner.uid, owner.gid);
      }
    };
    const caDir = path.join(dir, 'ca');
    for (const folder of [dir, caDir]) {
      fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (owner) {
        fs.chownSync(folder, owner.uid, owner.gid);
      }
    }
    const env: Record<string, string> = {
      npm_config_userconfig: path.join(dir, '.npmrc'),
      // Not the machine's: it may hold the platform's token, and a CA file there may be one the
      // sandbox's user cannot read (npm would then fail every request).
      npm_config_globalconfig: path.join(dir, 'global-npmrc'),
    };
    const lines = [...this.lines];
    if (this.cafile) {
      const copy = path.join(caDir, 'npm-cafile.pem');
      write(copy, this.cafile);
      lines.push(`cafile=${copy}`);
    }
    write(env.npm_config_userconfig, `${lines.join('\n')}\n`);
    write(env.npm_config_globalconfig, '');
    for (const [variable, content] of Object.entries(this.environmentCas)) {
      env[variable] = path.join(caDir, `${variable}.pem`);
      write(env[variable], content);
    }
    return env;
  }
}

/** The file's text, or the option's refusal. */
function readText(file: string): string {
  let reason: string;
  try {
    const stat = fs.statSync(file);
    reason = !stat.isFile() ? 'not a file' : stat.size > MAX_BYTES ? 'larger than 16 MiB' : '';
    if (!reason) {
      return fs.readFileSync(file, 'utf8');
    }
  } catch (error) {
    reason = (error as NodeJS.ErrnoException).code ?? String(error);
  }
  throw new InvalidOptionError(OPTION, `${file} cannot be read (${reason}); give the npm configuration file for the domains' installs, e.g. --npmrc fleet.npmrc holding ${EXAMPLE}`);
}

/** The certificates of a `cafile` the file names, or the option's refusal. */
function readCertificates(file: string, setting: string): Buffer {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (error) {
    throw new InvalidOptionError(OPTION, `${setting}: ${file} cannot be read (${(error as NodeJS.ErrnoException).code}); give the path of the registry's CA certificate file (PEM), absolute or relative to the npmrc's folder, or remove the line`);
  }
  if (!content.includes(PEM_CERTIFICATE)) {
    throw new InvalidOptionError(OPTION, `${setting}: ${file} holds no PEM certificate ("${PEM_CERTIFICATE}"); give the registry's CA certificate file in PEM, or remove the line`);
  }
  return content;
}

/** A CA file of the platform's, when it names one it can read (Node and npm ignore one they cannot). */
function readIfReadable(file: string | undefined): Buffer | undefined {
  try {
    return file ? fs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** A path of the file as npm takes it: `~/` is the home; a relative one is taken from `dir`. */
function resolveFrom(dir: string, value: string): string {
  return value.startsWith('~/') ? path.join(os.homedir(), value.slice(2)) : path.resolve(dir, value);
}

/**
 * A `key=value` line of an npmrc as npm's ini reader takes it (`;` and `#` start a comment, also
 * after an unquoted value; a value may be quoted); undefined for a comment, a section or a blank
 * line. Read line by line, not with an ini library, so that a message can name the line and the
 * lines this module does not act on are kept exactly as written.
 */
function parseLine(line: string): { key: string; value: string } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#') || trimmed.startsWith('[')) {
    return undefined;
  }
  const equals = trimmed.indexOf('=');
  const unquote = (text: string) => {
    const quoted = /^"(.*)"$|^'(.*)'$/.exec(text.trim());
    return quoted ? (quoted[1] ?? quoted[2]) : text.replace(/(^|[^\\])[;#].*$/, '$1').trim();
  };
  return equals < 0 ? { key: unquote(trimmed), value: 'true' } : { key: unquote(trimmed.slice(0, equals)), value: unquote(trimmed.slice(equals + 1)) };
}
