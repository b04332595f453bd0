import tls from 'node:tls';
import { trustCertificates } from '../core/cloud/transport.js';

type CaSource = 'default' | 'system';

/**
 * Trusts the operating system's certificate store (macOS Keychain, Windows store, /etc/ssl) in
 * addition to Node's bundled list, so HTTPS inspection by a company proxy works once IT has
 * installed its CA on the workstation. `getCACertificates` exists in the Node that Electron ships
 * (22.15+); on older runtimes nothing changes.
 */
export function setupSystemCertificates(
  source: { readonly getCACertificates?: (type: CaSource) => string[] } = tls as never,
): boolean {
  const get = source.getCACertificates;
  if (!get) return false;
  trustCertificates([...new Set([...get('default'), ...get('system')])]);
  return true;
}
