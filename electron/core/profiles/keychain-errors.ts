/** Why the OS keychain could not be used, with a fix per platform, in both languages. */
import { text, type Text } from '../i18n/text.js';

/** What the renderer may learn about the keychain (plain data, IPC-safe). */
export type KeychainStatus =
  | { readonly available: true }
  | { readonly available: false; readonly message: Text; readonly hint: Text; readonly detail: string };

const HINTS: Readonly<Record<string, Text>> = {
  linux: text(
    'Install and unlock a Secret Service, such as GNOME Keyring or KeePassXC with its Secret Service ' +
      'integration: e.g. `sudo apt install gnome-keyring libsecret-tools`, then log in to a desktop ' +
      'session, or in a terminal without one run `dbus-run-session -- bash` and inside it ' +
      '`echo "<keyring password>" | gnome-keyring-daemon --unlock --components=secrets`. ' +
      'OTA Publisher never stores the AccessKey secret in a plain file.',
    '请安装并解锁 Secret Service（如 GNOME Keyring，或启用了 Secret Service 集成的 KeePassXC）：例如 ' +
      '`sudo apt install gnome-keyring libsecret-tools`，然后登录桌面会话；在没有桌面的终端中，先运行 ' +
      '`dbus-run-session -- bash`，再在其中运行 ' +
      '`echo "<钥匙串密码>" | gnome-keyring-daemon --unlock --components=secrets`。' +
      'OTA Publisher 绝不会把 AccessKey Secret 保存在明文文件中。',
  ),
  darwin: text(
    'Open Keychain Access, unlock the "login" keychain and try again; if macOS asks whether ' +
      'OTA Publisher may use the keychain, choose Allow. The secret is never stored in a plain file.',
    '请打开“钥匙串访问”，解锁“登录”钥匙串后重试；如果 macOS 询问是否允许 OTA Publisher 使用钥匙串，请选择“允许”。' +
      '密钥绝不会保存在明文文件中。',
  ),
  win32: text(
    'Sign in with a normal Windows user account (not a service or a restricted session) and make sure ' +
      'the Credential Manager service (VaultSvc) is running, then try again. The secret is never stored ' +
      'in a plain file.',
    '请使用普通的 Windows 用户账户登录（不要使用服务账户或受限会话），并确认“凭据管理器”服务（VaultSvc）正在运行，' +
      '然后重试。密钥绝不会保存在明文文件中。',
  ),
};

const GENERIC_HINT = text(
  'This system offers no supported keychain (macOS Keychain, Windows Credential Manager or a Linux ' +
    'Secret Service). The secret is never stored in a plain file.',
  '本系统没有受支持的钥匙串（macOS 钥匙串、Windows 凭据管理器或 Linux Secret Service）。密钥绝不会保存在明文文件中。',
);

const NAMES: Readonly<Record<string, Text>> = {
  linux: text('the Secret Service (Linux keychain)', 'Secret Service（Linux 钥匙串）'),
  darwin: text('the macOS Keychain', 'macOS 钥匙串'),
  win32: text('Windows Credential Manager', 'Windows 凭据管理器'),
};

/** The keychain cannot be used at all (absent, locked, access denied). Nothing was stored. */
export class KeychainUnavailable extends Error {
  readonly platform: string;
  /** What the keyring library said, with any secret removed. */
  readonly detail: string;
  readonly text: Text;
  readonly hint: Text;

  constructor(platform: string, detail: string, options?: { cause?: unknown }) {
    const store = NAMES[platform] ?? text('the OS keychain', '系统钥匙串');
    const what = text(
      `The AccessKey secret cannot be kept safely: ${store.en} is not available (${detail}).`,
      `无法安全保存 AccessKey Secret：${store.zh}不可用（${detail}）。`,
    );
    super(what.en, options);
    this.name = 'KeychainUnavailable';
    this.platform = platform;
    this.detail = detail;
    this.text = what;
    this.hint = HINTS[platform] ?? GENERIC_HINT;
  }

  /** The plain-data form the renderer receives. */
  toStatus(): KeychainStatus {
    return { available: false, message: this.text, hint: this.hint, detail: this.detail };
  }
}

/** The keychain answered but refused or garbled this entry (ambiguous entry, too long, read-back mismatch). */
export class KeychainFailure extends Error {
  readonly detail: string;
  readonly text: Text;
  readonly hint: Text;

  constructor(detail: string, options?: { cause?: unknown }) {
    const what = text(`The OS keychain refused the entry: ${detail}`, `系统钥匙串拒绝了该条目：${detail}`);
    super(what.en, options);
    this.name = 'KeychainFailure';
    this.detail = detail;
    this.text = what;
    this.hint = text(
      'Remove any "OTA Publisher" entries for this profile in the keychain manager and save the profile again.',
      '请在钥匙串管理工具中删除该配置对应的“OTA Publisher”条目，然后重新保存配置。',
    );
  }
}
