import net from 'node:net';

/** Addresses only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (bare === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped?.[1] !== undefined && mapped[1].startsWith('127.');
}

/** `0.0.0.0` and `::` listen on every interface. */
export function isWildcardAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === '0.0.0.0' || bare === '::' || bare === '';
}

export class ListenAddressError extends Error {}

/**
 * The studio runs code and reads and writes files for whoever holds its token; on a network
 * address anyone who sniffs or guesses the link can use it. So a non-loopback address is refused
 * unless the person starting it says so; the supported way to reach a remote box is a tunnel.
 */
export function checkListenAddress(host: string, allowRemote: boolean): { warning?: string } {
  if (isLoopbackAddress(host)) return {};
  if (!allowRemote) {
    throw new ListenAddressError(
      `Refusing to listen on ${host}: it is reachable from other machines, and the studio reads ` +
        `and writes files for whoever holds its link. Keep the default 127.0.0.1 and open an SSH ` +
        `tunnel (ssh -L 5899:127.0.0.1:5899 <gpu-box>), or pass --allow-remote if you really mean it.`,
    );
  }
  return {
    warning:
      `WARNING: the studio is listening on ${host}, reachable from other machines. Anyone with ` +
      `the link (it carries the token) can read and write files under the --root folders and run ` +
      `training on this machine, and the connection is plain HTTP, not encrypted. Prefer an SSH ` +
      `tunnel to 127.0.0.1.`,
  };
}
