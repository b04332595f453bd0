import { text } from '../i18n/text.js';
import { AppError } from './app-error.js';
import type { ProfilesPort } from './profiles-port.js';

/** A profiles port with nothing saved (the sandbox alone): for tests and until profiles are wired. */
export function noProfiles(): ProfilesPort {
  const missing = (name: string) =>
    new AppError('not-found', text(`There is no profile named "${name}".`, `没有名为“${name}”的配置。`));
  return {
    list: async () => [],
    regions: () => [],
    save: async (input) => {
      throw new AppError(
        'not-ready',
        text(`Profiles cannot be saved here (${input.name}).`, `此处无法保存配置（${input.name}）。`),
      );
    },
    remove: async (name) => {
      throw missing(name);
    },
    connection: async (name) => {
      throw missing(name);
    },
  };
}
