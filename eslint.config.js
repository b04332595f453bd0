import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A layer may not import from these (paths from the repository root). */
const zone = (target, from, message, except) => ({ target, from, message, ...(except && { except }) });

/**
 * Dependencies point one way: the renderer reaches the engine only through the contract; the
 * core never reaches the Electron glue or the CLI; inside the core, cloud and files know nothing
 * of publishing, publishing nothing of profiles or the app, and shape/i18n nothing at all.
 */
const LAYERS = [
  zone('./renderer/src', './electron', 'The renderer imports only electron/core/contract.ts and i18n.', [
    './core/contract.ts',
    './core/i18n',
  ]),
  zone(
    './electron/core',
    ['./electron/main', './electron/preload', './electron/cli'],
    'electron/core is plain Node: no Electron glue, no CLI.',
  ),
  zone(
    './electron/cli',
    ['./electron/main', './electron/preload', './electron/core/app'],
    'The CLI uses the engine, not the app service.',
  ),
  zone(
    './electron/core/cloud',
    ['./electron/core/publish', './electron/core/profiles', './electron/core/app', './electron/core/sandbox'],
    'cloud/ knows nothing of publishing, profiles or the app.',
  ),
  zone(
    './electron/core/files',
    [
      './electron/core/publish',
      './electron/core/cloud',
      './electron/core/profiles',
      './electron/core/app',
      './electron/core/sandbox',
    ],
    'files/ imports neither cloud nor publish.',
  ),
  zone(
    './electron/core/publish',
    ['./electron/core/profiles', './electron/core/app', './electron/core/sandbox'],
    'publish/ knows nothing of profiles, the app or the sandbox.',
  ),
  zone(
    './electron/core/profiles',
    ['./electron/core/app', './electron/core/sandbox'],
    'profiles/ knows nothing of the app or the sandbox.',
  ),
  zone(
    './electron/core/sandbox',
    ['./electron/core/app', './electron/core/profiles'],
    'The sandbox emulates the cloud: no app, no profiles.',
  ),
  zone(
    './electron/core/shape',
    './electron/core',
    'shape/ is neutral ground: it imports nothing of the core.',
    ['./shape'],
  ),
  zone('./electron/core/i18n', './electron/core', 'i18n/ imports nothing of the core.', ['./i18n']),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    // test/fixtures/lint holds a deliberate cycle for test/unit/lint (ignored by `npm run lint`).
    files: ['electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'test/fixtures/lint/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // TypeScript sources are modules to follow (no-cycle reads them through these).
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'renderer/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-duplicates': 'error',
    },
  },
  {
    // Type-aware rules where a mistake is silent at run time: a promise nobody awaits, a switch
    // that forgets a case.
    files: ['electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    // The core must run in plain Node (vitest, the CLI): never import Electron there.
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'electron/core is plain Node.' }] },
      ],
    },
  },
  {
    // The renderer runs in a browser (Chromium, jsdom in component tests).
    files: ['renderer/src/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/src/**/*.tsx', 'test/renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'renderer/vite.config.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
);
