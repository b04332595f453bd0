/** `ota-publish profile import-aliyun`: an aliyun CLI profile (AK or StsToken) becomes one of ours. */
import {
  AliyunConfigError,
  aliyunConfigPath,
  readAliyunCliProfile,
} from '../../core/profiles/aliyun-cli-config.js';
import { text } from '../../core/i18n/text.js';
import type { ProfileInput } from '../../core/profiles/profile.js';
import type { Profiles } from '../../core/profiles/profiles.js';
import { normaliseProfileInput, validateProfile } from '../../core/profiles/profile-validation.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cliLocale, say } from '../locale.js';

export interface ImportFlags {
  readonly profile?: string;
  readonly name?: string;
  readonly region?: string;
  readonly endpoint?: string;
  /** Overwrite a profile of the same name (its key, secret, token and target). */
  readonly replace?: boolean;
  readonly json?: boolean;
}

/** Whether IoT Platform offers the input's region (aliyun CLI profiles often say cn-hangzhou, where it does not). */
function offeredRegion(input: ProfileInput): boolean {
  return !validateProfile(normaliseProfileInput(input)).some((i) => i.field === 'regionId');
}

export async function importAliyunProfile(profiles: Profiles, values: ImportFlags): Promise<number> {
  const path = aliyunConfigPath();
  let source;
  try {
    source = await readAliyunCliProfile(path, values.profile);
  } catch (error) {
    if (!(error instanceof AliyunConfigError)) throw error;
    const locale = cliLocale();
    throw new UsageError(
      `${error.text[locale]}\n  ${locale === 'zh' ? '处理建议' : 'what to do'}: ${error.hint[locale]}`,
    );
  }
  const input: ProfileInput = {
    name: values.name ?? source.name,
    provider: 'aliyun',
    accessKeyId: source.accessKeyId,
    regionId: values.region ?? source.regionId,
    endpoint: values.endpoint,
  };
  if (values.region === undefined && !offeredRegion(input)) {
    throw new UsageError(
      say(
        text(
          `The aliyun CLI profile "${source.name}" is set to region ${source.regionId ?? '—'}, where IoT Platform is not offered: give the region to publish to with --region (e.g. --region cn-shanghai).`,
          `aliyun CLI 配置“${source.name}”的地域为 ${source.regionId ?? '—'}，物联网平台不提供该地域：请用 --region 指定发布地域（如 --region cn-shanghai）。`,
        ),
      ),
    );
  }
  // "default" is the aliyun CLI's usual name: never replace a profile queued jobs may sign with unasked.
  if (!values.replace && (await profiles.getProfile(input.name))) {
    throw new UsageError(
      say(
        text(
          `A profile named "${input.name}" exists already: give the imported one another name with --name, or pass --replace to overwrite it (its key, secret and target).`,
          `已有名为“${input.name}”的云账号：请用 --name 为导入的配置另起名称，或加 --replace 覆盖它（其密钥与目标）。`,
        ),
      ),
    );
  }
  const view = await profiles.saveProfile(input, source.accessKeySecret, source.securityToken);
  if (values.json) process.stdout.write(`${JSON.stringify(view)}\n`);
  else {
    const token = view.hasSecurityToken ? ' + STS token' : '';
    process.stdout.write(
      `Imported aliyun CLI profile "${source.name}" (mode ${source.mode}) as profile ${view.name}  ${view.regionId ?? ''}  AccessKey ID ${view.accessKeyId}  secret set${token}\n`,
    );
  }
  process.stderr.write(
    `${say(
      text(
        `Note: the aliyun CLI still keeps this AccessKey secret${source.securityToken ? ' and token' : ''} in plain text in ${path}; ours is now in the OS keychain. Remove it there if it should live only in the keychain (aliyun configure delete --profile ${source.name}).`,
        `注意：aliyun CLI 仍在 ${path} 中以明文保存此 AccessKey Secret${source.securityToken ? '和令牌' : ''}；本工具的副本已保存在系统钥匙串中。若只想保存在钥匙串中，请在那里删除它（aliyun configure delete --profile ${source.name}）。`,
      ),
    )}\n`,
  );
  return EXIT.ok;
}
