/**
 * The layering rules of eslint.config.js really fire: forbidden imports and an import cycle are
 * linted here with the project's own configuration (type-aware rules off: these sources are not
 * files of the TypeScript project).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  ignore: false,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/no-misused-promises': 'off',
        '@typescript-eslint/switch-exhaustiveness-check': 'off',
      },
    },
  ],
});

/** The rules a file at `filePath` breaks that holds only `import type { name } from 'module'`, used. */
async function ruleIds(filePath: string, importLine: string): Promise<(string | null)[]> {
  const name = /\{ (\w+) \}/.exec(importLine)![1];
  const [result] = await eslint.lintText(`${importLine}\nexport type Used = typeof ${name};\n`, { filePath });
  return result!.messages.map((m) => m.ruleId);
}

// The first lint of a run loads the TypeScript resolver: seconds alone, more on a busy machine.
describe('layering is enforced by lint', { timeout: 30_000 }, () => {
  it.each([
    [
      'cloud/ importing publish/',
      'electron/core/cloud/fixture.ts',
      "import { MAX_FILES } from '../publish/spec.js';",
    ],
    [
      'files/ importing cloud/',
      'electron/core/files/fixture.ts',
      "import type { CloudTarget } from '../cloud/target.js';",
    ],
    [
      'publish/ importing profiles/',
      'electron/core/publish/fixture.ts',
      "import { PROVIDERS } from '../profiles/profile.js';",
    ],
    [
      'the core importing the Electron glue',
      'electron/core/app/fixture.ts',
      "import { WindowHost } from '../../main/window-host.js';",
    ],
    [
      'the CLI importing the app service',
      'electron/cli/fixture.ts',
      "import { AppService } from '../core/app/app-service.js';",
    ],
    [
      'the renderer importing the engine',
      'renderer/src/fixture.ts',
      "import { validateSpec } from '../../electron/core/publish/validation.js';",
    ],
  ])('refuses %s', async (_, filePath, line) => {
    expect(await ruleIds(filePath, line)).toContain('import-x/no-restricted-paths');
  });

  it.each([
    [
      'publish/ importing cloud/',
      'electron/core/publish/fixture.ts',
      "import type { CloudTarget } from '../cloud/target.js';",
    ],
    [
      'the renderer importing the contract',
      'renderer/src/fixture.ts',
      "import type { JobSummary } from '../../electron/core/contract.js';",
    ],
  ])('allows %s', async (_, filePath, line) => {
    expect(await ruleIds(filePath, line)).toEqual([]);
  });

  it('refuses an import cycle', async () => {
    const [result] = await eslint.lintFiles(['test/fixtures/lint/cycle/a.ts']);
    expect(result!.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });
});
