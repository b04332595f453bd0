import type { Session } from 'electron';
import { APP_ORIGIN } from './app-protocol.js';

/**
 * Whether the page may use a permission: none, except writing text to the clipboard from the
 * app itself (the "copy FirmwareId / digest" buttons).
 */
export function permissionAllowed(permission: string, origin: string): boolean {
  return (
    permission === 'clipboard-sanitized-write' &&
    (origin === APP_ORIGIN || origin.startsWith(`${APP_ORIGIN}/`))
  );
}

/** Denies every permission request and check (camera, notifications, geolocation, …) but the one above. */
export function setupPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, origin) => permissionAllowed(permission, origin));
}
