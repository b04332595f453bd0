/** Failures around profiles as values the UI and CLI can explain. None ever carries a secret. */
import { text, type Text } from '../i18n/text.js';

export type ProfileErrorCode =
  | 'not-found'
  | 'no-secret'
  | 'target-changed'
  | 'sandbox-not-running'
  | 'invalid'
  | 'unreadable-file'
  | 'secret-in-data';

/** `message` is English (logs); `text` and `hint` say what failed and what to do, in both languages. */
export class ProfileError extends Error {
  readonly code: ProfileErrorCode;
  readonly text: Text;
  readonly hint: Text;

  constructor(code: ProfileErrorCode, what: Text, hint: Text, options?: { cause?: unknown }) {
    super(what.en, options);
    this.name = 'ProfileError';
    this.code = code;
    this.text = what;
    this.hint = hint;
  }

  static notFound(name: string): ProfileError {
    return new ProfileError(
      'not-found',
      text(`There is no profile named "${name}".`, `没有名为“${name}”的配置。`),
      text(
        'List the profiles (ota-publish profile list) or add one (ota-publish profile add).',
        '请查看已有配置（ota-publish profile list）或新建配置（ota-publish profile add）。',
      ),
    );
  }

  static noSecret(name: string): ProfileError {
    return new ProfileError(
      'no-secret',
      text(
        `Profile "${name}" has no AccessKey secret in the OS keychain.`,
        `配置“${name}”在系统钥匙串中没有 AccessKey Secret。`,
      ),
      text(
        `Enter the secret again: edit the profile in the app, or run ota-publish profile add "${name}" … and type it.`,
        `请重新输入密钥：在应用中编辑该配置，或运行 ota-publish profile add "${name}" … 并输入。`,
      ),
    );
  }

  static targetChanged(name: string): ProfileError {
    return new ProfileError(
      'target-changed',
      text(
        `Profile "${name}" now points somewhere else than the target its AccessKey secret was entered for.`,
        `配置“${name}”的发布目标已与输入 AccessKey Secret 时的目标不同。`,
      ),
      text(
        `Nothing was sent. If the new target is right, enter the secret again for it (edit the profile in the app, or ota-publish profile add "${name}" …); otherwise change the profile back.`,
        `未发送任何请求。若新目标无误，请为其重新输入密钥（在应用中编辑该配置，或运行 ota-publish profile add "${name}" …）；否则请将配置改回原目标。`,
      ),
    );
  }

  static sandboxNotRunning(): ProfileError {
    return new ProfileError(
      'sandbox-not-running',
      text('The built-in sandbox is not running.', '内置沙箱未运行。'),
      text('Start the sandbox first, then publish to it.', '请先启动沙箱，再向其发布。'),
    );
  }

  static invalid(name: string, field: string): ProfileError {
    return new ProfileError(
      'invalid',
      text(`Profile "${name}" is incomplete: ${field} is missing.`, `配置“${name}”不完整：缺少 ${field}。`),
      text('Edit the profile and fill in the missing field.', '请编辑该配置并补全缺少的项。'),
    );
  }

  static unreadableFile(path: string, detail: string, cause?: unknown): ProfileError {
    return new ProfileError(
      'unreadable-file',
      text(`Cannot read the profiles file ${path}: ${detail}`, `无法读取配置文件 ${path}：${detail}`),
      text(
        'Fix or remove the file (the secrets are in the OS keychain, not in it), then try again.',
        '请修复或删除该文件（密钥保存在系统钥匙串中，不在此文件里），然后重试。',
      ),
      { cause },
    );
  }

  static secretInData(field: string): ProfileError {
    return new ProfileError(
      'secret-in-data',
      text(
        `Refused to write the profiles file: it would contain a field named "${field}".`,
        `已拒绝写入配置文件：其中将包含名为“${field}”的字段。`,
      ),
      text(
        'Secrets belong in the OS keychain only; this is a bug, please report it.',
        '密钥只能保存在系统钥匙串中；这是程序缺陷，请反馈。',
      ),
    );
  }
}
