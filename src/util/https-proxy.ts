import { BlockList, isIP } from 'net';

/** The environment a proxy is read from: `HTTPS_PROXY` and `NO_PROXY`, in either case. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** The proxy an address is fetched through: its URL (with credentials, if any) and how it is named in messages. */
export interface HttpsProxy {
  readonly url: URL;
  /** `http://host:port`, without credentials: what a message names. */
  readonly label: string;
}

/** The proxy variables cannot be used: the message names the variable and the fix. */
export class HttpsProxyError extends Error {
  constructor(
    /** The variable at fault, e.g. `HTTPS_PROXY`. */
    public readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpsProxyError';
  }
}

/**
 * The proxy an `https://` address is fetched through, as curl, npm and most tools read it from the
 * environment: `https_proxy`, else `HTTPS_PROXY` (an empty value is none); none when `no_proxy`
 * (else `NO_PROXY`) excludes the host (see {@link noProxyExcludes}). A proxy is an HTTP proxy that
 * tunnels with CONNECT: `http://[user:password@]host[:port]`, or `host:port` for short.
 */
export function httpsProxyFor(address: string, env: ProxyEnvironment = process.env): HttpsProxy | undefined {
  const [variable, value] = firstSet(env, 'https_proxy', 'HTTPS_PROXY');
  if (variable === undefined || value === undefined) {
    return undefined;
  }
  const target = new URL(address);
  const [, noProxy] = firstSet(env, 'no_proxy', 'NO_PROXY');
  if (noProxyExcludes(noProxy ?? '', target.hostname, Number(target.port || 443))) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new HttpsProxyError(variable, `${variable} is not a proxy address: give http://host:port, e.g. http://proxy.example.com:3128`);
  }
  if (url.protocol !== 'http:') {
    throw new HttpsProxyError(variable, `${variable} names a ${url.protocol.replace(/:$/, '')} proxy; only an HTTP proxy that tunnels with CONNECT is supported: give http://${url.host}`);
  }
  return { url, label: `http://${url.host}` };
}

/**
 * Whether a `NO_PROXY` list excludes a host from the proxy. Entries are separated by commas or
 * spaces, case does not matter: `*` excludes every host; `example.com`, `.example.com` and
 * `*.example.com` exclude the domain and its subdomains; an IP address excludes itself and a CIDR
 * block (`10.0.0.0/8`, `fd00::/8`) its addresses; `:port` after an entry limits it to that port.
 */
export function noProxyExcludes(noProxy: string, hostname: string, port: number): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return noProxy
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') {
        return true;
      }
      const { name, entryPort } = splitPort(entry);
      if (entryPort !== undefined && entryPort !== port) {
        return false;
      }
      if (name.includes('/')) {
        return inBlock(name, host);
      }
      if (isIP(name) || isIP(host)) {
        return name === host;
      }
      const domain = name.replace(/^\*?\./, '').replace(/\.$/, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}

/** An entry's name and port: `host:port`, `[v6]:port`, a bare IPv6 address (no port), a CIDR block. */
function splitPort(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    return { name: bracketed[1], ...(bracketed[2] ? { entryPort: Number(bracketed[2]) } : {}) };
  }
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort ? { name: withPort[1], entryPort: Number(withPort[2]) } : { name: entry };
}

function inBlock(block: string, host: string): boolean {
  const [network, prefix] = block.split('/');
  const family = isIP(network);
  if (family === 0 || isIP(host) !== family || !/^\d+$/.test(prefix ?? '')) {
    return false;
  }
  const list = new BlockList();
  try {
    list.addSubnet(network, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** The first of the variables set to something, with its name. */
function firstSet(env: ProxyEnvironment, ...names: string[]): [string | undefined, string | undefined] {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) {
      return [name, value];
    }
  }
  return [undefined, undefined];
}
