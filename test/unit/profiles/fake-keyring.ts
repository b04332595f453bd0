import type { KeyringEntry, KeyringFactory } from '../../../electron/core/profiles/vault.js';

/** An in-memory keychain with the @napi-rs/keyring AsyncEntry shape; `down` makes it behave like a missing one. */
export class FakeKeyring {
  readonly entries = new Map<string, string>();
  /** When set, every call fails like keyring-rs does without a Secret Service. */
  down = false;
  /** When set, reads return something other than what was stored. */
  garble = false;

  readonly factory: KeyringFactory = (service, account): KeyringEntry => {
    const key = `${service}\u0000${account}`;
    const check = () => {
      if (this.down) {
        throw new Error(
          'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time',
        );
      }
    };
    return {
      setPassword: async (password) => {
        check();
        this.entries.set(key, password);
      },
      getPassword: async () => {
        check();
        const value = this.entries.get(key);
        return value === undefined ? null : this.garble ? `${value}x` : value;
      },
      deleteCredential: async () => {
        check();
        return this.entries.delete(key);
      },
    };
  };

  /** Accounts stored under `service`. */
  accounts(service = 'OTA Publisher'): string[] {
    return [...this.entries.keys()]
      .filter((k) => k.startsWith(`${service}\u0000`))
      .map((k) => k.split('\u0000')[1]!);
  }
}
